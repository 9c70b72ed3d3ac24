//! Pix transactions: money that moved (payments received, refunds, withdrawals).

use super::charge::Charge;
use super::common::{Customer, TaxId};
use super::lenient::{open_enum, opt_bool, opt_enum, opt_i64, opt_object, opt_string, vec_lenient};
use super::pix_qr_code::PixQrCode;
use serde::{Deserialize, Serialize};

open_enum! {
    /// What a Pix transaction was.
    TransactionType {
        /// Money in for a charge or QR code.
        Payment = "PAYMENT",
        /// Money out to the merchant.
        Withdraw = "WITHDRAW",
        /// Money returned.
        Refund = "REFUND",
        /// Woovi fee.
        Fee = "FEE",
    }
}

open_enum! {
    /// Settlement state of a Pix transaction.
    TransactionStatus {
        /// Created, not settled.
        Created = "CREATED",
        /// Settled.
        Confirmed = "CONFIRMED",
        /// Fully refunded.
        Refunded = "REFUNDED",
        /// Partly refunded.
        PartialRefund = "PARTIAL_REFUND",
        /// In flight.
        InProcessing = "IN_PROCESSING",
        /// Refused.
        Rejected = "REJECTED",
    }
}

/// A Pix key with its kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PixKeyRef {
    /// The key.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix_key: Option<String>,
    /// EMAIL, PHONE, RANDOM, CPF, CNPJ.
    #[serde(
        rename = "type",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
}

/// Bank account of one side of a Pix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BankAccountRef {
    /// Agency.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub branch: Option<String>,
    /// Account number.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account: Option<String>,
    /// TRAN, CACC…
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_type: Option<String>,
}

/// Payment institution of one side of a Pix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Psp {
    /// ISPB.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// Name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Bank code.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<String>,
}

/// Holder of one side of a Pix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Holder {
    /// Name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Trade name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name_friendly: Option<String>,
    /// CPF/CNPJ.
    #[serde(
        rename = "taxID",
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_id: Option<TaxId>,
}

/// Debit or credit side of a Pix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Party {
    /// Key used, when any.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix_key: Option<PixKeyRef>,
    /// Account.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub account: Option<BankAccountRef>,
    /// Institution.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub psp: Option<Psp>,
    /// Holder.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub holder: Option<Holder>,
}

/// A Pix transaction, from the API or inside a webhook (`pix`,
/// `refundTransaction`, `originalTransaction`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Transaction {
    /// Cents that moved.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// When the Pix settled.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub time: Option<String>,
    /// Central Bank end-to-end ID: the unique ID of the money movement, the
    /// natural dedupe key of a payment.
    #[serde(
        alias = "endToEndID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_to_end_id: Option<String>,
    /// Pix txid (matches the charge's `transactionID`).
    #[serde(
        rename = "transactionID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction_id: Option<String>,
    /// Payer's message.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub info_pagador: Option<String>,
    /// Settlement state.
    #[serde(deserialize_with = "opt_enum", skip_serializing_if = "Option::is_none")]
    pub status: Option<TransactionStatus>,
    /// Payment, refund, withdrawal, fee.
    #[serde(
        rename = "type",
        deserialize_with = "opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<TransactionType>,
    /// Woovi's fee in cents.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub fee: Option<i64>,
    /// Receiving Pix key.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix_key: Option<String>,
    /// Partial payment or refund.
    #[serde(deserialize_with = "opt_bool", skip_serializing_if = "Option::is_none")]
    pub partial: Option<bool>,
    /// Woovi's global ID.
    #[serde(
        rename = "globalID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub global_id: Option<String>,
    /// Creation time.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<String>,
    /// The charge this paid, when any.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub charge: Option<Box<Charge>>,
    /// The static QR code this paid, when any.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix_qr_code: Option<PixQrCode>,
    /// Customer of the charge.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub customer: Option<Customer>,
    /// Who paid.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub payer: Option<Customer>,
    /// Debit side.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub debit_party: Option<Party>,
    /// Credit side.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub credit_party: Option<Party>,
    /// Withdrawal details, for `WITHDRAW`.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub withdraw: Option<Box<Transaction>>,
    /// Refunds of this transaction.
    #[serde(
        deserialize_with = "vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub refunds: Vec<PixRefund>,
}

/// A refund attached to a transaction in `TRANSACTION_REFUND_RECEIVED`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PixRefund {
    /// Cents returned.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// End-to-end ID of the refund Pix.
    #[serde(
        alias = "endToEndID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_to_end_id: Option<String>,
    /// Refund ID.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_id: Option<String>,
    /// Return identification (D… end-to-end of the devolution).
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub return_identification: Option<String>,
    /// Correlation ID.
    #[serde(
        rename = "correlationID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// State, verbatim.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// When.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub time: Option<String>,
}

/// Query of `GET /api/v1/transaction`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionListParams {
    /// RFC 3339 start.
    pub start: Option<String>,
    /// RFC 3339 end.
    pub end: Option<String>,
    /// Charge ID, correlation ID or txid.
    pub charge: Option<String>,
    /// Static QR code ID, correlation ID or identifier.
    pub pix_qr_code: Option<String>,
    /// Withdrawal ID or end-to-end ID.
    pub withdrawal: Option<String>,
    /// Items to skip.
    pub skip: Option<u32>,
    /// Page size.
    pub limit: Option<u32>,
}
