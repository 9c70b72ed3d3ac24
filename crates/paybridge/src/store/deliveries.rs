//! Deliveries: one per (event, endpoint). The dispatcher's round is one
//! transaction: record finished attempts, fan new events out to endpoints,
//! and lease the next due deliveries (head of each order's line only). On
//! PostgreSQL several nodes run rounds at once: events and deliveries are
//! claimed with `FOR UPDATE SKIP LOCKED`, and a lease names its node and is
//! timed by the database's clock, so a dead node's leases simply expire.

use super::job::{Job, Statements};
use super::sql::sql;
use super::tx::{Dialect, Tx};
use super::{corrupt, new_id, now, parse_ts, ts, Store, StoreError};
use crate::outbound::event_type::EventSelection;
use crate::outbound::schedule::Next;
use futures::future::BoxFuture;
use std::time::Duration;
use time::OffsetDateTime;

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
#[derive(Debug, Clone)]
pub struct RoundParams {
    /// Most deliveries to lease.
    pub claim: usize,
    /// Lease length (longer than an attempt can take).
    pub lease: Duration,
    /// A later delivery stops waiting for an earlier pending one this old.
    pub order_wait: Duration,
    /// An endpoint failing this long is disabled.
    pub disable_after: Duration,
    /// The node running the round (named on its leases).
    pub node: String,
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

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: String,
    event_id: String,
    event_type: String,
    endpoint_id: String,
    url: String,
    order_id: Option<String>,
    sequence: i64,
    status: String,
    attempts: i64,
    next_attempt_at: String,
    last_status_code: Option<i64>,
    last_error: Option<String>,
    created_at: String,
}

impl TryFrom<DeliveryRow> for DeliveryRecord {
    type Error = StoreError;

    fn try_from(r: DeliveryRow) -> Result<DeliveryRecord, StoreError> {
        Ok(DeliveryRecord {
            next_attempt_at: parse_ts(&r.next_attempt_at)?,
            created_at: parse_ts(&r.created_at)?,
            id: r.id,
            event_id: r.event_id,
            event_type: r.event_type,
            endpoint_id: r.endpoint_id,
            endpoint_url: r.url,
            order_id: r.order_id,
            sequence: r.sequence,
            status: r.status,
            attempts: r.attempts,
            last_status_code: r.last_status_code,
            last_error: r.last_error,
        })
    }
}

const DELIVERY_SELECT: &str = "SELECT d.id, d.event_id, o.event_type, d.endpoint_id, e.url, d.order_id, d.sequence, \
     d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.created_at \
     FROM webhook_deliveries d JOIN outbox o ON o.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id";

/// Writes one finished attempt: the attempt row, the delivery's next state,
/// the endpoint's health. A delivery another node leased since (this
/// node's lease ran out mid-attempt) keeps that node's state.
async fn record(tx: &mut Tx<'_>, f: &Finished, p: &RoundParams) -> Result<(), StoreError> {
    let at = now();
    tx.queue(sql!(
        "INSERT INTO webhook_attempts (id, delivery_id, at, status_code, latency_ms, response) \
         VALUES (?, ?, ?, ?, ?, ?)",
        new_id(),
        f.delivery_id.as_str(),
        ts(f.at),
        f.status_code.map(i64::from),
        i64::try_from(f.latency.as_millis()).unwrap_or(i64::MAX),
        f.response.as_str()
    ))
    .await?;
    let (status, next_at) = match &f.next {
        Next::Delivered => ("delivered", at),
        Next::Retry(d) => ("pending", add(at, *d)),
        Next::GiveUp | Next::EndpointGone => ("failed", at),
    };
    let ok = f.next == Next::Delivered;
    tx.queue(sql!(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, leased_until = NULL, \
         leased_by = NULL, last_status_code = ?, last_error = ?, delivered_at = ?, updated_at = ? \
         WHERE id = ? AND (leased_by IS NULL OR leased_by = ?)",
        status,
        i64::from(f.attempt),
        ts(next_at),
        f.status_code.map(i64::from),
        (!ok).then(|| f.response.clone()),
        ok.then(|| ts(at)),
        ts(at),
        f.delivery_id.as_str(),
        p.node.as_str()
    ))
    .await?;
    if ok {
        return tx
            .queue(sql!(
                "UPDATE webhook_endpoints SET failing_since = NULL, last_success_at = ? WHERE id = ?",
                ts(at),
                f.endpoint_id.as_str()
            ))
            .await;
    }
    tx.queue(sql!(
        "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ?), last_failure_at = ? \
         WHERE id = ?",
        ts(f.at),
        ts(at),
        f.endpoint_id.as_str()
    ))
    .await?;
    if f.next == Next::EndpointGone {
        tx.queue(sql!(
            "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? \
             WHERE id = ? AND enabled = 1",
            format!("the endpoint answered 410 Gone on {}", ts(at)),
            ts(at),
            f.endpoint_id.as_str()
        ))
        .await
    } else {
        tx.queue(sql!(
            "UPDATE webhook_endpoints SET enabled = 0, \
             disabled_reason = 'no successful delivery since ' || failing_since, updated_at = ? \
             WHERE id = ? AND enabled = 1 AND failing_since <= ?",
            ts(at),
            f.endpoint_id.as_str(),
            ts(sub(at, p.disable_after))
        ))
        .await
    }
}

