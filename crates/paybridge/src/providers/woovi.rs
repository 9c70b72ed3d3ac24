//! Woovi (OpenPix): `x-webhook-signature` RSA-SHA256 over the raw body (plus the
//! optional HMAC and authorization echo), then the event JSON into [`PaymentEvent`]s.

use super::{AuthError, ParseError, Provider};
use crate::config::WooviConfig;
use crate::domain::{Cents, ClaimedRef, EventKind, OrderRef, PaymentEvent};
use http::HeaderMap;
use serde_json::Value;
use time::OffsetDateTime;

/// Provider name in paths and rows.
pub const NAME: &str = "woovi";

/// The Woovi provider with its key set and optional secrets.
pub struct WooviProvider {
    verifier: woovi::webhook::WebhookVerifier,
    /// The keys the configured Woovi publishes, kept fresh by a task
    /// outside the provider; `None` when the keys are fixed (embedded sandbox).
    published: Option<woovi::webhook::RefreshingKeySet>,
}

/// The keys a webhook may be signed with before anything is fetched: the
/// configured PEM files, any extra PEMs (the embedded sandbox's key), and
/// Woovi's embedded key when `production` (it is Woovi's own URL, or none
/// is configured and real Woovi webhooks may arrive).
pub fn base_keys(
    cfg: &WooviConfig,
    extra_pems: &[String],
    production: bool,
) -> Result<woovi::webhook::KeySet, String> {
    let mut keys = if production {
        woovi::webhook::KeySet::embedded()
    } else {
        woovi::webhook::KeySet::empty()
    };
    for path in &cfg.public_keys {
        let pem = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "PAYBRIDGE_WOOVI_PUBLIC_KEYS: cannot read {}: {e}",
                path.display()
            )
        })?;
        keys.add_pem(&pem)
            .map_err(|e| format!("PAYBRIDGE_WOOVI_PUBLIC_KEYS: {}: {e}", path.display()))?;
    }
    for pem in extra_pems {
        keys.add_pem(pem)
            .map_err(|e| format!("sandbox public key: {e}"))?;
    }
    Ok(keys)
}

impl WooviProvider {
    /// Builds the verifier: Woovi's embedded keys, the configured PEM files and
    /// any extra PEMs (the embedded sandbox's key when it is mounted).
    pub fn from_config(cfg: &WooviConfig, extra_pems: &[String]) -> Result<Self, String> {
        let keys = base_keys(cfg, extra_pems, true)?;
        Ok(Self::with_keys(cfg, keys, None))
    }

    /// Verifies with whatever `published` holds at the moment (its base
    /// keys until the first fetch), refreshed by the caller's task.
    pub fn with_published_keys(
        cfg: &WooviConfig,
        published: woovi::webhook::RefreshingKeySet,
    ) -> Self {
        Self::with_keys(cfg, published.current(), Some(published))
    }

    fn with_keys(
        cfg: &WooviConfig,
        keys: woovi::webhook::KeySet,
        published: Option<woovi::webhook::RefreshingKeySet>,
    ) -> Self {
        let mut verifier = woovi::webhook::WebhookVerifier::new(keys);
        if let Some(s) = &cfg.hmac_secret {
            verifier = verifier.with_hmac_secret(s.expose());
        }
        if let Some(a) = &cfg.authorization {
            verifier = verifier.with_authorization(a.expose());
        }
        WooviProvider {
            verifier,
            published,
        }
    }
}

impl Provider for WooviProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), AuthError> {
        use woovi::webhook::VerifyError as V;
        let checked = match &self.published {
            Some(p) => self.verifier.verify_with_keys(&p.current(), headers, body),
            None => self.verifier.verify(headers, body),
        };
        checked.map_err(|e| match e {
            V::MissingSignature | V::EmptySignature => AuthError::MissingSignature,
            V::BadHmac | V::MissingHmac | V::HmacNotBase64 => AuthError::InvalidSecondary("hmac"),
            V::BadAuthorization | V::MissingAuthorization => {
                AuthError::InvalidSecondary("authorization")
            }
            _ => AuthError::InvalidSignature,
        })
    }

    fn parse(&self, _headers: &HeaderMap, body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError> {
        parse_body(body)
    }

    fn claimed_ref(&self, _headers: &HeaderMap, body: &[u8]) -> ClaimedRef {
        claimed_ref(body)
    }
}

