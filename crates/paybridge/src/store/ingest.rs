//! Applying one normalized event inside a transaction: inbox row (unique
//! dedupe key), order transition, payment/refund row, timeline row, outbox
//! row. Written once for both backends: the order is loaded (and, on
//! PostgreSQL, locked), the pure state machine decides, and the writes the
//! decision implies are queued on the transaction.

use super::order_json::PUBLIC_URL_SETTING;
use super::order_row::OrderRow;
use super::sql::sql;
use super::timeline::timeline;
use super::tx::{Dialect, Tx};
use super::{body_sha256, corrupt, new_id, now, parse_ts, ts, OrderRecord, StoreError};
use crate::domain::{decide, Cents, Effect, EventKind, OrderSnapshot, PaymentEvent};
use std::collections::HashSet;

pub use super::ingestion::{IngestOutcome, IngestSource};

/// The order an event is about, as it stands before the event.
struct Found {
    snapshot: OrderSnapshot,
    order: OrderRecord,
    /// The event's payment id is already recorded on another order.
    payment_id_taken: bool,
    /// Public URL setting, for the checkout link in `order.*` events.
    public_base: String,
}

#[derive(sqlx::FromRow)]
struct FoundRow {
    #[sqlx(flatten)]
    order: OrderRow,
    payment_ids: String,
    refund_ids: String,
    payment_id_taken: i64,
    public_url_setting: String,
}

/// Finds the order and reads it (sent after whatever is queued). The order
/// is looked up in priority order: our correlationID, then the provider's
/// own id, then the end-to-end id of a payment already recorded. On
/// PostgreSQL the order row is locked first, in a statement of its own, so
/// the read that follows sees every payment committed before the lock was
/// granted (another node may have been applying an event to it).
async fn find_order(tx: &mut Tx<'_>, ev: &PaymentEvent) -> Result<Option<Found>, StoreError> {
    let r = &ev.order_ref;
    if r.is_empty() {
        return Ok(None);
    }
    let payment_id = match &ev.kind {
        EventKind::Paid { payment_id } => Some(payment_id.clone()),
        _ => None,
    };
    let target = match tx.dialect() {
        Dialect::Sqlite => None,
        Dialect::Postgres => {
            let locked = tx
                .fetch_optional::<(String,)>(sql!(
                    "SELECT o.id FROM orders o WHERE o.id = (SELECT id FROM ( \
                       SELECT id, 1 AS rank FROM orders WHERE correlation_id = ? \
                       UNION ALL SELECT id, 2 FROM orders WHERE provider = ? AND provider_ref = ? \
                       UNION ALL SELECT order_id, 3 FROM payments WHERE end_to_end_id = ? \
                     ) t ORDER BY rank LIMIT 1) FOR UPDATE",
                    &r.correlation_id,
                    ev.provider,
                    &r.provider_ref,
                    &r.end_to_end_id
                ))
                .await?;
            match locked {
                Some((id,)) => Some(id),
                None => return Ok(None),
            }
        }
    };
    let row = match target {
        None => {
            tx.fetch_optional::<FoundRow>(sql!(
                "WITH target (id) AS (SELECT id FROM ( \
                   SELECT id, 1 AS rank FROM orders WHERE correlation_id = ? \
                   UNION ALL SELECT id, 2 FROM orders WHERE provider = ? AND provider_ref = ? \
                   UNION ALL SELECT order_id, 3 FROM payments WHERE end_to_end_id = ? \
                 ) ORDER BY rank LIMIT 1) \
                 SELECT o.*, \
                   (SELECT json_group_array(end_to_end_id) FROM payments WHERE order_id = o.id) AS payment_ids, \
                   (SELECT json_group_array(refund_ref) FROM refunds WHERE order_id = o.id) AS refund_ids, \
                   EXISTS (SELECT 1 FROM payments WHERE end_to_end_id = ? AND order_id <> o.id) AS payment_id_taken, \
                   COALESCE((SELECT value FROM settings WHERE key = ?), '') AS public_url_setting \
                 FROM target JOIN orders o ON o.id = target.id",
                &r.correlation_id,
                ev.provider,
                &r.provider_ref,
                &r.end_to_end_id,
                payment_id,
                PUBLIC_URL_SETTING
            ))
            .await?
        }
        Some(id) => {
            tx.fetch_optional::<FoundRow>(sql!(
                "SELECT o.*, \
                   COALESCE((SELECT json_agg(end_to_end_id)::text FROM payments WHERE order_id = o.id), '[]') AS payment_ids, \
                   COALESCE((SELECT json_agg(refund_ref)::text FROM refunds WHERE order_id = o.id), '[]') AS refund_ids, \
                   CAST(CASE WHEN EXISTS (SELECT 1 FROM payments WHERE end_to_end_id = ? AND order_id <> o.id) \
                     THEN 1 ELSE 0 END AS BIGINT) AS payment_id_taken, \
                   COALESCE((SELECT value FROM settings WHERE key = ?), '') AS public_url_setting \
                 FROM orders o WHERE o.id = ?",
                payment_id,
                PUBLIC_URL_SETTING,
                id
            ))
            .await?
        }
    };
    let Some(row) = row else {
        return Ok(None);
    };
    let ids = |json: &str, column: &str| -> Result<Vec<String>, StoreError> {
        serde_json::from_str(json).map_err(|e| corrupt(format!("{column}: {e}")))
    };
    let payment_ids = ids(&row.payment_ids, "payment_ids")?;
    let refund_ids = ids(&row.refund_ids, "refund_ids")?;
    let order = OrderRecord::try_from(row.order)?;
    Ok(Some(Found {
        snapshot: OrderSnapshot {
            status: order.status,
            amount: order.amount,
            paid_total: order.paid_total,
            refunded_total: order.refunded_total,
            flags: order.flags.clone(),
            payment_ids,
            refund_ids,
        },
        payment_id_taken: row.payment_id_taken != 0,
        public_base: row.public_url_setting,
        order,
    }))
}

