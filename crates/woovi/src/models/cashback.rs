//! Exclusive (fidelity) cashback.

use super::lenient::{opt_i64, opt_object, opt_string};
use serde::{Deserialize, Serialize};

/// Pending cashback of a customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CashbackBalance {
    /// Cents still to receive.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub balance: Option<i64>,
    /// State, verbatim.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
}

/// Body of `POST /api/v1/cashback-fidelity`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CashbackRequest {
    /// Customer's CPF/CNPJ.
    #[serde(rename = "taxID")]
    pub tax_id: String,
    /// Cents.
    pub value: i64,
}

/// A cashback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Cashback {
    /// Cents.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
}

/// Answer of get-or-create (200 existing, 201 new).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CashbackResponse {
    /// The cashback.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub cashback: Option<Cashback>,
    /// What happened.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
}
