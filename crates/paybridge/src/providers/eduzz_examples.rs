//! Eduzz legacy examples (`../shared/providers/eduzz/legacy-examples/`) and
//! variations of them: registration tests, every status code and event
//! name, the same events from JSON and from PHP-flattened forms, the
//! `origin` check and every bad input.

use super::eduzz::{parse_body, EduzzProvider};
use super::field_tree::{self, Encoding};
use super::{AuthError, Provider};
use crate::config::EduzzConfig;
use crate::domain::{EventKind, PaymentEvent};
use crate::secret::Secret;
use http::HeaderMap;
use serde_json::{json, Value};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/providers/eduzz/legacy-examples"
);

fn example(name: &str) -> Value {
    let path = format!("{DIR}/{name}");
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

/// The registration example turned into a real invoice: a type and an origin.
fn invoice() -> Value {
    let mut v = example("invoice-registration-test.json");
    v["type"] = json!("invoice");
    v["origin"] = json!("origin-token");
    v
}

fn abandonment() -> Value {
    let mut v = example("abandonment-registration-test.json");
    v["origin"] = json!("origin-token");
    v
}

fn as_form(v: &Value) -> Vec<u8> {
    let tree = field_tree::decode(Encoding::Json, &serde_json::to_vec(v).unwrap()).unwrap();
    field_tree::to_form(&tree).into_bytes()
}

/// Parses `v` sent as JSON and as a form, asserting both give the same events.
fn parse(v: &Value) -> Vec<PaymentEvent> {
    let from_json = parse_body(Encoding::Json, &serde_json::to_vec(v).unwrap())
        .unwrap_or_else(|e| panic!("{e}: {v}"));
    let from_form = parse_body(Encoding::Form, &as_form(v)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_json, from_form, "JSON and form differ for {v}");
    from_json
}

fn kinds(evs: &[PaymentEvent]) -> Vec<&'static str> {
    evs.iter().map(|e| e.kind.name()).collect()
}

