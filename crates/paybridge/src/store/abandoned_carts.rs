//! Abandoned carts: one row per (provider, cart id), refreshed when the
//! platform reports the same cart again, and a `cart.abandoned` event in the
//! outbox (an event about no order: its `order_id` is NULL).

use super::ingest::IngestOutcome;
use super::{new_id, now, parse_ts, ts, Store, StoreError};
use crate::domain::AbandonedCart;
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use time::OffsetDateTime;

type Tx<'a> = Transaction<'a, Sqlite>;

/// An abandoned cart as the API answers it and `cart.abandoned` carries it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CartRecord {
    /// Row id.
    pub id: String,
    /// Platform (`eduzz`).
    pub provider: String,
    /// The platform's cart/lead id.
    pub cart_id: String,
    /// Buyer's name.
    pub customer_name: Option<String>,
    /// Buyer's e-mail.
    pub customer_email: Option<String>,
    /// Buyer's phone (E.164).
    pub customer_phone: Option<String>,
    /// Product left in the cart.
    pub product_id: Option<String>,
    /// Its name.
    pub product_name: Option<String>,
    /// Where the buyer can resume.
    pub checkout_url: Option<String>,
    /// The platform's invoice for the attempt.
    pub invoice_id: Option<String>,
    /// When the buyer opened the checkout (or when we heard of it).
    #[serde(with = "time::serde::rfc3339")]
    pub abandoned_at: OffsetDateTime,
    /// When the platform told us.
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

fn from_row(r: &SqliteRow) -> Result<CartRecord, StoreError> {
    Ok(CartRecord {
        id: r.try_get("id")?,
        provider: r.try_get("provider")?,
        cart_id: r.try_get("cart_id")?,
        customer_name: r.try_get("customer_name")?,
        customer_email: r.try_get("customer_email")?,
        customer_phone: r.try_get("customer_phone")?,
        product_id: r.try_get("product_id")?,
        product_name: r.try_get("product_name")?,
        checkout_url: r.try_get("checkout_url")?,
        invoice_id: r.try_get("invoice_id")?,
        abandoned_at: parse_ts(&r.try_get::<String, _>("abandoned_at")?)?,
        received_at: parse_ts(&r.try_get::<String, _>("received_at")?)?,
    })
}

/// Records (or refreshes) a cart and queues `cart.abandoned`.
pub(crate) async fn record(
    tx: &mut Tx<'_>,
    provider: &str,
    cart: &AbandonedCart,
) -> Result<IngestOutcome, StoreError> {
    let received = now();
    let row = sqlx::query(
        "INSERT INTO abandoned_carts (id, provider, cart_id, customer_name, customer_email, \
         customer_phone, product_id, product_name, checkout_url, invoice_id, abandoned_at, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (provider, cart_id) DO UPDATE SET \
           customer_name = COALESCE(excluded.customer_name, customer_name), \
           customer_email = COALESCE(excluded.customer_email, customer_email), \
           customer_phone = COALESCE(excluded.customer_phone, customer_phone), \
           product_id = COALESCE(excluded.product_id, product_id), \
           product_name = COALESCE(excluded.product_name, product_name), \
           checkout_url = COALESCE(excluded.checkout_url, checkout_url), \
           invoice_id = COALESCE(excluded.invoice_id, invoice_id), \
           abandoned_at = MAX(abandoned_at, excluded.abandoned_at), \
           received_at = excluded.received_at \
         RETURNING *",
    )
    .bind(new_id())
    .bind(provider)
    .bind(&cart.cart_id)
    .bind(cart.customer_name.as_ref().map(|n| n.as_str().to_owned()))
    .bind(cart.customer_email.as_ref().map(|e| e.as_str().to_owned()))
    .bind(cart.customer_phone.as_ref().map(|p| p.as_str().to_owned()))
    .bind(&cart.product_id)
    .bind(&cart.product_name)
    .bind(&cart.checkout_url)
    .bind(&cart.invoice_id)
    .bind(ts(cart.accessed_at.unwrap_or(received)))
    .bind(ts(received))
    .fetch_one(&mut **tx)
    .await?;
    let record = from_row(&row)?;
    let payload = serde_json::to_value(&record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    super::outbox::orderless_event(tx, "cart.abandoned", payload).await?;
    Ok(IngestOutcome::Recorded)
}

impl Store {
    /// Carts abandoned in `[from, to)`, newest first (at most `limit`).
    pub async fn list_abandoned_carts(
        &self,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
        limit: u32,
    ) -> Result<Vec<CartRecord>, StoreError> {
        let mut qb = sqlx::QueryBuilder::<Sqlite>::new("SELECT * FROM abandoned_carts WHERE 1 = 1");
        if let Some(t) = from {
            qb.push(" AND abandoned_at >= ").push_bind(ts(t));
        }
        if let Some(t) = to {
            qb.push(" AND abandoned_at < ").push_bind(ts(t));
        }
        qb.push(" ORDER BY abandoned_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(limit.clamp(1, 500)));
        qb.build()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }
}
