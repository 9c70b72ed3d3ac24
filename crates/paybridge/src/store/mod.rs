//! Persistence: one `Store` API over two backends. SQLite (the default: WAL,
//! `synchronous=FULL`, one write connection, group commit) or PostgreSQL
//! (several nodes on one database: a pool, one transaction per job, row
//! locks). The store owns all SQL; callers pass and receive parsed domain
//! types. What a write means is decided once, in code that runs on either
//! backend through [`tx::Tx`]; only SQL text differs per backend.

mod abandoned_carts;
pub mod deliveries;
mod entitlements;
mod ingest;
mod ingest_handle;
mod ingestion;
mod job;
pub mod order_json;
mod order_row;
mod orders;
pub mod outbox;
mod paging;
pub(crate) mod pg;
mod platform_orders;
pub mod portal;
mod records;
mod refunds;
pub mod settings;
pub(crate) mod sql;
pub(crate) mod sqlite;
mod timeline;
pub(crate) mod tx;
pub mod webhook_endpoints;
mod webhooks;

pub use abandoned_carts::CartRecord;
pub use entitlements::{EntitlementFilter, EntitlementRecord};
pub use ingest_handle::IngestHandle;
pub use ingestion::{IngestCommand, IngestOutcome, IngestSource, OrderUpdate};
pub use order_json::{checkout_url, order_json};
pub use orders::{InsertOrderError, OrderFilter};
pub use records::{
    ChargeInfo, NewOrder, OrderDetail, OrderRecord, PaymentRecord, RefundRecord, TimelineEntry,
};
pub use refunds::RefundRequestRecord;

use crate::config::DatabaseLocation;
use job::{Job, Statements};
use sql::Sql;
use time::OffsetDateTime;
use tx::{Dialect, Portable};

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

impl StoreError {
    /// True when the database could not be reached at all (answered 503:
    /// the caller may retry once it is back), as opposed to a refused statement.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::Database(db)) => {
                // PostgreSQL classes 08 (connection exception) and 57
                // (operator intervention: shutting down, restarting).
                db.code()
                    .is_some_and(|c| c.starts_with("08") || c.starts_with("57"))
            }
            StoreError::Db(e) => matches!(
                e,
                sqlx::Error::Io(_)
                    | sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::WorkerCrashed
                    | sqlx::Error::Tls(_)
                    | sqlx::Error::Protocol(_)
            ),
            StoreError::WriterGone | StoreError::CommitFailed(_) => true,
            _ => false,
        }
    }
}

/// Whether `e` is a unique violation of one constraint: by its name on
/// PostgreSQL, by the `table.column` SQLite names in its message (SQLite
/// reports no constraint name).
pub(crate) fn unique_violation(e: &sqlx::Error, pg_constraint: &str, sqlite_column: &str) -> bool {
    match e {
        sqlx::Error::Database(db) if db.is_unique_violation() => match db.constraint() {
            Some(name) => name == pg_constraint,
            None => db.message().contains(sqlite_column),
        },
        _ => false,
    }
}

/// A row value the store cannot read back into our types.
pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// The database behind a [`Store`].
#[derive(Debug, Clone)]
enum Backend {
    Sqlite(sqlite::SqliteDb),
    Postgres(pg::PgDb),
}

/// Work only one node runs at a time; ask [`Exclusive::is_mine`] before each round.
pub struct Exclusive {
    leader: Option<pg::leader::Leader>,
}

impl Exclusive {
    /// True when this node may run the next round (checked every round: a
    /// node that lost its database connection also lost its turn).
    pub async fn is_mine(&mut self) -> bool {
        match &mut self.leader {
            None => true,
            Some(l) => l.holds().await,
        }
    }
}

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
}

impl Store {
    /// Opens (creating if needed) the database and runs the migrations.
    pub async fn connect(location: &DatabaseLocation) -> Result<Store, StoreError> {
        let backend = match location {
            DatabaseLocation::Postgres(url) => {
                Backend::Postgres(pg::PgDb::connect(url.expose()).await?)
            }
            other => Backend::Sqlite(sqlite::SqliteDb::connect(other).await?),
        };
        Ok(Store { backend })
    }

    /// The same store, naming its leases `node` from now on (a stable name
    /// lets a restarted node take back what it held when it died).
    pub fn with_node_id(mut self, node: &str) -> Store {
        let node: std::sync::Arc<str> = std::sync::Arc::from(node);
        match &mut self.backend {
            Backend::Sqlite(db) => db.set_node_id(node),
            Backend::Postgres(db) => db.set_node_id(node),
        }
        self
    }

