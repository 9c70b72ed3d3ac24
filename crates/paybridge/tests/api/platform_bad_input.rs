//! Every bad input of the Wiapy and Eduzz webhooks, one test each: the right
//! status and error code, and nothing changed (orders, access, carts, inbox).

use crate::helpers::TestApp;
use crate::platform::{
    as_form, eduzz_invoice, hub, spawn, spawn_unconfigured, wiapy, Snapshot, EDUZZ_ORIGIN,
    HUB_SECRET, WIAPY_TOKEN,
};
use paybridge::providers::shared_secret::hmac_sha256_hex;
use serde_json::{json, Value};

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// Asserts the answer's status and error code.
async fn expect(res: reqwest::Response, status: u16, code: &str, what: &str) {
    assert_eq!(res.status().as_u16(), status, "{what}");
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(body["error"]["code"], code, "{what}: {body}");
}

/// A paid Wiapy sale, so that "nothing changed" has something to lose.
async fn app_with_a_sale() -> (TestApp, Snapshot) {
    let app = spawn().await;
    let res = app
        .post_wiapy(&wiapy("paid", "2025-04-25T16:13:17.284Z"))
        .await;
    assert_eq!(res.status(), 200);
    let snap = app.snapshot().await;
    (app, snap)
}

fn wiapy_bytes() -> Vec<u8> {
    serde_json::to_vec(&wiapy("refunded", "2025-04-26T10:00:00.000Z")).unwrap()
}

#[tokio::test]
async fn wrong_or_missing_tokens_are_401() {
    let (app, before) = app_with_a_sale().await;
    let body = wiapy_bytes();
    for (token, code) in [
        (None, "missing_token"),
        (Some("wrong-token"), "invalid_token"),
        (Some("Bearer wrong-token"), "invalid_token"),
        (Some(" "), "missing_token"),
    ] {
        let res = app.post_wiapy_raw(body.clone(), token).await;
        expect(res, 401, code, &format!("wiapy {token:?}")).await;
    }
    let mut wrong = eduzz_invoice("7");
    wrong["origin"] = json!("wrong-origin");
    let mut missing = eduzz_invoice("7");
    missing.as_object_mut().unwrap().remove("origin");
    for (v, code) in [(&wrong, "invalid_token"), (&missing, "missing_token")] {
        expect(app.post_eduzz_json(v).await, 401, code, "eduzz JSON").await;
        expect(app.post_eduzz_form(v).await, 401, code, "eduzz form").await;
    }
    let hub_body = hub("invoice_refunded.json", "evt-1");
    expect(
        app.post_hub_signed(hub_body.clone(), None).await,
        401,
        "missing_signature",
        "hub without x-signature",
    )
    .await;
    expect(
        app.post_hub_signed(hub_body, Some(hmac_sha256_hex("wrong-secret", b"x")))
            .await,
        401,
        "invalid_signature",
        "hub with another secret",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
    let rejected: i64 = app
        .state
        .store
        .rejected_webhook_counts()
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(rejected, 10, "every refusal is recorded");
    // The forgeries name the Wiapy sale: its admin page lists them.
    let order = app.get_order("wiapy:680bb49dcc58d1620569cb2e").await;
    let claimed = app
        .state
        .store
        .rejected_webhooks_for_order(order["id"].as_str().unwrap(), 50)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 4, "{claimed:?}");
    assert!(claimed.iter().all(|r| r.provider == "wiapy"));
}

