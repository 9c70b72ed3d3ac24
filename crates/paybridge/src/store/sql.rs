//! Statements written once for both databases. Most SQL the store runs is
//! the same on SQLite and PostgreSQL but for the placeholders (`?` against
//! `$1`); a [`Sql`] holds the text with `?` and its owned arguments, and each
//! backend binds them to its own query type. Where the dialects differ (JSON
//! functions, row locks, the database clock) a statement carries one text
//! per backend. Arguments are text, integers or bytes only: the schema
//! stores timestamps as RFC 3339 text and booleans as 0/1 on both.

use sqlx::postgres::PgArguments;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Postgres, Sqlite};
use std::borrow::Cow;
use std::sync::OnceLock;

/// One argument of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    /// TEXT (or NULL).
    Text(Option<String>),
    /// BIGINT / INTEGER (or NULL).
    Int(Option<i64>),
    /// BLOB / BYTEA (or NULL).
    Bytes(Option<Vec<u8>>),
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(Some(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Arg {
        Arg::Text(Some(v.clone()))
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(Some(v.to_owned()))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Arg {
        Arg::Text(v)
    }
}
impl From<&Option<String>> for Arg {
    fn from(v: &Option<String>) -> Arg {
        Arg::Text(v.clone())
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Arg {
        Arg::Text(v.map(str::to_owned))
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Arg {
        Arg::Int(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Arg {
        Arg::Int(Some(i64::from(v)))
    }
}
impl From<Vec<u8>> for Arg {
    fn from(v: Vec<u8>) -> Arg {
        Arg::Bytes(Some(v))
    }
}
impl From<Option<Vec<u8>>> for Arg {
    fn from(v: Option<Vec<u8>>) -> Arg {
        Arg::Bytes(v)
    }
}

/// Where a PostgreSQL text comes from: rewritten once per call site, or
/// owned (built at run time).
#[derive(Debug, Clone)]
enum PgText {
    /// `?` placeholders rewritten on first use, kept by the call site.
    Rewrite(&'static OnceLock<String>),
    /// Already in PostgreSQL form.
    Given(Cow<'static, str>),
}

/// A statement with its arguments, runnable on either backend.
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    sqlite: Cow<'static, str>,
    pg: PgText,
    args: Vec<Arg>,
}

impl Sql {
    /// Portable text with `?` placeholders; `cache` holds its PostgreSQL
    /// form once computed (the [`sql!`] macro gives each call site one).
    pub(crate) fn portable(
        text: &'static str,
        cache: &'static OnceLock<String>,
        args: Vec<Arg>,
    ) -> Sql {
        Sql {
            sqlite: Cow::Borrowed(text),
            pg: PgText::Rewrite(cache),
            args,
        }
    }

    /// One text per dialect; the PostgreSQL text uses `?` placeholders too
    /// (rewritten here), so both bind the same arguments in the same order.
    pub(crate) fn dialects(
        sqlite: &'static str,
        pg: &'static str,
        cache: &'static OnceLock<String>,
        args: Vec<Arg>,
    ) -> Sql {
        let _ = cache.get_or_init(|| numbered(pg));
        Sql {
            sqlite: Cow::Borrowed(sqlite),
            pg: PgText::Rewrite(cache),
            args,
        }
    }

    /// Text built at run time (filters), `?` placeholders.
    pub(crate) fn dynamic(text: String, args: Vec<Arg>) -> Sql {
        let pg = numbered(&text);
        Sql {
            sqlite: Cow::Owned(text),
            pg: PgText::Given(Cow::Owned(pg)),
            args,
        }
    }

    /// The SQLite text.
    pub(crate) fn sqlite_text(&self) -> &str {
        &self.sqlite
    }

    /// The PostgreSQL text (`$1`, `$2`, …).
    pub(crate) fn pg_text(&self) -> &str {
        match &self.pg {
            PgText::Rewrite(cache) => cache.get_or_init(|| numbered(&self.sqlite)),
            PgText::Given(t) => t,
        }
    }

    /// The arguments, in order.
    #[cfg(test)]
    pub(crate) fn args(&self) -> &[Arg] {
        &self.args
    }

    /// Takes the arguments (for the SQLite statement queue).
    pub(crate) fn into_args(self) -> Vec<Arg> {
        self.args
    }

    /// Bound as a SQLite query.
    pub(crate) fn sqlite_query(&self) -> sqlx::query::Query<'_, Sqlite, SqliteArguments<'_>> {
        let mut q = sqlx::query(self.sqlite_text());
        for a in &self.args {
            q = match a {
                Arg::Text(v) => q.bind(v.clone()),
                Arg::Int(v) => q.bind(*v),
                Arg::Bytes(v) => q.bind(v.clone()),
            };
        }
        q
    }

    /// Bound as a PostgreSQL query.
    pub(crate) fn pg_query(&self) -> sqlx::query::Query<'_, Postgres, PgArguments> {
        let mut q = sqlx::query(self.pg_text());
        for a in &self.args {
            q = match a {
                Arg::Text(v) => q.bind(v.clone()),
                Arg::Int(v) => q.bind(*v),
                Arg::Bytes(v) => q.bind(v.clone()),
            };
        }
        q
    }
}

/// `?` placeholders as `$1`, `$2`, … outside quoted literals and identifiers.
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            (None, c) => out.push(c),
        }
    }
    out
}

/// A portable statement: `sql!("… ? …", arg, …)`, or one text per dialect:
/// `sql!(sqlite: "…", postgres: "…"; arg, …)`. Arguments convert into
/// [`Arg`]; the PostgreSQL text is computed once per call site.
macro_rules! sql {
    (sqlite: $lite:expr, postgres: $pg:expr $(; $($arg:expr),* $(,)?)?) => {{
        static PG: ::std::sync::OnceLock<String> = ::std::sync::OnceLock::new();
        $crate::store::sql::Sql::dialects(
            $lite,
            $pg,
            &PG,
            vec![$($($crate::store::sql::Arg::from($arg)),*)?],
        )
    }};
    ($text:expr $(, $arg:expr)* $(,)?) => {{
        static PG: ::std::sync::OnceLock<String> = ::std::sync::OnceLock::new();
        $crate::store::sql::Sql::portable(
            $text,
            &PG,
            vec![$($crate::store::sql::Arg::from($arg)),*],
        )
    }};
}
pub(crate) use sql;

/// Builds a statement at run time (optional filters), keeping text and
/// arguments in step.
#[derive(Debug, Default)]
pub(crate) struct SqlBuilder {
    text: String,
    args: Vec<Arg>,
}

impl SqlBuilder {
    /// Starts with `text` (no placeholders).
    pub(crate) fn new(text: &str) -> SqlBuilder {
        SqlBuilder {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `arg`.
    pub(crate) fn bind(&mut self, arg: impl Into<Arg>) -> &mut Self {
        self.text.push('?');
        self.args.push(arg.into());
        self
    }

    /// The statement.
    pub(crate) fn build(self) -> Sql {
        Sql::dynamic(self.text, self.args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_literals() {
        assert_eq!(
            numbered("SELECT ? , '?' , \"a?\" , ? FROM t WHERE x = 'it''s?' AND y = ?"),
            "SELECT $1 , '?' , \"a?\" , $2 FROM t WHERE x = 'it''s?' AND y = $3"
        );
        assert_eq!(numbered("SELECT 1"), "SELECT 1");
    }

    #[test]
    fn the_macro_keeps_arguments_in_order_and_caches_the_pg_text() {
        let s = sql!(
            "UPDATE t SET a = ? WHERE b = ? AND c = ?",
            "x",
            7_i64,
            None::<String>
        );
        assert_eq!(s.sqlite_text(), "UPDATE t SET a = ? WHERE b = ? AND c = ?");
        assert_eq!(s.pg_text(), "UPDATE t SET a = $1 WHERE b = $2 AND c = $3");
        assert_eq!(
            s.args(),
            [Arg::from("x"), Arg::Int(Some(7)), Arg::Text(None)]
        );
        let d = sql!(sqlite: "SELECT json(?)", postgres: "SELECT ?::jsonb"; "{}");
        assert_eq!(d.sqlite_text(), "SELECT json(?)");
        assert_eq!(d.pg_text(), "SELECT $1::jsonb");
        let mut b = SqlBuilder::new("SELECT * FROM t WHERE 1 = 1");
        b.push(" AND a = ").bind("x").push(" LIMIT ").bind(3_i64);
        let b = b.build();
        assert_eq!(
            b.pg_text(),
            "SELECT * FROM t WHERE 1 = 1 AND a = $1 LIMIT $2"
        );
        assert_eq!(b.args().len(), 2);
    }
}
