//! `/api/v1/subscriptions`.

use crate::client::{decode_wrapped, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{Subscription, SubscriptionRequest};

/// Subscription operations.
#[derive(Debug, Clone, Copy)]
pub struct Subscriptions<'a> {
    pub(crate) client: &'a Client,
}

impl Subscriptions<'_> {
    /// Creates a subscription. Not retried.
    pub async fn create(&self, req: &SubscriptionRequest) -> Result<Subscription, Error> {
        let bytes = self
            .client
            .post(
                "/api/v1/subscriptions",
                &Query::new(),
                req,
                Idempotency::Unsafe,
            )
            .await?;
        decode_wrapped(&bytes, &["subscription"])
    }

    /// Gets a subscription by global ID or correlationID.
    pub async fn get(&self, id: &str) -> Result<Subscription, Error> {
        let path = format!("/api/v1/subscriptions/{}", seg(id));
        self.client
            .get_wrapped(&path, &Query::new(), &["subscription"])
            .await
    }
}
