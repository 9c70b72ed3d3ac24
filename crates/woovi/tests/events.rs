//! Every webhook example Woovi documents parses into the expected variant.

mod common;

use common::provider_file;
use woovi::models::{ChargeStatus, TransactionType};
use woovi::webhook::{Event, EventError};

fn parse_example(name: &str) -> Event {
    let body = std::fs::read(provider_file(&format!("webhook-examples/{name}"))).unwrap();
    Event::parse(&body).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn variant(e: &Event) -> &'static str {
    match e {
        Event::ChargeCreated(_) => "ChargeCreated",
        Event::ChargeCompleted(_) => "ChargeCompleted",
        Event::ChargeCompletedNotSameCustomerPayer(_) => "ChargeCompletedNotSameCustomerPayer",
        Event::ChargeExpired(_) => "ChargeExpired",
        Event::TransactionReceived(_) => "TransactionReceived",
        Event::TransactionRefundReceived(_) => "TransactionRefundReceived",
        Event::RefundSentConfirmed(_) => "RefundSentConfirmed",
        Event::RefundSentRejected(_) => "RefundSentRejected",
        Event::RefundReceivedConfirmed(_) => "RefundReceivedConfirmed",
        Event::RefundReceivedRejected(_) => "RefundReceivedRejected",
        Event::Movement(_) => "Movement",
        Event::Dispute(_) => "Dispute",
        Event::TestWebhook(_) => "TestWebhook",
        Event::Configure(_) => "Configure",
        Event::Unknown(_) => "Unknown",
    }
}

const TABLE: &[(&str, &str)] = &[
    ("account-register-approved-payload.json", "Unknown"),
    ("account-register-pending-payload-2.json", "Unknown"),
    ("account-register-pending-payload.json", "Unknown"),
    ("account-register-rejected-payload.json", "Unknown"),
    ("charge-account-type.json", "ChargeCompleted"),
    (
        "charge-completed-not-same-payer-payload.json",
        "ChargeCompletedNotSameCustomerPayer",
    ),
    ("charge-created-payload.json", "ChargeCreated"),
    ("charge-expired-payload.json", "ChargeExpired"),
    (
        "charge-webhook-example-charge-completed.json",
        "ChargeCompleted",
    ),
    (
        "charge-webhook-example-charge-created.json",
        "ChargeCreated",
    ),
    (
        "charge-webhook-example-charge-expired.json",
        "ChargeExpired",
    ),
    ("dispute-accept-payload.json", "Dispute"),
    ("dispute-canceled-payload.json", "Dispute"),
    ("dispute-payload.json", "Dispute"),
    ("dispute-rejected-payload.json", "Dispute"),
    ("idendify-which-api-charge-come-2.json", "ChargeCompleted"),
    ("idendify-which-api-charge-come.json", "Unknown"),
    ("payment-payload-2.json", "Movement"),
    ("payment-payload-3.json", "Movement"),
    ("payment-payload.json", "Movement"),
    ("qrcode-static-payload.json", "TransactionReceived"),
    ("refund-payload.json", "TransactionRefundReceived"),
    ("refund-received-confirmed.json", "RefundReceivedConfirmed"),
    ("refund-received-rejected.json", "RefundReceivedRejected"),
    ("refund-sent-confirmed.json", "RefundSentConfirmed"),
    ("refund-sent-rejected.json", "RefundSentRejected"),
    ("transaction-received-payload.json", "TransactionReceived"),
];

#[test]
fn every_example_parses_into_its_variant() {
    let dir = provider_file("webhook-examples");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = TABLE.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "the table must list every example file");
    for (file, expected) in TABLE {
        assert_eq!(variant(&parse_example(file)), *expected, "{file}");
    }
}

#[test]
fn charge_completed_carries_charge_and_pix() {
    let Event::ChargeCompleted(e) = parse_example("charge-webhook-example-charge-completed.json")
    else {
        panic!("wrong variant")
    };
    let charge = e.charge.unwrap();
    assert_eq!(
        charge.correlation_id.as_deref(),
        Some("51b3e0ea-abfc-4a7b-999c-847f27c35add")
    );
    assert_eq!(charge.value, Some(5000));
    assert_eq!(charge.status, Some(ChargeStatus::Completed));
    assert_eq!(
        charge.transaction_id.as_deref(),
        Some("db85f0c5380c493b8eb3cf6b6780fd98")
    );
    let pix = e.pix.unwrap();
    assert_eq!(
        pix.end_to_end_id.as_deref(),
        Some("E39f22d047934468f89c8347ed4cd80d0")
    );
    assert_eq!(pix.value, Some(5000));
    assert_eq!(pix.time.as_deref(), Some("2023-11-28T11:30:39.933Z"));
    assert_eq!(pix.kind, Some(TransactionType::Payment));
}

