//! Request and response shapes checked against Woovi's OpenAPI document:
//! (a) the JSON this client sends validates against each operation's request
//! schema; (b) the spec's own response examples deserialize into the models.

mod common;

use serde_json::{json, Value};
use std::sync::OnceLock;
use woovi::models::*;

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(common::provider_file("openapi.yml")).unwrap();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        yaml_to_json(yaml)
    })
}

/// YAML → JSON with every map key as a string (response codes are integers in YAML).
fn yaml_to_json(v: serde_yaml::Value) -> Value {
    match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => serde_json::to_value(&n).unwrap(),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(s) => Value::Array(s.into_iter().map(yaml_to_json).collect()),
        serde_yaml::Value::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        serde_yaml::Value::String(s) => s,
                        other => serde_yaml::to_string(&other).unwrap().trim().to_owned(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => yaml_to_json(t.value),
    }
}

/// Inlines every `$ref` (depth-limited: the spec has recursive schemas).
fn resolve(v: &Value, depth: usize) -> Value {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if depth > 12 {
                    return json!({});
                }
                let pointer = r.trim_start_matches('#');
                let target = spec()
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling $ref {r}"));
                return resolve(target, depth + 1);
            }
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), resolve(v, depth)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| resolve(v, depth)).collect()),
        other => other.clone(),
    }
}

fn operation(method: &str, path: &str) -> &'static Value {
    spec()["paths"][path]
        .get(method)
        .unwrap_or_else(|| panic!("{method} {path} is not in the spec"))
}

fn request_schema(method: &str, path: &str) -> Value {
    let op = operation(method, path);
    resolve(
        &op["requestBody"]["content"]["application/json"]["schema"],
        0,
    )
}

/// Woovi's `CustomerPayload` is a `oneOf` of name+taxID / name+email /
/// name+phone, so a customer with all of them (Woovi's own request example)
/// matches several branches and fails `oneOf`. `anyOf` is what the text means.
fn relax_one_of(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(one_of) = m.remove("oneOf") {
                m.insert("anyOf".into(), one_of);
            }
            m.values_mut().for_each(relax_one_of);
        }
        Value::Array(a) => a.iter_mut().for_each(relax_one_of),
        _ => {}
    }
}

fn assert_valid(method: &str, path: &str, body: &Value) {
    let mut schema = request_schema(method, path);
    assert!(
        schema.is_object() && schema != json!({}),
        "{method} {path} has no request schema"
    );
    relax_one_of(&mut schema);
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path}: {errors:?}\nbody: {body}"
    );
}

fn customer() -> CustomerInput {
    CustomerInput {
        name: "Dan".into(),
        email: Some("dan@example.com".into()),
        phone: Some("5511999999999".into()),
        tax_id: Some("31324227036".into()),
        correlation_id: Some("c-1".into()),
        address: Some(Address {
            zipcode: Some("30421322".into()),
            city: Some("BH".into()),
            ..Default::default()
        }),
    }
}

#[test]
fn the_customer_one_of_really_rejects_woovis_own_example() {
    let schema = request_schema("post", "/api/v1/customer");
    let example = &operation("post", "/api/v1/customer")["requestBody"]["content"]
        ["application/json"]["example"];
    assert!(!jsonschema::draft4::new(&schema).unwrap().is_valid(example));
}

