//! Throughput over real HTTP, in memory: charges created per second and
//! webhooks delivered (signed) per second to a local receiver.
//!
//! `cargo bench -p woovi-sandbox --bench throughput`
//! Knobs: BENCH_CHARGES (20000), BENCH_WEBHOOKS (3000), BENCH_CONCURRENCY (32).

use axum::routing::post;
use axum::Router;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use woovi_sandbox::{Sandbox, SandboxConfig};

const APP_ID: &str = "bench-app";

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn start() -> (Sandbox, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let sandbox = Sandbox::new(SandboxConfig {
        app_ids: vec![APP_ID.to_owned()],
        public_base_url: base.clone(),
        webhook_base_delay: Duration::from_millis(50),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let router = sandbox.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (sandbox, base)
}

/// Runs `total` requests built by `make(i)` with `concurrency` in flight.
async fn drive<F>(http: &reqwest::Client, total: usize, concurrency: usize, make: F) -> Duration
where
    F: Fn(&reqwest::Client, usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let make = Arc::new(make);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (http, next, make) = (http.clone(), next.clone(), make.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let r = make(&http, i).send().await.unwrap();
                assert!(r.status().is_success(), "request {i}: {}", r.status());
                r.bytes().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed()
}

async fn bench_charges(base: &str, total: usize, concurrency: usize) {
    let http = reqwest::Client::new();
    let url = format!("{base}/api/v1/charge");
    let elapsed = drive(&http, total, concurrency, move |http, i| {
        http.post(&url).header("Authorization", APP_ID).json(
            &serde_json::json!({"correlationID": format!("bench-{i}"), "value": 100 + i as i64}),
        )
    })
    .await;
    println!(
        "charges: {total} created over HTTP in {:.2?} with {concurrency} in flight = {:.0} charges/s",
        elapsed,
        total as f64 / elapsed.as_secs_f64()
    );
}

async fn bench_webhooks(base: &str, sandbox: &Sandbox, total: usize, concurrency: usize) {
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    let app = Router::new().route(
        "/hook",
        post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let http = reqwest::Client::new();
    let r = http
        .post(format!("{base}/api/v1/webhook"))
        .header("Authorization", APP_ID)
        .json(&serde_json::json!({"webhook": {"name": "bench", "event": "OPENPIX:CHARGE_COMPLETED", "url": hook_url, "isActive": true}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    received.store(0, Ordering::SeqCst);

    let charge_url = format!("{base}/api/v1/charge");
    drive(&http, total, concurrency, move |http, i| {
        http.post(&charge_url)
            .header("Authorization", APP_ID)
            .json(&serde_json::json!({"correlationID": format!("hook-{i}"), "value": 100}))
    })
    .await;
    let pay_url = format!("{base}/openpix/testing");
    let started = Instant::now();
    drive(&http, total, concurrency, move |http, i| {
        http.post(format!("{pay_url}?correlationID=hook-{i}"))
            .header("Authorization", APP_ID)
    })
    .await;
    while received.load(Ordering::Relaxed) < total {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "deliveries stalled"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    let failed = sandbox
        .deliveries()
        .iter()
        .filter(|d| !d.succeeded())
        .count();
    println!(
        "webhooks: {total} charges paid and {total} signed OPENPIX:CHARGE_COMPLETED delivered in {:.2?} = {:.0} webhooks/s ({failed} failed attempts)",
        elapsed,
        total as f64 / elapsed.as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once with small numbers.
    let quick = !std::env::args().any(|a| a == "--bench");
    let charges = if quick {
        200
    } else {
        knob("BENCH_CHARGES", 20_000)
    };
    let webhooks = if quick {
        50
    } else {
        knob("BENCH_WEBHOOKS", 3_000)
    };
    let concurrency = knob("BENCH_CONCURRENCY", 32);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (sandbox, base) = start().await;
        bench_charges(&base, charges, concurrency).await;
        bench_webhooks(&base, &sandbox, webhooks, concurrency).await;
    });
}