#[test]
fn refund_events_carry_both_end_to_end_ids() {
    let Event::RefundSentRejected(e) = parse_example("refund-sent-rejected.json") else {
        panic!()
    };
    assert_eq!(e.value(), Some(10001));
    assert_eq!(
        e.refund_end_to_end_id(),
        Some("D54811417202508221647qjsBFT3ArbQ")
    );
    assert_eq!(
        e.original_end_to_end_id(),
        Some("E31680151202508221630EG1PB3VBC54")
    );
    assert_eq!(
        e.error.as_deref(),
        Some("ED05 - Pagamento rejeitado pelo PSP do recebedor")
    );
}

#[test]
fn signed_docs_vector_without_event_is_a_transaction() {
    let body = std::fs::read(provider_file("signature-vectors/docs-example.body")).unwrap();
    let ev = Event::parse(&body).unwrap();
    assert_eq!(variant(&ev), "TransactionReceived");
    assert_eq!(
        ev.charge().unwrap().correlation_id.as_deref(),
        Some("417bae21-3d08-4cdb-9c2d-fee63c89e9e4")
    );
}

#[test]
fn both_prefixes_and_unknown_enum_values_are_accepted() {
    for prefix in ["OPENPIX:", "woovi:"] {
        let body = format!(
            r#"{{"event":"{prefix}CHARGE_COMPLETED","charge":{{"value":"1500","status":"SOMETHING_NEW","correlationID":"o-1"}}}}"#
        );
        let Event::ChargeCompleted(e) = Event::parse(body.as_bytes()).unwrap() else {
            panic!("{prefix}")
        };
        let c = e.charge.unwrap();
        assert_eq!(c.value, Some(1500));
        assert_eq!(c.status, Some(ChargeStatus::Other("SOMETHING_NEW".into())));
    }
}

#[test]
fn test_webhook_with_or_without_event() {
    let a = Event::parse(br#"{"evento":"teste_webhook"}"#).unwrap();
    assert!(matches!(a, Event::TestWebhook(ref t) if t.event.is_none()));
    let b = Event::parse(br#"{"event":"OPENPIX:TRANSACTION_RECEIVED","evento":"teste_webhook"}"#)
        .unwrap();
    assert!(
        matches!(b, Event::TestWebhook(ref t) if t.event.as_deref() == Some("OPENPIX:TRANSACTION_RECEIVED"))
    );
}

#[test]
fn configure_body_carries_a_redacted_app_id() {
    let ev =
        Event::parse(br#"{"event":"woocommerce-configure","appID":"Q2xpZW50X0lkXzE="}"#).unwrap();
    let Event::Configure(c) = &ev else {
        panic!("{ev:?}")
    };
    assert_eq!(c.platform, "woocommerce");
    assert_eq!(c.app_id.as_ref().unwrap().expose(), "Q2xpZW50X0lkXzE=");
    assert!(!format!("{ev:?}").contains("Q2xpZW50X0lkXzE="));
}

#[test]
fn unknown_and_malformed_bodies() {
    let ev = Event::parse(br#"{"event":"OPENPIX:SOMETHING_ELSE","x":1}"#).unwrap();
    assert!(
        matches!(ev, Event::Unknown(ref u) if u.event.as_deref() == Some("OPENPIX:SOMETHING_ELSE"))
    );
    assert!(matches!(
        Event::parse(b"not json"),
        Err(EventError::NotJson(_))
    ));
    assert!(matches!(
        Event::parse(b"[1,2]"),
        Err(EventError::NotAnObject)
    ));
    assert!(matches!(
        Event::parse(br#"{"event":"OPENPIX:CHARGE_COMPLETED","charge":{"additionalInfo":[1]}}"#),
        Err(EventError::Payload { .. })
    ));
}
