//! Eduzz legacy webhooks (seed 003): `invoice`, `contract` and `abandonment`
//! bodies, JSON or `application/x-www-form-urlencoded` with PHP-flattened
//! keys and every value a string, authenticated by the body field `origin`.
//! The registration test Eduzz sends when a URL is saved carries no `origin`:
//! it is answered 200 and changes nothing.

use super::field_tree::{self, DecodeError, Encoding, Field};
use super::intake::encoding;
use super::shared_secret::TokenSet;
use super::{AuthError, ParseError, Provider};
use crate::config::EduzzConfig;
use crate::domain::sale::order_key;
use crate::domain::{
    status_mapping, AbandonedCart, Buyer, Cents, Document, Email, EventHead, EventKind, OrderRef,
    PaymentEvent, PaymentMethod, PersonName, Phone, Product, Sale, Unified,
};
use http::HeaderMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Provider name in paths and rows.
pub const NAME: &str = "eduzz";

/// Orders from Eduzz (legacy or Developer Hub) are keyed under this platform,
/// so both dialects about one invoice reach the same order.
pub const PLATFORM: &str = "eduzz";

/// Body fields that carry credentials: kept out of the normalized event.
const CREDENTIAL_FIELDS: [&str; 3] = ["origin", "origin_secret", "api_key"];

/// The Eduzz legacy provider with its accepted `origin` tokens.
#[derive(Debug)]
pub struct EduzzProvider {
    origins: TokenSet,
}

impl EduzzProvider {
    /// From `PAYBRIDGE_EDUZZ_ORIGINS` / `[eduzz] origins`.
    pub fn from_config(cfg: &EduzzConfig) -> Self {
        EduzzProvider {
            origins: TokenSet::new(&cfg.origins),
        }
    }
}

impl Provider for EduzzProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    fn content_types(&self) -> &'static [&'static str] {
        &["application/json", "application/x-www-form-urlencoded"]
    }

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), AuthError> {
        if self.origins.is_empty() {
            return Err(AuthError::NotConfigured("Eduzz origin token"));
        }
        let enc = encoding(headers);
        let origin = field_tree::top_level_text(enc, body, "origin")
            .map_err(|e| match e {
                DecodeError::Limit(l) => AuthError::OverLimit(l),
                e => AuthError::Unreadable(e.to_string()),
            })?
            .filter(|o| !o.trim().is_empty());
        match origin {
            Some(o) if self.origins.matches(&o) => Ok(()),
            Some(_) => Err(AuthError::InvalidToken("origin")),
            None if field_tree::decode(enc, body).is_ok_and(|t| is_registration_test(&t)) => Ok(()),
            None => Err(AuthError::MissingToken("origin")),
        }
    }

    fn parse(&self, headers: &HeaderMap, body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError> {
        parse_body(encoding(headers), body)
    }

    fn unconfigured(&self) -> Option<String> {
        self.origins.is_empty().then(|| {
            "eduzz: no origin token configured (PAYBRIDGE_EDUZZ_ORIGINS); every /webhooks/eduzz request is refused with 401".to_owned()
        })
    }
}

