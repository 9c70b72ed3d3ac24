//! Eduzz Developer Hub webhooks: envelope `{ id, event, data, sentDate }`,
//! `x-signature` = hex HMAC-SHA256(secret, raw body), deduplicated on `id`.
//! `myeduzz.invoice_*` events move orders (keyed like the legacy webhook's,
//! so both dialects reach one order per invoice); `contract_*` and
//! `commission_processed` are recorded.

use super::eduzz::PLATFORM;
use super::field_tree::{self, Encoding, Field};
use super::shared_secret::HmacKeys;
use super::{AuthError, ParseError, Provider};
use crate::config::EduzzConfig;
use crate::domain::sale::order_key;
use crate::domain::{
    status_mapping, Buyer, Cents, Email, EventHead, EventKind, OrderRef, PaymentEvent,
    PaymentMethod, PersonName, Phone, Product, Sale,
};
use http::HeaderMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Provider name in paths and rows.
pub const NAME: &str = "eduzz-hub";

/// The Eduzz Developer Hub provider with its HMAC secrets.
#[derive(Debug)]
pub struct EduzzHubProvider {
    secrets: HmacKeys,
}

impl EduzzHubProvider {
    /// From `PAYBRIDGE_EDUZZ_HUB_SECRETS` / `[eduzz] hub_secrets`.
    pub fn from_config(cfg: &EduzzConfig) -> Self {
        EduzzHubProvider {
            secrets: HmacKeys::new(&cfg.hub_secrets),
        }
    }
}

impl Provider for EduzzHubProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), AuthError> {
        if self.secrets.is_empty() {
            return Err(AuthError::NotConfigured("Eduzz Hub secret"));
        }
        let sig = headers
            .get("x-signature")
            .map(|v| v.as_bytes().trim_ascii())
            .filter(|v| !v.is_empty())
            .ok_or(AuthError::MissingSignature)?;
        let tag = hex::decode(sig).map_err(|_| AuthError::InvalidSignature)?;
        if self.secrets.verifies(body, &tag) {
            Ok(())
        } else {
            Err(AuthError::InvalidSignature)
        }
    }

    fn parse(&self, _headers: &HeaderMap, body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError> {
        parse_body(body)
    }

    fn unconfigured(&self) -> Option<String> {
        self.secrets.is_empty().then(|| {
            "eduzz-hub: no secret configured (PAYBRIDGE_EDUZZ_HUB_SECRETS); every /webhooks/eduzz-hub request is refused with 401".to_owned()
        })
    }
}

fn bad(msg: impl Into<String>) -> ParseError {
    ParseError::Malformed(msg.into())
}

fn reais(f: &Field, path: &[&str], name: &str) -> Result<Option<Cents>, ParseError> {
    f.text(path)
        .map(|s| Cents::parse_reais(s).map_err(|e| bad(format!("{name}: {s:?} {e}"))))
        .transpose()
}

fn invoice_ref(id: &str) -> Result<OrderRef, ParseError> {
    Ok(OrderRef {
        correlation_id: Some(
            order_key(PLATFORM, id)
                .map_err(|e| bad(e.to_string()))?
                .as_str()
                .to_owned(),
        ),
        provider_ref: Some(id.to_owned()),
        end_to_end_id: None,
    })
}

fn items(data: &Field) -> Result<Vec<Product>, ParseError> {
    let Some(list) = data.get("items") else {
        return Ok(Vec::new());
    };
    let list = list
        .items()
        .ok_or_else(|| bad("data.items must be an array"))?;
    list.into_iter()
        .enumerate()
        .map(|(i, item)| {
            let id = item
                .text(&["productId"])
                .ok_or_else(|| bad(format!("data.items[{i}].productId is required")))?;
            Ok(Product {
                id: id.to_owned(),
                name: item.text(&["name"]).unwrap_or(id).to_owned(),
                kind: None,
                amount: reais(
                    item,
                    &["price", "value"],
                    &format!("data.items[{i}].price.value"),
                )?,
                links: Vec::new(),
            })
        })
        .collect()
}

/// Parses an authenticated Developer Hub body.
pub fn parse_body(body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError> {
    // The tree keeps JSON numbers as written (reais → exact cents); the
    // value is what the inbox and the timeline keep.
    let tree = field_tree::decode(Encoding::Json, body).map_err(|e| bad(e.to_string()))?;
    let raw: serde_json::Value = serde_json::from_slice(body).map_err(|e| bad(e.to_string()))?;
    let id = tree.text(&["id"]).ok_or_else(|| bad("id is required"))?;
    let event = tree
        .text(&["event"])
        .ok_or_else(|| bad("event is required"))?;
    let data = match tree.get("data") {
        Some(d @ Field::Group(_)) if raw["data"].is_object() => d,
        _ => return Err(bad("data must be an object")),
    };
    let head = EventHead {
        provider: NAME,
        dedupe_key: id.to_owned(),
        event_type: event.to_owned(),
        occurred_at: tree
            .text(&["sentDate"])
            .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok()),
        raw_status: Some(data.text(&["status"]).unwrap_or(event).to_owned()),
        raw,
    };
    if event.starts_with("myeduzz.contract_") {
        return Ok(vec![
            head.event(EventKind::Informational, OrderRef::default())
        ]);
    }
    if event == "myeduzz.commission_processed" {
        let order_ref = match data.text(&["invoiceId"]) {
            Some(inv) => invoice_ref(inv)?,
            None => OrderRef::default(),
        };
        return Ok(vec![head.event(EventKind::Informational, order_ref)]);
    }
    let Some(invoice_id) = data
        .text(&["id"])
        .filter(|_| event.starts_with("myeduzz.invoice_"))
    else {
        return Ok(vec![head.event(EventKind::Unknown, OrderRef::default())]);
    };
    let Some(stated) = status_mapping::eduzz_hub(event) else {
        return Ok(vec![
            head.event(EventKind::Unknown, invoice_ref(invoice_id)?)
        ]);
    };
    let amount = reais(data, &["price", "value"], "data.price.value")?
        .ok_or_else(|| bad("data.price.value is required"))?;
    let sale = Sale {
        platform: PLATFORM,
        transaction_id: invoice_id.to_owned(),
        stated: Some(stated),
        amount,
        buyer: Buyer {
            name: data
                .text(&["buyer", "name"])
                .and_then(|s| PersonName::parse(s).ok()),
            email: data
                .text(&["buyer", "email"])
                .and_then(|s| Email::parse(s).ok()),
            document: None,
            phone: ["cellphone", "phone", "phone2"]
                .iter()
                .find_map(|k| data.text(&["buyer", k]).and_then(|s| Phone::parse(s).ok())),
        },
        student_email: None,
        payment_method: data.text(&["paymentMethod"]).map(PaymentMethod::from_word),
        products: items(data)?,
        subscription: None,
    };
    sale.into_events(head).map_err(|e| bad(e.to_string()))
}
