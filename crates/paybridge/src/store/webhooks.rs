//! Webhook bookkeeping outside the ingest path: rejected attempts, inbox counts.

use super::group_commit::{Job, Tx};
use super::{new_id, now, ts, Store, StoreError};
use crate::domain::ClaimedRef;
use futures::future::BoxFuture;
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
        self.group_commit()
            .run(RecordRejected {
                provider: provider.to_owned(),
                reason: reason.to_owned(),
                body_sha256: body_sha256.unwrap_or_default().to_owned(),
                remote_addr: remote_addr.map(str::to_owned),
                claimed: claimed.clone(),
                received_at: ts(now()),
            })
            .await
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

/// One rejected attempt to record.
struct RecordRejected {
    provider: String,
    reason: String,
    body_sha256: String,
    remote_addr: Option<String>,
    claimed: ClaimedRef,
    /// Taken when the request was refused, not when the batch commits.
    received_at: String,
}

impl Job for RecordRejected {
    type Output = ();
    type Error = StoreError;

    fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO rejected_webhooks (id, received_at, provider, reason, body_sha256, remote_addr, \
                 claimed_correlation_id, claimed_provider_ref, claimed_end_to_end_id) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(new_id())
            .bind(&self.received_at)
            .bind(&self.provider)
            .bind(&self.reason)
            .bind(&self.body_sha256)
            .bind(&self.remote_addr)
            .bind(self.claimed.correlation_id.as_deref())
            .bind(self.claimed.provider_ref.as_deref())
            .bind(self.claimed.end_to_end_id.as_deref())
            .execute(&mut **tx)
            .await?;
            Ok(())
        })
    }
}
