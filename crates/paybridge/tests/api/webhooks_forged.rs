//! Forged, tampered and unsigned webhooks: 401, nothing changes, counted.

use crate::helpers::{closed_port_url, order_body, spawn_app_with, Options};
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{json, Value};

fn sign(key: &rsa::RsaPrivateKey, body: &[u8]) -> String {
    let sk = SigningKey::<Sha256>::new(key.clone());
    base64::engine::general_purpose::STANDARD.encode(sk.sign(body).to_bytes())
}

#[tokio::test]
async fn forged_webhooks_are_rejected_and_change_nothing() {
    let app = spawn_app_with(Options {
        woovi_base_url: Some(closed_port_url()),
        ..Options::default()
    })
    .await;
    let res: Value = app
        .post_order(&order_body(), None)
        .await
        .json()
        .await
        .unwrap();
    let id = res["error"]["order_id"].as_str().unwrap().to_owned();
    let order = app.get_order(&id).await;
    let body = serde_json::to_vec(&json!({
        "event": "OPENPIX:CHARGE_COMPLETED",
        "charge": { "correlationID": order["correlation_id"], "value": 1500, "status": "COMPLETED" },
        "pix": { "endToEndId": "E00000000202401010000forged0001", "value": 1500 }
    }))
    .unwrap();
    let attacker = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
    let good_for_other_body = sign(&attacker, b"{}");
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    let cases: Vec<(&str, Vec<u8>, Option<String>)> = vec![
        ("no header", body.clone(), None),
        ("wrong key", body.clone(), Some(sign(&attacker, &body))),
        (
            "one byte changed",
            tampered.clone(),
            Some(sign(&attacker, &body)),
        ),
        (
            "signature of another body",
            body.clone(),
            Some(good_for_other_body),
        ),
        ("garbage", body.clone(), Some("not base64 !!".into())),
    ];
    for (name, b, sig) in &cases {
        let res = app.deliver_webhook(b, sig.as_deref()).await;
        assert_eq!(res.status(), 401, "{name}");
        let err: Value = res.json().await.unwrap();
        assert!(
            err["error"]["code"]
                .as_str()
                .unwrap()
                .starts_with("missing_signature")
                || err["error"]["code"] == "invalid_signature",
            "{name}: {err}"
        );
    }
    let after = app.get_order(&id).await;
    assert_eq!(after["status"], "pending");
    assert_eq!(after["payments"].as_array().unwrap().len(), 0);
    let rejected: i64 = app
        .state
        .store
        .rejected_webhook_counts()
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(rejected, cases.len() as i64);
    assert!(app.state.store.inbox_counts().await.unwrap().is_empty());
    let m = app.metrics().await;
    assert!(
        m.contains(
            "paybridge_webhooks_rejected_total{provider=\"woovi\",reason=\"invalid_signature\"} 4"
        ),
        "{m}"
    );
}

#[tokio::test]
async fn wrong_content_type_and_oversized_bodies() {
    let app = spawn_app_with(Options {
        woovi_base_url: Some(closed_port_url()),
        ..Options::default()
    })
    .await;
    let res = app
        .http
        .post(format!("{}/webhooks/woovi", app.base))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let big = vec![b' '; 2 * 1024 * 1024];
    let res = app.deliver_webhook(&big, Some("x")).await;
    assert_eq!(res.status(), 413);
    let res = app
        .http
        .post(format!("{}/webhooks/nope", app.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
