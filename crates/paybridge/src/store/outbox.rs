//! Events for the store, written in the transaction of the change that
//! causes them (no dual write). Each row keeps the full message body, so every
//! attempt (and a replay) sends the same bytes under the same `webhook-id`.

use super::order_json::{order_json, PUBLIC_URL_SETTING};
use super::order_row::OrderRow;
use super::paging::{next_page, page};
use super::sql::{sql, SqlBuilder};
use super::tx::{Dialect, Tx};
use super::{corrupt, new_id, now, parse_ts, ts, OrderRecord, Store, StoreError};
use serde_json::{json, Value};
use time::OffsetDateTime;

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
/// sequence 1.
pub(crate) async fn orderless_event(
    tx: &mut Tx<'_>,
    event_type: &str,
    data: Value,
) -> Result<String, StoreError> {
    enqueue(tx, None, event_type, data).await
}

/// Writes one event. Its sequence is the order row's `event_seq`, bumped
/// in the same transaction (the order row is locked by then on
/// PostgreSQL; SQLite has one writer), and is written into the body too.
/// With no enabled endpoint an event is born dispatched: fan-out would find
/// no one to send it to (endpoints created later never get older events),
/// so the dispatcher need not write it again.
async fn enqueue(
    tx: &mut Tx<'_>,
    order_id: Option<&str>,
    event_type: &str,
    data: Value,
) -> Result<String, StoreError> {
    let id = format!("evt_{}", new_id().replace('-', ""));
    let at = ts(now());
    let mut payload = json!({ "id": id, "type": event_type, "created_at": at, "data": data });
    match tx.dialect() {
        // One queued statement: the sequence is read and set into the body
        // inside SQLite, so the event costs no round trip of its own.
        Dialect::Sqlite => {
            if let Some(o) = order_id {
                tx.queue(sql!(
                    "UPDATE orders SET event_seq = event_seq + 1 WHERE id = ?",
                    o
                ))
                .await?;
            }
            tx.queue(sql!(
                "INSERT INTO outbox (id, order_id, event_type, payload, sequence, status, created_at) \
                 SELECT ?, ?, ?, json_set(?, '$.data.sequence', n), n, \
                   CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 1) \
                     THEN 'pending' ELSE 'dispatched' END, ? \
                 FROM (SELECT COALESCE((SELECT event_seq FROM orders WHERE id = ?), 1) AS n)",
                &id,
                order_id,
                event_type,
                payload.to_string(),
                &at,
                order_id
            ))
            .await?;
        }
        // Statements run one by one anyway: read the sequence back and
        // build the body here, byte for byte as SQLite would.
        Dialect::Postgres => {
            let seq = match order_id {
                Some(o) => {
                    tx.fetch_one::<(i64,)>(sql!(
                        "UPDATE orders SET event_seq = event_seq + 1 WHERE id = ? RETURNING event_seq",
                        o
                    ))
                    .await?
                    .0
                }
                None => 1,
            };
            if let Some(d) = payload.get_mut("data").and_then(Value::as_object_mut) {
                d.insert("sequence".into(), json!(seq));
            }
            tx.queue(sql!(
                "INSERT INTO outbox (id, order_id, event_type, payload, sequence, status, created_at) \
                 SELECT ?, ?, ?, ?, ?, \
                   CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 1) \
                     THEN 'pending' ELSE 'dispatched' END, ?",
                &id,
                order_id,
                event_type,
                payload.to_string(),
                seq,
                &at
            ))
            .await?;
        }
    }
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct OrderWithBase {
    #[sqlx(flatten)]
    order: OrderRow,
    public_url_setting: String,
}

/// Queues an `order.*` event whose data is the order as it stands in `tx`.
pub(crate) async fn order_event(
    tx: &mut Tx<'_>,
    order_id: &str,
    event_type: &str,
) -> Result<String, StoreError> {
    let row = tx
        .fetch_one::<OrderWithBase>(sql!(
            "SELECT o.*, COALESCE((SELECT value FROM settings WHERE key = ?), '') AS public_url_setting \
             FROM orders o WHERE o.id = ?",
            PUBLIC_URL_SETTING,
            order_id
        ))
        .await?;
    let order = OrderRecord::try_from(row.order)?;
    outbox(
        tx,
        order_id,
        event_type,
        order_json(&row.public_url_setting, &order),
    )
    .await
}

/// Queues an `order.*` event for `order`, already changed in memory the way
/// the queued statements change it in the database; `public_base` is the
/// public URL setting the checkout link is built from.
pub(crate) async fn order_event_for(
    tx: &mut Tx<'_>,
    public_base: &str,
    order: &OrderRecord,
    event_type: &str,
) -> Result<String, StoreError> {
    outbox(tx, &order.id, event_type, order_json(public_base, order)).await
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

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    event_type: String,
    order_id: Option<String>,
    sequence: i64,
    delivery_status: String,
    payload: String,
    created_at: String,
}

impl TryFrom<EventRow> for EventRecord {
    type Error = StoreError;

    fn try_from(r: EventRow) -> Result<EventRecord, StoreError> {
        Ok(EventRecord {
            id: r.id,
            event_type: r.event_type,
            order_id: r.order_id,
            sequence: r.sequence,
            status: r.delivery_status,
            payload: serde_json::from_str(&r.payload).map_err(corrupt)?,
            created_at: parse_ts(&r.created_at)?,
        })
    }
}

impl Store {
    /// One page of events, newest first, and the next cursor.
    pub async fn list_events(
        &self,
        f: &EventFilter,
    ) -> Result<(Vec<EventRecord>, Option<String>), StoreError> {
        let mut qb = SqlBuilder::new(EVENT_SELECT);
        if let Some(t) = &f.event_type {
            qb.push(" AND event_type = ").bind(t.as_str());
        }
        if let Some(o) = &f.order_id {
            qb.push(" AND order_id = ").bind(o.as_str());
        }
        if let Some(s) = &f.status {
            qb.push(" AND delivery_status = ").bind(s.as_str());
        }
        if let Some(c) = &f.cursor {
            qb.push(" AND id < ").bind(c.as_str());
        }
        let events = self
            .read_all::<EventRow>(page(qb, "id DESC", f.limit, 500))
            .await?
            .into_iter()
            .map(EventRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(next_page(events, f.limit, 500, |e| e.id.clone()))
    }

    /// One event.
    pub async fn get_event(&self, id: &str) -> Result<Option<EventRecord>, StoreError> {
        let mut qb = SqlBuilder::new(EVENT_SELECT);
        qb.push(" AND id = ").bind(id);
        self.read_optional::<EventRow>(qb.build())
            .await?
            .map(EventRecord::try_from)
            .transpose()
    }
}
