//! Deliveries: one per (event, endpoint). The dispatcher's round is one
//! transaction: record finished attempts, fan new events out to endpoints,
//! and lease the next due deliveries (head of each order's line only).

use super::statement_queue::StatementQueue;
use super::{new_id, now, parse_ts, ts, Store, StoreError};
use crate::outbound::event_type::EventSelection;
use crate::outbound::schedule::Next;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use std::time::Duration;
use time::OffsetDateTime;

type Tx<'a> = Transaction<'a, Sqlite>;

/// Events fanned out per round.
const FAN_OUT_BATCH: i64 = 1000;

/// A delivery leased to this process for one attempt.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// Delivery id.
    pub delivery_id: String,
    /// Event id (`webhook-id`).
    pub event_id: String,
    /// Endpoint id.
    pub endpoint_id: String,
    /// Endpoint URL.
    pub url: String,
    /// Attempts made before this one.
    pub attempts: u32,
    /// Sealed current secret.
    pub secret_sealed: String,
    /// Sealed previous secret while the rotation overlap lasts.
    pub previous_secret_sealed: Option<String>,
    /// The message body.
    pub payload: String,
}

/// The outcome of one attempt, to record.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Delivery id.
    pub delivery_id: String,
    /// Endpoint id.
    pub endpoint_id: String,
    /// This attempt's number (1-based).
    pub attempt: u32,
    /// When it started.
    pub at: OffsetDateTime,
    /// HTTP status, when one came back.
    pub status_code: Option<u16>,
    /// Time to answer.
    pub latency: Duration,
    /// Start of the answer, or the error.
    pub response: String,
    /// What happens next.
    pub next: Next,
}

/// Knobs of a round.
#[derive(Debug, Clone, Copy)]
pub struct RoundParams {
    /// Most deliveries to lease.
    pub claim: usize,
    /// Lease length (longer than an attempt can take).
    pub lease: Duration,
    /// A later delivery stops waiting for an earlier pending one this old.
    pub order_wait: Duration,
    /// An endpoint failing this long is disabled.
    pub disable_after: Duration,
}

/// One delivery, for the API and the dashboard.
#[derive(Debug, Clone)]
pub struct DeliveryRecord {
    /// Delivery id.
    pub id: String,
    /// Event id.
    pub event_id: String,
    /// Event type.
    pub event_type: String,
    /// Endpoint id.
    pub endpoint_id: String,
    /// Endpoint URL.
    pub endpoint_url: String,
    /// Order.
    pub order_id: Option<String>,
    /// Per-order sequence.
    pub sequence: i64,
    /// `pending`, `delivered`, `failed`.
    pub status: String,
    /// Attempts so far (since the last re-queue).
    pub attempts: i64,
    /// Next attempt (pending only).
    pub next_attempt_at: OffsetDateTime,
    /// Last HTTP status.
    pub last_status_code: Option<i64>,
    /// Last error or answer snippet.
    pub last_error: Option<String>,
    /// Created.
    pub created_at: OffsetDateTime,
}

/// One attempt, for `GET /api/v1/events/{id}/attempts`.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    /// Delivery id.
    pub delivery_id: String,
    /// Endpoint id.
    pub endpoint_id: String,
    /// When.
    pub at: OffsetDateTime,
    /// HTTP status, if any answer.
    pub status_code: Option<i64>,
    /// Latency in milliseconds.
    pub latency_ms: i64,
    /// Start of the answer or the error.
    pub response: String,
}

fn add(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    t + time::Duration::try_from(d).unwrap_or(time::Duration::days(365))
}

fn sub(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    t - time::Duration::try_from(d).unwrap_or(time::Duration::days(365))
}

fn delivery_from_row(r: &SqliteRow) -> Result<DeliveryRecord, StoreError> {
    Ok(DeliveryRecord {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        event_type: r.try_get("event_type")?,
        endpoint_id: r.try_get("endpoint_id")?,
        endpoint_url: r.try_get("url")?,
        order_id: r.try_get("order_id")?,
        sequence: r.try_get("sequence")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: parse_ts(&r.try_get::<String, _>("next_attempt_at")?)?,
        last_status_code: r.try_get("last_status_code")?,
        last_error: r.try_get("last_error")?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
    })
}

const DELIVERY_SELECT: &str = "SELECT d.id, d.event_id, o.event_type, d.endpoint_id, e.url, d.order_id, d.sequence, \
     d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.created_at \
     FROM webhook_deliveries d JOIN outbox o ON o.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id";

