//! Orders that start on a checkout platform (Wiapy, Eduzz): created on the
//! first event about a sale, keyed by (platform, transaction id) through the
//! correlationID `{platform}:{id}`, with the sale's details kept current.

use super::{new_id, now, ts, StoreError};
use crate::domain::{EventKind, OrderStatus, PaymentEvent, PersonName, Sale};
use serde_json::json;
use sqlx::{Row, Sqlite, Transaction};

type Tx<'a> = Transaction<'a, Sqlite>;

/// Whether an event about an unknown sale creates its order. Notices,
/// unknown words and carts never do.
fn creates_order(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Pending
            | EventKind::Paid { .. }
            | EventKind::Declined
            | EventKind::Expired
            | EventKind::Cancelled
            | EventKind::RefundRequested
            | EventKind::Refunded { .. }
            | EventKind::Chargeback
    )
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Makes sure the sale's order exists (when the event may create it) and
/// records what the platform now says about the sale. Runs before the order
/// lookup, in the event's transaction.
pub(crate) async fn upsert(
    tx: &mut Tx<'_>,
    ev: &PaymentEvent,
    sale: &Sale,
) -> Result<(), StoreError> {
    let key = sale.order_key().map_err(corrupt)?;
    let existing: Option<String> = sqlx::query("SELECT id FROM orders WHERE correlation_id = ?")
        .bind(key.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
    let order_id = match existing {
        Some(id) => id,
        None if creates_order(&ev.kind) => create(tx, ev, sale, key.as_str()).await?,
        None => return Ok(()),
    };
    let products = (!sale.products.is_empty())
        .then(|| serde_json::to_string(&sale.products))
        .transpose()
        .map_err(corrupt)?;
    let payment_method = sale
        .payment_method
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(corrupt)?;
    sqlx::query(
        "INSERT INTO platform_sales (order_id, platform, transaction_id, stated_status, raw_status, \
         payment_method, buyer_document, student_email, products, subscription, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, COALESCE(?9, '[]'), ?10, ?11) \
         ON CONFLICT (order_id) DO UPDATE SET \
           stated_status = COALESCE(excluded.stated_status, stated_status), \
           raw_status = excluded.raw_status, \
           payment_method = COALESCE(excluded.payment_method, payment_method), \
           buyer_document = COALESCE(excluded.buyer_document, buyer_document), \
           student_email = COALESCE(excluded.student_email, student_email), \
           products = COALESCE(?9, products), \
           subscription = COALESCE(excluded.subscription, subscription), \
           updated_at = excluded.updated_at",
    )
    .bind(&order_id)
    .bind(sale.platform)
    .bind(&sale.transaction_id)
    .bind(sale.stated.map(|s| s.as_str()))
    .bind(ev.raw_status.as_deref())
    .bind(payment_method)
    .bind(sale.buyer.document.as_ref().map(|d| d.as_str().to_owned()))
    .bind(sale.student_email.as_ref().map(|e| e.as_str().to_owned()))
    .bind(products)
    .bind(sale.subscription.as_ref().map(|s| s.to_string()))
    .bind(ts(now()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn create(
    tx: &mut Tx<'_>,
    ev: &PaymentEvent,
    sale: &Sale,
    key: &str,
) -> Result<String, StoreError> {
    let id = new_id();
    let at = ts(now());
    let b = &sale.buyer;
    let name = match (&b.name, &b.email) {
        (Some(n), _) => n.clone(),
        (None, Some(e)) => PersonName::parse(e.as_str()).map_err(corrupt)?,
        (None, None) => PersonName::parse("Comprador").map_err(corrupt)?,
    };
    let items: Vec<_> = sale
        .products
        .iter()
        .map(|p| {
            json!({
                "product_id": p.id,
                "name": p.name,
                "quantity": 1,
                "unit_amount": p.amount.map(|a| a.get()),
            })
        })
        .collect();
    sqlx::query(
        "INSERT INTO orders (id, correlation_id, provider, provider_ref, status, flags, amount, \
         customer_name, customer_email, customer_tax_id, customer_phone, items, metadata, \
         checkout_token, expires_in, created_at, updated_at) \
         VALUES (?, ?, ?, ?, 'pending', '', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
    )
    .bind(&id)
    .bind(key)
    .bind(sale.platform)
    .bind(&sale.transaction_id)
    .bind(sale.amount.get())
    .bind(name.as_str())
    .bind(b.email.as_ref().map(|e| e.as_str().to_owned()))
    .bind(
        b.document
            .as_ref()
            .and_then(|d| d.tax_id())
            .map(|t| t.as_str().to_owned()),
    )
    .bind(b.phone.as_ref().map(|p| p.as_str().to_owned()))
    .bind(serde_json::Value::Array(items).to_string())
    .bind(json!({ "platform": sale.platform, "transaction_id": sale.transaction_id }).to_string())
    .bind(super::orders::checkout_token())
    .bind(&at)
    .bind(&at)
    .execute(&mut **tx)
    .await?;
    super::ingest::timeline(
        tx,
        &id,
        "webhook",
        "created",
        None,
        Some(OrderStatus::Pending),
        &format!(
            "order created from {} sale {} [{}]",
            ev.provider,
            sale.transaction_id,
            ev.raw_status.as_deref().unwrap_or(&ev.event_type)
        ),
    )
    .await?;
    super::outbox::order_event(tx, &id, "order.created").await?;
    Ok(id)
}
