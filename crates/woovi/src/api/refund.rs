//! `/api/v1/refund`.

use super::{list_ops, no_filters, ListParams};
use crate::client::{decode_wrapped, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{Refund, RefundRequest};

/// Refund operations.
#[derive(Debug, Clone, Copy)]
pub struct Refunds<'a> {
    pub(crate) client: &'a Client,
}

impl Refunds<'_> {
    /// Refunds a Pix transaction. Not retried.
    pub async fn create(&self, req: &RefundRequest) -> Result<Refund, Error> {
        let bytes = self
            .client
            .post("/api/v1/refund", &Query::new(), req, Idempotency::Unsafe)
            .await?;
        decode_wrapped(&bytes, &["refund", "pixTransactionRefund"])
    }

    /// Gets a refund by ID or correlationID (Woovi wraps it in `pixTransactionRefund`).
    pub async fn get(&self, id: &str) -> Result<Refund, Error> {
        let path = format!("/api/v1/refund/{}", seg(id));
        self.client
            .get_wrapped(&path, &Query::new(), &["pixTransactionRefund", "refund"])
            .await
    }

    list_ops!(Refund, "/api/v1/refund", ListParams, no_filters);
}
