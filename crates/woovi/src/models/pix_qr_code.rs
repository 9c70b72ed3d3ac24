//! Static Pix QR codes: reusable codes, optionally with a fixed value.

use super::lenient::{opt_i64, opt_string};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/qrcode-static`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PixQrCodeRequest {
    /// Label of the code.
    pub name: String,
    /// Merchant-side ID.
    #[serde(
        rename = "correlationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// Fixed value in cents; open value when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Payer-facing comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Custom EMV identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Receiving Pix key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pix_key: Option<String>,
}

/// A static QR code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PixQrCode {
    /// Label.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Fixed value in cents (Woovi documents it as a string).
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Comment.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub comment: Option<String>,
    /// Merchant-side ID.
    #[serde(
        rename = "correlationID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// EMV identifier.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub identifier: Option<String>,
    /// Payment link ID.
    #[serde(
        rename = "paymentLinkID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_link_id: Option<String>,
    /// Payment link.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_link_url: Option<String>,
    /// PNG of the QR code.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub qr_code_image: Option<String>,
    /// "Pix copia e cola" payload.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub br_code: Option<String>,
    /// Receiving Pix key.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix_key: Option<String>,
    /// Creation time.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<String>,
    /// Last change.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<String>,
}

/// Answer of `POST /api/v1/qrcode-static`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PixQrCodeCreated {
    /// The code.
    #[serde(
        deserialize_with = "super::lenient::opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix_qr_code: Option<PixQrCode>,
    /// Echo of the correlation ID.
    #[serde(
        rename = "correlationID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// "Pix copia e cola" payload.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub br_code: Option<String>,
}
