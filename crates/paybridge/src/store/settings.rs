//! Key/value settings: the API key hash, the generated Woovi appID.

use super::sql::sql;
use super::{now, ts, Store, StoreError};

/// Setting key of the SHA-256 of the store API key.
pub const API_KEY_HASH: &str = "api_key_sha256";
/// Setting key of the Woovi appID (generated for the sandbox, or from a configure webhook).
pub const WOOVI_APP_ID: &str = "woovi_app_id";
/// Setting key of an appID offered by a configure webhook while one was already set.
pub const WOOVI_APP_ID_OFFERED: &str = "woovi_app_id_offered";

impl Store {
    /// Reads a setting.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .read_optional::<(String,)>(sql!("SELECT value FROM settings WHERE key = ?", key))
            .await?
            .map(|(v,)| v))
    }

    /// Writes a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(sql!(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            key,
            value,
            ts(now())
        ))
        .await?;
        Ok(())
    }

    /// Writes a setting only if absent. True when this call wrote it (so,
    /// of several nodes starting at once, exactly one hears `true`).
    pub async fn insert_setting_if_absent(
        &self,
        key: &str,
        value: &str,
    ) -> Result<bool, StoreError> {
        Ok(self
            .write(sql!(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
                key,
                value,
                ts(now())
            ))
            .await?
            == 1)
    }

    /// Writes a setting only if absent; returns the value now stored.
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> Result<String, StoreError> {
        self.insert_setting_if_absent(key, value).await?;
        self.setting(key)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("setting {key} vanished")))
    }
}
