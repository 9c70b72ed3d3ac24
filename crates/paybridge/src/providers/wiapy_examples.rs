//! Wiapy's documented payload (`../shared/providers/wiapy/`) and variations
//! of it: every status, the token check and every bad input.

use super::wiapy::{parse_body, WiapyProvider};
use super::{AuthError, Provider};
use crate::config::WiapyConfig;
use crate::domain::{EventKind, PaymentEvent};
use crate::secret::Secret;
use http::HeaderMap;
use serde_json::{json, Value};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/providers/wiapy/payment-paid-pix.json"
);

fn fixture() -> Value {
    serde_json::from_slice(&std::fs::read(FIXTURE).expect("Wiapy fixture")).unwrap()
}

fn parse(v: &Value) -> Vec<PaymentEvent> {
    parse_body(&serde_json::to_vec(v).unwrap()).unwrap_or_else(|e| panic!("{e}: {v}"))
}

#[test]
fn the_documented_payload_is_a_paid_sale_with_four_products() {
    let evs = parse(&fixture());
    assert_eq!(evs.len(), 1);
    let ev = &evs[0];
    assert_eq!(ev.provider, "wiapy");
    assert_eq!(
        ev.kind,
        EventKind::Paid {
            payment_id: "wiapy:680bb49dcc58d1620569cb2e".into()
        }
    );
    assert_eq!(
        ev.dedupe_key,
        "680bb49dcc58d1620569cb2e:paid:2025-04-25T16:13:17.284Z"
    );
    assert_eq!(ev.event_type, "payment.paid");
    assert_eq!(ev.raw_status.as_deref(), Some("paid"));
    assert_eq!(ev.amount.map(|c| c.get()), Some(1770));
    assert_eq!(
        ev.occurred_at.map(|t| t.unix_timestamp()),
        Some(1_745_597_597)
    );
    assert_eq!(
        ev.order_ref.correlation_id.as_deref(),
        Some("wiapy:680bb49dcc58d1620569cb2e")
    );
    let sale = ev.sale.as_ref().expect("sale");
    assert_eq!(sale.amount.get(), 1770);
    assert_eq!(sale.buyer.name.as_ref().unwrap().as_str(), "Thay");
    assert_eq!(
        sale.buyer.email.as_ref().unwrap().as_str(),
        "thay@example.com"
    );
    assert_eq!(
        sale.buyer.phone.as_ref().unwrap().as_str(),
        "+5511999999999"
    );
    let doc = sale.buyer.document.as_ref().unwrap();
    assert_eq!(doc.as_str(), "12345667890");
    assert!(
        doc.tax_id().is_none(),
        "the example CPF fails its check digits"
    );
    assert_eq!(sale.payment_method.as_ref().unwrap().method, "pix");
    assert_eq!(sale.subscription, None, "type payment: empty subscription");
    let kinds: Vec<_> = sale.products.iter().map(|p| p.kind.as_deref()).collect();
    assert_eq!(
        kinds,
        [
            Some("online_course"),
            Some("ebook"),
            Some("mentoring"),
            Some("external")
        ]
    );
    let p = &sale.products;
    assert_eq!(p[0].id, "66df9e14dbebe565ee587fc3");
    assert_eq!(p[0].links.len(), 1);
    assert_eq!(
        p[0].links[0].url.as_deref(),
        Some("https://wiapy.com/login")
    );
    assert_eq!(p[1].links.len(), 2);
    assert_eq!(p[1].links[0].title, "Arquivo 01");
    assert_eq!(p[1].links[0].url, None, "\"URL DO ARQUIVO\" is not a link");
    assert!(p[3].links.is_empty());
    assert_eq!(p[1].id, p[2].id, "Wiapy repeats product ids within a sale");
}

#[test]
fn every_status_maps_as_the_table_says() {
    let cases: &[(&str, &[&str])] = &[
        ("paid", &["paid"]),
        ("unpaid", &["pending"]),
        ("credit_card_declined", &["declined"]),
        ("refunded", &["paid", "refunded"]),
        ("chargedback", &["paid", "chargeback"]),
        ("em_analise", &["unknown"]),
    ];
    for (status, want) in cases {
        let mut v = fixture();
        v["payment"]["status"] = json!(status);
        let evs = parse(&v);
        let kinds: Vec<_> = evs.iter().map(|e| e.kind.name()).collect();
        assert_eq!(&kinds, want, "{status}");
        assert!(evs.iter().all(|e| e.raw_status.as_deref() == Some(*status)));
        let keys: std::collections::HashSet<_> = evs.iter().map(|e| &e.dedupe_key).collect();
        assert_eq!(keys.len(), evs.len(), "{status}: distinct dedupe keys");
    }
}

