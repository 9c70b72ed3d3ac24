//! One delivery attempt over HTTP: no redirects, a hard timeout, the SSRF
//! guard in the resolver, and a short snippet of the answer for the log.

use super::schedule::{parse_retry_after, AttemptResult};
use super::ssrf::{forbidden_reason, literal_ip, GuardedResolver};
use super::OutboundConfig;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Bytes of the answer kept for the attempt log.
const SNIPPET: usize = 512;

/// The delivery client.
pub fn build(config: &OutboundConfig) -> reqwest::Result<reqwest::Client> {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        .pool_max_idle_per_host(config.concurrency)
        .user_agent(concat!("paybridge/", env!("CARGO_PKG_VERSION")));
    if !config.allow_private {
        b = b.dns_resolver(Arc::new(GuardedResolver));
    }
    b.build()
}

/// A message ready to send.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// Endpoint URL.
    pub url: &'a str,
    /// `webhook-id`.
    pub id: &'a str,
    /// `webhook-timestamp` (Unix seconds).
    pub timestamp: i64,
    /// `webhook-signature`.
    pub signature: &'a str,
    /// The JSON body, exactly as signed.
    pub body: &'a [u8],
}

/// What one attempt saw.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// Status or no answer.
    pub result: AttemptResult,
    /// Time to the answer (or to the failure).
    pub latency: Duration,
    /// Start of the answer body, or the error.
    pub snippet: String,
}

/// Sends one message. Never panics, never follows a redirect.
pub async fn send(client: &reqwest::Client, allow_private: bool, m: Message<'_>) -> Attempt {
    let start = Instant::now();
    let no_response = |snippet: String| Attempt {
        result: AttemptResult::NoResponse,
        latency: start.elapsed(),
        snippet,
    };
    if !allow_private {
        let ip = reqwest::Url::parse(m.url).ok().and_then(|u| literal_ip(&u));
        if let Some(reason) = ip.and_then(forbidden_reason) {
            return no_response(format!("refused: {reason}"));
        }
    }
    let res = client
        .post(m.url)
        .header("content-type", "application/json")
        .header("webhook-id", m.id)
        .header("webhook-timestamp", m.timestamp.to_string())
        .header("webhook-signature", m.signature)
        .body(m.body.to_vec())
        .send()
        .await;
    let mut res = match res {
        Ok(r) => r,
        Err(e) => return no_response(error_chain(&e)),
    };
    let code = res.status().as_u16();
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
    let mut body = Vec::new();
    while body.len() < SNIPPET {
        match res.chunk().await {
            Ok(Some(c)) => body.extend_from_slice(&c),
            _ => break,
        }
    }
    body.truncate(SNIPPET);
    Attempt {
        result: AttemptResult::Status { code, retry_after },
        latency: start.elapsed(),
        snippet: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn error_chain(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timeout".to_owned();
    }
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s.chars().take(SNIPPET).collect()
}
