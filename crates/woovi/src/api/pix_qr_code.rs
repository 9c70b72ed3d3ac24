//! `/api/v1/qrcode-static`: static QR codes.

use super::{list_ops, no_filters, ListParams};
use crate::client::{decode, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{PixQrCode, PixQrCodeCreated, PixQrCodeRequest};

/// Static QR code operations.
#[derive(Debug, Clone, Copy)]
pub struct PixQrCodes<'a> {
    pub(crate) client: &'a Client,
}

impl PixQrCodes<'_> {
    /// Creates a static QR code.
    pub async fn create(&self, req: &PixQrCodeRequest) -> Result<PixQrCodeCreated, Error> {
        let bytes = self
            .client
            .post(
                "/api/v1/qrcode-static",
                &Query::new(),
                req,
                Idempotency::Unsafe,
            )
            .await?;
        decode(&bytes)
    }

    /// Gets one by ID, correlationID or EMV identifier.
    pub async fn get(&self, id: &str) -> Result<PixQrCode, Error> {
        let path = format!("/api/v1/qrcode-static/{}", seg(id));
        self.client
            .get_wrapped(&path, &Query::new(), &["pixQrCode"])
            .await
    }

    list_ops!(PixQrCode, "/api/v1/qrcode-static", ListParams, no_filters);
}
