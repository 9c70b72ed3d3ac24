//! Order rows: create before the Woovi call, attach the charge after it, read and list.

use super::job::{Job, Statements};
use super::order_row::{record, OrderRow};
use super::paging::{next_page, page};
use super::records::{
    ChargeInfo, NewOrder, OrderDetail, OrderRecord, PaymentRecord, RefundRecord, TimelineEntry,
};
use super::sql::{sql, SqlBuilder};
use super::timeline::timeline;
use super::tx::Tx;
use super::{corrupt, new_id, now, parse_ts, ts, unique_violation, Store, StoreError};
use crate::domain::{Cents, Email, OrderStatus, TaxId};
use futures::future::BoxFuture;
use time::OffsetDateTime;

/// Why an order could not be inserted.
#[derive(Debug, thiserror::Error)]
pub enum InsertOrderError {
    /// Another order already holds this `Idempotency-Key`.
    #[error("idempotency key already used")]
    IdempotencyKeyTaken,
    /// Storage failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Filters of `GET /api/v1/orders`.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Only this status.
    pub status: Option<OrderStatus>,
    /// Only this buyer e-mail.
    pub email: Option<Email>,
    /// Only this CPF/CNPJ.
    pub tax_id: Option<TaxId>,
    /// Only this store reference.
    pub reference: Option<String>,
    /// Created at or after.
    pub created_from: Option<OffsetDateTime>,
    /// Created before.
    pub created_to: Option<OffsetDateTime>,
    /// Page size.
    pub limit: u32,
    /// Id of the last order of the previous page.
    pub cursor: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PaymentRow {
    end_to_end_id: String,
    amount: i64,
    applied: i64,
    paid_at: String,
}

#[derive(sqlx::FromRow)]
struct RefundRow {
    refund_ref: String,
    amount: i64,
    refunded_at: String,
}

#[derive(sqlx::FromRow)]
struct TimelineRow {
    at: String,
    source: String,
    event: String,
    status_from: Option<String>,
    status_to: Option<String>,
    note: String,
}

#[derive(sqlx::FromRow)]
struct StatusCount {
    status: String,
    n: i64,
}

/// A random token for the buyer's `/pay/{token}` page.
pub(super) fn checkout_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 18];
    rand::thread_rng().fill_bytes(&mut b);
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

impl Store {
    /// Commits a new `pending` order (with its correlationID) and its first
    /// timeline row and outbox event, before any provider is called.
    /// Concurrent creations share one transaction on SQLite (see
    /// `sqlite/group_commit.rs`).
    pub async fn insert_order(&self, new: &NewOrder) -> Result<OrderRecord, InsertOrderError> {
        let id = self.run_job(InsertOrder { new: new.clone() }).await?;
        Ok(self
            .get_order(&id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("inserted order vanished".into()))?)
    }

    /// The order holding an `Idempotency-Key`, if any.
    pub async fn order_by_idempotency_key(
        &self,
        key: &str,
    ) -> Result<Option<OrderRecord>, StoreError> {
        record(
            self.read_optional(sql!("SELECT * FROM orders WHERE idempotency_key = ?", key))
                .await?,
        )
    }

    /// An order by id or by correlationID.
    pub async fn get_order(
        &self,
        id_or_correlation: &str,
    ) -> Result<Option<OrderRecord>, StoreError> {
        record(
            self.read_optional(sql!(
                "SELECT * FROM orders WHERE id = ? OR correlation_id = ? LIMIT 1",
                id_or_correlation,
                id_or_correlation
            ))
            .await?,
        )
    }

    /// An order by its checkout token (for the buyer's page).
    pub async fn order_by_checkout_token(
        &self,
        token: &str,
    ) -> Result<Option<OrderRecord>, StoreError> {
        record(
            self.read_optional(sql!("SELECT * FROM orders WHERE checkout_token = ?", token))
                .await?,
        )
    }

