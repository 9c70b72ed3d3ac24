//! A sale made on a checkout platform (Wiapy, Eduzz) as its webhooks describe
//! it, and the normalized events one platform status becomes. Every platform
//! parser ends here, so the three of them share one set of rules.

use super::status_mapping::Unified;
use super::{
    Cents, CorrelationId, Email, EventKind, OrderRef, PaymentEvent, PersonName, Phone,
    ProviderName, TaxId,
};
use serde::Serialize;
use std::fmt;
use time::OffsetDateTime;
use url::Url;

/// The key of an order that started on a platform: `{platform}:{transaction id}`.
/// It is the order's correlationID, so every event about the sale finds it.
pub fn order_key(platform: &str, transaction_id: &str) -> Result<CorrelationId, SaleError> {
    CorrelationId::parse(&format!("{platform}:{transaction_id}"))
        .map_err(|e| SaleError::TransactionId(e.to_string()))
}

/// Why a platform sale cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaleError {
    /// The transaction id cannot key an order.
    #[error("transaction id {0}")]
    TransactionId(String),
}

/// A CPF/CNPJ as a platform sent it, punctuation removed. Platforms send
/// numbers that fail the check digits (Wiapy's example does), so the order
/// keeps a [`TaxId`] only when the number is valid; `Debug` masks it.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct Document(String);

/// Why a string is not a CPF/CNPJ-shaped document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not an 11-digit CPF or a 14-character CNPJ")]
pub struct DocumentError;

impl Document {
    /// Drops `.`, `-`, `/` and spaces; 11 digits or 14 letters/digits remain.
    pub fn parse(s: &str) -> Result<Self, DocumentError> {
        let kept: String = s
            .chars()
            .filter(|c| !matches!(c, '.' | '-' | '/' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let ok = match kept.len() {
            11 => kept.bytes().all(|b| b.is_ascii_digit()),
            14 => kept.bytes().all(|b| b.is_ascii_alphanumeric()),
            _ => false,
        };
        if ok {
            Ok(Document(kept))
        } else {
            Err(DocumentError)
        }
    }

    /// The normalized characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The CPF/CNPJ when its check digits hold.
    pub fn tax_id(&self) -> Option<TaxId> {
        TaxId::parse(&self.0).ok()
    }

    /// All but the last two characters hidden, for logs.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        format!("{}{}", "*".repeat(n - 2), &self.0[n - 2..])
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Document({})", self.masked())
    }
}

impl From<Document> for String {
    fn from(d: Document) -> String {
        d.0
    }
}

/// How the buyer paid, as one vocabulary over the platforms' words and codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentMethod {
    /// `pix`, `credit_card`, `debit_card`, `boleto`, `paypal`, `multiple_cards` or `unknown`.
    pub method: &'static str,
    /// Card brand when the platform names it (`visa`, `elo`…).
    pub brand: Option<&'static str>,
    /// The platform's own word or code.
    pub raw: String,
}

impl PaymentMethod {
    fn new(method: &'static str, brand: Option<&'static str>, raw: &str) -> Self {
        PaymentMethod {
            method,
            brand,
            raw: raw.to_owned(),
        }
    }

    /// Wiapy's `payment_method` and the Eduzz Hub's `paymentMethod` words.
    pub fn from_word(raw: &str) -> Self {
        let method = match raw {
            "pix" => "pix",
            "credit_card" | "creditCard" => "credit_card",
            "debit_card" | "debitCard" => "debit_card",
            "boleto" | "bankslip" | "bankSlip" => "boleto",
            "paypal" => "paypal",
            _ => "unknown",
        };
        PaymentMethod::new(method, None, raw)
    }

    /// Eduzz legacy `trans_paymentmethod` codes (table in the field docs).
    pub fn from_eduzz_code(raw: &str) -> Self {
        let (method, brand) = match raw.trim() {
            "1" => ("boleto", None),
            "9" | "25" => ("paypal", None),
            "13" => ("credit_card", Some("visa")),
            "14" => ("credit_card", Some("amex")),
            "15" => ("credit_card", Some("mastercard")),
            "16" => ("credit_card", Some("diners")),
            "17" => ("debit_card", Some("banco_do_brasil")),
            "18" => ("debit_card", Some("bradesco")),
            "19" => ("debit_card", Some("itau")),
            "21" => ("credit_card", Some("hipercard")),
            "22" => ("debit_card", Some("banrisul")),
            "23" => ("credit_card", Some("hiper")),
            "24" => ("credit_card", Some("elo")),
            "27" => ("multiple_cards", None),
            "32" => ("pix", None),
            _ => ("unknown", None),
        };
        PaymentMethod::new(method, brand, raw)
    }
}

/// A link or file the buyer gets with a product. Only `http(s)` URLs are kept
/// as links (they end up in `href`s); anything else keeps just its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// What the platform calls it ("Arquivo 01").
    pub title: String,
    /// The address, when it is an http(s) URL.
    pub url: Option<String>,
}

