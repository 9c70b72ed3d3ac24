//! Stored records and how each renders as Woovi JSON.
//!
//! Records keep only what the sandbox needs; `render` builds the JSON shape
//! of the OpenAPI schema (and of the webhook examples) from them.

use crate::clock::iso;
use crate::pix::PIX_KEY;
use crate::store::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::OffsetDateTime;

/// Kind of a Brazilian tax ID by its digit count, as Woovi labels it.
pub(crate) fn tax_id_json(tax_id: &str) -> Value {
    let digits = tax_id.chars().filter(char::is_ascii_digit).count();
    let kind = if digits == 14 { "BR:CNPJ" } else { "BR:CPF" };
    json!({ "taxID": tax_id, "type": kind })
}

/// Inserts `key: value` only when there is a value (Woovi omits empty fields,
/// and the schemas do not allow `null` for them).
fn put(map: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), v.into());
    }
}

/// A customer (standalone, or embedded in a charge as customer or payer).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CustomerRec {
    pub correlation_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<Value>,
}

impl CustomerRec {
    pub(crate) fn render(&self) -> Value {
        let mut m = Map::new();
        put(&mut m, "name", self.name.clone());
        put(&mut m, "email", self.email.clone());
        put(&mut m, "phone", self.phone.clone());
        put(&mut m, "taxID", self.tax_id.as_deref().map(tax_id_json));
        m.insert("correlationID".into(), self.correlation_id.clone().into());
        put(&mut m, "address", self.address.clone());
        Value::Object(m)
    }
}

impl Record for CustomerRec {
    const KIND: &'static str = "customer";
    fn key(&self) -> &str {
        &self.correlation_id
    }
    fn aliases(&self) -> Vec<String> {
        let mut a = vec![self.correlation_id.clone()];
        a.extend(self.tax_id.iter().map(|t| format!("taxID:{t}")));
        a
    }
}

/// Lifecycle of a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum ChargeStatus {
    Active,
    Completed,
    Expired,
}

impl ChargeStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Completed => "COMPLETED",
            Self::Expired => "EXPIRED",
        }
    }
}

/// A charge (dynamic Pix QR code).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ChargeRec {
    pub correlation_id: String,
    pub global_id: String,
    /// Also the `transactionID` (Pix txid), as on Woovi.
    pub identifier: String,
    pub payment_link_id: String,
    pub value: i64,
    pub kind: String,
    pub comment: String,
    pub status: ChargeStatus,
    pub customer: Option<CustomerRec>,
    pub payer: Option<CustomerRec>,
    pub additional_info: Vec<Value>,
    pub br_code: String,
    pub expires_in: i64,
    pub ensure_same_tax_id: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_date: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub paid_at: Option<OffsetDateTime>,
}

impl ChargeRec {
    pub(crate) fn qr_code_image(&self, base: &str) -> String {
        format!(
            "{base}/openpix/charge/brcode/image/{}.png",
            self.payment_link_id
        )
    }

