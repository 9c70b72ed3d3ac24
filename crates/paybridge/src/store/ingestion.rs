//! The vocabulary of ingestion: what is submitted, who produced it, what
//! became of it, and the status change announced after commit.

use crate::domain::{OrderStatus, PaymentEvent};
use std::sync::Arc;

/// Who produced the event (kept in the timeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestSource {
    /// A provider webhook.
    Webhook,
    /// The reconciliation worker asking the provider.
    Reconciler,
    /// The store API (cancel).
    Api,
}

impl IngestSource {
    /// The timeline's `source` word.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            IngestSource::Webhook => "webhook",
            IngestSource::Reconciler => "reconciler",
            IngestSource::Api => "api",
        }
    }
}

/// What became of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Applied to an order (the status may or may not have changed).
    Applied {
        /// The order.
        order_id: String,
        /// Status before.
        from: OrderStatus,
        /// Status after.
        to: OrderStatus,
    },
    /// Seen before (same dedupe key): nothing changed.
    Duplicate,
    /// No order matches: recorded for the dashboard.
    Unmatched,
    /// Test, configure or informational event: recorded, no order touched.
    Recorded,
}

impl IngestOutcome {
    /// Short name stored in the inbox and used in metrics.
    pub fn as_str(&self) -> &'static str {
        match self {
            IngestOutcome::Applied { .. } => "applied",
            IngestOutcome::Duplicate => "duplicate",
            IngestOutcome::Unmatched => "unmatched",
            IngestOutcome::Recorded => "recorded",
        }
    }
}

/// A status change, broadcast after commit (live pages subscribe to it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderUpdate {
    /// Order id.
    pub order_id: String,
    /// Status before.
    pub from: OrderStatus,
    /// Status after.
    pub to: OrderStatus,
}

/// One event to apply.
#[derive(Debug, Clone)]
pub struct IngestCommand {
    /// The normalized event.
    pub event: PaymentEvent,
    /// The raw body kept in the inbox.
    pub raw_body: Option<Arc<[u8]>>,
    /// Who produced it.
    pub source: IngestSource,
}
