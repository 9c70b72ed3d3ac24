//! Typed webhook payloads. Parse only after [`super::WebhookVerifier`] accepted the raw body.

use crate::client::AppId;
use crate::models::lenient::{opt_i64, opt_object, opt_string, vec_lenient};
use crate::models::{
    Charge, Company, Customer, Payment, PixQrCode, PixRefund, Transaction, WebhookAccount,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Why a body is not a readable webhook.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// Not JSON at all.
    #[error("webhook body is not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// JSON, but not an object.
    #[error("webhook body is not a JSON object")]
    NotAnObject,
    /// A known event whose payload has the wrong structure.
    #[error("webhook {event} has an unreadable payload: {source}")]
    Payload {
        /// The event name.
        event: String,
        /// What did not fit.
        #[source]
        source: serde_json::Error,
    },
}

/// A charge webhook (`CHARGE_CREATED`, `CHARGE_COMPLETED`, `CHARGE_EXPIRED`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChargeEvent {
    /// Event name as sent (`OPENPIX:CHARGE_COMPLETED`, `woovi:CHARGE_COMPLETED`).
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<String>,
    /// The charge.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub charge: Option<Charge>,
    /// The Pix that paid it (completed charges).
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix: Option<Transaction>,
    /// Who paid, when it differs from the customer.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub payer: Option<Customer>,
    /// Merchant company.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub company: Option<Company>,
    /// Sending application / environment.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub account: Option<WebhookAccount>,
}

/// A Pix received (`TRANSACTION_RECEIVED`) or refunded (`TRANSACTION_REFUND_RECEIVED`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TransactionEvent {
    /// Event name as sent; `None` for old event-less deliveries.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<String>,
    /// The charge paid, when the Pix paid one.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub charge: Option<Charge>,
    /// The static QR code paid, when any.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix_qr_code: Option<PixQrCode>,
    /// The Pix.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub pix: Option<Transaction>,
    /// Refunds of that Pix.
    #[serde(
        deserialize_with = "vec_lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub refunds: Vec<PixRefund>,
    /// Merchant company.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub company: Option<Company>,
    /// Sending application / environment.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub account: Option<WebhookAccount>,
}

/// A Pix refund settled or refused (`PIX_TRANSACTION_REFUND_{SENT,RECEIVED}_{CONFIRMED,REJECTED}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RefundEvent {
    /// Event name as sent.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<String>,
    /// The refund Pix (its `endToEndId` is the refund's ID).
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_transaction: Option<Transaction>,
    /// The payment being refunded.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub original_transaction: Option<Transaction>,
    /// Why it was rejected.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub error: Option<String>,
    /// Merchant company.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub company: Option<Company>,
    /// Account, verbatim.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub account: Option<Map<String, Value>>,
}

impl RefundEvent {
    /// Cents refunded.
    pub fn value(&self) -> Option<i64> {
        self.refund_transaction.as_ref().and_then(|t| t.value)
    }
    /// End-to-end ID of the refund Pix.
    pub fn refund_end_to_end_id(&self) -> Option<&str> {
        self.refund_transaction
            .as_ref()
            .and_then(|t| t.end_to_end_id.as_deref())
    }
    /// End-to-end ID of the refunded payment: how the order is found.
    pub fn original_end_to_end_id(&self) -> Option<&str> {
        self.original_transaction
            .as_ref()
            .and_then(|t| t.end_to_end_id.as_deref())
    }
}

/// An outgoing payment changed (`MOVEMENT_CONFIRMED`, `_FAILED`, `_REMOVED`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MovementEvent {
    /// Event name as sent.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<String>,
    /// The payment.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment: Option<Payment>,
    /// Its Pix.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction: Option<Transaction>,
    /// Failure details, verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

/// A Pix dispute (MED) changed (`DISPUTE_CREATED`, `_ACCEPTED`, `_REJECTED`, `_CANCELED`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DisputeEvent {
    /// Event name as sent.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub event: Option<String>,
    /// The dispute.
    #[serde(
        deserialize_with = "opt_object",
        skip_serializing_if = "Option::is_none"
    )]
    pub dispute: Option<Dispute>,
}

/// A Pix dispute.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Dispute {
    /// State, verbatim.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// End-to-end ID of the disputed payment.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_to_end_id: Option<String>,
    /// Cents disputed.
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// Reason.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub dispute_reason: Option<String>,
}

/// The test delivery from Woovi's dashboard (`evento: teste_webhook`): proves
/// the URL works; changes nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct TestWebhookEvent {
    /// `event`, when Woovi includes one.
    pub event: Option<String>,
    /// The whole body.
    pub body: Value,
}

/// One-click setup from a Woovi plugin (`woocommerce-configure`, …): carries
/// the appID the store should use.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigureEvent {
    /// Event name as sent.
    pub event: String,
    /// The platform part of the name (`woocommerce`).
    pub platform: String,
    /// The appID, redacted in `Debug`.
    pub app_id: Option<AppId>,
}

/// Anything else, kept whole so it can be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownEvent {
    /// Event name, when any.
    pub event: Option<String>,
    /// The whole body.
    pub body: Value,
}

