//! Hostile bodies sent to the real binary, with and without valid proofs,
//! on a zero-configuration instance and on one with every secret set: each
//! is answered 400 or 401 and recorded, the process keeps serving, and
//! `/healthz` answers within 100 ms right after the flood.

use crate::serve_process::{free_port, ServeProcess};
use paybridge::providers::hostile::{form_case, json_case, CASES};
use paybridge::providers::shared_secret::hmac_sha256_hex;
use std::time::{Duration, Instant};

const ORIGIN: &str = "hostile-test-origin";
const WIAPY: &str = "hostile-test-wiapy";
const HUB: &str = "hostile-test-hub";

/// One hostile request: route, content type, body, extra header.
type Request = (
    &'static str,
    &'static str,
    Vec<u8>,
    Option<(&'static str, String)>,
);

/// Every hostile request, with valid proofs or without.
fn requests(proven: bool) -> Vec<Request> {
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let mut out = Vec::new();
    for case in CASES {
        let (jp, fp) = if proven {
            (
                format!("\"origin\":\"{ORIGIN}\","),
                format!("origin={ORIGIN}&"),
            )
        } else {
            (String::new(), String::new())
        };
        out.push(("eduzz", json, json_case(case, &jp), None));
        out.push(("eduzz", form, form_case(case, &fp), None));
        let body = json_case(case, "");
        let hub_key = if proven { HUB } else { "attacker" };
        out.push((
            "eduzz-hub",
            json,
            body.clone(),
            Some(("x-signature", hmac_sha256_hex(hub_key, &body))),
        ));
        let token = if proven { WIAPY } else { "forged" };
        out.push((
            "wiapy",
            json,
            body.clone(),
            Some(("authorization", token.to_owned())),
        ));
        out.push((
            "woovi",
            json,
            body,
            Some(("x-webhook-signature", "Zm9yZ2Vk".to_owned())),
        ));
    }
    out
}

/// Sends every hostile request, 16 at a time, and checks each answer.
async fn flood(port: u16, proven: bool) -> usize {
    let http = reqwest::Client::new();
    let reqs = requests(proven);
    let n = reqs.len();
    let answers = futures::stream::iter(reqs.into_iter().map(|(route, ct, body, header)| {
        let http = http.clone();
        async move {
            let mut req = http
                .post(format!("http://127.0.0.1:{port}/webhooks/{route}"))
                .header("content-type", ct)
                .body(body);
            if let Some((k, v)) = header {
                req = req.header(k, v);
            }
            let res = req
                .send()
                .await
                .unwrap_or_else(|e| panic!("{route}: no answer: {e}"));
            let status = res.status().as_u16();
            let body: serde_json::Value = res.json().await.unwrap_or_default();
            (route, status, body)
        }
    }));
    use futures::StreamExt;
    let answers: Vec<_> = answers.buffer_unordered(16).collect().await;
    for (route, status, body) in &answers {
        assert!(*status == 400 || *status == 401, "{route}: {status} {body}");
        let code = body["error"]["code"].as_str().unwrap_or_default();
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            !code.is_empty() && !message.is_empty(),
            "{route}: a clear reason: {body}"
        );
    }
    n
}

async fn healthz_within_100ms(port: u16) {
    let http = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/healthz");
    // A fresh connection each time, as a load balancer's probe would.
    let started = Instant::now();
    let res = http.get(&url).send().await.expect("/healthz answers");
    let took = started.elapsed();
    assert_eq!(res.status(), 200);
    assert!(took < Duration::from_millis(100), "/healthz took {took:?}");
}

async fn rejected_count(port: u16, provider: &str, reason: &str) -> u64 {
    let text = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key = format!(
        "paybridge_webhooks_rejected_total{{provider=\"{provider}\",reason=\"{reason}\"}} "
    );
    text.lines()
        .find_map(|l| l.strip_prefix(&key))
        .map_or(0, |v| v.trim().parse().unwrap())
}

/// Rows in the rejected-attempt log of the instance started in `dir`.
async fn recorded_rejections(location: &paybridge::config::DatabaseLocation) -> i64 {
    let store = paybridge::store::Store::connect(location).await.unwrap();
    let counts = store.rejected_webhook_counts().await.unwrap();
    counts.iter().map(|(_, n)| n).sum()
}

#[tokio::test]
async fn a_zero_config_instance_survives_every_hostile_body() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut serve = ServeProcess::start_zero_config(dir.path(), port).await;
    let sent = flood(port, false).await;
    assert!(serve.0.try_wait().unwrap().is_none(), "the process died");
    healthz_within_100ms(port).await;
    // Nothing configured for Eduzz: every one refused without being read.
    assert_eq!(
        rejected_count(port, "eduzz", "not_configured").await,
        2 * CASES.len() as u64
    );
    let zero_config =
        paybridge::config::DatabaseLocation::Sqlite(dir.path().join("data/paybridge.db"));
    assert_eq!(recorded_rejections(&zero_config).await, sent as i64);
}

#[tokio::test]
async fn a_configured_instance_refuses_hostile_bodies_with_or_without_proof() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let env = [
        ("PAYBRIDGE_EDUZZ_ORIGINS", ORIGIN),
        ("PAYBRIDGE_EDUZZ_HUB_SECRETS", HUB),
        ("PAYBRIDGE_WIAPY_TOKENS", WIAPY),
    ];
    let mut serve = ServeProcess::start(dir.path(), port, &env, None).await;
    let mut sent = 0;
    for proven in [false, true] {
        sent += flood(port, proven).await;
        assert!(
            serve.0.try_wait().unwrap().is_none(),
            "the process died (proven: {proven})"
        );
        healthz_within_100ms(port).await;
    }
    // Proven bodies past the limits are named as such, for each provider.
    for provider in ["eduzz", "eduzz-hub", "wiapy"] {
        let n = rejected_count(port, provider, "body_limit").await;
        assert!(n >= 5, "{provider}: {n} body_limit rejections");
    }
    // Every refusal is in the rejected-attempt log the dashboard reads.
    let location = crate::backend::serve_location(dir.path()).await;
    assert_eq!(recorded_rejections(&location).await, sent as i64);
}
