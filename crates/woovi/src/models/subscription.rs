//! Subscriptions: recurring charges.

use super::common::{Customer, CustomerInput};
use super::lenient::{opt_bool, opt_i64, opt_object, opt_string};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v1/subscriptions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRequest {
    /// Who is billed.
    pub customer: CustomerInput,
    /// Cents per period.
    pub value: i64,
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Payer-facing comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Merchant-side ID.
    #[serde(
        rename = "correlationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// Day of the month charges are generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_generate_charge: Option<i64>,
    /// Days until each charge is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_due: Option<i64>,
    /// WEEKLY, MONTHLY…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// `RECURRENT` (a charge per period) or `PIX_RECURRING` (Pix Automático);
    /// required by the full spec.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl SubscriptionRequest {
    /// A monthly `RECURRENT` subscription of `value` cents, with the
    /// `correlationID` and `type` the full spec requires (the fields stay
    /// optional for callers written against the shorter reference).
    pub fn new(customer: CustomerInput, value: i64, correlation_id: impl Into<String>) -> Self {
        Self {
            customer,
            value,
            correlation_id: Some(correlation_id.into()),
            kind: Some("RECURRENT".into()),
            frequency: Some("MONTHLY".into()),
            ..Self::default()
        }
    }
}

/// A subscription.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Subscription {
    /// Woovi's global ID (used to fetch it).
    #[serde(
        rename = "globalID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub global_id: Option<String>,
    /// Cents per period.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Label.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Who is billed.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub customer: Option<Customer>,
    /// Day of the month charges are generated.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub day_generate_charge: Option<i64>,
    /// Merchant-side ID.
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
    /// Frequency, verbatim.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub frequency: Option<String>,
    /// Type, verbatim.
    #[serde(
        rename = "type",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    /// Whether it still generates charges.
    #[serde(deserialize_with = "opt_bool", skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}