/// What an unverified Woovi body names, read with the same rules as a
/// verified one (so a forgery is listed where the real event would be).
pub fn claimed_ref(body: &[u8]) -> ClaimedRef {
    parse_body(body)
        .ok()
        .and_then(|events| events.into_iter().next())
        .map(|e| ClaimedRef::from_unverified(e.order_ref))
        .unwrap_or_default()
}

fn s(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    match cur {
        Value::String(x) if !x.is_empty() && x != "undefined" => Some(x.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn cents(v: &Value, path: &[&str]) -> Option<Cents> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_i64().and_then(|n| Cents::new(n).ok())
}

fn when(v: &Value, path: &[&str]) -> Option<OffsetDateTime> {
    s(v, path).and_then(|t| {
        OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok()
    })
}

fn object(v: &Value, key: &str) -> Option<Value> {
    v.get(key).filter(|x| x.is_object()).cloned()
}

/// Parses a Woovi webhook body (already verified).
pub fn parse_body(body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| ParseError::Malformed(e.to_string()))?;
    if !v.is_object() {
        return Err(ParseError::Malformed("expected a JSON object".into()));
    }
    let event = match (v.get("event"), v.get("evento")) {
        (Some(Value::String(e)), _) | (None, Some(Value::String(e))) => e.clone(),
        (None, None) | (Some(Value::Null), _) => String::new(),
        _ => return Err(ParseError::Malformed("\"event\" must be a string".into())),
    };
    let body_hash = crate::digest::sha256_hex(body);
    let short = event
        .rsplit_once(':')
        .map(|(_, e)| e)
        .unwrap_or(&event)
        .to_ascii_uppercase();
    let charge = object(&v, "charge")
        .or_else(|| v.get("pix").and_then(|p| object(p, "charge")))
        .unwrap_or(Value::Null);
    let pix = object(&v, "pix").unwrap_or(Value::Null);
    let correlation_id = s(&charge, &["correlationID"]);
    let transaction_id = s(&charge, &["transactionID"]).or_else(|| s(&charge, &["identifier"]));
    let mut ev = PaymentEvent {
        provider: NAME,
        dedupe_key: format!("{event}:{body_hash}"),
        event_type: if event.is_empty() {
            "LEGACY".into()
        } else {
            event.clone()
        },
        order_ref: OrderRef {
            correlation_id: correlation_id.clone(),
            provider_ref: transaction_id.clone(),
            end_to_end_id: None,
        },
        kind: EventKind::Informational,
        amount: cents(&charge, &["value"]),
        occurred_at: None,
        raw_status: s(&charge, &["status"]),
        raw: v.clone(),
        sale: None,
    };
    let lower = event.to_ascii_lowercase();
    if lower == "teste_webhook" || lower.ends_with("test_webhook") || lower.ends_with("teste") {
        ev.kind = EventKind::ProviderTest;
        return Ok(vec![ev]);
    }
    if lower.ends_with("configure") {
        ev.kind = EventKind::ProviderConfigure {
            app_id: s(&v, &["appID"])
                .or_else(|| s(&v, &["appId"]))
                .or_else(|| s(&v, &["data", "appID"])),
        };
        return Ok(vec![ev]);
    }
    match short.as_str() {
        "CHARGE_COMPLETED" => {
            let e2e = s(&pix, &["endToEndId"]);
            let payment_id = e2e
                .clone()
                .or_else(|| transaction_id.clone().map(|t| format!("charge:{t}")))
                .or_else(|| correlation_id.clone().map(|c| format!("charge:{c}")))
                .unwrap_or_else(|| format!("body:{body_hash}"));
            ev.dedupe_key = format!("CHARGE_COMPLETED:{payment_id}");
            ev.amount = cents(&pix, &["value"]).or(ev.amount);
            ev.occurred_at = when(&pix, &["time"]).or_else(|| when(&charge, &["paidAt"]));
            ev.kind = EventKind::Paid { payment_id };
        }
        "CHARGE_EXPIRED" => {
            let key = correlation_id
                .clone()
                .or(transaction_id.clone())
                .unwrap_or(body_hash);
            ev.dedupe_key = format!("CHARGE_EXPIRED:{key}");
            ev.occurred_at = when(&charge, &["updatedAt"]);
            ev.kind = EventKind::Expired;
        }
        "TRANSACTION_RECEIVED" | "" if pix.is_object() => {
            let e2e = s(&pix, &["endToEndId"]);
            let payment_id = e2e
                .clone()
                .or_else(|| s(&pix, &["transactionID"]).map(|t| format!("charge:{t}")))
                .unwrap_or_else(|| format!("body:{body_hash}"));
            if ev.order_ref.provider_ref.is_none() {
                ev.order_ref.provider_ref = s(&pix, &["transactionID"]);
            }
            ev.dedupe_key = format!("TRANSACTION_RECEIVED:{payment_id}");
            ev.amount = cents(&pix, &["value"]);
            ev.occurred_at = when(&pix, &["time"]);
            ev.raw_status = s(&pix, &["status"]).or(ev.raw_status);
            ev.kind = EventKind::Paid { payment_id };
        }
        "TRANSACTION_REFUND_RECEIVED" => {
            let refund_id = s(&pix, &["endToEndId"]).unwrap_or_else(|| format!("body:{body_hash}"));
            ev.dedupe_key = format!("REFUND:{refund_id}");
            ev.amount = cents(&pix, &["value"]);
            ev.occurred_at = when(&pix, &["time"]);
            ev.kind = EventKind::Refunded { refund_id };
        }
        "PIX_TRANSACTION_REFUND_RECEIVED_CONFIRMED" | "PIX_TRANSACTION_REFUND_SENT_CONFIRMED" => {
            let refund = v.get("refundTransaction").cloned().unwrap_or(Value::Null);
            let refund_id =
                s(&refund, &["endToEndId"]).unwrap_or_else(|| format!("body:{body_hash}"));
            ev.order_ref.end_to_end_id = s(&v, &["originalTransaction", "endToEndId"]);
            ev.order_ref.correlation_id =
                s(&refund, &["charge", "correlationID"]).or(ev.order_ref.correlation_id);
            ev.dedupe_key = format!("REFUND:{refund_id}");
            ev.amount = cents(&refund, &["value"]);
            ev.occurred_at = when(&refund, &["time"]);
            ev.raw_status = s(&refund, &["status"]);
            ev.kind = EventKind::Refunded { refund_id };
        }
        "PIX_TRANSACTION_REFUND_RECEIVED_REJECTED" | "PIX_TRANSACTION_REFUND_SENT_REJECTED" => {
            ev.order_ref.end_to_end_id = s(&v, &["originalTransaction", "endToEndId"]);
            ev.raw_status = s(&v, &["refundTransaction", "status"]);
        }
        _ if short.starts_with("DISPUTE_") => {
            ev.order_ref.end_to_end_id = s(&v, &["dispute", "endToEndId"]);
            ev.raw_status = s(&v, &["dispute", "status"]);
        }
        _ => {}
    }
    Ok(vec![ev])
}

#[cfg(test)]
mod tests {
    use super::claimed_ref;

    #[test]
    fn claimed_ref_reads_what_an_unverified_body_names() {
        let completed = br#"{"event":"OPENPIX:CHARGE_COMPLETED","charge":{"correlationID":"c-1","transactionID":"t-1"},"pix":{"endToEndId":"E1"}}"#;
        let received = br#"{"pix":{"transactionID":"t-2","endToEndId":"E2","value":10}}"#;
        let refund = br#"{"event":"PIX_TRANSACTION_REFUND_SENT_CONFIRMED","refundTransaction":{"endToEndId":"D9"},"originalTransaction":{"endToEndId":"E3"}}"#;
        let undefined =
            br#"{"event":"OPENPIX:CHARGE_EXPIRED","charge":{"correlationID":"undefined"}}"#;
        let cases: [(&[u8], [Option<&str>; 3]); 7] = [
            (completed, [Some("c-1"), Some("t-1"), None]),
            (received, [None, Some("t-2"), None]),
            (refund, [None, None, Some("E3")]),
            (undefined, [None, None, None]),
            (b"not json", [None, None, None]),
            (b"[1,2]", [None, None, None]),
            (
                br#"{"event":"OPENPIX:CHARGE_COMPLETED","charge":{"correlationID":"has space"}}"#,
                [None, None, None],
            ),
        ];
        for (body, [c, p, e]) in cases {
            let got = claimed_ref(body);
            let what = String::from_utf8_lossy(body);
            assert_eq!(got.correlation_id.as_deref(), c, "{what}");
            assert_eq!(got.provider_ref.as_deref(), p, "{what}");
            assert_eq!(got.end_to_end_id.as_deref(), e, "{what}");
        }
    }
}
