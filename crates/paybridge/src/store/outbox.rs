//! Events for the store, written in the transaction of the change that
//! causes them (no dual write). Each row keeps the full message body, so every
//! attempt (and a replay) sends the same bytes under the same `webhook-id`.

use super::order_json::{order_json, PUBLIC_URL_SETTING};
use super::orders::order_from_row;
use super::statement_queue::StatementQueue;
use super::OrderRecord;
use super::{new_id, now, parse_ts, ts, Store, StoreError};
use serde_json::{json, Value};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use time::OffsetDateTime;

type Tx<'a> = Transaction<'a, Sqlite>;

/// Queues an event for the store in the caller's transaction: `data` (the
/// order or entitlement as the API returns it) gets the order's next
/// `sequence`, and is wrapped as `{id, type, created_at, data}`. Returns the
/// event id (the `webhook-id`).
pub(crate) async fn outbox(
    tx: &mut Tx<'_>,
    order_id: &str,
    event_type: &str,
    data: Value,
) -> Result<String, StoreError> {
    enqueue(tx, Some(order_id), event_type, data).await
}

/// Queues an event about no order (an abandoned cart): same envelope,
/// sequence 1 (no earlier row has a NULL order to count).
pub(crate) async fn orderless_event(
    tx: &mut Tx<'_>,
    event_type: &str,
    data: Value,
) -> Result<String, StoreError> {
    enqueue(tx, None, event_type, data).await
}

async fn enqueue(
    tx: &mut Tx<'_>,
    order_id: Option<&str>,
    event_type: &str,
    data: Value,
) -> Result<String, StoreError> {
    let mut queue = StatementQueue::default();
    let id = queue_event(&mut queue, order_id, event_type, data);
    queue.flush(tx).await?;
    Ok(id)
}

/// Queues the insert of an event (see [`StatementQueue`]); returns its id.
fn queue_event(
    queue: &mut StatementQueue,
    order_id: Option<&str>,
    event_type: &str,
    data: Value,
) -> String {
    let id = format!("evt_{}", new_id().replace('-', ""));
    let at = ts(now());
    let payload = json!({ "id": id, "type": event_type, "created_at": at, "data": data });
    // The next sequence is read and written into the body in the same
    // statement (the writer holds the write lock, so it cannot race). With
    // no enabled endpoint the event is born dispatched: fan-out would find
    // no one to send it to (endpoints created later never get older
    // events), so the dispatcher need not take the write lock for it.
    queue
        .push(
            "INSERT INTO outbox (id, order_id, event_type, payload, sequence, status, created_at) \
             SELECT ?, ?, ?, json_set(?, '$.data.sequence', n), n, \
               CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 1) \
                 THEN 'pending' ELSE 'dispatched' END, ? \
             FROM (SELECT COALESCE(MAX(sequence), 0) + 1 AS n FROM outbox WHERE order_id = ?)",
        )
        .bind(id.clone())
        .bind(order_id.map(str::to_owned))
        .bind(event_type.to_owned())
        .bind(payload.to_string())
        .bind(at)
        .bind(order_id.map(str::to_owned));
    id
}

/// Queues an `order.*` event whose data is the order as it stands in `tx`.
pub(crate) async fn order_event(
    tx: &mut Tx<'_>,
    order_id: &str,
    event_type: &str,
) -> Result<String, StoreError> {
    let row = sqlx::query(
        "SELECT o.*, COALESCE((SELECT value FROM settings WHERE key = ?), '') AS public_url_setting \
         FROM orders o WHERE o.id = ?",
    )
    .bind(PUBLIC_URL_SETTING)
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    let order = order_from_row(&row)?;
    let base: String = row.try_get("public_url_setting")?;
    outbox(tx, order_id, event_type, order_json(&base, &order)).await
}