fn record(queue: &mut StatementQueue, f: &Finished, p: &RoundParams) {
    let at = now();
    queue
        .push(
            "INSERT INTO webhook_attempts (id, delivery_id, at, status_code, latency_ms, response) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(new_id())
        .bind(f.delivery_id.clone())
        .bind(ts(f.at))
        .bind(f.status_code.map(i64::from))
        .bind(i64::try_from(f.latency.as_millis()).unwrap_or(i64::MAX))
        .bind(f.response.clone());
    let (status, next_at) = match &f.next {
        Next::Delivered => ("delivered", at),
        Next::Retry(d) => ("pending", add(at, *d)),
        Next::GiveUp | Next::EndpointGone => ("failed", at),
    };
    let ok = f.next == Next::Delivered;
    queue
        .push(
            "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, leased_until = NULL, \
             last_status_code = ?, last_error = ?, delivered_at = ?, updated_at = ? WHERE id = ?",
        )
        .bind(status)
        .bind(i64::from(f.attempt))
        .bind(ts(next_at))
        .bind(f.status_code.map(i64::from))
        .bind((!ok).then(|| f.response.clone()))
        .bind(ok.then(|| ts(at)))
        .bind(ts(at))
        .bind(f.delivery_id.clone());
    if ok {
        queue
            .push("UPDATE webhook_endpoints SET failing_since = NULL, last_success_at = ? WHERE id = ?")
            .bind(ts(at))
            .bind(f.endpoint_id.clone());
        return;
    }
    queue
        .push(
            "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?), last_failure_at = ? WHERE id = ?",
        )
        .bind(ts(f.at))
        .bind(ts(at))
        .bind(f.endpoint_id.clone());
    if f.next == Next::EndpointGone {
        queue
            .push(
                "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = 1",
            )
            .bind(format!("the endpoint answered 410 Gone on {}", ts(at)))
            .bind(ts(at))
            .bind(f.endpoint_id.clone());
    } else {
        queue
            .push(
                "UPDATE webhook_endpoints SET enabled = 0, \
                 disabled_reason = 'no successful delivery since ' || failing_since, updated_at = ? \
                 WHERE id = ? AND enabled = 1 AND failing_since <= ?",
            )
            .bind(ts(at))
            .bind(f.endpoint_id.clone())
            .bind(ts(sub(at, p.disable_after)));
    }
}

/// Creates the deliveries of not yet dispatched events; returns how many events.
async fn fan_out(tx: &mut Tx<'_>, queue: &mut StatementQueue) -> Result<usize, StoreError> {
    queue
        .push(
            "SELECT id, order_id, event_type, sequence, created_at FROM outbox WHERE status = 'pending' \
             ORDER BY created_at, id LIMIT ?",
        )
        .bind(FAN_OUT_BATCH);
    let events = queue.fetch_all(tx).await?;
    if events.is_empty() {
        return Ok(0);
    }
    queue.push(
        "SELECT id, events, created_at FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 1",
    );
    let endpoints: Vec<(String, EventSelection, String)> = queue
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                EventSelection::from_stored(&r.try_get::<String, _>("events")?),
                r.try_get("created_at")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let at = ts(now());
    let mut dispatched = Vec::with_capacity(events.len());
    for ev in &events {
        let event_id: String = ev.try_get("id")?;
        let event_type: String = ev.try_get("event_type")?;
        let created: String = ev.try_get("created_at")?;
        for (ep, selection, ep_created) in &endpoints {
            if !selection.includes(&event_type) || *ep_created > created {
                continue;
            }
            queue
                .push(
                    "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, order_id, sequence, status, attempts, \
                     next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) \
                     ON CONFLICT (event_id, endpoint_id) DO NOTHING",
                )
                .bind(new_id())
                .bind(event_id.clone())
                .bind(ep.clone())
                .bind(ev.try_get::<Option<String>, _>("order_id")?)
                .bind(ev.try_get::<i64, _>("sequence")?)
                .bind(at.clone())
                .bind(at.clone())
                .bind(at.clone());
        }
        dispatched.push(event_id);
    }
    queue
        .push(
            "UPDATE outbox SET status = 'dispatched' WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(serde_json::to_string(&dispatched).map_err(|e| StoreError::Corrupt(e.to_string()))?);
    Ok(events.len())
}

async fn claim(
    tx: &mut Tx<'_>,
    queue: &mut StatementQueue,
    p: &RoundParams,
) -> Result<Vec<Claimed>, StoreError> {
    if p.claim == 0 {
        return Ok(Vec::new());
    }
    let at = now();
    queue
        .push(
            "SELECT d.id, d.event_id, d.endpoint_id, d.attempts, e.url, e.secret_sealed, \
             CASE WHEN e.previous_secret_until > ? THEN e.previous_secret_sealed END AS previous_secret_sealed, o.payload \
             FROM webhook_deliveries d \
             JOIN webhook_endpoints e ON e.id = d.endpoint_id \
             JOIN outbox o ON o.id = d.event_id \
             WHERE d.status = 'pending' AND d.next_attempt_at <= ? \
               AND (d.leased_until IS NULL OR d.leased_until <= ?) AND e.enabled = 1 \
               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.status = 'pending' \
                   AND p.endpoint_id = d.endpoint_id AND p.order_id = d.order_id AND p.sequence < d.sequence \
                   AND p.created_at > ?) \
             ORDER BY d.next_attempt_at, d.id LIMIT ?",
        )
        .bind(ts(at))
        .bind(ts(at))
        .bind(ts(at))
        .bind(ts(sub(at, p.order_wait)))
        .bind(i64::try_from(p.claim).unwrap_or(i64::MAX));
    let rows = queue.fetch_all(tx).await?;
    let lease = ts(add(at, p.lease));
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(Claimed {
            delivery_id: r.try_get("id")?,
            event_id: r.try_get("event_id")?,
            endpoint_id: r.try_get("endpoint_id")?,
            url: r.try_get("url")?,
            attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
            secret_sealed: r.try_get("secret_sealed")?,
            previous_secret_sealed: r.try_get("previous_secret_sealed")?,
            payload: r.try_get("payload")?,
        });
    }
    if !out.is_empty() {
        let ids: Vec<&str> = out.iter().map(|c| c.delivery_id.as_str()).collect();
        queue
            .push(
                "UPDATE webhook_deliveries SET leased_until = ? WHERE id IN (SELECT value FROM json_each(?))",
            )
            .bind(lease)
            .bind(serde_json::to_string(&ids).map_err(|e| StoreError::Corrupt(e.to_string()))?);
    }
    Ok(out)
}

impl Store {
    /// Forgets every lease: after a restart, what was in flight goes out again
    /// (same `webhook-id`). One process per database, so no lease is foreign.
    pub async fn release_delivery_leases(&self) -> Result<u64, StoreError> {
        Ok(self
            .write_statement(sqlx::query(
                "UPDATE webhook_deliveries SET leased_until = NULL WHERE leased_until IS NOT NULL",
            ))
            .await?
            .rows_affected())
    }

    /// Records `done`, fans out new events and leases the next due deliveries,
    /// in one transaction (one fsync per round), on the write thread.
    pub async fn dispatch_round(
        &self,
        done: Vec<Finished>,
        p: RoundParams,
    ) -> Result<(usize, Vec<Claimed>), StoreError> {
        let store = self.clone();
        self.on_write_thread(async move { store.dispatch_round_here(&done, &p).await })
            .await
    }

    async fn dispatch_round_here(
        &self,
        done: &[Finished],
        p: &RoundParams,
    ) -> Result<(usize, Vec<Claimed>), StoreError> {
        // Every write of the round goes out in front of its next read (see
        // statement_queue.rs), so the write lock is held for a few round
        // trips however many events and attempts the round carries.
        let mut tx = self.begin_write().await?;
        let mut queue = StatementQueue::default();
        for f in done {
            record(&mut queue, f, p);
        }
        let fanned = fan_out(&mut tx, &mut queue).await?;
        let claimed = claim(&mut tx, &mut queue, p).await?;
        queue.flush(&mut tx).await?;
        tx.commit().await?;
        Ok((fanned, claimed))
    }

    /// Re-queues every delivery of an event now (attempt count restarts), and
    /// creates deliveries to enabled endpoints that never had it. Returns how many are queued.
    pub async fn redeliver_event(&self, event_id: &str) -> Result<Option<u64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(ev) =
            sqlx::query("SELECT order_id, event_type, sequence FROM outbox WHERE id = ?")
                .bind(event_id)
                .fetch_optional(&mut **tx)
                .await?
        else {
            return Ok(None);
        };
        let at = ts(now());
        let event_type: String = ev.try_get("event_type")?;
        let endpoints = sqlx::query(
            "SELECT id, events FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 1",
        )
        .fetch_all(&mut **tx)
        .await?;
        for e in &endpoints {
            if !EventSelection::from_stored(&e.try_get::<String, _>("events")?)
                .includes(&event_type)
            {
                continue;
            }
            sqlx::query(
                "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, order_id, sequence, status, attempts, \
                 next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) \
                 ON CONFLICT (event_id, endpoint_id) DO NOTHING",
            )
            .bind(new_id())
            .bind(event_id)
            .bind(e.try_get::<String, _>("id")?)
            .bind(ev.try_get::<Option<String>, _>("order_id")?)
            .bind(ev.try_get::<i64, _>("sequence")?)
            .bind(&at)
            .bind(&at)
            .bind(&at)
            .execute(&mut **tx)
            .await?;
        }
        let n = sqlx::query(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, leased_until = NULL, \
             updated_at = ? WHERE event_id = ? AND endpoint_id IN \
             (SELECT id FROM webhook_endpoints WHERE deleted_at IS NULL)",
        )
        .bind(&at)
        .bind(&at)
        .bind(event_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE outbox SET status = 'dispatched' WHERE id = ?")
            .bind(event_id)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(Some(n))
    }

    /// Re-queues an endpoint's failed deliveries created at or after `since`.
    pub async fn recover_endpoint(
        &self,
        endpoint_id: &str,
        since: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let at = ts(now());
        Ok(self
            .write_statement(
                sqlx::query(
                    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, \
                     leased_until = NULL, updated_at = ? \
                     WHERE endpoint_id = ? AND status = 'failed' AND created_at >= ?",
                )
                .bind(at.clone())
                .bind(at)
                .bind(endpoint_id.to_owned())
                .bind(ts(since)),
            )
            .await?
            .rows_affected())
    }

    /// Re-queues one delivery (the dashboard's resend button).
    pub async fn redeliver_delivery(&self, delivery_id: &str) -> Result<bool, StoreError> {
        let at = ts(now());
        Ok(self
            .write_statement(
                sqlx::query(
                    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, \
                     leased_until = NULL, updated_at = ? WHERE id = ?",
                )
                .bind(at.clone())
                .bind(at)
                .bind(delivery_id.to_owned()),
            )
            .await?
            .rows_affected()
            == 1)
    }

    /// Deliveries of one event.
    pub async fn deliveries_for_event(
        &self,
        event_id: &str,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        sqlx::query(&format!(
            "{DELIVERY_SELECT} WHERE d.event_id = ? ORDER BY d.id"
        ))
        .bind(event_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    /// Deliveries about one order, in sequence order.
    pub async fn deliveries_for_order(
        &self,
        order_id: &str,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        sqlx::query(&format!(
            "{DELIVERY_SELECT} WHERE d.order_id = ? ORDER BY d.sequence, d.endpoint_id"
        ))
        .bind(order_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    /// The most recent failed deliveries.
    pub async fn failed_deliveries(&self, limit: u32) -> Result<Vec<DeliveryRecord>, StoreError> {
        sqlx::query(&format!(
            "{DELIVERY_SELECT} WHERE d.status = 'failed' ORDER BY d.updated_at DESC LIMIT ?"
        ))
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    /// Every attempt of an event, oldest first.
    pub async fn attempts_for_event(
        &self,
        event_id: &str,
    ) -> Result<Vec<AttemptRecord>, StoreError> {
        sqlx::query(
            "SELECT a.delivery_id, d.endpoint_id, a.at, a.status_code, a.latency_ms, a.response \
             FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id \
             WHERE d.event_id = ? ORDER BY a.at, a.id",
        )
        .bind(event_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(AttemptRecord {
                delivery_id: r.try_get("delivery_id")?,
                endpoint_id: r.try_get("endpoint_id")?,
                at: parse_ts(&r.try_get::<String, _>("at")?)?,
                status_code: r.try_get("status_code")?,
                latency_ms: r.try_get("latency_ms")?,
                response: r.try_get("response")?,
            })
        })
        .collect()
    }

    /// Counts of an endpoint's deliveries per status (dashboard health).
    pub async fn endpoint_delivery_counts(
        &self,
        endpoint_id: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        sqlx::query(
            "SELECT status, COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? GROUP BY status ORDER BY status",
        )
        .bind(endpoint_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
    }
}