#[tokio::test]
async fn a_provider_without_secrets_refuses_everything() {
    let app = spawn_unconfigured().await;
    let warnings = app.state.providers.warnings();
    for name in ["wiapy", "eduzz", "eduzz-hub"] {
        assert!(
            warnings.iter().any(|w| w.starts_with(&format!("{name}:"))),
            "{name} in {warnings:?}"
        );
    }
    let before = app.snapshot().await;
    let res = app.post_wiapy_raw(wiapy_bytes(), Some(WIAPY_TOKEN)).await;
    expect(res, 401, "not_configured", "wiapy").await;
    expect(
        app.post_eduzz_json(&eduzz_invoice("3")).await,
        401,
        "not_configured",
        "eduzz",
    )
    .await;
    let body = hub("invoice_paid.json", "evt-1");
    let sig = hmac_sha256_hex(HUB_SECRET, &body);
    expect(
        app.post_hub_signed(body, Some(sig)).await,
        401,
        "not_configured",
        "hub",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_signature_over_a_different_body_is_401() {
    let (app, before) = app_with_a_sale().await;
    let signed = hub("invoice_paid.json", "evt-1");
    let sent = hub("invoice_refunded.json", "evt-1");
    let res = app
        .post_hub_signed(sent, Some(hmac_sha256_hex(HUB_SECRET, &signed)))
        .await;
    expect(res, 401, "invalid_signature", "hub").await;
    assert_eq!(app.snapshot().await, before);
}

/// Sends `body` to every provider, authenticated, and expects 400 `malformed_body`.
async fn each_provider_refuses(app: &TestApp, body: &[u8], what: &str) {
    expect(
        app.post_wiapy_raw(body.to_vec(), Some(WIAPY_TOKEN)).await,
        400,
        "malformed_body",
        &format!("wiapy {what}"),
    )
    .await;
    expect(
        app.post_eduzz_raw(JSON, body.to_vec()).await,
        400,
        "malformed_body",
        &format!("eduzz {what}"),
    )
    .await;
    expect(
        app.post_hub(body.to_vec()).await,
        400,
        "malformed_body",
        &format!("hub {what}"),
    )
    .await;
}

#[tokio::test]
async fn an_empty_body_is_400() {
    let (app, before) = app_with_a_sale().await;
    each_provider_refuses(&app, b"", "empty").await;
    expect(
        app.post_eduzz_raw(FORM, Vec::new()).await,
        400,
        "malformed_body",
        "eduzz empty form",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn invalid_json_is_400() {
    let (app, before) = app_with_a_sale().await;
    each_provider_refuses(&app, b"{\"payment\": {\"id\": ", "invalid JSON").await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_json_array_is_400() {
    let (app, before) = app_with_a_sale().await;
    let array =
        serde_json::to_vec(&json!([wiapy("refunded", "2025-04-26T10:00:00.000Z")])).unwrap();
    each_provider_refuses(&app, &array, "array").await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_form_body_with_broken_brackets_is_400() {
    let (app, before) = app_with_a_sale().await;
    let good = as_form(&eduzz_invoice("7"));
    for broken in [
        format!("{good}&trans_items[0[item_id]=2"),
        format!("{good}&product[id=2"),
        format!("{good}&trans_items]0[=2"),
        format!("{good}&trans_cod[x]=2"),
    ] {
        let res = app.post_eduzz_raw(FORM, broken.clone().into_bytes()).await;
        expect(res, 400, "malformed_body", &broken).await;
    }
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn an_unknown_status_is_kept_as_unknown_and_changes_nothing() {
    let (app, before) = app_with_a_sale().await;
    let order_before = app.get_order("wiapy:680bb49dcc58d1620569cb2e").await;
    let res = app
        .post_wiapy(&wiapy("em_analise", "2025-04-27T00:00:00.000Z"))
        .await;
    assert_eq!(res.status(), 200);
    let mut unknown = eduzz_invoice("2");
    unknown["trans_cod"] = json!("555");
    assert_eq!(app.post_eduzz_json(&unknown).await.status(), 200);
    let mut teleported: Value = serde_json::from_slice(&hub("invoice_paid.json", "evt-9")).unwrap();
    teleported["event"] = json!("myeduzz.invoice_teleported");
    assert_eq!(
        app.post_hub(serde_json::to_vec(&teleported).unwrap())
            .await
            .status(),
        200
    );
    let after = app.snapshot().await;
    assert_eq!(after.without_inbox(), before.without_inbox());
    let order = app.get_order("wiapy:680bb49dcc58d1620569cb2e").await;
    assert_eq!(order["status"], order_before["status"]);
    let last = order["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["event"], "unknown");
    assert!(
        last["note"].as_str().unwrap().contains("[em_analise]"),
        "raw value kept: {last}"
    );
    let inbox = app
        .state
        .store
        .inbox_for_order(order["id"].as_str().unwrap())
        .await
        .unwrap();
    assert!(inbox
        .iter()
        .any(|e| e.event_type == "payment.em_analise" && e.outcome == "applied"));
}

#[tokio::test]
async fn an_amount_that_is_not_a_number_is_400() {
    let (app, before) = app_with_a_sale().await;
    for amount in [json!("17,70"), json!("abc"), json!(17.7), json!(null)] {
        let mut v = wiapy("refunded", "2025-04-26T10:00:00.000Z");
        v["payment"]["amount"] = amount.clone();
        expect(
            app.post_wiapy(&v).await,
            400,
            "malformed_body",
            &format!("wiapy {amount}"),
        )
        .await;
    }
    for amount in ["cinquenta", "50,00", "1e3", "-5", "0.001"] {
        let mut v = eduzz_invoice("7");
        v["trans_value"] = json!(amount);
        expect(app.post_eduzz_json(&v).await, 400, "malformed_body", amount).await;
        expect(app.post_eduzz_form(&v).await, 400, "malformed_body", amount).await;
    }
    let mut v: Value = serde_json::from_slice(&hub("invoice_refunded.json", "evt-1")).unwrap();
    v["data"]["price"]["value"] = json!("trezentos");
    expect(
        app.post_hub(serde_json::to_vec(&v).unwrap()).await,
        400,
        "malformed_body",
        "hub",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_two_megabyte_body_is_413() {
    let (app, before) = app_with_a_sale().await;
    let mut big = wiapy("refunded", "2025-04-26T10:00:00.000Z");
    big["padding"] = json!("x".repeat(2 * 1024 * 1024));
    let body = serde_json::to_vec(&big).unwrap();
    let res = app.post_wiapy_raw(body.clone(), Some(WIAPY_TOKEN)).await;
    expect(res, 413, "body_too_large", "wiapy").await;
    expect(
        app.post_eduzz_raw(JSON, body.clone()).await,
        413,
        "body_too_large",
        "eduzz",
    )
    .await;
    let form = format!(
        "origin={EDUZZ_ORIGIN}&trans_cod=1&trans_status=7&pad={}",
        "x".repeat(2 * 1024 * 1024)
    );
    expect(
        app.post_eduzz_raw(FORM, form.into_bytes()).await,
        413,
        "body_too_large",
        "eduzz form",
    )
    .await;
    expect(app.post_hub(body).await, 413, "body_too_large", "hub").await;
    assert_eq!(app.snapshot().await, before);
    // Each refusal is on record, without a hash: the body was never read whole.
    let rejected = app.state.store.recent_rejected_webhooks(10).await.unwrap();
    let mut seen: Vec<(&str, &str)> = rejected
        .iter()
        .map(|r| (r.provider.as_str(), r.reason.as_str()))
        .collect();
    seen.sort_unstable();
    assert_eq!(
        seen,
        [
            ("eduzz", "body_too_large"),
            ("eduzz", "body_too_large"),
            ("eduzz-hub", "body_too_large"),
            ("wiapy", "body_too_large")
        ]
    );
    assert!(rejected.iter().all(|r| r.body_sha256.is_none()));
}

#[tokio::test]
async fn non_utf8_bytes_are_400() {
    let (app, before) = app_with_a_sale().await;
    let json_body = b"{\"payment\": {\"id\": \"\xff\xfe\", \"status\": \"refunded\"}}";
    each_provider_refuses(&app, json_body, "non-UTF-8 JSON").await;
    let form = format!("origin={EDUZZ_ORIGIN}&trans_cod=1&trans_status=7&cus_name=");
    let mut raw = form.clone().into_bytes();
    raw.extend_from_slice(b"\xff\xfe");
    expect(
        app.post_eduzz_raw(FORM, raw).await,
        400,
        "malformed_body",
        "raw bytes in a form",
    )
    .await;
    expect(
        app.post_eduzz_raw(FORM, format!("{form}%FF%FE").into_bytes())
            .await,
        400,
        "malformed_body",
        "percent-encoded bytes in a form",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn other_content_types_are_415() {
    let (app, before) = app_with_a_sale().await;
    let res = app
        .http
        .post(format!("{}/webhooks/wiapy", app.base))
        .header("content-type", FORM)
        .header("authorization", WIAPY_TOKEN)
        .body(as_form(&wiapy("refunded", "2025-04-26T10:00:00.000Z")))
        .send()
        .await
        .unwrap();
    expect(res, 415, "unsupported_media_type", "wiapy form").await;
    expect(
        app.post_eduzz_raw("text/plain", b"origin=x".to_vec()).await,
        415,
        "unsupported_media_type",
        "eduzz text",
    )
    .await;
    assert_eq!(app.snapshot().await, before);
}
