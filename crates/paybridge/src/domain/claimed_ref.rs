//! What an unverified webhook body says it is about. Read best-effort from a
//! body that failed authentication, only so the merchant can see the attempt
//! on the order it names; never used to find, change or trust anything else.

use super::{CorrelationId, OrderRef};

/// Longest provider id or end-to-end id kept from an unverified body.
const MAX_ID_LEN: usize = 100;

/// The identifiers an unverified body claims, each kept only when it has the
/// shape of a real id (anything else is dropped, not truncated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimedRef {
    /// The correlationID the body names.
    pub correlation_id: Option<String>,
    /// The provider's charge id (Woovi transactionID) the body names.
    pub provider_ref: Option<String>,
    /// The end-to-end id of the original payment the body names.
    pub end_to_end_id: Option<String>,
}

impl ClaimedRef {
    /// Keeps the well-shaped identifiers of a reference read from an
    /// unverified body.
    pub fn from_unverified(r: OrderRef) -> ClaimedRef {
        ClaimedRef {
            correlation_id: r.correlation_id.filter(|c| CorrelationId::parse(c).is_ok()),
            provider_ref: r.provider_ref.filter(|s| is_plain_id(s)),
            end_to_end_id: r.end_to_end_id.filter(|s| is_plain_id(s)),
        }
    }

    /// True when the body named nothing usable.
    pub fn is_empty(&self) -> bool {
        self.correlation_id.is_none() && self.provider_ref.is_none() && self.end_to_end_id.is_none()
    }
}

/// 1 to 100 visible ASCII characters: what provider ids look like, and safe
/// to show and index.
fn is_plain_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_ID_LEN && s.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(c: Option<&str>, p: Option<&str>, e: Option<&str>) -> ClaimedRef {
        ClaimedRef::from_unverified(OrderRef {
            correlation_id: c.map(str::to_owned),
            provider_ref: p.map(str::to_owned),
            end_to_end_id: e.map(str::to_owned),
        })
    }

    #[test]
    fn keeps_well_shaped_ids_and_drops_the_rest() {
        let long = "x".repeat(101);
        let hundred = "x".repeat(100);
        let cases: [(ClaimedRef, [Option<&str>; 3]); 6] = [
            (
                claim(Some("abc-1"), Some("9f2c"), Some("E1234")),
                [Some("abc-1"), Some("9f2c"), Some("E1234")],
            ),
            (claim(None, None, None), [None, None, None]),
            (
                claim(Some("a b"), Some("a b"), Some("")),
                [None, None, None],
            ),
            (
                claim(Some(&long), Some(&long), Some(&long)),
                [None, None, None],
            ),
            (
                claim(Some(&hundred), Some("\u{0}x"), Some("é")),
                [Some(&hundred), None, None],
            ),
            (
                claim(Some("<script>"), Some("<b>"), None),
                [None, Some("<b>"), None],
            ),
        ];
        for (got, [c, p, e]) in cases {
            assert_eq!(got.correlation_id.as_deref(), c, "{got:?}");
            assert_eq!(got.provider_ref.as_deref(), p, "{got:?}");
            assert_eq!(got.end_to_end_id.as_deref(), e, "{got:?}");
        }
        assert!(claim(None, Some(" "), None).is_empty());
        assert!(!claim(None, None, Some("E1")).is_empty());
    }
}