#[test]
fn the_documented_registration_keys_are_the_shared_examples_keys() {
    for (name, documented) in [
        (
            "invoice-registration-test.json",
            super::eduzz::INVOICE_TEST_KEYS.as_slice(),
        ),
        (
            "abandonment-registration-test.json",
            super::eduzz::ABANDONMENT_TEST_KEYS.as_slice(),
        ),
    ] {
        let sample = example(name);
        let keys: Vec<&str> = sample
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut want = documented.to_vec();
        want.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn registration_tests_are_recognized_in_both_encodings() {
    for name in [
        "invoice-registration-test.json",
        "abandonment-registration-test.json",
    ] {
        let evs = parse(&example(name));
        assert_eq!(kinds(&evs), ["test"], "{name}");
        assert!(evs[0].order_ref.is_empty());
    }
}

#[test]
fn an_invoice_is_a_sale_with_buyer_student_items_and_subscription() {
    let evs = parse(&invoice());
    assert_eq!(kinds(&evs), ["paid"]);
    let ev = &evs[0];
    assert_eq!(ev.provider, "eduzz");
    assert_eq!(
        ev.kind,
        EventKind::Paid {
            payment_id: "eduzz:1".into()
        }
    );
    assert_eq!(ev.order_ref.correlation_id.as_deref(), Some("eduzz:1"));
    assert_eq!(ev.event_type, "trans_status_3");
    assert_eq!(ev.amount.map(|c| c.get()), Some(5000), "trans_value \"50\"");
    let sale = ev.sale.as_ref().unwrap();
    assert_eq!(
        sale.buyer.email.as_ref().unwrap().as_str(),
        "webhook@eduzz.com"
    );
    assert_eq!(
        sale.buyer.phone.as_ref().unwrap().as_str(),
        "+5511999999999"
    );
    assert_eq!(
        sale.buyer.document.as_ref().unwrap().as_str(),
        "99999999911"
    );
    assert_eq!(
        sale.holders()
            .iter()
            .map(|e| e.as_str().to_owned())
            .collect::<Vec<_>>(),
        ["webhook@eduzz.com", "emaildoaluno@provedor.com"]
    );
    assert_eq!(sale.products.len(), 1);
    assert_eq!(sale.products[0].id, "1");
    assert_eq!(sale.products[0].name, "Descrição do produto adquirido");
    assert_eq!(sale.products[0].amount.map(|c| c.get()), Some(5000));
    let method = sale.payment_method.as_ref().unwrap();
    assert_eq!(
        (method.method, method.raw.as_str()),
        ("unknown", "3"),
        "3 is not in Eduzz's table"
    );
    let sub = sale.subscription.as_ref().unwrap();
    assert_eq!(sub["recurrence_cod"], "10");
    assert_eq!(sub["recurrence_status_name"], "Em Dia");
    assert_eq!(sub["recurrence_interval_type"], "month");
    for secret in ["origin", "origin_secret", "api_key"] {
        assert!(ev.raw.get(secret).is_none(), "{secret} kept in the event");
    }
}

#[test]
fn status_codes_and_event_names_map_as_the_table_says() {
    let codes: &[(&str, &[&str])] = &[
        ("1", &["pending"]),
        ("3", &["paid"]),
        ("4", &["cancelled"]),
        ("6", &["refund_requested"]),
        ("7", &["paid", "refunded"]),
        ("9", &["cancelled"]),
        ("10", &["expired"]),
        ("11", &["pending"]),
        ("15", &["pending"]),
        ("2", &["unknown"]),
        ("99", &["unknown"]),
    ];
    for (code, want) in codes {
        let mut v = invoice();
        v["trans_status"] = json!(code);
        let evs = parse(&v);
        assert_eq!(&kinds(&evs), want, "trans_status {code}");
        assert_eq!(evs[0].raw_status.as_deref(), Some(*code));
    }
    let names: &[(&str, &[&str])] = &[
        ("invoice_open", &["pending"]),
        ("invoice_processing", &["pending"]),
        ("invoice_analysing", &["pending"]),
        ("invoice_scheduled", &["pending"]),
        ("invoice_waiting_payment", &["pending"]),
        ("invoice_recovering", &["pending"]),
        ("invoice_paid", &["paid"]),
        ("invoice_refused", &["declined"]),
        ("invoice_expired", &["expired"]),
        ("invoice_overdue", &["expired"]),
        ("invoice_canceled", &["cancelled"]),
        ("invoice_duplicated", &["cancelled"]),
        ("invoice_waiting_refund", &["refund_requested"]),
        ("invoice_refunded", &["paid", "refunded"]),
        ("invoice_negociated", &["paid", "chargeback"]),
        ("contract_up_to_date", &["informational"]),
        ("contract_canceled", &["informational"]),
        ("invoice_trial", &["unknown"]),
    ];
    for (name, want) in names {
        // trans_status says paid; event_name wins.
        let mut v = invoice();
        v["event_name"] = json!(name);
        let evs = parse(&v);
        assert_eq!(&kinds(&evs), want, "event_name {name}");
        assert_eq!(evs[0].event_type, *name);
    }
}

#[test]
fn contract_notices_keep_the_subscription_state() {
    let mut v = invoice();
    v["type"] = json!("contract");
    v["event_name"] = json!("contract_suspended");
    v["recurrence_status"] = json!("3");
    v["recurrence_status_name"] = json!("Suspenso");
    v.as_object_mut().unwrap().remove("trans_value");
    v.as_object_mut().unwrap().remove("trans_paid");
    let evs = parse(&v);
    assert_eq!(kinds(&evs), ["informational"]);
    let sale = evs[0].sale.as_ref().unwrap();
    assert_eq!(sale.stated, None);
    assert_eq!(
        sale.subscription.as_ref().unwrap()["recurrence_status_name"],
        "Suspenso"
    );
}

#[test]
fn reais_become_exact_cents_from_strings_and_numbers() {
    let cases = [
        (json!("50"), 5000),
        (json!("0.5"), 50),
        (json!(301.5), 30150),
        (json!("301.50"), 30150),
        (json!(0.29), 29),
        (json!(19.9), 1990),
        (json!(1234567.89), 123_456_789),
    ];
    for (value, cents) in cases {
        let mut v = invoice();
        v["trans_value"] = value.clone();
        assert_eq!(parse(&v)[0].amount.map(|c| c.get()), Some(cents), "{value}");
    }
    // No trans_value: trans_paid, then the items' sum.
    let mut v = invoice();
    v.as_object_mut().unwrap().remove("trans_value");
    assert_eq!(parse(&v)[0].amount.map(|c| c.get()), Some(5100));
    v.as_object_mut().unwrap().remove("trans_paid");
    assert_eq!(parse(&v)[0].amount.map(|c| c.get()), Some(5000));
}

#[test]
fn nested_json_and_flattened_keys_are_the_same_items() {
    let mut nested = invoice();
    let obj = nested.as_object_mut().unwrap();
    let keys: Vec<String> = obj
        .keys()
        .filter(|k| k.starts_with("trans_items["))
        .cloned()
        .collect();
    for k in keys {
        obj.remove(&k);
    }
    obj.insert(
        "trans_items".into(),
        json!([{
            "item_id": 2, "item_name": "Descrição do item adquirido", "item_value": 50,
            "item_coupon_code": "CK98S5", "item_coupon_value": 0.5, "item_product_id": 1,
            "item_product_name": "Descrição do produto adquirido", "item_product_refund": 7,
            "item_eduzz_value": 10, "producer_id": 5, "item_product_sku_reference": "CK98S5",
            "item_product_partner_cod": 5, "item_product_chargetype": "N"
        }]),
    );
    let a = parse(&invoice());
    let b = parse(&nested);
    assert_eq!(a[0].sale, b[0].sale);
}

#[test]
fn abandonment_is_a_cart_not_an_order() {
    let evs = parse(&abandonment());
    assert_eq!(kinds(&evs), ["cart_abandoned"]);
    let ev = &evs[0];
    assert!(ev.order_ref.is_empty());
    assert!(ev.sale.is_none());
    assert_eq!(
        ev.dedupe_key,
        "abandonment:36ec1293-17f8-404a-bbda-b58eaeb21aab:2023-01-05T14:17:44.921Z"
    );
    let EventKind::CartAbandoned(cart) = &ev.kind else {
        unreachable!()
    };
    assert_eq!(cart.cart_id, "36ec1293-17f8-404a-bbda-b58eaeb21aab");
    assert_eq!(
        cart.customer_email.as_ref().unwrap().as_str(),
        "emaildocliente@provedor.com"
    );
    assert_eq!(
        cart.customer_name.as_ref().unwrap().as_str(),
        "Nome do Cliente"
    );
    assert_eq!(
        cart.customer_phone.as_ref().unwrap().as_str(),
        "+5511999999999"
    );
    assert_eq!(cart.product_id.as_deref(), Some("1"));
    assert_eq!(cart.product_name.as_deref(), Some("Nome do produto"));
    assert_eq!(
        cart.checkout_url.as_deref(),
        Some("https://sun.eduzz.com/1")
    );
    assert_eq!(
        cart.accessed_at.map(|t| t.unix_timestamp()),
        Some(1_672_928_264)
    );
    let mut by_name = abandonment();
    by_name["type"] = json!("invoice");
    by_name["event_name"] = json!("cart_abandonment");
    assert_eq!(kinds(&parse(&by_name)), ["cart_abandoned"]);
    let mut hostile = abandonment();
    hostile["checkoutUrl"] = json!("javascript:alert(1)");
    let evs = parse(&hostile);
    let EventKind::CartAbandoned(cart) = &evs[0].kind else {
        unreachable!()
    };
    assert_eq!(cart.checkout_url, None);
}

#[test]
fn bad_bodies_are_refused() {
    let mut bad_amount = invoice();
    bad_amount["trans_value"] = json!("cinquenta");
    let mut comma_amount = invoice();
    comma_amount["trans_value"] = json!("50,00");
    let mut bad_item_amount = invoice();
    bad_item_amount["trans_items[0][item_value]"] = json!("x");
    let mut no_cod = invoice();
    no_cod.as_object_mut().unwrap().remove("trans_cod");
    let mut no_status = invoice();
    no_status.as_object_mut().unwrap().remove("trans_status");
    let mut no_identifier = abandonment();
    no_identifier.as_object_mut().unwrap().remove("identifier");
    let json_cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("invalid JSON", b"{\"type\":".to_vec()),
        ("array", b"[{\"type\":\"invoice\"}]".to_vec()),
        ("not UTF-8", b"{\"type\":\"invoice\xff\"}".to_vec()),
        (
            "amount not a number",
            serde_json::to_vec(&bad_amount).unwrap(),
        ),
        (
            "amount with comma",
            serde_json::to_vec(&comma_amount).unwrap(),
        ),
        (
            "item amount not a number",
            serde_json::to_vec(&bad_item_amount).unwrap(),
        ),
        ("no trans_cod", serde_json::to_vec(&no_cod).unwrap()),
        ("no status", serde_json::to_vec(&no_status).unwrap()),
        (
            "abandonment without identifier",
            serde_json::to_vec(&no_identifier).unwrap(),
        ),
    ];
    for (name, body) in json_cases {
        assert!(
            parse_body(Encoding::Json, &body).is_err(),
            "JSON {name} accepted"
        );
    }
    let good_form = as_form(&invoice());
    let form_cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        (
            "broken brackets",
            [good_form.as_slice(), b"&trans_items[0[item_id]=2"].concat(),
        ),
        (
            "unclosed bracket",
            [good_form.as_slice(), b"&product[id=2"].concat(),
        ),
        (
            "value and group at once",
            [good_form.as_slice(), b"&trans_cod[x]=2"].concat(),
        ),
        (
            "items not indexed",
            [good_form.as_slice(), b"&trans_items[a][item_id]=2"].concat(),
        ),
        ("raw non-UTF-8", b"type=invoice&trans_cod=\xff".to_vec()),
        (
            "encoded non-UTF-8",
            b"type=invoice&trans_cod=%C3%28".to_vec(),
        ),
    ];
    for (name, body) in form_cases {
        assert!(
            parse_body(Encoding::Form, &body).is_err(),
            "form {name} accepted"
        );
    }
}

