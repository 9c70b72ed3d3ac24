//! `spawn_app()`: the service on a random port with a fresh SQLite database
//! and the embedded sandbox (fast webhooks), plus the few API calls pages need.

use paybridge::config::{Config, DatabaseLocation};
use paybridge::secret::Secret;
use paybridge::startup::Application;
use serde_json::{json, Value};
use std::time::Duration;

pub const API_KEY: &str = "pages-test-api-key-0123456789";

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub state: paybridge::http::AppState,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.data_dir = dir.path().to_path_buf();
    config.database = DatabaseLocation::Sqlite(dir.path().join("test.db"));
    config.api_key = Some(Secret::new(API_KEY));
    config.sandbox_webhook_delay = Duration::from_millis(50);
    config.reconcile_after = Duration::from_secs(3600);
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
        "customer": { "name": "Ana Souza", "email": "ana@example.com", "tax_id": "290.948.480-74" }
    })
}

impl TestApp {
    pub async fn post_order(&self, body: &Value) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/orders", self.base))
            .bearer_auth(API_KEY)
            .json(body)
            .send()
            .await
            .unwrap()
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
}