#[derive(sqlx::FromRow)]
struct PendingEvent {
    id: String,
    order_id: Option<String>,
    event_type: String,
    sequence: i64,
    created_at: String,
}

#[derive(sqlx::FromRow)]
struct EnabledEndpoint {
    id: String,
    events: String,
    created_at: String,
}

/// A list of ids as one JSON text argument (both dialects unpack it).
fn id_list(ids: &[&str]) -> Result<String, StoreError> {
    serde_json::to_string(ids).map_err(corrupt)
}

/// Creates the deliveries of not yet dispatched events; returns how many
/// events. On PostgreSQL the events are claimed, so two nodes never fan out
/// the same one.
async fn fan_out(tx: &mut Tx<'_>) -> Result<usize, StoreError> {
    let events = tx
        .fetch_all::<PendingEvent>(sql!(
            sqlite: "SELECT id, order_id, event_type, sequence, created_at FROM outbox \
                     WHERE status = 'pending' ORDER BY created_at, id LIMIT ?",
            postgres: "SELECT id, order_id, event_type, sequence, created_at FROM outbox \
                     WHERE status = 'pending' ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
            FAN_OUT_BATCH
        ))
        .await?;
    if events.is_empty() {
        return Ok(0);
    }
    let endpoints: Vec<(String, EventSelection, String)> = tx
        .fetch_all::<EnabledEndpoint>(sql!(
            "SELECT id, events, created_at FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 1"
        ))
        .await?
        .into_iter()
        .map(|e| (e.id, EventSelection::from_stored(&e.events), e.created_at))
        .collect();
    let at = ts(now());
    for ev in &events {
        for (ep, selection, ep_created) in &endpoints {
            if !selection.includes(&ev.event_type) || *ep_created > ev.created_at {
                continue;
            }
            tx.queue(sql!(
                "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, order_id, sequence, status, attempts, \
                 next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) \
                 ON CONFLICT (event_id, endpoint_id) DO NOTHING",
                new_id(),
                ev.id.as_str(),
                ep.as_str(),
                &ev.order_id,
                ev.sequence,
                &at,
                &at,
                &at
            ))
            .await?;
        }
    }
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    tx.queue(sql!(
        sqlite: "UPDATE outbox SET status = 'dispatched' WHERE id IN (SELECT value FROM json_each(?))",
        postgres: "UPDATE outbox SET status = 'dispatched' \
                   WHERE id IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))";
        id_list(&ids)?
    ))
    .await?;
    Ok(events.len())
}

#[derive(sqlx::FromRow)]
struct DueDelivery {
    id: String,
    event_id: String,
    endpoint_id: String,
    attempts: i64,
    url: String,
    secret_sealed: String,
    previous_secret_sealed: Option<String>,
    payload: String,
}

