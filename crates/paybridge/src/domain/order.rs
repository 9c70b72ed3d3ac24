//! Order status and the flags that mark what needs a human's eye.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// The unified order status (see the architecture's status table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Waiting for the Pix.
    Pending,
    /// Paid in full or in part (see flags).
    Paid,
    /// Some of the payment went back to the buyer.
    PartiallyRefunded,
    /// All of the payment went back to the buyer.
    Refunded,
    /// The charge expired unpaid.
    Expired,
    /// The store or the merchant cancelled it before payment.
    Cancelled,
    /// The provider refused the payment.
    Declined,
    /// The buyer disputed a payment.
    Chargeback,
}

/// A status name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown order status {0:?}")]
pub struct UnknownStatus(pub String);

impl OrderStatus {
    /// Every status, for metrics and docs.
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::Pending,
        OrderStatus::Paid,
        OrderStatus::PartiallyRefunded,
        OrderStatus::Refunded,
        OrderStatus::Expired,
        OrderStatus::Cancelled,
        OrderStatus::Declined,
        OrderStatus::Chargeback,
    ];

    /// The snake_case name stored and served.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Paid => "paid",
            OrderStatus::PartiallyRefunded => "partially_refunded",
            OrderStatus::Refunded => "refunded",
            OrderStatus::Expired => "expired",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Declined => "declined",
            OrderStatus::Chargeback => "chargeback",
        }
    }

    /// True once money arrived (refunds and disputes included).
    pub fn is_paid_family(self) -> bool {
        matches!(
            self,
            OrderStatus::Paid
                | OrderStatus::PartiallyRefunded
                | OrderStatus::Refunded
                | OrderStatus::Chargeback
        )
    }
}

impl FromStr for OrderStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrderStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something odd about an order that the merchant should look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Paid less than the order value.
    Underpaid,
    /// Paid more than the order value.
    Overpaid,
    /// The payment arrived after the charge expired.
    PaidAfterExpiry,
    /// The payment arrived after the order was cancelled or declined.
    PaidAfterCancel,
    /// A second, different payment arrived for an order already paid.
    DuplicatePayment,
    /// A refund arrived for an order with no recorded payment.
    RefundWithoutPayment,
}

impl Flag {
    /// The snake_case name stored and served.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Underpaid => "underpaid",
            Flag::Overpaid => "overpaid",
            Flag::PaidAfterExpiry => "paid_after_expiry",
            Flag::PaidAfterCancel => "paid_after_cancel",
            Flag::DuplicatePayment => "duplicate_payment",
            Flag::RefundWithoutPayment => "refund_without_payment",
        }
    }

    fn parse(s: &str) -> Option<Flag> {
        [
            Flag::Underpaid,
            Flag::Overpaid,
            Flag::PaidAfterExpiry,
            Flag::PaidAfterCancel,
            Flag::DuplicatePayment,
            Flag::RefundWithoutPayment,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }
}

/// The set of flags on an order; stored as a comma-separated list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flags(BTreeSet<Flag>);

impl Flags {
    /// Reads the stored form; unknown names (from a newer version) are dropped.
    pub fn from_stored(s: &str) -> Flags {
        Flags(s.split(',').filter_map(|p| Flag::parse(p.trim())).collect())
    }

    /// The stored form.
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Adds a flag.
    pub fn insert(&mut self, flag: Flag) {
        self.0.insert(flag);
    }

    /// Whether the flag is set.
    pub fn contains(&self, flag: Flag) -> bool {
        self.0.contains(&flag)
    }

    /// The flags in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = Flag> + '_ {
        self.0.iter().copied()
    }
}
