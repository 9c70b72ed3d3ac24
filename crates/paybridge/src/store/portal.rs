//! Reads for the merchant dashboard and the buyer portal.

use super::sql::sql;
use super::{parse_ts, Store, StoreError};
use time::OffsetDateTime;

/// A webhook accepted into the inbox for an order.
#[derive(Debug, Clone)]
pub struct InboxEntry {
    /// When it arrived.
    pub received_at: OffsetDateTime,
    /// Provider name.
    pub provider: String,
    /// Provider event type.
    pub event_type: String,
    /// What applying it did (`applied`, `duplicate`, ...).
    pub outcome: String,
}

/// A webhook refused before parsing (no order can be trusted from it).
#[derive(Debug, Clone)]
pub struct RejectedEntry {
    /// When it arrived.
    pub received_at: OffsetDateTime,
    /// Provider name.
    pub provider: String,
    /// Why it was refused.
    pub reason: String,
    /// Sender address.
    pub remote_addr: Option<String>,
    /// SHA-256 hex of the refused body (the body itself is not kept);
    /// `None` when it was refused unread (over the size limit).
    pub body_sha256: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RejectedRow {
    received_at: String,
    provider: String,
    reason: String,
    remote_addr: Option<String>,
    body_sha256: String,
}

impl TryFrom<RejectedRow> for RejectedEntry {
    type Error = StoreError;

    fn try_from(r: RejectedRow) -> Result<RejectedEntry, StoreError> {
        Ok(RejectedEntry {
            received_at: parse_ts(&r.received_at)?,
            provider: r.provider,
            reason: r.reason,
            remote_addr: r.remote_addr,
            body_sha256: Some(r.body_sha256).filter(|h| !h.is_empty()),
        })
    }
}

#[derive(sqlx::FromRow)]
struct InboxRow {
    received_at: String,
    provider: String,
    event_type: String,
    outcome: String,
}

impl Store {
    /// Webhooks recorded in the inbox for one order, oldest first.
    pub async fn inbox_for_order(&self, order_id: &str) -> Result<Vec<InboxEntry>, StoreError> {
        self.read_all::<InboxRow>(sql!(
            "SELECT received_at, provider, event_type, outcome FROM inbox \
             WHERE order_id = ? ORDER BY received_at, id",
            order_id
        ))
        .await?
        .into_iter()
        .map(|r| {
            Ok(InboxEntry {
                received_at: parse_ts(&r.received_at)?,
                provider: r.provider,
                event_type: r.event_type,
                outcome: r.outcome,
            })
        })
        .collect()
    }

    /// The latest rejected webhooks, newest first.
    pub async fn recent_rejected_webhooks(
        &self,
        limit: u32,
    ) -> Result<Vec<RejectedEntry>, StoreError> {
        self.read_all::<RejectedRow>(sql!(
            "SELECT received_at, provider, reason, remote_addr, body_sha256 FROM rejected_webhooks \
             ORDER BY received_at DESC, id DESC LIMIT ?",
            i64::from(limit)
        ))
        .await?
        .into_iter()
        .map(RejectedEntry::try_from)
        .collect()
    }

    /// Rejected webhooks whose unverified body named this order (by its
    /// correlationID, its charge's provider id or one of its payments'
    /// end-to-end ids), newest first.
    pub async fn rejected_webhooks_for_order(
        &self,
        order_id: &str,
        limit: u32,
    ) -> Result<Vec<RejectedEntry>, StoreError> {
        self.read_all::<RejectedRow>(sql!(
            "SELECT r.received_at, r.provider, r.reason, r.remote_addr, r.body_sha256 \
             FROM rejected_webhooks r JOIN orders o ON o.id = ? \
             WHERE r.claimed_correlation_id = o.correlation_id \
                OR r.claimed_provider_ref = o.provider_ref \
                OR r.claimed_end_to_end_id IN (SELECT end_to_end_id FROM payments WHERE order_id = o.id) \
             ORDER BY r.received_at DESC, r.id DESC LIMIT ?",
            order_id,
            i64::from(limit)
        ))
        .await?
        .into_iter()
        .map(RejectedEntry::try_from)
        .collect()
    }
}