/// Leases the next due deliveries: due, not leased (or the lease ran out),
/// endpoint enabled, and no earlier delivery of the same order to the same
/// endpoint still pending (unless that one has waited longer than
/// `order_wait`).
async fn claim(tx: &mut Tx<'_>, p: &RoundParams) -> Result<Vec<Claimed>, StoreError> {
    if p.claim == 0 {
        return Ok(Vec::new());
    }
    let limit = i64::try_from(p.claim).unwrap_or(i64::MAX);
    let millis = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let rows = match tx.dialect() {
        Dialect::Sqlite => {
            let at = now();
            tx.fetch_all::<DueDelivery>(sql!(
                "SELECT d.id, d.event_id, d.endpoint_id, d.attempts, e.url, e.secret_sealed, \
                 CASE WHEN e.previous_secret_until > ? THEN e.previous_secret_sealed END AS previous_secret_sealed, \
                 o.payload \
                 FROM webhook_deliveries d \
                 JOIN webhook_endpoints e ON e.id = d.endpoint_id \
                 JOIN outbox o ON o.id = d.event_id \
                 WHERE d.status = 'pending' AND d.next_attempt_at <= ? \
                   AND (d.leased_until IS NULL OR d.leased_until <= ?) AND e.enabled = 1 \
                   AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.status = 'pending' \
                       AND p.endpoint_id = d.endpoint_id AND p.order_id = d.order_id AND p.sequence < d.sequence \
                       AND p.created_at > ?) \
                 ORDER BY d.next_attempt_at, d.id LIMIT ?",
                ts(at),
                ts(at),
                ts(at),
                ts(sub(at, p.order_wait)),
                limit
            ))
            .await?
        }
        Dialect::Postgres => {
            tx.fetch_all::<DueDelivery>(sql!(
                "SELECT d.id, d.event_id, d.endpoint_id, d.attempts, e.url, e.secret_sealed, \
                 CASE WHEN e.previous_secret_until > pb_ts(now()) THEN e.previous_secret_sealed END \
                   AS previous_secret_sealed, \
                 o.payload \
                 FROM webhook_deliveries d \
                 JOIN webhook_endpoints e ON e.id = d.endpoint_id \
                 JOIN outbox o ON o.id = d.event_id \
                 WHERE d.status = 'pending' AND d.next_attempt_at <= pb_ts(now()) \
                   AND (d.leased_until IS NULL OR d.leased_until <= pb_ts(now())) AND e.enabled = 1 \
                   AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.status = 'pending' \
                       AND p.endpoint_id = d.endpoint_id AND p.order_id = d.order_id AND p.sequence < d.sequence \
                       AND p.created_at > pb_ts(now() - ? * interval '1 millisecond')) \
                 ORDER BY d.next_attempt_at, d.id LIMIT ? \
                 FOR UPDATE OF d SKIP LOCKED",
                millis(p.order_wait),
                limit
            ))
            .await?
        }
    };
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let ids = id_list(&ids)?;
    match tx.dialect() {
        Dialect::Sqlite => {
            tx.queue(sql!(
                "UPDATE webhook_deliveries SET leased_until = ? WHERE id IN (SELECT value FROM json_each(?))",
                ts(add(now(), p.lease)),
                ids
            ))
            .await?
        }
        Dialect::Postgres => {
            tx.queue(sql!(
                "UPDATE webhook_deliveries SET leased_until = pb_ts(now() + ? * interval '1 millisecond'), \
                 leased_by = ? WHERE id IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))",
                millis(p.lease),
                p.node.as_str(),
                ids
            ))
            .await?
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            delivery_id: r.id,
            event_id: r.event_id,
            endpoint_id: r.endpoint_id,
            url: r.url,
            attempts: u32::try_from(r.attempts).unwrap_or(u32::MAX),
            secret_sealed: r.secret_sealed,
            previous_secret_sealed: r.previous_secret_sealed,
            payload: r.payload,
        })
        .collect())
}

/// One dispatcher round as a job.
#[derive(Clone)]
struct Round {
    done: Vec<Finished>,
    params: RoundParams,
}

