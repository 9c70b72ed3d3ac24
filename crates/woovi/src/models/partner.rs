//! Partner API: pre-registrations of affiliated companies and their API apps.

use super::common::TaxId;
use super::lenient::{opt_bool, opt_object, opt_string, vec_lenient};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Tax ID with explicit type, as partner requests want it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxIdInput {
    /// Digits.
    #[serde(rename = "taxID")]
    pub tax_id: String,
    /// `BR:CNPJ` or `BR:CPF`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Application to create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInput {
    /// Label.
    pub name: String,
    /// `API`, `PLUGIN`, `ORACLE`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Scopes to grant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
}

/// Body of `POST /api/v1/partner/application`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerApplicationRequest {
    /// The application.
    pub application: ApplicationInput,
    /// Company it belongs to.
    #[serde(rename = "taxID")]
    pub tax_id: TaxIdInput,
}

/// A created application, including its credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PartnerApplication {
    /// Label.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Active.
    #[serde(deserialize_with = "opt_bool", skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Type.
    #[serde(
        rename = "type",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<String>,
    /// Client ID.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_id: Option<String>,
    /// Client secret; treat like an appID.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_secret: Option<String>,
    /// Granted scopes.
    #[serde(
        deserialize_with = "vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub scopes: Vec<String>,
}

/// Company data of a pre-registration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PreRegistrationCompany {
    /// Legal name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// CNPJ.
    #[serde(
        rename = "taxID",
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_id: Option<TaxId>,
    /// Site.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub website: Option<String>,
}

/// Responsible user of a pre-registration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PreRegistrationUser {
    /// First name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_name: Option<String>,
    /// E-mail.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub email: Option<String>,
    /// Phone.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone: Option<String>,
    /// CPF.
    #[serde(
        rename = "taxID",
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_id: Option<TaxId>,
}

/// A pre-registration (request and answer share the shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PreRegistration {
    /// Company.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub pre_registration: Option<PreRegistrationCompany>,
    /// Responsible user.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<PreRegistrationUser>,
    /// Company once approved, verbatim.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub company: Option<Map<String, Value>>,
    /// Account once opened, verbatim.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub account: Option<Map<String, Value>>,
}
