//! Abandoned carts: one row per (provider, cart id), refreshed when the
//! platform reports the same cart again, and a `cart.abandoned` event in the
//! outbox (an event about no order: its `order_id` is NULL).

use super::ingestion::IngestOutcome;
use super::sql::{sql, SqlBuilder};
use super::tx::Tx;
use super::{corrupt, new_id, now, parse_ts, ts, Store, StoreError};
use crate::domain::AbandonedCart;
use serde::Serialize;
use time::OffsetDateTime;

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

#[derive(sqlx::FromRow)]
struct CartRow {
    id: String,
    provider: String,
    cart_id: String,
    customer_name: Option<String>,
    customer_email: Option<String>,
    customer_phone: Option<String>,
    product_id: Option<String>,
    product_name: Option<String>,
    checkout_url: Option<String>,
    invoice_id: Option<String>,
    abandoned_at: String,
    received_at: String,
}

impl TryFrom<CartRow> for CartRecord {
    type Error = StoreError;

    fn try_from(r: CartRow) -> Result<CartRecord, StoreError> {
        Ok(CartRecord {
            id: r.id,
            provider: r.provider,
            cart_id: r.cart_id,
            customer_name: r.customer_name,
            customer_email: r.customer_email,
            customer_phone: r.customer_phone,
            product_id: r.product_id,
            product_name: r.product_name,
            checkout_url: r.checkout_url,
            invoice_id: r.invoice_id,
            abandoned_at: parse_ts(&r.abandoned_at)?,
            received_at: parse_ts(&r.received_at)?,
        })
    }
}

/// Records (or refreshes) a cart and queues `cart.abandoned`.
pub(crate) async fn record(
    tx: &mut Tx<'_>,
    provider: &str,
    cart: &AbandonedCart,
) -> Result<IngestOutcome, StoreError> {
    let received = now();
    let row = tx
        .fetch_one::<CartRow>(sql!(
            sqlite: "INSERT INTO abandoned_carts (id, provider, cart_id, customer_name, customer_email, \
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
            postgres: "INSERT INTO abandoned_carts AS c (id, provider, cart_id, customer_name, customer_email, \
             customer_phone, product_id, product_name, checkout_url, invoice_id, abandoned_at, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (provider, cart_id) DO UPDATE SET \
               customer_name = COALESCE(excluded.customer_name, c.customer_name), \
               customer_email = COALESCE(excluded.customer_email, c.customer_email), \
               customer_phone = COALESCE(excluded.customer_phone, c.customer_phone), \
               product_id = COALESCE(excluded.product_id, c.product_id), \
               product_name = COALESCE(excluded.product_name, c.product_name), \
               checkout_url = COALESCE(excluded.checkout_url, c.checkout_url), \
               invoice_id = COALESCE(excluded.invoice_id, c.invoice_id), \
               abandoned_at = GREATEST(c.abandoned_at, excluded.abandoned_at), \
               received_at = excluded.received_at \
             RETURNING *";
            new_id(),
            provider,
            cart.cart_id.as_str(),
            cart.customer_name.as_ref().map(|n| n.as_str()),
            cart.customer_email.as_ref().map(|e| e.as_str()),
            cart.customer_phone.as_ref().map(|p| p.as_str()),
            &cart.product_id,
            &cart.product_name,
            &cart.checkout_url,
            &cart.invoice_id,
            ts(cart.accessed_at.unwrap_or(received)),
            ts(received)
        ))
        .await?;
    let record = CartRecord::try_from(row)?;
    let payload = serde_json::to_value(&record).map_err(corrupt)?;
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
        let mut qb = SqlBuilder::new("SELECT * FROM abandoned_carts WHERE 1 = 1");
        if let Some(t) = from {
            qb.push(" AND abandoned_at >= ").bind(ts(t));
        }
        if let Some(t) = to {
            qb.push(" AND abandoned_at < ").bind(ts(t));
        }
        qb.push(" ORDER BY abandoned_at DESC, id DESC LIMIT ")
            .bind(i64::from(limit.clamp(1, 500)));
        self.read_all::<CartRow>(qb.build())
            .await?
            .into_iter()
            .map(CartRecord::try_from)
            .collect()
    }
}
