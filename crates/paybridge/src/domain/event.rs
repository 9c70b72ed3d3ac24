//! The normalized payment event every provider parser produces.

use super::{AbandonedCart, Cents, Sale};
use time::OffsetDateTime;

/// Which provider an event came from (`"woovi"`, later `"wiapy"`, `"eduzz"`).
pub type ProviderName = &'static str;

/// How to find the order an event is about; any field may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderRef {
    /// Our correlationID as echoed by the provider.
    pub correlation_id: Option<String>,
    /// The provider's own id of the charge (Woovi transactionID).
    pub provider_ref: Option<String>,
    /// The Pix end-to-end id of the original payment (refund events carry only this).
    pub end_to_end_id: Option<String>,
}

impl OrderRef {
    /// True when nothing could identify an order.
    pub fn is_empty(&self) -> bool {
        self.correlation_id.is_none() && self.provider_ref.is_none() && self.end_to_end_id.is_none()
    }
}

/// What happened, in unified terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// A platform sale exists and waits for payment (creates the order).
    Pending,
    /// Money arrived; `payment_id` (end-to-end id when known) makes it unique.
    Paid {
        /// Unique id of the money movement.
        payment_id: String,
    },
    /// The charge expired unpaid.
    Expired,
    /// The charge was deleted or cancelled.
    Cancelled,
    /// The provider refused the payment.
    Declined,
    /// A refund was asked for and is in progress.
    RefundRequested,
    /// Money went back to the buyer; `refund_id` makes it unique.
    Refunded {
        /// Unique id of the refund movement.
        refund_id: String,
    },
    /// The buyer disputed a payment.
    Chargeback,
    /// The provider's test/ping delivery: accepted, changes nothing.
    ProviderTest,
    /// One-click set-up delivery carrying the provider's credential.
    ProviderConfigure {
        /// The credential (Woovi appID) if the body carried one.
        app_id: Option<String>,
    },
    /// Recorded for the dashboard, changes no order (charge created,
    /// rejected refunds, disputes, movements, unknown events).
    Informational,
    /// A status word no mapping knows: recorded with its raw value, changes nothing.
    Unknown,
    /// A buyer left a platform checkout: an abandoned-cart record, not an order.
    CartAbandoned(Box<AbandonedCart>),
}

impl EventKind {
    /// Short name for the timeline and the inbox.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Pending => "pending",
            EventKind::Paid { .. } => "paid",
            EventKind::Expired => "expired",
            EventKind::Cancelled => "cancelled",
            EventKind::Declined => "declined",
            EventKind::RefundRequested => "refund_requested",
            EventKind::Refunded { .. } => "refunded",
            EventKind::Chargeback => "chargeback",
            EventKind::ProviderTest => "test",
            EventKind::ProviderConfigure { .. } => "configure",
            EventKind::Informational => "informational",
            EventKind::Unknown => "unknown",
            EventKind::CartAbandoned(_) => "cart_abandoned",
        }
    }
}

/// One fact a provider told us, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentEvent {
    /// Provider name.
    pub provider: ProviderName,
    /// Unique per provider: the same fact delivered twice has the same key.
    pub dedupe_key: String,
    /// The provider's event name (`OPENPIX:CHARGE_COMPLETED`).
    pub event_type: String,
    /// How to find the order.
    pub order_ref: OrderRef,
    /// What happened.
    pub kind: EventKind,
    /// Amount moved, when the event carries one.
    pub amount: Option<Cents>,
    /// When it happened according to the provider.
    pub occurred_at: Option<OffsetDateTime>,
    /// The provider's own status word, kept for the record.
    pub raw_status: Option<String>,
    /// The provider's JSON (the whole body).
    pub raw: serde_json::Value,
    /// The platform sale the event is about (Wiapy, Eduzz): creates the
    /// order on first sight and carries the products that become access.
    pub sale: Option<Box<Sale>>,
}
