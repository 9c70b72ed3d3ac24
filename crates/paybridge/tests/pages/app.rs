//! `spawn_app()`: the service on a random port with a fresh SQLite database
//! and the embedded sandbox (fast webhooks), plus the few API calls pages need.

use crate::backend;
use paybridge::config::Config;
use paybridge::secret::Secret;
use paybridge::startup::Application;
use serde_json::{json, Value};
use std::time::Duration;

pub const API_KEY: &str = "pages-test-api-key-0123456789";

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub state: paybridge::http::AppState,
    pub dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_at(None).await
}

/// Like [`spawn_app`], with `PAYBRIDGE_PUBLIC_URL` set (links and cookies
/// follow it; requests still go to the local port).
pub async fn spawn_app_at(public_url: Option<&str>) -> TestApp {
    spawn(public_url, |_| {}).await
}

/// Like [`spawn_app`], with last changes to the configuration (secrets).
pub async fn spawn_app_with(configure: fn(&mut Config)) -> TestApp {
    spawn(None, configure).await
}

async fn spawn(public_url: Option<&str>, configure: fn(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.data_dir = dir.path().to_path_buf();
    config.database = backend::fresh_database(dir.path(), "test.db").await;
    config.api_key = Some(Secret::new(API_KEY));
    config.sandbox_webhook_delay = Duration::from_millis(50);
    config.reconcile_after = Duration::from_secs(3600);
    config.public_url = public_url.map(|u| u.parse().unwrap());
    // On PostgreSQL the sandbox is a separate service, as in production,
    // named as a sandbox so the checkout still offers "Simular pagamento".
    let separate_sandbox = backend::is_postgres();
    if separate_sandbox {
        let url =
            backend::serve_sandbox(&dir.path().join("sandbox"), config.sandbox_webhook_delay).await;
        config.secret_key = Some(Secret::new(backend::SECRET_KEY));
        config.woovi.base_url = Some(url.parse().unwrap());
        config.woovi.app_id = Some(Secret::new(backend::SANDBOX_APP_ID));
        config.woovi.sandbox = true;
    }
    configure(&mut config);
    let app = Application::build(config).await.expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run());
    let app = TestApp {
        base,
        http: reqwest::Client::new(),
        state,
        dir,
    };
    if public_url.is_none() {
        if separate_sandbox {
            // What `paybridge woovi webhook setup` does in production.
            let url = format!("{}/webhooks/woovi", app.base);
            for event in paybridge::startup::WEBHOOK_EVENTS {
                app.state.gateway.ensure_webhook(event, &url).await.unwrap();
            }
        }
        app.wait_for_webhook_registrations().await;
    }
    app
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
    /// Waits until the sandbox knows where to send webhooks (the app
    /// registers them just after it starts serving), so a payment made right
    /// away is not lost.
    async fn wait_for_webhook_registrations(&self) {
        let sandbox = self.state.sandbox.as_ref().expect("sandbox mounted");
        let url = format!("{}/api/v1/webhook", sandbox.base_url);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let v: Value = self
                .http
                .get(&url)
                .header("Authorization", sandbox.app_id.expose())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if v["webhooks"].as_array().map_or(0, Vec::len)
                >= paybridge::startup::WEBHOOK_EVENTS.len()
            {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "webhook registrations"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

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

    /// The sandbox's webhook signing key (saved in the data dir).
    pub fn sandbox_signing_key(&self) -> rsa::RsaPrivateKey {
        use rsa::pkcs8::DecodePrivateKey;
        let pem = std::fs::read_to_string(self.dir.path().join("sandbox/webhook-signing-key.pem"))
            .expect("sandbox key file");
        rsa::RsaPrivateKey::from_pkcs8_pem(&pem).expect("PKCS#8 key")
    }

    /// POST /webhooks/woovi with an optional `x-webhook-signature`.
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
}

/// base64 RSA-SHA256 (PKCS#1 v1.5) of `body`, as Woovi's `x-webhook-signature`.
pub fn sign(key: &rsa::RsaPrivateKey, body: &[u8]) -> String {
    use base64::Engine;
    use rsa::signature::{SignatureEncoding, Signer};
    let sk = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key.clone());
    base64::engine::general_purpose::STANDARD.encode(sk.sign(body).to_bytes())
}
