//! End-to-end behaviour over real HTTP: auth, errors, charges, payment,
//! expiry, refunds, webhooks with retries, persistence.

mod common;

use base64::Engine;
use common::{spawn, spawn_with, Receiver, APP_ID};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde_json::{json, Value};
use sha2::Sha256;

fn assert_error_body(body: &Value) {
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "not a Woovi error body: {body}"
    );
}

#[tokio::test]
async fn requests_without_a_valid_app_id_get_401() {
    let sb = spawn().await;
    for auth in [None, Some("wrong"), Some(&*format!("Bearer {APP_ID}"))] {
        let mut req = sb.http.get(sb.url("/api/v1/charge"));
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401, "auth {auth:?}");
        assert_error_body(&r.json().await.unwrap());
    }
    // The testing endpoint needs it too.
    let r = sb
        .http
        .post(sb.url("/openpix/testing?transactionID=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // An added AppID works from then on.
    sb.sandbox.add_app_id("late-app");
    let r = sb
        .http
        .get(sb.url("/api/v1/charge"))
        .header("Authorization", "late-app")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn bad_input_gets_400_with_error_body() {
    let sb = spawn().await;
    let cases = [
        json!({"value": 100}),
        json!({"correlationID": "neg", "value": -1}),
        json!({"correlationID": "float", "value": 1.5}),
        json!({"correlationID": "str", "value": "abc"}),
        json!([{"correlationID": "arr", "value": 1}]),
        json!("text"),
    ];
    for body in cases {
        let (status, answer) = sb.post("/api/v1/charge", body.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert_error_body(&answer);
    }
    let r = sb
        .req(reqwest::Method::POST, "/api/v1/charge")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_error_body(&r.json().await.unwrap());
    let (status, body) = sb.get("/api/v1/charge/does-not-exist").await;
    assert_eq!(status, 400);
    assert_error_body(&body);
}

#[tokio::test]
async fn charge_create_get_list_delete_and_duplicates() {
    let sb = spawn().await;
    let cid = "order/42 ção#1";
    let charge = sb.charge(cid, 5000).await;
    for field in [
        "globalID",
        "transactionID",
        "identifier",
        "paymentLinkID",
        "paymentLinkUrl",
        "expiresDate",
        "brCode",
    ] {
        assert!(
            charge[field].as_str().is_some_and(|s| !s.is_empty()),
            "missing {field}: {charge}"
        );
    }
    assert_eq!(charge["status"], "ACTIVE");
    assert_eq!(charge["value"], 5000);
    let host = sb.base.trim_start_matches("http://");
    let br = charge["brCode"].as_str().unwrap();
    assert!(br.starts_with("000201010212"), "{br}");
    assert!(
        br.contains(host),
        "BR code should point at the sandbox: {br}"
    );
    assert!(charge["paymentLinkUrl"]
        .as_str()
        .unwrap()
        .starts_with(&sb.base));

    // Duplicate correlationID: 400, unless return_existing=true.
    let (status, body) = sb
        .post("/api/v1/charge", json!({"correlationID": cid, "value": 1}))
        .await;
    assert_eq!(status, 400);
    assert_error_body(&body);
    let (status, body) = sb
        .post(
            "/api/v1/charge?return_existing=true",
            json!({"correlationID": cid, "value": 1}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["charge"]["globalID"], charge["globalID"]);
    assert_eq!(body["charge"]["value"], 5000);

    // Get by correlationID (URL-encoded) and by globalID.
    let encoded = urlencoding::encode(cid);
    let (status, by_cid) = sb.get(&format!("/api/v1/charge/{encoded}")).await;
    assert_eq!(status, 200, "{by_cid}");
    assert_eq!(by_cid["charge"]["globalID"], charge["globalID"]);
    let global = urlencoding::encode(charge["globalID"].as_str().unwrap()).into_owned();
    let (status, by_id) = sb.get(&format!("/api/v1/charge/{global}")).await;
    assert_eq!(status, 200);
    assert_eq!(by_id["charge"]["correlationID"], cid);

    sb.charge("second", 100).await;
    let (status, list) = sb.get("/api/v1/charge?status=ACTIVE").await;
    assert_eq!(status, 200);
    assert_eq!(list["charges"].as_array().unwrap().len(), 2);
    assert_eq!(
        list["charges"][0]["correlationID"], "second",
        "newest first"
    );
    let (_, list) = sb.get("/api/v1/charge?status=COMPLETED").await;
    assert!(list["charges"].as_array().unwrap().is_empty());

    let (status, body) = sb.delete(&format!("/api/v1/charge/{encoded}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "OK");
    let (status, _) = sb.get(&format!("/api/v1/charge/{encoded}")).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn qr_image_is_a_png_of_the_requested_size() {
    let sb = spawn().await;
    let charge = sb.charge("png", 100).await;
    let link = charge["paymentLinkID"].as_str().unwrap();
    let r = sb
        .http
        .get(sb.url(&format!("/openpix/charge/brcode/image/{link}.png?size=768")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let bytes = r.bytes().await.unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()));
    let reader = decoder.read_info().unwrap();
    let (w, h) = (reader.info().width, reader.info().height);
    assert_eq!(w, h);
    assert!((600..=768).contains(&w), "width {w}");
    let r = sb
        .http
        .get(sb.url(&format!("/openpix/charge/brcode/image/{link}.png?size=10")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = sb
        .http
        .get(sb.url("/openpix/charge/brcode/image/nope.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

async fn public_key(sb: &common::TestSandbox) -> rsa::RsaPublicKey {
    let r = sb
        .http
        .get(sb.url("/api/v1/webhook/public-keys"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "public keys need no AppID");
    let body: Value = r.json().await.unwrap();
    let pem = body["public_keys"][0]["key"].as_str().unwrap();
    assert_eq!(pem, sb.sandbox.public_key_pem());
    assert_eq!(body["public_keys"][0]["is_current"], true);
    rsa::RsaPublicKey::from_public_key_pem(pem).unwrap()
}

fn verify(key: &rsa::RsaPublicKey, received: &common::Received) -> bool {
    let sig = received
        .header("x-webhook-signature")
        .expect("signature header");
    let sig = base64::engine::general_purpose::STANDARD
        .decode(sig)
        .unwrap();
    let sig = Signature::try_from(sig.as_slice()).unwrap();
    VerifyingKey::<Sha256>::new(key.clone())
        .verify(&received.body, &sig)
        .is_ok()
}

#[tokio::test]
async fn paying_completes_the_charge_and_fires_signed_webhooks() {
    let sb = spawn().await;
    let key = public_key(&sb).await;
    let rx = Receiver::start().await;
    for event in [
        "OPENPIX:CHARGE_COMPLETED",
        "OPENPIX:TRANSACTION_RECEIVED",
        "OPENPIX:CHARGE_CREATED",
    ] {
        let (status, body) = sb.register(event, &rx.url, Some("secret-token")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["webhook"]["event"], event);
    }
    let probes = rx.events("teste_webhook");
    assert_eq!(probes.len(), 3, "one signed test webhook per registration");
    assert!(probes.iter().all(|p| verify(&key, p)));
    assert!(probes[0].json()["data_criacao"].is_string());

    let charge = sb.charge("pay-me", 2500).await;
    rx.wait_for("OPENPIX:CHARGE_CREATED", 1).await;
    let paid = sb.pay(charge["transactionID"].as_str().unwrap()).await;
    assert_eq!(paid["charge"]["status"], "COMPLETED");

    let completed = rx.wait_for("OPENPIX:CHARGE_COMPLETED", 1).await;
    let received = rx.wait_for("OPENPIX:TRANSACTION_RECEIVED", 1).await;
    for delivery in completed.iter().chain(&received) {
        assert!(
            verify(&key, delivery),
            "signature must verify over the exact bytes"
        );
        assert_eq!(
            delivery.header("x-openpix-authorization").as_deref(),
            Some("secret-token")
        );
        assert_eq!(
            delivery.header("authorization").as_deref(),
            Some("secret-token")
        );
        let v = delivery.json();
        assert_eq!(v["charge"]["correlationID"], "pay-me");
        assert_eq!(v["charge"]["status"], "COMPLETED");
        assert!(v["charge"]["paidAt"].is_string());
        let e2e = v["pix"]["endToEndId"].as_str().unwrap();
        assert_eq!(e2e.len(), 32);
        assert!(e2e.starts_with('E'));
        assert_eq!(v["pix"]["value"], 2500);
        assert!(v["pix"]["payer"]["name"].is_string());
        assert_eq!(v["pix"]["transactionID"], charge["transactionID"]);
    }
    // A tampered body does not verify.
    let mut tampered = completed[0].clone();
    let mut flipped = tampered.body.to_vec();
    flipped[10] ^= 1;
    tampered.body = bytes::Bytes::from(flipped);
    assert!(!verify(&key, &tampered));

    let (_, got) = sb.get("/api/v1/charge/pay-me").await;
    assert_eq!(got["charge"]["status"], "COMPLETED");
    // Paying twice is refused; so is paying by an unknown ID.
    let r = sb
        .req(
            reqwest::Method::POST,
            "/openpix/testing?correlationID=pay-me",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = sb
        .req(reqwest::Method::POST, "/openpix/testing?transactionID=nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn advancing_the_clock_expires_charges() {
    let sb = spawn().await;
    let rx = Receiver::start().await;
    sb.register("OPENPIX:CHARGE_EXPIRED", &rx.url, None).await;
    let (status, body) = sb
        .post(
            "/api/v1/charge",
            json!({"correlationID": "short", "value": 10, "expiresIn": 900}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["charge"]["expiresIn"], 900);
    sb.charge("long", 10).await;

    let r = sb
        .http
        .post(sb.url("/sandbox/clock/advance?seconds=901"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, short) = sb.get("/api/v1/charge/short").await;
    assert_eq!(short["charge"]["status"], "EXPIRED");
    let (_, long) = sb.get("/api/v1/charge/long").await;
    assert_eq!(long["charge"]["status"], "ACTIVE");
    let expired = rx.wait_for("OPENPIX:CHARGE_EXPIRED", 1).await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].json()["charge"]["correlationID"], "short");
    assert_eq!(expired[0].json()["charge"]["status"], "EXPIRED");

    let r = sb
        .req(
            reqwest::Method::POST,
            "/openpix/testing?correlationID=short",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "an expired charge cannot be paid");
}

#[tokio::test]
async fn refunds_sum_up_confirm_and_fire_webhooks() {
    let sb = spawn().await;
    let rx = Receiver::start().await;
    sb.register("OPENPIX:TRANSACTION_REFUND_RECEIVED", &rx.url, None)
        .await;
    sb.register("PIX_TRANSACTION_REFUND_SENT_CONFIRMED", &rx.url, None)
        .await;

    let unpaid = sb.charge("unpaid", 1000).await;
    let (status, _) = sb
        .post(
            &format!("/api/v1/charge/{}/refund", "unpaid"),
            json!({"correlationID": "r0"}),
        )
        .await;
    assert_eq!(status, 400, "unpaid charge cannot be refunded");
    drop(unpaid);

    let charge = sb.charge("paid", 1000).await;
    let paid = sb.pay(charge["transactionID"].as_str().unwrap()).await;
    let e2e = paid["transaction"]["endToEndId"]
        .as_str()
        .unwrap()
        .to_owned();

    let (status, body) = sb
        .post(
            "/api/v1/charge/paid/refund",
            json!({"correlationID": "r1", "value": 400, "comment": "part"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["refund"]["status"], "IN_PROCESSING");
    assert_eq!(body["refund"]["value"], 400);

    let (status, body) = sb
        .post(
            "/api/v1/refund",
            json!({"transactionEndToEndId": e2e, "correlationID": "r2", "value": 600}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["refund"]["status"], "IN_PROCESSING");

    let (status, body) = sb
        .post(
            "/api/v1/refund",
            json!({"transactionEndToEndId": e2e, "correlationID": "r3", "value": 1}),
        )
        .await;
    assert_eq!(status, 400, "refunds may not exceed the paid value");
    assert_error_body(&body);
    let (status, _) = sb
        .post(
            "/api/v1/charge/paid/refund",
            json!({"correlationID": "r1", "value": 1}),
        )
        .await;
    assert_eq!(status, 400, "duplicate refund correlationID");

    let received = rx.wait_for("OPENPIX:TRANSACTION_REFUND_RECEIVED", 2).await;
    let sent = rx
        .wait_for("PIX_TRANSACTION_REFUND_SENT_CONFIRMED", 2)
        .await;
    for d in received.iter().chain(&sent) {
        assert_eq!(d.json()["originalTransaction"]["endToEndId"], e2e.as_str());
    }
    let values: Vec<i64> = sent
        .iter()
        .map(|d| d.json()["refundTransaction"]["value"].as_i64().unwrap())
        .collect();
    assert_eq!(values.iter().sum::<i64>(), 1000);

    let (_, r1) = sb.get("/api/v1/refund/r1").await;
    assert_eq!(r1["pixTransactionRefund"]["status"], "REFUNDED");
    let (_, list) = sb.get("/api/v1/charge/paid/refund").await;
    let statuses: Vec<&str> = list["refunds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["CONFIRMED", "CONFIRMED"]);
}

#[tokio::test]
async fn webhook_is_not_saved_when_the_test_webhook_is_refused() {
    let sb = spawn().await;
    let rx = Receiver::start().await;
    rx.answer(500);
    let (status, body) = sb.register("OPENPIX:CHARGE_COMPLETED", &rx.url, None).await;
    assert_eq!(status, 400);
    assert_error_body(&body);
    assert_eq!(rx.events("teste_webhook").len(), 1, "the probe was sent");
    let (_, list) = sb.get("/api/v1/webhook").await;
    assert!(list["webhooks"].as_array().unwrap().is_empty());

    // Unreachable receiver: refused too.
    let (status, _) = sb
        .register("OPENPIX:CHARGE_COMPLETED", "http://127.0.0.1:9/hook", None)
        .await;
    assert_eq!(status, 400);
    let (status, _) = sb
        .post("/api/v1/webhook", json!({"webhook": {"url": "not a url"}}))
        .await;
    assert_eq!(status, 400);

    rx.answer(200);
    let (status, body) = sb.register("OPENPIX:CHARGE_COMPLETED", &rx.url, None).await;
    assert_eq!(status, 200);
    let id = body["webhook"]["id"].as_str().unwrap().to_owned();
    let (_, list) = sb
        .get(&format!(
            "/api/v1/webhook?url={}",
            urlencoding::encode(&rx.url)
        ))
        .await;
    assert_eq!(list["webhooks"].as_array().unwrap().len(), 1);
    let (status, _) = sb
        .delete(&format!("/api/v1/webhook/{}", urlencoding::encode(&id)))
        .await;
    assert_eq!(status, 200);
    let (_, list) = sb.get("/api/v1/webhook").await;
    assert!(list["webhooks"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn failed_deliveries_are_retried_and_listed() {
    let sb = spawn().await;
    let rx = Receiver::start().await;
    sb.register("OPENPIX:CHARGE_COMPLETED", &rx.url, None).await;
    rx.answer(503);
    let charge = sb.charge("retry", 100).await;
    sb.pay(charge["transactionID"].as_str().unwrap()).await;
    // 8 tries, 20 ms · 2ⁿ apart: about 2.5 s in all.
    let mut attempts = Vec::new();
    for _ in 0..100 {
        let body: Value = sb
            .http
            .get(sb.url("/sandbox/deliveries?event=OPENPIX:CHARGE_COMPLETED"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        attempts = body["deliveries"].as_array().unwrap().clone();
        if attempts.len() >= 8 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(attempts.len(), 8, "{attempts:?}");
    for (i, a) in attempts.iter().enumerate() {
        assert_eq!(a["attempt"], i as u64 + 1);
        assert_eq!(a["status_code"], 503);
        assert_eq!(a["url"], rx.url.as_str());
        assert!(a["time"].is_string());
        assert!(a["body"]
            .as_str()
            .unwrap()
            .contains("OPENPIX:CHARGE_COMPLETED"));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        rx.events("OPENPIX:CHARGE_COMPLETED").len(),
        8,
        "no ninth try"
    );

    // A receiver that recovers stops the retries.
    let charge = sb.charge("recover", 100).await;
    sb.pay(charge["transactionID"].as_str().unwrap()).await;
    rx.wait_for("OPENPIX:CHARGE_COMPLETED", 9).await;
    rx.answer(200);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let tries: Vec<u64> = sb
        .sandbox
        .deliveries()
        .iter()
        .filter(|d| d.body.contains("\"recover\""))
        .map(|d| u64::from(d.attempt))
        .collect();
    assert!(tries.len() >= 2 && tries.len() < 8, "{tries:?}");
    assert!(sb
        .sandbox
        .deliveries()
        .iter()
        .any(|d| d.body.contains("\"recover\"") && d.succeeded()));
}

#[tokio::test]
async fn state_survives_a_restart_with_a_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::config();
    config.data_dir = Some(dir.path().to_owned());
    let rx = Receiver::start().await;
    let (pem, global_id) = {
        let sb = spawn_with(config.clone()).await;
        let charge = sb.charge("persist-me", 4200).await;
        sb.pay(charge["transactionID"].as_str().unwrap()).await;
        let (status, _) = sb
            .post(
                "/api/v1/customer",
                json!({"name": "Dan", "taxID": "31324227036", "correlationID": "cust-1"}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = sb.register("OPENPIX:CHARGE_COMPLETED", &rx.url, None).await;
        assert_eq!(status, 200);
        (sb.sandbox.public_key_pem(), charge["globalID"].clone())
    };
    assert!(dir.path().join("webhook-signing-key.pem").exists());
    let sb = spawn_with(config).await;
    assert_eq!(sb.sandbox.public_key_pem(), pem, "the signing key is kept");
    let (status, charge) = sb.get("/api/v1/charge/persist-me").await;
    assert_eq!(status, 200);
    assert_eq!(charge["charge"]["globalID"], global_id);
    assert_eq!(charge["charge"]["status"], "COMPLETED");
    let (status, _) = sb.get("/api/v1/customer/cust-1").await;
    assert_eq!(status, 200);
    let (_, txs) = sb.get("/api/v1/transaction").await;
    assert_eq!(txs["transactions"].as_array().unwrap().len(), 1);
    let (_, hooks) = sb.get("/api/v1/webhook").await;
    assert_eq!(hooks["webhooks"].as_array().unwrap().len(), 1);
    let (status, _) = sb
        .post(
            "/api/v1/charge",
            json!({"correlationID": "persist-me", "value": 1}),
        )
        .await;
    assert_eq!(status, 400, "duplicate check sees persisted charges");
}

#[tokio::test]
async fn router_nests_under_a_prefix_like_the_service_mounts_it() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/_sandbox/woovi", listener.local_addr().unwrap());
    let mut config = common::config();
    config.public_base_url = base.clone();
    let sandbox = woovi_sandbox::Sandbox::new(config).await.unwrap();
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .nest("/_sandbox/woovi", sandbox.router());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{base}/api/v1/charge"))
        .header("Authorization", APP_ID)
        .json(&json!({"correlationID": "nested", "value": 100}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let link = body["charge"]["paymentLinkUrl"].as_str().unwrap();
    assert!(link.starts_with(&format!("{base}/pay/")), "{link}");
    let r = http.get(link).send().await.unwrap();
    assert_eq!(
        r.status(),
        200,
        "payment link page is served under the prefix"
    );
    let image = body["charge"]["qrCodeImage"].as_str().unwrap();
    assert_eq!(http.get(image).send().await.unwrap().status(), 200);
    let r = http
        .get(format!("{base}/no/such/route"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_error_body(&r.json().await.unwrap());
}
