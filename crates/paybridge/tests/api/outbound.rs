//! Outbound webhooks, black-box: endpoints API, signed deliveries of events
//! captured at the change, retries on the shrunk schedule, ordering per
//! order, 410, recovery and replay.

use crate::helpers::{eventually, order_body, spawn_app, spawn_app_with, Options, TestApp};
use crate::receiver::{Receiver, Reply};
use paybridge::outbound::schedule::Schedule;
use paybridge::outbound::signing::SigningKey;
use paybridge::outbound::OutboundConfig;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub fn fast(schedule: &str) -> OutboundConfig {
    OutboundConfig {
        allow_private: true,
        schedule: Schedule::parse(schedule).unwrap(),
        timeout: Duration::from_millis(700),
        poll: Duration::from_millis(20),
        ..OutboundConfig::default()
    }
}

pub async fn app(schedule: &str) -> TestApp {
    spawn_app_with(Options {
        outbound: Some(fast(schedule)),
        ..Options::default()
    })
    .await
}

/// Creates an endpoint; returns (id, secret).
pub async fn endpoint(app: &TestApp, url: &str, events: Option<&[&str]>) -> (String, String) {
    let mut body = json!({ "url": url, "description": "loja" });
    if let Some(e) = events {
        body["events"] = json!(e);
    }
    let (status, v) = app
        .api_send("POST", "/api/v1/webhook-endpoints", &body)
        .await;
    assert_eq!(status, 201, "{v}");
    (
        v["id"].as_str().unwrap().to_owned(),
        v["secret"].as_str().unwrap().to_owned(),
    )
}

fn order_with(reference: &str) -> Value {
    let mut b = order_body();
    b["reference"] = json!(reference);
    b
}

