//! Applying one normalized event inside a transaction: inbox row (unique
//! dedupe key), order transition, payment/refund row, timeline row, outbox row.

use super::{body_sha256, new_id, now, orders::order_from_row, ts, StoreError};
use crate::domain::{decide, Cents, Effect, EventKind, OrderSnapshot, OrderStatus, PaymentEvent};
use sqlx::{Row, Sqlite, Transaction};
use std::collections::HashSet;

type Tx<'a> = Transaction<'a, Sqlite>;

/// Who produced the event (kept in the timeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestSource {
    /// A provider webhook.
    Webhook,
    /// The reconciliation worker asking the provider.
    Reconciler,
    /// The store API (cancel).
    Api,
}

impl IngestSource {
    fn as_str(self) -> &'static str {
        match self {
            IngestSource::Webhook => "webhook",
            IngestSource::Reconciler => "reconciler",
            IngestSource::Api => "api",
        }
    }
}

/// What became of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Applied to an order (the status may or may not have changed).
    Applied {
        /// The order.
        order_id: String,
        /// Status before.
        from: OrderStatus,
        /// Status after.
        to: OrderStatus,
    },
    /// Seen before (same dedupe key): nothing changed.
    Duplicate,
    /// No order matches: recorded for the dashboard.
    Unmatched,
    /// Test, configure or informational event: recorded, no order touched.
    Recorded,
}

impl IngestOutcome {
    /// Short name stored in the inbox and used in metrics.
    pub fn as_str(&self) -> &'static str {
        match self {
            IngestOutcome::Applied { .. } => "applied",
            IngestOutcome::Duplicate => "duplicate",
            IngestOutcome::Unmatched => "unmatched",
            IngestOutcome::Recorded => "recorded",
        }
    }
}

pub(crate) async fn timeline(
    tx: &mut Tx<'_>,
    order_id: &str,
    source: &str,
    event: &str,
    from: Option<OrderStatus>,
    to: Option<OrderStatus>,
    note: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO order_timeline (id, order_id, at, source, event, status_from, status_to, note) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new_id())
    .bind(order_id)
    .bind(ts(now()))
    .bind(source)
    .bind(event)
    .bind(from.map(|s| s.as_str()))
    .bind(to.map(|s| s.as_str()))
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One statement, in priority order: our correlationID, then the provider's
/// own id, then the end-to-end id of a payment already recorded.
async fn find_order(tx: &mut Tx<'_>, ev: &PaymentEvent) -> Result<Option<String>, StoreError> {
    let r = &ev.order_ref;
    if r.is_empty() {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT id FROM ( \
           SELECT id, 1 AS rank FROM orders WHERE correlation_id = ?1 \
           UNION ALL SELECT id, 2 FROM orders WHERE provider = ?2 AND provider_ref = ?3 \
           UNION ALL SELECT order_id, 3 FROM payments WHERE end_to_end_id = ?4 \
         ) ORDER BY rank LIMIT 1",
    )
    .bind(r.correlation_id.as_deref())
    .bind(ev.provider)
    .bind(r.provider_ref.as_deref())
    .bind(r.end_to_end_id.as_deref())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|row| row.try_get("id")).transpose()?)
}

async fn snapshot(
    tx: &mut Tx<'_>,
    order_id: &str,
) -> Result<(OrderSnapshot, crate::store::OrderRecord), StoreError> {
    // The order and the ids of its money movements in one round trip.
    let row = sqlx::query(
        "SELECT o.*, \
           (SELECT json_group_array(end_to_end_id) FROM payments WHERE order_id = o.id) AS payment_ids, \
           (SELECT json_group_array(refund_ref) FROM refunds WHERE order_id = o.id) AS refund_ids \
         FROM orders o WHERE o.id = ?",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    let order = order_from_row(&row)?;
    let ids = |column: &str| -> Result<Vec<String>, StoreError> {
        let json: &str = row.try_get(column)?;
        serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
    };
    let (payment_ids, refund_ids) = (ids("payment_ids")?, ids("refund_ids")?);
    Ok((
        OrderSnapshot {
            status: order.status,
            amount: order.amount,
            paid_total: order.paid_total,
            refunded_total: order.refunded_total,
            flags: order.flags.clone(),
            payment_ids,
            refund_ids,
        },
        order,
    ))
}

/// The (provider, dedupe key) pairs of `events` already in the inbox, in one
/// statement, so a batch checks for duplicates with a single round trip.
pub(crate) async fn seen_keys<'e>(
    tx: &mut Tx<'_>,
    events: impl Iterator<Item = &'e PaymentEvent>,
) -> Result<HashSet<(String, String)>, StoreError> {
    let pairs: Vec<[&str; 2]> = events
        .map(|e| [e.provider, e.dedupe_key.as_str()])
        .collect();
    let rows = sqlx::query(
        "SELECT provider, dedupe_key FROM inbox WHERE (provider, dedupe_key) IN \
         (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
    )
    .bind(serde_json::to_string(&pairs).map_err(|e| StoreError::Corrupt(e.to_string()))?)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("provider")?, r.try_get("dedupe_key")?)))
        .collect()
}

