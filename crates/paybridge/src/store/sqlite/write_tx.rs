//! Write transactions of this process take turns on an async lock before
//! asking SQLite for its write lock. SQLite resolves contention by sleeping
//! in its busy handler (1, 2, 5, 10 … 100 ms), so a webhook commit that
//! collides with the dispatcher's round would wait tens of milliseconds for a
//! lock freed in microseconds; a FIFO queue in front hands it over at once.
//! Other processes on the same file still meet the busy timeout.

use sqlx::{Sqlite, SqlitePool, Transaction};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The connection write transactions run on, and the in-process turn to use
/// it; one per database, cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    pool: SqlitePool,
    turn: Arc<Mutex<()>>,
    /// False for an in-memory database, whose data lives and dies with its
    /// one connection.
    reopenable: bool,
}

impl Writer {
    /// `pool` should hold one connection (see `Store::begin_write`).
    pub(crate) fn new(pool: SqlitePool, reopenable: bool) -> Writer {
        Writer {
            pool,
            turn: Arc::default(),
            reopenable,
        }
    }

    /// Begins a write transaction once it is this process's turn, taking
    /// SQLite's write lock up front.
    pub(crate) async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        let turn = self.turn.clone().lock_owned().await;
        let tx = match self.pool.begin_with("BEGIN IMMEDIATE").await {
            // SQLite ends a transaction by itself on some errors (a full disk,
            // an I/O error); sqlx then fails to roll it back and keeps counting
            // it open, so this connection would refuse every BEGIN from now
            // on. Replace it rather than lose every write until a restart.
            Err(sqlx::Error::InvalidSavePointStatement) if self.reopenable => {
                tracing::warn!("write connection was left inside a transaction; reopening it");
                self.pool.acquire().await?.close().await?;
                self.pool.begin_with("BEGIN IMMEDIATE").await?
            }
            other => other?,
        };
        Ok(WriteTx { tx, _turn: turn })
    }
}

/// A `BEGIN IMMEDIATE` transaction that holds the write turn until it is
/// committed or dropped (rolled back).
pub(crate) struct WriteTx {
    // Field order matters: the transaction ends before the turn is handed on.
    tx: Transaction<'static, Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl WriteTx {
    /// Commits, then hands the turn on.
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Deref for WriteTx {
    type Target = Transaction<'static, Sqlite>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}
