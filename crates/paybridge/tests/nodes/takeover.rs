//! Nodes dying: one reconciler at a time and another taking over within a
//! round; a node SIGKILLed under load loses nothing acknowledged, pays
//! nothing twice, and the other node delivers what it had leased.

use crate::cluster::{completed_body, eventually, sign, Cluster, Node};
use crate::receiver::Receiver;
use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const LEADER_LINE: &str = "this node now runs the reconciler";

#[tokio::test]
async fn one_node_reconciles_and_another_takes_over_when_it_dies() {
    let cluster = Cluster::start().await;
    // Rounds every second; charges older than 4 s are asked about. No
    // webhook is registered at the sandbox: only reconciliation can pay.
    let env = [("PAYBRIDGE_RECONCILE_AFTER_SECS", "4")];
    let mut nodes: Vec<Node> = Vec::new();
    for name in ["a", "b", "c"] {
        nodes.push(cluster.node(name, &env).await);
    }
    eventually(10, "a reconciler", || async {
        nodes.iter().any(|n| n.log_text().contains(LEADER_LINE))
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let leaders: Vec<usize> = (0..3)
        .filter(|i| nodes[*i].log_text().contains(LEADER_LINE))
        .collect();
    assert_eq!(leaders.len(), 1, "exactly one node holds the turn");
    let leader = leaders[0];

    let first = nodes[(leader + 1) % 3].create_order("REC-1", 2500).await;
    cluster.pay(first["correlation_id"].as_str().unwrap()).await;
    let watcher = (leader + 2) % 3;
    let id = first["id"].as_str().unwrap().to_owned();
    eventually(20, "the reconciler to find the lost payment", || async {
        nodes[watcher]
            .api("GET", &format!("/api/v1/orders/{id}"), &Value::Null)
            .await
            .1["status"]
            == "paid"
    })
    .await;

    nodes[leader].kill();
    let second = nodes[(leader + 1) % 3].create_order("REC-2", 2600).await;
    cluster
        .pay(second["correlation_id"].as_str().unwrap())
        .await;
    eventually(10, "another node to take the turn", || async {
        (0..3)
            .filter(|i| *i != leader)
            .any(|i| nodes[i].log_text().contains(LEADER_LINE))
    })
    .await;
    let successors = (0..3)
        .filter(|i| *i != leader && nodes[*i].log_text().contains(LEADER_LINE))
        .count();
    assert_eq!(successors, 1, "one successor");
    let id = second["id"].as_str().unwrap().to_owned();
    eventually(20, "the successor to reconcile", || async {
        nodes[watcher]
            .api("GET", &format!("/api/v1/orders/{id}"), &Value::Null)
            .await
            .1["status"]
            == "paid"
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_under_load_loses_nothing_and_its_deliveries_go_out_from_the_other() {
    let cluster = Cluster::start().await;
    // Attempts time out after 2 s, so a dead node's leases end 7 s later.
    let env = [
        ("PAYBRIDGE_OUTBOUND_TIMEOUT", "2s"),
        (
            "PAYBRIDGE_OUTBOUND_SCHEDULE",
            "200ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s",
        ),
    ];
    let mut a = cluster.node("a", &env).await;
    let b = cluster.node("b", &env).await;
    let rx = Receiver::ok().await;
    let (s, _) = b
        .api(
            "POST",
            "/api/v1/webhook-endpoints",
            &json!({ "url": rx.url, "events": ["order.created", "order.paid"] }),
        )
        .await;
    assert_eq!(s, 201);
    let orders: Vec<Value> = stream::iter(0..300)
        .map(|i| {
            let node = if i % 2 == 0 { &a } else { &b };
            async move { node.create_order(&format!("KILL-{i}"), 1000).await }
        })
        .buffer_unordered(16)
        .collect()
        .await;

    // Mixed load on both nodes: every payment webhook sent to both (so a
    // request to the dead node is retried on the live one, as a provider
    // retries), and node a SIGKILLed a third of the way in.
    let key = cluster.signing_key();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let (a_base, b_base) = (a.base.clone(), b.base.clone());
    let load = {
        let (http, acked, orders) = (http.clone(), acked.clone(), orders.clone());
        tokio::spawn(async move {
            stream::iter(orders.into_iter().enumerate())
                .for_each_concurrent(8, |(i, o)| {
                    let (http, acked, key) = (http.clone(), acked.clone(), key.clone());
                    let bases = [a_base.clone(), b_base.clone()];
                    async move {
                        let e2e = format!("E{i:031}");
                        let body =
                            completed_body(o["correlation_id"].as_str().unwrap(), &e2e, 1000);
                        let sig = sign(&key, &body);
                        for attempt in 0..20 {
                            let base = &bases[(i + attempt) % 2];
                            let res = http
                                .post(format!("{base}/webhooks/woovi"))
                                .header("content-type", "application/json")
                                .header("x-webhook-signature", &sig)
                                .body(body.clone())
                                .send()
                                .await;
                            if res.is_ok_and(|r| r.status() == 200) {
                                acked.lock().unwrap().insert(e2e.clone());
                                return;
                            }
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        panic!("webhook {e2e} never acknowledged");
                    }
                })
                .await;
        })
    };
    eventually(30, "a third of the payments", || async {
        acked.lock().unwrap().len() >= 100
    })
    .await;
    a.kill();
    load.await.unwrap();

    let db = cluster.db().await;
    let acked = acked.lock().unwrap().clone();
    assert_eq!(acked.len(), 300);
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT substr(dedupe_key, length('CHARGE_COMPLETED:') + 1) FROM inbox WHERE dedupe_key LIKE 'CHARGE_COMPLETED:%'",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let stored: HashSet<String> = stored.into_iter().collect();
    let missing: Vec<&String> = acked.iter().filter(|e| !stored.contains(*e)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not stored: {missing:?}"
    );
    let (paid, twice): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM orders WHERE status = 'paid' AND paid_total = amount), \
                (SELECT COUNT(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING COUNT(*) > 1) t)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((paid, twice), (300, 0));

    // Every event reaches the store, the dead node's leased ones from b
    // once its leases run out; after dedupe by webhook-id, once each.
    let events: Vec<String> = sqlx::query_scalar("SELECT id FROM outbox")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(events.len(), 600);
    // A delivery the dead node sent but could not mark stays leased until
    // its lease ends; then b sends it again (the store dedupes by id).
    eventually(60, "every event delivered and marked so", || async {
        let got: HashSet<String> = rx.log().into_iter().map(|r| r.id).collect();
        let undelivered: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE status <> 'delivered'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        undelivered == 0 && events.iter().all(|e| got.contains(e))
    })
    .await;
}
