//! Rows as typed values.

use crate::domain::{Cents, CorrelationId, Customer, Flags, OrderStatus};
use serde::Serialize;
use time::OffsetDateTime;

/// What the API hands the store to create an order.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// Our correlationID for the Woovi charge.
    pub correlation_id: CorrelationId,
    /// Order value.
    pub amount: Cents,
    /// The buyer.
    pub customer: Customer,
    /// The store's own order number.
    pub reference: Option<String>,
    /// Line items as sent (already checked to sum to the amount).
    pub items: Option<serde_json::Value>,
    /// Free-form data the store wants back.
    pub metadata: Option<serde_json::Value>,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<String>,
    /// SHA-256 of the request body, to tell a replay from a key reuse.
    pub request_hash: String,
    /// Seconds until the charge expires.
    pub expires_in: i64,
}

/// The Pix charge details once Woovi created it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChargeInfo {
    /// Woovi's transactionID (or identifier).
    pub provider_ref: Option<String>,
    /// "Pix copia e cola".
    pub br_code: String,
    /// QR image URL.
    pub qr_code_url: Option<String>,
    /// Woovi's hosted payment page.
    pub payment_link: Option<String>,
    /// When the charge expires.
    pub expires_at: Option<OffsetDateTime>,
}

/// An order row.
#[derive(Debug, Clone)]
pub struct OrderRecord {
    /// Order id (UUID v7).
    pub id: String,
    /// Our correlationID.
    pub correlation_id: String,
    /// Provider of the charge.
    pub provider: String,
    /// Status.
    pub status: OrderStatus,
    /// Flags.
    pub flags: Flags,
    /// Order value.
    pub amount: Cents,
    /// Sum of applied payments.
    pub paid_total: Cents,
    /// Sum of confirmed refunds.
    pub refunded_total: Cents,
    /// The buyer.
    pub customer: Customer,
    /// The store's reference.
    pub reference: Option<String>,
    /// Items as sent.
    pub items: Option<serde_json::Value>,
    /// Metadata as sent.
    pub metadata: Option<serde_json::Value>,
    /// Idempotency key.
    pub idempotency_key: Option<String>,
    /// Hash of the creating request.
    pub request_hash: Option<String>,
    /// Token of the buyer's checkout page (`/pay/{token}`).
    pub checkout_token: String,
    /// Charge lifetime asked for.
    pub expires_in: i64,
    /// The charge, once created.
    pub charge: Option<ChargeInfo>,
    /// When the charge was created at Woovi.
    pub charge_created_at: Option<OffsetDateTime>,
    /// Last charge-creation error, if the charge is missing.
    pub charge_error: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// One payment received for an order.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentRecord {
    /// Pix end-to-end id.
    pub end_to_end_id: String,
    /// Amount.
    pub amount: Cents,
    /// False for a flagged second payment.
    pub applied: bool,
    /// When paid.
    #[serde(with = "time::serde::rfc3339")]
    pub paid_at: OffsetDateTime,
}

/// One confirmed refund.
#[derive(Debug, Clone, Serialize)]
pub struct RefundRecord {
    /// Refund end-to-end id (or provider id).
    pub refund_ref: String,
    /// Amount.
    pub amount: Cents,
    /// When refunded.
    #[serde(with = "time::serde::rfc3339")]
    pub refunded_at: OffsetDateTime,
}

/// One line of an order's history.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `api`, `webhook`, `reconciler`.
    pub source: String,
    /// Event name.
    pub event: String,
    /// Status before.
    pub status_from: Option<String>,
    /// Status after.
    pub status_to: Option<String>,
    /// Human note.
    pub note: String,
}

/// An order with everything that happened to it.
#[derive(Debug, Clone)]
pub struct OrderDetail {
    /// The order.
    pub order: OrderRecord,
    /// Payments.
    pub payments: Vec<PaymentRecord>,
    /// Confirmed refunds.
    pub refunds: Vec<RefundRecord>,
    /// History, oldest first.
    pub timeline: Vec<TimelineEntry>,
}