async fn order_id(app: &TestApp, reference: &str) -> String {
    app.create_order(&order_with(reference)).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn cancel(app: &TestApp, id: &str) {
    let res = app.order_action(id, "cancel", &json!({})).await;
    assert_eq!(res.status(), 200);
}

/// Gaps between consecutive arrivals of one webhook-id.
fn gaps(rx: &Receiver, webhook_id: &str) -> Vec<Duration> {
    let at: Vec<_> = rx
        .log()
        .into_iter()
        .filter(|r| r.id == webhook_id)
        .map(|r| r.at)
        .collect();
    at.windows(2).map(|w| w[1] - w[0]).collect()
}

/// `gap` is `scheduled` ±20 % (minus a little clock slack, plus scheduling slack above).
fn assert_gap(gap: Duration, scheduled_ms: u64, what: &str) {
    let lo = Duration::from_millis(scheduled_ms * 8 / 10).saturating_sub(Duration::from_millis(30));
    let hi = Duration::from_millis(scheduled_ms * 12 / 10 + 1500);
    assert!(
        gap >= lo && gap <= hi,
        "{what}: gap {gap:?} not in [{lo:?}, {hi:?}]"
    );
}

async fn attempts(app: &TestApp, event_id: &str) -> Vec<Value> {
    let (s, v) = app
        .api_get_json(&format!("/api/v1/events/{event_id}/attempts"))
        .await;
    assert_eq!(s, 200, "{v}");
    v["data"].as_array().unwrap().clone()
}

async fn events_of(app: &TestApp, order_id: &str) -> Vec<Value> {
    let (s, v) = app
        .api_get_json(&format!("/api/v1/events?order_id={order_id}"))
        .await;
    assert_eq!(s, 200, "{v}");
    let mut list = v["data"].as_array().unwrap().clone();
    list.sort_by_key(|e| e["sequence"].as_i64());
    list
}

#[tokio::test]
async fn endpoint_lifecycle_shows_the_secret_once_and_refuses_bad_input() {
    let app = app("100ms").await;
    let rx = Receiver::ok().await;
    let (id, secret) = endpoint(&app, &rx.url, Some(&["order.paid", "order.created"])).await;
    assert!(SigningKey::parse(&secret).is_ok(), "{secret}");
    let (s, got) = app
        .api_get_json(&format!("/api/v1/webhook-endpoints/{id}"))
        .await;
    assert_eq!(s, 200);
    assert_eq!(got["events"], json!(["order.paid", "order.created"]));
    assert_eq!(got["health"]["status"], "healthy");
    assert!(
        !got.to_string().contains("whsec_"),
        "secret shown again: {got}"
    );
    let (_, list) = app.api_get_json("/api/v1/webhook-endpoints").await;
    assert!(!list.to_string().contains("whsec_"));
    // The database keeps it sealed.
    assert!(
        !app.raw_db().await.stores_anywhere(secret.as_bytes()).await,
        "secret stored in clear"
    );

    // Bad input: one 422 naming every bad field, and nothing changes.
    let bad = [
        (json!({ "url": "ftp://x/" }), "url"),
        (json!({ "url": rx.url, "events": ["order.pago"] }), "events"),
        (json!({ "url": rx.url, "description": 5 }), "description"),
        (json!({ "events": "order.paid" }), "url"),
    ];
    for (body, field) in bad {
        let (s, v) = app
            .api_send("POST", "/api/v1/webhook-endpoints", &body)
            .await;
        assert_eq!(s, 422, "{body} -> {v}");
        assert!(v["error"]["fields"].to_string().contains(field), "{v}");
    }
    let (s, v) = app
        .api_send(
            "PATCH",
            &format!("/api/v1/webhook-endpoints/{id}"),
            &json!({ "events": ["nope"], "enabled": false }),
        )
        .await;
    assert_eq!(s, 422, "{v}");
    let (_, after) = app
        .api_get_json(&format!("/api/v1/webhook-endpoints/{id}"))
        .await;
    assert_eq!(after, got, "a rejected patch changes nothing");
    let (_, list2) = app.api_get_json("/api/v1/webhook-endpoints").await;
    assert_eq!(list2["data"].as_array().unwrap().len(), 1);

    // Patch, rotate, delete.
    let (s, v) = app
        .api_send(
            "PATCH",
            &format!("/api/v1/webhook-endpoints/{id}"),
            &json!({ "events": [], "enabled": false }),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["enabled"], false);
    assert_eq!(v["health"]["status"], "disabled");
    let (s, r) = app
        .api_send(
            "POST",
            &format!("/api/v1/webhook-endpoints/{id}/rotate-secret"),
            &json!({}),
        )
        .await;
    assert_eq!(s, 200);
    assert_ne!(r["secret"], json!(secret));
    let res = app
        .http
        .delete(format!("{}/api/v1/webhook-endpoints/{id}", app.base))
        .bearer_auth(crate::helpers::API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (s, v) = app
        .api_get_json(&format!("/api/v1/webhook-endpoints/{id}"))
        .await;
    assert_eq!(
        (s, v["error"]["code"].clone()),
        (404, json!("webhook_endpoint_not_found"))
    );
    let res = app
        .http
        .get(format!("{}/api/v1/webhook-endpoints", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "the API key is required");
}

#[tokio::test]
async fn internal_addresses_are_refused_unless_allowed() {
    let app = spawn_app().await; // production defaults: private targets refused
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://100.64.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fd00::1]/hook",
        "http://0.0.0.0/hook",
    ] {
        let (s, v) = app
            .api_send("POST", "/api/v1/webhook-endpoints", &json!({ "url": url }))
            .await;
        assert_eq!(s, 422, "{url} -> {v}");
        assert_eq!(v["error"]["fields"][0]["field"], "url", "{v}");
    }
    let (_, list) = app.api_get_json("/api/v1/webhook-endpoints").await;
    assert_eq!(list["data"], json!([]), "nothing saved");

    let allowed = self::app("100ms").await;
    let rx = Receiver::ok().await;
    endpoint(&allowed, &rx.url, None).await;
}

#[tokio::test]
async fn order_events_are_signed_captured_at_the_change_and_in_sequence() {
    let app = app("100ms").await;
    let rx = Receiver::ok().await;
    let (_, secret) = endpoint(&app, &rx.url, None).await;
    let key = SigningKey::parse(&secret).unwrap();
    let order = app.create_order(&order_with("SEQ-1")).await;
    let id = order["id"].as_str().unwrap().to_owned();
    app.pay_in_sandbox(order["correlation_id"].as_str().unwrap())
        .await;
    eventually(20, "order.created and order.paid delivered", || async {
        rx.for_order(&id).len() >= 2
    })
    .await;
    let got = rx.for_order(&id);
    assert_eq!(got.len(), 2, "each event once: {got:?}");
    assert_eq!(
        got.iter()
            .map(|r| (r.event_type().to_owned(), r.sequence()))
            .collect::<Vec<_>>(),
        vec![
            ("order.created".to_owned(), 1),
            ("order.paid".to_owned(), 2)
        ]
    );
    for r in &got {
        assert!(
            key.verify(&r.id, r.timestamp, &r.body, &r.signature),
            "{}",
            r.signature
        );
        assert_eq!(r.payload["id"], json!(r.id), "webhook-id is the event id");
        let age = time::OffsetDateTime::now_utc().unix_timestamp() - r.timestamp;
        assert!((0..60).contains(&age), "timestamp {age} s old");
    }
    // Captured at the change: the created event still says pending.
    assert_eq!(got[0].payload["data"]["status"], "pending");
    assert_eq!(got[1].payload["data"]["status"], "paid");
    // The paid event's data is the order as the API returns it (plus the sequence).
    let now = app.get_order(&id).await;
    let mut data = got[1].payload["data"].clone();
    data.as_object_mut().unwrap().remove("sequence");
    let mut api = now.clone();
    for k in ["payments", "refunds", "timeline"] {
        api.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(data, api);

    eventually(10, "both events recorded as delivered", || async {
        events_of(&app, &id)
            .await
            .iter()
            .all(|e| e["status"] == "delivered")
    })
    .await;
    let events = events_of(&app, &id).await;
    assert_eq!(events.len(), 2);
    for e in &events {
        assert_eq!(e["status"], "delivered", "{e}");
        let a = attempts(&app, e["id"].as_str().unwrap()).await;
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0]["status_code"], 200);
        assert!(a[0]["latency_ms"].is_number());
    }
    let (s, v) = app.api_get_json("/api/v1/events?type=order.paid").await;
    assert_eq!(s, 200);
    assert!(v["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["type"] == "order.paid"));
    let (s, _) = app.api_get_json("/api/v1/events?type=order.pago").await;
    assert_eq!(s, 422);
    let (s, v) = app.api_get_json("/api/v1/events/evt_nope/attempts").await;
    assert_eq!(
        (s, v["error"]["code"].clone()),
        (404, json!("event_not_found"))
    );
}

#[tokio::test]
async fn only_subscribed_events_go_to_an_endpoint() {
    let app = app("100ms").await;
    let (all, cancels) = (Receiver::ok().await, Receiver::ok().await);
    endpoint(&app, &all.url, None).await;
    endpoint(&app, &cancels.url, Some(&["order.cancelled"])).await;
    let id = order_id(&app, "SUB-1").await;
    cancel(&app, &id).await;
    eventually(20, "both events at the catch-all", || async {
        all.for_order(&id).len() == 2
    })
    .await;
    eventually(20, "the cancel at the subscriber", || async {
        cancels.for_order(&id).len() == 1
    })
    .await;
    assert_eq!(cancels.for_order(&id)[0].event_type(), "order.cancelled");
    assert_eq!(
        cancels.for_order(&id)[0].sequence(),
        2,
        "sequence is per order, not per endpoint"
    );
}

#[tokio::test]
async fn retries_follow_the_shrunk_schedule_and_honour_retry_after() {
    let app = app("400ms,800ms,1200ms").await;
    let rx = Receiver::start(Arc::new(|p: &Value, n| {
        match (p["data"]["reference"].as_str(), n) {
            (Some("R-500"), 0 | 1) => Reply::Status(500),
            (Some("R-429"), 0) => Reply::RetryAfter(429, 1),
            _ => Reply::Status(200),
        }
    }))
    .await;
    endpoint(&app, &rx.url, Some(&["order.created"])).await;
    let a = order_id(&app, "R-500").await;
    let b = order_id(&app, "R-429").await;
    eventually(20, "three attempts of the 500 event", || async {
        rx.for_order(&a).len() == 3
    })
    .await;
    eventually(20, "two attempts of the 429 event", || async {
        rx.for_order(&b).len() == 2
    })
    .await;
    let ida = rx.for_order(&a)[0].id.clone();
    let g = gaps(&rx, &ida);
    assert_gap(g[0], 400, "after the first 500");
    assert_gap(g[1], 800, "after the second 500");
    // Retry-After: 1 s lies between the scheduled delay (400 ms ± 20 %) and
    // twice it, or is capped at twice it: never less than 640 ms, never the bare 400.
    let idb = rx.for_order(&b)[0].id.clone();
    let g = gaps(&rx, &idb);
    assert!(
        g[0] >= Duration::from_millis(640) && g[0] <= Duration::from_millis(2500),
        "Retry-After gap {:?}",
        g[0]
    );
    eventually(10, "the success recorded", || async {
        attempts(&app, &ida).await.len() == 3
    })
    .await;
    let log = attempts(&app, &ida).await;
    let codes: Vec<_> = log.iter().map(|a| a["status_code"].clone()).collect();
    assert_eq!(codes, vec![json!(500), json!(500), json!(200)]);
    let log = attempts(&app, &idb).await;
    assert_eq!(log[0]["status_code"], 429);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rx.for_order(&a).len(), 3, "nothing after the 2xx");
}

#[tokio::test]
async fn a_slow_receiver_times_out_and_is_retried() {
    let app = app("300ms").await; // client timeout 700 ms
    let rx = Receiver::start(Arc::new(|_: &Value, n| {
        if n == 0 {
            Reply::Slow(Duration::from_secs(3))
        } else {
            Reply::Status(204)
        }
    }))
    .await;
    endpoint(&app, &rx.url, None).await;
    let id = order_id(&app, "SLOW").await;
    eventually(20, "the retry after the timeout", || async {
        rx.for_order(&id).len() == 2
    })
    .await;
    let webhook_id = rx.for_order(&id)[0].id.clone();
    let g = gaps(&rx, &webhook_id);
    // 700 ms timeout, then 300 ms ± 20 %.
    assert!(g[0] >= Duration::from_millis(900), "{:?}", g[0]);
    eventually(10, "the event delivered", || async {
        events_of(&app, &id).await[0]["status"] == "delivered"
    })
    .await;
    let log = attempts(&app, &webhook_id).await;
    assert_eq!(log[0]["status_code"], Value::Null);
    assert_eq!(log[0]["response"], "timeout");
    assert!(log[0]["latency_ms"].as_i64().unwrap() >= 690, "{log:?}");
    assert_eq!(log[1]["status_code"], 204);
}

/// Waits until the dispatcher disables endpoint `ep`; returns it as the API shows it.
async fn disabled_endpoint(app: &TestApp, ep: &str) -> Value {
    let path = format!("/api/v1/webhook-endpoints/{ep}");
    eventually(20, "the endpoint disabled", || async {
        app.api_get_json(&path).await.1["enabled"] == false
    })
    .await;
    app.api_get_json(&path).await.1
}

#[tokio::test]
async fn gone_disables_the_endpoint() {
    let app = app("100ms,100ms").await;
    let rx = Receiver::start(Arc::new(|_: &Value, _| Reply::Status(410))).await;
    let (ep, _) = endpoint(&app, &rx.url, None).await;
    let id = order_id(&app, "GONE").await;
    let e = disabled_endpoint(&app, &ep).await;
    assert_eq!(e["health"]["status"], "disabled");
    assert!(
        e["disabled_reason"].as_str().unwrap().contains("410"),
        "{e}"
    );
    assert_eq!(events_of(&app, &id).await[0]["status"], "failed");
    cancel(&app, &id).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        rx.log().len(),
        1,
        "no retry after 410, nothing to a disabled endpoint"
    );
}

#[tokio::test]
async fn an_endpoint_failing_for_the_configured_span_is_disabled() {
    let mut cfg = fast("200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms");
    cfg.disable_after = Duration::from_secs(1);
    let app = spawn_app_with(Options {
        outbound: Some(cfg),
        ..Options::default()
    })
    .await;
    let rx = Receiver::start(Arc::new(|_: &Value, _| Reply::Status(503))).await;
    let (ep, _) = endpoint(&app, &rx.url, None).await;
    order_id(&app, "DOWN").await;
    eventually(20, "the endpoint marked failing", || async {
        app.api_get_json(&format!("/api/v1/webhook-endpoints/{ep}"))
            .await
            .1["health"]["status"]
            == "failing"
    })
    .await;
    let e = disabled_endpoint(&app, &ep).await;
    assert!(
        e["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("no successful delivery since"),
        "{e}"
    );
    assert!(
        rx.log().len() >= 3,
        "retried while failing: {}",
        rx.log().len()
    );
    // Enabling again clears the streak.
    let (_, e) = app
        .api_send(
            "PATCH",
            &format!("/api/v1/webhook-endpoints/{ep}"),
            &json!({ "enabled": true }),
        )
        .await;
    assert_eq!(e["health"]["status"], "healthy");
}

#[tokio::test]
async fn receiver_down_then_back_gets_every_event_in_per_order_sequence() {
    let app = app("150ms,300ms,500ms,1s,1s,1s,1s,1s,1s,1s").await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/hook");
    endpoint(&app, &url, None).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let id = order_id(&app, &format!("DOWN-{i}")).await;
        cancel(&app, &id).await;
        ids.push(id);
    }
    let first = events_of(&app, &ids[0]).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    eventually(20, "two refused attempts", || async {
        attempts(&app, &first).await.len() >= 2
    })
    .await;
    let a = attempts(&app, &first).await;
    assert_eq!(
        a[0]["status_code"],
        Value::Null,
        "connection refused: {a:?}"
    );
    // The cancel (sequence 2) waits behind the refused created (sequence 1).
    let second = events_of(&app, &ids[0]).await[1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(attempts(&app, &second).await.is_empty());

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let rx = Receiver::on(listener, Arc::new(|_: &Value, _| Reply::Status(200)));
    eventually(20, "all six events", || async {
        ids.iter().all(|id| rx.for_order(id).len() == 2)
    })
    .await;
    for id in &ids {
        let seqs: Vec<i64> = rx.for_order(id).iter().map(|r| r.sequence()).collect();
        assert_eq!(seqs, vec![1, 2], "order {id}");
        // The answer is recorded in the dispatcher's next round.
        eventually(10, "both events recorded as delivered", || async {
            events_of(&app, id)
                .await
                .iter()
                .all(|e| e["status"] == "delivered")
        })
        .await;
    }
}

#[tokio::test]
async fn a_later_event_waits_for_the_earlier_one_and_other_orders_do_not() {
    let app = app("600ms,600ms").await;
    let rx = Receiver::start(Arc::new(|p: &Value, n| {
        match (p["type"].as_str(), p["data"]["reference"].as_str(), n) {
            (Some("order.created"), Some("HOLD"), 0 | 1) => Reply::Status(500),
            _ => Reply::Status(200),
        }
    }))
    .await;
    endpoint(&app, &rx.url, None).await;
    let held = order_id(&app, "HOLD").await;
    cancel(&app, &held).await;
    let free = order_id(&app, "FREE").await;
    cancel(&app, &free).await;
    eventually(20, "the other order's two events", || async {
        rx.for_order(&free).len() == 2
    })
    .await;
    let held_now: Vec<_> = rx.for_order(&held).iter().map(|r| r.sequence()).collect();
    assert!(
        held_now.iter().all(|s| *s == 1),
        "sequence 2 must wait: {held_now:?}"
    );
    eventually(20, "the held order's events", || async {
        rx.for_order(&held).len() == 4
    })
    .await;
    let seqs: Vec<_> = rx.for_order(&held).iter().map(|r| r.sequence()).collect();
    assert_eq!(
        seqs,
        vec![1, 1, 1, 2],
        "two failures, the success, then the next"
    );
}

#[tokio::test]
async fn failed_deliveries_are_recovered_and_events_redelivered_with_the_same_id() {
    let app = app("100ms").await;
    let up = Arc::new(AtomicBool::new(false));
    let flag = up.clone();
    let rx = Receiver::start(Arc::new(move |_: &Value, _| {
        if flag.load(Ordering::SeqCst) {
            Reply::Status(200)
        } else {
            Reply::Status(500)
        }
    }))
    .await;
    let (ep, _) = endpoint(&app, &rx.url, None).await;
    let id = order_id(&app, "REC").await;
    eventually(20, "the event failed after the schedule", || async {
        events_of(&app, &id).await[0]["status"] == "failed"
    })
    .await;
    let (_, failed) = app.api_get_json("/api/v1/events?status=failed").await;
    assert_eq!(failed["data"].as_array().unwrap().len(), 1);
    let event_id = failed["data"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        attempts(&app, &event_id).await.len(),
        2,
        "first try plus one retry"
    );

    up.store(true, Ordering::SeqCst);
    let (s, v) = app
        .api_send(
            "POST",
            &format!("/api/v1/webhook-endpoints/{ep}/recover"),
            &json!({ "since": "yesterday" }),
        )
        .await;
    assert_eq!(s, 422, "{v}");
    let since = (time::OffsetDateTime::now_utc() - time::Duration::hours(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (s, v) = app
        .api_send(
            "POST",
            &format!("/api/v1/webhook-endpoints/{ep}/recover"),
            &json!({ "since": since }),
        )
        .await;
    assert_eq!((s, v["queued"].clone()), (202, json!(1)));
    eventually(20, "recovered delivery", || async {
        events_of(&app, &id).await[0]["status"] == "delivered"
    })
    .await;
    let before = rx.log().iter().filter(|r| r.id == event_id).count();
    let (s, v) = app
        .api_send(
            "POST",
            &format!("/api/v1/events/{event_id}/redeliver"),
            &json!({}),
        )
        .await;
    assert_eq!((s, v["queued"].clone()), (202, json!(1)));
    eventually(20, "redelivered", || async {
        rx.log().iter().filter(|r| r.id == event_id).count() == before + 1
    })
    .await;
    let (s, _) = app
        .api_send("POST", "/api/v1/events/evt_missing/redeliver", &json!({}))
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn the_test_button_sends_a_signed_ping() {
    let app = app("100ms").await;
    let rx = Receiver::ok().await;
    let (ep, secret) = endpoint(&app, &rx.url, None).await;
    let (s, v) = app
        .api_send(
            "POST",
            &format!("/api/v1/webhook-endpoints/{ep}/test"),
            &json!({}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["delivered"].clone(), v["status_code"].clone()),
        (json!(true), json!(200))
    );
    let ping = rx
        .log()
        .into_iter()
        .find(|r| r.event_type() == "ping")
        .expect("ping");
    let key = SigningKey::parse(&secret).unwrap();
    assert!(key.verify(&ping.id, ping.timestamp, &ping.body, &ping.signature));
}
