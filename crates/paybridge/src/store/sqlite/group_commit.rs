//! Group commit for request-sized writes (creating an order, attaching its
//! charge). Alone, each is a transaction and an fsync, and they take turns
//! on the one write connection, so order creation topped out near 350/s
//! however many requests were waiting. Jobs queued while a commit is in
//! flight share the next transaction instead. Each job runs in a savepoint,
//! so one that fails rolls back alone; every caller hears back only after
//! the shared commit, so an answer always describes what is on disk.

use super::write_tx::Writer;
use crate::store::job::Job;
use crate::store::tx::Tx;
use crate::store::StoreError;
use futures::future::BoxFuture;
use futures::FutureExt;
use sqlx::{Acquire, Sqlite, Transaction};
use std::panic::AssertUnwindSafe;
use tokio::sync::{mpsc, oneshot};

/// Largest number of jobs one transaction takes.
const MAX_BATCH: usize = 256;

/// The SQLite transaction (or savepoint) the batch runs in.
type SqliteTx<'c> = Transaction<'c, Sqlite>;

/// Tells a waiting caller how its job ended once the batch is settled:
/// `Ok` when the shared transaction committed.
type Deliver = Box<dyn FnOnce(Result<(), &StoreError>) + Send>;

/// A job with its caller's reply channel, its types erased so jobs of
/// every kind share one queue.
trait Queued: Send {
    /// Runs the job in a savepoint. `Err` means the shared transaction is
    /// no longer usable (the savepoint could not be opened, released or
    /// rolled back); the job's own failure is in the `Deliver`.
    fn run<'a>(
        self: Box<Self>,
        tx: &'a mut SqliteTx<'_>,
    ) -> BoxFuture<'a, (Result<(), StoreError>, Deliver)>;
    /// Answers the caller without running the job (the batch failed first).
    fn fail(self: Box<Self>, cause: &StoreError);
}

struct Entry<J: Job> {
    job: J,
    reply: oneshot::Sender<Result<J::Output, J::Error>>,
}

impl<J: Job> Queued for Entry<J> {
    fn run<'a>(
        self: Box<Self>,
        tx: &'a mut SqliteTx<'_>,
    ) -> BoxFuture<'a, (Result<(), StoreError>, Deliver)> {
        let Entry { job, reply } = *self;
        Box::pin(async move {
            let (health, outcome) = match in_savepoint(tx, job).await {
                Ok(outcome) => (Ok(()), outcome),
                Err(broken) => {
                    let told = commit_failed(&broken);
                    (Err(broken), Err(told.into()))
                }
            };
            let deliver: Deliver = Box::new(move |committed| {
                let answer = match committed {
                    Ok(()) => outcome,
                    Err(e) => Err(commit_failed(e).into()),
                };
                let _ = reply.send(answer);
            });
            (health, deliver)
        })
    }

    fn fail(self: Box<Self>, cause: &StoreError) {
        let _ = self.reply.send(Err(commit_failed(cause).into()));
    }
}

/// Runs `job` in a savepoint of `tx`: released if the job (and the writes
/// it left queued) succeeds, rolled back if it fails. The outer `Err` is a
/// savepoint statement failing.
async fn in_savepoint<J: Job>(
    tx: &mut SqliteTx<'_>,
    job: J,
) -> Result<Result<J::Output, J::Error>, StoreError> {
    let mut savepoint = tx.begin().await?;
    let outcome = {
        let mut t = Tx::sqlite(&mut savepoint);
        match job.run(&mut t).await {
            Ok(out) => t.flush().await.map(|()| out).map_err(J::Error::from),
            Err(e) => Err(e),
        }
    };
    match outcome {
        Ok(_) => savepoint.commit().await?,
        Err(_) => savepoint.rollback().await?,
    }
    Ok(outcome)
}

fn commit_failed(cause: &StoreError) -> StoreError {
    StoreError::CommitFailed(cause.to_string())
}

/// Queues jobs for the group-commit task; cheap to clone.
#[derive(Clone)]
pub(crate) struct GroupCommit {
    queue: mpsc::UnboundedSender<Box<dyn Queued>>,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupCommit")
    }
}

impl GroupCommit {
    /// Starts the task that drains the queue, on `thread` (the store's write
    /// thread). It holds no `Store`, so it ends when the last handle drops.
    pub(crate) fn start(thread: &super::write_thread::WriteThread, writer: Writer) -> GroupCommit {
        let (queue, jobs) = mpsc::unbounded_channel();
        thread.spawn(drain(jobs, writer));
        GroupCommit { queue }
    }

