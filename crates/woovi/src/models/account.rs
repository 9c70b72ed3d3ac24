//! Woovi bank accounts, balances and withdrawals.

use super::lenient::{opt_bool, opt_i64, opt_object, opt_string};
use super::transaction::Transaction;
use serde::{Deserialize, Serialize};

/// Balance of an account, in cents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Balance {
    /// Total.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// Blocked.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub blocked: Option<i64>,
    /// Available to withdraw.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub available: Option<i64>,
}

/// A Woovi bank account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Account {
    /// Account ID.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_id: Option<String>,
    /// Default account of the company.
    #[serde(deserialize_with = "opt_bool", skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    /// Balance.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub balance: Option<Balance>,
    /// Holder's tax ID.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_id: Option<String>,
    /// Holder's legal name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub official_name: Option<String>,
    /// Holder's trade name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub trade_name: Option<String>,
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
    /// Label.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_name: Option<String>,
}

/// Result of a withdrawal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Withdrawal {
    /// Account after the withdrawal.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub account: Option<Account>,
    /// The outgoing Pix.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction: Option<Transaction>,
}
