//! Wiapy (seed 001): JSON sale webhooks, authenticated by the configured token
//! in `Authorization` (with or without `Bearer `). Amounts are already cents.
//! Wiapy sends no event id: a fact is (payment id, status, `dt_update`).

use super::shared_secret::TokenSet;
use super::{AuthError, ParseError, Provider};
use crate::config::WiapyConfig;
use crate::domain::sale::order_key;
use crate::domain::{
    status_mapping, Buyer, Cents, Document, Email, EventHead, EventKind, Link, OrderRef,
    PaymentEvent, PaymentMethod, PersonName, Phone, Product, Sale,
};
use http::HeaderMap;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Provider name in paths and rows.
pub const NAME: &str = "wiapy";

/// The Wiapy provider with its accepted tokens.
#[derive(Debug)]
pub struct WiapyProvider {
    tokens: TokenSet,
}

impl WiapyProvider {
    /// From `PAYBRIDGE_WIAPY_TOKENS` / `[wiapy] tokens`.
    pub fn from_config(cfg: &WiapyConfig) -> Self {
        WiapyProvider {
            tokens: TokenSet::new(&cfg.tokens),
        }
    }
}

impl Provider for WiapyProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verify(&self, headers: &HeaderMap, _body: &[u8]) -> Result<(), AuthError> {
        if self.tokens.is_empty() {
            return Err(AuthError::NotConfigured("Wiapy token"));
        }
        let value = headers
            .get(http::header::AUTHORIZATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
            .filter(|v| !v.is_empty())
            .ok_or(AuthError::MissingToken("Authorization token"))?;
        let bare = value
            .get(..7)
            .filter(|p| p.eq_ignore_ascii_case("bearer "))
            .map(|_| value[7..].trim_start());
        // Both forms are checked every time: no early exit tells them apart.
        let ok = self.tokens.matches(&value) | bare.is_some_and(|b| self.tokens.matches(b));
        if ok {
            Ok(())
        } else {
            Err(AuthError::InvalidToken("Authorization token"))
        }
    }

    fn parse(&self, _headers: &HeaderMap, body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError> {
        parse_body(body)
    }

    fn unconfigured(&self) -> Option<String> {
        self.tokens.is_empty().then(|| {
            "wiapy: no token configured (PAYBRIDGE_WIAPY_TOKENS); every /webhooks/wiapy request is refused with 401".to_owned()
        })
    }
}

fn bad(msg: impl Into<String>) -> ParseError {
    ParseError::Malformed(msg.into())
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn required<'a>(v: &'a Value, path: &str, key: &str) -> Result<&'a str, ParseError> {
    text(v, key).ok_or_else(|| bad(format!("{path}.{key} must be a non-empty string")))
}

fn product_kind(word: &str) -> String {
    match word {
        "E-book" => "ebook".into(),
        "Curso Online" => "online_course".into(),
        "Mentoria" => "mentoring".into(),
        "Externo" => "external".into(),
        other => other.to_owned(),
    }
}

fn products(v: &Value) -> Result<Vec<Product>, ParseError> {
    let list = match v.get("products") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(l)) => l,
        Some(_) => return Err(bad("products must be an array")),
    };
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let at = format!("products[{i}]");
            let links = match p.get("itens") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|it| {
                        Link::new(
                            text(it, "title").unwrap_or_default(),
                            text(it, "url").unwrap_or_default(),
                        )
                    })
                    .collect(),
                Some(_) => return Err(bad(format!("{at}.itens must be an array"))),
            };
            Ok(Product {
                id: required(p, &at, "id")?.to_owned(),
                name: required(p, &at, "title")?.to_owned(),
                kind: text(p, "type").map(product_kind),
                amount: None,
                links,
            })
        })
        .collect()
}

fn buyer(v: &Value) -> Buyer {
    let c = v.get("customer").cloned().unwrap_or(Value::Null);
    Buyer {
        name: text(&c, "name").and_then(|s| PersonName::parse(s).ok()),
        email: text(&c, "email").and_then(|s| Email::parse(s).ok()),
        document: text(&c, "document").and_then(|s| Document::parse(s).ok()),
        phone: text(&c, "mobile_phone").and_then(|s| Phone::parse(s).ok()),
    }
}

/// Parses a Wiapy webhook body (already authenticated).
pub fn parse_body(body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| bad(e.to_string()))?;
    if !v.is_object() {
        return Err(bad("expected a JSON object"));
    }
    let payment = v
        .get("payment")
        .filter(|p| p.is_object())
        .ok_or_else(|| bad("payment must be an object"))?;
    let id = required(payment, "payment", "id")?;
    let status = required(payment, "payment", "status")?;
    let kind = text(payment, "type").unwrap_or("payment");
    let dt_update = text(payment, "dt_update");
    let head = EventHead {
        provider: NAME,
        dedupe_key: format!("{id}:{status}:{}", dt_update.unwrap_or("-")),
        event_type: format!("{kind}.{status}"),
        occurred_at: dt_update.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok()),
        raw_status: Some(status.to_owned()),
        raw: v.clone(),
    };
    let key = order_key(NAME, id).map_err(|e| bad(e.to_string()))?;
    let Some(stated) = status_mapping::wiapy(status) else {
        let order_ref = OrderRef {
            correlation_id: Some(key.as_str().to_owned()),
            provider_ref: Some(id.to_owned()),
            end_to_end_id: None,
        };
        return Ok(vec![head.event(EventKind::Unknown, order_ref)]);
    };
    let amount = payment
        .get("amount")
        .ok_or_else(|| bad("payment.amount is required"))?
        .as_i64()
        .ok_or_else(|| bad("payment.amount must be an integer number of cents"))
        .and_then(|c| Cents::new(c).map_err(|e| bad(format!("payment.amount {e}"))))?;
    let subscription = v
        .get("subscription")
        .filter(|s| s.as_object().is_some_and(|o| !o.is_empty()))
        .cloned();
    let sale = Sale {
        platform: NAME,
        transaction_id: id.to_owned(),
        stated: Some(stated),
        amount,
        buyer: buyer(&v),
        student_email: None,
        payment_method: text(payment, "payment_method").map(PaymentMethod::from_word),
        products: products(&v)?,
        subscription,
    };
    sale.into_events(head).map_err(|e| bad(e.to_string()))
}
