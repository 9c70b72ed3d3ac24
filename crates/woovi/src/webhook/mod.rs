//! Webhook authentication and typed events.
//!
//! Verify first, on the raw bytes ([`WebhookVerifier::verify`]); parse after
//! ([`Event::parse`]). Re-serialising before verifying changes the bytes and
//! breaks the signature.

mod event;
mod keys;
mod refresh;
mod verify;

pub use event::{
    ChargeEvent, ConfigureEvent, Dispute, DisputeEvent, Event, EventError, MovementEvent,
    RefundEvent, TestWebhookEvent, TransactionEvent, UnknownEvent,
};
pub use keys::{KeyError, KeySet, PublicKey};
pub use refresh::RefreshingKeySet;
pub use verify::{
    verify_signature, VerifyError, WebhookVerifier, AUTHORIZATION_HEADERS, HMAC_HEADER,
    SIGNATURE_HEADER,
};
