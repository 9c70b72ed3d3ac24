//! A scriptable store receiver for outbound webhook tests: records every
//! request (headers, body, arrival time) and answers what the script says.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the receiver saw.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
    pub body: Vec<u8>,
    pub payload: Value,
    pub at: Instant,
}

impl Received {
    pub fn event_type(&self) -> &str {
        self.payload["type"].as_str().unwrap_or_default()
    }
    pub fn order_id(&self) -> &str {
        self.payload["data"]["id"].as_str().unwrap_or_default()
    }
    pub fn sequence(&self) -> i64 {
        self.payload["data"]["sequence"].as_i64().unwrap_or(-1)
    }
}

/// What to answer.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    Status(u16),
    RetryAfter(u16, u64),
    /// Wait this long, then 200 (longer than the client's timeout: no answer).
    Slow(Duration),
}

/// Decides the reply from the payload and how many times this webhook-id was seen before.
pub type Script = Arc<dyn Fn(&Value, usize) -> Reply + Send + Sync>;

#[derive(Clone)]
struct Shared {
    log: Arc<Mutex<Vec<Received>>>,
    seen: Arc<Mutex<HashMap<String, usize>>>,
    script: Script,
}

pub struct Receiver {
    pub url: String,
    log: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn hook(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let h = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let r = Received {
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp").parse().unwrap_or_default(),
        signature: h("webhook-signature"),
        payload: serde_json::from_slice(&body).unwrap_or(Value::Null),
        body: body.to_vec(),
        at: Instant::now(),
    };
    let n = {
        let mut seen = s.seen.lock().unwrap();
        let n = seen.entry(r.id.clone()).or_default();
        *n += 1;
        *n - 1
    };
    let reply = (s.script)(&r.payload, n);
    s.log.lock().unwrap().push(r);
    match reply {
        Reply::Status(c) => StatusCode::from_u16(c).unwrap().into_response(),
        Reply::RetryAfter(c, secs) => (
            StatusCode::from_u16(c).unwrap(),
            [("retry-after", secs.to_string())],
        )
            .into_response(),
        Reply::Slow(d) => {
            tokio::time::sleep(d).await;
            StatusCode::OK.into_response()
        }
    }
}

impl Receiver {
    /// Always 200.
    pub async fn ok() -> Receiver {
        Receiver::start(Arc::new(|_, _| Reply::Status(200))).await
    }

    pub async fn start(script: Script) -> Receiver {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Receiver::on(l, script)
    }

    /// Serves on a given listener (to come up on a port that was refusing).
    pub fn on(listener: tokio::net::TcpListener, script: Script) -> Receiver {
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            log: log.clone(),
            seen: Arc::default(),
            script,
        };
        let app = Router::new().route("/hook", post(hook)).with_state(shared);
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Receiver { url, log, task }
    }

    pub fn log(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    /// Requests for one order, in arrival order.
    pub fn for_order(&self, order_id: &str) -> Vec<Received> {
        self.log()
            .into_iter()
            .filter(|r| r.order_id() == order_id)
            .collect()
    }
}
