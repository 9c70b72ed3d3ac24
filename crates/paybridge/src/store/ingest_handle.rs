//! Where events go to be applied. On SQLite one task owns ingestion and
//! commits whatever is queued in one transaction (see
//! `sqlite/ingest_batch.rs`); on PostgreSQL each event is its own
//! transaction on the pool, and the database groups concurrent commits.
//! Either way a 2xx sent for an event means its row is committed.

use super::ingest::{apply_event, Dedupe};
pub use super::ingestion::{IngestCommand, IngestOutcome, OrderUpdate};
use super::job::Job;
use super::tx::Tx;
use super::{Store, StoreError};
use futures::future::BoxFuture;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, oneshot};

pub(crate) use super::sqlite::ingest_batch::Reply;

#[derive(Debug, Clone)]
enum Route {
    /// To the SQLite writer task.
    Batch(mpsc::Sender<(IngestCommand, Reply)>),
    /// A transaction per event (PostgreSQL).
    Each(Store),
}

/// Sends events to be applied; cheap to clone.
#[derive(Debug, Clone)]
pub struct IngestHandle {
    route: Route,
}

impl IngestHandle {
    /// Starts ingestion for `store`. `updates` hears of every status change
    /// after its commit: on SQLite from the writer task; on PostgreSQL from
    /// the database's notifications (see `pg/notify.rs`), so every node hears
    /// of changes any node made.
    pub fn spawn(store: Store, updates: broadcast::Sender<OrderUpdate>) -> IngestHandle {
        let route = match store.sqlite() {
            Some(db) => Route::Batch(super::sqlite::ingest_batch::spawn(db.clone(), updates)),
            None => Route::Each(store),
        };
        IngestHandle { route }
    }

    /// A handle on a writer task the test started itself.
    #[cfg(test)]
    pub(crate) fn from_batch_queue(queue: mpsc::Sender<(IngestCommand, Reply)>) -> IngestHandle {
        IngestHandle {
            route: Route::Batch(queue),
        }
    }

    /// Applies an event; returns once its transaction is committed.
    pub async fn submit(&self, cmd: IngestCommand) -> Result<IngestOutcome, Arc<StoreError>> {
        match &self.route {
            Route::Batch(queue) => {
                let (reply, wait) = oneshot::channel();
                queue
                    .send((cmd, reply))
                    .await
                    .map_err(|_| Arc::new(StoreError::WriterGone))?;
                wait.await.map_err(|_| Arc::new(StoreError::WriterGone))?
            }
            Route::Each(store) => store.run_job(ApplyEvent(cmd)).await.map_err(Arc::new),
        }
    }
}

/// One event in a transaction of its own: the inbox row is claimed first,
/// and a status change is announced to every node on commit.
#[derive(Clone)]
struct ApplyEvent(IngestCommand);

impl Job for ApplyEvent {
    type Output = IngestOutcome;
    type Error = StoreError;

    fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<IngestOutcome, StoreError>> {
        Box::pin(async move {
            let cmd = self.0;
            let outcome = apply_event(
                tx,
                &cmd.event,
                cmd.raw_body.as_deref(),
                cmd.source,
                Dedupe::Claim,
            )
            .await?;
            if let IngestOutcome::Applied { order_id, from, to } = &outcome {
                if from != to {
                    super::pg::notify::announce(
                        tx,
                        &OrderUpdate {
                            order_id: order_id.clone(),
                            from: *from,
                            to: *to,
                        },
                    )
                    .await?;
                }
            }
            Ok(outcome)
        })
    }
}
