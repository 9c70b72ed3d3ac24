//! Records of the endpoints around the pay-in flow: payments (Pix out),
//! subscriptions, partner pre-registrations and applications, cashback,
//! withdrawals.

use crate::clock::iso;
use crate::model::{tax_id_json, CustomerRec};
use crate::store::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::OffsetDateTime;

/// Woovi's names for the kind of a Pix key.
pub(crate) fn alias_type(key: &str) -> &'static str {
    let digits = key.chars().filter(char::is_ascii_digit).count();
    if key.contains('@') {
        "EMAIL"
    } else if key.starts_with('+') {
        "PHONE"
    } else if digits == key.len() && digits == 11 {
        "CPF"
    } else if digits == key.len() && digits == 14 {
        "CNPJ"
    } else {
        "RANDOM"
    }
}

/// A payment request (Pix out to a key).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PaymentRec {
    pub correlation_id: String,
    pub global_id: String,
    pub value: i64,
    pub destination_alias: String,
    pub comment: Option<String>,
    pub source_account_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl PaymentRec {
    pub(crate) fn render_payment(&self) -> Value {
        let mut p = json!({
            "type": "PIX_KEY",
            "value": self.value,
            "destinationAlias": self.destination_alias,
            "destinationAliasType": alias_type(&self.destination_alias),
            "correlationID": self.correlation_id,
            "status": "CREATED",
        });
        if let Some(c) = &self.comment {
            p["comment"] = c.clone().into();
        }
        if let Some(s) = &self.source_account_id {
            p["sourceAccountId"] = s.clone().into();
        }
        p
    }

    /// `{payment, transaction, destination}` as in get and list.
    pub(crate) fn render_full(&self) -> Value {
        json!({
            "payment": self.render_payment(),
            "transaction": { "value": self.value, "time": iso(self.created_at) },
            "destination": { "pixKey": self.destination_alias },
        })
    }
}

impl Record for PaymentRec {
    const KIND: &'static str = "payment";
    fn key(&self) -> &str {
        &self.correlation_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![self.correlation_id.clone(), self.global_id.clone()]
    }
}

/// A recurring charge plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SubscriptionRec {
    pub global_id: String,
    pub correlation_id: String,
    pub name: Option<String>,
    pub value: i64,
    pub customer: CustomerRec,
    pub day_generate_charge: i64,
    pub frequency: String,
}

impl SubscriptionRec {
    pub(crate) fn render(&self) -> Value {
        let mut s = json!({
            "globalID": self.global_id,
            "value": self.value,
            "customer": self.customer.render(),
            "dayGenerateCharge": self.day_generate_charge,
            "type": "RECURRENT",
            "frequency": self.frequency,
            "isActive": true,
            "status": "ACTIVE",
            "correlationID": self.correlation_id,
        });
        if let Some(n) = &self.name {
            s["name"] = n.clone().into();
        }
        s
    }
}

impl Record for SubscriptionRec {
    const KIND: &'static str = "subscription";
    fn key(&self) -> &str {
        &self.global_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![self.global_id.clone(), self.correlation_id.clone()]
    }
}

/// A company pre-registered by the partner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PreRegistrationRec {
    pub tax_id: String,
    pub name: String,
    pub website: Option<String>,
    /// `PreRegistrationUserObject` as sent (taxID normalised to an object).
    pub user: Value,
    pub company_id: String,
}

impl PreRegistrationRec {
    pub(crate) fn render_pre_registration(&self) -> Value {
        let mut p = json!({ "name": self.name, "taxID": tax_id_json(&self.tax_id) });
        if let Some(w) = &self.website {
            p["website"] = w.clone().into();
        }
        p
    }

    /// Shape of the get/list item (`preRegistration`, `user`, `company`, `account`).
    pub(crate) fn render_item(&self, client_id: Option<&str>) -> Value {
        let mut item = json!({
            "preRegistration": self.render_pre_registration(),
            "user": self.user,
            "company": { "id": self.company_id, "name": self.name, "taxID": tax_id_json(&self.tax_id) },
        });
        if let Some(c) = client_id {
            item["account"] = json!({ "clientId": c });
        }
        item
    }
}

impl Record for PreRegistrationRec {
    const KIND: &'static str = "pre_registration";
    fn key(&self) -> &str {
        &self.tax_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![self.tax_id.clone()]
    }
}

/// An API application created for a pre-registered company; its AppID is
/// accepted by the sandbox from then on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ApplicationRec {
    pub client_id: String,
    pub client_secret: String,
    pub name: String,
    pub kind: String,
    pub company_tax_id: String,
}

impl ApplicationRec {
    /// `base64(clientId:clientSecret)`, the value of `Authorization`.
    pub(crate) fn app_id(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.client_id, self.client_secret))
    }

    pub(crate) fn render(&self) -> Value {
        json!({
            "name": self.name,
            "isActive": true,
            "type": self.kind,
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
        })
    }
}

impl Record for ApplicationRec {
    const KIND: &'static str = "application";
    fn key(&self) -> &str {
        &self.client_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![
            self.client_id.clone(),
            format!("taxID:{}", self.company_tax_id),
        ]
    }
}

/// A pending exclusive cashback of a customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CashbackRec {
    pub tax_id: String,
    pub value: i64,
}

impl Record for CashbackRec {
    const KIND: &'static str = "cashback";
    fn key(&self) -> &str {
        &self.tax_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![self.tax_id.clone()]
    }
}

/// Money taken out of the sandbox account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WithdrawalRec {
    pub end_to_end_id: String,
    pub value: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
}

impl Record for WithdrawalRec {
    const KIND: &'static str = "withdrawal";
    fn key(&self) -> &str {
        &self.end_to_end_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![self.end_to_end_id.clone()]
    }
}