/// How a transaction knows an event is new.
pub(crate) enum Dedupe<'s> {
    /// The caller checked the whole batch against the inbox in one read and
    /// keeps the keys seen since (SQLite: one writer, so nothing can slip in
    /// between); the inbox row is written once the outcome is known.
    Batch(&'s mut HashSet<(String, String)>),
    /// Claim the inbox row first (`ON CONFLICT DO NOTHING RETURNING`), so
    /// two nodes receiving the same webhook at once apply it once.
    Claim,
}

/// Applies one event inside `tx`; the transaction's owner flushes and
/// commits. The inbox's unique key stays the final guard.
pub(crate) async fn apply_event(
    tx: &mut Tx<'_>,
    ev: &PaymentEvent,
    raw_body: Option<&[u8]>,
    source: IngestSource,
    dedupe: Dedupe<'_>,
) -> Result<IngestOutcome, StoreError> {
    let received_at = ts(now());
    let hash = body_sha256(raw_body.unwrap_or_default());
    let claimed = match dedupe {
        Dedupe::Batch(seen) => {
            if !seen.insert((ev.provider.to_owned(), ev.dedupe_key.clone())) {
                return Ok(IngestOutcome::Duplicate);
            }
            false
        }
        Dedupe::Claim => {
            let fresh = tx
                .fetch_optional::<(String,)>(sql!(
                    "INSERT INTO inbox (id, provider, dedupe_key, received_at, event_type, outcome, \
                     order_id, body_sha256, raw_body) VALUES (?, ?, ?, ?, ?, 'pending', NULL, ?, ?) \
                     ON CONFLICT (provider, dedupe_key) DO NOTHING RETURNING id",
                    new_id(),
                    ev.provider,
                    ev.dedupe_key.as_str(),
                    &received_at,
                    ev.event_type.as_str(),
                    &hash,
                    raw_body.map(<[u8]>::to_vec)
                ))
                .await?;
            if fresh.is_none() {
                return Ok(IngestOutcome::Duplicate);
            }
            true
        }
    };
    let outcome = transition(tx, ev, source).await?;
    let order_id = match &outcome {
        IngestOutcome::Applied { order_id, .. } => Some(order_id.clone()),
        _ => None,
    };
    if claimed {
        tx.queue(sql!(
            "UPDATE inbox SET outcome = ?, order_id = ? WHERE provider = ? AND dedupe_key = ?",
            outcome.as_str(),
            order_id,
            ev.provider,
            ev.dedupe_key.as_str()
        ))
        .await?;
    } else {
        tx.queue(sql!(
            "INSERT INTO inbox (id, provider, dedupe_key, received_at, event_type, outcome, order_id, \
             body_sha256, raw_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            new_id(),
            ev.provider,
            ev.dedupe_key.as_str(),
            received_at,
            ev.event_type.as_str(),
            outcome.as_str(),
            order_id,
            hash,
            raw_body.map(<[u8]>::to_vec)
        ))
        .await?;
    }
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
    let Some(Found {
        snapshot,
        mut order,
        payment_id_taken,
        public_base,
    }) = find_order(tx, ev).await?
    else {
        return Ok(if ev.kind == EventKind::Informational {
            IngestOutcome::Recorded
        } else {
            IngestOutcome::Unmatched
        });
    };
    let from = order.status;
    let d = decide(&snapshot, &ev.kind, ev.amount);
    let occurred = ev.occurred_at.unwrap_or_else(now);
    match &d.effect {
        Effect::None => {}
        Effect::RecordPayment { .. } if payment_id_taken => {
            tx.queue(timeline(
                &order.id,
                source.as_str(),
                ev.kind.name(),
                Some(from),
                Some(from),
                "payment id already used by another order; ignored",
            ))
            .await?;
            return Ok(IngestOutcome::Applied {
                order_id: order.id,
                from,
                to: from,
            });
        }
        Effect::RecordPayment {
            payment_id,
            amount,
            applied,
        } => {
            // The unique end-to-end id stays the last guard.
            tx.queue(sql!(
                "INSERT INTO payments (id, order_id, end_to_end_id, amount, applied, paid_at, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (end_to_end_id) DO NOTHING",
                new_id(),
                order.id.as_str(),
                payment_id.as_str(),
                amount.get(),
                *applied,
                ts(occurred),
                ts(now())
            ))
            .await?;
            if *applied {
                order.paid_total = order.paid_total.saturating_add(*amount);
            }
        }
        Effect::RecordRefund { refund_id, amount } => {
            tx.queue(sql!(
                "INSERT INTO refunds (id, order_id, refund_ref, amount, refunded_at, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (refund_ref) DO NOTHING",
                new_id(),
                order.id.as_str(),
                refund_id.as_str(),
                amount.get(),
                ts(occurred),
                ts(now())
            ))
            .await?;
            order.refunded_total = order.refunded_total.saturating_add(*amount);
        }
    }
    let changed = d.status != from || d.flags != order.flags || d.effect != Effect::None;
    if changed {
        // The stored text is the timestamp's truth (millisecond precision).
        let updated_at = ts(now());
        order.updated_at = parse_ts(&updated_at)?;
        order.status = d.status;
        order.flags = d.flags.clone();
        tx.queue(sql!(
            "UPDATE orders SET status = ?, flags = ?, paid_total = ?, refunded_total = ?, updated_at = ? WHERE id = ?",
            d.status.as_str(),
            d.flags.to_stored(),
            order.paid_total.get(),
            order.refunded_total.get(),
            updated_at,
            order.id.as_str()
        ))
        .await?;
        let refund = matches!(d.effect, Effect::RecordRefund { .. });
        if let Some(event_type) =
            crate::outbound::event_type::for_order_change(from, d.status, &d.flags, refund)
        {
            super::outbox::order_event_for(tx, &public_base, &order, event_type).await?;
        }
    }
    let note = match ev.amount {
        Some(a) if a != Cents::ZERO && !d.note.contains("R$") => format!("{} ({a})", d.note),
        _ => d.note.clone(),
    };
    tx.queue(timeline(
        &order.id,
        source.as_str(),
        ev.kind.name(),
        Some(from),
        Some(d.status),
        &format!(
            "{note} [{}]",
            ev.raw_status.as_deref().unwrap_or(&ev.event_type)
        ),
    ))
    .await?;
    if let Some(sale) = &ev.sale {
        super::entitlements::apply(tx, &order.id, ev, sale, d.status).await?;
    }
    Ok(IngestOutcome::Applied {
        order_id: order.id,
        from,
        to: d.status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CorrelationId, Customer, OrderRef, OrderStatus, PersonName};
    use crate::store::{order_json, IngestCommand, IngestHandle, NewOrder, Store};
    use serde_json::Value;

    async fn store() -> (tempfile::TempDir, Store) {
        Store::temp_file().await
    }

    async fn order(store: &Store, correlation: &str) -> OrderRecord {
        store
            .insert_order(&NewOrder {
                correlation_id: CorrelationId::parse(correlation).unwrap(),
                amount: Cents::new(1000).unwrap(),
                customer: Customer {
                    name: PersonName::parse("Maria Souza").unwrap(),
                    email: None,
                    tax_id: None,
                    phone: None,
                    age: None,
                },
                reference: Some(format!("ref-{correlation}")),
                items: None,
                metadata: None,
                idempotency_key: None,
                request_hash: "h".to_owned(),
                expires_in: 3600,
            })
            .await
            .unwrap()
    }

    fn event(key: &str, order_ref: OrderRef, kind: EventKind, amount: i64) -> IngestCommand {
        IngestCommand {
            event: PaymentEvent {
                provider: "woovi",
                dedupe_key: key.to_owned(),
                event_type: "TEST".to_owned(),
                order_ref,
                kind,
                amount: Some(Cents::new(amount).unwrap()),
                occurred_at: None,
                raw_status: None,
                raw: Value::Null,
                sale: None,
            },
            raw_body: Some(std::sync::Arc::from(key.as_bytes())),
            source: IngestSource::Webhook,
        }
    }

    fn by_correlation(c: &str) -> OrderRef {
        OrderRef {
            correlation_id: Some(c.to_owned()),
            ..OrderRef::default()
        }
    }

    fn paid(payment_id: &str) -> EventKind {
        EventKind::Paid {
            payment_id: payment_id.to_owned(),
        }
    }

    /// The `data` of the order's outbox events, newest last, without the
    /// sequence the insert adds.
    async fn event_data(store: &Store, order_id: &str) -> Vec<(String, Value)> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT event_type, payload FROM outbox WHERE order_id = ? ORDER BY sequence",
        )
        .bind(order_id)
        .fetch_all(store.sqlite().unwrap().pool())
        .await
        .unwrap();
        rows.into_iter()
            .map(|(t, p)| {
                let mut v: Value = serde_json::from_str(&p).unwrap();
                let data = v["data"].as_object_mut().unwrap();
                assert!(data.remove("sequence").is_some());
                (t, Value::Object(data.clone()))
            })
            .collect()
    }

    #[tokio::test]
    async fn events_carry_the_order_exactly_as_the_queued_writes_leave_it_in_the_database() {
        let (_dir, store) = store().await;
        let o = order(&store, "corr-1").await;
        let (updates, _) = tokio::sync::broadcast::channel(16);
        let ingest = IngestHandle::spawn(store.clone(), updates);

        let outcome = ingest
            .submit(event("k1", by_correlation("corr-1"), paid("E1"), 1000))
            .await
            .unwrap();
        assert_eq!(outcome.as_str(), "applied");
        let after_paid = store.get_order(&o.id).await.unwrap().unwrap();
        assert_eq!(after_paid.status, OrderStatus::Paid);

        let refund = event(
            "k2",
            OrderRef {
                end_to_end_id: Some("E1".to_owned()),
                ..OrderRef::default()
            },
            EventKind::Refunded {
                refund_id: "D1".to_owned(),
            },
            400,
        );
        ingest.submit(refund).await.unwrap();
        let after_refund = store.get_order(&o.id).await.unwrap().unwrap();
        assert_eq!(after_refund.refunded_total.get(), 400);

        let events = event_data(&store, &o.id).await;
        let types: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            types,
            ["order.created", "order.paid", "order.partially_refunded"]
        );
        assert_eq!(events[1].1, order_json("", &after_paid));
        assert_eq!(events[2].1, order_json("", &after_refund));
    }

    async fn outbox_statuses(store: &Store, order_id: &str) -> Vec<(String, String)> {
        sqlx::query_as("SELECT event_type, status FROM outbox WHERE order_id = ? ORDER BY sequence")
            .bind(order_id)
            .fetch_all(store.sqlite().unwrap().pool())
            .await
            .unwrap()
    }

    /// Creates and pays an order; the (type, status) of its outbox events.
    async fn pay_new_order(store: &Store, ingest: &IngestHandle, n: u8) -> Vec<(String, String)> {
        let o = order(store, &format!("corr-{n}")).await;
        let ev = event(
            &format!("k{n}"),
            by_correlation(&format!("corr-{n}")),
            paid(&format!("E{n}")),
            1000,
        );
        ingest.submit(ev).await.unwrap();
        outbox_statuses(store, &o.id).await
    }

    #[tokio::test]
    async fn events_wait_for_fan_out_only_while_an_endpoint_is_enabled() {
        let (_dir, store) = store().await;
        let (updates, _) = tokio::sync::broadcast::channel(16);
        let ingest = IngestHandle::spawn(store.clone(), updates);
        let both = |status: &str| {
            [
                ("order.created".to_owned(), status.to_owned()),
                ("order.paid".to_owned(), status.to_owned()),
            ]
        };
        // No endpoint: nothing for the dispatcher to do.
        assert_eq!(pay_new_order(&store, &ingest, 1).await, both("dispatched"));

        let endpoint = crate::store::webhook_endpoints::NewEndpoint {
            url: "https://loja.example.com/hook".parse().unwrap(),
            description: None,
            events: crate::outbound::event_type::EventSelection::all(),
        };
        store
            .insert_endpoint("ep_1", &endpoint, "sealed")
            .await
            .unwrap();
        assert_eq!(pay_new_order(&store, &ingest, 2).await, both("pending"));
    }

    #[tokio::test]
    async fn a_payment_id_already_recorded_on_another_order_is_ignored() {
        let (_dir, store) = store().await;
        let first = order(&store, "corr-a").await;
        let second = order(&store, "corr-b").await;
        let (updates, _) = tokio::sync::broadcast::channel(16);
        let ingest = IngestHandle::spawn(store.clone(), updates);
        ingest
            .submit(event("k1", by_correlation("corr-a"), paid("E-same"), 1000))
            .await
            .unwrap();

        let outcome = ingest
            .submit(event("k2", by_correlation("corr-b"), paid("E-same"), 1000))
            .await
            .unwrap();

        assert_eq!(
            outcome,
            IngestOutcome::Applied {
                order_id: second.id.clone(),
                from: OrderStatus::Pending,
                to: OrderStatus::Pending
            }
        );
        let detail = store.order_detail(&second.id).await.unwrap().unwrap();
        assert_eq!(detail.order.status, OrderStatus::Pending);
        assert_eq!(detail.order.paid_total, Cents::ZERO);
        assert!(detail.payments.is_empty());
        assert!(detail
            .timeline
            .iter()
            .any(|t| t.note.contains("already used by another order")));
        let first = store.order_detail(&first.id).await.unwrap().unwrap();
        assert_eq!(first.payments.len(), 1);
        assert_eq!(first.order.status, OrderStatus::Paid);
    }
}