    /// Runs `job` in the next shared transaction and returns its result
    /// once that transaction is committed.
    pub(crate) async fn run<J: Job>(&self, job: J) -> Result<J::Output, J::Error> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Box::new(Entry { job, reply }))
            .map_err(|_| StoreError::WriterGone)?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }
}

async fn drain(mut jobs: mpsc::UnboundedReceiver<Box<dyn Queued>>, writer: Writer) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        commit_batch(&writer, batch.drain(..)).await;
    }
}

/// Runs every job of the batch in one transaction, commits, then answers
/// each caller. If the transaction breaks, nothing is committed and every
/// caller of the batch gets the error.
async fn commit_batch(writer: &Writer, batch: impl Iterator<Item = Box<dyn Queued>>) {
    let mut tx = match writer.begin().await {
        Ok(tx) => tx,
        Err(e) => {
            let e = StoreError::from(e);
            batch.for_each(|job| job.fail(&e));
            return;
        }
    };
    let mut delivers = Vec::new();
    let mut broken = None;
    for job in batch {
        if let Some(e) = &broken {
            job.fail(e);
            continue;
        }
        // A panicking job must not take the queue down with it: its caller
        // hears that the write was lost, and the rest of the batch fails
        // like any broken transaction.
        match AssertUnwindSafe(job.run(&mut tx)).catch_unwind().await {
            Ok((health, deliver)) => {
                delivers.push(deliver);
                broken = health.err();
            }
            Err(_) => {
                broken = Some(StoreError::CommitFailed(
                    "a write in the batch panicked".into(),
                ))
            }
        }
    }
    let committed = match broken {
        Some(e) => Err(e), // dropping `tx` rolls the whole batch back
        None => tx.commit().await.map_err(StoreError::from),
    };
    if let Err(e) = &committed {
        tracing::error!(error = %e, jobs = delivers.len(), "group commit failed; nothing written");
    }
    for deliver in delivers {
        deliver(committed.as_ref().map(|_| ()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sql::sql;
    use crate::store::Store;

    /// Writes one settings row; fails (after writing) when asked to.
    #[derive(Clone)]
    struct PutSetting {
        key: &'static str,
        fail_after_write: bool,
    }

    #[derive(Debug, PartialEq)]
    enum PutError {
        Refused,
        Store(String),
    }

    impl From<StoreError> for PutError {
        fn from(e: StoreError) -> Self {
            PutError::Store(e.to_string())
        }
    }

    impl Job for PutSetting {
        type Output = &'static str;
        type Error = PutError;
        fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<&'static str, PutError>> {
            Box::pin(async move {
                tx.execute(sql!(
                    "INSERT INTO settings (key, value, updated_at) VALUES (?, 'v', '')",
                    self.key
                ))
                .await?;
                if self.fail_after_write {
                    return Err(PutError::Refused);
                }
                Ok(self.key)
            })
        }
    }

    async fn stored(store: &Store, key: &str) -> bool {
        sqlx::query("SELECT 1 FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(store.sqlite().unwrap().pool())
            .await
            .unwrap()
            .is_some()
    }

    fn put(key: &'static str, fail_after_write: bool) -> PutSetting {
        PutSetting {
            key,
            fail_after_write,
        }
    }

    /// Where a queued job's caller hears back.
    type Answer<J> = oneshot::Receiver<Result<<J as Job>::Output, <J as Job>::Error>>;

    /// A job ready for `commit_batch`, and where its caller's answer arrives.
    fn queued<J: Job>(job: J) -> (Box<dyn Queued>, Answer<J>) {
        let (reply, answer) = oneshot::channel();
        (Box::new(Entry { job, reply }), answer)
    }

    #[tokio::test]
    async fn a_failing_job_rolls_back_alone_and_its_neighbours_commit() {
        let (_dir, store) = Store::temp_file().await;
        let (j1, r1) = queued(put("gc.a", false));
        let (j2, r2) = queued(put("gc.b", true));
        let (j3, r3) = queued(put("gc.c", false));
        commit_batch(store.sqlite().unwrap().writer(), [j1, j2, j3].into_iter()).await;
        assert_eq!(r1.await.unwrap(), Ok("gc.a"));
        assert_eq!(r2.await.unwrap(), Err(PutError::Refused));
        assert_eq!(r3.await.unwrap(), Ok("gc.c"));
        assert!(stored(&store, "gc.a").await);
        assert!(
            !stored(&store, "gc.b").await,
            "the failed job's write is rolled back"
        );
        assert!(stored(&store, "gc.c").await);
    }

    #[tokio::test]
    async fn a_broken_transaction_fails_every_job_and_writes_nothing() {
        let (_dir, store) = Store::temp_file().await;
        /// Rolls the shared transaction back behind the batch's back (as
        /// SQLite itself does on a full disk or an I/O error), so the
        /// savepoint release that follows fails.
        #[derive(Clone)]
        struct AbortTransaction;
        impl Job for AbortTransaction {
            type Output = ();
            type Error = StoreError;
            fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<(), StoreError>> {
                Box::pin(async move {
                    tx.execute(sql!("ROLLBACK")).await?;
                    Ok(())
                })
            }
        }
        let (j1, r1) = queued(put("gc.before", false));
        let (j2, r2) = queued(AbortTransaction);
        let (j3, r3) = queued(put("gc.after", false));
        commit_batch(store.sqlite().unwrap().writer(), [j1, j2, j3].into_iter()).await;
        let before = r1.await.unwrap();
        assert!(
            matches!(&before, Err(PutError::Store(m)) if m.contains("commit failed")),
            "{before:?}"
        );
        assert!(matches!(
            r2.await.unwrap(),
            Err(StoreError::CommitFailed(_))
        ));
        assert!(matches!(r3.await.unwrap(), Err(PutError::Store(_))));
        assert!(!stored(&store, "gc.before").await);
        assert!(!stored(&store, "gc.after").await);

        // The write connection recovers: the next batch commits.
        let (j4, r4) = queued(put("gc.next", false));
        commit_batch(store.sqlite().unwrap().writer(), [j4].into_iter()).await;
        assert_eq!(r4.await.unwrap(), Ok("gc.next"));
        assert!(stored(&store, "gc.next").await);
    }

    #[tokio::test]
    async fn a_panicking_job_fails_its_batch_and_the_queue_keeps_serving() {
        let (_dir, store) = Store::temp_file().await;
        #[derive(Clone)]
        struct Panics;
        impl Job for Panics {
            type Output = ();
            type Error = StoreError;
            fn run<'a>(self, _tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<(), StoreError>> {
                Box::pin(async move { panic!("a bug in one write") })
            }
        }
        let (j1, r1) = queued(put("gc.p1", false));
        let (j2, r2) = queued(Panics);
        let (j3, r3) = queued(put("gc.p3", false));
        commit_batch(store.sqlite().unwrap().writer(), [j1, j2, j3].into_iter()).await;
        assert!(matches!(r1.await.unwrap(), Err(PutError::Store(m)) if m.contains("panicked")));
        assert!(
            r2.await.is_err(),
            "the panicking job's caller is told it was lost"
        );
        assert!(matches!(r3.await.unwrap(), Err(PutError::Store(m)) if m.contains("panicked")));
        assert!(!stored(&store, "gc.p1").await);
        assert!(!stored(&store, "gc.p3").await);

        // Through the real queue: the panic is reported and the next job
        // still commits.
        assert!(store
            .sqlite()
            .unwrap()
            .group_commit()
            .run(Panics)
            .await
            .is_err());
        assert_eq!(
            store
                .sqlite()
                .unwrap()
                .group_commit()
                .run(put("gc.p4", false))
                .await,
            Ok("gc.p4")
        );
        assert!(stored(&store, "gc.p4").await);
    }

    #[tokio::test]
    async fn concurrent_jobs_all_commit_through_the_queue() {
        let (_dir, store) = Store::temp_file().await;
        let keys: Vec<&'static str> = (0..64)
            .map(|i| &*Box::leak(format!("gc.k{i}").into_boxed_str()))
            .collect();
        let runs = keys
            .iter()
            .map(|k| store.sqlite().unwrap().group_commit().run(put(k, false)));
        let answers = futures::future::join_all(runs).await;
        assert_eq!(answers, keys.iter().map(|k| Ok(*k)).collect::<Vec<_>>());
        for k in &keys {
            assert!(stored(&store, k).await, "{k} missing");
        }
    }
}
