//! Refunds of Pix transactions (`/api/v1/refund`).

use super::lenient::{open_enum, opt_enum, opt_i64, opt_string};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/refund`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    /// Transaction ID or end-to-end ID of the payment to return.
    pub transaction_end_to_end_id: String,
    /// Unique ID of this refund.
    #[serde(rename = "correlationID")]
    pub correlation_id: String,
    /// Cents to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Up to 140 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

open_enum! {
    /// State of a refund.
    RefundStatus {
        /// In flight.
        InProcessing = "IN_PROCESSING",
        /// Done.
        Refunded = "REFUNDED",
        /// Failed.
        NotAccomplished = "NOT_ACCOMPLISHED",
        /// Done (webhook spelling).
        Confirmed = "CONFIRMED",
        /// Refused.
        Rejected = "REJECTED",
    }
}

/// A refund.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Refund {
    /// Cents returned.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// State.
    #[serde(deserialize_with = "opt_enum", skip_serializing_if = "Option::is_none")]
    pub status: Option<RefundStatus>,
    /// The refund's correlation ID.
    #[serde(
        rename = "correlationID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// Woovi's refund ID.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_id: Option<String>,
    /// End-to-end ID of the devolution.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub return_identification: Option<String>,
    /// When.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub time: Option<String>,
    /// Comment.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub comment: Option<String>,
}
