//! A checkout the buyer left before paying (Eduzz `abandonment`): a record
//! for recovery, never an order.

use super::{Email, Link, PersonName, Phone};
use serde::Serialize;
use time::OffsetDateTime;

/// One abandoned checkout as the platform reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbandonedCart {
    /// The platform's id of the lead/cart (Eduzz `identifier`); unique per platform.
    pub cart_id: String,
    /// When the buyer opened the checkout.
    #[serde(with = "time::serde::rfc3339::option")]
    pub accessed_at: Option<OffsetDateTime>,
    /// Buyer's name.
    pub customer_name: Option<PersonName>,
    /// Buyer's e-mail.
    pub customer_email: Option<Email>,
    /// Buyer's phone (E.164).
    pub customer_phone: Option<Phone>,
    /// The product left in the cart.
    pub product_id: Option<String>,
    /// Its name.
    pub product_name: Option<String>,
    /// Where the buyer can resume (kept only when it is an http(s) URL).
    pub checkout_url: Option<String>,
    /// The platform's invoice for the attempt, when one was opened.
    pub invoice_id: Option<String>,
}

impl AbandonedCart {
    /// Keeps a checkout URL only when it is a web address.
    pub fn web_url(url: &str) -> Option<String> {
        Link::new("", url).url
    }
}
