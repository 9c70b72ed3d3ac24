//! Webhook bookkeeping outside the ingest path: rejected attempts, inbox counts.

use super::sql::sql;
use super::{new_id, now, ts, Store, StoreError};
use crate::domain::ClaimedRef;

#[derive(sqlx::FromRow)]
struct Count {
    key: String,
    n: i64,
}

impl Store {
    /// Records a webhook that failed authentication or parsing (never its
    /// body), with the ids it claims so the order it names can list it.
    /// `body_sha256` is `None` for a body refused unread (stored as '').
    /// On SQLite attempts share transactions with other writes (see
    /// `sqlite/group_commit.rs`): a flood of forged requests must not cost
    /// one fsync each and queue genuine webhooks behind the write lock.
    pub async fn record_rejected_webhook(
        &self,
        provider: &str,
        reason: &str,
        body_sha256: Option<&str>,
        remote_addr: Option<&str>,
        claimed: &ClaimedRef,
    ) -> Result<(), StoreError> {
        self.write(sql!(
            "INSERT INTO rejected_webhooks (id, received_at, provider, reason, body_sha256, remote_addr, \
             claimed_correlation_id, claimed_provider_ref, claimed_end_to_end_id) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            new_id(),
            ts(now()),
            provider,
            reason,
            body_sha256.unwrap_or_default(),
            remote_addr,
            &claimed.correlation_id,
            &claimed.provider_ref,
            &claimed.end_to_end_id
        ))
        .await?;
        Ok(())
    }

    /// Rejected attempts per reason (tests and dashboard).
    pub async fn rejected_webhook_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(self
            .read_all::<Count>(sql!(
                "SELECT reason AS key, CAST(COUNT(*) AS BIGINT) AS n FROM rejected_webhooks \
                 GROUP BY reason ORDER BY reason"
            ))
            .await?
            .into_iter()
            .map(|c| (c.key, c.n))
            .collect())
    }

    /// Inbox rows per outcome (tests and dashboard).
    pub async fn inbox_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(self
            .read_all::<Count>(sql!(
                "SELECT outcome AS key, CAST(COUNT(*) AS BIGINT) AS n FROM inbox \
                 GROUP BY outcome ORDER BY outcome"
            ))
            .await?
            .into_iter()
            .map(|c| (c.key, c.n))
            .collect())
    }

    /// Inbox rows that keep their raw body (tests: test webhooks and purged
    /// rows keep none).
    pub async fn inbox_raw_bodies_kept(&self) -> Result<i64, StoreError> {
        Ok(self
            .read_one::<(i64,)>(sql!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM inbox WHERE raw_body IS NOT NULL"
            ))
            .await?
            .0)
    }

    /// Number of outbox rows of an order (tests: one per change).
    pub async fn outbox_count(&self, order_id: &str) -> Result<i64, StoreError> {
        Ok(self
            .read_one::<(i64,)>(sql!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE order_id = ?",
                order_id
            ))
            .await?
            .0)
    }
}