    pub(crate) fn render(&self, base: &str) -> Value {
        let image = self.qr_code_image(base);
        let mut m = Map::new();
        m.insert("value".into(), self.value.into());
        put(
            &mut m,
            "customer",
            self.customer.as_ref().map(CustomerRec::render),
        );
        m.insert("type".into(), self.kind.clone().into());
        m.insert("comment".into(), self.comment.clone().into());
        m.insert("brCode".into(), self.br_code.clone().into());
        m.insert("status".into(), self.status.as_str().into());
        m.insert("correlationID".into(), self.correlation_id.clone().into());
        m.insert("paymentLinkID".into(), self.payment_link_id.clone().into());
        m.insert(
            "paymentLinkUrl".into(),
            format!("{base}/pay/{}", self.payment_link_id).into(),
        );
        m.insert("globalID".into(), self.global_id.clone().into());
        m.insert("transactionID".into(), self.identifier.clone().into());
        m.insert("identifier".into(), self.identifier.clone().into());
        m.insert("qrCodeImage".into(), image.clone().into());
        m.insert(
            "additionalInfo".into(),
            Value::Array(self.additional_info.clone()),
        );
        m.insert("pixKey".into(), PIX_KEY.into());
        m.insert("discount".into(), 0.into());
        m.insert("valueWithDiscount".into(), self.value.into());
        m.insert("fee".into(), 0.into());
        m.insert("ensureSameTaxID".into(), self.ensure_same_tax_id.into());
        m.insert("createdAt".into(), iso(self.created_at).into());
        m.insert("updatedAt".into(), iso(self.updated_at).into());
        m.insert("expiresIn".into(), self.expires_in.into());
        m.insert("expiresDate".into(), iso(self.expires_date).into());
        put(&mut m, "paidAt", self.paid_at.map(iso));
        put(
            &mut m,
            "payer",
            self.payer.as_ref().map(CustomerRec::render),
        );
        m.insert(
            "paymentMethods".into(),
            json!({ "pix": {
                "method": "PIX_COB",
                "status": self.status.as_str(),
                "value": self.value,
                "txId": self.identifier,
                "fee": 0,
                "brCode": self.br_code,
                "transactionID": self.identifier,
                "identifier": self.identifier,
                "additionalInfo": self.additional_info,
                "qrCodeImage": image,
            }}),
        );
        Value::Object(m)
    }
}

impl Record for ChargeRec {
    const KIND: &'static str = "charge";
    fn key(&self) -> &str {
        &self.correlation_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![
            self.correlation_id.clone(),
            self.global_id.clone(),
            self.identifier.clone(),
            self.payment_link_id.clone(),
        ]
    }
}

/// A received Pix (payment of a charge).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TransactionRec {
    pub global_id: String,
    pub end_to_end_id: String,
    /// The charge's txid.
    pub transaction_id: String,
    pub charge: Option<String>,
    pub value: i64,
    pub info_pagador: String,
    pub payer: CustomerRec,
    pub customer: Option<CustomerRec>,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
}

impl TransactionRec {
    /// Without the embedded charge (webhooks and API add it when known).
    pub(crate) fn render(&self, charge: Option<Value>) -> Value {
        let mut m = Map::new();
        put(&mut m, "charge", charge);
        put(
            &mut m,
            "customer",
            self.customer.as_ref().map(CustomerRec::render),
        );
        m.insert("payer".into(), self.payer.render());
        m.insert("value".into(), self.value.into());
        m.insert("time".into(), iso(self.time).into());
        m.insert("endToEndId".into(), self.end_to_end_id.clone().into());
        m.insert("transactionID".into(), self.transaction_id.clone().into());
        m.insert("infoPagador".into(), self.info_pagador.clone().into());
        m.insert("fee".into(), 0.into());
        m.insert("type".into(), "PAYMENT".into());
        m.insert("status".into(), "CONFIRMED".into());
        m.insert("pixKey".into(), PIX_KEY.into());
        m.insert("createdAt".into(), iso(self.time).into());
        m.insert("globalID".into(), self.global_id.clone().into());
        Value::Object(m)
    }
}

impl Record for TransactionRec {
    const KIND: &'static str = "transaction";
    fn key(&self) -> &str {
        &self.global_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![
            self.global_id.clone(),
            self.end_to_end_id.clone(),
            self.transaction_id.clone(),
        ]
    }
}

/// Lifecycle of a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum RefundStatus {
    InProcessing,
    Confirmed,
    Rejected,
}

/// A refund of a received Pix.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RefundRec {
    pub correlation_id: String,
    pub refund_id: String,
    pub global_id: String,
    pub end_to_end_id: String,
    pub transaction: String,
    pub charge: Option<String>,
    pub value: i64,
    pub comment: Option<String>,
    pub status: RefundStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
}

impl RefundRec {
    /// Shape of `/api/v1/charge/{id}/refund` (`ChargeRefund`).
    pub(crate) fn render_charge_refund(&self) -> Value {
        let status = match self.status {
            RefundStatus::InProcessing => "IN_PROCESSING",
            RefundStatus::Confirmed => "CONFIRMED",
            RefundStatus::Rejected => "REJECTED",
        };
        let mut m = Map::new();
        m.insert("value".into(), self.value.into());
        m.insert("status".into(), status.into());
        m.insert("correlationID".into(), self.correlation_id.clone().into());
        m.insert("endToEndId".into(), self.end_to_end_id.clone().into());
        m.insert("time".into(), iso(self.time).into());
        put(&mut m, "comment", self.comment.clone());
        Value::Object(m)
    }

