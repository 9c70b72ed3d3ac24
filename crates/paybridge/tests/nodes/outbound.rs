//! Two nodes dispatching the same outbox: every event reaches the store
//! exactly once (by `webhook-id`) in normal operation, in per-order order.

use crate::cluster::{completed_body, eventually, sign, Cluster, Node};
use crate::receiver::Receiver;
use futures::stream::{self, StreamExt};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// 500 orders (half created on each node), each then paid through the
/// other node: 1,000 events.
async fn thousand_events(cluster: &Cluster, a: &Node, b: &Node) -> Vec<String> {
    let key = cluster.signing_key();
    let http = reqwest::Client::new();
    let ids: Vec<(String, String, usize)> = stream::iter(0..500usize)
        .map(|i| async move {
            let node = if i % 2 == 0 { a } else { b };
            let o = node.create_order(&format!("OUT-{i}"), 1000).await;
            (
                o["id"].as_str().unwrap().to_owned(),
                o["correlation_id"].as_str().unwrap().to_owned(),
                i,
            )
        })
        .buffer_unordered(16)
        .collect()
        .await;
    stream::iter(ids.iter())
        .for_each_concurrent(16, |(_, cid, i)| {
            let (http, key) = (http.clone(), key.clone());
            let node = if i % 2 == 0 { b } else { a };
            async move {
                let body = completed_body(cid, &format!("E{i:031}"), 1000);
                let res = http
                    .post(format!("{}/webhooks/woovi", node.base))
                    .header("content-type", "application/json")
                    .header("x-webhook-signature", sign(&key, &body))
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
            }
        })
        .await;
    ids.into_iter().map(|(id, _, _)| id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_dispatching_nodes_deliver_1000_events_exactly_once_in_order() {
    let cluster = Cluster::start().await;
    let debug = [("RUST_LOG", "info,paybridge::workers::dispatcher=debug")];
    let a = cluster.node("a", &debug).await;
    let b = cluster.node("b", &debug).await;
    let rx = Receiver::ok().await;
    let (s, _) = a
        .api(
            "POST",
            "/api/v1/webhook-endpoints",
            &json!({ "url": rx.url, "events": ["order.created", "order.paid"] }),
        )
        .await;
    assert_eq!(s, 201);
    let orders = thousand_events(&cluster, &a, &b).await;
    eventually(120, "1,000 deliveries", || async { rx.log().len() >= 1000 }).await;
    // Give a second dispatcher the chance to send anything twice.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let log = rx.log();
    let mut seen = HashSet::new();
    for r in &log {
        assert!(seen.insert(r.id.clone()), "{} delivered twice", r.id);
    }
    assert_eq!(log.len(), 1000);
    let mut per_order: HashMap<&str, Vec<(i64, &str)>> = HashMap::new();
    for r in &log {
        per_order
            .entry(r.order_id())
            .or_default()
            .push((r.sequence(), r.event_type()));
    }
    for id in &orders {
        assert_eq!(
            per_order.get(id.as_str()).map(Vec::as_slice),
            Some([(1, "order.created"), (2, "order.paid")].as_slice()),
            "order {id}: in sequence"
        );
    }
    // Both nodes dispatched (each claims what it fanned out or finds due).
    for node in [&a, &b] {
        let attempts = node.log_text().matches("delivery attempt").count();
        assert!(attempts > 0, "node {} made no delivery attempt", node.name);
    }
    let db = cluster.db().await;
    let delivered: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(delivered, 1000);
}
