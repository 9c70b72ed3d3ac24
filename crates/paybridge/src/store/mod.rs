//! Persistence: sqlx over SQLite (WAL, `synchronous=FULL`). The store owns all
//! SQL; callers pass and receive parsed domain types.

mod abandoned_carts;
mod checkpointer;
pub mod deliveries;
mod entitlements;
mod group_commit;
mod ingest;
pub mod order_json;
mod orders;
pub mod outbox;
mod platform_orders;
pub mod portal;
mod records;
mod refunds;
pub mod settings;
mod statement_queue;
pub mod webhook_endpoints;
mod webhooks;
mod write_thread;
mod write_tx;
pub mod writer;

pub use abandoned_carts::CartRecord;
pub use entitlements::{EntitlementFilter, EntitlementRecord};
pub use ingest::{IngestOutcome, IngestSource};
pub use order_json::{checkout_url, order_json};
pub use orders::{InsertOrderError, OrderFilter};
pub use records::{
    ChargeInfo, NewOrder, OrderDetail, OrderRecord, PaymentRecord, RefundRecord, TimelineEntry,
};
pub use refunds::RefundRequestRecord;
pub use writer::{IngestCommand, IngestHandle, OrderUpdate};

use crate::config::DatabaseLocation;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::time::Duration;
use time::OffsetDateTime;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or is unreachable.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Schema migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row holds something our types reject (hand-edited or from a newer version).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The group-commit writer is gone (shutting down).
    #[error("the writer task stopped")]
    WriterGone,
    /// The transaction this write shared with others could not be
    /// committed, so nothing of it was written.
    #[error("shared commit failed, nothing written: {0}")]
    CommitFailed(String),
}

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The one connection write transactions use (see [`Store::begin_write`]).
    writer: write_tx::Writer,
    file: bool,
    write_thread: write_thread::WriteThread,
    group_commit: group_commit::GroupCommit,
}

impl Store {
    /// Opens (creating if needed) the database and runs the migrations.
    pub async fn connect(location: &DatabaseLocation) -> Result<Store, StoreError> {
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
        Self::migrate_pool(&pool).await?;
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
        Ok(Store {
            pool,
            writer,
            file,
            write_thread,
            group_commit,
        })
    }

    async fn migrate_pool(pool: &SqlitePool) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations").run(pool).await?;
        Ok(())
    }

    /// True for an on-disk database (WAL checkpoints apply).
    pub(crate) fn is_file(&self) -> bool {
        self.file
    }

    /// The pool, for the writer task.
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

    /// True when a trivial query answers (readiness probe).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
            && sqlx::query("SELECT 1 FROM orders LIMIT 1")
                .execute(&self.pool)
                .await
                .is_ok()
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

    /// Runs one write statement in the next shared transaction (see
    /// `group_commit::Statement`); bind owned values.
    pub(crate) async fn write_statement(
        &self,
        statement: sqlx::query::Query<
            'static,
            sqlx::Sqlite,
            sqlx::sqlite::SqliteArguments<'static>,
        >,
    ) -> Result<sqlx::sqlite::SqliteQueryResult, StoreError> {
        self.group_commit
            .run(group_commit::Statement(statement))
            .await
    }

    /// The queue of writes that share one transaction (see `group_commit.rs`).
    pub(crate) fn group_commit(&self) -> &group_commit::GroupCommit {
        &self.group_commit
    }

    /// A store on a fresh SQLite file (WAL, as in production) in a temporary
    /// directory that lives as long as the returned guard.
    #[cfg(test)]
    pub(crate) async fn temp_file() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::connect(&DatabaseLocation::Sqlite(dir.path().join("t.db")))
            .await
            .expect("store on a fresh file");
        (dir, store)
    }

    /// The write connection, for tests that drive a batch by hand.
    #[cfg(test)]
    pub(crate) fn writer(&self) -> &write_tx::Writer {
        &self.writer
    }
}

/// Timestamps are stored as fixed-width RFC 3339 UTC text so that string
/// order is time order (portable to PostgreSQL text or timestamptz).
pub(crate) fn ts(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Reads a stored timestamp.
pub(crate) fn parse_ts(s: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|e| StoreError::Corrupt(format!("timestamp {s:?}: {e}")))
}

/// Now, in UTC.
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A new time-ordered row id.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// SHA-256 hex of a body, as kept in the inbox and the rejected log.
pub fn body_sha256(body: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(body))
}