/// Queues an `order.*` event for `order`, already changed in memory the way
/// the queued statements change it in the database; `public_base` is the
/// public URL setting the checkout link is built from.
pub(crate) fn queue_order_event(
    queue: &mut StatementQueue,
    public_base: &str,
    order: &OrderRecord,
    event_type: &str,
) -> String {
    queue_event(
        queue,
        Some(&order.id),
        event_type,
        order_json(public_base, order),
    )
}

/// One event with where its deliveries stand.
#[derive(Debug, Clone)]
pub struct EventRecord {
    /// Event id (`webhook-id`).
    pub id: String,
    /// Event type.
    pub event_type: String,
    /// The order it is about (none for an abandoned cart).
    pub order_id: Option<String>,
    /// Per-order sequence number.
    pub sequence: i64,
    /// `pending`, `delivered`, `failed` or `no_endpoints`.
    pub status: String,
    /// The message body as sent.
    pub payload: Value,
    /// When it was written.
    pub created_at: OffsetDateTime,
}

/// Filters of `GET /api/v1/events`.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only this type.
    pub event_type: Option<String>,
    /// Only this order.
    pub order_id: Option<String>,
    /// Only this delivery status.
    pub status: Option<String>,
    /// Page size.
    pub limit: u32,
    /// Id of the last event of the previous page.
    pub cursor: Option<String>,
}

/// The event statuses a filter may name.
pub const EVENT_STATUSES: [&str; 4] = ["pending", "delivered", "failed", "no_endpoints"];

const EVENT_SELECT: &str = "SELECT * FROM (SELECT o.id, o.event_type, o.order_id, o.sequence, o.payload, o.created_at, \
     CASE WHEN o.status = 'pending' THEN 'pending' \
          WHEN EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = o.id AND d.status = 'failed') THEN 'failed' \
          WHEN EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = o.id AND d.status = 'pending') THEN 'pending' \
          WHEN EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = o.id) THEN 'delivered' \
          ELSE 'no_endpoints' END AS delivery_status FROM outbox o) e WHERE 1 = 1";

fn event_from_row(r: &SqliteRow) -> Result<EventRecord, StoreError> {
    Ok(EventRecord {
        id: r.try_get("id")?,
        event_type: r.try_get("event_type")?,
        order_id: r.try_get("order_id")?,
        sequence: r.try_get("sequence")?,
        status: r.try_get("delivery_status")?,
        payload: serde_json::from_str(&r.try_get::<String, _>("payload")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
    })
}

impl Store {
    /// One page of events, newest first, and the next cursor.
    pub async fn list_events(
        &self,
        f: &EventFilter,
    ) -> Result<(Vec<EventRecord>, Option<String>), StoreError> {
        let mut qb = sqlx::QueryBuilder::<Sqlite>::new(EVENT_SELECT);
        if let Some(t) = &f.event_type {
            qb.push(" AND event_type = ").push_bind(t.clone());
        }
        if let Some(o) = &f.order_id {
            qb.push(" AND order_id = ").push_bind(o.clone());
        }
        if let Some(s) = &f.status {
            qb.push(" AND delivery_status = ").push_bind(s.clone());
        }
        if let Some(c) = &f.cursor {
            qb.push(" AND id < ").push_bind(c.clone());
        }
        let limit = f.limit.clamp(1, 500);
        qb.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let rows = qb.build().fetch_all(self.pool()).await?;
        let mut events = rows
            .iter()
            .map(event_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let next = if events.len() > limit as usize {
            events.truncate(limit as usize);
            events.last().map(|e| e.id.clone())
        } else {
            None
        };
        Ok((events, next))
    }

    /// One event.
    pub async fn get_event(&self, id: &str) -> Result<Option<EventRecord>, StoreError> {
        let mut qb = sqlx::QueryBuilder::<Sqlite>::new(EVENT_SELECT);
        qb.push(" AND id = ").push_bind(id.to_owned());
        let row = qb.build().fetch_optional(self.pool()).await?;
        row.as_ref().map(event_from_row).transpose()
    }
}
