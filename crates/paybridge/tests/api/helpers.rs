//! `spawn_app()` and typed helpers.

use paybridge::config::{Config, DatabaseLocation};
use paybridge::secret::Secret;
use paybridge::startup::Application;
use serde_json::{json, Value};
use std::time::Duration;

pub const API_KEY: &str = "test-api-key-0123456789";

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub state: paybridge::http::AppState,
    _dir: tempfile::TempDir,
}

pub struct Options {
    pub woovi_base_url: Option<String>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options {
        woovi_base_url: None,
    })
    .await
}

/// A closed local port: nothing listens there.
pub fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}")
}

pub async fn spawn_app_with(opts: Options) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.data_dir = dir.path().to_path_buf();
    config.database = DatabaseLocation::Sqlite(dir.path().join("test.db"));
    config.api_key = Some(Secret::new(API_KEY));
    config.sandbox_webhook_delay = Duration::from_millis(50);
    config.reconcile_after = Duration::from_secs(3600);
    if let Some(u) = opts.woovi_base_url {
        config.woovi.base_url = Some(u.parse().unwrap());
        config.woovi.app_id = Some(Secret::new("test-app-id"));
    }
    let app = Application::build(config).await.expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run());
    TestApp {
        base,
        http: reqwest::Client::new(),
        state,
        _dir: dir,
    }
}

pub fn order_body() -> Value {
    json!({
        "reference": "PED-1",
        "amount": 1500,
        "items": [{ "name": "Camiseta", "quantity": 1, "unit_amount": 1500 }],
        "customer": { "name": "Ana Souza", "email": "ana@example.com", "tax_id": "290.948.480-74", "age": 30 }
    })
}

impl TestApp {
    pub async fn post_order(
        &self,
        body: &Value,
        idempotency_key: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/api/v1/orders", self.base))
            .bearer_auth(API_KEY)
            .json(body);
        if let Some(k) = idempotency_key {
            req = req.header("Idempotency-Key", k);
        }
        req.send().await.unwrap()
    }

    pub async fn get_order(&self, id: &str) -> Value {
        let res = self
            .http
            .get(format!("{}/api/v1/orders/{id}", self.base))
            .bearer_auth(API_KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    pub async fn deliver_webhook(&self, body: &[u8], signature: Option<&str>) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/webhooks/woovi", self.base))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(s) = signature {
            req = req.header("x-webhook-signature", s);
        }
        req.send().await.unwrap()
    }

    pub async fn metrics(&self) -> String {
        self.http
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }
}
