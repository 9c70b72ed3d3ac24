//! Every Eduzz Developer Hub example (`../shared/providers/eduzz/hub-examples/`)
//! parses to the expected events; the signature check and bad inputs.

use super::eduzz_hub::{parse_body, EduzzHubProvider};
use super::shared_secret::hmac_sha256_hex;
use super::{AuthError, Provider};
use crate::config::EduzzConfig;
use crate::domain::{EventKind, PaymentEvent};
use crate::secret::Secret;
use http::HeaderMap;
use serde_json::{json, Value};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/providers/eduzz/hub-examples"
);

fn read(name: &str) -> Vec<u8> {
    let path = format!("{DIR}/{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The contract examples document only the event's `data`; they are sent
/// inside the usual envelope.
fn enveloped(name: &str, event: &str) -> Vec<u8> {
    let data: Value = serde_json::from_slice(&read(name)).unwrap();
    serde_json::to_vec(&json!({
        "id": format!("env-{name}"),
        "event": event,
        "sentDate": "2024-01-15T15:00:00.000Z",
        "data": data,
    }))
    .unwrap()
}

fn parse(body: &[u8]) -> Vec<PaymentEvent> {
    parse_body(body).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_example_gives_the_expected_events() {
    // (file, kinds, status word kept)
    let cases: &[(&str, &[&str], &str)] = &[
        ("invoice_opened.json", &["pending"], "open"),
        (
            "invoice_waiting_payment.json",
            &["pending"],
            "waiting_payment",
        ),
        ("invoice_recovering.json", &["pending"], "recovering"),
        ("invoice_scheduled.json", &["pending"], "scheduled"),
        ("invoice_paid.json", &["paid"], "paid"),
        ("invoice_expired.json", &["expired"], "expired"),
        ("invoice_canceled.json", &["cancelled"], "canceled"),
        (
            "invoice_waiting_refund.json",
            &["refund_requested"],
            "waiting_refund",
        ),
        ("invoice_refunded.json", &["paid", "refunded"], "refunded"),
        (
            "invoice_negotiated.json",
            &["paid", "chargeback"],
            "negotiated",
        ),
        (
            "commission_processed.json",
            &["informational"],
            "myeduzz.commission_processed",
        ),
    ];
    let files: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for f in &files {
        assert!(
            cases.iter().any(|(n, _, _)| n == f) || f.starts_with("contract_"),
            "{f} has no expectation"
        );
    }
    for (file, kinds, word) in cases {
        let evs = parse(&read(file));
        let got: Vec<_> = evs.iter().map(|e| e.kind.name()).collect();
        assert_eq!(&got, kinds, "{file}");
        let ev = evs.last().unwrap();
        assert_eq!(ev.provider, "eduzz-hub", "{file}");
        assert_eq!(ev.dedupe_key, "g90wu09uwge", "{file}: dedupe on id");
        assert_eq!(ev.raw_status.as_deref(), Some(*word), "{file}");
        assert_eq!(
            ev.order_ref.correlation_id.as_deref(),
            Some("eduzz:12345678"),
            "{file}: same key as the legacy webhook's invoice 12345678"
        );
        assert_eq!(
            ev.occurred_at.map(|t| t.unix_timestamp()),
            Some(1_704_811_500),
            "{file}"
        );
        if ev.kind == EventKind::Informational {
            continue;
        }
        assert_eq!(
            ev.amount.map(|c| c.get()),
            Some(30150),
            "{file}: 301.5 reais"
        );
        let sale = ev.sale.as_ref().unwrap();
        assert_eq!(sale.platform, "eduzz");
        assert_eq!(
            sale.buyer.email.as_ref().unwrap().as_str(),
            "alice.johnson@example.com"
        );
        let items: Vec<_> = sale
            .products
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str(), p.amount.map(|c| c.get())))
            .collect();
        assert_eq!(
            items,
            [
                ("P567", "Widget X", Some(15075)),
                ("P789", "Gadget Y", Some(15075))
            ],
            "{file}"
        );
    }
    let paid = parse(&read("invoice_paid.json"));
    let m = paid[0]
        .sale
        .as_ref()
        .unwrap()
        .payment_method
        .clone()
        .unwrap();
    assert_eq!((m.method, m.raw.as_str()), ("credit_card", "creditCard"));
    let opened = parse(&read("invoice_opened.json"));
    assert_eq!(opened[0].sale.as_ref().unwrap().payment_method, None);
}

#[test]
fn contracts_are_recorded() {
    for (file, event) in [
        ("contract_created.json", "myeduzz.contract_created"),
        ("contract_updated.json", "myeduzz.contract_updated"),
    ] {
        let evs = parse(&enveloped(file, event));
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].kind, EventKind::Informational, "{file}");
        assert_eq!(evs[0].event_type, event);
        assert!(evs[0].order_ref.is_empty());
        assert_eq!(evs[0].raw["data"]["contract"]["id"], "3456");
    }
    // Without the envelope there is no id to deduplicate on.
    assert!(parse_body(&read("contract_created.json")).is_err());
}

