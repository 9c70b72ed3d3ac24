//! `spawn_app()` and typed helpers.

use crate::backend;
use paybridge::config::Config;
use paybridge::secret::Secret;
use paybridge::startup::Application;
use serde_json::{json, Value};
use std::time::Duration;

pub const API_KEY: &str = "test-api-key-0123456789";

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub state: paybridge::http::AppState,
    /// AppID the sandbox accepts (None with an external Woovi).
    pub app_id: Option<String>,
    /// The sandbox's URL: mounted in the app (SQLite), or served on a port
    /// of its own (PostgreSQL, where the embedded one is never mounted).
    pub sandbox_url: Option<String>,
    /// Where the app keeps its data (a SQLite file or a PostgreSQL database).
    pub database: paybridge::config::DatabaseLocation,
    pub dir: tempfile::TempDir,
}

#[derive(Default)]
pub struct Options {
    pub woovi_base_url: Option<String>,
    /// Defaults to one hour (the reconciler stays out of the way).
    pub reconcile_after: Option<Duration>,
    /// Where Woovi is told to send webhooks; defaults to the app itself.
    pub public_url: Option<String>,
    /// Last changes to the configuration before the app is built.
    pub configure: Option<fn(&mut Config)>,
    /// Outbound webhook settings; defaults to production ones (private targets refused).
    pub outbound: Option<paybridge::outbound::OutboundConfig>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

/// A closed local port: nothing listens there.
pub fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}")
}

pub async fn spawn_app_with(opts: Options) -> TestApp {
    // `RUST_LOG=debug cargo test …` shows the app's log beside a failure.
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.data_dir = dir.path().to_path_buf();
    config.database = backend::fresh_database(dir.path(), "test.db").await;
    config.api_key = Some(Secret::new(API_KEY));
    config.sandbox_webhook_delay = Duration::from_millis(50);
    config.reconcile_after = opts.reconcile_after.unwrap_or(Duration::from_secs(3600));
    if let Some(o) = opts.outbound {
        config.outbound = o;
    }
    let opts_public_url_unset = opts.public_url.is_none();
    config.public_url = opts.public_url.map(|u| u.parse().unwrap());
    // On PostgreSQL the sandbox is a separate service, as in production.
    let separate_sandbox = match (&opts.woovi_base_url, backend::is_postgres()) {
        (None, true) => {
            let url =
                backend::serve_sandbox(&dir.path().join("sandbox"), config.sandbox_webhook_delay)
                    .await;
            config.secret_key = Some(Secret::new(backend::SECRET_KEY));
            Some(url)
        }
        (_, true) => {
            config.secret_key = Some(Secret::new(backend::SECRET_KEY));
            None
        }
        _ => None,
    };
    if let Some(u) = opts.woovi_base_url.as_ref().or(separate_sandbox.as_ref()) {
        config.woovi.base_url = Some(u.parse().unwrap());
        config.woovi.app_id = Some(Secret::new(backend::SANDBOX_APP_ID));
    }
    if let Some(f) = opts.configure {
        f(&mut config);
    }
    let database = config.database.clone();
    let app = Application::build(config).await.expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let webhooks_reach_us = opts_public_url_unset;
    let (app_id, sandbox_url) = match (&app.dev_app_id, &separate_sandbox) {
        (Some(a), _) => (
            Some(a.expose().to_owned()),
            Some(format!("{base}{}", paybridge::startup::SANDBOX_MOUNT)),
        ),
        (None, Some(url)) => (Some(backend::SANDBOX_APP_ID.to_owned()), Some(url.clone())),
        (None, None) => (None, None),
    };
    tokio::spawn(app.run());
    let app = TestApp {
        base,
        http: reqwest::Client::new(),
        state,
        app_id,
        sandbox_url,
        database,
        dir,
    };
    if separate_sandbox.is_some() && webhooks_reach_us {
        // What `paybridge woovi webhook setup` does in production.
        let url = format!("{}/webhooks/woovi", app.base);
        for event in paybridge::startup::WEBHOOK_EVENTS {
            app.state.gateway.ensure_webhook(event, &url).await.unwrap();
        }
    }
    if app.app_id.is_some() && webhooks_reach_us {
        app.wait_for_webhook_registrations().await;
    }
    app
}