#[rustfmt::skip]
/// The keys of the invoice test Eduzz sends when a URL is saved, exactly as
/// documented (`legacy-examples/invoice-registration-test.json`).
pub(crate) const INVOICE_TEST_KEYS: [&str; 110] = [
    "type", "pro_value", "trans_cod", "trans_checkoutid", "trans_value", "trans_paid", "cop_value",
    "partner_cod", "trans_next", "notification_url", "trans_paymentmethod", "trans_createdate",
    "trans_paiddate", "trans_duedate", "trans_createtime", "trans_paidtime", "trans_status",
    "recurrence_status", "recurrence_status_name", "trans_duetime", "trans_items_quantity",
    "trans_key", "recurrence_cod", "recurrence_type", "recurrence_plan", "product_cod",
    "product_name", "product_parent_cod", "product_refund", "product_sku", "discount_coupon_code",
    "cus_cod", "cus_taxnumber", "cus_name", "cus_email", "cus_tel", "cus_tel2", "cus_cel",
    "cus_apikey", "cus_address", "refund_type", "student_cod", "student_taxnumber", "student_name",
    "student_email", "student_tel", "student_tel2", "student_cel", "cus_address_number",
    "cus_address_country", "cus_address_district", "cus_address_comp", "cus_address_city",
    "cus_address_state", "cus_address_zip_code", "recurrence_startdate", "recurrence_interval",
    "recurrence_interval_type", "recurrence_count", "recurrence_first_payment", "aff_cod",
    "aff_name", "aff_email", "aff_document_number", "aff_value", "tracker_trk", "tracker_trk2",
    "tracker_trk3", "tracker_utm_source", "tracker_utm_content", "tracker_utm_medium",
    "tracker_utm_campaign", "utm_source", "utm_content", "utm_medium", "utm_campaign",
    "sku_reference", "eduzz_value", "other_values", "trans_items[0][item_id]",
    "trans_items[0][item_name]", "trans_items[0][item_value]", "trans_items[0][item_coupon_code]",
    "trans_items[0][item_coupon_value]", "trans_items[0][item_product_id]",
    "trans_items[0][item_product_name]", "trans_items[0][item_product_refund]",
    "trans_items[0][item_eduzz_value]", "trans_items[0][producer_id]",
    "trans_items[0][item_product_sku_reference]", "trans_items[0][item_product_partner_cod]",
    "trans_items[0][item_product_chargetype]", "trans_barcode", "trans_orderid", "trans_currency",
    "trans_job_id", "trans_job_status", "request_token", "billet_url", "page_checkout_url",
    "trans_bankslip", "recurrence_canceled_at", "product_chargetype", "refund_date", "pro_cod",
    "pro_document_number", "pro_name", "pro_email", "origin_secret", "api_key",
];

#[rustfmt::skip]
/// The keys of the abandonment test, exactly as documented
/// (`legacy-examples/abandonment-registration-test.json`).
pub(crate) const ABANDONMENT_TEST_KEYS: [&str; 15] = [
    "type", "identifier", "cartAccessedAt", "checkoutUrl", "invoiceId", "product[id]",
    "product[title]", "campaign[id]", "campaign[key]", "affiliate[id]", "affiliate[name]",
    "customer[name]", "customer[phone]", "customer[email]", "producerId",
];

/// Longest value a registration test carries (its `origin_secret` is 244 bytes).
const MAX_TEST_VALUE_LEN: usize = 512;

/// The tree's leaves as PHP-flattened keys (`trans_items[0][item_id]`), or
/// `None` when a leaf is longer than a registration test's values.
fn flat_leaves(tree: &Field) -> Option<std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeSet::new();
    let mut todo = vec![(String::new(), tree)];
    while let Some((prefix, field)) = todo.pop() {
        match field {
            Field::Text(t) if t.len() > MAX_TEST_VALUE_LEN => return None,
            Field::Text(_) => {
                out.insert(prefix);
            }
            Field::Group(m) => todo.extend(m.iter().map(|(k, v)| {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}[{k}]")
                };
                (key, v)
            })),
        }
    }
    Some(out)
}

/// The test Eduzz sends when a webhook URL is saved: no `origin`, exactly
/// the documented keys, short values, and Eduzz's sample identity (`type`
/// "invoice|contract" on invoice 1 for webhook@eduzz.com, or the
/// abandonment sample's placeholder buyer on invoice 1). Anything else
/// without a valid `origin` is refused, so a look-alike cannot be used to
/// store bodies unauthenticated.
pub fn is_registration_test(tree: &Field) -> bool {
    let documented: &[&str] = match (tree.text(&["type"]), tree.text(&["invoiceId"])) {
        (Some("invoice|contract"), _)
            if tree.text(&["trans_cod"]) == Some("1")
                && tree.text(&["cus_email"]) == Some("webhook@eduzz.com") =>
        {
            &INVOICE_TEST_KEYS
        }
        (Some("abandonment"), Some("1"))
            if tree.text(&["customer", "email"]) == Some("emaildocliente@provedor.com") =>
        {
            &ABANDONMENT_TEST_KEYS
        }
        _ => return false,
    };
    flat_leaves(tree).is_some_and(|keys| {
        keys.len() == documented.len() && documented.iter().all(|k| keys.contains(*k))
    })
}

fn bad(msg: impl Into<String>) -> ParseError {
    ParseError::Malformed(msg.into())
}

