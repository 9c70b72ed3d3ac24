//! Every operation of the `woovi` client against the sandbox over real HTTP,
//! plus webhook verification with `woovi::webhook::WebhookVerifier`.

mod common;

use common::{shared_path, spawn, Receiver, APP_ID};
use woovi::models::{
    ApplicationInput, CashbackRequest, ChargeListParams, ChargeRefundRequest, ChargeRequest,
    CustomerInput, PartnerApplicationRequest, PaymentRequest, PixQrCodeRequest, PreRegistration,
    PreRegistrationCompany, PreRegistrationUser, RefundRequest, SubscriptionRequest, TaxId,
    TaxIdInput, TransactionListParams, WebhookEventKind, WebhookRequest,
};
use woovi::webhook::{KeySet, WebhookVerifier};
use woovi::{Client, Error, ListParams};

fn client(base: &str, app_id: &str) -> Client {
    Client::builder(app_id.to_owned())
        .base_url(base)
        .max_retries(0)
        .build()
        .unwrap()
}

fn dan() -> CustomerInput {
    CustomerInput {
        name: "Dan".into(),
        email: Some("dan@example.com".into()),
        phone: Some("5511999999999".into()),
        tax_id: Some("31324227036".into()),
        ..CustomerInput::default()
    }
}

#[tokio::test]
async fn every_client_operation_works_against_the_sandbox() {
    let sb = spawn().await;
    let rx = Receiver::start().await;
    let woovi = client(&sb.base, APP_ID);

    // Charges.
    let created = woovi
        .charges()
        .create(&ChargeRequest::new("suite-1", 2000), false)
        .await
        .unwrap();
    let charge = created.charge.unwrap();
    assert_eq!(charge.value, Some(2000));
    let br_code = charge.br_code.clone().unwrap();
    assert!(brcode::parse_strict(&br_code).unwrap().is_dynamic());
    let again = woovi
        .charges()
        .create(&ChargeRequest::new("suite-1", 1), true)
        .await
        .unwrap();
    assert_eq!(again.charge.unwrap().global_id, charge.global_id);
    match woovi
        .charges()
        .create(&ChargeRequest::new("suite-1", 1), false)
        .await
    {
        Err(Error::Api {
            status: 400,
            message,
            ..
        }) => assert!(!message.is_empty()),
        other => panic!("duplicate correlationID should be a 400, got {other:?}"),
    }
    let got = woovi.charges().get("suite-1").await.unwrap();
    assert_eq!(got.global_id, charge.global_id);
    let page = woovi
        .charges()
        .list(&ChargeListParams::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let png = woovi
        .charges()
        .qr_code_png(charge.payment_link_id.as_deref().unwrap(), Some(600))
        .await
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    woovi
        .charges()
        .create(&ChargeRequest::new("suite-delete", 10), false)
        .await
        .unwrap();
    let deleted = woovi.charges().delete("suite-delete").await.unwrap();
    assert_eq!(deleted.status.as_deref(), Some("OK"));
    assert!(woovi.charges().get("suite-delete").await.is_err());

    // Pay, then transactions and refunds.
    let paid = sb.pay(charge.transaction_id.as_deref().unwrap()).await;
    let e2e = paid["transaction"]["endToEndId"]
        .as_str()
        .unwrap()
        .to_owned();
    let tx = woovi.transactions().get(&e2e).await.unwrap();
    assert_eq!(tx.value, Some(2000));
    let txs = woovi
        .transactions()
        .list(&TransactionListParams {
            charge: Some("suite-1".into()),
            ..TransactionListParams::default()
        })
        .await
        .unwrap();
    assert_eq!(txs.items.len(), 1);
    let refund = woovi
        .charges()
        .refund(
            "suite-1",
            &ChargeRefundRequest {
                correlation_id: "suite-r1".into(),
                value: Some(500),
                comment: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(refund.value, Some(500));
    let refunds = woovi.charges().refunds("suite-1").await.unwrap();
    assert_eq!(refunds.len(), 1);
    let r2 = woovi
        .refunds()
        .create(&RefundRequest {
            transaction_end_to_end_id: e2e.clone(),
            correlation_id: "suite-r2".into(),
            value: Some(1500),
            comment: None,
        })
        .await
        .unwrap();
    assert_eq!(r2.value, Some(1500));
    let over = woovi
        .refunds()
        .create(&RefundRequest {
            transaction_end_to_end_id: e2e.clone(),
            correlation_id: "suite-r3".into(),
            value: Some(1),
            comment: None,
        })
        .await;
    assert!(
        matches!(over, Err(Error::Api { status: 400, .. })),
        "{over:?}"
    );
    assert_eq!(
        woovi
            .refunds()
            .get("suite-r2")
            .await
            .unwrap()
            .correlation_id
            .as_deref(),
        Some("suite-r2")
    );
    assert_eq!(
        woovi
            .refunds()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        2
    );

    // Accounts and cashback.
    let accounts = woovi.accounts().list(&ListParams::default()).await.unwrap();
    let account_id = accounts.items[0].account_id.clone().unwrap();
    assert!(woovi
        .accounts()
        .get(&account_id)
        .await
        .unwrap()
        .balance
        .is_some());
    let withdrawal = woovi.accounts().withdraw(&account_id, 1).await;
    // All 2000 paid is being refunded (refunds hold the money from the moment
    // they are accepted), so the balance is 0 and a 1-cent withdrawal fails.
    assert!(
        matches!(withdrawal, Err(Error::Api { status: 400, .. })),
        "{withdrawal:?}"
    );
    let cb = woovi
        .cashback()
        .get_or_create(&CashbackRequest {
            tax_id: "31324227036".into(),
            value: 300,
        })
        .await
        .unwrap();
    assert_eq!(cb.cashback.unwrap().value, Some(300));
    assert_eq!(
        woovi
            .cashback()
            .balance("31324227036")
            .await
            .unwrap()
            .balance,
        Some(300)
    );

    // Customers.
    let customer = woovi
        .customers()
        .create(&CustomerInput {
            correlation_id: Some("suite-c".into()),
            ..dan()
        })
        .await
        .unwrap();
    assert_eq!(customer.name.as_deref(), Some("Dan"));
    assert_eq!(
        woovi
            .customers()
            .get("suite-c")
            .await
            .unwrap()
            .email
            .as_deref(),
        Some("dan@example.com")
    );
    assert_eq!(
        woovi
            .customers()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    // Partner.
    let pre = PreRegistration {
        pre_registration: Some(PreRegistrationCompany {
            name: Some("Example LLC".into()),
            tax_id: Some(TaxId {
                tax_id: "11111111111111".into(),
                kind: None,
            }),
            website: Some("https://example.com".into()),
        }),
        user: Some(PreRegistrationUser {
            first_name: Some("John".into()),
            last_name: Some("Doe".into()),
            email: Some("john@example.com".into()),
            phone: Some("+5511912345678".into()),
            tax_id: Some(TaxId {
                tax_id: "11111111111".into(),
                kind: None,
            }),
        }),
        ..PreRegistration::default()
    };
    woovi.partner().create_pre_registration(&pre).await.unwrap();
    let app = woovi
        .partner()
        .create_application(&PartnerApplicationRequest {
            application: ApplicationInput {
                name: "sub".into(),
                kind: "API".into(),
                ..ApplicationInput::default()
            },
            tax_id: TaxIdInput {
                tax_id: "11111111111111".into(),
                kind: "BR:CNPJ".into(),
            },
        })
        .await
        .unwrap();
    assert!(app.client_id.is_some() && app.client_secret.is_some());
    let fetched = woovi
        .partner()
        .get_pre_registration("11111111111111")
        .await
        .unwrap();
    assert!(fetched.pre_registration.is_some());
    assert_eq!(
        woovi
            .partner()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    // Payments.
    let payment = woovi
        .payments()
        .create(&PaymentRequest {
            value: Some(100),
            destination_alias: Some("dan@example.com".into()),
            correlation_id: "suite-p".into(),
            ..PaymentRequest::default()
        })
        .await
        .unwrap();
    assert!(payment.payment.is_some());
    assert!(woovi
        .payments()
        .get("suite-p")
        .await
        .unwrap()
        .payment
        .is_some());
    assert_eq!(
        woovi
            .payments()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    // Static QR codes.
    let qr = woovi
        .pix_qr_codes()
        .create(&PixQrCodeRequest {
            name: "static".into(),
            correlation_id: Some("suite-q".into()),
            value: Some(100),
            identifier: Some("suiteq1".into()),
            ..PixQrCodeRequest::default()
        })
        .await
        .unwrap();
    brcode::parse_strict(&qr.br_code.unwrap()).expect("static QR code passes strict parsing");
    assert!(woovi.pix_qr_codes().get("suite-q").await.is_ok());
    assert_eq!(
        woovi
            .pix_qr_codes()
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    // Subscriptions.
    let sub = woovi
        .subscriptions()
        .create(&SubscriptionRequest {
            customer: dan(),
            value: 990,
            correlation_id: Some("suite-s".into()),
            ..SubscriptionRequest::default()
        })
        .await
        .unwrap();
    let gid = sub.global_id.unwrap();
    assert_eq!(
        woovi.subscriptions().get(&gid).await.unwrap().value,
        Some(990)
    );

    // Webhooks.
    let hook = woovi
        .webhooks()
        .create(&WebhookRequest {
            name: Some("suite".into()),
            event: Some(WebhookEventKind::ChargeCompleted),
            url: rx.url.clone(),
            authorization: Some("tok".into()),
            is_active: Some(true),
        })
        .await
        .unwrap();
    assert_eq!(
        woovi
            .webhooks()
            .list(&Default::default())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    woovi
        .webhooks()
        .delete(hook.id.as_deref().unwrap())
        .await
        .unwrap();
    assert!(woovi
        .webhooks()
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .is_empty());
    let keys = woovi.webhooks().public_keys().await.unwrap();
    assert_eq!(keys.public_keys.len(), 1);

    // Wrong AppID.
    let intruder = client(&sb.base, "wrong");
    assert!(matches!(
        intruder.charges().get("suite-1").await,
        Err(Error::Unauthorized { .. })
    ));
    // The partner application's AppID is accepted from now on.
    let app_id = {
        use base64::Engine;
        let raw = format!("{}:{}", app.client_id.unwrap(), app.client_secret.unwrap());
        base64::engine::general_purpose::STANDARD.encode(raw)
    };
    assert!(client(&sb.base, &app_id)
        .charges()
        .get("suite-1")
        .await
        .is_ok());
}

#[tokio::test]
async fn sandbox_webhooks_verify_with_its_key_and_fail_with_woovis() {
    let sb = spawn().await;
    let rx = Receiver::start().await;
    sb.register("OPENPIX:CHARGE_COMPLETED", &rx.url, None).await;
    let charge = sb.charge("verify-me", 100).await;
    sb.pay(charge["transactionID"].as_str().unwrap()).await;
    let delivery = rx.wait_for("OPENPIX:CHARGE_COMPLETED", 1).await.remove(0);
    let probe = rx.events("teste_webhook").remove(0);

    let ours = WebhookVerifier::new(KeySet::from_pem(&sb.sandbox.public_key_pem()).unwrap());
    ours.verify(&delivery.headers, &delivery.body)
        .expect("sandbox key verifies a sandbox delivery");
    ours.verify(&probe.headers, &probe.body)
        .expect("the test webhook is signed too");
    let mut tampered = delivery.body.to_vec();
    tampered.push(b' ');
    assert!(ours.verify(&delivery.headers, &tampered).is_err());

    let real_pem =
        std::fs::read_to_string(shared_path("providers/woovi/webhook-public-key.pem")).unwrap();
    let woovis = WebhookVerifier::new(KeySet::from_pem(&real_pem).unwrap());
    assert!(
        woovis.verify(&delivery.headers, &delivery.body).is_err(),
        "Woovi's real key must not accept sandbox deliveries"
    );
}
