//! Statements sent to SQLite together. sqlx runs SQLite on its own thread, so
//! every statement costs two thread hand-offs (tens of microseconds each on a
//! busy 2-core machine), far more than SQLite spends executing it. The
//! ingestion writer queues the writes whose results it does not need and
//! sends them in front of its next read (or at the end of the batch), so an
//! event that pays an order costs one round trip instead of eight.
//!
//! Statements are joined into one multi-statement query; sqlx binds the
//! arguments in order across them, so queued SQL uses anonymous `?`
//! parameters only (a numbered `?N` would index the whole argument list).

use crate::store::sql::{Arg, Sql};
use crate::store::StoreError;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Encode, Sqlite, SqliteConnection, Type};

/// Statements waiting to be sent, with their arguments.
#[derive(Default)]
pub(crate) struct StatementQueue {
    sql: String,
    args: SqliteArguments<'static>,
    /// A value that could not be encoded; reported when the queue is sent.
    bad_arg: Option<String>,
}

impl StatementQueue {
    /// Adds one statement; bind its arguments next, in order.
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        debug_assert!(
            !sql.as_bytes()
                .windows(2)
                .any(|w| w[0] == b'?' && w[1].is_ascii_digit())
                && !sql.trim_end().ends_with(';'),
            "queued SQL takes anonymous parameters and no trailing semicolon: {sql}"
        );
        self.sql.push_str(sql);
        self.sql.push_str(";\n");
        self
    }

    /// Binds the next argument of the last statement pushed.
    pub(crate) fn bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'static + Send + Encode<'static, Sqlite> + Type<Sqlite>,
    {
        if let Err(e) = self.args.add(value) {
            self.bad_arg.get_or_insert_with(|| e.to_string());
        }
        self
    }

    /// Adds one portable statement with its arguments.
    pub(crate) fn push_sql(&mut self, s: Sql) {
        self.push(s.sqlite_text());
        for a in s.into_args() {
            match a {
                Arg::Text(v) => self.bind(v),
                Arg::Int(v) => self.bind(v),
                Arg::Bytes(v) => self.bind(v),
            };
        }
    }

    /// True when nothing is waiting.
    pub(crate) fn is_empty(&self) -> bool {
        self.sql.is_empty()
    }

    fn take(&mut self) -> Result<(String, SqliteArguments<'static>), StoreError> {
        let sql = std::mem::take(&mut self.sql);
        let args = std::mem::take(&mut self.args);
        match self.bad_arg.take() {
            Some(e) => Err(StoreError::Corrupt(format!("argument not encodable: {e}"))),
            None => Ok((sql, args)),
        }
    }

    /// Sends everything queued; the last statement may be a read, whose rows
    /// are returned (writes return none).
    pub(crate) async fn fetch_all(
        &mut self,
        conn: &mut SqliteConnection,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        if self.is_empty() {
            return Ok(Vec::new());
        }
        let (sql, args) = self.take()?;
        Ok(sqlx::query_with(&sql, args).fetch_all(conn).await?)
    }

    /// Sends everything queued (before the caller uses the connection itself).
    pub(crate) async fn flush(&mut self, conn: &mut SqliteConnection) -> Result<(), StoreError> {
        self.fetch_all(conn).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, Row};

    async fn conn() -> SqliteConnection {
        let mut c = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
            .execute(&mut c)
            .await
            .unwrap();
        c
    }

    #[tokio::test]
    async fn queued_writes_run_in_order_before_the_read_that_follows_them() {
        let mut c = conn().await;
        let mut q = StatementQueue::default();
        q.push("INSERT INTO t (k, v) VALUES (?, ?)")
            .bind("a".to_owned())
            .bind(1_i64);
        q.push("UPDATE t SET v = v + ? WHERE k = ?")
            .bind(41_i64)
            .bind("a".to_owned());
        q.push("SELECT v, (SELECT count(*) FROM t) AS n FROM t WHERE k = ?")
            .bind("a".to_owned());

        let rows = q.fetch_all(&mut c).await.unwrap();

        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get::<i64, _>("v"), 42);
        assert_eq!(rows[0].get::<i64, _>("n"), 1);
        assert!(q.is_empty());
    }

    #[tokio::test]
    async fn a_failing_statement_fails_the_send_and_the_queue_starts_empty_again() {
        let mut c = conn().await;
        let mut q = StatementQueue::default();
        q.push("INSERT INTO t (k, v) VALUES (?, ?)")
            .bind("a".to_owned())
            .bind(1_i64);
        q.push("INSERT INTO t (k, v) VALUES (?, NULL)")
            .bind("b".to_owned());

        let err = q.flush(&mut c).await.unwrap_err().to_string();

        assert!(err.contains("NOT NULL"), "{err}");
        assert!(q.is_empty());
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM t WHERE k = 'b'")
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(n, 0);
    }

    #[tokio::test]
    async fn an_empty_queue_sends_nothing() {
        let mut c = conn().await;
        let mut q = StatementQueue::default();
        assert!(q.fetch_all(&mut c).await.unwrap().is_empty());
        q.flush(&mut c).await.unwrap();
    }

    /// A value whose encoder fails, as a custom type's might.
    struct Unencodable;

    impl Type<Sqlite> for Unencodable {
        fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
            <String as Type<Sqlite>>::type_info()
        }
    }

    impl<'q> Encode<'q, Sqlite> for Unencodable {
        fn encode_by_ref(
            &self,
            _buf: &mut Vec<sqlx::sqlite::SqliteArgumentValue<'q>>,
        ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
            Err("refuses to encode".into())
        }
    }

    #[tokio::test]
    async fn an_unencodable_argument_fails_the_send_and_nothing_runs() {
        let mut c = conn().await;
        let mut q = StatementQueue::default();
        q.push("INSERT INTO t (k, v) VALUES (?, ?)")
            .bind("a".to_owned())
            .bind(1_i64);
        q.push("INSERT INTO t (k, v) VALUES (?, ?)")
            .bind(Unencodable)
            .bind(2_i64);

        let err = q.flush(&mut c).await.unwrap_err().to_string();

        assert!(
            err.contains("argument not encodable: refuses to encode"),
            "{err}"
        );
        assert!(q.is_empty());
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(n, 0, "not even the statement before it ran");
        // The next send starts clean.
        q.push("INSERT INTO t (k, v) VALUES (?, ?)")
            .bind("b".to_owned())
            .bind(3_i64);
        q.flush(&mut c).await.unwrap();
    }
}
