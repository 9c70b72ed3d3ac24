//! The real binary SIGKILLed between the order commit and the end of the
//! Woovi call: a retry after restart heals the order with exactly one charge.
//!
//! A standalone Woovi sandbox runs in the test; `paybridge serve` first talks
//! to it through a proxy that forwards `POST /api/v1/charge` (so the charge
//! is really created), then never answers and tells the test, which kills the
//! process with SIGKILL at that moment. The restarted process talks to the
//! sandbox directly.

use crate::helpers::{order_body, API_KEY};
use crate::serve_process::{api_json, free_port, ServeProcess};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use paybridge::domain::OrderStatus;
use paybridge::store::Store;
use serde_json::Value;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc;

const APP_ID: &str = "crash-test-app-id";
const IDEMPOTENCY_KEY: &str = "crash-1";

async fn serve(dir: &Path, port: u16, woovi: &str) -> ServeProcess {
    let env = [
        ("PAYBRIDGE_WOOVI_BASE_URL", woovi),
        ("PAYBRIDGE_WOOVI_APP_ID", APP_ID),
    ];
    ServeProcess::start(dir, port, &env, None).await
}

/// Starts a standalone sandbox; returns its base URL.
async fn start_sandbox() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(woovi_sandbox::serve(
        woovi_sandbox::SandboxConfig {
            app_ids: vec![APP_ID.to_owned()],
            public_base_url: url.clone(),
            ..woovi_sandbox::SandboxConfig::default()
        },
        listener,
    ));
    url
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    http: reqwest::Client,
    /// The sandbox's answer to a charge creation, sent instead of answering.
    held: mpsc::UnboundedSender<Value>,
}

/// Starts the proxy in front of `upstream`; returns its URL and the channel
/// that receives every charge answer it holds back.
async fn start_holding_proxy(upstream: &str) -> (String, mpsc::UnboundedReceiver<Value>) {
    let (held, rx) = mpsc::unbounded_channel();
    let proxy = Proxy {
        upstream: upstream.to_owned(),
        http: reqwest::Client::new(),
        held,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

async fn forward(
    State(p): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("/", |pq| pq.as_str());
    let mut req = p
        .http
        .request(method.clone(), format!("{}{path}", p.upstream))
        .body(body);
    for name in ["authorization", "content-type", "accept"] {
        if let Some(v) = headers.get(name) {
            req = req.header(name, v);
        }
    }
    let res = req.send().await.expect("sandbox answers the proxy");
    let status = StatusCode::from_u16(res.status().as_u16()).unwrap();
    let bytes = res.bytes().await.unwrap();
    if method == Method::POST && uri.path() == "/api/v1/charge" {
        let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let _ = p.held.send(answer);
        std::future::pending::<()>().await;
    }
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response()
}

async fn charges_at(http: &reqwest::Client, woovi: &str, correlation_id: &str) -> Vec<Value> {
    let v: Value = http
        .get(format!("{woovi}/api/v1/charge?limit=100"))
        .header("Authorization", APP_ID)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["charges"]
        .as_array()
        .expect("charges")
        .iter()
        .filter(|c| c["correlationID"] == correlation_id)
        .cloned()
        .collect()
}

/// How the store retries after the crash.
#[derive(Clone, Copy)]
enum Retry {
    /// The same create request with the same `Idempotency-Key`.
    SameCreate,
    /// `POST /api/v1/orders/{id}/charge`.
    ChargeEndpoint,
}

async fn kill_mid_charge_then_retry(retry: Retry) {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = start_sandbox().await;
    let (proxy, mut held) = start_holding_proxy(&sandbox).await;
    let http = reqwest::Client::new();
    let port = free_port();
    let orders = format!("http://127.0.0.1:{port}/api/v1/orders");
    let create = || {
        http.post(&orders)
            .bearer_auth(API_KEY)
            .header("Idempotency-Key", IDEMPOTENCY_KEY)
            .json(&order_body())
            .send()
    };

    let mut first = serve(dir.path(), port, &proxy).await;
    let pending_create = tokio::spawn(create());
    let sandbox_answer = tokio::time::timeout(Duration::from_secs(20), held.recv())
        .await
        .expect("paybridge called Woovi")
        .expect("proxy alive");
    first.0.kill().unwrap(); // SIGKILL on Unix
    let status = first.0.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status:?}");
    drop(first);
    let res = pending_create.await.unwrap();
    assert!(res.is_err(), "the killed process never answered: {res:?}");

    // The charge exists at Woovi, the order is committed without it.
    let cid = sandbox_answer["charge"]["correlationID"]
        .as_str()
        .expect("the sandbox created a charge")
        .to_owned();
    assert_eq!(charges_at(&http, &sandbox, &cid).await.len(), 1);
    let store = Store::connect(&crate::backend::serve_location(dir.path()).await)
        .await
        .unwrap();
    let order = store
        .order_by_idempotency_key(IDEMPOTENCY_KEY)
        .await
        .unwrap()
        .expect("the order was committed before the Woovi call");
    assert_eq!(order.correlation_id, cid);
    assert_eq!(order.status, OrderStatus::Pending);
    assert!(
        order.charge.is_none(),
        "no charge stored: {:?}",
        order.charge
    );
    drop(store);

    let _second = serve(dir.path(), port, &sandbox).await;
    let healed: Value = match retry {
        Retry::SameCreate => {
            let res = create().await.unwrap();
            assert!(res.status().is_success(), "{}", res.status());
            res.json().await.unwrap()
        }
        Retry::ChargeEndpoint => {
            let res = http
                .post(format!("{orders}/{}/charge", order.id))
                .bearer_auth(API_KEY)
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success(), "{}", res.status());
            res.json().await.unwrap()
        }
    };
    assert_eq!(healed["id"], order.id.as_str());
    assert_eq!(healed["correlation_id"], cid.as_str());
    assert_eq!(healed["status"], "pending");
    let charges = charges_at(&http, &sandbox, &cid).await;
    assert_eq!(charges.len(), 1, "exactly one charge: {charges:?}");
    assert_eq!(
        healed["pix"]["br_code"], charges[0]["brCode"],
        "the order holds the charge Woovi has"
    );

    // Retrying again, either way, neither creates a charge nor an order.
    let again: Value = create().await.unwrap().json().await.unwrap();
    assert_eq!(again["id"], order.id.as_str());
    let charge = format!("{orders}/{}/charge", order.id);
    let (status, _) = api_json(&http, "POST", &charge, &Value::Null).await;
    assert!((200..300).contains(&status), "{status}");
    assert_eq!(charges_at(&http, &sandbox, &cid).await.len(), 1);
    let (_, list) = api_json(&http, "GET", &orders, &Value::Null).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "one order");
}

#[tokio::test]
async fn sigkill_during_the_woovi_call_then_the_same_create_gives_one_charge() {
    kill_mid_charge_then_retry(Retry::SameCreate).await;
}

#[tokio::test]
async fn sigkill_during_the_woovi_call_then_charge_endpoint_gives_one_charge() {
    kill_mid_charge_then_retry(Retry::ChargeEndpoint).await;
}
