//! Shared test harness: a sandbox on a random port and a webhook receiver
//! that records what it got.
#![allow(dead_code)]

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use bytes::Bytes;
use serde_json::Value;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use woovi_sandbox::{Sandbox, SandboxConfig};

/// The AppID every test sandbox accepts.
pub const APP_ID: &str = "Q2xpZW50X0lkX3Rlc3Q6Q2xpZW50X1NlY3JldF90ZXN0";

/// Path of a file under the shared reference folder.
pub fn shared_path(rel: &str) -> String {
    format!("{}/../../../shared/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// A sandbox served over HTTP on 127.0.0.1.
pub struct TestSandbox {
    pub sandbox: Sandbox,
    pub base: String,
    pub http: reqwest::Client,
}

/// Test defaults: fast retries, fast refund confirmation, 1024-bit key.
pub fn config() -> SandboxConfig {
    SandboxConfig {
        app_ids: vec![APP_ID.to_owned()],
        webhook_base_delay: Duration::from_millis(20),
        refund_confirm_delay: Duration::from_millis(20),
        expiry_tick: Duration::from_millis(50),
        webhook_timeout: Duration::from_secs(5),
        key_bits: 1024,
        ..SandboxConfig::default()
    }
}

/// Binds a port, then starts the sandbox with `public_base_url` pointing at it.
pub async fn spawn_with(mut config: SandboxConfig) -> TestSandbox {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    config.public_base_url = base.clone();
    let sandbox = Sandbox::new(config).await.unwrap();
    let router = sandbox.router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    TestSandbox {
        sandbox,
        base,
        http: reqwest::Client::new(),
    }
}

pub async fn spawn() -> TestSandbox {
    spawn_with(config()).await
}

impl TestSandbox {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Authenticated request.
    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("Authorization", APP_ID)
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .req(reqwest::Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.req(reqwest::Method::GET, path).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        let r = self
            .req(reqwest::Method::DELETE, path)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Creates an ACTIVE charge and returns its JSON.
    pub async fn charge(&self, correlation_id: &str, value: i64) -> Value {
        let (status, body) = self
            .post(
                "/api/v1/charge",
                serde_json::json!({"correlationID": correlation_id, "value": value}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["charge"].clone()
    }

    /// Pays a charge through `/openpix/testing`.
    pub async fn pay(&self, transaction_id: &str) -> Value {
        let r = self
            .req(
                reqwest::Method::POST,
                &format!("/openpix/testing?transactionID={transaction_id}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// Registers a webhook for `event` pointing at `url`.
    pub async fn register(
        &self,
        event: &str,
        url: &str,
        authorization: Option<&str>,
    ) -> (u16, Value) {
        let mut hook =
            serde_json::json!({"name": "test", "event": event, "url": url, "isActive": true});
        if let Some(a) = authorization {
            hook["authorization"] = a.into();
        }
        self.post("/api/v1/webhook", serde_json::json!({ "webhook": hook }))
            .await
    }
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
}

/// A webhook endpoint that records requests and answers `status`.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
    pub status: Arc<AtomicU16>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(200));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let app = Router::new()
            .route("/hook", post(record))
            .with_state((got.clone(), status.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, got, status }
    }

    pub fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    pub fn all(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Requests whose body has `event` (or `evento`) equal to `event`.
    pub fn events(&self, event: &str) -> Vec<Received> {
        self.all()
            .into_iter()
            .filter(|r| {
                let v = r.json();
                v["event"] == event || v["evento"] == event
            })
            .collect()
    }

    /// Waits until `n` requests with `event` arrived.
    pub async fn wait_for(&self, event: &str, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let found = self.events(event);
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "timed out waiting for {n} x {event}; got {:?}",
            self.all()
                .iter()
                .map(|r| r.json()["event"].clone())
                .collect::<Vec<_>>()
        );
    }
}

type RecvState = (Arc<Mutex<Vec<Received>>>, Arc<AtomicU16>);

async fn record(
    State((got, status)): State<RecvState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    got.lock().unwrap().push(Received { headers, body });
    StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap()
}
