//! `/admin/orders/{id}` lists the rejected (unverified) webhooks whose body
//! names the order, labelled as such, and the forgeries change nothing.

use crate::admin_client::{admin_page, logged_in};
use crate::app::{sign, spawn_app};
use crate::support::{create_order, wait_status};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn sha256_hex(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

fn body(v: Value) -> Vec<u8> {
    serde_json::to_vec(&v).unwrap()
}

/// The part of an order page listing rejected webhooks.
fn rejected_section(html: &str) -> &str {
    let at = html
        .find(r#"id="recusados""#)
        .expect("rejected webhooks section");
    &html[at..]
}

#[tokio::test]
async fn forged_webhooks_naming_an_order_show_on_its_admin_page_and_change_nothing() {
    let app = spawn_app().await;
    let a = create_order(&app).await;
    let b = create_order(&app).await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let a_cid = a["correlation_id"].as_str().unwrap();
    let b_cid = b["correlation_id"].as_str().unwrap();

    // A is paid by a genuine webhook signed with the sandbox key.
    let e2e = "E18236120202601011200s0000000001";
    let genuine = body(json!({
        "event": "OPENPIX:CHARGE_COMPLETED",
        "charge": { "correlationID": a_cid, "value": 1500, "status": "COMPLETED" },
        "pix": { "endToEndId": e2e, "value": 1500, "time": "2026-01-01T12:00:00.000Z" }
    }));
    let res = app
        .deliver_webhook(&genuine, Some(&sign(&app.sandbox_signing_key(), &genuine)))
        .await;
    assert_eq!(res.status(), 200);
    wait_status(&app, a_id, "paid").await;
    let b_transaction = app
        .state
        .store
        .get_order(b_id)
        .await
        .unwrap()
        .unwrap()
        .charge
        .expect("B has a charge")
        .provider_ref
        .expect("B's charge has a Woovi transactionID");

    let before = (app.get_order(a_id).await, app.get_order(b_id).await);
    let inbox_of = |id: &str| {
        let store = app.state.store.clone();
        let id = id.to_owned();
        async move {
            let rows = store.inbox_for_order(&id).await.unwrap();
            rows.iter()
                .map(|w| format!("{} {} {}", w.received_at, w.event_type, w.outcome))
                .collect::<Vec<_>>()
        }
    };
    let inbox_before = (inbox_of(a_id).await, inbox_of(b_id).await);
    let attacker = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();

    // 1. B's correlationID, signed with a key that is not Woovi's.
    let by_correlation = body(json!({
        "event": "OPENPIX:CHARGE_COMPLETED",
        "charge": { "correlationID": b_cid, "value": 1500, "status": "COMPLETED" },
        "pix": { "endToEndId": "E00000000202601010000forged0001", "value": 1500 }
    }));
    // 2. B's Woovi transactionID, unsigned.
    let by_transaction = body(json!({
        "pix": { "transactionID": b_transaction, "endToEndId": "E00000000202601010000forged0002", "value": 1500 }
    }));
    // 3. A refund of A's payment, signed with the wrong key.
    let by_end_to_end = body(json!({
        "event": "PIX_TRANSACTION_REFUND_SENT_CONFIRMED",
        "refundTransaction": { "endToEndId": "D00000000202601010000forged0003", "value": 1500, "status": "CONFIRMED" },
        "originalTransaction": { "endToEndId": e2e }
    }));
    // 4. An order nobody has.
    let by_nobody = body(json!({
        "event": "OPENPIX:CHARGE_COMPLETED",
        "charge": { "correlationID": "no-such-order", "value": 1500 },
        "pix": { "endToEndId": "E00000000202601010000forged0004", "value": 1500 }
    }));
    let deliveries = [
        (&by_correlation, Some(sign(&attacker, &by_correlation))),
        (&by_transaction, None),
        (&by_end_to_end, Some(sign(&attacker, &by_end_to_end))),
        (&by_nobody, Some(sign(&attacker, &by_nobody))),
    ];
    for (b, sig) in &deliveries {
        let res = app.deliver_webhook(b, sig.as_deref()).await;
        assert_eq!(res.status(), 401, "{}", String::from_utf8_lossy(b));
    }

    // Nothing about either order changed; nothing reached their inbox.
    assert_eq!(app.get_order(a_id).await, before.0);
    assert_eq!(app.get_order(b_id).await, before.1);
    assert_eq!((inbox_of(a_id).await, inbox_of(b_id).await), inbox_before);

    let cookie = logged_in(&app).await;
    let b_page = admin_page(&app, &cookie, &format!("/admin/orders/{b_id}")).await;
    let b_rejected = rejected_section(&b_page);
    assert!(
        b_rejected.contains("Webhooks recusados (não verificados)"),
        "{b_rejected}"
    );
    assert!(
        b_rejected.contains(&sha256_hex(&by_correlation)),
        "{b_rejected}"
    );
    assert!(
        b_rejected.contains(&sha256_hex(&by_transaction)),
        "{b_rejected}"
    );
    assert!(b_rejected.contains("Recusado: assinatura inválida (invalid_signature)"));
    assert!(b_rejected.contains("Recusado: sem assinatura (missing_signature)"));
    assert!(!b_rejected.contains(&sha256_hex(&by_end_to_end)));
    assert!(!b_rejected.contains(&sha256_hex(&by_nobody)));
    assert_eq!(b_rejected.matches(r#"<tr class="rejected">"#).count(), 2);
    assert!(b_page.contains("Nenhum webhook aceito para este pedido."));

    let a_page = admin_page(&app, &cookie, &format!("/admin/orders/{a_id}")).await;
    let a_rejected = rejected_section(&a_page);
    assert!(
        a_rejected.contains(&sha256_hex(&by_end_to_end)),
        "{a_rejected}"
    );
    assert_eq!(a_rejected.matches(r#"<tr class="rejected">"#).count(), 1);
    assert!(!a_rejected.contains(&sha256_hex(&by_nobody)));
    let a_accepted = &a_page[a_page.find("Webhooks recebidos").unwrap()..];
    assert!(
        a_accepted.contains("OPENPIX:CHARGE_COMPLETED"),
        "the genuine webhook is listed as accepted: {a_accepted}"
    );
}
