//! End-to-end flows against the embedded Woovi sandbox: real charges, real
//! signed webhooks, the sandbox clock.

use crate::helpers::{completed_body, order_body, sign, spawn_app, spawn_app_with, Options};
use serde_json::{json, Value};

fn payments(order: &Value) -> &Vec<Value> {
    order["payments"].as_array().expect("payments array")
}

#[tokio::test]
async fn order_is_paid_through_the_signed_sandbox_webhook() {
    let app = spawn_app().await;
    let order = app.create_order(&order_body()).await;
    let br_code = order["pix"]["br_code"].as_str().expect("br_code");
    let parsed = brcode::parse_strict(br_code).expect("strict BR code");
    assert_eq!(parsed.amount_cents(), Some(1500));
    let checkout = order["checkout_url"].as_str().unwrap();
    assert!(checkout.starts_with(&app.base), "{checkout}");
    let correlation_id = order["correlation_id"].as_str().unwrap();
    assert!(!correlation_id.is_empty());
    assert_eq!(order["status"], "pending");

    let paid = app.pay_in_sandbox(correlation_id).await;
    let e2e = paid["transaction"]["endToEndId"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = order["id"].as_str().unwrap();
    let order = app.wait_for_status(id, "paid").await;
    assert_eq!(order["paid_total"], 1500);
    assert_eq!(order["flags"], json!([]));
    let p = payments(&order);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0]["end_to_end_id"], e2e.as_str());
    assert!(
        order["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["source"] == "webhook"),
        "paid by the webhook: {}",
        order["timeline"]
    );
}

