//! `/api/v1/charge` and the charge QR image.

use super::{push_opt, with_page};
use crate::client::{decode, decode_wrapped, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{
    Charge, ChargeCreated, ChargeListParams, ChargeRefund, ChargeRefundRequest, ChargeRequest,
    DeleteResponse, Page,
};
use futures::Stream;
use reqwest::Method;

/// Smallest QR image Woovi renders, in pixels.
pub const QR_SIZE_MIN: u32 = 600;
/// Largest QR image Woovi renders, in pixels.
pub const QR_SIZE_MAX: u32 = 4096;

/// Charge operations.
#[derive(Debug, Clone, Copy)]
pub struct Charges<'a> {
    pub(crate) client: &'a Client,
}

fn list_query(p: &ChargeListParams) -> Query {
    let mut q = Query::new();
    push_opt(&mut q, "start", &p.start);
    push_opt(&mut q, "end", &p.end);
    push_opt(&mut q, "status", &p.status.as_ref().map(|s| s.to_string()));
    push_opt(&mut q, "customer", &p.customer);
    q
}

impl Charges<'_> {
    /// Creates a charge. With `return_existing`, Woovi returns the charge that
    /// already has this correlationID instead of failing, which makes the call
    /// safe to retry (and only then is it retried).
    pub async fn create(
        &self,
        req: &ChargeRequest,
        return_existing: bool,
    ) -> Result<ChargeCreated, Error> {
        let (query, idem) = if return_existing {
            (
                vec![("return_existing", "true".to_owned())],
                Idempotency::Safe,
            )
        } else {
            (Query::new(), Idempotency::Unsafe)
        };
        let bytes = self
            .client
            .post("/api/v1/charge", &query, req, idem)
            .await?;
        decode(&bytes)
    }

    /// Gets a charge by Woovi ID or correlationID (URL-encoded here).
    pub async fn get(&self, id_or_correlation_id: &str) -> Result<Charge, Error> {
        let path = format!("/api/v1/charge/{}", seg(id_or_correlation_id));
        self.client
            .get_wrapped(&path, &Query::new(), &["charge"])
            .await
    }

    /// One page of charges.
    pub async fn list(&self, params: &ChargeListParams) -> Result<Page<Charge>, Error> {
        let q = with_page(list_query(params), params.skip, params.limit);
        self.client.get("/api/v1/charge", &q).await
    }

    /// Every charge matching `params`, fetching pages as needed.
    pub fn stream(
        &self,
        params: &ChargeListParams,
    ) -> impl Stream<Item = Result<Charge, Error>> + Send + 'static {
        self.client.items(
            "/api/v1/charge".into(),
            list_query(params),
            params.skip.unwrap_or(0),
            params.limit,
        )
    }

    /// Every page matching `params` (carries `totalCount` for progress display).
    pub fn pages(
        &self,
        params: &ChargeListParams,
    ) -> impl Stream<Item = Result<Page<Charge>, Error>> + Send + 'static {
        self.client.pages(
            "/api/v1/charge".into(),
            list_query(params),
            params.skip.unwrap_or(0),
            params.limit,
        )
    }

    /// Deletes an active charge by ID or correlationID.
    pub async fn delete(&self, id_or_correlation_id: &str) -> Result<DeleteResponse, Error> {
        self.client
            .delete(&format!("/api/v1/charge/{}", seg(id_or_correlation_id)))
            .await
    }

    /// PNG of the charge's QR code (`size` 600–4096 px; Woovi's default 1024).
    pub async fn qr_code_png(
        &self,
        payment_link_id: &str,
        size: Option<u32>,
    ) -> Result<Vec<u8>, Error> {
        let mut query = Query::new();
        if let Some(size) = size {
            if !(QR_SIZE_MIN..=QR_SIZE_MAX).contains(&size) {
                return Err(Error::InvalidInput(format!(
                    "QR image size {size} is outside {QR_SIZE_MIN}..={QR_SIZE_MAX}"
                )));
            }
            query.push(("size", size.to_string()));
        }
        let path = format!("/openpix/charge/brcode/image/{}.png", seg(payment_link_id));
        let body = self
            .client
            .execute(Method::GET, &path, &query, None, Idempotency::Safe, true)
            .await?;
        Ok(body.bytes)
    }

    /// Refunds (part of) a paid charge. Not retried: a lost answer could
    /// otherwise mean a second refund if Woovi ignored the correlationID.
    pub async fn refund(
        &self,
        id_or_correlation_id: &str,
        req: &ChargeRefundRequest,
    ) -> Result<ChargeRefund, Error> {
        let path = format!("/api/v1/charge/{}/refund", seg(id_or_correlation_id));
        let bytes = self
            .client
            .post(&path, &Query::new(), req, Idempotency::Unsafe)
            .await?;
        decode_wrapped(&bytes, &["refund"])
    }

    /// Refunds of a charge.
    pub async fn refunds(&self, id_or_correlation_id: &str) -> Result<Vec<ChargeRefund>, Error> {
        let path = format!("/api/v1/charge/{}/refund", seg(id_or_correlation_id));
        let v: serde_json::Value = self.client.get(&path, &Query::new()).await?;
        let items = v.get("refunds").cloned().unwrap_or(serde_json::Value::Null);
        crate::models::lenient::vec_from_value(items).map_err(|source| Error::Decode {
            body_snippet: String::new(),
            source,
        })
    }
}