    /// An order with its payments, refunds and timeline.
    pub async fn order_detail(
        &self,
        id_or_correlation: &str,
    ) -> Result<Option<OrderDetail>, StoreError> {
        let Some(order) = self.get_order(id_or_correlation).await? else {
            return Ok(None);
        };
        let payments = self
            .read_all::<PaymentRow>(sql!(
                "SELECT end_to_end_id, amount, applied, paid_at FROM payments \
                 WHERE order_id = ? ORDER BY paid_at, id",
                &order.id
            ))
            .await?
            .into_iter()
            .map(|r| {
                Ok(PaymentRecord {
                    end_to_end_id: r.end_to_end_id,
                    amount: Cents::new(r.amount).map_err(corrupt)?,
                    applied: r.applied != 0,
                    paid_at: parse_ts(&r.paid_at)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let refunds = self
            .read_all::<RefundRow>(sql!(
                "SELECT refund_ref, amount, refunded_at FROM refunds \
                 WHERE order_id = ? ORDER BY refunded_at, id",
                &order.id
            ))
            .await?
            .into_iter()
            .map(|r| {
                Ok(RefundRecord {
                    refund_ref: r.refund_ref,
                    amount: Cents::new(r.amount).map_err(corrupt)?,
                    refunded_at: parse_ts(&r.refunded_at)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let timeline = self
            .read_all::<TimelineRow>(sql!(
                "SELECT at, source, event, status_from, status_to, note FROM order_timeline \
                 WHERE order_id = ? ORDER BY at, id",
                &order.id
            ))
            .await?
            .into_iter()
            .map(|r| {
                Ok(TimelineEntry {
                    at: parse_ts(&r.at)?,
                    source: r.source,
                    event: r.event,
                    status_from: r.status_from,
                    status_to: r.status_to,
                    note: r.note,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(OrderDetail {
            order,
            payments,
            refunds,
            timeline,
        }))
    }

    /// One page of orders, newest first; returns the page and the next cursor.
    pub async fn list_orders(
        &self,
        f: &OrderFilter,
    ) -> Result<(Vec<OrderRecord>, Option<String>), StoreError> {
        let mut qb = SqlBuilder::new("SELECT * FROM orders WHERE 1 = 1");
        if let Some(s) = f.status {
            qb.push(" AND status = ").bind(s.as_str());
        }
        if let Some(e) = &f.email {
            qb.push(" AND customer_email = ").bind(e.as_str());
        }
        if let Some(t) = &f.tax_id {
            qb.push(" AND customer_tax_id = ").bind(t.as_str());
        }
        if let Some(r) = &f.reference {
            qb.push(" AND reference = ").bind(r.as_str());
        }
        if let Some(t) = f.created_from {
            qb.push(" AND created_at >= ").bind(ts(t));
        }
        if let Some(t) = f.created_to {
            qb.push(" AND created_at < ").bind(ts(t));
        }
        if let Some(c) = &f.cursor {
            qb.push(" AND id < ").bind(c.as_str());
        }
        let rows = self
            .read_all::<OrderRow>(page(qb, "id DESC", f.limit, 200))
            .await?;
        let orders = rows
            .into_iter()
            .map(OrderRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(next_page(orders, f.limit, 200, |o| o.id.clone()))
    }

    /// Attaches the Woovi charge to the order (sharing the next commit on
    /// SQLite, see `sqlite/group_commit.rs`).
    pub async fn set_charge(&self, order_id: &str, charge: &ChargeInfo) -> Result<(), StoreError> {
        self.run_job(SetCharge {
            order_id: order_id.to_owned(),
            charge: charge.clone(),
        })
        .await
    }

    /// Records why the charge could not be created (the order stays pending).
    pub async fn set_charge_error(&self, order_id: &str, error: &str) -> Result<(), StoreError> {
        self.run_job(Statements(vec![
            sql!(
                "UPDATE orders SET charge_error = ?, updated_at = ? WHERE id = ?",
                error,
                ts(now()),
                order_id
            ),
            timeline(order_id, "api", "charge_failed", None, None, error),
        ]))
        .await?;
        Ok(())
    }

    /// Pending orders whose charge was created before `older_than`, oldest first.
    pub async fn pending_charged_before(
        &self,
        older_than: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OrderRecord>, StoreError> {
        self.read_all::<OrderRow>(sql!(
            "SELECT * FROM orders WHERE status = 'pending' AND br_code IS NOT NULL \
             AND charge_created_at < ? ORDER BY updated_at LIMIT ?",
            ts(older_than),
            i64::from(limit)
        ))
        .await?
        .into_iter()
        .map(OrderRecord::try_from)
        .collect()
    }

    /// Marks an order as looked at by the reconciler (so the next round starts elsewhere).
    pub async fn touch_order(&self, order_id: &str) -> Result<(), StoreError> {
        self.write(sql!(
            "UPDATE orders SET updated_at = ? WHERE id = ?",
            ts(now()),
            order_id
        ))
        .await?;
        Ok(())
    }

    /// Number of orders per status (metrics).
    pub async fn count_orders_by_status(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(self
            .read_all::<StatusCount>(sql!(
                "SELECT status, CAST(COUNT(*) AS BIGINT) AS n FROM orders GROUP BY status"
            ))
            .await?
            .into_iter()
            .map(|r| (r.status, r.n))
            .collect())
    }
}

/// Inserts a new order; its output is the order id.
#[derive(Clone)]
struct InsertOrder {
    new: NewOrder,
}

impl Job for InsertOrder {
    type Output = String;
    type Error = InsertOrderError;

    fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<String, InsertOrderError>> {
        Box::pin(async move {
            let new = &self.new;
            let id = new_id();
            let at = ts(now());
            let res = tx
                .execute(sql!(
                    "INSERT INTO orders (id, correlation_id, provider, status, flags, amount, customer_name, \
                     customer_email, customer_tax_id, customer_phone, customer_age, reference, items, metadata, \
                     idempotency_key, request_hash, checkout_token, expires_in, created_at, updated_at) \
                     VALUES (?, ?, 'woovi', 'pending', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    &id,
                    new.correlation_id.as_str(),
                    new.amount.get(),
                    new.customer.name.as_str(),
                    new.customer.email.as_ref().map(|e| e.as_str()),
                    new.customer.tax_id.as_ref().map(|t| t.as_str()),
                    new.customer.phone.as_ref().map(|p| p.as_str()),
                    new.customer.age.map(i64::from),
                    &new.reference,
                    new.items.as_ref().map(|v| v.to_string()),
                    new.metadata.as_ref().map(|v| v.to_string()),
                    &new.idempotency_key,
                    new.request_hash.as_str(),
                    checkout_token(),
                    new.expires_in,
                    &at,
                    &at
                ))
                .await;
            if let Err(StoreError::Db(e)) = &res {
                if unique_violation(e, "orders_idempotency_key_unique", "orders.idempotency_key") {
                    return Err(InsertOrderError::IdempotencyKeyTaken);
                }
            }
            res?;
            tx.queue(timeline(
                &id,
                "api",
                "created",
                None,
                Some(OrderStatus::Pending),
                "order created",
            ))
            .await?;
            super::outbox::order_event(tx, &id, "order.created").await?;
            Ok(id)
        })
    }
}

/// Attaches a charge to an order.
#[derive(Clone)]
struct SetCharge {
    order_id: String,
    charge: ChargeInfo,
}

impl Job for SetCharge {
    type Output = ();
    type Error = StoreError;

    fn run<'a>(self, tx: &'a mut Tx<'_>) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let (order_id, charge) = (&self.order_id, &self.charge);
            tx.queue(sql!(
                "UPDATE orders SET provider_ref = COALESCE(?, provider_ref), br_code = ?, qr_code_url = ?, \
                 payment_link = ?, charge_expires_at = ?, charge_created_at = COALESCE(charge_created_at, ?), \
                 charge_error = NULL, updated_at = ? WHERE id = ?",
                &charge.provider_ref,
                charge.br_code.as_str(),
                &charge.qr_code_url,
                &charge.payment_link,
                charge.expires_at.map(ts),
                ts(now()),
                ts(now()),
                order_id.as_str()
            ))
            .await?;
            tx.queue(timeline(
                order_id,
                "api",
                "charge_created",
                None,
                None,
                "Pix charge created",
            ))
            .await?;
            Ok(())
        })
    }
}
