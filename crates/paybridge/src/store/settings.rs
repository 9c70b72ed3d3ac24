//! Key/value settings: the API key hash, the generated Woovi appID.

use super::{now, ts, Store, StoreError};
use sqlx::Row;

/// Setting key of the SHA-256 of the store API key.
pub const API_KEY_HASH: &str = "api_key_sha256";
/// Setting key of the Woovi appID (generated for the sandbox, or from a configure webhook).
pub const WOOVI_APP_ID: &str = "woovi_app_id";
/// Setting key of an appID offered by a configure webhook while one was already set.
pub const WOOVI_APP_ID_OFFERED: &str = "woovi_app_id_offered";

impl Store {
    /// Reads a setting.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(self.pool())
            .await?
            .map(|r| r.try_get("value"))
            .transpose()?)
    }

    /// Writes a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write_statement(
            sqlx::query(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key.to_owned())
            .bind(value.to_owned())
            .bind(ts(now())),
        )
        .await?;
        Ok(())
    }

    /// Writes a setting only if absent; returns the value now stored.
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> Result<String, StoreError> {
        self.write_statement(
            sqlx::query(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key.to_owned())
            .bind(value.to_owned())
            .bind(ts(now())),
        )
        .await?;
        self.setting(key)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("setting {key} vanished")))
    }
}