impl Link {
    /// Keeps `url` only when it parses as an http(s) URL.
    pub fn new(title: &str, url: &str) -> Self {
        let url = Url::parse(url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .map(String::from);
        Link {
            title: title.trim().to_owned(),
            url,
        }
    }
}

/// One product of a sale: what an entitlement is granted for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    /// The platform's product id (not unique within a sale: Wiapy repeats it).
    pub id: String,
    /// Product name.
    pub name: String,
    /// Delivery kind (`ebook`, `online_course`, `mentoring`, `external`, or the platform's word).
    pub kind: Option<String>,
    /// Price of this item, when the platform gives one.
    pub amount: Option<Cents>,
    /// Files and links delivered with it.
    pub links: Vec<Link>,
}

/// The buyer as the platform describes them; fields that fail to parse are
/// left out (a bad phone must not lose a sale).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Buyer {
    /// Name.
    pub name: Option<PersonName>,
    /// E-mail: whose access the products become.
    pub email: Option<Email>,
    /// CPF/CNPJ, normalized.
    pub document: Option<Document>,
    /// Phone in E.164.
    pub phone: Option<Phone>,
}

/// Everything a platform webhook says about one sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sale {
    /// The platform (`wiapy`, `eduzz`); with `transaction_id`, the order's key.
    pub platform: &'static str,
    /// The platform's id of the sale (Wiapy `payment.id`, Eduzz invoice id).
    pub transaction_id: String,
    /// The status the platform states in this event; `None` for notices
    /// that state none (Eduzz `contract_*`), which only update the details.
    #[serde(serialize_with = "unified_name")]
    pub stated: Option<Unified>,
    /// Sale value.
    pub amount: Cents,
    /// The buyer.
    pub buyer: Buyer,
    /// The student the buyer bought for (Eduzz), who also gets access.
    pub student_email: Option<Email>,
    /// How it was paid.
    pub payment_method: Option<PaymentMethod>,
    /// Products bought, order bumps included.
    pub products: Vec<Product>,
    /// The subscription's state when the sale is recurring, as the platform sent it.
    pub subscription: Option<serde_json::Value>,
}

fn unified_name<S: serde::Serializer>(u: &Option<Unified>, s: S) -> Result<S::Ok, S::Error> {
    match u {
        Some(u) => s.serialize_str(u.as_str()),
        None => s.serialize_none(),
    }
}

impl Sale {
    /// The order key (`{platform}:{transaction id}`).
    pub fn order_key(&self) -> Result<CorrelationId, SaleError> {
        order_key(self.platform, &self.transaction_id)
    }

    /// Whose access the products become: the buyer and the student, once each.
    pub fn holders(&self) -> Vec<Email> {
        let mut out: Vec<Email> = self.buyer.email.iter().cloned().collect();
        if let Some(s) = &self.student_email {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
        out
    }

    /// The id of the sale's payment (unique across providers).
    pub fn payment_id(&self) -> String {
        format!("{}:{}", self.platform, self.transaction_id)
    }

    /// The normalized events this statement becomes. A refund or chargeback
    /// implies the sale was paid, so a payment event comes first: delivered
    /// out of order, the later "paid" then finds its payment already recorded.
    pub fn into_events(self, head: EventHead) -> Result<Vec<PaymentEvent>, SaleError> {
        let key = self.order_key()?;
        let payment_id = self.payment_id();
        let paid = EventKind::Paid {
            payment_id: payment_id.clone(),
        };
        let Some(stated) = self.stated else {
            let order_ref = OrderRef {
                correlation_id: Some(key.as_str().to_owned()),
                provider_ref: Some(self.transaction_id.clone()),
                end_to_end_id: None,
            };
            let mut ev = head.event(EventKind::Informational, order_ref);
            ev.sale = Some(Box::new(self));
            return Ok(vec![ev]);
        };
        let kinds: Vec<(EventKind, &str)> = match stated {
            Unified::Pending => vec![(EventKind::Pending, "")],
            Unified::Paid => vec![(paid, "")],
            Unified::Declined => vec![(EventKind::Declined, "")],
            Unified::Expired => vec![(EventKind::Expired, "")],
            Unified::Cancelled => vec![(EventKind::Cancelled, "")],
            Unified::RefundRequested => vec![(EventKind::RefundRequested, "")],
            Unified::Refunded => vec![
                (paid, "#implied-payment"),
                (
                    EventKind::Refunded {
                        refund_id: format!("{payment_id}:refund"),
                    },
                    "",
                ),
            ],
            Unified::Chargeback => vec![(paid, "#implied-payment"), (EventKind::Chargeback, "")],
            Unified::Abandoned => vec![(EventKind::Informational, "")],
        };
        let order_ref = OrderRef {
            correlation_id: Some(key.as_str().to_owned()),
            provider_ref: Some(self.transaction_id.clone()),
            end_to_end_id: None,
        };
        let amount = Some(self.amount);
        let sale = Box::new(self);
        Ok(kinds
            .into_iter()
            .map(|(kind, suffix)| PaymentEvent {
                provider: head.provider,
                dedupe_key: format!("{}{suffix}", head.dedupe_key),
                event_type: head.event_type.clone(),
                order_ref: order_ref.clone(),
                kind,
                amount,
                occurred_at: head.occurred_at,
                raw_status: head.raw_status.clone(),
                raw: head.raw.clone(),
                sale: Some(sale.clone()),
            })
            .collect())
    }
}

/// The parts of an event every kind shares (see [`PaymentEvent`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EventHead {
    /// Provider name.
    pub provider: ProviderName,
    /// Unique per fact.
    pub dedupe_key: String,
    /// The provider's event name.
    pub event_type: String,
    /// When it happened according to the provider.
    pub occurred_at: Option<OffsetDateTime>,
    /// The provider's status word.
    pub raw_status: Option<String>,
    /// The body, as a JSON value.
    pub raw: serde_json::Value,
}

