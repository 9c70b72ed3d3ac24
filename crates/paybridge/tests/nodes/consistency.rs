//! What one node writes, every node reads; what two nodes receive at once
//! is applied once; a page open on one node hears what another ingested.

use crate::cluster::{completed_body, eventually, sign, Cluster};
use serde_json::Value;
use std::time::{Duration, Instant};

#[tokio::test]
async fn orders_created_on_a_paid_through_b_read_on_c_agree() {
    let cluster = Cluster::start().await;
    let a = cluster.node("a", &[]).await;
    let b = cluster.node("b", &[]).await;
    let c = cluster.node("c", &[]).await;
    cluster.send_webhooks_to(&b).await;

    let mut orders = Vec::new();
    for i in 0..20 {
        orders.push(a.create_order(&format!("ABC-{i}"), 1500 + i).await);
    }
    for o in &orders {
        cluster.pay(o["correlation_id"].as_str().unwrap()).await;
    }
    for o in &orders {
        let id = o["id"].as_str().unwrap();
        eventually(30, &format!("{id} paid on c"), || async {
            c.api("GET", &format!("/api/v1/orders/{id}"), &Value::Null)
                .await
                .1["status"]
                == "paid"
        })
        .await;
    }
    // Every node answers the same for every order and its events.
    for o in &orders {
        let id = o["id"].as_str().unwrap();
        let path = format!("/api/v1/orders/{id}");
        let (_, on_a) = a.api("GET", &path, &Value::Null).await;
        let (_, on_b) = b.api("GET", &path, &Value::Null).await;
        let (_, on_c) = c.api("GET", &path, &Value::Null).await;
        assert_eq!(on_a, on_b);
        assert_eq!(on_b, on_c);
        assert_eq!(on_c["paid_total"], o["amount"]);
        let events = format!("/api/v1/events?order_id={id}");
        let (_, ev_a) = a.api("GET", &events, &Value::Null).await;
        let (_, ev_c) = c.api("GET", &events, &Value::Null).await;
        assert_eq!(ev_a, ev_c);
        let types: Vec<&str> = ev_c["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["order.paid", "order.created"], "newest first");
    }
    let (_, list) = c.api("GET", "/api/v1/orders?limit=50", &Value::Null).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn the_same_webhook_sent_to_two_nodes_at_once_100_times_pays_once() {
    let cluster = Cluster::start().await;
    let a = cluster.node("a", &[]).await;
    let b = cluster.node("b", &[]).await;
    let key = cluster.signing_key();
    let http = reqwest::Client::new();
    for round in 0..100 {
        let o = a.create_order(&format!("DUP-{round}"), 1000).await;
        let body = completed_body(
            o["correlation_id"].as_str().unwrap(),
            &format!("E{round:030}"),
            1000,
        );
        let sig = sign(&key, &body);
        let send = |base: String| {
            let (http, body, sig) = (http.clone(), body.clone(), sig.clone());
            async move {
                let res = http
                    .post(format!("{base}/webhooks/woovi"))
                    .header("content-type", "application/json")
                    .header("x-webhook-signature", sig)
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
                let v: Value = res.json().await.unwrap();
                v["outcomes"][0].as_str().unwrap().to_owned()
            }
        };
        let (on_a, on_b) = tokio::join!(send(a.base.clone()), send(b.base.clone()));
        let mut outcomes = [on_a, on_b];
        outcomes.sort();
        assert_eq!(outcomes, ["applied", "duplicate"], "round {round}");
    }
    let db = cluster.db().await;
    let (payments, orders_paid_twice): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM payments), \
                (SELECT COUNT(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING COUNT(*) > 1) t)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((payments, orders_paid_twice), (100, 0));
    let wrong_total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE status <> 'paid' OR paid_total <> amount",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(wrong_total, 0);
}

/// The `data:` of each `status` event of an SSE stream, as they come.
async fn status_events(url: String, tx: tokio::sync::mpsc::UnboundedSender<(String, Instant)>) {
    let res = reqwest::get(&url).await.unwrap();
    assert_eq!(res.status(), 200);
    let mut res = res;
    let mut buf = String::new();
    while let Ok(Some(chunk)) = res.chunk().await {
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data:")) {
                let v: Value = serde_json::from_str(data.trim()).unwrap();
                let _ = tx.send((
                    v["status"].as_str().unwrap_or_default().to_owned(),
                    Instant::now(),
                ));
            }
        }
    }
}

#[tokio::test]
async fn a_checkout_page_open_on_b_hears_the_payment_a_ingested_within_a_second() {
    let cluster = Cluster::start().await;
    let a = cluster.node("a", &[]).await;
    let b = cluster.node("b", &[]).await;
    let o = a.create_order("SSE-1", 4990).await;
    let token = o["checkout_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(status_events(format!("{}/pay/{token}/events", b.base), tx));
    let (first, _) = rx.recv().await.unwrap();
    assert_eq!(first, "pending", "the current status comes first");

    let body = completed_body(
        o["correlation_id"].as_str().unwrap(),
        "E-SSE-0000000000000000000001",
        4990,
    );
    let res = reqwest::Client::new()
        .post(format!("{}/webhooks/woovi", a.base))
        .header("content-type", "application/json")
        .header("x-webhook-signature", sign(&cluster.signing_key(), &body))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let acknowledged = Instant::now();
    let (status, at) = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("the page on b heard the payment")
        .unwrap();
    assert_eq!(status, "paid");
    let took = at.duration_since(acknowledged);
    assert!(took < Duration::from_secs(1), "b heard it after {took:?}");
}