impl Job for Round {
    type Output = (usize, Vec<Claimed>);
    type Error = StoreError;

    fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<Self::Output, StoreError>> {
        Box::pin(async move {
            // On SQLite every write of the round goes out in front of its
            // next read (see `sqlite/statement_queue.rs`), so the write lock
            // is held for a few round trips however many events and attempts
            // the round carries.
            for f in &self.done {
                record(tx, f, &self.params).await?;
            }
            let fanned = fan_out(tx).await?;
            let claimed = claim(tx, &self.params).await?;
            Ok((fanned, claimed))
        })
    }
}

/// Re-queues every delivery of an event, creating those to enabled
/// endpoints that never had it; `None` when there is no such event.
#[derive(Clone)]
struct Redeliver {
    event_id: String,
}

#[derive(sqlx::FromRow)]
struct EventHead {
    order_id: Option<String>,
    event_type: String,
    sequence: i64,
}

impl Job for Redeliver {
    type Output = Option<u64>;
    type Error = StoreError;

    fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<Option<u64>, StoreError>> {
        Box::pin(async move {
            let event_id = self.event_id.as_str();
            let Some(ev) = tx
                .fetch_optional::<EventHead>(sql!(
                    "SELECT order_id, event_type, sequence FROM outbox WHERE id = ?",
                    event_id
                ))
                .await?
            else {
                return Ok(None);
            };
            let at = ts(now());
            let endpoints = tx
                .fetch_all::<EnabledEndpoint>(sql!(
                    "SELECT id, events, created_at FROM webhook_endpoints \
                     WHERE deleted_at IS NULL AND enabled = 1"
                ))
                .await?;
            for e in &endpoints {
                if !EventSelection::from_stored(&e.events).includes(&ev.event_type) {
                    continue;
                }
                tx.queue(sql!(
                    "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, order_id, sequence, status, \
                     attempts, next_attempt_at, created_at, updated_at) \
                     VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) \
                     ON CONFLICT (event_id, endpoint_id) DO NOTHING",
                    new_id(),
                    event_id,
                    e.id.as_str(),
                    &ev.order_id,
                    ev.sequence,
                    &at,
                    &at,
                    &at
                ))
                .await?;
            }
            let n = tx
                .execute(sql!(
                    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, \
                     leased_until = NULL, leased_by = NULL, updated_at = ? WHERE event_id = ? AND endpoint_id IN \
                     (SELECT id FROM webhook_endpoints WHERE deleted_at IS NULL)",
                    &at,
                    &at,
                    event_id
                ))
                .await?;
            tx.queue(sql!(
                "UPDATE outbox SET status = 'dispatched' WHERE id = ?",
                event_id
            ))
            .await?;
            Ok(Some(n))
        })
    }
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    delivery_id: String,
    endpoint_id: String,
    at: String,
    status_code: Option<i64>,
    latency_ms: i64,
    response: String,
}

#[derive(sqlx::FromRow)]
struct StatusCount {
    status: String,
    n: i64,
}

impl Store {
    /// Forgets the leases this node held when it last stopped (at
    /// start-up), so whatever was in flight goes out again (same
    /// `webhook-id`). On SQLite every lease is this process's; on
    /// PostgreSQL only those named after this node: another node's leases
    /// expire on the database's clock.
    pub async fn release_delivery_leases(&self) -> Result<u64, StoreError> {
        if self.is_shared() {
            return self
                .write(sql!(
                    "UPDATE webhook_deliveries SET leased_until = NULL, leased_by = NULL WHERE leased_by = ?",
                    self.node_id()
                ))
                .await;
        }
        self.write(sql!(
            "UPDATE webhook_deliveries SET leased_until = NULL WHERE leased_until IS NOT NULL"
        ))
        .await
    }

    /// Records `done`, fans out new events and leases the next due deliveries,
    /// in one transaction (one commit per round; on SQLite on the write thread).
    pub async fn dispatch_round(
        &self,
        done: Vec<Finished>,
        params: RoundParams,
    ) -> Result<(usize, Vec<Claimed>), StoreError> {
        self.run_alone(Round { done, params }).await
    }

