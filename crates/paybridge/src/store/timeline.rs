//! Order timeline rows: one line of an order's history per change.

use super::sql::{sql, Sql};
use super::{new_id, now, ts};
use crate::domain::OrderStatus;

/// The insert of one timeline row.
pub(crate) fn timeline(
    order_id: &str,
    source: &str,
    event: &str,
    from: Option<OrderStatus>,
    to: Option<OrderStatus>,
    note: &str,
) -> Sql {
    sql!(
        "INSERT INTO order_timeline (id, order_id, at, source, event, status_from, status_to, note) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        new_id(),
        order_id,
        ts(now()),
        source,
        event,
        from.map(|s| s.as_str()),
        to.map(|s| s.as_str()),
        note
    )
}
