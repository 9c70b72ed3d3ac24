//! The outbound dispatcher: one loop owns the delivery tables' writes. Each
//! round is one transaction (record finished attempts, fan new events out,
//! lease the next due deliveries); attempts run concurrently and report back
//! over a channel, so a slow endpoint never holds up another order.

use crate::outbound::client::{self, Message};
use crate::outbound::schedule::{next_step, AttemptResult};
use crate::outbound::signing::{signature_header, SigningKey};
use crate::outbound::Outbound;
use crate::store::deliveries::{Claimed, Finished, RoundParams};
use crate::store::Store;
use rand::Rng;
use std::time::Duration;
use tokio::sync::mpsc;

/// Starts the dispatcher.
pub fn spawn(store: Store, outbound: Outbound) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(store, outbound))
}

async fn run(store: Store, out: Outbound) {
    match store.release_delivery_leases().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            deliveries = n,
            "re-sending deliveries that were in flight at the last stop"
        ),
        Err(e) => tracing::error!(error = %e, "could not release delivery leases"),
    }
    let cfg = out.config.clone();
    let (tx, mut rx) = mpsc::unbounded_channel::<Finished>();
    let mut in_flight = 0usize;
    let mut done: Vec<Finished> = Vec::new();
    loop {
        while let Ok(f) = rx.try_recv() {
            in_flight -= 1;
            done.push(f);
        }
        let params = RoundParams {
            claim: cfg.concurrency.saturating_sub(in_flight),
            // An attempt ends within the timeout; the margin covers recording it.
            lease: cfg.timeout + Duration::from_secs(5),
            order_wait: cfg.order_wait,
            disable_after: cfg.disable_after,
            node: store.node_id().to_owned(),
        };
        let (fanned, claimed) = match store.dispatch_round(done.clone(), params).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "dispatcher round failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        done.clear();
        let busy = fanned > 0 || !claimed.is_empty();
        for c in claimed {
            in_flight += 1;
            let (out, tx) = (out.clone(), tx.clone());
            tokio::spawn(async move {
                let _ = tx.send(attempt(&out, c).await);
            });
        }
        if busy && in_flight < cfg.concurrency {
            continue;
        }
        tokio::select! {
            Some(f) = rx.recv() => {
                in_flight -= 1;
                done.push(f);
            }
            _ = out.wake.notified() => {}
            _ = tokio::time::sleep(cfg.poll) => {}
        }
    }
}

fn keys(out: &Outbound, c: &Claimed) -> Option<Vec<SigningKey>> {
    let open = |sealed: &str| {
        out.secrets
            .open(sealed, &c.endpoint_id)
            .ok()
            .and_then(|s| SigningKey::parse(s.expose()).ok())
    };
    let mut keys = vec![open(&c.secret_sealed)?];
    if let Some(prev) = c.previous_secret_sealed.as_deref().and_then(open) {
        keys.push(prev);
    }
    Some(keys)
}

/// One attempt of one delivery, and what follows from it.
async fn attempt(out: &Outbound, c: Claimed) -> Finished {
    let at = time::OffsetDateTime::now_utc();
    let number = c.attempts.saturating_add(1);
    let a = match keys(out, &c) {
        Some(keys) => {
            let ts = at.unix_timestamp();
            let signature = signature_header(&keys, &c.event_id, ts, c.payload.as_bytes());
            let msg = Message {
                url: &c.url,
                id: &c.event_id,
                timestamp: ts,
                signature: &signature,
                body: c.payload.as_bytes(),
            };
            client::send(&out.client, out.config.allow_private, msg).await
        }
        None => client::Attempt {
            result: AttemptResult::NoResponse,
            latency: Duration::ZERO,
            snippet: "the endpoint secret does not open with this data dir's key".into(),
        },
    };
    let jitter = rand::thread_rng().gen_range(-1.0..=1.0);
    let next = next_step(&out.config.schedule, number, &a.result, jitter);
    let status_code = match a.result {
        AttemptResult::Status { code, .. } => Some(code),
        AttemptResult::NoResponse => None,
    };
    tracing::debug!(event_id = %c.event_id, endpoint_id = %c.endpoint_id, attempt = number, ?status_code, ?next, "delivery attempt");
    Finished {
        delivery_id: c.delivery_id,
        endpoint_id: c.endpoint_id,
        attempt: number,
        at,
        status_code,
        latency: a.latency,
        response: a.snippet,
        next,
    }
}
