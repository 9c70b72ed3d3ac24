//! Live status across nodes. A transaction that changes an order's status
//! queues one `pg_notify` (delivered by PostgreSQL only if, and when, it
//! commits); every node listens on a connection of its own and feeds what it
//! hears into its local broadcast, so a checkout page open on node B turns
//! paid when node A ingests the payment. Notifications sent while a
//! listener was reconnecting are lost by design in PostgreSQL, so after
//! each reconnect the listener re-announces every order changed meanwhile.

use super::PgDb;
use crate::domain::OrderStatus;
use crate::store::ingestion::OrderUpdate;
use crate::store::sql::sql;
use crate::store::tx::{Dialect, Tx};
use crate::store::{now, ts, StoreError};
use sqlx::postgres::PgListener;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::broadcast;

/// The channel status changes are announced on.
pub(crate) const CHANNEL: &str = "paybridge_order_updates";

/// How far before a lost connection the resync looks (clock skew between
/// nodes and the moment the loss was noticed).
const RESYNC_MARGIN: time::Duration = time::Duration::seconds(5);

/// Queues the announcement of a status change in `tx` (PostgreSQL only;
/// on SQLite the writer broadcasts after its commit).
pub(crate) async fn announce(tx: &mut Tx<'_>, update: &OrderUpdate) -> Result<(), StoreError> {
    if tx.dialect() != Dialect::Postgres {
        return Ok(());
    }
    let payload = serde_json::to_string(update).map_err(crate::store::corrupt)?;
    tx.queue(sql!("SELECT pg_notify(?, ?)", CHANNEL, payload))
        .await
}

#[derive(sqlx::FromRow)]
struct Changed {
    id: String,
    status: String,
}

/// Re-announces every order changed since `since` (after a reconnect).
async fn resync(
    db: &PgDb,
    updates: &broadcast::Sender<OrderUpdate>,
    since: OffsetDateTime,
) -> Result<usize, StoreError> {
    let changed = db
        .read_all::<Changed>(sql!(
            "SELECT id, status FROM orders WHERE updated_at >= ?",
            ts(since - RESYNC_MARGIN)
        ))
        .await?;
    let n = changed.len();
    for c in changed {
        let Ok(status) = c.status.parse::<OrderStatus>() else {
            continue;
        };
        let _ = updates.send(OrderUpdate {
            order_id: c.id,
            from: status,
            to: status,
        });
    }
    Ok(n)
}

/// Starts this node's listener. It runs for the life of the process,
/// reconnecting (and resyncing) whenever its connection drops.
pub(crate) fn spawn_listener(db: PgDb, updates: broadcast::Sender<OrderUpdate>) {
    tokio::spawn(async move {
        // Nothing to catch up on at start-up: no page is subscribed yet.
        let mut lost_since: Option<OffsetDateTime> = None;
        loop {
            let mut listener = match PgListener::connect_with(db.pool()).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "status listener cannot connect; retrying");
                    lost_since.get_or_insert_with(now);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(CHANNEL).await {
                tracing::warn!(error = %e, "status listener cannot LISTEN; retrying");
                lost_since.get_or_insert_with(now);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            if let Some(since) = lost_since.take() {
                match resync(&db, &updates, since).await {
                    Ok(n) => tracing::info!(orders = n, "status listener reconnected and resynced"),
                    Err(e) => {
                        tracing::warn!(error = %e, "status resync failed; retrying");
                        lost_since = Some(since);
                        continue;
                    }
                }
            }
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => match serde_json::from_str::<OrderUpdate>(n.payload()) {
                        Ok(u) => {
                            let _ = updates.send(u);
                        }
                        Err(e) => tracing::warn!(error = %e, "unreadable status notification"),
                    },
                    Ok(None) | Err(_) => {
                        tracing::warn!("status listener lost its connection; reconnecting");
                        lost_since = Some(now());
                        break;
                    }
                }
            }
        }
    });
}