/// Applies one event inside `tx`; the caller commits. `seen` holds the
/// dedupe keys already in the inbox or earlier in the same transaction
/// (see [`seen_keys`]); the inbox's unique key stays the final guard.
pub(crate) async fn apply_event(
    tx: &mut Tx<'_>,
    ev: &PaymentEvent,
    raw_body: Option<&[u8]>,
    source: IngestSource,
    seen: &mut HashSet<(String, String)>,
) -> Result<IngestOutcome, StoreError> {
    if !seen.insert((ev.provider.to_owned(), ev.dedupe_key.clone())) {
        return Ok(IngestOutcome::Duplicate);
    }
    let received_at = now();
    let outcome = transition(tx, ev, source).await?;
    let order_id = match &outcome {
        IngestOutcome::Applied { order_id, .. } => Some(order_id.as_str()),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO inbox (id, provider, dedupe_key, received_at, event_type, outcome, order_id, body_sha256, raw_body) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new_id())
    .bind(ev.provider)
    .bind(&ev.dedupe_key)
    .bind(ts(received_at))
    .bind(&ev.event_type)
    .bind(outcome.as_str())
    .bind(order_id)
    .bind(body_sha256(raw_body.unwrap_or_default()))
    .bind(raw_body)
    .execute(&mut **tx)
    .await?;
    Ok(outcome)
}

async fn transition(
    tx: &mut Tx<'_>,
    ev: &PaymentEvent,
    source: IngestSource,
) -> Result<IngestOutcome, StoreError> {
    if matches!(
        ev.kind,
        EventKind::ProviderTest | EventKind::ProviderConfigure { .. }
    ) {
        return Ok(IngestOutcome::Recorded);
    }
    if let EventKind::CartAbandoned(cart) = &ev.kind {
        return super::abandoned_carts::record(tx, ev.provider, cart).await;
    }
    if let Some(sale) = &ev.sale {
        super::platform_orders::upsert(tx, ev, sale).await?;
    }
    let Some(order_id) = find_order(tx, ev).await? else {
        return Ok(if ev.kind == EventKind::Informational {
            IngestOutcome::Recorded
        } else {
            IngestOutcome::Unmatched
        });
    };
    let (snap, order) = snapshot(tx, &order_id).await?;
    let d = decide(&snap, &ev.kind, ev.amount);
    let occurred = ev.occurred_at.unwrap_or_else(now);
    let (mut paid_total, mut refunded_total) = (order.paid_total, order.refunded_total);
    match &d.effect {
        Effect::None => {}
        Effect::RecordPayment {
            payment_id,
            amount,
            applied,
        } => {
            let n = sqlx::query(
                "INSERT INTO payments (id, order_id, end_to_end_id, amount, applied, paid_at, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (end_to_end_id) DO NOTHING",
            )
            .bind(new_id())
            .bind(&order_id)
            .bind(payment_id)
            .bind(amount.get())
            .bind(i64::from(*applied))
            .bind(ts(occurred))
            .bind(ts(now()))
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if n == 0 {
                timeline(
                    tx,
                    &order_id,
                    source.as_str(),
                    ev.kind.name(),
                    Some(order.status),
                    Some(order.status),
                    "payment id already used by another order; ignored",
                )
                .await?;
                return Ok(IngestOutcome::Applied {
                    order_id,
                    from: order.status,
                    to: order.status,
                });
            }
            if *applied {
                paid_total = paid_total.saturating_add(*amount);
            }
        }
        Effect::RecordRefund { refund_id, amount } => {
            sqlx::query(
                "INSERT INTO refunds (id, order_id, refund_ref, amount, refunded_at, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (refund_ref) DO NOTHING",
            )
            .bind(new_id())
            .bind(&order_id)
            .bind(refund_id)
            .bind(amount.get())
            .bind(ts(occurred))
            .bind(ts(now()))
            .execute(&mut **tx)
            .await?;
            refunded_total = refunded_total.saturating_add(*amount);
        }
    }
    let changed = d.status != order.status || d.flags != order.flags || d.effect != Effect::None;
    if changed {
        sqlx::query(
            "UPDATE orders SET status = ?, flags = ?, paid_total = ?, refunded_total = ?, updated_at = ? WHERE id = ?",
        )
        .bind(d.status.as_str())
        .bind(d.flags.to_stored())
        .bind(paid_total.get())
        .bind(refunded_total.get())
        .bind(ts(now()))
        .bind(&order_id)
        .execute(&mut **tx)
        .await?;
        let refund = matches!(d.effect, Effect::RecordRefund { .. });
        if let Some(event_type) =
            crate::outbound::event_type::for_order_change(order.status, d.status, &d.flags, refund)
        {
            super::outbox::order_event(tx, &order_id, event_type).await?;
        }
    }
    let note = match ev.amount {
        Some(a) if a != Cents::ZERO && !d.note.contains("R$") => format!("{} ({a})", d.note),
        _ => d.note.clone(),
    };
    timeline(
        tx,
        &order_id,
        source.as_str(),
        ev.kind.name(),
        Some(order.status),
        Some(d.status),
        &format!(
            "{note} [{}]",
            ev.raw_status.as_deref().unwrap_or(&ev.event_type)
        ),
    )
    .await?;
    if let Some(sale) = &ev.sale {
        super::entitlements::apply(tx, &order_id, ev, sale, d.status).await?;
    }
    Ok(IngestOutcome::Applied {
        order_id,
        from: order.status,
        to: d.status,
    })
}
