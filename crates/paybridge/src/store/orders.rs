//! Order rows: create before the Woovi call, attach the charge after it, read and list.

use super::group_commit::{Job, Tx};
use super::records::{
    ChargeInfo, NewOrder, OrderDetail, OrderRecord, PaymentRecord, RefundRecord, TimelineEntry,
};
use super::{new_id, now, parse_ts, ts, Store, StoreError};
use crate::domain::{
    customer::parse_age, Cents, Customer, Email, Flags, OrderStatus, PersonName, Phone, TaxId,
};
use futures::future::BoxFuture;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
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

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn opt_ts(row: &SqliteRow, col: &str) -> Result<Option<OffsetDateTime>, StoreError> {
    row.try_get::<Option<String>, _>(col)?
        .map(|s| parse_ts(&s))
        .transpose()
}

fn opt_json(row: &SqliteRow, col: &str) -> Result<Option<serde_json::Value>, StoreError> {
    row.try_get::<Option<String>, _>(col)?
        .map(|s| serde_json::from_str(&s).map_err(corrupt))
        .transpose()
}

pub(super) fn order_from_row(row: &SqliteRow) -> Result<OrderRecord, StoreError> {
    let customer = Customer {
        name: PersonName::parse(&row.try_get::<String, _>("customer_name")?).map_err(corrupt)?,
        email: row
            .try_get::<Option<String>, _>("customer_email")?
            .map(|s| Email::parse(&s).map_err(corrupt))
            .transpose()?,
        tax_id: row
            .try_get::<Option<String>, _>("customer_tax_id")?
            .map(|s| TaxId::parse(&s).map_err(corrupt))
            .transpose()?,
        phone: row
            .try_get::<Option<String>, _>("customer_phone")?
            .map(|s| Phone::parse(&s).map_err(corrupt))
            .transpose()?,
        age: row
            .try_get::<Option<i64>, _>("customer_age")?
            .map(|a| parse_age(a).map_err(corrupt))
            .transpose()?,
    };
    let br_code: Option<String> = row.try_get("br_code")?;
    let charge = match br_code {
        Some(br_code) => Some(ChargeInfo {
            provider_ref: row.try_get("provider_ref")?,
            br_code,
            qr_code_url: row.try_get("qr_code_url")?,
            payment_link: row.try_get("payment_link")?,
            expires_at: opt_ts(row, "charge_expires_at")?,
        }),
        None => None,
    };
    Ok(OrderRecord {
        id: row.try_get("id")?,
        correlation_id: row.try_get("correlation_id")?,
        provider: row.try_get("provider")?,
        status: row
            .try_get::<String, _>("status")?
            .parse()
            .map_err(corrupt)?,
        flags: Flags::from_stored(&row.try_get::<String, _>("flags")?),
        amount: Cents::new(row.try_get("amount")?).map_err(corrupt)?,
        paid_total: Cents::new(row.try_get("paid_total")?).map_err(corrupt)?,
        refunded_total: Cents::new(row.try_get("refunded_total")?).map_err(corrupt)?,
        customer,
        reference: row.try_get("reference")?,
        items: opt_json(row, "items")?,
        metadata: opt_json(row, "metadata")?,
        idempotency_key: row.try_get("idempotency_key")?,
        request_hash: row.try_get("request_hash")?,
        checkout_token: row.try_get("checkout_token")?,
        expires_in: row.try_get("expires_in")?,
        charge,
        charge_created_at: opt_ts(row, "charge_created_at")?,
        charge_error: row.try_get("charge_error")?,
        created_at: parse_ts(&row.try_get::<String, _>("created_at")?)?,
        updated_at: parse_ts(&row.try_get::<String, _>("updated_at")?)?,
    })
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
    /// Concurrent creations share one transaction (see `group_commit.rs`).
    pub async fn insert_order(&self, new: &NewOrder) -> Result<OrderRecord, InsertOrderError> {
        let id = self
            .group_commit()
            .run(InsertOrder { new: new.clone() })
            .await?;
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
        let row = sqlx::query("SELECT * FROM orders WHERE idempotency_key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(order_from_row).transpose()
    }

    /// An order by id or by correlationID.
    pub async fn get_order(
        &self,
        id_or_correlation: &str,
    ) -> Result<Option<OrderRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM orders WHERE id = ? OR correlation_id = ? LIMIT 1")
            .bind(id_or_correlation)
            .bind(id_or_correlation)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(order_from_row).transpose()
    }

    /// An order by its checkout token (for the buyer's page).
    pub async fn order_by_checkout_token(
        &self,
        token: &str,
    ) -> Result<Option<OrderRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM orders WHERE checkout_token = ?")
            .bind(token)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(order_from_row).transpose()
    }

    /// An order with its payments, refunds and timeline.
    pub async fn order_detail(
        &self,
        id_or_correlation: &str,
    ) -> Result<Option<OrderDetail>, StoreError> {
        let Some(order) = self.get_order(id_or_correlation).await? else {
            return Ok(None);
        };
        let payments =
            sqlx::query("SELECT * FROM payments WHERE order_id = ? ORDER BY paid_at, id")
                .bind(&order.id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(PaymentRecord {
                        end_to_end_id: r.try_get("end_to_end_id")?,
                        amount: Cents::new(r.try_get("amount")?).map_err(corrupt)?,
                        applied: r.try_get::<i64, _>("applied")? != 0,
                        paid_at: parse_ts(&r.try_get::<String, _>("paid_at")?)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
        let refunds =
            sqlx::query("SELECT * FROM refunds WHERE order_id = ? ORDER BY refunded_at, id")
                .bind(&order.id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(RefundRecord {
                        refund_ref: r.try_get("refund_ref")?,
                        amount: Cents::new(r.try_get("amount")?).map_err(corrupt)?,
                        refunded_at: parse_ts(&r.try_get::<String, _>("refunded_at")?)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
        let timeline =
            sqlx::query("SELECT * FROM order_timeline WHERE order_id = ? ORDER BY at, id")
                .bind(&order.id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(TimelineEntry {
                        at: parse_ts(&r.try_get::<String, _>("at")?)?,
                        source: r.try_get("source")?,
                        event: r.try_get("event")?,
                        status_from: r.try_get("status_from")?,
                        status_to: r.try_get("status_to")?,
                        note: r.try_get("note")?,
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
        let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new("SELECT * FROM orders WHERE 1 = 1");
        if let Some(s) = f.status {
            qb.push(" AND status = ").push_bind(s.as_str());
        }
        if let Some(e) = &f.email {
            qb.push(" AND customer_email = ")
                .push_bind(e.as_str().to_owned());
        }
        if let Some(t) = &f.tax_id {
            qb.push(" AND customer_tax_id = ")
                .push_bind(t.as_str().to_owned());
        }
        if let Some(r) = &f.reference {
            qb.push(" AND reference = ").push_bind(r.clone());
        }
        if let Some(t) = f.created_from {
            qb.push(" AND created_at >= ").push_bind(ts(t));
        }
        if let Some(t) = f.created_to {
            qb.push(" AND created_at < ").push_bind(ts(t));
        }
        if let Some(c) = &f.cursor {
            qb.push(" AND id < ").push_bind(c.clone());
        }
        let limit = f.limit.clamp(1, 200);
        qb.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let rows = qb.build().fetch_all(&self.pool).await?;
        let mut orders = rows
            .iter()
            .map(order_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let next = if orders.len() > limit as usize {
            orders.truncate(limit as usize);
            orders.last().map(|o| o.id.clone())
        } else {
            None
        };
        Ok((orders, next))
    }

    /// Attaches the Woovi charge to the order (in a shared transaction, see
    /// `group_commit.rs`).
    pub async fn set_charge(&self, order_id: &str, charge: &ChargeInfo) -> Result<(), StoreError> {
        self.group_commit()
            .run(SetCharge {
                order_id: order_id.to_owned(),
                charge: charge.clone(),
            })
            .await
    }

    /// Records why the charge could not be created (the order stays pending).
    pub async fn set_charge_error(&self, order_id: &str, error: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE orders SET charge_error = ?, updated_at = ? WHERE id = ?")
            .bind(error)
            .bind(ts(now()))
            .bind(order_id)
            .execute(&mut **tx)
            .await?;
        super::ingest::timeline(&mut tx, order_id, "api", "charge_failed", None, None, error)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Pending orders whose charge was created before `older_than`, oldest first.
    pub async fn pending_charged_before(
        &self,
        older_than: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OrderRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM orders WHERE status = 'pending' AND br_code IS NOT NULL \
             AND charge_created_at < ? ORDER BY updated_at LIMIT ?",
        )
        .bind(ts(older_than))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(order_from_row).collect()
    }

    /// Marks an order as looked at by the reconciler (so the next round starts elsewhere).
    pub async fn touch_order(&self, order_id: &str) -> Result<(), StoreError> {
        self.write_statement(
            sqlx::query("UPDATE orders SET updated_at = ? WHERE id = ?")
                .bind(ts(now()))
                .bind(order_id.to_owned()),
        )
        .await?;
        Ok(())
    }

    /// Number of orders per status (metrics).
    pub async fn count_orders_by_status(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM orders GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
            .collect()
    }
}

/// Inserts a new order; its output is the order id.
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
            let res = sqlx::query(
                "INSERT INTO orders (id, correlation_id, provider, status, flags, amount, customer_name, \
                 customer_email, customer_tax_id, customer_phone, customer_age, reference, items, metadata, \
                 idempotency_key, request_hash, checkout_token, expires_in, created_at, updated_at) \
                 VALUES (?, ?, 'woovi', 'pending', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&id)
            .bind(new.correlation_id.as_str())
            .bind(new.amount.get())
            .bind(new.customer.name.as_str())
            .bind(new.customer.email.as_ref().map(|e| e.as_str().to_owned()))
            .bind(new.customer.tax_id.as_ref().map(|t| t.as_str().to_owned()))
            .bind(new.customer.phone.as_ref().map(|p| p.as_str().to_owned()))
            .bind(new.customer.age.map(i64::from))
            .bind(&new.reference)
            .bind(new.items.as_ref().map(|v| v.to_string()))
            .bind(new.metadata.as_ref().map(|v| v.to_string()))
            .bind(&new.idempotency_key)
            .bind(&new.request_hash)
            .bind(checkout_token())
            .bind(new.expires_in)
            .bind(&at)
            .bind(&at)
            .execute(&mut **tx)
            .await;
            if let Err(sqlx::Error::Database(db)) = &res {
                if db.is_unique_violation() && db.message().contains("idempotency_key") {
                    return Err(InsertOrderError::IdempotencyKeyTaken);
                }
            }
            res.map_err(StoreError::from)?;
            super::ingest::timeline(
                tx,
                &id,
                "api",
                "created",
                None,
                Some(OrderStatus::Pending),
                "order created",
            )
            .await?;
            super::outbox::order_event(tx, &id, "order.created").await?;
            Ok(id)
        })
    }
}

/// Attaches a charge to an order.
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
            sqlx::query(
                "UPDATE orders SET provider_ref = COALESCE(?, provider_ref), br_code = ?, qr_code_url = ?, \
                 payment_link = ?, charge_expires_at = ?, charge_created_at = COALESCE(charge_created_at, ?), \
                 charge_error = NULL, updated_at = ? WHERE id = ?",
            )
            .bind(&charge.provider_ref)
            .bind(&charge.br_code)
            .bind(&charge.qr_code_url)
            .bind(&charge.payment_link)
            .bind(charge.expires_at.map(ts))
            .bind(ts(now()))
            .bind(ts(now()))
            .bind(order_id)
            .execute(&mut **tx)
            .await?;
            super::ingest::timeline(
                tx,
                order_id,
                "api",
                "charge_created",
                None,
                None,
                "Pix charge created",
            )
            .await?;
            Ok(())
        })
    }
}
