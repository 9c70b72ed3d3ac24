//! Group commit for webhook ingestion on SQLite: one task owns ingestion
//! writes, drains whatever is queued into one transaction (one fsync), then
//! answers every request after the commit. A 2xx sent for an event means
//! its row is on disk.

use super::SqliteDb;
use crate::domain::PaymentEvent;
use crate::store::ingest::{apply_event, Dedupe};
use crate::store::ingestion::{IngestCommand, IngestOutcome, OrderUpdate};
use crate::store::tx::Tx;
use crate::store::StoreError;
use futures::future::BoxFuture;
use futures::FutureExt;
use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};

/// Where a submitter hears how its event ended.
pub(crate) type Reply = tokio::sync::oneshot::Sender<Result<IngestOutcome, Arc<StoreError>>>;

/// Largest batch one transaction takes.
const MAX_BATCH: usize = 512;

/// Starts the writer task on the write thread; returns its queue.
pub(crate) fn spawn(
    db: SqliteDb,
    updates: broadcast::Sender<OrderUpdate>,
) -> mpsc::Sender<(IngestCommand, Reply)> {
    let (tx, rx) = mpsc::channel(4096);
    db.write_thread()
        .clone()
        .spawn(run(db, rx, updates, |s, b| Box::pin(write_batch(s, b))));
    tx
}

/// The (provider, dedupe key) pairs of `events` already in the inbox, in one
/// statement, so a batch checks for duplicates with a single round trip.
async fn seen_keys<'e>(
    conn: &mut sqlx::SqliteConnection,
    events: impl Iterator<Item = &'e PaymentEvent>,
) -> Result<HashSet<(String, String)>, StoreError> {
    let pairs: Vec<[&str; 2]> = events
        .map(|e| [e.provider, e.dedupe_key.as_str()])
        .collect();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT provider, dedupe_key FROM inbox WHERE (provider, dedupe_key) IN \
         (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
    )
    .bind(serde_json::to_string(&pairs).map_err(|e| StoreError::Corrupt(e.to_string()))?)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

type Results = Vec<Result<IngestOutcome, Arc<StoreError>>>;

/// Writes one batch (`write_batch`; tests substitute a faulty one).
type BatchWriter = for<'a> fn(&'a SqliteDb, &'a [(IngestCommand, Reply)]) -> BoxFuture<'a, Results>;

async fn run(
    store: SqliteDb,
    mut rx: mpsc::Receiver<(IngestCommand, Reply)>,
    updates: broadcast::Sender<OrderUpdate>,
    write_batch: BatchWriter,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let started = std::time::Instant::now();
        // A bug that panics while writing must not stop ingestion for good:
        // the batch's transaction is rolled back (dropped) and its senders
        // get an error, so the provider retries.
        let results = match AssertUnwindSafe(write_batch(&store, &batch))
            .catch_unwind()
            .await
        {
            Ok(results) => results,
            Err(_) => {
                tracing::error!(
                    events = batch.len(),
                    "webhook batch panicked; nothing written"
                );
                let lost = Arc::new(StoreError::CommitFailed("the batch panicked".into()));
                batch.iter().map(|_| Err(lost.clone())).collect()
            }
        };
        tracing::debug!(
            events = batch.len(),
            micros = started.elapsed().as_micros() as u64,
            "group commit"
        );
        for ((_, reply), result) in batch.drain(..).zip(results) {
            if let Ok(IngestOutcome::Applied { order_id, from, to }) = &result {
                if from != to {
                    let _ = updates.send(OrderUpdate {
                        order_id: order_id.clone(),
                        from: *from,
                        to: *to,
                    });
                }
            }
            let _ = reply.send(result);
        }
    }
}

/// Fast path: the whole batch in one transaction with one duplicate check.
/// If any event fails, that transaction is rolled back and the batch is
/// replayed with a savepoint per event, so one bad event fails alone.
async fn write_batch(store: &SqliteDb, batch: &[(IngestCommand, Reply)]) -> Results {
    match write_together(store, batch).await {
        Ok(results) => results,
        Err(e) => {
            tracing::warn!(error = %e, events = batch.len(), "batch failed; retrying event by event");
            write_one_by_one(store, batch).await
        }
    }
}

async fn write_together(
    store: &SqliteDb,
    batch: &[(IngestCommand, Reply)],
) -> Result<Vec<Result<IngestOutcome, Arc<StoreError>>>, StoreError> {
    let mut tx = store.begin_write().await?;
    let outcomes = apply_all(&mut tx, batch.iter().map(|(c, _)| c)).await?;
    tx.commit().await?;
    Ok(outcomes.into_iter().map(Ok).collect())
}

/// Applies `cmds` in order inside `conn`'s transaction with one duplicate
/// check for all of them; everything queued is sent before returning.
async fn apply_all<'c>(
    conn: &mut sqlx::SqliteConnection,
    cmds: impl Iterator<Item = &'c IngestCommand> + Clone,
) -> Result<Vec<IngestOutcome>, StoreError> {
    let mut seen = seen_keys(conn, cmds.clone().map(|c| &c.event)).await?;
    let mut tx = Tx::sqlite(conn);
    let mut outcomes = Vec::new();
    for cmd in cmds {
        let outcome = apply_event(
            &mut tx,
            &cmd.event,
            cmd.raw_body.as_deref(),
            cmd.source,
            Dedupe::Batch(&mut seen),
        )
        .await?;
        outcomes.push(outcome);
    }
    tx.flush().await?;
    Ok(outcomes)
}

