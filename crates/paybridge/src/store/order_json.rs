//! The JSON shape of an order (snake_case, integer cents), shared by API
//! answers and outbound events, which capture it inside the transaction of
//! the change they announce.

use super::OrderRecord;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

/// Settings key of the public base URL (written at start), so the store can
/// build checkout links inside a transaction.
pub const PUBLIC_URL_SETTING: &str = "public_url";

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// The buyer's checkout link of an order.
pub fn checkout_url(public_base: &str, token: &str) -> String {
    format!("{}/pay/{token}", public_base.trim_end_matches('/'))
}

/// An order as answered by create, get and list, and as sent in `order.*` events.
pub fn order_json(public_base: &str, o: &OrderRecord) -> Value {
    let c = &o.customer;
    json!({
        "id": o.id,
        "correlation_id": o.correlation_id,
        "reference": o.reference,
        "status": o.status.as_str(),
        "flags": o.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "amount": o.amount.get(),
        "paid_total": o.paid_total.get(),
        "refunded_total": o.refunded_total.get(),
        "customer": {
            "name": c.name.as_str(),
            "email": c.email.as_ref().map(|e| e.as_str()),
            "tax_id": c.tax_id.as_ref().map(|t| t.as_str()),
            "phone": c.phone.as_ref().map(|p| p.as_str()),
            "age": c.age,
        },
        "items": o.items,
        "metadata": o.metadata,
        "checkout_url": checkout_url(public_base, &o.checkout_token),
        "pix": o.charge.as_ref().map(|ch| json!({
            "br_code": ch.br_code,
            "qr_code_url": ch.qr_code_url,
            "payment_link": ch.payment_link,
            "expires_at": ch.expires_at.map(rfc3339),
        })),
        "charge_error": o.charge_error,
        "created_at": rfc3339(o.created_at),
        "updated_at": rfc3339(o.updated_at),
    })
}
