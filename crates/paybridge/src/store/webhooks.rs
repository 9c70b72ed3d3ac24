//! Webhook bookkeeping outside the ingest path: rejected attempts, inbox counts.

use super::{new_id, now, ts, Store, StoreError};
use crate::domain::ClaimedRef;
use sqlx::Row;

impl Store {
    /// Records a webhook that failed authentication or parsing (never its
    /// body), with the ids it claims so the order it names can list it.
    /// `body_sha256` is `None` for a body refused unread (stored as '').
    /// Attempts share transactions with other writes (see `group_commit.rs`):
    /// a flood of forged requests must not cost one fsync each and queue
    /// genuine webhooks behind the write lock.
    pub async fn record_rejected_webhook(
        &self,
        provider: &str,
        reason: &str,
        body_sha256: Option<&str>,
        remote_addr: Option<&str>,
        claimed: &ClaimedRef,
    ) -> Result<(), StoreError> {
        self.write_statement(
            sqlx::query(
                "INSERT INTO rejected_webhooks (id, received_at, provider, reason, body_sha256, remote_addr, \
                 claimed_correlation_id, claimed_provider_ref, claimed_end_to_end_id) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(new_id())
            .bind(ts(now()))
            .bind(provider.to_owned())
            .bind(reason.to_owned())
            .bind(body_sha256.unwrap_or_default().to_owned())
            .bind(remote_addr.map(str::to_owned))
            .bind(claimed.correlation_id.clone())
            .bind(claimed.provider_ref.clone())
            .bind(claimed.end_to_end_id.clone()),
        )
        .await?;
        Ok(())
    }

    /// Rejected attempts per reason (tests and dashboard).
    pub async fn rejected_webhook_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        sqlx::query(
            "SELECT reason, COUNT(*) AS n FROM rejected_webhooks GROUP BY reason ORDER BY reason",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("reason")?, r.try_get("n")?)))
        .collect()
    }

    /// Inbox rows per outcome (tests and dashboard).
    pub async fn inbox_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        sqlx::query("SELECT outcome, COUNT(*) AS n FROM inbox GROUP BY outcome ORDER BY outcome")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| Ok((r.try_get("outcome")?, r.try_get("n")?)))
            .collect()
    }

    /// Inbox rows that keep their raw body (tests: test webhooks and purged
    /// rows keep none).
    pub async fn inbox_raw_bodies_kept(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT COUNT(*) AS n FROM inbox WHERE raw_body IS NOT NULL")
                .fetch_one(self.pool())
                .await?
                .try_get("n")?,
        )
    }

    /// Number of outbox rows of an order (tests: one per change).
    pub async fn outbox_count(&self, order_id: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE order_id = ?")
                .bind(order_id)
                .fetch_one(self.pool())
                .await?
                .try_get("n")?,
        )
    }
}
