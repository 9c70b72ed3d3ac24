//! `/api/v1/webhook`: registrations and the signing keys.

use crate::client::{decode_wrapped, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{DeleteResponse, Webhook, WebhookPublicKeys, WebhookRequest};
use reqwest::Method;

/// Webhook operations.
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'a> {
    pub(crate) client: &'a Client,
}

/// Query of `GET /api/v1/webhook`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookListParams {
    /// Only registrations for this URL.
    pub url: Option<String>,
    /// Items to skip.
    pub skip: Option<u32>,
    /// Page size.
    pub limit: Option<u32>,
}

fn filters(p: &WebhookListParams) -> Query {
    let mut q = Query::new();
    super::push_opt(&mut q, "url", &p.url);
    q
}

impl Webhooks<'_> {
    /// Registers a webhook. Not retried (a repeat registers it twice).
    pub async fn create(&self, req: &WebhookRequest) -> Result<Webhook, Error> {
        let body = serde_json::json!({ "webhook": req });
        let bytes = self
            .client
            .post("/api/v1/webhook", &Query::new(), &body, Idempotency::Unsafe)
            .await?;
        decode_wrapped(&bytes, &["webhook"])
    }

    super::list_ops!(Webhook, "/api/v1/webhook", WebhookListParams, filters);

    /// Deletes a registration.
    pub async fn delete(&self, id: &str) -> Result<DeleteResponse, Error> {
        self.client
            .delete(&format!("/api/v1/webhook/{}", seg(id)))
            .await
    }

    /// Keys that may sign webhooks now; the endpoint needs no appID.
    pub async fn public_keys(&self) -> Result<WebhookPublicKeys, Error> {
        let body = self
            .client
            .execute(
                Method::GET,
                "/api/v1/webhook/public-keys",
                &Query::new(),
                None,
                Idempotency::Safe,
                false,
            )
            .await?;
        crate::client::decode(&body.bytes)
    }
}
