//! Shared steps of the Wiapy and Eduzz tests: an app with their secrets, the
//! shared fixtures, typed deliveries, and a snapshot of everything a webhook
//! could change.

use crate::helpers::{closed_port_url, spawn_app_with, Options, TestApp, API_KEY};
use paybridge::config::Config;
use paybridge::providers::field_tree::{self, Encoding};
use paybridge::providers::shared_secret::hmac_sha256_hex;
use paybridge::secret::Secret;
use serde_json::{json, Value};

pub const WIAPY_TOKEN: &str = "wiapy-test-token-1";
pub const EDUZZ_ORIGIN: &str = "eduzz-test-origin-1";
pub const HUB_SECRET: &str = "eduzz-hub-test-secret-1";

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/providers");

fn secrets(c: &mut Config) {
    c.wiapy.tokens = vec![Secret::new("wiapy-old-token"), Secret::new(WIAPY_TOKEN)];
    c.eduzz.origins = vec![Secret::new(EDUZZ_ORIGIN)];
    c.eduzz.hub_secrets = vec![Secret::new(HUB_SECRET)];
}

/// An app with every platform secret configured (Woovi unreachable: not needed).
pub async fn spawn() -> TestApp {
    spawn_app_with(Options {
        woovi_base_url: Some(closed_port_url()),
        configure: Some(secrets),
        ..Options::default()
    })
    .await
}

/// An app with no platform secret at all.
pub async fn spawn_unconfigured() -> TestApp {
    spawn_app_with(Options {
        woovi_base_url: Some(closed_port_url()),
        ..Options::default()
    })
    .await
}

pub fn fixture(path: &str) -> Value {
    let full = format!("{SHARED}/{path}");
    serde_json::from_slice(&std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))).unwrap()
}

/// Wiapy's documented sale with `status` stated at `dt_update`.
pub fn wiapy(status: &str, dt_update: &str) -> Value {
    let mut v = fixture("wiapy/payment-paid-pix.json");
    v["payment"]["status"] = json!(status);
    v["payment"]["dt_update"] = json!(dt_update);
    v
}

pub const WIAPY_ORDER: &str = "wiapy:680bb49dcc58d1620569cb2e";

/// Eduzz's registration example made a real invoice with `trans_status`.
pub fn eduzz_invoice(trans_status: &str) -> Value {
    let mut v = fixture("eduzz/legacy-examples/invoice-registration-test.json");
    v["type"] = json!("invoice");
    v["origin"] = json!(EDUZZ_ORIGIN);
    v["trans_status"] = json!(trans_status);
    v
}

pub const EDUZZ_ORDER: &str = "eduzz:1";

/// A Developer Hub example with its own envelope id.
pub fn hub(file: &str, id: &str) -> Vec<u8> {
    let mut v = fixture(&format!("eduzz/hub-examples/{file}"));
    v["id"] = json!(id);
    serde_json::to_vec(&v).unwrap()
}

pub const HUB_ORDER: &str = "eduzz:12345678";

/// The PHP-flattened form encoding of a JSON body.
pub fn as_form(v: &Value) -> String {
    let tree = field_tree::decode(Encoding::Json, &serde_json::to_vec(v).unwrap()).unwrap();
    field_tree::to_form(&tree)
}

/// What a webhook could change, to assert that a refused one changed nothing.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    orders: Value,
    entitlements: Value,
    carts: Value,
    inbox: Vec<(String, i64)>,
}

impl Snapshot {
    /// Everything but the inbox (which records accepted no-op events).
    pub fn without_inbox(&self) -> (&Value, &Value, &Value) {
        (&self.orders, &self.entitlements, &self.carts)
    }
}

