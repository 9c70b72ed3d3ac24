//! Webhook payloads, shaped like Woovi's examples
//! (`providers/woovi/webhook-examples/`).

use crate::clock::iso;
use crate::model::{RefundRec, TransactionRec};
use serde_json::{json, Value};
use time::OffsetDateTime;

/// Event names the sandbox fires.
pub(crate) mod name {
    /// A charge was created.
    pub(crate) const CHARGE_CREATED: &str = "OPENPIX:CHARGE_CREATED";
    /// A charge was paid in full.
    pub(crate) const CHARGE_COMPLETED: &str = "OPENPIX:CHARGE_COMPLETED";
    /// A charge expired unpaid.
    pub(crate) const CHARGE_EXPIRED: &str = "OPENPIX:CHARGE_EXPIRED";
    /// A Pix came in.
    pub(crate) const TRANSACTION_RECEIVED: &str = "OPENPIX:TRANSACTION_RECEIVED";
    /// A refund of a received Pix went out.
    pub(crate) const TRANSACTION_REFUND_RECEIVED: &str = "OPENPIX:TRANSACTION_REFUND_RECEIVED";
    /// A refund the account sent was settled.
    pub(crate) const REFUND_SENT_CONFIRMED: &str = "PIX_TRANSACTION_REFUND_SENT_CONFIRMED";
    /// Registration probe.
    pub(crate) const TEST: &str = "teste_webhook";
}

/// The sandbox company, as it appears in every payload.
pub(crate) fn company() -> Value {
    json!({ "id": "5f1e3c1a5a3b4e9f9d1e7c1d", "name": crate::pix::MERCHANT_NAME, "taxID": "00000000000191" })
}

fn account() -> Value {
    json!({ "environment": "SANDBOX" })
}

/// `OPENPIX:CHARGE_CREATED` / `OPENPIX:CHARGE_EXPIRED`.
pub(crate) fn charge_only(event: &str, charge: Value) -> Value {
    json!({ "event": event, "charge": charge, "pix": null, "company": company(), "account": account() })
}

/// `OPENPIX:CHARGE_COMPLETED` / `OPENPIX:TRANSACTION_RECEIVED`.
pub(crate) fn payment(event: &str, charge: Value, tx: &TransactionRec) -> Value {
    json!({
        "event": event,
        "charge": charge.clone(),
        "pixQrCode": null,
        "pix": tx.render(Some(charge)),
        "company": company(),
        "account": account(),
        "refunds": [],
    })
}

fn refund_pix(refund: &RefundRec, tx: &TransactionRec) -> Value {
    json!({
        "value": refund.value,
        "time": iso(refund.time),
        "endToEndId": refund.end_to_end_id,
        "status": "CONFIRMED",
        "type": "REFUND",
        "createdAt": iso(refund.time),
        "partial": refund.value < tx.value,
        "globalID": refund.global_id,
        "correlationID": refund.correlation_id,
    })
}

/// `OPENPIX:TRANSACTION_REFUND_RECEIVED` (example `refund-payload.json`).
pub(crate) fn refund_received(
    refund: &RefundRec,
    tx: &TransactionRec,
    charge: Option<Value>,
) -> Value {
    let mut pix = refund_pix(refund, tx);
    if let Some(c) = &charge {
        pix["charge"] = c.clone();
    }
    json!({
        "event": name::TRANSACTION_REFUND_RECEIVED,
        "charge": charge,
        "pixQrCode": null,
        "pix": pix,
        "originalTransaction": tx.render(None),
        "company": company(),
        "account": account(),
        "refunds": [refund.render_charge_refund()],
    })
}

/// `PIX_TRANSACTION_REFUND_SENT_CONFIRMED` (example `refund-sent-confirmed.json`).
pub(crate) fn refund_sent_confirmed(refund: &RefundRec, tx: &TransactionRec) -> Value {
    json!({
        "event": name::REFUND_SENT_CONFIRMED,
        "refundTransaction": refund_pix(refund, tx),
        "originalTransaction": tx.render(None),
        "company": company(),
        "account": account(),
    })
}

/// The probe sent when a webhook is registered.
pub(crate) fn test_webhook(now: OffsetDateTime) -> Value {
    json!({ "data_criacao": iso(now), "evento": name::TEST })
}
