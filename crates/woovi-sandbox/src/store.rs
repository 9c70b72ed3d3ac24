//! Where records live: an in-memory table per resource, optionally mirrored
//! to a SQLite file (one JSON document per record) so a `--data-dir` sandbox
//! survives restarts.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::Row;
use std::collections::HashMap;
use std::path::Path;

/// A stored resource: how it is keyed and found.
pub(crate) trait Record: Serialize + DeserializeOwned {
    /// Table name in the SQLite mirror.
    const KIND: &'static str;
    /// Primary key.
    fn key(&self) -> &str;
    /// Every ID the resource can be looked up by (Woovi accepts several:
    /// globalID, correlationID, transactionID…); includes `key`.
    fn aliases(&self) -> Vec<String>;
}

/// Rows in insertion order plus an alias index.
pub(crate) struct Table<T> {
    rows: Vec<Option<T>>,
    index: HashMap<String, usize>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T: Record> Table<T> {
    /// Adds a row (or replaces the row with the same key).
    pub(crate) fn insert(&mut self, row: T) {
        if let Some(&i) = self.index.get(row.key()) {
            for alias in row.aliases() {
                self.index.insert(alias, i);
            }
            self.rows[i] = Some(row);
            return;
        }
        let i = self.rows.len();
        for alias in row.aliases() {
            self.index.entry(alias).or_insert(i);
        }
        self.rows.push(Some(row));
    }

    /// Finds a row by any alias.
    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).and_then(|&i| self.rows[i].as_ref())
    }

    /// Finds a row by any alias, for changing it.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.index.get(id).and_then(|&i| self.rows[i].as_mut())
    }

    /// Removes a row and its aliases.
    pub(crate) fn remove(&mut self, id: &str) -> Option<T> {
        let i = *self.index.get(id)?;
        let row = self.rows[i].take()?;
        for alias in row.aliases() {
            if self.index.get(&alias) == Some(&i) {
                self.index.remove(&alias);
            }
        }
        Some(row)
    }

    /// Rows, oldest first.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.rows.iter().flatten()
    }

    /// Rows, oldest first, for changing them.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.rows.iter_mut().flatten()
    }
}

/// One change to mirror to disk.
pub(crate) enum Write {
    /// Insert or replace.
    Put {
        /// `Record::KIND`.
        kind: &'static str,
        /// `Record::key`.
        key: String,
        /// The record as JSON.
        body: String,
    },
    /// Remove.
    Delete {
        /// `Record::KIND`.
        kind: &'static str,
        /// `Record::key`.
        key: String,
    },
}

impl Write {
    /// A `Put` of `row`.
    pub(crate) fn put<T: Record>(row: &T) -> Write {
        Write::Put {
            kind: T::KIND,
            key: row.key().to_owned(),
            body: serde_json::to_string(row).unwrap_or_default(),
        }
    }

    /// A `Delete` of `row`.
    pub(crate) fn delete<T: Record>(row: &T) -> Write {
        Write::Delete {
            kind: T::KIND,
            key: row.key().to_owned(),
        }
    }
}

/// The SQLite mirror (absent in memory mode).
pub(crate) struct Disk {
    pool: SqlitePool,
}

impl Disk {
    /// Opens `dir/sandbox.sqlite3`, creating it and its table.
    pub(crate) async fn open(dir: &Path) -> Result<Disk, sqlx::Error> {
        std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join("sandbox.sqlite3"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, \
             PRIMARY KEY (kind, key))",
        )
        .execute(&pool)
        .await?;
        Ok(Disk { pool })
    }

    /// Every stored record of `T`, oldest first.
    pub(crate) async fn load<T: Record>(&self) -> Result<Vec<T>, sqlx::Error> {
        let rows = sqlx::query("SELECT body FROM docs WHERE kind = ? ORDER BY rowid")
            .bind(T::KIND)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let body: String = row.try_get("body")?;
                serde_json::from_str(&body).map_err(|e| sqlx::Error::Decode(Box::new(e)))
            })
            .collect()
    }

    /// Applies `writes` in one transaction.
    pub(crate) async fn apply(&self, writes: Vec<Write>) -> Result<(), sqlx::Error> {
        if writes.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for write in writes {
            match write {
                Write::Put { kind, key, body } => {
                    sqlx::query(
                        "INSERT INTO docs (kind, key, body) VALUES (?, ?, ?) \
                         ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body",
                    )
                    .bind(kind)
                    .bind(key)
                    .bind(body)
                    .execute(&mut *tx)
                    .await?;
                }
                Write::Delete { kind, key } => {
                    sqlx::query("DELETE FROM docs WHERE kind = ? AND key = ?")
                        .bind(kind)
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await
    }
}