fn decode_error(e: DecodeError) -> ParseError {
    bad(e.to_string())
}

fn reais(tree: &Field, path: &[&str]) -> Result<Option<Cents>, ParseError> {
    tree.text(path)
        .map(|s| Cents::parse_reais(s).map_err(|e| bad(format!("{}: {s:?} {e}", path.join(".")))))
        .transpose()
}

/// The body without credentials, as the event keeps it.
fn raw_without_credentials(tree: &Field) -> serde_json::Value {
    let mut raw = tree.to_json();
    if let Some(obj) = raw.as_object_mut() {
        for k in CREDENTIAL_FIELDS {
            obj.remove(k);
        }
    }
    raw
}

/// Parses an authenticated Eduzz legacy body of either encoding.
pub fn parse_body(enc: Encoding, body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError> {
    let tree = field_tree::decode(enc, body).map_err(decode_error)?;
    let raw = raw_without_credentials(&tree);
    let fingerprint = crate::digest::sha256_hex(raw.to_string().as_bytes());
    let kind = tree.text(&["type"]).unwrap_or_default();
    let event_name = tree.text(&["event_name"]);
    if is_registration_test(&tree) {
        let head = EventHead {
            provider: NAME,
            dedupe_key: format!("registration-test:{fingerprint}"),
            event_type: format!("{kind}.registration_test"),
            occurred_at: None,
            raw_status: None,
            raw,
        };
        return Ok(vec![
            head.event(EventKind::ProviderTest, OrderRef::default())
        ]);
    }
    if kind == "abandonment"
        || event_name.and_then(status_mapping::eduzz_event) == Some(Unified::Abandoned)
    {
        return abandonment(&tree, raw);
    }
    invoice(&tree, kind, event_name, raw, &fingerprint)
}

fn abandonment(tree: &Field, raw: serde_json::Value) -> Result<Vec<PaymentEvent>, ParseError> {
    let cart_id = tree
        .text(&["identifier"])
        .ok_or_else(|| bad("identifier is required for an abandonment"))?;
    let accessed = tree.text(&["cartAccessedAt"]);
    let cart = AbandonedCart {
        cart_id: cart_id.to_owned(),
        accessed_at: accessed.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok()),
        customer_name: tree
            .text(&["customer", "name"])
            .and_then(|s| PersonName::parse(s).ok()),
        customer_email: tree
            .text(&["customer", "email"])
            .and_then(|s| Email::parse(s).ok()),
        customer_phone: tree
            .text(&["customer", "phone"])
            .and_then(|s| Phone::parse(s).ok()),
        product_id: tree.text(&["product", "id"]).map(str::to_owned),
        product_name: tree.text(&["product", "title"]).map(str::to_owned),
        checkout_url: tree.text(&["checkoutUrl"]).and_then(AbandonedCart::web_url),
        invoice_id: tree.text(&["invoiceId"]).map(str::to_owned),
    };
    let head = EventHead {
        provider: NAME,
        dedupe_key: format!("abandonment:{cart_id}:{}", accessed.unwrap_or("-")),
        event_type: tree
            .text(&["event_name"])
            .unwrap_or("abandonment")
            .to_owned(),
        occurred_at: cart.accessed_at,
        raw_status: Some("abandonment".into()),
        raw,
    };
    Ok(vec![head.event(
        EventKind::CartAbandoned(Box::new(cart)),
        OrderRef::default(),
    )])
}

fn products(tree: &Field) -> Result<Vec<Product>, ParseError> {
    let Some(items) = tree.get("trans_items") else {
        return Ok(tree
            .text(&["product_cod"])
            .map(|id| Product {
                id: id.to_owned(),
                name: tree.text(&["product_name"]).unwrap_or(id).to_owned(),
                kind: None,
                amount: None,
                links: Vec::new(),
            })
            .into_iter()
            .collect());
    };
    let items = items
        .items()
        .ok_or_else(|| bad("trans_items must be a list indexed 0, 1, …"))?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let id = item
                .text(&["item_product_id"])
                .or_else(|| item.text(&["item_id"]))
                .ok_or_else(|| bad(format!("trans_items[{i}] has no item_product_id")))?;
            Ok(Product {
                id: id.to_owned(),
                name: item
                    .text(&["item_product_name"])
                    .or_else(|| item.text(&["item_name"]))
                    .unwrap_or(id)
                    .to_owned(),
                kind: None,
                amount: reais(item, &["item_value"])
                    .map_err(|e| bad(format!("trans_items[{i}].{e}")))?,
                links: Vec::new(),
            })
        })
        .collect()
}

