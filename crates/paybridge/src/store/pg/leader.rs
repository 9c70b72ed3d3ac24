//! One node at a time for work that must not run twice at once (the
//! reconciler): a session-level advisory lock held on a connection of its
//! own. The lock lives exactly as long as that connection, so a node that
//! dies (or loses the database) lets another take over on its next try.

use super::PgDb;
use sqlx::{ConnectOptions, Connection, PgConnection};

/// A lock on one key; ask [`Leader::holds`] before each round.
pub(crate) struct Leader {
    db: PgDb,
    key: i64,
    conn: Option<PgConnection>,
}

impl Leader {
    /// A lock on `key`, not yet taken.
    pub(crate) fn new(db: PgDb, key: i64) -> Leader {
        Leader {
            db,
            key,
            conn: None,
        }
    }

    /// True while this node holds the lock: checks that the connection
    /// holding it is alive, or (re)connects and tries to take it.
    pub(crate) async fn holds(&mut self) -> bool {
        if let Some(conn) = &mut self.conn {
            if conn.ping().await.is_ok() {
                return true;
            }
            tracing::warn!("lost the connection holding the reconciler lock");
            self.conn = None;
        }
        let mut conn = match self.db.connect_options().connect().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "cannot connect to take the reconciler lock");
                return false;
            }
        };
        match sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
            .bind(self.key)
            .fetch_one(&mut conn)
            .await
        {
            Ok(true) => {
                tracing::info!("this node now runs the reconciler");
                self.conn = Some(conn);
                true
            }
            Ok(false) => false,
            Err(e) => {
                tracing::warn!(error = %e, "cannot take the reconciler lock");
                false
            }
        }
    }
}
