//! Every operation over real HTTP against wiremock: paths, auth header,
//! bodies, error shapes, retries and paging.

use futures::StreamExt;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use woovi::models::*;
use woovi::{Client, Environment, Error, ListParams};

const APP_ID: &str = "Q2xpZW50X0lkX3Rlc3Q6c2VjcmV0";

fn client(server: &MockServer) -> Client {
    Client::builder(APP_ID)
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .max_retries(2)
        .build()
        .unwrap()
}

async fn ok(server: &MockServer, m: &str, p: &str, body: serde_json::Value) {
    Mock::given(method(m))
        .and(path(p))
        .and(header("authorization", APP_ID))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

#[test]
fn base_urls_and_redaction() {
    assert_eq!(Client::new("x").base_url(), "https://api.woovi.com");
    let sandbox = Client::builder("x")
        .environment(Environment::Sandbox)
        .build()
        .unwrap();
    assert_eq!(sandbox.base_url(), "https://api.woovi-sandbox.com");
    let c = Client::builder("super-secret-app-id")
        .base_url("http://127.0.0.1:1/_sandbox/woovi/")
        .build()
        .unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:1/_sandbox/woovi");
    assert!(!format!("{c:?}").contains("super-secret-app-id"));
    assert_eq!(format!("{:?}", woovi::AppId::new("abc")), "[redacted]");
    assert!(matches!(
        Client::builder("x").base_url("not a url").build(),
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn path_prefix_is_kept_and_auth_has_no_bearer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_sandbox/woovi/api/v1/charge/abc"))
        .and(header("authorization", APP_ID))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"charge": {"value": 1}})))
        .expect(1)
        .mount(&server)
        .await;
    let c = Client::builder(APP_ID)
        .base_url(format!("{}/_sandbox/woovi", server.uri()))
        .build()
        .unwrap();
    assert_eq!(c.charges().get("abc").await.unwrap().value, Some(1));
}

