//! Every Woovi webhook example of the shared fixtures, parsed and fed through
//! the state machine, must give the expected status.

use super::woovi::parse_body;
use crate::domain::{decide, Cents, EventKind, Flags, OrderSnapshot, OrderStatus as S};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/providers/woovi/webhook-examples"
);

/// What the order looks like after the example, or that no order is touched.
#[derive(Debug, PartialEq)]
enum Want {
    Status(S),
    Unmatched,
}

fn run(file: &str, start: S, amount: i64) -> Want {
    let body = std::fs::read(format!("{DIR}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"));
    let events = parse_body(&body).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(events.len(), 1, "{file}");
    let ev = &events[0];
    // The store finds an order by correlationID or transactionID; by end-to-end
    // id only for events about an existing payment (refunds, disputes).
    let findable = ev.order_ref.correlation_id.is_some()
        || ev.order_ref.provider_ref.is_some()
        || (ev.order_ref.end_to_end_id.is_some() && !matches!(ev.kind, EventKind::Paid { .. }));
    if !findable && !matches!(ev.kind, EventKind::Informational | EventKind::ProviderTest) {
        return Want::Unmatched;
    }
    let paid = if start.is_paid_family() { amount } else { 0 };
    let snap = OrderSnapshot {
        status: start,
        amount: Cents::new(amount).unwrap(),
        paid_total: Cents::new(paid).unwrap(),
        refunded_total: Cents::ZERO,
        flags: Flags::default(),
        payment_ids: if paid > 0 {
            vec!["E-original".into()]
        } else {
            vec![]
        },
        refund_ids: vec![],
    };
    Want::Status(decide(&snap, &ev.kind, ev.amount).status)
}

#[test]
fn every_example_gives_the_expected_status() {
    use Want::*;
    let cases: &[(&str, S, i64, Want)] = &[
        (
            "account-register-approved-payload.json",
            S::Pending,
            100,
            Status(S::Pending),
        ),
        (
            "account-register-pending-payload-2.json",
            S::Pending,
            100,
            Status(S::Pending),
        ),
        (
            "account-register-pending-payload.json",
            S::Pending,
            100,
            Status(S::Pending),
        ),
        (
            "account-register-rejected-payload.json",
            S::Pending,
            100,
            Status(S::Pending),
        ),
        ("charge-account-type.json", S::Pending, 100, Unmatched),
        (
            "charge-completed-not-same-payer-payload.json",
            S::Pending,
            100,
            Status(S::Pending),
        ),
        (
            "charge-created-payload.json",
            S::Pending,
            100,
            Status(S::Pending),
        ),
        (
            "charge-expired-payload.json",
            S::Pending,
            1,
            Status(S::Expired),
        ),
        ("charge-expired-payload.json", S::Paid, 1, Status(S::Paid)),
        (
            "charge-webhook-example-charge-completed.json",
            S::Pending,
            5000,
            Status(S::Paid),
        ),
        (
            "charge-webhook-example-charge-completed.json",
            S::Expired,
            5000,
            Status(S::Paid),
        ),
        (
            "charge-webhook-example-charge-created.json",
            S::Pending,
            5000,
            Status(S::Pending),
        ),
        (
            "charge-webhook-example-charge-expired.json",
            S::Pending,
            123_456,
            Status(S::Expired),
        ),
        (
            "dispute-accept-payload.json",
            S::Paid,
            1000,
            Status(S::Paid),
        ),
        (
            "dispute-canceled-payload.json",
            S::Paid,
            1000,
            Status(S::Paid),
        ),
        ("dispute-payload.json", S::Paid, 1000, Status(S::Paid)),
        (
            "dispute-rejected-payload.json",
            S::Paid,
            1000,
            Status(S::Paid),
        ),
        (
            "idendify-which-api-charge-come-2.json",
            S::Pending,
            1000,
            Status(S::Paid),
        ),
        (
            "idendify-which-api-charge-come.json",
            S::Pending,
            1000,
            Status(S::Pending),
        ),
        ("payment-payload-2.json", S::Pending, 30, Status(S::Pending)),
        ("payment-payload-3.json", S::Pending, 30, Status(S::Pending)),
        ("payment-payload.json", S::Pending, 30, Status(S::Pending)),
        ("qrcode-static-payload.json", S::Pending, 1, Status(S::Paid)),
        ("refund-payload.json", S::Paid, 151, Status(S::Refunded)),
        (
            "refund-payload.json",
            S::Paid,
            1000,
            Status(S::PartiallyRefunded),
        ),
        (
            "refund-received-confirmed.json",
            S::Paid,
            10001,
            Status(S::Refunded),
        ),
        (
            "refund-received-rejected.json",
            S::Paid,
            11111,
            Status(S::Paid),
        ),
        (
            "refund-sent-confirmed.json",
            S::Paid,
            10001,
            Status(S::Refunded),
        ),
        ("refund-sent-rejected.json", S::Paid, 10001, Status(S::Paid)),
        (
            "transaction-received-payload.json",
            S::Pending,
            200,
            Unmatched,
        ),
    ];
    let mut seen: Vec<&str> = cases.iter().map(|c| c.0).collect();
    seen.dedup();
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".json"))
        .collect();
    files.sort();
    assert_eq!(seen, files, "every example must be in the table");
    for (file, start, amount, want) in cases {
        assert_eq!(&run(file, *start, *amount), want, "{file} from {start}");
    }
}

#[test]
fn malformed_and_odd_bodies() {
    assert!(parse_body(b"not json").is_err());
    assert!(parse_body(b"[1,2]").is_err());
    assert!(parse_body(br#"{"event": 5}"#).is_err());
    let test = parse_body(br#"{"evento":"teste_webhook"}"#).unwrap();
    assert_eq!(test[0].kind, EventKind::ProviderTest);
    let cfg = parse_body(br#"{"event":"woovi:WOOCOMMERCE-configure","appID":"abc"}"#).unwrap();
    assert_eq!(
        cfg[0].kind,
        EventKind::ProviderConfigure {
            app_id: Some("abc".into())
        }
    );
}

#[test]
fn completed_and_received_share_the_payment_id() {
    let completed = br#"{"event":"OPENPIX:CHARGE_COMPLETED","charge":{"correlationID":"c1","value":100,"status":"COMPLETED"},"pix":{"endToEndId":"E1","value":100}}"#;
    let received = br#"{"event":"OPENPIX:TRANSACTION_RECEIVED","pix":{"endToEndId":"E1","value":100,"charge":{"correlationID":"c1"}}}"#;
    let a = &parse_body(completed).unwrap()[0];
    let b = &parse_body(received).unwrap()[0];
    assert_eq!(a.kind, b.kind);
    assert_eq!(b.order_ref.correlation_id.as_deref(), Some("c1"));
}
