//! Every operation's response body validates against the schema of that
//! operation and status in Woovi's OpenAPI document.

mod common;

use common::{shared_path, spawn, Receiver};
use serde_json::{json, Value};

/// Woovi's OpenAPI document as JSON.
fn spec() -> Value {
    let text =
        std::fs::read_to_string(shared_path("providers/woovi/openapi.yml")).expect("openapi.yml");
    let mut spec: Value = serde_yaml::from_str(&text).expect("valid YAML");
    errata(&mut spec);
    spec
}

/// Places where the schema contradicts the same document's own examples
/// (and every webhook example). The sandbox follows the examples — what
/// Woovi actually sends — and the schema is widened just there.
fn errata(spec: &mut Value) {
    let schemas = &mut spec["components"]["schemas"];
    // `expiresIn: {type: string}`, but the charge examples say `expiresIn: 2592000`.
    schemas["Charge"]["properties"]["expiresIn"]["type"] = json!(["string", "number"]);
    // `value: {type: string}`, but the QR code examples say `value: 100`.
    schemas["PixQrCode"]["properties"]["value"]["type"] = json!(["string", "number"]);
    // `type` and `status` enums are swapped: the example has `type: PAYMENT`.
    let tx = &mut schemas["Transaction"]["properties"];
    let type_enum = tx["type"]["enum"].clone();
    tx["type"]["enum"] = tx["status"]["enum"].clone();
    tx["status"]["enum"] = type_enum;
}

/// Replaces every `$ref` by its target (recursion cut at `depth`).
fn resolve(spec: &Value, node: &Value, depth: usize) -> Value {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let pointer = r.trim_start_matches('#');
                let target = spec
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("unresolved {r}"));
                if depth > 12 {
                    return json!({});
                }
                return resolve(spec, target, depth + 1);
            }
            // OpenAPI-only keywords that JSON Schema would misread.
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                if matches!(
                    k.as_str(),
                    "example" | "examples" | "nullable" | "discriminator" | "xml"
                ) {
                    continue;
                }
                out.insert(k.clone(), resolve(spec, v, depth));
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| resolve(spec, v, depth)).collect())
        }
        other => other.clone(),
    }
}

fn response_schema(spec: &Value, method: &str, path: &str, status: u16) -> Value {
    let op = &spec["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is not in the spec");
    let schema = &op["responses"][status.to_string()]["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {path} has no JSON schema for {status}"
    );
    resolve(spec, schema, 0)
}

fn validate(spec: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let schema = response_schema(spec, method, path, status);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} -> {status}: {errors:#?}\nbody: {body:#}"
    );
}

#[test]
fn schemas_are_strict_enough_to_catch_a_wrong_shape() {
    let spec = spec();
    let schema = response_schema(&spec, "get", "/api/v1/charge/{id}", 200);
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator
        .validate(&json!({"charge": {"value": "ten"}}))
        .is_err());
    assert!(validator
        .validate(&json!({"charge": {"status": "PAID"}}))
        .is_err());
    assert!(validator
        .validate(&json!({"charge": {"value": 10, "status": "ACTIVE"}}))
        .is_ok());
}

