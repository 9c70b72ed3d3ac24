//! Refund requests sent to the provider (the refund itself lands by webhook).

use super::{new_id, now, parse_ts, ts, Store, StoreError};
use crate::domain::Cents;
use sqlx::Row;
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
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO refund_requests (id, order_id, correlation_id, amount, reason, status, created_at) \
             VALUES (?, ?, ?, ?, ?, 'requested', ?)",
        )
        .bind(&id)
        .bind(order_id)
        .bind(&correlation_id)
        .bind(amount.get())
        .bind(reason)
        .bind(ts(at))
        .execute(&mut **tx)
        .await?;
        super::ingest::timeline(
            &mut tx,
            order_id,
            "api",
            "refund_requested",
            None,
            None,
            &format!("refund of {amount} requested"),
        )
        .await?;
        tx.commit().await?;
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
        self.write_statement(
            sqlx::query("UPDATE refund_requests SET status = ?, error = ? WHERE id = ?")
                .bind(if ok { "sent" } else { "failed" })
                .bind(error.map(str::to_owned))
                .bind(id.to_owned()),
        )
        .await?;
        Ok(())
    }

    /// Sum of refunds asked and not refused, so two requests cannot exceed the payment.
    pub async fn refund_requested_total(&self, order_id: &str) -> Result<Cents, StoreError> {
        let n: i64 = sqlx::query("SELECT COALESCE(SUM(amount), 0) AS n FROM refund_requests WHERE order_id = ? AND status <> 'failed'")
            .bind(order_id)
            .fetch_one(self.pool())
            .await?
            .try_get("n")?;
        Cents::new(n).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// Refund requests of an order.
    pub async fn refund_requests(
        &self,
        order_id: &str,
    ) -> Result<Vec<RefundRequestRecord>, StoreError> {
        sqlx::query("SELECT * FROM refund_requests WHERE order_id = ? ORDER BY created_at")
            .bind(order_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(RefundRequestRecord {
                    id: r.try_get("id")?,
                    correlation_id: r.try_get("correlation_id")?,
                    amount: Cents::new(r.try_get("amount")?)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    status: r.try_get("status")?,
                    created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
                })
            })
            .collect()
    }
}