    /// Which database this store runs on.
    pub(crate) fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// True on PostgreSQL (several nodes may share the database).
    pub fn is_shared(&self) -> bool {
        self.dialect() == Dialect::Postgres
    }

    /// The SQLite backend, for its own machinery (writer, checkpoints).
    pub(crate) fn sqlite(&self) -> Option<&sqlite::SqliteDb> {
        match &self.backend {
            Backend::Sqlite(db) => Some(db),
            Backend::Postgres(_) => None,
        }
    }

    /// Every row of a read.
    pub(crate) async fn read_all<T: Portable>(&self, s: Sql) -> Result<Vec<T>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.read_all(s).await,
            Backend::Postgres(db) => db.read_all(s).await,
        }
    }

    /// The first row of a read, if any.
    pub(crate) async fn read_optional<T: Portable>(&self, s: Sql) -> Result<Option<T>, StoreError> {
        Ok(self.read_all(s).await?.into_iter().next())
    }

    /// The one row a read must return.
    pub(crate) async fn read_one<T: Portable>(&self, s: Sql) -> Result<T, StoreError> {
        self.read_optional(s)
            .await?
            .ok_or(StoreError::Db(sqlx::Error::RowNotFound))
    }

    /// Runs one write statement, committed before returning; the rows it
    /// changed. On SQLite it shares the next group commit (see
    /// `sqlite/group_commit.rs`).
    pub(crate) async fn write(&self, s: Sql) -> Result<u64, StoreError> {
        self.run_job(Statements(vec![s])).await
    }

    /// Runs a job in one write transaction (on SQLite shared with other
    /// jobs, each in a savepoint; on PostgreSQL its own, retried on
    /// serialization failures and deadlocks) and returns once committed.
    pub(crate) async fn run_job<J: Job>(&self, job: J) -> Result<J::Output, J::Error> {
        match &self.backend {
            Backend::Sqlite(db) => db.run_job(job).await,
            Backend::Postgres(db) => db.run_job(job).await,
        }
    }

    /// Runs a job in a transaction of its own (the dispatcher's round: on
    /// SQLite on the write thread, not shared with other jobs).
    pub(crate) async fn run_alone<J: Job>(&self, job: J) -> Result<J::Output, J::Error> {
        match &self.backend {
            Backend::Sqlite(db) => db.run_alone(job).await,
            Backend::Postgres(db) => db.run_job(job).await,
        }
    }

    /// This process's name on the leases it takes (unique per start).
    pub fn node_id(&self) -> &str {
        match &self.backend {
            Backend::Sqlite(db) => db.node_id(),
            Backend::Postgres(db) => db.node_id(),
        }
    }

    /// Starts feeding `updates` with status changes committed by any node
    /// (PostgreSQL; on SQLite the ingestion writer feeds it directly).
    pub fn spawn_status_listener(&self, updates: tokio::sync::broadcast::Sender<OrderUpdate>) {
        if let Backend::Postgres(db) = &self.backend {
            pg::notify::spawn_listener(db.clone(), updates);
        }
    }

    /// A turn at work only one node may do at a time (`key` names the
    /// work). On SQLite there is one process: the turn is always its own.
    pub fn exclusive(&self, key: i64) -> Exclusive {
        Exclusive {
            leader: match &self.backend {
                Backend::Sqlite(_) => None,
                Backend::Postgres(db) => Some(pg::leader::Leader::new(db.clone(), key)),
            },
        }
    }

    /// True when a trivial query answers (readiness probe).
    pub async fn ping(&self) -> bool {
        #[derive(sqlx::FromRow)]
        struct One {
            #[allow(dead_code)]
            n: i64,
        }
        self.read_all::<One>(sql::sql!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM (SELECT 1 FROM orders LIMIT 1) t"
        ))
        .await
        .is_ok()
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

/// A fresh name for this process's leases and locks.
pub(crate) fn new_node_id() -> std::sync::Arc<str> {
    let host = std::env::var("HOSTNAME").unwrap_or_default();
    let short = &uuid::Uuid::new_v4().simple().to_string()[..12];
    let id = if host.is_empty() {
        format!("node-{short}")
    } else {
        format!("{host}-{short}")
    };
    std::sync::Arc::from(id)
}

pub use crate::digest::sha256_hex as body_sha256;

/// Reads an optional stored timestamp.
pub(crate) fn parse_opt_ts(s: Option<&str>) -> Result<Option<OffsetDateTime>, StoreError> {
    s.map(parse_ts).transpose()
}