fn headers(ct: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("content-type", ct.parse().unwrap());
    h
}

#[test]
fn origin_is_checked_in_both_encodings() {
    let p = EduzzProvider::from_config(&EduzzConfig {
        origins: vec![Secret::new("origin-old"), Secret::new("origin-token")],
        hub_secrets: vec![],
    });
    let json_h = headers("application/json");
    let form_h = headers("application/x-www-form-urlencoded");
    let with_origin = |o: Option<&str>| {
        let mut v = invoice();
        match o {
            Some(o) => v["origin"] = json!(o),
            None => {
                v.as_object_mut().unwrap().remove("origin");
            }
        }
        v
    };
    let cases = [
        (Some("origin-token"), Ok(())),
        (Some("origin-old"), Ok(())),
        (Some("origin-wrong"), Err(AuthError::InvalidToken("origin"))),
        (Some(""), Err(AuthError::MissingToken("origin"))),
        (None, Err(AuthError::MissingToken("origin"))),
    ];
    for (origin, want) in cases {
        let v = with_origin(origin);
        assert_eq!(
            p.verify(&json_h, &serde_json::to_vec(&v).unwrap()),
            want,
            "JSON {origin:?}"
        );
        assert_eq!(p.verify(&form_h, &as_form(&v)), want, "form {origin:?}");
    }
    // Registration tests pass without origin; look-alikes do not.
    for name in [
        "invoice-registration-test.json",
        "abandonment-registration-test.json",
    ] {
        let v = example(name);
        assert_eq!(p.verify(&json_h, &serde_json::to_vec(&v).unwrap()), Ok(()));
        assert_eq!(p.verify(&form_h, &as_form(&v)), Ok(()));
    }
    let mut real_cart = example("abandonment-registration-test.json");
    real_cart["customer[email]"] = json!("ana@example.com");
    // Anything but the documented shape: one key more, one key less, a
    // value far longer than the sample's, the sample with a nested extra.
    let mut extra_key = example("invoice-registration-test.json");
    extra_key["payload"] = json!("x".repeat(100));
    let mut missing_key = example("invoice-registration-test.json");
    missing_key.as_object_mut().unwrap().remove("trans_barcode");
    let mut long_value = example("invoice-registration-test.json");
    long_value["cus_address"] = json!("x".repeat(10_000));
    let mut nested_extra = example("abandonment-registration-test.json");
    nested_extra["customer[notes]"] = json!("filler");
    for (name, look_alike) in [
        ("real cart", real_cart),
        ("extra key", extra_key),
        ("missing key", missing_key),
        ("long value", long_value),
        ("nested extra", nested_extra),
    ] {
        assert_eq!(
            p.verify(&json_h, &serde_json::to_vec(&look_alike).unwrap()),
            Err(AuthError::MissingToken("origin")),
            "{name} as JSON"
        );
        assert_eq!(
            p.verify(&form_h, &as_form(&look_alike)),
            Err(AuthError::MissingToken("origin")),
            "{name} as a form"
        );
    }
    // The origin is found even when another key is malformed, so a broken
    // body from Eduzz is answered 400 (not 401) by the parser.
    let broken = [as_form(&invoice()).as_slice(), b"&trans_items[0[x]=1"].concat();
    assert_eq!(p.verify(&form_h, &broken), Ok(()));
    for (h, body) in [
        (&json_h, b"[]".as_slice()),
        (&json_h, b"{oops"),
        (&json_h, b""),
        (&form_h, b"origin=\xff"),
    ] {
        assert!(
            matches!(p.verify(h, body), Err(AuthError::Unreadable(_))),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
    let none = EduzzProvider::from_config(&EduzzConfig::default());
    assert_eq!(
        none.verify(&json_h, &serde_json::to_vec(&invoice()).unwrap()),
        Err(AuthError::NotConfigured("Eduzz origin token"))
    );
}
