//! A write transaction as the store's shared code sees it, whichever
//! database is behind it. The backend that opened the transaction owns its
//! begin and commit; code that decides what to write (ingestion, order
//! creation, entitlements, refunds) only queues, executes and fetches
//! [`Sql`] through this handle, so it is written once for both.
//!
//! On SQLite, statements whose result nobody reads are queued and sent in
//! front of the next read as one multi-statement query (see
//! `sqlite/statement_queue.rs`); on PostgreSQL they run at once.

use super::sql::Sql;
use super::sqlite::statement_queue::StatementQueue;
use super::StoreError;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, PgConnection, SqliteConnection};

/// A row type both backends can decode (derive `sqlx::FromRow` on a struct
/// of `String`, `i64`, `Vec<u8>` and their `Option`s).
pub(crate) trait Portable:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> Portable for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// Which database a transaction runs on (for the rare decision that is
/// not just SQL: PostgreSQL claims the inbox row first, SQLite has checked
/// the whole batch for duplicates already).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

enum Conn<'c> {
    Sqlite {
        conn: &'c mut SqliteConnection,
        queue: StatementQueue,
    },
    Postgres(&'c mut PgConnection),
}

/// A connection inside an open write transaction.
pub(crate) struct Tx<'c> {
    conn: Conn<'c>,
    /// PostgreSQL aborted the transaction for a serialization failure or a
    /// deadlock: running the job again may succeed.
    retryable: bool,
}

/// SQLSTATEs after which a transaction is simply run again.
pub(crate) fn is_retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("40001" | "40P01")),
        _ => false,
    }
}

impl<'c> Tx<'c> {
    /// Over a SQLite connection that is inside a transaction (or savepoint).
    pub(crate) fn sqlite(conn: &'c mut SqliteConnection) -> Tx<'c> {
        Tx {
            conn: Conn::Sqlite {
                conn,
                queue: StatementQueue::default(),
            },
            retryable: false,
        }
    }

    /// Over a PostgreSQL connection that is inside a transaction.
    pub(crate) fn postgres(conn: &'c mut PgConnection) -> Tx<'c> {
        Tx {
            conn: Conn::Postgres(conn),
            retryable: false,
        }
    }

    /// The database behind this transaction.
    pub(crate) fn dialect(&self) -> Dialect {
        match self.conn {
            Conn::Sqlite { .. } => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }

    /// True when the transaction failed in a way that running it again
    /// from the start may cure (PostgreSQL serialization failure, deadlock).
    pub(crate) fn failed_retryably(&self) -> bool {
        self.retryable
    }

    fn note<T>(&mut self, r: Result<T, sqlx::Error>) -> Result<T, StoreError> {
        if let Err(e) = &r {
            self.retryable |= is_retryable(e);
        }
        r.map_err(StoreError::from)
    }

    /// Runs `s` whenever convenient before the transaction ends, in order
    /// with every other statement; its errors surface at the latest on the
    /// next read or on [`Tx::flush`].
    pub(crate) async fn queue(&mut self, s: Sql) -> Result<(), StoreError> {
        let r = match &mut self.conn {
            Conn::Sqlite { queue, .. } => {
                queue.push_sql(s);
                Ok(())
            }
            Conn::Postgres(conn) => s.pg_query().execute(&mut **conn).await.map(drop),
        };
        self.note(r)
    }

    /// Runs `s` now; the number of rows it changed.
    pub(crate) async fn execute(&mut self, s: Sql) -> Result<u64, StoreError> {
        let r = match &mut self.conn {
            Conn::Sqlite { conn, queue } => {
                queue.flush(conn).await?;
                s.sqlite_query()
                    .execute(&mut **conn)
                    .await
                    .map(|r| r.rows_affected())
            }
            Conn::Postgres(conn) => s
                .pg_query()
                .execute(&mut **conn)
                .await
                .map(|r| r.rows_affected()),
        };
        self.note(r)
    }

    /// Every row of `s` (sent after whatever is queued).
    pub(crate) async fn fetch_all<T: Portable>(&mut self, s: Sql) -> Result<Vec<T>, StoreError> {
        let rows = match &mut self.conn {
            Conn::Sqlite { conn, queue } => {
                queue.push_sql(s);
                let rows = queue.fetch_all(conn).await?;
                return Ok(rows
                    .iter()
                    .map(T::from_row)
                    .collect::<Result<Vec<_>, _>>()?);
            }
            Conn::Postgres(conn) => s.pg_query().fetch_all(&mut **conn).await,
        };
        Ok(self
            .note(rows)?
            .iter()
            .map(T::from_row)
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// The first row of `s`, if any.
    pub(crate) async fn fetch_optional<T: Portable>(
        &mut self,
        s: Sql,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.fetch_all(s).await?.into_iter().next())
    }

    /// The one row `s` must return.
    pub(crate) async fn fetch_one<T: Portable>(&mut self, s: Sql) -> Result<T, StoreError> {
        self.fetch_optional(s)
            .await?
            .ok_or(StoreError::Db(sqlx::Error::RowNotFound))
    }

    /// Sends whatever is queued (before the owner commits).
    pub(crate) async fn flush(&mut self) -> Result<(), StoreError> {
        match &mut self.conn {
            Conn::Sqlite { conn, queue } => queue.flush(conn).await,
            Conn::Postgres(_) => Ok(()),
        }
    }
}
