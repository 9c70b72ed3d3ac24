//! Shapes shared by several resources: tax IDs, addresses, customers, paging.

use super::lenient::{open_enum, opt_bool, opt_enum, opt_i64, opt_object, opt_string};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

open_enum! {
    /// Kind of Brazilian tax ID, as Woovi labels it.
    TaxIdType {
        /// Individual (CPF, 11 digits).
        Cpf = "BR:CPF",
        /// Company (CNPJ, 14 digits).
        Cnpj = "BR:CNPJ",
    }
}

/// A tax ID as Woovi returns it (`{"taxID": "...", "type": "BR:CPF"}`).
///
/// Requests send the bare string instead; a bare string or number in a
/// response is accepted too and yields `kind: None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TaxId {
    /// The digits (Woovi does not always strip punctuation).
    #[serde(rename = "taxID")]
    pub tax_id: String,
    /// CPF or CNPJ, when Woovi says.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<TaxIdType>,
}

impl<'de> Deserialize<'de> for TaxId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Ok(match v {
            Value::String(s) => TaxId {
                tax_id: s,
                kind: None,
            },
            Value::Number(n) => TaxId {
                tax_id: n.to_string(),
                kind: None,
            },
            Value::Object(mut m) => {
                let tax_id = match m.remove("taxID").or_else(|| m.remove("taxId")) {
                    Some(Value::String(s)) => s,
                    Some(Value::Number(n)) => n.to_string(),
                    _ => String::new(),
                };
                let kind = match m.remove("type") {
                    Some(Value::String(s)) => Some(TaxIdType::from(s.as_str())),
                    _ => None,
                };
                TaxId { tax_id, kind }
            }
            _ => TaxId::default(),
        })
    }
}

/// Postal address of a customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Address {
    /// CEP.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub zipcode: Option<String>,
    /// Street name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub street: Option<String>,
    /// House number (text: "S/N" exists).
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub number: Option<String>,
    /// Bairro.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub neighborhood: Option<String>,
    /// City.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub city: Option<String>,
    /// State (UF).
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub state: Option<String>,
    /// Apartment, suite…
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub complement: Option<String>,
    /// Country code.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub country: Option<String>,
}

/// A customer or payer as Woovi returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Customer {
    /// Full name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// E-mail.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub email: Option<String>,
    /// Phone, usually E.164 without separators.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone: Option<String>,
    /// CPF/CNPJ.
    #[serde(
        rename = "taxID",
        deserialize_with = "opt_object_or_str",
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_id: Option<TaxId>,
    /// Merchant-side ID of the customer.
    #[serde(
        rename = "correlationID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// Postal address.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub address: Option<Address>,
}

fn opt_object_or_str<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TaxId>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => TaxId::deserialize(v)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// Customer data sent when creating a charge, customer or subscription.
///
/// Woovi needs `name` plus at least one of `taxID`, `email` or `phone`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerInput {
    /// Full name.
    pub name: String,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone, E.164 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// CPF/CNPJ digits (a bare string on requests).
    #[serde(rename = "taxID", default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    /// Merchant-side ID of the customer.
    #[serde(
        rename = "correlationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// One `{key, value}` pair shown to the payer; where the buyer's age goes,
/// since Woovi's customer has no such field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdditionalInfo {
    /// Label.
    #[serde(default, deserialize_with = "string_or_empty")]
    pub key: String,
    /// Value, always text on the wire.
    #[serde(default, deserialize_with = "string_or_empty")]
    pub value: String,
}

impl AdditionalInfo {
    /// Builds a pair.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

fn string_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string(d)?.unwrap_or_default())
}

/// Paging metadata of every Woovi list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageInfo {
    /// Items skipped before this page.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub skip: Option<i64>,
    /// Page size the server applied.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Total items matching the query, when the server counts them.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// Whether a previous page exists.
    #[serde(deserialize_with = "opt_bool", skip_serializing_if = "Option::is_none")]
    pub has_previous_page: Option<bool>,
    /// Whether another page follows; drives the list streams.
    #[serde(deserialize_with = "opt_bool", skip_serializing_if = "Option::is_none")]
    pub has_next_page: Option<bool>,
}

/// The company a webhook or account belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Company {
    /// Woovi's company ID.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// Legal name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// CNPJ (a bare string here).
    #[serde(
        rename = "taxID",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_id: Option<String>,
}

open_enum! {
    /// Environment that produced a webhook.
    AccountEnvironment {
        /// Real money.
        Production = "PRODUCTION",
        /// Woovi's test environment.
        Testing = "TESTING",
    }
}

/// Account block of a webhook: which app/environment sent it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WebhookAccount {
    /// Client ID of the sending application.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_id: Option<String>,
    /// Production or testing; lets a store refuse test payments in production.
    #[serde(deserialize_with = "opt_enum", skip_serializing_if = "Option::is_none")]
    pub environment: Option<AccountEnvironment>,
    /// Bank account ID, on Woovi account webhooks.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_id: Option<String>,
}

/// `{status, id}` answer of delete operations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeleteResponse {
    /// `OK` on success.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// The ID that was deleted, when echoed.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
}
