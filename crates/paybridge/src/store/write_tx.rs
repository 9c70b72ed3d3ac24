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

/// The in-process turn for writing; one per database.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteTurn(Arc<Mutex<()>>);

impl WriteTurn {
    /// Waits for this process's turn to write.
    pub(crate) async fn take(&self) -> OwnedMutexGuard<()> {
        self.0.clone().lock_owned().await
    }
}

/// Begins a write transaction on `writer` once it is this process's turn,
/// taking SQLite's write lock up front (see `Store::begin_write`).
pub(crate) async fn begin(turn: &WriteTurn, writer: &SqlitePool) -> Result<WriteTx, sqlx::Error> {
    let turn = turn.take().await;
    let tx = match writer.begin_with("BEGIN IMMEDIATE").await {
        // SQLite ends a transaction by itself on some errors (a full disk, an
        // I/O error); sqlx then fails to roll it back and keeps counting it
        // open, so this connection would refuse every BEGIN from now on.
        // Replace it rather than lose every write until a restart.
        Err(sqlx::Error::InvalidSavePointStatement) => {
            tracing::warn!("write connection was left inside a transaction; reopening it");
            writer.acquire().await?.close().await?;
            writer.begin_with("BEGIN IMMEDIATE").await?
        }
        other => other?,
    };
    Ok(WriteTx::new(tx, turn))
}

/// A `BEGIN IMMEDIATE` transaction that holds the write turn until it is
/// committed or dropped (rolled back).
pub(crate) struct WriteTx {
    // Field order matters: the transaction ends before the turn is handed on.
    tx: Transaction<'static, Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl WriteTx {
    pub(crate) fn new(tx: Transaction<'static, Sqlite>, turn: OwnedMutexGuard<()>) -> WriteTx {
        WriteTx { tx, _turn: turn }
    }

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
