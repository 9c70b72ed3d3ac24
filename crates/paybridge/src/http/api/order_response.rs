//! The JSON shape of an order in API answers (snake_case, integer cents).

use crate::http::AppState;
use crate::store::{OrderDetail, OrderRecord};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// An order as answered by create, get and list.
pub fn order_json(state: &AppState, o: &OrderRecord) -> Value {
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
        "checkout_url": state.checkout_url(&o.checkout_token),
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

/// An order with payments, refunds and timeline.
pub fn detail_json(state: &AppState, d: &OrderDetail) -> Value {
    let mut v = order_json(state, &d.order);
    v["payments"] = json!(d.payments);
    v["refunds"] = json!(d.refunds);
    v["timeline"] = json!(d.timeline);
    v
}