    /// Re-queues every delivery of an event now (attempt count restarts), and
    /// creates deliveries to enabled endpoints that never had it. Returns how many are queued.
    pub async fn redeliver_event(&self, event_id: &str) -> Result<Option<u64>, StoreError> {
        self.run_job(Redeliver {
            event_id: event_id.to_owned(),
        })
        .await
    }

    /// Re-queues an endpoint's failed deliveries created at or after `since`.
    pub async fn recover_endpoint(
        &self,
        endpoint_id: &str,
        since: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let at = ts(now());
        self.write(sql!(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, \
             leased_until = NULL, leased_by = NULL, updated_at = ? \
             WHERE endpoint_id = ? AND status = 'failed' AND created_at >= ?",
            &at,
            &at,
            endpoint_id,
            ts(since)
        ))
        .await
    }

    /// Re-queues one delivery (the dashboard's resend button).
    pub async fn redeliver_delivery(&self, delivery_id: &str) -> Result<bool, StoreError> {
        let at = ts(now());
        Ok(self
            .run_job(Statements(vec![sql!(
                "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, \
                 leased_until = NULL, leased_by = NULL, updated_at = ? WHERE id = ?",
                &at,
                &at,
                delivery_id
            )]))
            .await?
            == 1)
    }

    async fn deliveries(&self, s: super::sql::Sql) -> Result<Vec<DeliveryRecord>, StoreError> {
        self.read_all::<DeliveryRow>(s)
            .await?
            .into_iter()
            .map(DeliveryRecord::try_from)
            .collect()
    }

    /// Deliveries of one event.
    pub async fn deliveries_for_event(
        &self,
        event_id: &str,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        let mut qb = super::sql::SqlBuilder::new(DELIVERY_SELECT);
        qb.push(" WHERE d.event_id = ")
            .bind(event_id)
            .push(" ORDER BY d.id");
        self.deliveries(qb.build()).await
    }

    /// Deliveries about one order, in sequence order.
    pub async fn deliveries_for_order(
        &self,
        order_id: &str,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        let mut qb = super::sql::SqlBuilder::new(DELIVERY_SELECT);
        qb.push(" WHERE d.order_id = ")
            .bind(order_id)
            .push(" ORDER BY d.sequence, d.endpoint_id");
        self.deliveries(qb.build()).await
    }

    /// The most recent failed deliveries.
    pub async fn failed_deliveries(&self, limit: u32) -> Result<Vec<DeliveryRecord>, StoreError> {
        let mut qb = super::sql::SqlBuilder::new(DELIVERY_SELECT);
        qb.push(" WHERE d.status = 'failed' ORDER BY d.updated_at DESC LIMIT ")
            .bind(i64::from(limit));
        self.deliveries(qb.build()).await
    }

    /// Every attempt of an event, oldest first.
    pub async fn attempts_for_event(
        &self,
        event_id: &str,
    ) -> Result<Vec<AttemptRecord>, StoreError> {
        self.read_all::<AttemptRow>(sql!(
            "SELECT a.delivery_id, d.endpoint_id, a.at, a.status_code, a.latency_ms, a.response \
             FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id \
             WHERE d.event_id = ? ORDER BY a.at, a.id",
            event_id
        ))
        .await?
        .into_iter()
        .map(|r| {
            Ok(AttemptRecord {
                at: parse_ts(&r.at)?,
                delivery_id: r.delivery_id,
                endpoint_id: r.endpoint_id,
                status_code: r.status_code,
                latency_ms: r.latency_ms,
                response: r.response,
            })
        })
        .collect()
    }

    /// Counts of an endpoint's deliveries per status (dashboard health).
    pub async fn endpoint_delivery_counts(
        &self,
        endpoint_id: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(self
            .read_all::<StatusCount>(sql!(
                "SELECT status, CAST(COUNT(*) AS BIGINT) AS n FROM webhook_deliveries \
                 WHERE endpoint_id = ? GROUP BY status ORDER BY status",
                endpoint_id
            ))
            .await?
            .into_iter()
            .map(|r| (r.status, r.n))
            .collect())
    }
}
