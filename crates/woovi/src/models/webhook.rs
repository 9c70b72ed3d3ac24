//! Webhook registrations and Woovi's published signing keys.

use super::lenient::{open_enum, opt_bool, opt_enum, opt_string, vec_lenient};
use serde::{Deserialize, Serialize};

open_enum! {
    /// Event a webhook registration listens to.
    WebhookEventKind {
        /// Charge created.
        ChargeCreated = "OPENPIX:CHARGE_CREATED",
        /// Charge fully paid.
        ChargeCompleted = "OPENPIX:CHARGE_COMPLETED",
        /// Charge expired unpaid.
        ChargeExpired = "OPENPIX:CHARGE_EXPIRED",
        /// Pix received.
        TransactionReceived = "OPENPIX:TRANSACTION_RECEIVED",
        /// Refund received or sent.
        TransactionRefundReceived = "OPENPIX:TRANSACTION_REFUND_RECEIVED",
        /// Outgoing payment confirmed.
        MovementConfirmed = "OPENPIX:MOVEMENT_CONFIRMED",
    }
}

/// Registration data for `POST /api/v1/webhook`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRequest {
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Event; `OPENPIX:TRANSACTION_RECEIVED` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<WebhookEventKind>,
    /// Where Woovi posts.
    pub url: String,
    /// Value Woovi echoes in the `Authorization` header of each delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
    /// Active right away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

/// A webhook registration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Webhook {
    /// ID (for delete).
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// Label.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Event.
    #[serde(deserialize_with = "opt_enum", skip_serializing_if = "Option::is_none")]
    pub event: Option<WebhookEventKind>,
    /// Target URL.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<String>,
    /// Echoed authorization value.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub authorization: Option<String>,
    /// Active.
    #[serde(deserialize_with = "opt_bool", skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
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
}

/// One key of `GET /api/v1/webhook/public-keys` (snake_case on the wire).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookPublicKey {
    /// SHA-256 of the DER key, hex.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub key_identifier: Option<String>,
    /// SPKI PEM.
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub key: Option<String>,
    /// The key signing right now; others are still valid during a rotation.
    #[serde(deserialize_with = "opt_bool", skip_serializing_if = "Option::is_none")]
    pub is_current: Option<bool>,
}

/// Answer of `GET /api/v1/webhook/public-keys`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookPublicKeys {
    /// Every key that may sign webhooks now.
    #[serde(deserialize_with = "vec_lenient")]
    pub public_keys: Vec<WebhookPublicKey>,
}
