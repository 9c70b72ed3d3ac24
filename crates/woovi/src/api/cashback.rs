//! `/api/v1/cashback-fidelity`: exclusive cashback.

use crate::client::{decode, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{CashbackBalance, CashbackRequest, CashbackResponse};

/// Cashback operations.
#[derive(Debug, Clone, Copy)]
pub struct Cashbacks<'a> {
    pub(crate) client: &'a Client,
}

impl Cashbacks<'_> {
    /// Cashback a customer still has to receive.
    pub async fn balance(&self, tax_id: &str) -> Result<CashbackBalance, Error> {
        let path = format!("/api/v1/cashback-fidelity/balance/{}", seg(tax_id));
        self.client.get(&path, &Query::new()).await
    }

    /// Returns the customer's pending cashback or creates one. Woovi makes
    /// this call idempotent per taxID, so it is retried like a read.
    pub async fn get_or_create(&self, req: &CashbackRequest) -> Result<CashbackResponse, Error> {
        let bytes = self
            .client
            .post(
                "/api/v1/cashback-fidelity",
                &Query::new(),
                req,
                Idempotency::Safe,
            )
            .await?;
        decode(&bytes)
    }
}