#[test]
fn subscriptions_keep_their_object() {
    let mut v = fixture();
    v["payment"]["type"] = json!("subscription");
    v["subscription"] = json!({ "id": "sub_1", "status": "active", "interval": "monthly" });
    let ev = &parse(&v)[0];
    assert_eq!(ev.event_type, "subscription.paid");
    assert_eq!(
        ev.sale.as_ref().unwrap().subscription,
        Some(json!({ "id": "sub_1", "status": "active", "interval": "monthly" }))
    );
}

#[test]
fn the_same_fact_has_the_same_key_and_a_new_update_a_new_one() {
    let a = parse(&fixture());
    let b = parse(&fixture());
    assert_eq!(a[0].dedupe_key, b[0].dedupe_key);
    let mut later = fixture();
    later["payment"]["dt_update"] = json!("2025-04-25T17:00:00.000Z");
    assert_ne!(parse(&later)[0].dedupe_key, a[0].dedupe_key);
}

#[test]
fn bad_bodies_are_refused() {
    let mut no_payment = fixture();
    no_payment.as_object_mut().unwrap().remove("payment");
    let mut string_amount = fixture();
    string_amount["payment"]["amount"] = json!("17.70");
    let mut float_amount = fixture();
    float_amount["payment"]["amount"] = json!(17.7);
    let mut negative = fixture();
    negative["payment"]["amount"] = json!(-1);
    let mut no_amount = fixture();
    no_amount["payment"]
        .as_object_mut()
        .unwrap()
        .remove("amount");
    let mut no_id = fixture();
    no_id["payment"]["id"] = json!("");
    let mut bad_product = fixture();
    bad_product["products"][0]
        .as_object_mut()
        .unwrap()
        .remove("id");
    let mut bad_id = fixture();
    bad_id["payment"]["id"] = json!("a b");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("invalid JSON", b"{\"payment\":".to_vec()),
        ("array", b"[]".to_vec()),
        ("not UTF-8", b"{\"payment\":{\"id\":\"\xff\"}}".to_vec()),
        ("no payment", serde_json::to_vec(&no_payment).unwrap()),
        (
            "amount as string",
            serde_json::to_vec(&string_amount).unwrap(),
        ),
        (
            "amount as float",
            serde_json::to_vec(&float_amount).unwrap(),
        ),
        ("negative amount", serde_json::to_vec(&negative).unwrap()),
        ("no amount", serde_json::to_vec(&no_amount).unwrap()),
        ("empty id", serde_json::to_vec(&no_id).unwrap()),
        (
            "product without id",
            serde_json::to_vec(&bad_product).unwrap(),
        ),
        ("id unfit for a key", serde_json::to_vec(&bad_id).unwrap()),
    ];
    for (name, body) in cases {
        assert!(parse_body(&body).is_err(), "{name} accepted");
    }
}

#[test]
fn the_token_is_checked_with_or_without_bearer() {
    let p = WiapyProvider::from_config(&WiapyConfig {
        tokens: vec![Secret::new("tok-old"), Secret::new("tok-new")],
    });
    let headers = |v: Option<&str>| {
        let mut h = HeaderMap::new();
        if let Some(v) = v {
            h.insert("authorization", v.parse().unwrap());
        }
        h
    };
    let cases = [
        (Some("tok-new"), Ok(())),
        (Some("tok-old"), Ok(())),
        (Some("Bearer tok-new"), Ok(())),
        (Some("bearer tok-old"), Ok(())),
        (
            Some("Bearer tok-other"),
            Err(AuthError::InvalidToken("Authorization token")),
        ),
        (
            Some("tok-new2"),
            Err(AuthError::InvalidToken("Authorization token")),
        ),
        (
            Some("Basic tok-new"),
            Err(AuthError::InvalidToken("Authorization token")),
        ),
        (None, Err(AuthError::MissingToken("Authorization token"))),
        (
            Some(" "),
            Err(AuthError::MissingToken("Authorization token")),
        ),
    ];
    for (value, want) in cases {
        assert_eq!(p.verify(&headers(value), b"{}"), want, "{value:?}");
    }
    let none = WiapyProvider::from_config(&WiapyConfig::default());
    assert_eq!(
        none.verify(&headers(Some("tok-new")), b"{}"),
        Err(AuthError::NotConfigured("Wiapy token"))
    );
    assert!(none
        .unconfigured()
        .unwrap()
        .contains("PAYBRIDGE_WIAPY_TOKENS"));
    assert!(p.unconfigured().is_none());
}
