//! Access to digital products (seed 003's `libera_acesso` / `remove_acesso`):
//! the pure rule deciding, from what the platform states and where the order
//! ends, whether access is granted, revoked or left alone.

use super::status_mapping::Unified;
use super::OrderStatus;
use time::OffsetDateTime;

/// Whether a buyer may use a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessStatus {
    /// The buyer may use it.
    Active,
    /// Taken back (see [`RevokeReason`]).
    Revoked,
}

impl AccessStatus {
    /// Stored and served name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessStatus::Active => "active",
            AccessStatus::Revoked => "revoked",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<AccessStatus> {
        match s {
            "active" => Some(AccessStatus::Active),
            "revoked" => Some(AccessStatus::Revoked),
            _ => None,
        }
    }
}

/// Why access was taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeReason {
    /// The money went back to the buyer.
    Refunded,
    /// The buyer disputed the payment.
    Chargeback,
    /// The platform cancelled the sale after it was paid.
    Cancelled,
    /// The platform expired the sale after it was paid (recurring invoices).
    Expired,
}

impl RevokeReason {
    /// Stored and served name.
    pub fn as_str(self) -> &'static str {
        match self {
            RevokeReason::Refunded => "refunded",
            RevokeReason::Chargeback => "chargeback",
            RevokeReason::Cancelled => "cancelled",
            RevokeReason::Expired => "expired",
        }
    }
}

/// What an event does to the access of a sale's products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessChange {
    /// Grant (or re-activate) access to every product.
    Grant,
    /// Revoke every active access.
    Revoke(RevokeReason),
    /// Leave access as it is.
    Keep,
}

/// The rule: access follows the platform's statement, except that a "paid"
/// the order did not end `paid` with (a late "paid" after a refund or a
/// chargeback) grants nothing. Revoking touches only active access, so a
/// cancellation of a never-paid sale changes nothing.
pub fn access_change(stated: Unified, order_after: OrderStatus) -> AccessChange {
    match stated {
        Unified::Paid if order_after == OrderStatus::Paid => AccessChange::Grant,
        Unified::Refunded => AccessChange::Revoke(RevokeReason::Refunded),
        Unified::Chargeback => AccessChange::Revoke(RevokeReason::Chargeback),
        Unified::Cancelled => AccessChange::Revoke(RevokeReason::Cancelled),
        Unified::Expired => AccessChange::Revoke(RevokeReason::Expired),
        _ => AccessChange::Keep,
    }
}

/// True when an event is older than the last change of an access, by the
/// platform's own clock: delivered out of order, it must not undo the newer
/// change. Without both times, delivery order decides.
pub fn is_stale(event_at: Option<OffsetDateTime>, last_change_at: Option<OffsetDateTime>) -> bool {
    matches!((event_at, last_change_at), (Some(e), Some(l)) if e < l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as O;
    use Unified as U;

    #[test]
    fn access_table() {
        let cases = [
            (U::Paid, O::Paid, AccessChange::Grant),
            (U::Paid, O::Refunded, AccessChange::Keep),
            (U::Paid, O::Chargeback, AccessChange::Keep),
            (U::Pending, O::Pending, AccessChange::Keep),
            (U::Pending, O::Paid, AccessChange::Keep),
            (U::Declined, O::Declined, AccessChange::Keep),
            (U::RefundRequested, O::Paid, AccessChange::Keep),
            (
                U::Refunded,
                O::Refunded,
                AccessChange::Revoke(RevokeReason::Refunded),
            ),
            (
                U::Chargeback,
                O::Chargeback,
                AccessChange::Revoke(RevokeReason::Chargeback),
            ),
            (
                U::Cancelled,
                O::Paid,
                AccessChange::Revoke(RevokeReason::Cancelled),
            ),
            (
                U::Expired,
                O::Paid,
                AccessChange::Revoke(RevokeReason::Expired),
            ),
        ];
        for (stated, after, want) in cases {
            assert_eq!(access_change(stated, after), want, "{stated} / {after}");
        }
    }

    #[test]
    fn staleness_needs_both_clocks() {
        let t = |s| Some(OffsetDateTime::from_unix_timestamp(s).unwrap());
        assert!(is_stale(t(10), t(20)));
        assert!(!is_stale(t(20), t(20)));
        assert!(!is_stale(t(30), t(20)));
        assert!(!is_stale(None, t(20)));
        assert!(!is_stale(t(10), None));
    }
}
