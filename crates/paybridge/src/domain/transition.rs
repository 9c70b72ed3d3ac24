//! The order state machine: one pure function from (order, event) to a decision.
//! Monotonic by construction: nothing here can move a paid order back.

use super::{Cents, EventKind, Flag, Flags, OrderStatus};

/// What the machine needs to know about an order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderSnapshot {
    /// Current status.
    pub status: OrderStatus,
    /// Order value.
    pub amount: Cents,
    /// Sum of applied (non-duplicate) payments.
    pub paid_total: Cents,
    /// Sum of confirmed refunds.
    pub refunded_total: Cents,
    /// Current flags.
    pub flags: Flags,
    /// Ids of payments already recorded.
    pub payment_ids: Vec<String>,
    /// Ids of refunds already recorded.
    pub refund_ids: Vec<String>,
}

/// A money movement the store must record along with the status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing to record.
    None,
    /// Record a payment; `applied` is false for a duplicate payment on a paid
    /// order (kept for the refund, never counted towards the order).
    RecordPayment {
        /// Unique id (end-to-end id).
        payment_id: String,
        /// Amount paid.
        amount: Cents,
        /// Whether it counts towards the order.
        applied: bool,
    },
    /// Record a refund.
    RecordRefund {
        /// Unique id (refund end-to-end id).
        refund_id: String,
        /// Amount refunded.
        amount: Cents,
    },
}

/// The outcome of applying one event to one order.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Status after the event (equal to the old one when unchanged).
    pub status: OrderStatus,
    /// Flags after the event.
    pub flags: Flags,
    /// Money movement to record.
    pub effect: Effect,
    /// One line for the order timeline.
    pub note: String,
}

impl Decision {
    fn keep(order: &OrderSnapshot, note: impl Into<String>) -> Decision {
        Decision {
            status: order.status,
            flags: order.flags.clone(),
            effect: Effect::None,
            note: note.into(),
        }
    }
}

