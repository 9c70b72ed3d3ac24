//! Charges: the dynamic Pix QR codes a buyer pays.

use super::common::{AdditionalInfo, Customer, CustomerInput};
use super::lenient::{open_enum, opt_bool, opt_enum, opt_i64, opt_object, opt_string, vec_lenient};
use serde::{Deserialize, Serialize};

open_enum! {
    /// Lifecycle state of a charge.
    ChargeStatus {
        /// Waiting for payment.
        Active = "ACTIVE",
        /// Fully paid.
        Completed = "COMPLETED",
        /// Expired unpaid.
        Expired = "EXPIRED",
    }
}

open_enum! {
    /// Whether a charge has a due date with fines and interests.
    ChargeType {
        /// Plain charge with an expiry.
        Dynamic = "DYNAMIC",
        /// Charge with due date, fines, interests.
        Overdue = "OVERDUE",
        /// Boleto-backed charge.
        Boleto = "BOLETO",
    }
}

open_enum! {
    /// How fines and interests are computed.
    ModifierKind {
        /// Fixed value in cents.
        Fixed = "FIXED",
        /// Basis points of the value.
        Percentage = "PERCENTAGE",
    }
}

/// Fine or interest rule of an `OVERDUE` charge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChargeModifier {
    /// Basis points (percentage) or cents (fixed).
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// How `value` is read.
    #[serde(
        rename = "type",
        deserialize_with = "opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<ModifierKind>,
}

/// Body of `POST /api/v1/charge`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeRequest {
    /// Merchant-side unique ID, saved on the order before the call so a retry
    /// with `return_existing` finds the same charge.
    #[serde(rename = "correlationID")]
    pub correlation_id: String,
    /// Amount in cents.
    pub value: i64,
    /// `DYNAMIC` (default) or `OVERDUE`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ChargeType>,
    /// Shown to the payer in the bank app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Custom EMV identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Seconds until the charge expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// Who pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerInput>,
    /// Payer must have the customer's tax ID.
    #[serde(
        rename = "ensureSameTaxID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ensure_same_tax_id: Option<bool>,
    /// `OVERDUE`: days until fines and interests apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_for_due_date: Option<i64>,
    /// `OVERDUE`: days the charge stays payable after the due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_after_due_date: Option<i64>,
    /// `OVERDUE`: daily interest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interests: Option<ChargeModifier>,
    /// `OVERDUE`: one-off fine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fines: Option<ChargeModifier>,
    /// Extra lines shown to the payer (the buyer's age goes here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_info: Vec<AdditionalInfo>,
}

impl ChargeRequest {
    /// A `DYNAMIC` charge of `value` cents.
    pub fn new(correlation_id: impl Into<String>, value: i64) -> Self {
        Self {
            correlation_id: correlation_id.into(),
            value,
            ..Self::default()
        }
    }
}

/// A charge as Woovi returns it (API and webhooks).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Charge {
    /// Amount in cents.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// State.
    #[serde(deserialize_with = "opt_enum", skip_serializing_if = "Option::is_none")]
    pub status: Option<ChargeStatus>,
    /// The merchant's ID: how paybridge finds the order.
    #[serde(
        rename = "correlationID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// Pix txid; links the charge to the transaction that paid it.
    #[serde(
        rename = "transactionID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction_id: Option<String>,
    /// Woovi's global ID.
    #[serde(
        rename = "globalID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub global_id: Option<String>,
    /// `DYNAMIC` / `OVERDUE`.
    #[serde(
        rename = "type",
        deserialize_with = "opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<ChargeType>,
    /// Who was billed.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub customer: Option<Customer>,
    /// Who actually paid (may differ from `customer`).
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub payer: Option<Customer>,
    /// Payer-facing comment.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub comment: Option<String>,
    /// "Pix copia e cola" payload.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub br_code: Option<String>,
    /// EMV identifier.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub identifier: Option<String>,
    /// ID used by the payment link and the QR image endpoint.
    #[serde(
        rename = "paymentLinkID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_link_id: Option<String>,
    /// Woovi-hosted payment page.
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
    /// Receiving Pix key.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix_key: Option<String>,
    /// Seconds of validity from creation.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// Absolute expiry.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_date: Option<String>,
    /// Due date (`OVERDUE`).
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub due_date: Option<String>,
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
    /// Payment time.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub paid_at: Option<String>,
    /// Discount in cents.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub discount: Option<i64>,
    /// Value minus discount, in cents.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value_with_discount: Option<i64>,
    /// Woovi's fee in cents.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub fee: Option<i64>,
    /// Payer must match the customer's tax ID.
    #[serde(
        rename = "ensureSameTaxID",
        deserialize_with = "opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub ensure_same_tax_id: Option<bool>,
    /// Extra lines shown to the payer.
    #[serde(
        deserialize_with = "vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub additional_info: Vec<AdditionalInfo>,
}

/// Answer of `POST /api/v1/charge`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChargeCreated {
    /// The charge (new, or the existing one with `return_existing`).
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub charge: Option<Charge>,
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

/// Body of `POST /api/v1/charge/{id}/refund`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargeRefundRequest {
    /// Unique ID of this refund (makes it idempotent on Woovi's side).
    #[serde(rename = "correlationID")]
    pub correlation_id: String,
    /// Cents to return; the whole charge when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Up to 140 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

open_enum! {
    /// State of a refund of a charge.
    ChargeRefundStatus {
        /// Sent, not settled.
        InProcessing = "IN_PROCESSING",
        /// Money returned.
        Confirmed = "CONFIRMED",
        /// Refused by the payer's bank.
        Rejected = "REJECTED",
    }
}

/// A refund of a charge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChargeRefund {
    /// Cents returned.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// State.
    #[serde(deserialize_with = "opt_enum", skip_serializing_if = "Option::is_none")]
    pub status: Option<ChargeRefundStatus>,
    /// The refund's correlation ID.
    #[serde(
        rename = "correlationID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// End-to-end ID of the refund Pix.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_to_end_id: Option<String>,
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

/// Query of `GET /api/v1/charge`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChargeListParams {
    /// RFC 3339 start of the window.
    pub start: Option<String>,
    /// RFC 3339 end of the window.
    pub end: Option<String>,
    /// Only charges in this state.
    pub status: Option<ChargeStatus>,
    /// Only this customer's charges (correlation ID).
    pub customer: Option<String>,
    /// Items to skip.
    pub skip: Option<u32>,
    /// Page size.
    pub limit: Option<u32>,
}