impl TestApp {
    pub async fn post_wiapy_raw(&self, body: Vec<u8>, token: Option<&str>) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/webhooks/wiapy", self.base))
            .header("content-type", "application/json")
            .body(body);
        if let Some(t) = token {
            req = req.header("authorization", t);
        }
        req.send().await.unwrap()
    }

    pub async fn post_wiapy(&self, v: &Value) -> reqwest::Response {
        self.post_wiapy_raw(serde_json::to_vec(v).unwrap(), Some(WIAPY_TOKEN))
            .await
    }

    pub async fn post_eduzz_raw(&self, content_type: &str, body: Vec<u8>) -> reqwest::Response {
        self.http
            .post(format!("{}/webhooks/eduzz", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_eduzz_json(&self, v: &Value) -> reqwest::Response {
        self.post_eduzz_raw("application/json", serde_json::to_vec(v).unwrap())
            .await
    }

    pub async fn post_eduzz_form(&self, v: &Value) -> reqwest::Response {
        self.post_eduzz_raw("application/x-www-form-urlencoded", as_form(v).into_bytes())
            .await
    }

    pub async fn post_hub_signed(
        &self,
        body: Vec<u8>,
        signature: Option<String>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/webhooks/eduzz-hub", self.base))
            .header("content-type", "application/json")
            .body(body);
        if let Some(s) = signature {
            req = req.header("x-signature", s);
        }
        req.send().await.unwrap()
    }

    pub async fn post_hub(&self, body: Vec<u8>) -> reqwest::Response {
        let sig = hmac_sha256_hex(HUB_SECRET, &body);
        self.post_hub_signed(body, Some(sig)).await
    }

    pub async fn api_get(&self, path_and_query: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path_and_query}", self.base))
            .bearer_auth(API_KEY)
            .send()
            .await
            .unwrap()
    }

    pub async fn api_json(&self, path_and_query: &str) -> Value {
        let res = self.api_get(path_and_query).await;
        assert_eq!(res.status(), 200, "GET {path_and_query}");
        res.json().await.unwrap()
    }

    pub async fn entitlements(&self, query: &str) -> Vec<Value> {
        self.api_json(&format!("/api/v1/entitlements?limit=200&{query}"))
            .await["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    pub async fn snapshot(&self) -> Snapshot {
        Snapshot {
            orders: self.api_json("/api/v1/orders?limit=200").await["data"].clone(),
            entitlements: self.api_json("/api/v1/entitlements?limit=200").await["data"].clone(),
            carts: self.api_json("/api/v1/abandoned-carts").await["data"].clone(),
            inbox: self.state.store.inbox_counts().await.unwrap(),
        }
    }

    /// The `platform_sales` row of an order (by correlationID), read straight
    /// from the database: what the platform said beyond the order row.
    pub async fn platform_sale(&self, correlation_id: &str) -> Value {
        let rows = self
            .raw_db()
            .await
            .rows(
                "SELECT s.* FROM platform_sales s JOIN orders o ON o.id = s.order_id WHERE o.correlation_id = ?",
                &[correlation_id],
            )
            .await;
        let r = &rows[0];
        let parse = |col: &str| {
            r[col]
                .as_str()
                .map(|s| serde_json::from_str::<Value>(s).unwrap())
                .unwrap_or(Value::Null)
        };
        json!({
            "platform": r["platform"],
            "transaction_id": r["transaction_id"],
            "stated_status": r["stated_status"],
            "raw_status": r["raw_status"],
            "payment_method": parse("payment_method"),
            "buyer_document": r["buyer_document"],
            "student_email": r["student_email"],
            "products": parse("products"),
            "subscription": parse("subscription"),
        })
    }

    /// `(order_id, event_type)` of every outbox row, oldest first, read
    /// straight from the database.
    pub async fn outbox_rows(&self) -> Vec<(Option<String>, String)> {
        self.raw_db()
            .await
            .rows(
                "SELECT order_id, event_type FROM outbox ORDER BY created_at, id",
                &[],
            )
            .await
            .iter()
            .map(|r| {
                (
                    r["order_id"].as_str().map(str::to_owned),
                    r["event_type"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

/// The statuses of a list of entitlements.
pub fn statuses(list: &[Value]) -> Vec<&str> {
    list.iter().map(|e| e["status"].as_str().unwrap()).collect()
}

/// The timeline events of an order, in order.
pub fn timeline_events(order: &Value) -> Vec<String> {
    order["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["event"].as_str().unwrap().to_owned())
        .collect()
}