impl EventHead {
    /// An event of `kind` about no particular sale (tests, contracts, unknown words).
    pub fn event(self, kind: EventKind, order_ref: OrderRef) -> PaymentEvent {
        PaymentEvent {
            provider: self.provider,
            dedupe_key: self.dedupe_key,
            event_type: self.event_type,
            order_ref,
            kind,
            amount: None,
            occurred_at: self.occurred_at,
            raw_status: self.raw_status,
            raw: self.raw,
            sale: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(stated: Unified) -> Sale {
        Sale {
            platform: "wiapy",
            transaction_id: "abc123".into(),
            stated: Some(stated),
            amount: Cents::new(1770).unwrap(),
            buyer: Buyer::default(),
            student_email: None,
            payment_method: None,
            products: vec![],
            subscription: None,
        }
    }

    fn head() -> EventHead {
        EventHead {
            provider: "wiapy",
            dedupe_key: "k".into(),
            event_type: "payment.x".into(),
            occurred_at: None,
            raw_status: None,
            raw: serde_json::Value::Null,
        }
    }

    #[test]
    fn statements_become_events() {
        let kinds = |u| -> Vec<&'static str> {
            sale(u)
                .into_events(head())
                .unwrap()
                .iter()
                .map(|e| e.kind.name())
                .collect()
        };
        assert_eq!(kinds(Unified::Pending), ["pending"]);
        assert_eq!(kinds(Unified::Paid), ["paid"]);
        assert_eq!(kinds(Unified::Declined), ["declined"]);
        assert_eq!(kinds(Unified::Refunded), ["paid", "refunded"]);
        assert_eq!(kinds(Unified::Chargeback), ["paid", "chargeback"]);
        let notice = Sale {
            stated: None,
            ..sale(Unified::Paid)
        };
        let evs = notice.into_events(head()).unwrap();
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].kind, EventKind::Informational);
        assert!(evs[0].sale.is_some(), "details still travel");
        let evs = sale(Unified::Refunded).into_events(head()).unwrap();
        assert_eq!(evs[0].dedupe_key, "k#implied-payment");
        assert_eq!(evs[1].dedupe_key, "k");
        assert_eq!(
            evs[0].kind,
            EventKind::Paid {
                payment_id: "wiapy:abc123".into()
            }
        );
        assert_eq!(
            evs[1].order_ref.correlation_id.as_deref(),
            Some("wiapy:abc123")
        );
    }

    #[test]
    fn documents_normalize_and_mask() {
        let d = Document::parse("123.456.678.90").unwrap();
        assert_eq!(d.as_str(), "12345667890");
        assert_eq!(d.tax_id(), None, "check digits fail");
        assert_eq!(format!("{d:?}"), "Document(*********90)");
        let valid = Document::parse("290.948.480-74").unwrap();
        assert!(valid.tax_id().is_some());
        assert!(Document::parse("12.345.678/0001-95").is_ok());
        for bad in ["", "123", "1234567890a", "123.456.789.0123"] {
            assert!(Document::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn links_keep_only_web_urls() {
        assert_eq!(
            Link::new("A", "https://wiapy.com/login").url.as_deref(),
            Some("https://wiapy.com/login")
        );
        for bad in [
            "URL DO ARQUIVO",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "",
        ] {
            assert_eq!(Link::new("A", bad).url, None, "{bad}");
        }
    }

    #[test]
    fn eduzz_payment_codes_have_names() {
        let m = PaymentMethod::from_eduzz_code("32");
        assert_eq!((m.method, m.brand), ("pix", None));
        let m = PaymentMethod::from_eduzz_code("24");
        assert_eq!((m.method, m.brand), ("credit_card", Some("elo")));
        let m = PaymentMethod::from_eduzz_code("1");
        assert_eq!(m.method, "boleto");
        let m = PaymentMethod::from_eduzz_code("3");
        assert_eq!((m.method, m.raw.as_str()), ("unknown", "3"));
    }
}
