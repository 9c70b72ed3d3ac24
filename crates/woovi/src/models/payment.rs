//! Outgoing Pix payments (`/api/v1/payment`).

use super::lenient::{open_enum, opt_enum, opt_i64, opt_object, opt_string};
use super::transaction::Transaction;
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/payment` (pay a Pix key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRequest {
    /// `PIX_KEY` or `QR_CODE`; Woovi assumes a Pix key when absent.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Cents to send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Destination Pix key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_alias: Option<String>,
    /// CPF, CNPJ, EMAIL, PHONE or RANDOM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_alias_type: Option<String>,
    /// BR Code to pay, for `QR_CODE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_code: Option<String>,
    /// Unique ID of this payment.
    #[serde(rename = "correlationID")]
    pub correlation_id: String,
    /// Message to the receiver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Source account; the default account when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_account_id: Option<String>,
}

open_enum! {
    /// State of an outgoing payment.
    PaymentStatus {
        /// Requested, waiting approval.
        Created = "CREATED",
        /// Failed.
        Failed = "FAILED",
        /// Sent.
        Confirmed = "CONFIRMED",
        /// Refused.
        Denied = "DENIED",
    }
}

/// An outgoing payment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Payment {
    /// PIX_KEY, QR_CODE…
    #[serde(
        rename = "type",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    /// Cents.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// State.
    #[serde(deserialize_with = "opt_enum", skip_serializing_if = "Option::is_none")]
    pub status: Option<PaymentStatus>,
    /// Destination key.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub destination_alias: Option<String>,
    /// Destination key kind.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub destination_alias_type: Option<String>,
    /// BR Code paid.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub qr_code: Option<String>,
    /// Comment.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub comment: Option<String>,
    /// Correlation ID.
    #[serde(
        rename = "correlationID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// Source account.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_account_id: Option<String>,
}

/// A payment with the transaction that carried it (get and list items).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentDetails {
    /// The payment.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment: Option<Payment>,
    /// Its Pix transaction, once sent.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction: Option<Transaction>,
    /// Who received it.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub destination: Option<serde_json::Map<String, serde_json::Value>>,
}