async fn write_one_by_one(store: &SqliteDb, batch: &[(IngestCommand, Reply)]) -> Results {
    let fail_all = |e: StoreError| {
        let e = Arc::new(e);
        batch.iter().map(|_| Err(e.clone())).collect()
    };
    let mut tx = match store.begin_write().await {
        Ok(tx) => tx,
        Err(e) => return fail_all(e),
    };
    let mut results = Vec::with_capacity(batch.len());
    for (cmd, _) in batch {
        let mut sp = match sqlx::Connection::begin(&mut **tx).await {
            Ok(sp) => sp,
            Err(e) => return fail_all(e.into()),
        };
        let applied = apply_all(&mut sp, std::iter::once(cmd)).await;
        match applied {
            // One command in, one outcome out: `results` stays in step.
            Ok(outcomes) => match sp.commit().await {
                Ok(()) => results.extend(outcomes.into_iter().map(Ok)),
                Err(e) => results.push(Err(Arc::new(e.into()))),
            },
            Err(e) => {
                tracing::error!(error = %e, dedupe_key = %cmd.event.dedupe_key, "event failed");
                let _ = sp.rollback().await;
                results.push(Err(Arc::new(e)));
            }
        }
    }
    match tx.commit().await {
        Ok(()) => results,
        Err(e) => fail_all(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventKind, OrderRef};
    use crate::store::{IngestHandle, IngestSource, Store};
    use tokio::sync::oneshot;

    fn unmatched(key: &str) -> IngestCommand {
        IngestCommand {
            event: PaymentEvent {
                provider: "woovi",
                dedupe_key: key.to_owned(),
                event_type: "OPENPIX:CHARGE_COMPLETED".to_owned(),
                order_ref: OrderRef {
                    correlation_id: Some(format!("no-such-order-{key}")),
                    ..OrderRef::default()
                },
                kind: EventKind::Paid {
                    payment_id: format!("E{key}"),
                },
                amount: None,
                occurred_at: None,
                raw_status: None,
                raw: serde_json::Value::Null,
                sale: None,
            },
            raw_body: Some(Arc::from(key.as_bytes())),
            source: IngestSource::Webhook,
        }
    }

    fn batch(keys: &[&str]) -> Vec<(IngestCommand, Reply)> {
        keys.iter()
            .map(|k| (unmatched(k), oneshot::channel().0))
            .collect()
    }

    #[tokio::test]
    async fn a_batch_that_panics_is_answered_with_an_error_and_ingestion_goes_on() {
        let (_dir, store) = Store::temp_file().await;
        let db = store.sqlite().unwrap().clone();
        let (tx, rx) = mpsc::channel(16);
        let (updates, _) = broadcast::channel(16);
        // Panics on the event keyed "bug", writes normally otherwise.
        let faulty: BatchWriter = |s, b| {
            Box::pin(async move {
                assert!(!b.iter().any(|(c, _)| c.event.dedupe_key == "bug"), "a bug");
                write_batch(s, b).await
            })
        };
        tokio::spawn(run(db, rx, updates, faulty));
        let handle = IngestHandle::from_batch_queue(tx);

        let err = handle.submit(unmatched("bug")).await.unwrap_err();
        assert!(err.to_string().contains("panicked"), "{err}");
        let after = handle.submit(unmatched("fine")).await.unwrap();
        assert_eq!(after, IngestOutcome::Unmatched);
        assert_eq!(inbox_keys(&store).await, ["fine"]);
    }

    async fn inbox_keys(store: &Store) -> Vec<String> {
        sqlx::query_scalar("SELECT dedupe_key FROM inbox ORDER BY dedupe_key")
            .fetch_all(store.sqlite().unwrap().pool())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn one_failing_event_fails_alone_and_the_rest_of_the_batch_commits() {
        let (_dir, store) = Store::temp_file().await;
        // A real database failure for one row only.
        sqlx::query(
            "CREATE TRIGGER poison BEFORE INSERT ON inbox WHEN NEW.dedupe_key = 'poison' \
             BEGIN SELECT RAISE(ABORT, 'poisoned row'); END",
        )
        .execute(store.sqlite().unwrap().pool())
        .await
        .unwrap();

        let results =
            write_batch(store.sqlite().unwrap(), &batch(&["a", "poison", "b", "a"])).await;

        assert_eq!(results[0].as_ref().unwrap(), &IngestOutcome::Unmatched);
        let err = results[1].as_ref().unwrap_err().to_string();
        assert!(err.contains("poisoned row"), "{err}");
        assert_eq!(results[2].as_ref().unwrap(), &IngestOutcome::Unmatched);
        assert_eq!(results[3].as_ref().unwrap(), &IngestOutcome::Duplicate);
        assert_eq!(inbox_keys(&store).await, ["a", "b"]);
    }

    #[tokio::test]
    async fn keys_already_stored_and_repeated_in_the_batch_are_duplicates() {
        let (_dir, store) = Store::temp_file().await;
        let db = store.sqlite().unwrap();
        let first = write_batch(db, &batch(&["x"])).await;
        assert_eq!(first[0].as_ref().unwrap(), &IngestOutcome::Unmatched);

        let second = write_batch(db, &batch(&["x", "y", "y"])).await;
        let outcomes: Vec<_> = second
            .iter()
            .map(|r| r.as_ref().unwrap().as_str())
            .collect();
        assert_eq!(outcomes, ["duplicate", "unmatched", "duplicate"]);
        assert_eq!(inbox_keys(&store).await, ["x", "y"]);
    }
}