#[tokio::test]
async fn every_operation_matches_its_openapi_schema() {
    let spec = spec();
    let sb = spawn().await;
    let rx = Receiver::start().await;

    // Fixtures.
    let charge = sb.charge("schema-charge", 1500).await;
    let txid = charge["transactionID"].as_str().unwrap().to_owned();
    let link = charge["paymentLinkID"].as_str().unwrap().to_owned();
    let paid = sb.pay(&txid).await;
    let e2e = paid["transaction"]["endToEndId"]
        .as_str()
        .unwrap()
        .to_owned();
    sb.charge("schema-charge-2", 700).await;
    let (_, hook) = sb
        .register("OPENPIX:CHARGE_COMPLETED", &rx.url, Some("tok"))
        .await;
    let hook_id = urlencoding::encode(hook["webhook"]["id"].as_str().unwrap()).into_owned();
    let (_, accounts) = sb.get("/api/v1/account/").await;
    let account_id = accounts["accounts"][0]["accountId"]
        .as_str()
        .unwrap()
        .to_owned();
    let customer_body = json!({"name": "Dan", "taxID": "31324227036", "email": "dan@example.com", "phone": "5511999999999", "correlationID": "schema-customer", "address": {"zipcode": "30421322", "street": "Rua", "number": "1", "neighborhood": "Centro", "city": "BH", "state": "MG", "country": "BR"}});
    let sub_body = json!({"value": 100, "customer": {"name": "Dan", "taxID": "31324227036", "email": "dan@example.com", "phone": "5511999999999"}, "dayGenerateCharge": 15, "correlationID": "schema-sub"});
    let pre_body = json!({
        "preRegistration": {"name": "Example LLC", "taxID": {"taxID": "11111111111111", "type": "BR:CNPJ"}, "website": "https://example.com"},
        "user": {"firstName": "John", "lastName": "Doe", "email": "john@example.com", "phone": "+5511912345678", "taxID": {"taxID": "11111111111", "type": "BR:CPF"}},
    });
    let app_body = json!({"application": {"name": "MyAPIAccess", "type": "API"}, "taxID": {"taxID": "11111111111111", "type": "BR:CNPJ"}});

    // (method, spec path, request path, body, expected status)
    let table: Vec<(&str, &str, String, Option<Value>, u16)> = vec![
        (
            "get",
            "/api/v1/account/",
            "/api/v1/account/".into(),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/account/{accountId}",
            format!("/api/v1/account/{account_id}"),
            None,
            200,
        ),
        (
            "post",
            "/api/v1/account/{accountId}/withdraw",
            format!("/api/v1/account/{account_id}/withdraw"),
            Some(json!({"value": 100})),
            200,
        ),
        (
            "post",
            "/api/v1/cashback-fidelity",
            "/api/v1/cashback-fidelity".into(),
            Some(json!({"taxID": "31324227036", "value": 100})),
            201,
        ),
        (
            "post",
            "/api/v1/cashback-fidelity",
            "/api/v1/cashback-fidelity".into(),
            Some(json!({"taxID": "31324227036", "value": 100})),
            200,
        ),
        (
            "get",
            "/api/v1/cashback-fidelity/balance/{taxID}",
            "/api/v1/cashback-fidelity/balance/31324227036".into(),
            None,
            200,
        ),
        (
            "post",
            "/api/v1/charge",
            "/api/v1/charge".into(),
            Some(
                json!({"correlationID": "schema-new", "value": 100, "comment": "good", "customer": {"name": "Dan", "taxID": "31324227036"}, "additionalInfo": [{"key": "Product", "value": "Pencil"}]}),
            ),
            200,
        ),
        (
            "post",
            "/api/v1/charge",
            "/api/v1/charge?return_existing=true".into(),
            Some(json!({"correlationID": "schema-new", "value": 100})),
            200,
        ),
        (
            "get",
            "/api/v1/charge/{id}",
            "/api/v1/charge/schema-charge".into(),
            None,
            200,
        ),
        ("get", "/api/v1/charge", "/api/v1/charge".into(), None, 200),
        (
            "post",
            "/api/v1/charge/{id}/refund",
            "/api/v1/charge/schema-charge/refund".into(),
            Some(json!({"correlationID": "schema-refund-1", "value": 500})),
            200,
        ),
        (
            "get",
            "/api/v1/charge/{id}/refund",
            "/api/v1/charge/schema-charge/refund".into(),
            None,
            200,
        ),
        (
            "post",
            "/api/v1/refund",
            "/api/v1/refund".into(),
            Some(
                json!({"transactionEndToEndId": e2e, "correlationID": "schema-refund-2", "value": 100}),
            ),
            200,
        ),
        (
            "get",
            "/api/v1/refund/{id}",
            "/api/v1/refund/schema-refund-2".into(),
            None,
            200,
        ),
        ("get", "/api/v1/refund", "/api/v1/refund".into(), None, 200),
        (
            "delete",
            "/api/v1/charge/{id}",
            "/api/v1/charge/schema-charge-2".into(),
            None,
            200,
        ),
        (
            "post",
            "/api/v1/customer",
            "/api/v1/customer".into(),
            Some(customer_body),
            200,
        ),
        (
            "get",
            "/api/v1/customer/{id}",
            "/api/v1/customer/schema-customer".into(),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/customer",
            "/api/v1/customer".into(),
            None,
            200,
        ),
        (
            "post",
            "/api/v1/partner/company",
            "/api/v1/partner/company".into(),
            Some(pre_body),
            200,
        ),
        (
            "post",
            "/api/v1/partner/application",
            "/api/v1/partner/application".into(),
            Some(app_body),
            200,
        ),
        (
            "get",
            "/api/v1/partner/company/{taxID}",
            "/api/v1/partner/company/11111111111111".into(),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/partner/company",
            "/api/v1/partner/company".into(),
            None,
            200,
        ),
        (
            "post",
            "/api/v1/payment",
            "/api/v1/payment".into(),
            Some(
                json!({"value": 100, "destinationAlias": "c4249323-b4ca-43f2-8139-8232aab09b93", "comment": "payment comment", "correlationID": "schema-payment", "sourceAccountId": "acc"}),
            ),
            200,
        ),
        (
            "get",
            "/api/v1/payment/{id}",
            "/api/v1/payment/schema-payment".into(),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/payment",
            "/api/v1/payment".into(),
            None,
            200,
        ),
        (
            "post",
            "/api/v1/qrcode-static",
            "/api/v1/qrcode-static".into(),
            Some(
                json!({"name": "my-qr-code", "correlationID": "schema-qr", "value": 100, "comment": "good", "identifier": "zr7833b4060c488a9b0f89811"}),
            ),
            200,
        ),
        (
            "get",
            "/api/v1/qrcode-static/{id}",
            "/api/v1/pixQrCode-static/schema-qr".into(),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/qrcode-static",
            "/api/v1/qrcode-static".into(),
            None,
            200,
        ),
        (
            "post",
            "/api/v1/subscriptions",
            "/api/v1/subscriptions".into(),
            Some(sub_body),
            200,
        ),
        (
            "get",
            "/api/v1/subscriptions/{id}",
            "/api/v1/subscriptions/schema-sub".into(),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/transaction/{id}",
            format!("/api/v1/transaction/{e2e}"),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/transaction",
            "/api/v1/transaction?charge=schema-charge".into(),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/webhook",
            "/api/v1/webhook".into(),
            None,
            200,
        ),
        (
            "get",
            "/api/v1/webhook/public-keys",
            "/api/v1/webhook/public-keys".into(),
            None,
            200,
        ),
        (
            "delete",
            "/api/v1/webhook/{id}",
            format!("/api/v1/webhook/{hook_id}"),
            None,
            200,
        ),
        // Error answers follow the 400 schemas.
        (
            "post",
            "/api/v1/charge",
            "/api/v1/charge".into(),
            Some(json!({"value": 1})),
            400,
        ),
        (
            "get",
            "/api/v1/charge/{id}",
            "/api/v1/charge/missing".into(),
            None,
            400,
        ),
        (
            "post",
            "/api/v1/refund",
            "/api/v1/refund".into(),
            Some(
                json!({"transactionEndToEndId": e2e, "correlationID": "too-much", "value": 100000}),
            ),
            400,
        ),
        (
            "post",
            "/api/v1/webhook",
            "/api/v1/webhook".into(),
            Some(json!({"webhook": {"url": "http://127.0.0.1:9/x"}})),
            400,
        ),
        (
            "get",
            "/api/v1/customer/{id}",
            "/api/v1/customer/missing".into(),
            None,
            400,
        ),
    ];
    // The webhook create is validated with a real receiver.
    validate(&spec, "post", "/api/v1/webhook", 200, &hook);

    let operations = table.len() + 1;
    let mut checked = 1;
    for (method, spec_path, path, body, expected) in table {
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut req = sb.req(m, &path);
        if let Some(b) = &body {
            req = req.json(b);
        }
        let response = req.send().await.unwrap();
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        assert_eq!(status, expected, "{method} {path}: {answer}");
        validate(&spec, method, spec_path, status, &answer);
        checked += 1;
    }
    assert_eq!(checked, operations);
    assert!(
        operations >= 40,
        "the table covers every operation of the client"
    );

    // The QR image has no JSON schema; it must be a PNG.
    let r = sb
        .http
        .get(sb.url(&format!("/openpix/charge/brcode/image/{link}.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"\x89PNG\r\n\x1a\n"));
}