#[test]
fn request_bodies_match_the_spec() {
    let mut charge = ChargeRequest::new("order-1", 1990);
    charge.comment = Some("Pedido".into());
    charge.expires_in = Some(3600);
    charge.customer = Some(customer());
    charge.additional_info = vec![AdditionalInfo::new("Idade", "34")];
    charge.ensure_same_tax_id = Some(false);
    assert_valid(
        "post",
        "/api/v1/charge",
        &serde_json::to_value(&charge).unwrap(),
    );

    let mut overdue = ChargeRequest::new("order-2", 1600);
    overdue.kind = Some(ChargeType::Overdue);
    overdue.days_for_due_date = Some(5);
    overdue.days_after_due_date = Some(5);
    overdue.interests = Some(ChargeModifier {
        value: Some(10),
        kind: Some(ModifierKind::Percentage),
    });
    overdue.fines = Some(ChargeModifier {
        value: Some(20),
        kind: Some(ModifierKind::Fixed),
    });
    assert_valid(
        "post",
        "/api/v1/charge",
        &serde_json::to_value(&overdue).unwrap(),
    );

    let refund = ChargeRefundRequest {
        correlation_id: "rf".into(),
        value: Some(100),
        comment: Some("x".into()),
    };
    assert_valid(
        "post",
        "/api/v1/charge/{id}/refund",
        &serde_json::to_value(&refund).unwrap(),
    );

    assert_valid(
        "post",
        "/api/v1/customer",
        &serde_json::to_value(customer()).unwrap(),
    );

    let payment = PaymentRequest {
        kind: Some("PIX_KEY".into()),
        value: Some(100),
        destination_alias: Some("c4249323-b4ca-43f2-8139-8232aab09b93".into()),
        destination_alias_type: Some("RANDOM".into()),
        correlation_id: "p1".into(),
        comment: Some("c".into()),
        ..Default::default()
    };
    assert_valid(
        "post",
        "/api/v1/payment",
        &serde_json::to_value(&payment).unwrap(),
    );

    let qr = PixQrCodeRequest {
        name: "qr".into(),
        correlation_id: Some("q1".into()),
        value: Some(100),
        comment: Some("c".into()),
        ..Default::default()
    };
    assert_valid(
        "post",
        "/api/v1/qrcode-static",
        &serde_json::to_value(&qr).unwrap(),
    );

    let refund = RefundRequest {
        transaction_end_to_end_id: "E1".into(),
        correlation_id: "r1".into(),
        value: Some(100),
        comment: Some("c".into()),
    };
    assert_valid(
        "post",
        "/api/v1/refund",
        &serde_json::to_value(&refund).unwrap(),
    );

    let mut sub = SubscriptionRequest::new(customer(), 100, "s1");
    sub.day_generate_charge = Some(5);
    assert_valid(
        "post",
        "/api/v1/subscriptions",
        &serde_json::to_value(&sub).unwrap(),
    );

    let webhook = WebhookRequest {
        name: Some("wh".into()),
        event: Some(WebhookEventKind::ChargeCompleted),
        url: "https://example.com/wh".into(),
        authorization: Some("tok".into()),
        is_active: Some(true),
    };
    // The client wraps it as {"webhook": …} exactly like this.
    assert_valid("post", "/api/v1/webhook", &json!({ "webhook": webhook }));

    assert_valid(
        "post",
        "/api/v1/account/{accountId}/withdraw",
        &json!({ "value": 7000 }),
    );
    let cashback = CashbackRequest {
        tax_id: "11111111111".into(),
        value: 100,
    };
    assert_valid(
        "post",
        "/api/v1/cashback-fidelity",
        &serde_json::to_value(&cashback).unwrap(),
    );

    let app = PartnerApplicationRequest {
        application: ApplicationInput {
            name: "App".into(),
            kind: "API".into(),
            scopes: vec!["CHARGE_GET".into()],
        },
        tax_id: TaxIdInput {
            tax_id: "65914571000187".into(),
            kind: "BR:CNPJ".into(),
        },
    };
    assert_valid(
        "post",
        "/api/v1/partner/application",
        &serde_json::to_value(&app).unwrap(),
    );
}

#[test]
fn a_wrong_body_is_caught_by_the_validator() {
    // Proof the check can fail: a string value where the spec wants a number.
    let mut schema = request_schema("post", "/api/v1/charge");
    relax_one_of(&mut schema);
    let v = jsonschema::draft4::new(&schema).unwrap();
    assert!(!v.is_valid(&json!({"correlationID": "x", "value": "100"})));
    assert!(!v.is_valid(&json!({"value": 100})));
}

/// Every JSON example of a 2xx answer of an operation.
fn response_examples(method: &str, path: &str) -> Vec<Value> {
    let op = operation(method, path);
    let mut out = Vec::new();
    for (code, resp) in op["responses"].as_object().unwrap() {
        if !code.starts_with('2') {
            continue;
        }
        let resp = resolve(resp, 0);
        let Some(content) = resp["content"]["application/json"].as_object() else {
            continue;
        };
        if let Some(e) = content.get("example") {
            out.push(e.clone());
        }
        if let Some(Value::Object(exs)) = content.get("examples") {
            out.extend(exs.values().filter_map(|e| e.get("value").cloned()));
        }
        if let Some(e) = content.get("schema").and_then(|s| s.get("example")) {
            out.push(e.clone());
        }
    }
    out
}

fn under<T: serde::de::DeserializeOwned>(v: &Value, key: &str) -> T {
    serde_json::from_value(
        v.get(key)
            .cloned()
            .unwrap_or_else(|| panic!("no {key} in {v}")),
    )
    .unwrap_or_else(|e| panic!("{key}: {e}\n{v}"))
}

fn whole<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}\n{v}"))
}

