//! Wiapy and Eduzz sales over HTTP: orders keyed by (platform, transaction
//! id), access granted on payment and revoked on refund, chargeback and
//! cancellation after payment, duplicates and out-of-order deliveries,
//! registration tests and abandoned carts.

use crate::platform::{
    as_form, eduzz_invoice, fixture, hub, spawn, statuses, timeline_events, wiapy, EDUZZ_ORDER,
    EDUZZ_ORIGIN, HUB_ORDER, WIAPY_ORDER,
};
use serde_json::{json, Value};

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn wiapy_paid_then_refunded_grants_then_revokes_access() {
    let app = spawn().await;
    let res = ok(app
        .post_wiapy(&wiapy("paid", "2025-04-25T16:13:17.284Z"))
        .await)
    .await;
    assert_eq!(res["outcomes"], json!(["applied"]));

    let order = app.get_order(WIAPY_ORDER).await;
    assert_eq!(order["status"], "paid");
    assert_eq!(order["amount"], 1770);
    assert_eq!(order["paid_total"], 1770);
    assert_eq!(order["customer"]["name"], "Thay");
    assert_eq!(order["customer"]["email"], "thay@example.com");
    assert_eq!(order["customer"]["phone"], "+5511999999999");
    assert_eq!(
        order["customer"]["tax_id"],
        Value::Null,
        "the example CPF fails its check digits"
    );
    let granted = app.entitlements("email=thay@example.com").await;
    assert_eq!(statuses(&granted), ["active"; 4]);
    let names: Vec<&str> = granted
        .iter()
        .map(|e| e["product_name"].as_str().unwrap())
        .collect();
    for n in [
        "Nome do meu produto 1",
        "Nome do meu Produto 2",
        "Nome do meu Produto 3",
        "Nome do meu Produto 4",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let course = granted
        .iter()
        .find(|e| e["product_name"] == "Nome do meu produto 1")
        .unwrap();
    assert_eq!(course["product_kind"], "online_course");
    assert_eq!(course["provider"], "wiapy");
    assert_eq!(course["order_id"], order["id"]);
    assert_eq!(
        course["links"],
        json!([{ "title": "Acesso via Área de Membros", "url": "https://wiapy.com/login" }])
    );

    let sale = app.platform_sale(WIAPY_ORDER).await;
    assert_eq!(sale["payment_method"]["method"], "pix");
    assert_eq!(sale["buyer_document"], "12345667890", "normalized, kept");
    assert_eq!(sale["stated_status"], "paid");
    assert_eq!(sale["products"].as_array().unwrap().len(), 4);
    assert_eq!(sale["subscription"], Value::Null, "type payment");

    ok(app
        .post_wiapy(&wiapy("refunded", "2025-04-26T10:00:00.000Z"))
        .await)
    .await;
    let order = app.get_order(WIAPY_ORDER).await;
    assert_eq!(order["status"], "refunded");
    let sale = app.platform_sale(WIAPY_ORDER).await;
    assert_eq!(sale["stated_status"], "refunded");
    assert_eq!(sale["raw_status"], "refunded");
    assert_eq!(order["refunded_total"], 1770);
    let revoked = app.entitlements("email=thay@example.com").await;
    assert_eq!(statuses(&revoked), ["revoked"; 4]);
    assert!(revoked
        .iter()
        .all(|e| e["revoke_reason"] == "refunded" && e["revoked_at"].is_string()));
    let events = timeline_events(&order);
    assert_eq!(events.iter().filter(|e| *e == "access.granted").count(), 4);
    assert_eq!(events.iter().filter(|e| *e == "access.revoked").count(), 4);

    let outbox: Vec<String> = app
        .outbox_rows()
        .await
        .into_iter()
        .map(|(order_id, t)| {
            assert_eq!(order_id.as_deref(), order["id"].as_str());
            t
        })
        .collect();
    assert_eq!(outbox.first().map(String::as_str), Some("order.created"));
    assert_eq!(outbox.iter().filter(|t| *t == "access.granted").count(), 4);
    assert_eq!(outbox.iter().filter(|t| *t == "access.revoked").count(), 4);
    assert!(outbox.iter().any(|t| t == "order.paid"));
    assert!(outbox.iter().any(|t| t == "order.refunded"));
}

#[tokio::test]
async fn eduzz_legacy_paid_then_refunded_in_either_encoding_reaches_buyer_and_student() {
    let app = spawn().await;
    // Paid, sent as a PHP-flattened form.
    let res = ok(app.post_eduzz_form(&eduzz_invoice("3")).await).await;
    assert_eq!(res["outcomes"], json!(["applied"]));
    let order = app.get_order(EDUZZ_ORDER).await;
    assert_eq!(order["status"], "paid");
    assert_eq!(order["amount"], 5000, "trans_value \"50\" reais");
    for email in ["webhook@eduzz.com", "emaildoaluno@provedor.com"] {
        let list = app.entitlements(&format!("email={email}")).await;
        assert_eq!(statuses(&list), ["active"], "{email}");
        assert_eq!(list[0]["product_name"], "Descrição do produto adquirido");
        assert_eq!(list[0]["product_id"], "1");
    }
    let sale = app.platform_sale(EDUZZ_ORDER).await;
    assert_eq!(sale["student_email"], "emaildoaluno@provedor.com");
    assert_eq!(sale["payment_method"]["raw"], "3");
    assert_eq!(sale["subscription"]["recurrence_cod"], "10");
    assert_eq!(sale["subscription"]["recurrence_status_name"], "Em Dia");
    // A contract notice updates the subscription's state, not the order.
    let mut notice = eduzz_invoice("3");
    notice["type"] = json!("contract");
    notice["event_name"] = json!("contract_suspended");
    notice["recurrence_status"] = json!("3");
    notice["recurrence_status_name"] = json!("Suspenso");
    let res = ok(app.post_eduzz_json(&notice).await).await;
    assert_eq!(res["outcomes"], json!(["applied"]));
    assert_eq!(app.get_order(EDUZZ_ORDER).await["status"], "paid");
    let sale = app.platform_sale(EDUZZ_ORDER).await;
    assert_eq!(sale["subscription"]["recurrence_status_name"], "Suspenso");
    assert_eq!(
        statuses(&app.entitlements("product_id=1").await),
        ["active", "active"]
    );
    // The same paid invoice as JSON is the same fact: nothing new.
    let res = ok(app.post_eduzz_json(&eduzz_invoice("3")).await).await;
    assert_eq!(res["outcomes"], json!(["duplicate"]));
    // Refunded, sent as JSON.
    ok(app.post_eduzz_json(&eduzz_invoice("7")).await).await;
    let order = app.get_order(EDUZZ_ORDER).await;
    assert_eq!(order["status"], "refunded");
    let all = app.entitlements("product_id=1").await;
    assert_eq!(statuses(&all), ["revoked", "revoked"]);
    let student = app
        .api_json("/api/v1/customers/emaildoaluno@provedor.com/entitlements")
        .await;
    assert_eq!(student["data"][0]["revoke_reason"], "refunded");
}

#[tokio::test]
async fn eduzz_hub_paid_then_refunded_grants_then_revokes_access() {
    let app = spawn().await;
    ok(app.post_hub(hub("invoice_opened.json", "evt-1")).await).await;
    assert_eq!(app.get_order(HUB_ORDER).await["status"], "pending");
    assert!(
        app.entitlements("").await.is_empty(),
        "nothing before payment"
    );
    ok(app.post_hub(hub("invoice_paid.json", "evt-2")).await).await;
    let order = app.get_order(HUB_ORDER).await;
    assert_eq!(order["status"], "paid");
    assert_eq!(
        app.platform_sale(HUB_ORDER).await["payment_method"],
        json!({ "method": "credit_card", "brand": null, "raw": "creditCard" })
    );
    assert_eq!(order["amount"], 30150, "301.5 reais");
    let list = app
        .entitlements("email=alice.johnson@example.com&status=active")
        .await;
    let mut ids: Vec<&str> = list
        .iter()
        .map(|e| e["product_id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["P567", "P789"]);
    ok(app.post_hub(hub("invoice_refunded.json", "evt-3")).await).await;
    assert_eq!(app.get_order(HUB_ORDER).await["status"], "refunded");
    assert!(app
        .entitlements("email=alice.johnson@example.com&status=active")
        .await
        .is_empty());
    assert_eq!(
        statuses(&app.entitlements("status=revoked").await),
        ["revoked", "revoked"]
    );
    // The same envelope id again is a duplicate, whatever it says.
    let res = ok(app.post_hub(hub("invoice_paid.json", "evt-2")).await).await;
    assert_eq!(res["outcomes"], json!(["duplicate"]));
}

#[tokio::test]
async fn duplicates_and_out_of_order_deliveries_leave_one_order_in_the_right_state() {
    let app = spawn().await;
    let paid = wiapy("paid", "2025-04-25T16:13:17.284Z");
    let unpaid = wiapy("unpaid", "2025-04-25T16:00:00.000Z");
    let refunded = wiapy("refunded", "2025-04-26T10:00:00.000Z");
    // The refund arrives first, then the older facts, each several times at once.
    ok(app.post_wiapy(&refunded).await).await;
    let mut all = Vec::new();
    for body in [&paid, &unpaid, &refunded, &paid, &unpaid] {
        for _ in 0..4 {
            all.push(app.post_wiapy(body));
        }
    }
    for res in futures::future::join_all(all).await {
        assert_eq!(res.status(), 200);
    }
    let orders = app.api_json("/api/v1/orders?limit=200").await;
    assert_eq!(orders["data"].as_array().unwrap().len(), 1, "one order");
    let order = app.get_order(WIAPY_ORDER).await;
    assert_eq!(order["status"], "refunded");
    assert_eq!(order["paid_total"], 1770);
    assert_eq!(order["refunded_total"], 1770);
    assert_eq!(order["payments"].as_array().unwrap().len(), 1);
    assert_eq!(order["flags"], json!([]));
    assert!(
        app.entitlements("").await.is_empty(),
        "a refunded sale never grants access, whatever came late"
    );

    // A late "unpaid" after "paid" leaves the order paid and the access on.
    let mut late = wiapy("paid", "2025-05-01T09:00:00.000Z");
    late["payment"]["id"] = json!("second-sale");
    ok(app.post_wiapy(&late).await).await;
    let mut stale = late.clone();
    stale["payment"]["status"] = json!("unpaid");
    stale["payment"]["dt_update"] = json!("2025-05-01T08:00:00.000Z");
    ok(app.post_wiapy(&stale).await).await;
    assert_eq!(app.get_order("wiapy:second-sale").await["status"], "paid");
    assert_eq!(statuses(&app.entitlements("").await), ["active"; 4]);

    // The legacy webhook and the Hub about one invoice reach one order.
    let mut legacy = eduzz_invoice("1");
    legacy["trans_cod"] = json!("12345678");
    ok(app.post_eduzz_json(&legacy).await).await;
    ok(app.post_hub(hub("invoice_paid.json", "evt-x")).await).await;
    let eduzz_orders: Vec<Value> = app.api_json("/api/v1/orders?limit=200").await["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["correlation_id"] == HUB_ORDER)
        .cloned()
        .collect();
    assert_eq!(eduzz_orders.len(), 1);
    assert_eq!(eduzz_orders[0]["status"], "paid");
}

#[tokio::test]
async fn chargeback_cancellation_and_expiry_after_payment_revoke_and_repayment_restores() {
    let app = spawn().await;
    // Wiapy chargeback.
    ok(app
        .post_wiapy(&wiapy("paid", "2025-04-25T16:13:17.284Z"))
        .await)
    .await;
    ok(app
        .post_wiapy(&wiapy("chargedback", "2025-05-10T00:00:00.000Z"))
        .await)
    .await;
    assert_eq!(app.get_order(WIAPY_ORDER).await["status"], "chargeback");
    let list = app.entitlements("email=thay@example.com").await;
    assert!(
        list.iter().all(|e| e["revoke_reason"] == "chargeback"),
        "{list:?}"
    );

    // Eduzz: paid, expired after payment (order stays paid, access goes),
    // paid again (access back), cancelled (access goes).
    ok(app.post_eduzz_json(&eduzz_invoice("3")).await).await;
    ok(app.post_eduzz_json(&eduzz_invoice("10")).await).await;
    let order = app.get_order(EDUZZ_ORDER).await;
    assert_eq!(order["status"], "paid", "a late expiry never undoes paid");
    let list = app.entitlements("product_id=1").await;
    assert_eq!(statuses(&list), ["revoked", "revoked"]);
    assert!(list.iter().all(|e| e["revoke_reason"] == "expired"));
    let mut repaid = eduzz_invoice("3");
    repaid["trans_paiddate"] = json!("20190910");
    ok(app.post_eduzz_form(&repaid).await).await;
    let list = app.entitlements("product_id=1").await;
    assert_eq!(statuses(&list), ["active", "active"]);
    assert!(list.iter().all(|e| e["revoke_reason"].is_null()));
    ok(app.post_eduzz_json(&eduzz_invoice("4")).await).await;
    let list = app.entitlements("product_id=1").await;
    assert!(
        list.iter().all(|e| e["revoke_reason"] == "cancelled"),
        "{list:?}"
    );
    let events = timeline_events(&app.get_order(EDUZZ_ORDER).await);
    assert_eq!(
        events
            .iter()
            .filter(|e| e.starts_with("access."))
            .map(String::as_str)
            .collect::<Vec<_>>(),
        [
            "access.granted",
            "access.granted",
            "access.revoked",
            "access.revoked",
            "access.granted",
            "access.granted",
            "access.revoked",
            "access.revoked"
        ]
    );

    // A cancellation of a sale never paid revokes nothing (there is nothing).
    let mut other = eduzz_invoice("1");
    other["trans_cod"] = json!("77");
    ok(app.post_eduzz_json(&other).await).await;
    other["trans_status"] = json!("4");
    ok(app.post_eduzz_json(&other).await).await;
    assert_eq!(app.get_order("eduzz:77").await["status"], "cancelled");
    assert_eq!(app.entitlements("product_id=1").await.len(), 2);
}

#[tokio::test]
async fn registration_tests_answer_200_and_change_nothing() {
    let app = spawn().await;
    let before = app.snapshot().await;
    for file in [
        "eduzz/legacy-examples/invoice-registration-test.json",
        "eduzz/legacy-examples/abandonment-registration-test.json",
    ] {
        let v = fixture(file);
        let res = ok(app.post_eduzz_json(&v).await).await;
        assert_eq!(res["outcomes"], json!(["recorded"]), "{file}");
        // The same body as a form is the same fact.
        let res = ok(app.post_eduzz_form(&v).await).await;
        assert_eq!(res["outcomes"], json!(["duplicate"]), "{file} as form");
    }
    let after = app.snapshot().await;
    assert_eq!(
        app.api_json("/api/v1/orders").await["data"],
        json!([]),
        "no order"
    );
    assert_eq!(
        app.api_json("/api/v1/abandoned-carts").await["data"],
        json!([]),
        "no cart"
    );
    assert_ne!(before, after, "the tests are in the inbox");
    assert_eq!(
        app.state.store.inbox_raw_bodies_kept().await.unwrap(),
        0,
        "registration tests come unauthenticated: their bodies are not kept"
    );
    // A real abandonment without origin is refused.
    let mut real = fixture("eduzz/legacy-examples/abandonment-registration-test.json");
    real["customer[email]"] = json!("ana@example.com");
    assert_eq!(app.post_eduzz_json(&real).await.status(), 401);
}

#[tokio::test]
async fn registration_tests_are_rate_limited() {
    let app = spawn().await;
    let v = fixture("eduzz/legacy-examples/invoice-registration-test.json");
    let burst = paybridge::http::webhooks::TEST_EVENTS_BURST;
    for _ in 0..burst {
        ok(app.post_eduzz_json(&v).await).await;
    }
    let res = app.post_eduzz_json(&v).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Real webhooks with a valid origin are not held back.
    ok(app.post_eduzz_json(&eduzz_invoice("3")).await).await;
    assert_eq!(app.get_order(EDUZZ_ORDER).await["status"], "paid");
}

#[tokio::test]
async fn abandonments_become_carts_not_orders() {
    let app = spawn().await;
    let mut v = fixture("eduzz/legacy-examples/abandonment-registration-test.json");
    v["origin"] = json!(EDUZZ_ORIGIN);
    let res = ok(app
        .post_eduzz_raw(
            "application/x-www-form-urlencoded",
            as_form(&v).into_bytes(),
        )
        .await)
    .await;
    assert_eq!(res["outcomes"], json!(["recorded"]));
    assert_eq!(app.api_json("/api/v1/orders").await["data"], json!([]));
    let carts = app
        .api_json("/api/v1/abandoned-carts?from=2023-01-01T00:00:00Z&to=2023-02-01T00:00:00Z")
        .await["data"]
        .clone();
    assert_eq!(carts.as_array().unwrap().len(), 1);
    let c = &carts[0];
    assert_eq!(c["provider"], "eduzz");
    assert_eq!(c["cart_id"], "36ec1293-17f8-404a-bbda-b58eaeb21aab");
    assert_eq!(c["customer_email"], "emaildocliente@provedor.com");
    assert_eq!(c["customer_name"], "Nome do Cliente");
    assert_eq!(c["customer_phone"], "+5511999999999");
    assert_eq!(c["product_id"], "1");
    assert_eq!(c["product_name"], "Nome do produto");
    assert_eq!(c["checkout_url"], "https://sun.eduzz.com/1");
    assert_eq!(c["abandoned_at"], "2023-01-05T14:17:44.921Z");
    let outside = app
        .api_json("/api/v1/abandoned-carts?from=2023-02-01T00:00:00Z")
        .await;
    assert_eq!(outside["data"], json!([]));
    // Reported again later: still one cart, at the later time.
    v["cartAccessedAt"] = json!("2023-01-06T09:00:00.000Z");
    ok(app.post_eduzz_json(&v).await).await;
    let carts = app.api_json("/api/v1/abandoned-carts").await["data"].clone();
    assert_eq!(carts.as_array().unwrap().len(), 1);
    assert_eq!(carts[0]["abandoned_at"], "2023-01-06T09:00:00Z");
    let outbox = app.outbox_rows().await;
    assert_eq!(
        outbox,
        [
            (None, "cart.abandoned".to_owned()),
            (None, "cart.abandoned".to_owned())
        ]
    );
    // Bad filters are named.
    let res = app.api_get("/api/v1/abandoned-carts?from=yesterday").await;
    assert_eq!(res.status(), 422);
    let res = app
        .api_get("/api/v1/abandoned-carts?from=2023-02-01T00:00:00Z&to=2023-01-01T00:00:00Z")
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn platform_orders_are_not_charged_cancelled_or_refunded_here() {
    let app = spawn().await;
    ok(app
        .post_wiapy(&wiapy("unpaid", "2025-04-25T16:00:00.000Z"))
        .await)
    .await;
    let pending = app.get_order(WIAPY_ORDER).await;
    let id = pending["id"].as_str().unwrap();
    for (action, body) in [
        ("charge", json!({})),
        ("cancel", json!({})),
        ("refund", json!({ "amount": 100 })),
    ] {
        let res = app.order_action(id, action, &body).await;
        assert_eq!(res.status(), 409, "{action}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "platform_order", "{action}");
    }
    let after = app.get_order(WIAPY_ORDER).await;
    assert_eq!(after["status"], "pending");
    assert_eq!(after["pix"], Value::Null, "no Pix charge for a Wiapy sale");
    assert_eq!(after["timeline"], pending["timeline"]);
}

#[tokio::test]
async fn entitlement_queries_filter_and_validate() {
    let app = spawn().await;
    ok(app
        .post_wiapy(&wiapy("paid", "2025-04-25T16:13:17.284Z"))
        .await)
    .await;
    ok(app.post_hub(hub("invoice_paid.json", "evt-1")).await).await;
    assert_eq!(app.entitlements("").await.len(), 6);
    assert_eq!(
        app.entitlements("product_id=67ddba018866dea35e314915")
            .await
            .len(),
        3,
        "Wiapy repeats a product id for three products"
    );
    assert_eq!(app.entitlements("product_id=P567").await.len(), 1);
    assert_eq!(app.entitlements("status=revoked").await.len(), 0);
    let by_path = app
        .api_json("/api/v1/customers/thay@EXAMPLE.com/entitlements")
        .await;
    assert_eq!(
        by_path["data"].as_array().unwrap().len(),
        4,
        "domain case folds"
    );
    let page = app.api_json("/api/v1/entitlements?limit=4").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 4);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .api_json(&format!("/api/v1/entitlements?limit=4&cursor={cursor}"))
        .await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 2);
    assert_eq!(rest["next_cursor"], Value::Null);
    for bad in [
        "/api/v1/entitlements?email=nope",
        "/api/v1/entitlements?status=maybe",
        "/api/v1/entitlements?limit=0",
        "/api/v1/customers/not-an-email/entitlements",
    ] {
        let res = app.api_get(bad).await;
        assert_eq!(res.status(), 422, "{bad}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "validation_failed", "{bad}");
    }
    let res = app
        .http
        .get(format!("{}/api/v1/entitlements", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "the API key is required");
}