#[test]
fn unknown_events_are_kept_as_unknown() {
    for event in ["myeduzz.invoice_teleported", "myeduzz.something_else"] {
        let mut v: Value = serde_json::from_slice(&read("invoice_paid.json")).unwrap();
        v["event"] = json!(event);
        let evs = parse(&serde_json::to_vec(&v).unwrap());
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].kind, EventKind::Unknown, "{event}");
        assert_eq!(evs[0].event_type, event);
        assert!(evs[0].sale.is_none());
    }
}

#[test]
fn bad_bodies_are_refused() {
    let paid: Value = serde_json::from_slice(&read("invoice_paid.json")).unwrap();
    let mutate = |f: &dyn Fn(&mut Value)| {
        let mut v = paid.clone();
        f(&mut v);
        serde_json::to_vec(&v).unwrap()
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("invalid JSON", b"{\"id\":".to_vec()),
        ("array", b"[]".to_vec()),
        ("not UTF-8", b"{\"id\":\"\xff\"}".to_vec()),
        (
            "no id",
            mutate(&|v| {
                v.as_object_mut().unwrap().remove("id");
            }),
        ),
        ("data not an object", mutate(&|v| v["data"] = json!([1]))),
        (
            "price not a number",
            mutate(&|v| v["data"]["price"]["value"] = json!("trezentos")),
        ),
        (
            "price missing",
            mutate(&|v| {
                v["data"].as_object_mut().unwrap().remove("price");
            }),
        ),
        (
            "negative price",
            mutate(&|v| v["data"]["price"]["value"] = json!(-1)),
        ),
        (
            "item without product",
            mutate(&|v| {
                v["data"]["items"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("productId");
            }),
        ),
    ];
    for (name, body) in cases {
        assert!(parse_body(&body).is_err(), "{name} accepted");
    }
}

#[test]
fn the_signature_is_hmac_sha256_of_the_raw_body() {
    let p = EduzzHubProvider::from_config(&EduzzConfig {
        origins: vec![],
        hub_secrets: vec![Secret::new("hub-old"), Secret::new("hub-new")],
    });
    let body = read("invoice_paid.json");
    let signed = |sig: Option<String>| {
        let mut h = HeaderMap::new();
        if let Some(s) = sig {
            h.insert("x-signature", s.parse().unwrap());
        }
        h
    };
    let good = hmac_sha256_hex("hub-new", &body);
    let cases = [
        (Some(good.clone()), Ok(())),
        (Some(good.to_uppercase()), Ok(())),
        (Some(hmac_sha256_hex("hub-old", &body)), Ok(())),
        (
            Some(hmac_sha256_hex("hub-new", b"{}")),
            Err(AuthError::InvalidSignature),
        ),
        (
            Some(hmac_sha256_hex("attacker", &body)),
            Err(AuthError::InvalidSignature),
        ),
        (Some("zz".into()), Err(AuthError::InvalidSignature)),
        (
            Some(good[..32].to_owned()),
            Err(AuthError::InvalidSignature),
        ),
        (None, Err(AuthError::MissingSignature)),
    ];
    for (sig, want) in cases {
        assert_eq!(p.verify(&signed(sig.clone()), &body), want, "{sig:?}");
    }
    let mut tampered = body.clone();
    let at = tampered.iter().position(|b| *b == b'3').unwrap();
    tampered[at] = b'9';
    assert_eq!(
        p.verify(&signed(Some(good)), &tampered),
        Err(AuthError::InvalidSignature)
    );
    let none = EduzzHubProvider::from_config(&EduzzConfig::default());
    assert_eq!(
        none.verify(&signed(Some(hmac_sha256_hex("x", &body))), &body),
        Err(AuthError::NotConfigured("Eduzz Hub secret"))
    );
}