/// The `recurrence_*` fields, kept as the subscription's state.
fn subscription(tree: &Field) -> Option<serde_json::Value> {
    let Field::Group(top) = tree else {
        return None;
    };
    let state: serde_json::Map<String, serde_json::Value> = top
        .iter()
        .filter(|(k, _)| k.starts_with("recurrence_"))
        .filter_map(|(k, v)| match v {
            Field::Text(t) if !t.trim().is_empty() => {
                Some((k.clone(), serde_json::Value::String(t.trim().to_owned())))
            }
            _ => None,
        })
        .collect();
    (!state.is_empty()).then_some(serde_json::Value::Object(state))
}

fn invoice(
    tree: &Field,
    kind: &str,
    event_name: Option<&str>,
    raw: serde_json::Value,
    fingerprint: &str,
) -> Result<Vec<PaymentEvent>, ParseError> {
    let trans_cod = tree
        .text(&["trans_cod"])
        .ok_or_else(|| bad("trans_cod is required"))?;
    let trans_status = tree.text(&["trans_status"]);
    // `event_name` wins over `trans_status` when present.
    let (word, stated) = match (event_name, trans_status) {
        (Some(e), _) => (e, status_mapping::eduzz_event(e)),
        (None, Some(s)) => (s, status_mapping::eduzz_status(s)),
        (None, None) => return Err(bad("neither event_name nor trans_status is present")),
    };
    let key = order_key(PLATFORM, trans_cod).map_err(|e| bad(e.to_string()))?;
    let head = EventHead {
        provider: NAME,
        dedupe_key: format!("{kind}:{trans_cod}:{word}:{fingerprint}"),
        event_type: match event_name {
            Some(e) => e.to_owned(),
            None => format!("trans_status_{word}"),
        },
        occurred_at: None,
        raw_status: Some(word.to_owned()),
        raw,
    };
    let notice = event_name.is_some_and(|e| e.starts_with("contract_"));
    if stated.is_none() && !notice {
        let order_ref = OrderRef {
            correlation_id: Some(key.as_str().to_owned()),
            provider_ref: Some(trans_cod.to_owned()),
            end_to_end_id: None,
        };
        return Ok(vec![head.event(EventKind::Unknown, order_ref)]);
    }
    let products = products(tree)?;
    let amount = match (
        reais(tree, &["trans_value"])?,
        reais(tree, &["trans_paid"])?,
    ) {
        (Some(v), _) | (None, Some(v)) => v,
        (None, None) if notice => Cents::ZERO,
        (None, None) => Some(&products)
            .filter(|p| !p.is_empty())
            .and_then(|p| {
                p.iter()
                    .map(|p| p.amount.map(Cents::get))
                    .sum::<Option<i64>>()
            })
            .map(Cents::new)
            .transpose()
            .map_err(|e| bad(format!("item total {e}")))?
            .ok_or_else(|| bad("trans_value is required"))?,
    };
    let sale = Sale {
        platform: PLATFORM,
        transaction_id: trans_cod.to_owned(),
        stated,
        amount,
        buyer: Buyer {
            name: tree
                .text(&["cus_name"])
                .and_then(|s| PersonName::parse(s).ok()),
            email: tree.text(&["cus_email"]).and_then(|s| Email::parse(s).ok()),
            document: tree
                .text(&["cus_taxnumber"])
                .and_then(|s| Document::parse(s).ok()),
            phone: ["cus_cel", "cus_tel", "cus_tel2"]
                .iter()
                .find_map(|k| tree.text(&[k]).and_then(|s| Phone::parse(s).ok())),
        },
        student_email: tree
            .text(&["student_email"])
            .and_then(|s| Email::parse(s).ok()),
        payment_method: tree
            .text(&["trans_paymentmethod"])
            .map(PaymentMethod::from_eduzz_code),
        products,
        subscription: subscription(tree),
    };
    sale.into_events(head).map_err(|e| bad(e.to_string()))
}
