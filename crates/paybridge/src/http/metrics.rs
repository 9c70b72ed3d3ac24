//! `GET /metrics`: hand-rolled Prometheus text (counters, order gauges and a
//! request latency histogram), so no global recorder is needed and every
//! test app has its own numbers.

use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

const BUCKETS: [f64; 10] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// Counter families always described (scrapers see them before the first
/// sample); any other counter is rendered after them without help text.
const COUNTERS: [(&str, &str); 3] = [
    (
        "paybridge_webhooks_received_total",
        "Webhook requests received, by provider.",
    ),
    (
        "paybridge_webhooks_accepted_total",
        "Verified webhook events stored, by provider and outcome.",
    ),
    (
        "paybridge_webhooks_rejected_total",
        "Webhooks refused (authentication, content type, size, malformed), by provider and reason.",
    ),
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// Counters keyed by metric name and rendered label set.
#[derive(Default)]
pub struct Metrics {
    counters: Mutex<BTreeMap<(String, String), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
}

fn labels(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect::<Vec<_>>()
        .join(",")
}

impl Metrics {
    /// Adds one to a counter.
    pub fn inc(&self, name: &str, pairs: &[(&str, &str)]) {
        let mut c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        *c.entry((name.to_owned(), labels(pairs))).or_default() += 1;
    }

    /// `series` is the rendered label set (method, route, status).
    fn observe(&self, series: String, secs: f64) {
        let mut h = self.latency.lock().unwrap_or_else(|p| p.into_inner());
        let h = h.entry(series).or_default();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                h.counts[i] += 1;
            }
        }
        h.sum += secs;
        h.count += 1;
    }

    fn render(&self, orders: &[(String, i64)]) -> String {
        let mut out = String::new();
        let counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        for (name, help) in COUNTERS {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            for ((_, l), v) in counters.iter().filter(|((n, _), _)| n == name) {
                let _ = writeln!(out, "{name}{{{l}}} {v}");
            }
        }
        let mut last = "";
        for ((name, l), v) in counters
            .iter()
            .filter(|((n, _), _)| !COUNTERS.iter().any(|(known, _)| known == n))
        {
            if name != last {
                let _ = writeln!(out, "# TYPE {name} counter");
                last = name;
            }
            let _ = writeln!(out, "{name}{{{l}}} {v}");
        }
        let _ = writeln!(
            out,
            "# HELP paybridge_orders Orders in the database, by status."
        );
        let _ = writeln!(out, "# TYPE paybridge_orders gauge");
        for st in crate::domain::OrderStatus::ALL {
            let n = orders
                .iter()
                .find(|(s, _)| s == st.as_str())
                .map_or(0, |(_, n)| *n);
            let _ = writeln!(out, "paybridge_orders{{status=\"{st}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP paybridge_http_request_duration_seconds Time to answer an HTTP request, by method, matched route and status code."
        );
        let _ = writeln!(
            out,
            "# TYPE paybridge_http_request_duration_seconds histogram"
        );
        let hist = self.latency.lock().unwrap_or_else(|p| p.into_inner());
        for (series, h) in hist.iter() {
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "paybridge_http_request_duration_seconds_bucket{{{series},le=\"{b}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "paybridge_http_request_duration_seconds_bucket{{{series},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "paybridge_http_request_duration_seconds_sum{{{series}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "paybridge_http_request_duration_seconds_count{{{series}}} {}",
                h.count
            );
        }
        out
    }
}

/// Middleware: request latency by method, matched route (never the raw
/// path, so ids do not multiply the series) and status code.
pub async fn track_latency(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().clone();
    let start = Instant::now();
    let res = next.run(req).await;
    let series = labels(&[
        ("method", method.as_str()),
        ("route", &route),
        ("status", res.status().as_str()),
    ]);
    state.metrics.observe(series, start.elapsed().as_secs_f64());
    res
}

async fn metrics(State(state): State<AppState>) -> Response {
    let orders = state
        .store
        .count_orders_by_status()
        .await
        .unwrap_or_default();
    (
        [("content-type", "text/plain; version=0.0.4")],
        state.metrics.render(&orders),
    )
        .into_response()
}

/// `GET /metrics`.
pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}
