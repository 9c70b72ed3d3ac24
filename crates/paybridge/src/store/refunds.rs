//! Refund requests sent to the provider (the refund itself lands by webhook).

use super::job::Statements;
use super::sql::sql;
use super::timeline::timeline;
use super::{corrupt, new_id, now, parse_ts, ts, Store, StoreError};
use crate::domain::Cents;
use time::OffsetDateTime;

/// A refund asked of the provider.
#[derive(Debug, Clone)]
pub struct RefundRequestRecord {
    /// Row id.
    pub id: String,
    /// The correlationID sent to the provider.
    pub correlation_id: String,
    /// Amount asked.
    pub amount: Cents,
    /// `requested`, `sent`, `failed`.
    pub status: String,
    /// When asked.
    pub created_at: OffsetDateTime,
}

impl Store {
    /// Records a refund request before calling the provider.
    pub async fn insert_refund_request(
        &self,
        order_id: &str,
        amount: Cents,
        reason: Option<&str>,
    ) -> Result<RefundRequestRecord, StoreError> {
        let id = new_id();
        let correlation_id = format!("refund-{}", uuid::Uuid::new_v4());
        let at = now();
        self.run_job(Statements(vec![
            sql!(
                "INSERT INTO refund_requests (id, order_id, correlation_id, amount, reason, status, created_at) \
                 VALUES (?, ?, ?, ?, ?, 'requested', ?)",
                &id,
                order_id,
                &correlation_id,
                amount.get(),
                reason,
                ts(at)
            ),
            timeline(
                order_id,
                "api",
                "refund_requested",
                None,
                None,
                &format!("refund of {amount} requested"),
            ),
        ]))
        .await?;
        Ok(RefundRequestRecord {
            id,
            correlation_id,
            amount,
            status: "requested".into(),
            created_at: at,
        })
    }

    /// Marks a refund request as accepted or refused by the provider.
    pub async fn finish_refund_request(
        &self,
        id: &str,
        ok: bool,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.write(sql!(
            "UPDATE refund_requests SET status = ?, error = ? WHERE id = ?",
            if ok { "sent" } else { "failed" },
            error,
            id
        ))
        .await?;
        Ok(())
    }

    /// Sum of refunds asked and not refused, so two requests cannot exceed the payment.
    pub async fn refund_requested_total(&self, order_id: &str) -> Result<Cents, StoreError> {
        let (n,) = self
            .read_one::<(i64,)>(sql!(
                "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM refund_requests \
                 WHERE order_id = ? AND status <> 'failed'",
                order_id
            ))
            .await?;
        Cents::new(n).map_err(corrupt)
    }

    /// Refund requests of an order.
    pub async fn refund_requests(
        &self,
        order_id: &str,
    ) -> Result<Vec<RefundRequestRecord>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: String,
            correlation_id: String,
            amount: i64,
            status: String,
            created_at: String,
        }
        self.read_all::<Row>(sql!(
            "SELECT id, correlation_id, amount, status, created_at FROM refund_requests \
             WHERE order_id = ? ORDER BY created_at",
            order_id
        ))
        .await?
        .into_iter()
        .map(|r| {
            Ok(RefundRequestRecord {
                id: r.id,
                correlation_id: r.correlation_id,
                amount: Cents::new(r.amount).map_err(corrupt)?,
                status: r.status,
                created_at: parse_ts(&r.created_at)?,
            })
        })
        .collect()
    }
}
