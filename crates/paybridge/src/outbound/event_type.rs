//! Which store event an order change causes, and the list of event types an
//! endpoint can subscribe to.

use crate::domain::{Flag, Flags, OrderStatus};

/// Every event type the store can receive (plus `ping`, sent by the test button).
pub const EVENT_TYPES: [&str; 12] = [
    "order.created",
    "order.paid",
    "order.underpaid",
    "order.expired",
    "order.cancelled",
    "order.refunded",
    "order.partially_refunded",
    "order.chargeback",
    "order.declined",
    "access.granted",
    "access.revoked",
    "cart.abandoned",
];

/// The event for an order change: a new status, or another refund on a
/// refunded order; `None` for a change the store does not act on (a flag only).
pub fn for_order_change(
    from: OrderStatus,
    to: OrderStatus,
    flags: &Flags,
    recorded_refund: bool,
) -> Option<&'static str> {
    if from == to && !recorded_refund {
        return None;
    }
    Some(match to {
        OrderStatus::Paid if flags.contains(Flag::Underpaid) => "order.underpaid",
        OrderStatus::Pending => return None,
        OrderStatus::Paid => "order.paid",
        OrderStatus::PartiallyRefunded => "order.partially_refunded",
        OrderStatus::Refunded => "order.refunded",
        OrderStatus::Expired => "order.expired",
        OrderStatus::Cancelled => "order.cancelled",
        OrderStatus::Declined => "order.declined",
        OrderStatus::Chargeback => "order.chargeback",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;

    #[test]
    fn table() {
        let none = Flags::default();
        let under = Flags::from_stored("underpaid");
        let dup = Flags::from_stored("duplicate_payment");
        let cases = [
            (S::Pending, S::Paid, &none, false, Some("order.paid")),
            (S::Pending, S::Paid, &under, false, Some("order.underpaid")),
            (S::Expired, S::Paid, &none, false, Some("order.paid")),
            (S::Pending, S::Expired, &none, false, Some("order.expired")),
            (
                S::Pending,
                S::Cancelled,
                &none,
                false,
                Some("order.cancelled"),
            ),
            (
                S::Pending,
                S::Declined,
                &none,
                false,
                Some("order.declined"),
            ),
            (
                S::Paid,
                S::PartiallyRefunded,
                &none,
                true,
                Some("order.partially_refunded"),
            ),
            (
                S::PartiallyRefunded,
                S::PartiallyRefunded,
                &none,
                true,
                Some("order.partially_refunded"),
            ),
            (
                S::PartiallyRefunded,
                S::Refunded,
                &none,
                true,
                Some("order.refunded"),
            ),
            (
                S::Paid,
                S::Chargeback,
                &none,
                false,
                Some("order.chargeback"),
            ),
            (S::Paid, S::Paid, &dup, false, None),
            (S::Pending, S::Pending, &none, false, None),
        ];
        for (from, to, flags, refund, want) in cases {
            assert_eq!(
                for_order_change(from, to, flags, refund),
                want,
                "{from} -> {to}"
            );
            if let Some(t) = want {
                assert!(EVENT_TYPES.contains(&t));
            }
        }
    }
}

/// The event types an endpoint subscribes to; empty means all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventSelection(Vec<&'static str>);

/// A name that is not an event type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown event type {0:?}")]
pub struct UnknownEventType(pub String);

impl EventSelection {
    /// Every event type.
    pub fn all() -> EventSelection {
        EventSelection(Vec::new())
    }

    /// Parses a list of names (duplicates collapse).
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<EventSelection, UnknownEventType> {
        let mut out: Vec<&'static str> = Vec::new();
        for n in names {
            let n = n.as_ref().trim();
            let t = EVENT_TYPES
                .into_iter()
                .find(|t| *t == n)
                .ok_or_else(|| UnknownEventType(n.to_owned()))?;
            if !out.contains(&t) {
                out.push(t);
            }
        }
        Ok(EventSelection(out))
    }

    /// Reads the stored comma-separated form (unknown names from a newer version are dropped).
    pub fn from_stored(s: &str) -> EventSelection {
        EventSelection(
            s.split(',')
                .filter_map(|n| EVENT_TYPES.into_iter().find(|t| *t == n.trim()))
                .collect(),
        )
    }

    /// The stored form.
    pub fn to_stored(&self) -> String {
        self.0.join(",")
    }

    /// Whether an event of this type goes to the endpoint.
    pub fn includes(&self, event_type: &str) -> bool {
        self.0.is_empty() || self.0.contains(&event_type)
    }

    /// The chosen types (empty: all).
    pub fn types(&self) -> &[&'static str] {
        &self.0
    }
}

#[cfg(test)]
mod selection_tests {
    use super::*;

    #[test]
    fn selection() {
        let s = EventSelection::parse(&["order.paid", "order.paid", "access.granted"]).unwrap();
        assert_eq!(s.to_stored(), "order.paid,access.granted");
        assert_eq!(EventSelection::from_stored(&s.to_stored()), s);
        assert!(s.includes("order.paid") && !s.includes("order.created"));
        assert!(EventSelection::all().includes("cart.abandoned"));
        assert_eq!(
            EventSelection::parse(&["order.pago"]).unwrap_err(),
            UnknownEventType("order.pago".into())
        );
    }
}