/// Applies `kind` (with its `amount`) to `order`.
pub fn decide(order: &OrderSnapshot, kind: &EventKind, amount: Option<Cents>) -> Decision {
    use OrderStatus as S;
    match kind {
        EventKind::Paid { payment_id } => {
            if order.payment_ids.iter().any(|p| p == payment_id) {
                return Decision::keep(order, "payment already recorded");
            }
            // A charge-level completion ("charge:<id>", from a webhook without
            // the Pix or from the reconciler) cannot be told apart from the Pix
            // that completed it: never count it as a second payment.
            let charge_level = |id: &str| id.starts_with("charge:");
            if order.status.is_paid_family()
                && (charge_level(payment_id) || order.payment_ids.iter().any(|p| charge_level(p)))
            {
                return Decision::keep(order, "charge completion already recorded");
            }
            let amount = amount.unwrap_or(order.amount);
            let mut flags = order.flags.clone();
            if order.status.is_paid_family() {
                flags.insert(Flag::DuplicatePayment);
                return Decision {
                    status: order.status,
                    flags,
                    effect: Effect::RecordPayment {
                        payment_id: payment_id.clone(),
                        amount,
                        applied: false,
                    },
                    note: format!("second payment of {amount} flagged, not applied"),
                };
            }
            match order.status {
                S::Expired => flags.insert(Flag::PaidAfterExpiry),
                S::Cancelled | S::Declined => flags.insert(Flag::PaidAfterCancel),
                _ => {}
            }
            let total = order.paid_total.saturating_add(amount);
            if total < order.amount {
                flags.insert(Flag::Underpaid);
            } else if total > order.amount {
                flags.insert(Flag::Overpaid);
            }
            Decision {
                status: S::Paid,
                flags,
                effect: Effect::RecordPayment {
                    payment_id: payment_id.clone(),
                    amount,
                    applied: true,
                },
                note: format!("paid {amount}"),
            }
        }
        EventKind::Expired => match order.status {
            S::Pending => Decision {
                status: S::Expired,
                ..Decision::keep(order, "charge expired")
            },
            other => Decision::keep(order, format!("late expiry ignored (order {other})")),
        },
        EventKind::Cancelled => match order.status {
            S::Pending => Decision {
                status: S::Cancelled,
                ..Decision::keep(order, "cancelled")
            },
            other => Decision::keep(order, format!("cancellation ignored (order {other})")),
        },
        EventKind::Declined => match order.status {
            S::Pending => Decision {
                status: S::Declined,
                ..Decision::keep(order, "payment declined")
            },
            other => Decision::keep(order, format!("decline ignored (order {other})")),
        },
        EventKind::RefundRequested => Decision::keep(order, "refund requested"),
        EventKind::Refunded { refund_id } => {
            if order.refund_ids.iter().any(|r| r == refund_id) {
                return Decision::keep(order, "refund already recorded");
            }
            let Some(amount) = amount else {
                return Decision::keep(order, "refund without amount ignored");
            };
            let effect = Effect::RecordRefund {
                refund_id: refund_id.clone(),
                amount,
            };
            let mut flags = order.flags.clone();
            let total = order.refunded_total.saturating_add(amount);
            let status = match order.status {
                S::Paid | S::PartiallyRefunded | S::Refunded => {
                    if total >= order.paid_total {
                        S::Refunded
                    } else {
                        S::PartiallyRefunded
                    }
                }
                other => {
                    if other != S::Chargeback {
                        flags.insert(Flag::RefundWithoutPayment);
                    }
                    other
                }
            };
            Decision {
                status,
                flags,
                effect,
                note: format!("refunded {amount} (total {total})"),
            }
        }
        EventKind::Chargeback => match order.status {
            S::Paid | S::PartiallyRefunded => Decision {
                status: S::Chargeback,
                ..Decision::keep(order, "chargeback")
            },
            other => Decision::keep(order, format!("chargeback ignored (order {other})")),
        },
        EventKind::Pending => Decision::keep(order, "awaiting payment"),
        EventKind::Unknown => Decision::keep(order, "unknown status, nothing changed"),
        EventKind::ProviderTest
        | EventKind::ProviderConfigure { .. }
        | EventKind::Informational
        | EventKind::CartAbandoned(_) => Decision::keep(order, "informational event"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;

    fn c(v: i64) -> Cents {
        Cents::new(v).unwrap()
    }

    fn order(status: S, paid: i64, refunded: i64) -> OrderSnapshot {
        OrderSnapshot {
            status,
            amount: c(1000),
            paid_total: c(paid),
            refunded_total: c(refunded),
            flags: Flags::default(),
            payment_ids: if paid > 0 { vec!["E1".into()] } else { vec![] },
            refund_ids: if refunded > 0 {
                vec!["D0".into()]
            } else {
                vec![]
            },
        }
    }

    fn paid(id: &str) -> EventKind {
        EventKind::Paid {
            payment_id: id.into(),
        }
    }

    fn refund(id: &str) -> EventKind {
        EventKind::Refunded {
            refund_id: id.into(),
        }
    }

    #[test]
    fn transition_table() {
        // (name, order, event, amount, expected status, expected flags, records money)
        type Case<'a> = (
            &'a str,
            OrderSnapshot,
            EventKind,
            Option<i64>,
            S,
            &'a str,
            bool,
        );
        let cases: Vec<Case> = vec![
            (
                "pay pending",
                order(S::Pending, 0, 0),
                paid("E1"),
                Some(1000),
                S::Paid,
                "",
                true,
            ),
            (
                "pay without amount uses order value",
                order(S::Pending, 0, 0),
                paid("E1"),
                None,
                S::Paid,
                "",
                true,
            ),
            (
                "underpaid",
                order(S::Pending, 0, 0),
                paid("E1"),
                Some(900),
                S::Paid,
                "underpaid",
                true,
            ),
            (
                "overpaid",
                order(S::Pending, 0, 0),
                paid("E1"),
                Some(1100),
                S::Paid,
                "overpaid",
                true,
            ),
            (
                "same payment twice",
                order(S::Paid, 1000, 0),
                paid("E1"),
                Some(1000),
                S::Paid,
                "",
                false,
            ),
            (
                "second payment flagged",
                order(S::Paid, 1000, 0),
                paid("E2"),
                Some(1000),
                S::Paid,
                "duplicate_payment",
                true,
            ),
            (
                "payment after expiry",
                order(S::Expired, 0, 0),
                paid("E1"),
                Some(1000),
                S::Paid,
                "paid_after_expiry",
                true,
            ),
            (
                "payment after cancel",
                order(S::Cancelled, 0, 0),
                paid("E1"),
                Some(1000),
                S::Paid,
                "paid_after_cancel",
                true,
            ),
            (
                "charge-level completion after pix",
                order(S::Paid, 1000, 0),
                paid("charge:T1"),
                Some(1000),
                S::Paid,
                "",
                false,
            ),
            (
                "payment on refunded flagged",
                order(S::Refunded, 1000, 1000),
                paid("E2"),
                Some(1000),
                S::Refunded,
                "duplicate_payment",
                true,
            ),
            (
                "expire pending",
                order(S::Pending, 0, 0),
                EventKind::Expired,
                None,
                S::Expired,
                "",
                false,
            ),
            (
                "late expiry never undoes paid",
                order(S::Paid, 1000, 0),
                EventKind::Expired,
                None,
                S::Paid,
                "",
                false,
            ),
            (
                "expiry after refund ignored",
                order(S::Refunded, 1000, 1000),
                EventKind::Expired,
                None,
                S::Refunded,
                "",
                false,
            ),
            (
                "cancel pending",
                order(S::Pending, 0, 0),
                EventKind::Cancelled,
                None,
                S::Cancelled,
                "",
                false,
            ),
            (
                "cancel paid ignored",
                order(S::Paid, 1000, 0),
                EventKind::Cancelled,
                None,
                S::Paid,
                "",
                false,
            ),
            (
                "decline pending",
                order(S::Pending, 0, 0),
                EventKind::Declined,
                None,
                S::Declined,
                "",
                false,
            ),
            (
                "decline paid ignored",
                order(S::Paid, 1000, 0),
                EventKind::Declined,
                None,
                S::Paid,
                "",
                false,
            ),
            (
                "partial refund",
                order(S::Paid, 1000, 0),
                refund("D1"),
                Some(400),
                S::PartiallyRefunded,
                "",
                true,
            ),
            (
                "partial refunds sum to full",
                order(S::PartiallyRefunded, 1000, 600),
                refund("D1"),
                Some(400),
                S::Refunded,
                "",
                true,
            ),
            (
                "full refund",
                order(S::Paid, 1000, 0),
                refund("D1"),
                Some(1000),
                S::Refunded,
                "",
                true,
            ),
            (
                "same refund twice",
                order(S::PartiallyRefunded, 1000, 600),
                refund("D0"),
                Some(600),
                S::PartiallyRefunded,
                "",
                false,
            ),
            (
                "refund without payment flagged",
                order(S::Pending, 0, 0),
                refund("D1"),
                Some(100),
                S::Pending,
                "refund_without_payment",
                true,
            ),
            (
                "refund request changes nothing",
                order(S::Paid, 1000, 0),
                EventKind::RefundRequested,
                None,
                S::Paid,
                "",
                false,
            ),
            (
                "chargeback paid",
                order(S::Paid, 1000, 0),
                EventKind::Chargeback,
                None,
                S::Chargeback,
                "",
                false,
            ),
            (
                "chargeback pending ignored",
                order(S::Pending, 0, 0),
                EventKind::Chargeback,
                None,
                S::Pending,
                "",
                false,
            ),
            (
                "expiry after chargeback ignored",
                order(S::Chargeback, 1000, 0),
                EventKind::Expired,
                None,
                S::Chargeback,
                "",
                false,
            ),
            (
                "informational",
                order(S::Pending, 0, 0),
                EventKind::Informational,
                None,
                S::Pending,
                "",
                false,
            ),
        ];
        for (name, snap, kind, amount, want_status, want_flags, records) in cases {
            let d = decide(&snap, &kind, amount.map(c));
            assert_eq!(d.status, want_status, "{name}: status");
            assert_eq!(d.flags.to_stored(), want_flags, "{name}: flags");
            assert_eq!(
                d.effect != Effect::None,
                records,
                "{name}: effect {:?}",
                d.effect
            );
        }
    }

    #[test]
    fn duplicate_payment_is_recorded_but_not_applied() {
        let d = decide(&order(S::Paid, 1000, 0), &paid("E2"), Some(c(1000)));
        assert!(matches!(
            d.effect,
            Effect::RecordPayment { applied: false, .. }
        ));
    }

    #[test]
    fn monotonic_paid_family_never_returns_to_pending_or_expired() {
        let kinds = [
            paid("E9"),
            EventKind::Expired,
            EventKind::Cancelled,
            EventKind::Declined,
            EventKind::RefundRequested,
            refund("D9"),
            EventKind::Chargeback,
            EventKind::Informational,
            EventKind::Pending,
            EventKind::Unknown,
        ];
        for st in OrderStatus::ALL.into_iter().filter(|s| s.is_paid_family()) {
            for k in &kinds {
                let d = decide(&order(st, 1000, 0), k, Some(c(10)));
                assert!(d.status.is_paid_family(), "{st} + {k:?} -> {}", d.status);
            }
        }
    }
}
