//! The real binary SIGKILLed during a burst of 1,000 paid orders while a live
//! receiver takes the store events: after a restart on the same data dir,
//! every event arrives at least once, and exactly once after deduplication
//! by `webhook-id`.

use crate::helpers::{completed_body, eventually, order_body, sign, API_KEY};
use crate::receiver::{Receiver, Reply};
use crate::serve_process::{api_json, free_port, ServeProcess};
use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ORDERS: usize = 1000;

async fn serve(dir: &Path, port: u16) -> ServeProcess {
    let env = [
        ("PAYBRIDGE_OUTBOUND_ALLOW_PRIVATE", "true"),
        (
            "PAYBRIDGE_OUTBOUND_SCHEDULE",
            "200ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s",
        ),
    ];
    ServeProcess::start(dir, port, &env, None).await
}

fn signing_key(dir: &Path) -> rsa::RsaPrivateKey {
    use rsa::pkcs8::DecodePrivateKey;
    let pem = std::fs::read_to_string(dir.join("data/sandbox/webhook-signing-key.pem")).unwrap();
    rsa::RsaPrivateKey::from_pkcs8_pem(&pem).unwrap()
}

/// Sends every payment webhook (32 at a time); counts the 200s.
async fn pay_all(base: &str, bodies: &[(Vec<u8>, String)], acked: Arc<AtomicUsize>) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    stream::iter(bodies)
        .for_each_concurrent(32, |(body, sig)| {
            let (http, acked) = (http.clone(), acked.clone());
            async move {
                let res = http
                    .post(format!("{base}/webhooks/woovi"))
                    .header("content-type", "application/json")
                    .header("x-webhook-signature", sig)
                    .body(body.clone())
                    .send()
                    .await;
                if res.is_ok_and(|r| r.status() == 200) {
                    acked.fetch_add(1, Ordering::SeqCst);
                }
            }
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_a_burst_of_paid_orders_loses_no_event() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let rx = Receiver::ok().await;
    let http = reqwest::Client::new();
    let mut first = serve(dir.path(), port).await;

    create_endpoint(&http, &base, &rx.url, &["order.created", "order.paid"]).await;
    let orders: Vec<(String, String)> = stream::iter(0..ORDERS)
        .map(|i| {
            let http = http.clone();
            let base = base.clone();
            async move {
                let mut body = order_body();
                body["reference"] = json!(format!("BURST-{i}"));
                let v: Value = http
                    .post(format!("{base}/api/v1/orders"))
                    .bearer_auth(API_KEY)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                (
                    v["id"].as_str().unwrap().to_owned(),
                    v["correlation_id"].as_str().unwrap().to_owned(),
                )
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let key = signing_key(dir.path());
    let bodies: Vec<(Vec<u8>, String)> = orders
        .iter()
        .enumerate()
        .map(|(i, (_, cid))| {
            let b = completed_body(cid, &format!("E2E{i:029}"), 1500);
            let s = sign(&key, &b);
            (b, s)
        })
        .collect();

    // The burst, killed with SIGKILL once a third of it is acknowledged.
    let acked = Arc::new(AtomicUsize::new(0));
    let burst = tokio::spawn({
        let (base, bodies, acked) = (base.clone(), bodies.clone(), acked.clone());
        async move { pay_all(&base, &bodies, acked).await }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    while acked.load(Ordering::SeqCst) < ORDERS / 3 {
        assert!(Instant::now() < deadline, "burst too slow");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    first.0.kill().unwrap(); // SIGKILL
    first.0.wait().unwrap();
    burst.await.unwrap();
    let acked_before = acked.load(Ordering::SeqCst);
    assert!(
        acked_before < ORDERS,
        "the kill came during the burst ({acked_before} acked)"
    );
    let seen_before_restart = rx.log().len();
    drop(first);

    // Restart; the provider retries every payment (duplicates are no-ops).
    let _second = serve(dir.path(), port).await;
    pay_all(&base, &bodies, Arc::new(AtomicUsize::new(0))).await;

    let expected: HashSet<String> = orders.iter().map(|(id, _)| id.clone()).collect();
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let log = rx.log();
        let mut kinds: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
        for r in &log {
            kinds
                .entry((r.order_id(), r.event_type()))
                .or_default()
                .insert(r.id.as_str());
        }
        let complete = expected.iter().all(|o| {
            kinds.contains_key(&(o.as_str(), "order.created"))
                && kinds.contains_key(&(o.as_str(), "order.paid"))
        });
        if complete {
            // Exactly once after dedupe: one webhook-id per (order, event type)…
            for ((order, t), ids) in &kinds {
                assert_eq!(ids.len(), 1, "{order} {t}: {ids:?}");
                assert!(expected.contains(*order), "unknown order {order}");
            }
            // …2,000 distinct events, each with its per-order sequence.
            let unique: HashSet<&str> = log.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(unique.len(), 2 * ORDERS);
            for r in &log {
                let want = if r.event_type() == "order.created" {
                    1
                } else {
                    2
                };
                assert_eq!(r.sequence(), want, "{}", r.id);
            }
            eprintln!(
                "acked before SIGKILL: {acked_before}; receiver requests before restart: {seen_before_restart}, total: {} ({} duplicates by webhook-id)",
                log.len(),
                log.len() - unique.len()
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not every event arrived: {} of {} distinct",
            log.iter()
                .map(|r| r.id.as_str())
                .collect::<HashSet<_>>()
                .len(),
            2 * ORDERS
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Subscribes `url` to `events` through the running binary's API.
async fn create_endpoint(http: &reqwest::Client, base: &str, url: &str, events: &[&str]) {
    let endpoint = json!({ "url": url, "events": events });
    let (status, body) = api_json(
        http,
        "POST",
        &format!("{base}/api/v1/webhook-endpoints"),
        &endpoint,
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn a_delivery_in_flight_when_killed_is_sent_again_after_restart_with_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    // The first request of each webhook-id never gets an answer; later ones get 200.
    let rx = Receiver::start(Arc::new(|_, seen_before| {
        if seen_before == 0 {
            Reply::Slow(Duration::from_secs(3600))
        } else {
            Reply::Status(200)
        }
    }))
    .await;
    // An hour between attempts: only the restart can explain a second request soon.
    let env = [
        ("PAYBRIDGE_OUTBOUND_ALLOW_PRIVATE", "true"),
        ("PAYBRIDGE_OUTBOUND_SCHEDULE", "1h,1h"),
    ];
    let mut first = ServeProcess::start(dir.path(), port, &env, None).await;
    let http = reqwest::Client::new();
    create_endpoint(&http, &base, &rx.url, &["order.created"]).await;
    let (_, order) = api_json(
        &http,
        "POST",
        &format!("{base}/api/v1/orders"),
        &order_body(),
    )
    .await;
    let order_id = order["id"].as_str().unwrap().to_owned();

    eventually(30, "the first attempt", || async {
        rx.for_order(&order_id).len() == 1
    })
    .await;
    first.0.kill().unwrap(); // SIGKILL while the receiver holds the request
    first.0.wait().unwrap();

    let _second = ServeProcess::start(dir.path(), port, &env, None).await;
    eventually(30, "the attempt after restart", || async {
        rx.for_order(&order_id).len() == 2
    })
    .await;
    let got = rx.for_order(&order_id);
    assert_eq!(got[0].id, got[1].id, "the same webhook-id both times");
    assert_eq!(got[0].body, got[1].body, "the same bytes both times");
    assert_eq!(got[1].event_type(), "order.created");

    let events = format!("{base}/api/v1/events?order_id={order_id}");
    eventually(10, "the event to be delivered", || async {
        let (_, v) = api_json(&http, "GET", &events, &Value::Null).await;
        v["data"][0]["status"] == "delivered"
    })
    .await;
}