#[test]
fn spec_response_examples_deserialize_into_the_models() {
    type Check = fn(&Value);
    let table: &[(&str, &str, Check)] = &[
        ("get", "/api/v1/account/{accountId}", |v| {
            assert!(under::<Account>(v, "account").account_id.is_some())
        }),
        ("get", "/api/v1/account/", |v| {
            assert_eq!(whole::<Page<Account>>(v).items.len(), 2)
        }),
        ("post", "/api/v1/account/{accountId}/withdraw", |v| {
            assert!(under::<Withdrawal>(v, "withdraw")
                .transaction
                .unwrap()
                .end_to_end_id
                .is_some())
        }),
        ("get", "/api/v1/charge/{id}", |v| {
            assert_eq!(under::<Charge>(v, "charge").value, Some(100))
        }),
        ("get", "/api/v1/charge", |v| {
            // The spec writes `charges` as one object; the lenient list reads it as one item.
            let page = whole::<Page<Charge>>(v);
            assert_eq!(page.items.len(), 1);
            assert_eq!(page.page_info.has_next_page, Some(true));
        }),
        ("post", "/api/v1/charge", |v| {
            assert!(whole::<ChargeCreated>(v)
                .charge
                .unwrap()
                .correlation_id
                .is_some())
        }),
        ("delete", "/api/v1/charge/{id}", |v| {
            assert_eq!(whole::<DeleteResponse>(v).status.as_deref(), Some("OK"))
        }),
        ("post", "/api/v1/charge/{id}/refund", |v| {
            assert_eq!(
                under::<ChargeRefund>(v, "refund").status,
                Some(ChargeRefundStatus::InProcessing)
            )
        }),
        ("get", "/api/v1/customer/{id}", |v| {
            assert!(under::<Customer>(v, "customer").tax_id.is_some())
        }),
        ("get", "/api/v1/customer", |v| {
            whole::<Page<Customer>>(v);
        }),
        ("post", "/api/v1/customer", |v| {
            assert_eq!(
                under::<Customer>(v, "customer").name.as_deref(),
                Some("Dan")
            )
        }),
        ("post", "/api/v1/partner/application", |v| {
            assert!(under::<PartnerApplication>(v, "application")
                .client_id
                .is_some())
        }),
        ("get", "/api/v1/payment/{id}", |v| {
            assert!(whole::<PaymentDetails>(v).payment.is_some())
        }),
        ("get", "/api/v1/payment", |v| {
            assert_eq!(whole::<Page<PaymentDetails>>(v).items.len(), 1)
        }),
        ("post", "/api/v1/payment", |v| {
            assert!(whole::<PaymentDetails>(v).payment.is_some())
        }),
        ("get", "/api/v1/qrcode-static/{id}", |v| {
            assert!(under::<PixQrCode>(v, "pixQrCode").identifier.is_some())
        }),
        ("get", "/api/v1/qrcode-static", |v| {
            assert_eq!(whole::<Page<PixQrCode>>(v).items.len(), 1)
        }),
        ("post", "/api/v1/qrcode-static", |v| {
            assert_eq!(
                whole::<PixQrCodeCreated>(v).pix_qr_code.unwrap().value,
                Some(100)
            )
        }),
        ("get", "/api/v1/refund/{id}", |v| {
            assert!(under::<Refund>(v, "pixTransactionRefund")
                .refund_id
                .is_some())
        }),
        ("get", "/api/v1/refund", |v| {
            assert_eq!(whole::<Page<Refund>>(v).items.len(), 1)
        }),
        ("post", "/api/v1/refund", |v| {
            assert_eq!(
                under::<Refund>(v, "refund").status,
                Some(RefundStatus::InProcessing)
            )
        }),
        ("get", "/api/v1/subscriptions/{id}", |v| {
            assert!(under::<Subscription>(v, "subscription").global_id.is_some())
        }),
        ("post", "/api/v1/subscriptions", |v| {
            assert_eq!(under::<Subscription>(v, "subscription").value, Some(100))
        }),
        ("get", "/api/v1/transaction/{id}", |v| {
            assert_eq!(under::<Transaction>(v, "transaction").value, Some(100))
        }),
        ("get", "/api/v1/transaction", |v| {
            assert_eq!(whole::<Page<Transaction>>(v).items.len(), 1)
        }),
        ("get", "/api/v1/webhook", |v| {
            assert_eq!(whole::<Page<Webhook>>(v).items.len(), 2)
        }),
        ("post", "/api/v1/webhook", |v| {
            assert!(under::<Webhook>(v, "webhook").id.is_some())
        }),
        ("get", "/api/v1/webhook/public-keys", |v| {
            let keys = whole::<WebhookPublicKeys>(v);
            let pem = keys.public_keys[0].key.clone().unwrap();
            // The published key is the embedded one.
            assert_eq!(
                woovi::webhook::KeySet::from_pem(&pem).unwrap(),
                woovi::webhook::KeySet::embedded()
            );
        }),
    ];
    for (method, path, check) in table {
        let examples = response_examples(method, path);
        assert!(
            !examples.is_empty(),
            "{method} {path} has no response example"
        );
        for e in &examples {
            check(e);
        }
    }
}

#[test]
fn every_seed_operation_is_in_the_spec() {
    // Operations without a response example still must exist with these methods.
    for (m, p) in [
        ("get", "/api/v1/cashback-fidelity/balance/{taxID}"),
        ("post", "/api/v1/cashback-fidelity"),
        ("get", "/openpix/charge/brcode/image/{id}.png"),
        ("get", "/api/v1/partner/company/{taxID}"),
        ("get", "/api/v1/partner/company"),
        ("post", "/api/v1/partner/company"),
        ("delete", "/api/v1/webhook/{id}"),
    ] {
        operation(m, p);
    }
}
