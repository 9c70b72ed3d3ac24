//! Orders that start on a checkout platform (Wiapy, Eduzz): created on the
//! first event about a sale, keyed by (platform, transaction id) through the
//! correlationID `{platform}:{id}`, with the sale's details kept current.

use super::sql::sql;
use super::timeline::timeline;
use super::tx::Tx;
use super::{corrupt, new_id, now, ts, StoreError};
use crate::domain::{EventKind, OrderStatus, PaymentEvent, PersonName, Sale};
use serde_json::json;

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

/// Makes sure the sale's order exists (when the event may create it) and
/// records what the platform now says about the sale. Runs before the order
/// lookup, in the event's transaction.
pub(crate) async fn upsert(
    tx: &mut Tx<'_>,
    ev: &PaymentEvent,
    sale: &Sale,
) -> Result<(), StoreError> {
    let key = sale.order_key().map_err(corrupt)?;
    let existing = tx
        .fetch_optional::<(String,)>(sql!(
            "SELECT id FROM orders WHERE correlation_id = ?",
            key.as_str()
        ))
        .await?;
    let order_id = match existing {
        Some((id,)) => id,
        None if creates_order(&ev.kind) => match create(tx, ev, sale, key.as_str()).await? {
            Some(id) => id,
            // Another node created it a moment ago: use theirs.
            None => {
                tx.fetch_one::<(String,)>(sql!(
                    "SELECT id FROM orders WHERE correlation_id = ?",
                    key.as_str()
                ))
                .await?
                .0
            }
        },
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
    tx.queue(sql!(
        "INSERT INTO platform_sales AS s (order_id, platform, transaction_id, stated_status, raw_status, \
         payment_method, buyer_document, student_email, products, subscription, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, '[]'), ?, ?) \
         ON CONFLICT (order_id) DO UPDATE SET \
           stated_status = COALESCE(excluded.stated_status, s.stated_status), \
           raw_status = excluded.raw_status, \
           payment_method = COALESCE(excluded.payment_method, s.payment_method), \
           buyer_document = COALESCE(excluded.buyer_document, s.buyer_document), \
           student_email = COALESCE(excluded.student_email, s.student_email), \
           products = COALESCE(?, s.products), \
           subscription = COALESCE(excluded.subscription, s.subscription), \
           updated_at = excluded.updated_at",
        order_id.as_str(),
        sale.platform,
        sale.transaction_id.as_str(),
        sale.stated.map(|s| s.as_str()),
        ev.raw_status.as_deref(),
        payment_method,
        sale.buyer.document.as_ref().map(|d| d.as_str()),
        sale.student_email.as_ref().map(|e| e.as_str()),
        products.clone(),
        sale.subscription.as_ref().map(|s| s.to_string()),
        ts(now()),
        products
    ))
    .await?;
    Ok(())
}

/// Creates the sale's order (with its first timeline row and
/// `order.created`); `None` when another transaction created it first.
async fn create(
    tx: &mut Tx<'_>,
    ev: &PaymentEvent,
    sale: &Sale,
    key: &str,
) -> Result<Option<String>, StoreError> {
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
    let inserted = tx
        .fetch_optional::<(String,)>(sql!(
            "INSERT INTO orders (id, correlation_id, provider, provider_ref, status, flags, amount, \
             customer_name, customer_email, customer_tax_id, customer_phone, items, metadata, \
             checkout_token, expires_in, created_at, updated_at) \
             VALUES (?, ?, ?, ?, 'pending', '', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) \
             ON CONFLICT (correlation_id) DO NOTHING RETURNING id",
            &id,
            key,
            sale.platform,
            sale.transaction_id.as_str(),
            sale.amount.get(),
            name.as_str(),
            b.email.as_ref().map(|e| e.as_str()),
            b.document
                .as_ref()
                .and_then(|d| d.tax_id())
                .map(|t| t.as_str().to_owned()),
            b.phone.as_ref().map(|p| p.as_str()),
            serde_json::Value::Array(items).to_string(),
            json!({ "platform": sale.platform, "transaction_id": sale.transaction_id }).to_string(),
            super::orders::checkout_token(),
            &at,
            &at
        ))
        .await?;
    if inserted.is_none() {
        return Ok(None);
    }
    tx.queue(timeline(
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
    ))
    .await?;
    super::outbox::order_event(tx, &id, "order.created").await?;
    Ok(Some(id))
}