/// Polls `check` every 50 ms for up to `secs` seconds.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {secs} s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// base64 RSA-SHA256 (PKCS#1 v1.5) of `body`, as Woovi's `x-webhook-signature`.
pub fn sign(key: &rsa::RsaPrivateKey, body: &[u8]) -> String {
    use base64::Engine;
    use rsa::signature::{SignatureEncoding, Signer};
    let sk = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key.clone());
    base64::engine::general_purpose::STANDARD.encode(sk.sign(body).to_bytes())
}

/// A Woovi-shaped CHARGE_COMPLETED body.
pub fn completed_body(correlation_id: &str, end_to_end_id: &str, value: i64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "event": "OPENPIX:CHARGE_COMPLETED",
        "charge": { "correlationID": correlation_id, "value": value, "status": "COMPLETED" },
        "pix": { "endToEndId": end_to_end_id, "value": value, "time": "2026-01-01T12:00:00.000Z" }
    }))
    .unwrap()
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
    /// The app's database, opened beside it.
    pub async fn raw_db(&self) -> crate::backend::RawDb {
        crate::backend::RawDb::open(&self.database).await
    }

    /// URL of the sandbox (embedded or separate).
    pub fn sandbox(&self) -> String {
        self.sandbox_url.clone().expect("this app has a sandbox")
    }

    /// The sandbox's webhook signing key (saved in the data dir).
    pub fn sandbox_signing_key(&self) -> rsa::RsaPrivateKey {
        use rsa::pkcs8::DecodePrivateKey;
        let pem = std::fs::read_to_string(self.dir.path().join("sandbox/webhook-signing-key.pem"))
            .expect("sandbox key file");
        rsa::RsaPrivateKey::from_pkcs8_pem(&pem).expect("PKCS#8 key")
    }

    async fn wait_for_webhook_registrations(&self) {
        let url = format!("{}/api/v1/webhook", self.sandbox());
        let app_id = self.app_id.clone().unwrap();
        eventually(20, "webhook registrations", || {
            let req = self.http.get(&url).header("Authorization", &app_id);
            async move {
                let v: Value = req.send().await.unwrap().json().await.unwrap();
                v["webhooks"].as_array().map_or(0, Vec::len)
                    >= paybridge::startup::WEBHOOK_EVENTS.len()
            }
        })
        .await;
    }

    /// Pays a charge through the sandbox's `/openpix/testing`; returns its JSON answer.
    pub async fn pay_in_sandbox(&self, correlation_id: &str) -> Value {
        let res = self
            .http
            .post(format!(
                "{}/openpix/testing?correlationID={correlation_id}",
                self.sandbox()
            ))
            .header("Authorization", self.app_id.as_deref().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "sandbox payment");
        res.json().await.unwrap()
    }

    /// Creates an order and returns its JSON (asserts 201).
    pub async fn create_order(&self, body: &Value) -> Value {
        let res = self.post_order(body, None).await;
        assert_eq!(res.status(), 201, "create order");
        res.json().await.unwrap()
    }

    /// Waits until the order has `status`; returns it.
    pub async fn wait_for_status(&self, id: &str, status: &str) -> Value {
        eventually(20, &format!("order {id} to be {status}"), || async {
            self.get_order(id).await["status"] == status
        })
        .await;
        self.get_order(id).await
    }

    /// POST /api/v1/orders/{id}/{action} with a JSON body.
    pub async fn order_action(&self, id: &str, action: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/orders/{id}/{action}", self.base))
            .bearer_auth(API_KEY)
            .json(body)
            .send()
            .await
            .unwrap()
    }

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

    /// GET an API path with the API key; returns status and JSON (Null when empty).
    pub async fn api_get_json(&self, path: &str) -> (u16, Value) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(API_KEY)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Sends a JSON body to an API path with the API key; returns status and JSON (Null when empty).
    pub async fn api_send(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let res = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(API_KEY)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
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