#[tokio::test]
async fn charges_every_operation() {
    let server = MockServer::start().await;
    let c = client(&server);
    let mut req = ChargeRequest::new("order-1", 1990);
    req.comment = Some("Pedido 1".into());
    req.expires_in = Some(3600);
    req.customer = Some(CustomerInput {
        name: "Ana".into(),
        email: Some("ana@example.com".into()),
        phone: Some("5511999999999".into()),
        tax_id: Some("12345678909".into()),
        ..Default::default()
    });
    req.additional_info = vec![AdditionalInfo::new("Idade", "34")];
    Mock::given(method("POST"))
        .and(path("/api/v1/charge"))
        .and(query_param("return_existing", "true"))
        .and(header("authorization", APP_ID))
        .and(body_json(json!({
            "correlationID": "order-1", "value": 1990, "comment": "Pedido 1", "expiresIn": 3600,
            "customer": {"name": "Ana", "email": "ana@example.com", "phone": "5511999999999", "taxID": "12345678909"},
            "additionalInfo": [{"key": "Idade", "value": "34"}]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "charge": {"correlationID": "order-1", "value": 1990, "status": "ACTIVE", "brCode": "000201"},
            "brCode": "000201", "correlationID": "order-1"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let created = c.charges().create(&req, true).await.unwrap();
    assert_eq!(created.charge.unwrap().status, Some(ChargeStatus::Active));
    assert_eq!(created.br_code.as_deref(), Some("000201"));

    // Correlation IDs with reserved characters are percent-encoded.
    ok(
        &server,
        "GET",
        "/api/v1/charge/a%2Fb%23c%20d",
        json!({"charge": {"correlationID": "a/b#c d"}}),
    )
    .await;
    assert_eq!(
        c.charges()
            .get("a/b#c d")
            .await
            .unwrap()
            .correlation_id
            .as_deref(),
        Some("a/b#c d")
    );

    Mock::given(method("GET"))
        .and(path("/api/v1/charge"))
        .and(query_param("status", "ACTIVE"))
        .and(query_param("start", "2020-01-01T00:00:00Z"))
        .and(query_param("end", "2020-12-01T17:00:00Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "pageInfo": {"skip": 0, "limit": 10, "totalCount": 1, "hasPreviousPage": false, "hasNextPage": false},
            "charges": [{"value": 5}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let page = c
        .charges()
        .list(&ChargeListParams {
            status: Some(ChargeStatus::Active),
            start: Some("2020-01-01T00:00:00Z".into()),
            end: Some("2020-12-01T17:00:00Z".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.page_info.total_count, Some(1));

    ok(
        &server,
        "DELETE",
        "/api/v1/charge/order-1",
        json!({"status": "OK", "id": "order-1"}),
    )
    .await;
    assert_eq!(
        c.charges()
            .delete("order-1")
            .await
            .unwrap()
            .status
            .as_deref(),
        Some("OK")
    );

    Mock::given(method("GET"))
        .and(path("/openpix/charge/brcode/image/link-1.png"))
        .and(query_param("size", "768"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"\x89PNG\r\n\x1a\n".to_vec(), "image/png"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let png = c.charges().qr_code_png("link-1", Some(768)).await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert!(matches!(
        c.charges().qr_code_png("link-1", Some(599)).await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        c.charges().qr_code_png("link-1", Some(4097)).await,
        Err(Error::InvalidInput(_))
    ));

    Mock::given(method("POST"))
        .and(path("/api/v1/charge/order-1/refund"))
        .and(body_json(json!({"correlationID": "rf-1", "value": 500})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "refund": {"status": "IN_PROCESSING", "value": 500, "correlationID": "rf-1", "endToEndId": "D123"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let refund = c
        .charges()
        .refund(
            "order-1",
            &ChargeRefundRequest {
                correlation_id: "rf-1".into(),
                value: Some(500),
                comment: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(refund.status, Some(ChargeRefundStatus::InProcessing));
    assert_eq!(refund.end_to_end_id.as_deref(), Some("D123"));
}

#[tokio::test]
async fn other_resources_every_operation() {
    let server = MockServer::start().await;
    let c = client(&server);

    ok(
        &server,
        "GET",
        "/api/v1/account/acc-1",
        json!({"account": {"accountId": "acc-1", "balance": {"available": "100"}}}),
    )
    .await;
    assert_eq!(
        c.accounts()
            .get("acc-1")
            .await
            .unwrap()
            .balance
            .unwrap()
            .available,
        Some(100)
    );
    ok(
        &server,
        "GET",
        "/api/v1/account/",
        json!({"accounts": [{"accountId": "a"}, {"accountId": "b"}], "pageInfo": {}}),
    )
    .await;
    assert_eq!(
        c.accounts()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    Mock::given(method("POST"))
        .and(path("/api/v1/account/acc-1/withdraw"))
        .and(body_json(json!({"value": 7000})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "withdraw": {"account": {"accountId": "acc-1"}, "transaction": {"endToEndId": "E1", "value": 7000}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let w = c.accounts().withdraw("acc-1", 7000).await.unwrap();
    assert_eq!(w.transaction.unwrap().end_to_end_id.as_deref(), Some("E1"));

    ok(
        &server,
        "GET",
        "/api/v1/cashback-fidelity/balance/60151449000182",
        json!({"balance": 0, "status": "NO_CASHBACK"}),
    )
    .await;
    assert_eq!(
        c.cashback()
            .balance("60151449000182")
            .await
            .unwrap()
            .balance,
        Some(0)
    );
    ok(
        &server,
        "POST",
        "/api/v1/cashback-fidelity",
        json!({"cashback": {"value": 100}, "message": "created"}),
    )
    .await;
    let cb = c
        .cashback()
        .get_or_create(&CashbackRequest {
            tax_id: "111".into(),
            value: 100,
        })
        .await
        .unwrap();
    assert_eq!(cb.cashback.unwrap().value, Some(100));

    ok(
        &server,
        "POST",
        "/api/v1/customer",
        json!({"customer": {"name": "Dan", "taxID": {"taxID": "31324227036", "type": "BR:CPF"}}}),
    )
    .await;
    let cust = c
        .customers()
        .create(&CustomerInput {
            name: "Dan".into(),
            tax_id: Some("31324227036".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cust.tax_id.unwrap().kind, Some(TaxIdType::Cpf));
    ok(
        &server,
        "GET",
        "/api/v1/customer/c-1",
        json!({"customer": {"name": "Dan"}}),
    )
    .await;
    assert_eq!(
        c.customers().get("c-1").await.unwrap().name.as_deref(),
        Some("Dan")
    );
    ok(
        &server,
        "GET",
        "/api/v1/customer",
        json!({"customers": [{"name": "Dan"}], "pageInfo": {"hasNextPage": false}}),
    )
    .await;
    assert_eq!(
        c.customers()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    ok(
        &server,
        "POST",
        "/api/v1/partner/application",
        json!({"application": {"name": "App", "clientId": "cid"}}),
    )
    .await;
    let app = c
        .partner()
        .create_application(&PartnerApplicationRequest {
            application: ApplicationInput {
                name: "App".into(),
                kind: "API".into(),
                scopes: vec![],
            },
            tax_id: TaxIdInput {
                tax_id: "65914571000187".into(),
                kind: "BR:CNPJ".into(),
            },
        })
        .await
        .unwrap();
    assert_eq!(app.client_id.as_deref(), Some("cid"));
    ok(
        &server,
        "GET",
        "/api/v1/partner/company/60151449000182",
        json!({"preRegistration": {"preRegistration": {"name": "Ex"}}}),
    )
    .await;
    let pre = c
        .partner()
        .get_pre_registration("60151449000182")
        .await
        .unwrap();
    assert_eq!(pre.pre_registration.unwrap().name.as_deref(), Some("Ex"));
    ok(
        &server,
        "GET",
        "/api/v1/partner/company",
        json!({"preRegistrations": [{"user": {"firstName": "J"}}], "pageInfo": {}}),
    )
    .await;
    assert_eq!(
        c.partner()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    ok(
        &server,
        "POST",
        "/api/v1/partner/company",
        json!({"preRegistration": {"name": "Ex"}, "user": {"firstName": "J"}}),
    )
    .await;
    let created = c
        .partner()
        .create_pre_registration(&PreRegistration::default())
        .await
        .unwrap();
    assert_eq!(created.user.unwrap().first_name.as_deref(), Some("J"));

    ok(
        &server,
        "POST",
        "/api/v1/payment",
        json!({"payment": {"value": 100, "status": "CREATED"}}),
    )
    .await;
    let p = c
        .payments()
        .create(&PaymentRequest {
            value: Some(100),
            correlation_id: "p1".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(p.payment.unwrap().status, Some(PaymentStatus::Created));
    ok(
        &server,
        "GET",
        "/api/v1/payment/p1",
        json!({"payment": {"correlationID": "p1"}, "transaction": {"endToEndId": "E9"}}),
    )
    .await;
    assert_eq!(
        c.payments()
            .get("p1")
            .await
            .unwrap()
            .transaction
            .unwrap()
            .end_to_end_id
            .as_deref(),
        Some("E9")
    );
    ok(
        &server,
        "GET",
        "/api/v1/payment",
        json!({"payments": [{"payment": {"value": 1}}], "pageInfo": {}}),
    )
    .await;
    assert_eq!(
        c.payments()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    ok(
        &server,
        "POST",
        "/api/v1/qrcode-static",
        json!({"pixQrCode": {"name": "q", "value": "100"}, "brCode": "0002"}),
    )
    .await;
    let q = c
        .pix_qr_codes()
        .create(&PixQrCodeRequest {
            name: "q".into(),
            value: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(q.pix_qr_code.unwrap().value, Some(100));
    ok(
        &server,
        "GET",
        "/api/v1/qrcode-static/q1",
        json!({"pixQrCode": {"identifier": "q1"}}),
    )
    .await;
    assert_eq!(
        c.pix_qr_codes()
            .get("q1")
            .await
            .unwrap()
            .identifier
            .as_deref(),
        Some("q1")
    );
    ok(
        &server,
        "GET",
        "/api/v1/qrcode-static",
        json!({"pixQrCodes": [{"name": "a"}], "pageInfo": {}}),
    )
    .await;
    assert_eq!(
        c.pix_qr_codes()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    ok(
        &server,
        "POST",
        "/api/v1/refund",
        json!({"refund": {"status": "IN_PROCESSING", "refundId": "r1"}}),
    )
    .await;
    let r = c
        .refunds()
        .create(&RefundRequest {
            transaction_end_to_end_id: "E1".into(),
            correlation_id: "r1".into(),
            value: Some(1),
            comment: None,
        })
        .await
        .unwrap();
    assert_eq!(r.refund_id.as_deref(), Some("r1"));
    ok(
        &server,
        "GET",
        "/api/v1/refund/r1",
        json!({"pixTransactionRefund": {"refundId": "r1", "value": 100}}),
    )
    .await;
    assert_eq!(c.refunds().get("r1").await.unwrap().value, Some(100));
    ok(
        &server,
        "GET",
        "/api/v1/refund",
        json!({"refunds": [{"refundId": "r1"}], "pageInfo": {}}),
    )
    .await;
    assert_eq!(
        c.refunds()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    ok(
        &server,
        "POST",
        "/api/v1/subscriptions",
        json!({"subscription": {"globalID": "g1", "value": 100}}),
    )
    .await;
    let s = c
        .subscriptions()
        .create(&SubscriptionRequest {
            customer: CustomerInput {
                name: "Dan".into(),
                tax_id: Some("1".into()),
                ..Default::default()
            },
            value: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(s.global_id.as_deref(), Some("g1"));
    ok(
        &server,
        "GET",
        "/api/v1/subscriptions/g1",
        json!({"subscription": {"globalID": "g1"}}),
    )
    .await;
    assert_eq!(
        c.subscriptions()
            .get("g1")
            .await
            .unwrap()
            .global_id
            .as_deref(),
        Some("g1")
    );

    ok(
        &server,
        "GET",
        "/api/v1/transaction/E1",
        json!({"transaction": {"endToEndId": "E1", "value": 10}}),
    )
    .await;
    assert_eq!(c.transactions().get("E1").await.unwrap().value, Some(10));
    Mock::given(method("GET"))
        .and(path("/api/v1/transaction"))
        .and(query_param("charge", "ch"))
        .and(query_param("pixQrCode", "qr"))
        .and(query_param("withdrawal", "wd"))
        .and(query_param("start", "s"))
        .and(query_param("end", "e"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"transactions": [{"value": 1}], "pageInfo": {}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let tx = c
        .transactions()
        .list(&TransactionListParams {
            charge: Some("ch".into()),
            pix_qr_code: Some("qr".into()),
            withdrawal: Some("wd".into()),
            start: Some("s".into()),
            end: Some("e".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(tx.items.len(), 1);

    Mock::given(method("POST"))
        .and(path("/api/v1/webhook"))
        .and(body_json(json!({"webhook": {"url": "https://x/wh", "event": "OPENPIX:CHARGE_COMPLETED", "authorization": "tok", "isActive": true}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"webhook": {"id": "w1", "isActive": true}})))
        .expect(1)
        .mount(&server)
        .await;
    let wh = c
        .webhooks()
        .create(&WebhookRequest {
            url: "https://x/wh".into(),
            event: Some(WebhookEventKind::ChargeCompleted),
            authorization: Some("tok".into()),
            is_active: Some(true),
            name: None,
        })
        .await
        .unwrap();
    assert_eq!(wh.id.as_deref(), Some("w1"));
    Mock::given(method("GET"))
        .and(path("/api/v1/webhook"))
        .and(query_param("url", "https://x/wh"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"webhooks": [{"id": "w1"}], "pageInfo": {}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let list = c
        .webhooks()
        .list(&woovi::api::WebhookListParams {
            url: Some("https://x/wh".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(list.items[0].id.as_deref(), Some("w1"));
    ok(
        &server,
        "DELETE",
        "/api/v1/webhook/w1",
        json!({"status": "OK"}),
    )
    .await;
    assert_eq!(
        c.webhooks().delete("w1").await.unwrap().status.as_deref(),
        Some("OK")
    );
}

#[tokio::test]
async fn public_keys_need_no_app_id() {
    let server = MockServer::start().await;
    let pem = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/keys/woovi-webhook-public-key.pem"
    ))
    .unwrap();
    Mock::given(method("GET"))
        .and(path("/api/v1/webhook/public-keys"))
        .respond_with(move |req: &Request| {
            assert!(req.headers.get("authorization").is_none());
            ResponseTemplate::new(200).set_body_json(
                json!({"public_keys": [{"key_identifier": "k", "key": pem, "is_current": true}]}),
            )
        })
        .expect(1)
        .mount(&server)
        .await;
    let keys = client(&server).webhooks().public_keys().await.unwrap();
    assert_eq!(keys.public_keys[0].is_current, Some(true));
}

#[tokio::test]
async fn three_error_shapes_401_and_decode_errors() {
    let server = MockServer::start().await;
    let c = client(&server);
    let cases = [
        (
            "/api/v1/charge/e1",
            json!({"error": "Charge not found"}),
            "Charge not found",
        ),
        (
            "/api/v1/charge/e2",
            json!({"error": ["a", {"message": "b"}]}),
            "a; b",
        ),
        (
            "/api/v1/charge/e3",
            json!({"error": {"message": "deep", "code": "X1"}}),
            "deep",
        ),
    ];
    for (p, body, _) in &cases {
        Mock::given(method("GET"))
            .and(path(*p))
            .respond_with(ResponseTemplate::new(400).set_body_json(body.clone()))
            .expect(1)
            .mount(&server)
            .await;
    }
    for (p, _, msg) in &cases {
        let id = p.rsplit('/').next().unwrap();
        match c.charges().get(id).await {
            Err(Error::Api {
                status: 400,
                message,
                code,
            }) => {
                assert_eq!(&message, msg);
                assert_eq!(code.is_some(), id == "e3");
            }
            other => panic!("{other:?}"),
        }
    }
    Mock::given(method("GET"))
        .and(path("/api/v1/charge/noauth"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "appID inválido"})))
        .expect(1) // 401 is never retried
        .mount(&server)
        .await;
    assert!(matches!(
        c.charges().get("noauth").await,
        Err(Error::Unauthorized { .. })
    ));
    Mock::given(method("GET"))
        .and(path("/api/v1/charge/garbage"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    match c.charges().get("garbage").await {
        Err(Error::Decode { body_snippet, .. }) => assert!(body_snippet.contains("oops")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn rate_limit_with_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/charge/limited"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
        .expect(1)
        .mount(&server)
        .await;
    let c = Client::builder(APP_ID)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    match c.charges().get("limited").await {
        Err(Error::RateLimited { retry_after }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(7)))
        }
        other => panic!("{other:?}"),
    }
    // With retries, a 429 followed by success succeeds after waiting Retry-After.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/charge/x"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    ok(
        &server,
        "GET",
        "/api/v1/charge/x",
        json!({"charge": {"value": 3}}),
    )
    .await;
    assert_eq!(
        client(&server).charges().get("x").await.unwrap().value,
        Some(3)
    );
}

#[tokio::test]
async fn retries_5xx_on_safe_requests_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/charge/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    ok(
        &server,
        "GET",
        "/api/v1/charge/flaky",
        json!({"charge": {"value": 9}}),
    )
    .await;
    assert_eq!(
        client(&server).charges().get("flaky").await.unwrap().value,
        Some(9)
    );

    // Retries run out: the last 5xx is returned.
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/charge/down"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": "boom"})))
        .expect(3)
        .mount(&server)
        .await;
    assert!(matches!(
        client(&server).charges().delete("down").await,
        Err(Error::Api { status: 500, .. })
    ));

    // Charge create without return_existing is not idempotent: exactly one attempt.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/charge"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let req = ChargeRequest::new("o-2", 100);
    assert!(matches!(
        client(&server).charges().create(&req, false).await,
        Err(Error::Api { status: 502, .. })
    ));

    // With return_existing it is retried.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/charge"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/charge"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"charge": {"correlationID": "o-2"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server).charges().create(&req, true).await.unwrap();
    assert_eq!(
        created.charge.unwrap().correlation_id.as_deref(),
        Some("o-2")
    );
}

#[tokio::test]
async fn transport_errors_are_retried_then_reported() {
    // Nothing listens on this port: connect fails every time.
    let c = Client::builder(APP_ID)
        .base_url("http://127.0.0.1:9")
        .retry_base_delay(Duration::from_millis(1))
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    assert!(matches!(
        c.charges().get("x").await,
        Err(Error::Transport(_))
    ));
}

#[tokio::test]
async fn stream_walks_every_page() {
    let server = MockServer::start().await;
    for (skip, ids, next) in [
        ("0", vec![1, 2], true),
        ("2", vec![3, 4], true),
        ("4", vec![5], false),
    ] {
        let items: Vec<_> = ids.iter().map(|v| json!({"value": v})).collect();
        Mock::given(method("GET"))
            .and(path("/api/v1/charge"))
            .and(query_param("skip", skip))
            .and(query_param("limit", "2"))
            .and(query_param("status", "COMPLETED"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "pageInfo": {"skip": skip.parse::<i64>().unwrap(), "limit": 2, "totalCount": 5, "hasNextPage": next},
                "charges": items
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let params = ChargeListParams {
        status: Some(ChargeStatus::Completed),
        limit: Some(2),
        ..Default::default()
    };
    let values: Vec<i64> = client(&server)
        .charges()
        .stream(&params)
        .map(|c| c.unwrap().value.unwrap())
        .collect()
        .await;
    assert_eq!(values, vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn stream_stops_at_the_first_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/customer"))
        .and(query_param("skip", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"customers": [{"name": "a"}], "pageInfo": {"hasNextPage": true}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/customer"))
        .and(query_param("skip", "1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "bad skip"})))
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .customers()
        .stream(&ListParams::default())
        .collect()
        .await;
    assert_eq!(got.len(), 2);
    assert!(got[0].is_ok());
    assert!(matches!(&got[1], Err(Error::Api { status: 400, .. })));
}