async fn completed_delivery(app: &crate::helpers::TestApp, correlation_id: &str) -> String {
    let url = format!(
        "{}/sandbox/deliveries?event=OPENPIX:CHARGE_COMPLETED",
        app.sandbox()
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let v: Value = app
            .http
            .get(&url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let found = v["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["body"].as_str())
            .find(|b| b.contains(correlation_id))
            .map(str::to_owned);
        if let Some(body) = found {
            return body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no CHARGE_COMPLETED delivery"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_same_signed_webhook_100_times_at_once_gives_one_payment() {
    let app = spawn_app().await;
    let order = app.create_order(&order_body()).await;
    let id = order["id"].as_str().unwrap();
    let cid = order["correlation_id"].as_str().unwrap();
    app.pay_in_sandbox(cid).await;
    app.wait_for_status(id, "paid").await;
    let body = completed_delivery(&app, cid).await;
    let sig = sign(&app.sandbox_signing_key(), body.as_bytes());
    let sends = (0..100).map(|_| app.deliver_webhook(body.as_bytes(), Some(&sig)));
    let statuses: Vec<u16> = futures::future::join_all(sends)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let order = app.get_order(id).await;
    assert_eq!(payments(&order).len(), 1);
    assert_eq!(order["paid_total"], 1500);
    assert_eq!(order["flags"], json!([]));
}

#[tokio::test]
async fn a_body_signed_by_another_sandbox_is_refused_and_changes_nothing() {
    let a = spawn_app().await;
    let b = spawn_app().await;
    let order = a.create_order(&order_body()).await;
    let cid = order["correlation_id"].as_str().unwrap();
    a.pay_in_sandbox(cid).await;
    a.wait_for_status(order["id"].as_str().unwrap(), "paid")
        .await;
    let body = completed_delivery(&a, cid).await;
    let sig = sign(&a.sandbox_signing_key(), body.as_bytes());

    // The same correlationID exists at b, so an accepted body would pay it.
    let victim = b.create_order(&order_body()).await;
    let victim_id = victim["id"].as_str().unwrap();
    let forged = body.replace(cid, victim["correlation_id"].as_str().unwrap());
    let forged_sig = sign(&a.sandbox_signing_key(), forged.as_bytes());
    for (body, sig) in [(&body, &sig), (&forged, &forged_sig)] {
        let res = b.deliver_webhook(body.as_bytes(), Some(sig)).await;
        assert_eq!(res.status(), 401);
    }
    let after = b.get_order(victim_id).await;
    assert_eq!(after["status"], "pending");
    assert_eq!(payments(&after).len(), 0);
}

#[tokio::test]
async fn underpaid_is_flagged_and_a_second_payment_is_not_applied() {
    let app = spawn_app().await;
    let key = app.sandbox_signing_key();
    let order = app.create_order(&order_body()).await;
    let id = order["id"].as_str().unwrap();
    let cid = order["correlation_id"].as_str().unwrap();
    let first = completed_body(cid, "E00000000202601011200underpaid01", 1000);
    let res = app.deliver_webhook(&first, Some(&sign(&key, &first))).await;
    assert_eq!(res.status(), 200);
    let order = app.wait_for_status(id, "paid").await;
    assert_eq!(order["flags"], json!(["underpaid"]));
    assert_eq!(order["paid_total"], 1000);

    let second = completed_body(cid, "E00000000202601011200second0001", 1500);
    let res = app
        .deliver_webhook(&second, Some(&sign(&key, &second)))
        .await;
    assert_eq!(res.status(), 200);
    let order = app.get_order(id).await;
    assert_eq!(order["status"], "paid");
    let flags = order["flags"].as_array().unwrap();
    assert!(flags.contains(&json!("duplicate_payment")), "{flags:?}");
    assert_eq!(order["paid_total"], 1000, "second payment not applied");
    let p = payments(&order);
    assert_eq!(p.len(), 2);
    assert_eq!(p.iter().filter(|p| p["applied"] == true).count(), 1);
}

#[tokio::test]
async fn sandbox_clock_expires_the_order_and_a_late_expiry_keeps_paid() {
    let app = spawn_app().await;
    let mut body = order_body();
    body["expires_in"] = json!(60);
    let order = app.create_order(&body).await;
    let id = order["id"].as_str().unwrap();
    let paid = app.create_order(&order_body()).await;
    let paid_id = paid["id"].as_str().unwrap();
    let paid_cid = paid["correlation_id"].as_str().unwrap();
    app.pay_in_sandbox(paid_cid).await;
    app.wait_for_status(paid_id, "paid").await;

    let res = app
        .http
        .post(format!(
            "{}/sandbox/clock/advance?seconds=120",
            app.sandbox()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.wait_for_status(id, "expired").await;

    let late = serde_json::to_vec(&json!({
        "event": "OPENPIX:CHARGE_EXPIRED",
        "charge": { "correlationID": paid_cid, "value": 1500, "status": "EXPIRED" }
    }))
    .unwrap();
    let res = app
        .deliver_webhook(&late, Some(&sign(&app.sandbox_signing_key(), &late)))
        .await;
    assert_eq!(res.status(), 200);
    let after = app.get_order(paid_id).await;
    assert_eq!(after["status"], "paid");
    assert_eq!(after["paid_total"], 1500);
}

#[tokio::test]
async fn cancel_deletes_the_charge_and_refunds_go_partial_then_full() {
    let app = spawn_app().await;
    let order = app.create_order(&order_body()).await;
    let id = order["id"].as_str().unwrap();
    let cid = order["correlation_id"].as_str().unwrap();
    let res = app.order_action(id, "cancel", &json!({})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.get_order(id).await["status"], "cancelled");
    let res = app
        .http
        .get(format!("{}/api/v1/charge/{cid}", app.sandbox()))
        .header("Authorization", app.app_id.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    // Woovi (and the sandbox) answer an unknown charge with 400 "não encontrada".
    assert_eq!(res.status(), 400, "charge deleted at Woovi");
    assert!(res.text().await.unwrap().contains("encontrada"));

    let order = app.create_order(&order_body()).await;
    let id = order["id"].as_str().unwrap();
    app.pay_in_sandbox(order["correlation_id"].as_str().unwrap())
        .await;
    app.wait_for_status(id, "paid").await;
    let res = app
        .order_action(id, "refund", &json!({ "amount": 500 }))
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let order = app.wait_for_status(id, "partially_refunded").await;
    assert_eq!(order["refunded_total"], 500);
    let res = app.order_action(id, "refund", &json!({})).await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let order = app.wait_for_status(id, "refunded").await;
    assert_eq!(order["refunded_total"], 1500);
    assert_eq!(order["refunds"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_reconciler_pays_an_order_whose_webhook_was_lost() {
    // Woovi is told to deliver to a closed port: every webhook is lost.
    let app = spawn_app_with(Options {
        reconcile_after: Some(std::time::Duration::from_secs(1)),
        public_url: Some(crate::helpers::closed_port_url()),
        ..Options::default()
    })
    .await;
    let order = app.create_order(&order_body()).await;
    let id = order["id"].as_str().unwrap();
    let paid = app
        .pay_in_sandbox(order["correlation_id"].as_str().unwrap())
        .await;
    let e2e = paid["transaction"]["endToEndId"].as_str().unwrap();
    let order = app.wait_for_status(id, "paid").await;
    let p = payments(&order);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0]["end_to_end_id"], e2e, "the real end-to-end id");
    assert!(order["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["source"] == "reconciler"));
}
