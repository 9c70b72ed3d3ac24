//! WAL checkpoints off the write path. SQLite's automatic checkpoint runs
//! inside whichever commit crosses the threshold, so one webhook batch in a
//! thousand would wait for the database file to be copied and fsynced. The
//! writer connections turn that off and this task checkpoints in the
//! background instead (PASSIVE: it never blocks writers or readers).

use super::SqliteDb;
use std::time::Duration;

/// How often the WAL is copied back into the database file.
const INTERVAL: Duration = Duration::from_millis(500);

impl SqliteDb {
    /// Starts the background checkpoint task (file databases only).
    pub(crate) fn spawn_checkpointer(&self) {
        if !self.is_file() {
            return;
        }
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await
                {
                    tracing::warn!(error = %e, "WAL checkpoint failed; will retry");
                }
            }
        });
    }
}
