//! `/api/v1/payment`: outgoing Pix.

use super::{list_ops, no_filters, ListParams};
use crate::client::{decode, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{PaymentDetails, PaymentRequest};

/// Payment operations.
#[derive(Debug, Clone, Copy)]
pub struct Payments<'a> {
    pub(crate) client: &'a Client,
}

impl Payments<'_> {
    /// Requests a payment (it still needs approval unless auto-approved). Not retried.
    pub async fn create(&self, req: &PaymentRequest) -> Result<PaymentDetails, Error> {
        let bytes = self
            .client
            .post("/api/v1/payment", &Query::new(), req, Idempotency::Unsafe)
            .await?;
        decode(&bytes)
    }

    /// Gets a payment by ID or correlationID.
    pub async fn get(&self, id: &str) -> Result<PaymentDetails, Error> {
        let path = format!("/api/v1/payment/{}", seg(id));
        self.client.get(&path, &Query::new()).await
    }

    list_ops!(PaymentDetails, "/api/v1/payment", ListParams, no_filters);
}
