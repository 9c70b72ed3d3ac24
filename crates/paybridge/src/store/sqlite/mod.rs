//! The SQLite backend: WAL, `synchronous=FULL`, a read pool, and one write
//! connection that every write transaction uses in turn (its page cache
//! survives from one transaction to the next). Writes of many callers share
//! transactions (group commit), statements are sent in batches, and the
//! busiest transactions run on a thread of their own.

pub(crate) mod checkpointer;
pub(crate) mod group_commit;
pub(crate) mod ingest_batch;
pub(crate) mod statement_queue;
pub(crate) mod write_thread;
pub(crate) mod write_tx;

use super::job::Job;
use super::sql::Sql;
use super::tx::{Portable, Tx};
use super::StoreError;
use crate::config::DatabaseLocation;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::sync::Arc;
use std::time::Duration;

/// Handles to one SQLite database; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct SqliteDb {
    pool: SqlitePool,
    /// The one connection write transactions use (see [`SqliteDb::begin_write`]).
    writer: write_tx::Writer,
    file: bool,
    write_thread: write_thread::WriteThread,
    group_commit: group_commit::GroupCommit,
    node: Arc<str>,
}

impl SqliteDb {
    /// Opens (creating if needed) the database and runs the migrations.
    pub(crate) async fn connect(location: &DatabaseLocation) -> Result<SqliteDb, StoreError> {
        let (opts, max) = match location {
            DatabaseLocation::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
                }
                (
                    SqliteConnectOptions::new()
                        .filename(path)
                        .create_if_missing(true)
                        // Checkpoints run in the background (see checkpointer.rs).
                        .pragma("wal_autocheckpoint", "0"),
                    8,
                )
            }
            DatabaseLocation::SqliteMemory => (SqliteConnectOptions::new().in_memory(true), 1),
            DatabaseLocation::Postgres(_) => {
                unreachable!("Store::connect sends PostgreSQL URLs to the pg backend")
            }
        };
        let opts = opts
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(opts.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let file = matches!(location, DatabaseLocation::Sqlite(_));
        let writer = if file {
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                // Never closed for age or idleness: its page cache is the point.
                .max_lifetime(None)
                .idle_timeout(None)
                .connect_with(opts)
                .await?
        } else {
            pool.clone()
        };
        let writer = write_tx::Writer::new(writer, file);
        let write_thread =
            write_thread::WriteThread::start().map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
        let group_commit = group_commit::GroupCommit::start(&write_thread, writer.clone());
        let db = SqliteDb {
            pool,
            writer,
            file,
            write_thread,
            group_commit,
            node: super::new_node_id(),
        };
        db.spawn_checkpointer();
        Ok(db)
    }

    /// True for an on-disk database (WAL checkpoints apply).
    pub(crate) fn is_file(&self) -> bool {
        self.file
    }

    /// The read pool (tests read the file behind the store's back).
    #[cfg(test)]
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The thread the busiest write transactions run on.
    pub(crate) fn write_thread(&self) -> &write_thread::WriteThread {
        &self.write_thread
    }

    /// Runs a write transaction's work on the write thread (see
    /// `write_thread.rs`), so its round trips never wait behind HTTP tasks
    /// while it holds the write lock.
    pub(crate) async fn on_write_thread<T, E>(
        &self,
        work: impl std::future::Future<Output = Result<T, E>> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.write_thread
            .run(work)
            .await
            .unwrap_or_else(|| Err(StoreError::WriterGone.into()))
    }

    /// Begins a write transaction: this process's writers queue in order
    /// (see `write_tx.rs`), then the write lock is taken up front, so writers
    /// never fail on a read-to-write upgrade. Every write transaction runs on
    /// the same connection: when one connection does all the writing, its
    /// page cache stays valid from one transaction to the next (SQLite drops
    /// a connection's cache whenever another connection wrote in between).
    pub(crate) async fn begin_write(&self) -> Result<write_tx::WriteTx, StoreError> {
        Ok(self.writer.begin().await?)
    }

    /// Every row of a read, on the read pool.
    pub(crate) async fn read_all<T: Portable>(&self, s: Sql) -> Result<Vec<T>, StoreError> {
        let rows = s.sqlite_query().fetch_all(&self.pool).await?;
        Ok(rows.iter().map(T::from_row).collect::<Result<_, _>>()?)
    }

    /// Runs a job in the next shared transaction (see `group_commit.rs`).
    pub(crate) async fn run_job<J: Job>(&self, job: J) -> Result<J::Output, J::Error> {
        self.group_commit.run(job).await
    }

    /// Runs a job in a transaction of its own on the write thread.
    pub(crate) async fn run_alone<J: Job>(&self, job: J) -> Result<J::Output, J::Error> {
        let db = self.clone();
        self.on_write_thread(async move {
            let mut tx = db.begin_write().await?;
            let out = {
                let mut t = Tx::sqlite(&mut tx);
                let out = job.run(&mut t).await?;
                t.flush().await?;
                out
            };
            tx.commit().await.map_err(StoreError::from)?;
            Ok::<_, J::Error>(out)
        })
        .await
    }

    /// Renames this node (see `Store::with_node_id`).
    pub(crate) fn set_node_id(&mut self, node: Arc<str>) {
        self.node = node;
    }

    /// This process's name on leases.
    pub(crate) fn node_id(&self) -> &str {
        &self.node
    }

    /// The write connection, for tests that drive a batch by hand.
    #[cfg(test)]
    pub(crate) fn writer(&self) -> &write_tx::Writer {
        &self.writer
    }

    /// The group-commit queue, for its tests.
    #[cfg(test)]
    pub(crate) fn group_commit(&self) -> &group_commit::GroupCommit {
        &self.group_commit
    }
}
