//! Asks Woovi about pending orders whose charge is older than a configured age
//! (a webhook may have been lost) and applies what it learns through the same
//! transition code as webhooks. Backs off on failures and honours 429.

use crate::domain::{EventKind, OrderRef, PaymentEvent};
use crate::gateway::{ChargeGateway, GatewayError};
use crate::store::{IngestCommand, IngestHandle, IngestSource, Store};
use std::sync::Arc;
use std::time::Duration;

/// Orders looked at per round.
const BATCH: u32 = 50;

/// Names the reconciler's turn among nodes (an advisory lock key on PostgreSQL).
const TURN_KEY: i64 = 0x7062_7265_636f_6e63; // "pbreconc"

/// What the reconciler works with.
#[derive(Clone)]
pub struct Reconciler {
    /// The database.
    pub store: Store,
    /// Where what it learns is applied, like any webhook.
    pub ingest: IngestHandle,
    /// Who it asks.
    pub gateway: Arc<dyn ChargeGateway>,
}

/// Starts the worker; with several nodes only the one holding the turn
/// runs rounds, and another takes over within a round of it dying.
pub fn spawn(state: Reconciler, after: Duration) {
    tokio::spawn(async move {
        let base = (after / 4).clamp(Duration::from_secs(1), Duration::from_secs(60));
        let mut wait = base;
        let mut turn = state.store.exclusive(TURN_KEY);
        loop {
            tokio::time::sleep(wait).await;
            if !turn.is_mine().await {
                wait = base;
                continue;
            }
            wait = match round(&state, after).await {
                Ok(()) => base,
                Err(GatewayError::RateLimited(d)) => d.max(base),
                Err(e) => {
                    tracing::warn!(error = %e, "reconciler backing off");
                    (wait * 2).min(Duration::from_secs(600))
                }
            };
        }
    });
}

/// One pass over due orders; stops at the first provider failure.
pub async fn round(state: &Reconciler, after: Duration) -> Result<(), GatewayError> {
    let cutoff = time::OffsetDateTime::now_utc() - after;
    let due = match state.store.pending_charged_before(cutoff, BATCH).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "reconciler cannot read orders");
            return Ok(());
        }
    };
    for order in due {
        let kind = match state.gateway.get_charge(&order.correlation_id).await {
            Ok(c) => match c.status.as_str() {
                "COMPLETED" => Some((
                    EventKind::Paid {
                        payment_id: c
                            .end_to_end_id
                            .clone()
                            .or_else(|| c.transaction_id.as_ref().map(|t| format!("charge:{t}")))
                            .unwrap_or_else(|| format!("charge:{}", order.correlation_id)),
                    },
                    c,
                )),
                "EXPIRED" => Some((EventKind::Expired, c)),
                _ => None,
            },
            Err(GatewayError::NotFound) => None,
            Err(e) => return Err(e),
        };
        if let Some((kind, charge)) = kind {
            let event = PaymentEvent {
                provider: "woovi",
                dedupe_key: format!("reconcile:{}:{}", order.correlation_id, charge.status),
                event_type: format!("reconcile:{}", charge.status),
                order_ref: OrderRef {
                    correlation_id: Some(order.correlation_id.clone()),
                    ..OrderRef::default()
                },
                kind,
                amount: charge.value.and_then(|v| crate::domain::Cents::new(v).ok()),
                occurred_at: charge.paid_at,
                raw_status: Some(charge.status.clone()),
                raw: charge.raw.clone(),
                sale: None,
            };
            let raw = serde_json::to_vec(&charge.raw).unwrap_or_default();
            if let Err(e) = state
                .ingest
                .submit(IngestCommand {
                    event,
                    raw_body: Some(raw.into()),
                    source: IngestSource::Reconciler,
                })
                .await
            {
                tracing::error!(error = %e, "reconciler could not store");
            }
        }
        let _ = state.store.touch_order(&order.id).await;
    }
    Ok(())
}
