//! `/api/v1/customer`.

use super::{list_ops, no_filters, ListParams};
use crate::client::{decode_wrapped, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{Customer, CustomerInput};

/// Customer operations.
#[derive(Debug, Clone, Copy)]
pub struct Customers<'a> {
    pub(crate) client: &'a Client,
}

impl Customers<'_> {
    /// Creates a customer.
    pub async fn create(&self, req: &CustomerInput) -> Result<Customer, Error> {
        let bytes = self
            .client
            .post("/api/v1/customer", &Query::new(), req, Idempotency::Unsafe)
            .await?;
        decode_wrapped(&bytes, &["customer"])
    }

    /// Gets a customer by correlationID or tax ID.
    pub async fn get(&self, id: &str) -> Result<Customer, Error> {
        let path = format!("/api/v1/customer/{}", seg(id));
        self.client
            .get_wrapped(&path, &Query::new(), &["customer"])
            .await
    }

    list_ops!(Customer, "/api/v1/customer", ListParams, no_filters);
}
