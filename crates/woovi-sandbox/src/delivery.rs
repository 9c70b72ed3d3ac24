//! Webhook delivery: signs the exact bytes, POSTs them, retries like Woovi
//! (up to `webhook_max_attempts` tries, waiting `base · 2ⁿ` after try `n`)
//! and records every attempt for `GET /sandbox/deliveries`.

use crate::clock::iso;
use crate::model::WebhookRec;
use crate::state::Shared;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// Attempts kept in memory; older ones are dropped first.
const LOG_CAPACITY: usize = 50_000;

/// One try at delivering one webhook.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// Groups the tries of one delivery.
    pub delivery_id: String,
    /// `OPENPIX:CHARGE_COMPLETED`, … or `teste_webhook` for the registration test.
    pub event: String,
    /// Receiver.
    pub url: String,
    /// The webhook registration (empty for the registration test).
    pub webhook_id: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// HTTP status the receiver answered, if it answered.
    pub status_code: Option<u16>,
    /// Why there was no answer (connection refused, timeout…).
    pub error: Option<String>,
    /// When the try was made (sandbox clock).
    pub time: String,
    /// The exact body sent (and signed).
    pub body: String,
}

impl DeliveryAttempt {
    /// Whether the receiver took it (any 2xx).
    pub fn succeeded(&self) -> bool {
        matches!(self.status_code, Some(200..=299))
    }
}

/// Recent attempts, oldest first.
#[derive(Default)]
pub(crate) struct DeliveryLog {
    attempts: Mutex<Vec<DeliveryAttempt>>,
}

impl DeliveryLog {
    fn push(&self, attempt: DeliveryAttempt) {
        let mut all = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if all.len() >= LOG_CAPACITY {
            all.drain(..LOG_CAPACITY / 10);
        }
        all.push(attempt);
    }

    pub(crate) fn snapshot(&self) -> Vec<DeliveryAttempt> {
        self.attempts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Where and how to send.
pub(crate) struct Target<'a> {
    pub url: &'a str,
    pub authorization: Option<&'a str>,
    pub webhook_id: &'a str,
}

/// One signed POST; records and returns the attempt.
pub(crate) async fn send_once(
    shared: &Shared,
    delivery_id: &str,
    event: &str,
    target: &Target<'_>,
    body: &Bytes,
    attempt: u32,
) -> DeliveryAttempt {
    let signature = shared.signer.sign(body);
    let mut request = shared
        .http
        .post(target.url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::USER_AGENT, "woovi-sandbox")
        .header("x-webhook-signature", signature)
        .body(body.clone());
    if let Some(auth) = target.authorization.filter(|a| !a.is_empty()) {
        request = request
            .header("x-openpix-authorization", auth)
            .header(http::header::AUTHORIZATION, auth);
    }
    let time = iso(shared.clock.now());
    let (status_code, error) = match request.send().await {
        Ok(response) => (Some(response.status().as_u16()), None),
        Err(err) => (None, Some(err.to_string())),
    };
    let record = DeliveryAttempt {
        delivery_id: delivery_id.to_owned(),
        event: event.to_owned(),
        url: target.url.to_owned(),
        webhook_id: target.webhook_id.to_owned(),
        attempt,
        status_code,
        error,
        time,
        body: String::from_utf8_lossy(body).into_owned(),
    };
    shared.deliveries.push(record.clone());
    record
}

/// Delivers `body` to `hook` in the background, with retries.
pub(crate) fn spawn(shared: Arc<Shared>, event: String, hook: WebhookRec, body: Bytes) {
    tokio::spawn(async move {
        let delivery_id = crate::ids::uuid();
        let target = Target {
            url: &hook.url,
            authorization: hook.authorization.as_deref(),
            webhook_id: &hook.id,
        };
        let max = shared.config.webhook_max_attempts.max(1);
        for attempt in 1..=max {
            let outcome = send_once(&shared, &delivery_id, &event, &target, &body, attempt).await;
            if outcome.succeeded() {
                return;
            }
            if attempt < max {
                let delay = shared
                    .config
                    .webhook_base_delay
                    .saturating_mul(1u32 << (attempt - 1).min(20));
                tokio::time::sleep(delay).await;
            }
        }
        tracing::warn!(%event, url = %hook.url, "webhook delivery gave up after {max} tries");
    });
}
