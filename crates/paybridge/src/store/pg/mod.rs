//! The PostgreSQL backend: several `paybridge serve` nodes on one database.
//! A pool of connections, one transaction per job (retried when PostgreSQL
//! reports a serialization failure or a deadlock), `synchronous_commit=on`
//! on every connection (a 2xx still means the row is on disk), and the
//! database's WAL flush grouping concurrent commits.

pub(crate) mod leader;
pub(crate) mod notify;

use super::job::Job;
use super::sql::Sql;
use super::tx::{is_retryable, Portable, Tx};
use super::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgPool};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Connections per node.
const POOL_SIZE: u32 = 32;

/// Attempts of one job before its error is returned.
const MAX_ATTEMPTS: u32 = 5;

/// Handles to one PostgreSQL database; cheap to clone.
#[derive(Clone)]
pub(crate) struct PgDb {
    pool: PgPool,
    options: Arc<PgConnectOptions>,
    node: Arc<str>,
}

impl std::fmt::Debug for PgDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgDb").field("node", &self.node).finish()
    }
}

impl PgDb {
    /// Connects, then runs the migrations (sqlx holds an advisory lock
    /// meanwhile, so nodes starting at once migrate one after the other).
    pub(crate) async fn connect(url: &str) -> Result<PgDb, StoreError> {
        let node = super::new_node_id();
        let options = PgConnectOptions::from_str(url)?
            .application_name(&format!("paybridge {node}"))
            // A 2xx means committed and flushed, whatever the server default.
            .options([("synchronous_commit", "on")]);
        // One connection first: a pool that cannot connect only reports
        // "timed out", while the operator needs the server's own reason
        // (refused, unknown role, unknown database).
        let first = tokio::time::timeout(
            Duration::from_secs(10),
            <sqlx::PgConnection as sqlx::Connection>::connect_with(&options),
        )
        .await
        .map_err(|_| StoreError::Db(sqlx::Error::PoolTimedOut))??;
        sqlx::Connection::close(first).await.ok();
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(3))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgDb {
            pool,
            options: Arc::new(options),
            node,
        })
    }

    /// The pool.
    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Options for a connection of its own (the listener, the leader lock).
    pub(crate) fn connect_options(&self) -> &PgConnectOptions {
        &self.options
    }

    /// Renames this node (see `Store::with_node_id`).
    pub(crate) fn set_node_id(&mut self, node: Arc<str>) {
        self.node = node;
    }

    /// This node's name.
    pub(crate) fn node_id(&self) -> &str {
        &self.node
    }

    /// Every row of a read.
    pub(crate) async fn read_all<T: Portable>(&self, s: Sql) -> Result<Vec<T>, StoreError> {
        let rows = s.pg_query().fetch_all(&self.pool).await?;
        Ok(rows.iter().map(T::from_row).collect::<Result<_, _>>()?)
    }

    /// Runs `job` in a transaction of its own, again (from scratch) when
    /// PostgreSQL aborted it for a serialization failure or a deadlock.
    pub(crate) async fn run_job<J: Job>(&self, job: J) -> Result<J::Output, J::Error> {
        let mut attempt = 1;
        loop {
            match self.try_once(job.clone()).await {
                Err(Attempt::Retry(e)) if attempt < MAX_ATTEMPTS => {
                    tracing::debug!(error = %e, attempt, "transaction retried");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(5 * u64::from(attempt))).await;
                }
                Err(Attempt::Retry(e)) => return Err(e.into()),
                Err(Attempt::Failed(e)) => return Err(e),
                Ok(out) => return Ok(out),
            }
        }
    }

    async fn try_once<J: Job>(&self, job: J) -> Result<J::Output, Attempt<J::Error>> {
        let sorted = |e: sqlx::Error| {
            if is_retryable(&e) {
                Attempt::Retry(e.into())
            } else {
                Attempt::Failed(StoreError::from(e).into())
            }
        };
        let mut conn = self.pool.acquire().await.map_err(sorted)?;
        let mut tx = conn.begin().await.map_err(sorted)?;
        let (out, retryable) = {
            let mut t = Tx::postgres(&mut tx);
            let out = job.run(&mut t).await;
            (out, t.failed_retryably())
        };
        match out {
            Ok(out) => {
                tx.commit().await.map_err(sorted)?;
                Ok(out)
            }
            Err(e) => {
                let _ = tx.rollback().await;
                if retryable {
                    Err(Attempt::Retry(StoreError::CommitFailed(
                        "serialization failure or deadlock".into(),
                    )))
                } else {
                    Err(Attempt::Failed(e))
                }
            }
        }
    }
}

/// How one try of a job ended.
enum Attempt<E> {
    /// The database asked for the transaction to be run again.
    Retry(StoreError),
    /// Anything else: returned to the caller.
    Failed(E),
}