    /// Shape of `/api/v1/refund` (`Refund`: REFUNDED / NOT_ACCOMPLISHED).
    pub(crate) fn render_refund(&self) -> Value {
        let status = match self.status {
            RefundStatus::InProcessing => "IN_PROCESSING",
            RefundStatus::Confirmed => "REFUNDED",
            RefundStatus::Rejected => "NOT_ACCOMPLISHED",
        };
        let mut m = Map::new();
        m.insert("value".into(), self.value.into());
        m.insert("status".into(), status.into());
        m.insert("correlationID".into(), self.correlation_id.clone().into());
        m.insert("refundId".into(), self.refund_id.clone().into());
        m.insert("endToEndId".into(), self.end_to_end_id.clone().into());
        m.insert("time".into(), iso(self.time).into());
        put(&mut m, "comment", self.comment.clone());
        Value::Object(m)
    }
}

impl Record for RefundRec {
    const KIND: &'static str = "refund";
    fn key(&self) -> &str {
        &self.correlation_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![
            self.correlation_id.clone(),
            self.refund_id.clone(),
            self.global_id.clone(),
            self.end_to_end_id.clone(),
        ]
    }
}

/// A registered webhook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WebhookRec {
    pub id: String,
    pub name: String,
    pub event: String,
    pub url: String,
    pub authorization: Option<String>,
    pub is_active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl WebhookRec {
    pub(crate) fn render(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), self.id.clone().into());
        m.insert("name".into(), self.name.clone().into());
        m.insert("event".into(), self.event.clone().into());
        m.insert("url".into(), self.url.clone().into());
        put(&mut m, "authorization", self.authorization.clone());
        m.insert("isActive".into(), self.is_active.into());
        m.insert("createdAt".into(), iso(self.created_at).into());
        m.insert("updatedAt".into(), iso(self.created_at).into());
        Value::Object(m)
    }
}

impl Record for WebhookRec {
    const KIND: &'static str = "webhook";
    fn key(&self) -> &str {
        &self.id
    }
    fn aliases(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

/// A static Pix QR code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PixQrCodeRec {
    pub correlation_id: String,
    pub global_id: String,
    pub identifier: String,
    pub payment_link_id: String,
    pub name: String,
    pub value: Option<i64>,
    pub comment: Option<String>,
    pub br_code: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl PixQrCodeRec {
    pub(crate) fn render(&self, base: &str) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), self.name.clone().into());
        put(&mut m, "value", self.value);
        put(&mut m, "comment", self.comment.clone());
        m.insert("brCode".into(), self.br_code.clone().into());
        m.insert("correlationID".into(), self.correlation_id.clone().into());
        m.insert("identifier".into(), self.identifier.clone().into());
        m.insert("paymentLinkID".into(), self.payment_link_id.clone().into());
        m.insert(
            "paymentLinkUrl".into(),
            format!("{base}/pay/{}", self.payment_link_id).into(),
        );
        m.insert("globalID".into(), self.global_id.clone().into());
        m.insert("pixKey".into(), PIX_KEY.into());
        m.insert(
            "qrCodeImage".into(),
            format!(
                "{base}/openpix/charge/brcode/image/{}.png",
                self.payment_link_id
            )
            .into(),
        );
        m.insert("createdAt".into(), iso(self.created_at).into());
        m.insert("updatedAt".into(), iso(self.created_at).into());
        Value::Object(m)
    }
}

impl Record for PixQrCodeRec {
    const KIND: &'static str = "pix_qr_code";
    fn key(&self) -> &str {
        &self.correlation_id
    }
    fn aliases(&self) -> Vec<String> {
        vec![
            self.correlation_id.clone(),
            self.global_id.clone(),
            self.identifier.clone(),
            self.payment_link_id.clone(),
        ]
    }
}