/// A webhook from Woovi.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A charge was created.
    ChargeCreated(ChargeEvent),
    /// A charge was fully paid.
    ChargeCompleted(ChargeEvent),
    /// A charge was paid by someone other than its customer (sent besides `ChargeCompleted`).
    ChargeCompletedNotSameCustomerPayer(ChargeEvent),
    /// A charge expired unpaid.
    ChargeExpired(ChargeEvent),
    /// A Pix came in (also old deliveries without `event` that carry `pix`).
    TransactionReceived(TransactionEvent),
    /// A Pix was refunded.
    TransactionRefundReceived(TransactionEvent),
    /// A refund we sent settled.
    RefundSentConfirmed(RefundEvent),
    /// A refund we sent was refused.
    RefundSentRejected(RefundEvent),
    /// A refund to us settled.
    RefundReceivedConfirmed(RefundEvent),
    /// A refund to us was refused.
    RefundReceivedRejected(RefundEvent),
    /// An outgoing payment changed.
    Movement(MovementEvent),
    /// A dispute changed.
    Dispute(DisputeEvent),
    /// Dashboard test delivery.
    TestWebhook(TestWebhookEvent),
    /// Plugin one-click configuration.
    Configure(ConfigureEvent),
    /// Not known here.
    Unknown(UnknownEvent),
}

impl Event {
    /// Reads a verified webhook body.
    pub fn parse(body: &[u8]) -> Result<Event, EventError> {
        let value: Value = serde_json::from_slice(body).map_err(EventError::NotJson)?;
        let Value::Object(map) = value else {
            return Err(EventError::NotAnObject);
        };
        let event = map.get("event").and_then(Value::as_str).map(str::to_owned);
        let evento = map.get("evento").and_then(Value::as_str);
        if evento == Some("teste_webhook") || event.as_deref() == Some("teste_webhook") {
            return Ok(Event::TestWebhook(TestWebhookEvent {
                event,
                body: Value::Object(map),
            }));
        }
        let Some(name) = event else {
            // Deliveries from before `event` existed carry `pix` (+ `charge` or `pixQrCode`).
            if map.get("pix").is_some_and(Value::is_object) {
                return typed(map, "TRANSACTION_RECEIVED", Event::TransactionReceived);
            }
            return Ok(Event::Unknown(UnknownEvent {
                event: None,
                body: Value::Object(map),
            }));
        };
        if let Some(platform) = name.strip_suffix("-configure") {
            let app_id = ["appID", "appId", "app_id"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str))
                .map(AppId::new);
            return Ok(Event::Configure(ConfigureEvent {
                platform: platform.to_owned(),
                event: name,
                app_id,
            }));
        }
        let kind = strip_prefix(&name);
        match kind {
            "CHARGE_CREATED" => typed(map, &name, Event::ChargeCreated),
            "CHARGE_COMPLETED" => typed(map, &name, Event::ChargeCompleted),
            "CHARGE_COMPLETED_NOT_SAME_CUSTOMER_PAYER" => {
                typed(map, &name, Event::ChargeCompletedNotSameCustomerPayer)
            }
            "CHARGE_EXPIRED" => typed(map, &name, Event::ChargeExpired),
            "TRANSACTION_RECEIVED" => typed(map, &name, Event::TransactionReceived),
            "TRANSACTION_REFUND_RECEIVED" => typed(map, &name, Event::TransactionRefundReceived),
            "PIX_TRANSACTION_REFUND_SENT_CONFIRMED" => {
                typed(map, &name, Event::RefundSentConfirmed)
            }
            "PIX_TRANSACTION_REFUND_SENT_REJECTED" => typed(map, &name, Event::RefundSentRejected),
            "PIX_TRANSACTION_REFUND_RECEIVED_CONFIRMED" => {
                typed(map, &name, Event::RefundReceivedConfirmed)
            }
            "PIX_TRANSACTION_REFUND_RECEIVED_REJECTED" => {
                typed(map, &name, Event::RefundReceivedRejected)
            }
            k if k.starts_with("MOVEMENT_") => typed(map, &name, Event::Movement),
            k if k.starts_with("DISPUTE_") => typed(map, &name, Event::Dispute),
            _ => Ok(Event::Unknown(UnknownEvent {
                event: Some(name),
                body: Value::Object(map),
            })),
        }
    }

    /// The event name as sent, when the body has one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Event::ChargeCreated(e)
            | Event::ChargeCompleted(e)
            | Event::ChargeCompletedNotSameCustomerPayer(e)
            | Event::ChargeExpired(e) => e.event.as_deref(),
            Event::TransactionReceived(e) | Event::TransactionRefundReceived(e) => {
                e.event.as_deref()
            }
            Event::RefundSentConfirmed(e)
            | Event::RefundSentRejected(e)
            | Event::RefundReceivedConfirmed(e)
            | Event::RefundReceivedRejected(e) => e.event.as_deref(),
            Event::Movement(e) => e.event.as_deref(),
            Event::Dispute(e) => e.event.as_deref(),
            Event::TestWebhook(e) => e.event.as_deref(),
            Event::Configure(e) => Some(&e.event),
            Event::Unknown(e) => e.event.as_deref(),
        }
    }

    /// The charge the event is about, when there is one.
    pub fn charge(&self) -> Option<&Charge> {
        match self {
            Event::ChargeCreated(e)
            | Event::ChargeCompleted(e)
            | Event::ChargeCompletedNotSameCustomerPayer(e)
            | Event::ChargeExpired(e) => e.charge.as_ref(),
            Event::TransactionReceived(e) | Event::TransactionRefundReceived(e) => e
                .charge
                .as_ref()
                .or_else(|| e.pix.as_ref().and_then(|p| p.charge.as_deref())),
            _ => None,
        }
    }
}

/// `OPENPIX:X` and `woovi:X` are the same event.
fn strip_prefix(name: &str) -> &str {
    for prefix in ["OPENPIX:", "openpix:", "WOOVI:", "woovi:"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest;
        }
    }
    name
}

fn typed<T: DeserializeOwned>(
    map: Map<String, Value>,
    name: &str,
    wrap: impl FnOnce(T) -> Event,
) -> Result<Event, EventError> {
    serde_json::from_value(Value::Object(map))
        .map(wrap)
        .map_err(|source| EventError::Payload {
            event: name.to_owned(),
            source,
        })
}
