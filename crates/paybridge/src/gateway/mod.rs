//! The port through which the service talks to the charge provider, so the
//! API and the reconciler can be exercised against any Woovi-compatible server.

mod woovi;

pub use self::woovi::{ensure_webhook, WooviGateway};

use async_trait::async_trait;
use std::time::Duration;
use time::OffsetDateTime;

/// Why a provider call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GatewayError {
    /// Network error, timeout or 5xx: retrying later may work.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
    /// 429: wait at least this long.
    #[error("provider rate limit; retry after {0:?}")]
    RateLimited(Duration),
    /// The provider knows no such object.
    #[error("not found at provider")]
    NotFound,
    /// The provider refused the request (4xx).
    #[error("provider refused ({status}): {message}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// Provider's message.
        message: String,
    },
}

/// A charge to create.
#[derive(Debug, Clone)]
pub struct ChargeRequest {
    /// Our correlationID (idempotency key at Woovi).
    pub correlation_id: String,
    /// Amount in cents.
    pub value: i64,
    /// Seconds until expiry.
    pub expires_in: i64,
    /// Comment shown to the payer.
    pub comment: Option<String>,
    /// Buyer name.
    pub customer_name: String,
    /// Buyer e-mail.
    pub customer_email: Option<String>,
    /// Buyer CPF/CNPJ digits.
    pub customer_tax_id: Option<String>,
    /// Buyer phone.
    pub customer_phone: Option<String>,
}

/// A charge as the provider describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteCharge {
    /// Our correlationID.
    pub correlation_id: Option<String>,
    /// Woovi's transactionID / identifier.
    pub transaction_id: Option<String>,
    /// `ACTIVE`, `COMPLETED`, `EXPIRED`.
    pub status: String,
    /// Amount.
    pub value: Option<i64>,
    /// "Pix copia e cola".
    pub br_code: Option<String>,
    /// QR image URL.
    pub qr_code_url: Option<String>,
    /// Hosted payment page.
    pub payment_link: Option<String>,
    /// Expiry.
    pub expires_at: Option<OffsetDateTime>,
    /// Payment time when completed.
    pub paid_at: Option<OffsetDateTime>,
    /// End-to-end id of the payment when completed and known.
    pub end_to_end_id: Option<String>,
    /// The provider's JSON.
    pub raw: serde_json::Value,
}

/// Charge provider operations the service needs.
#[async_trait]
pub trait ChargeGateway: Send + Sync + 'static {
    /// Creates the charge, or returns the existing one with this correlationID.
    async fn create_charge(&self, req: &ChargeRequest) -> Result<RemoteCharge, GatewayError>;
    /// Reads a charge by correlationID.
    async fn get_charge(&self, correlation_id: &str) -> Result<RemoteCharge, GatewayError>;
    /// Deletes (cancels) a charge.
    async fn delete_charge(&self, id: &str) -> Result<(), GatewayError>;
    /// Asks for a refund of `value` cents of the charge.
    async fn refund_charge(
        &self,
        charge_id: &str,
        refund_correlation_id: &str,
        value: i64,
        comment: Option<&str>,
    ) -> Result<(), GatewayError>;
    /// Registers a webhook for one event unless one with the same URL and
    /// event exists; `true` when it registered a new one.
    async fn ensure_webhook(&self, event: &str, url: &str) -> Result<bool, GatewayError>;
}
