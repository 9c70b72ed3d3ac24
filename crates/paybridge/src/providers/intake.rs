//! The one order every webhook is read in, whatever the provider: media
//! type, proof, the body's hard limits, then parsing. Pure, so the whole
//! gate is table-tested with hostile input; the HTTP handler only records
//! and answers what this decides.

use super::body_limits::LimitError;
use super::field_tree::{self, DecodeError, Encoding};
use super::{AuthError, ParseError, Provider};
use crate::domain::{ClaimedRef, PaymentEvent};
use http::HeaderMap;

/// Why a webhook is refused; nothing of it is applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A media type the provider does not send (415).
    #[error("unsupported content type")]
    UnsupportedMediaType,
    /// The proof does not hold (401; 400 when a body-borne proof cannot be read).
    #[error(transparent)]
    Unauthenticated(AuthError),
    /// A proven body past the hard limits (400).
    #[error("body over a limit: {0}")]
    OverLimit(LimitError),
    /// A proven body its provider cannot read (400).
    #[error(transparent)]
    Malformed(ParseError),
}

impl Refusal {
    /// Stable reason for metrics, the rejected-webhook log and the error code.
    pub fn reason(&self) -> &'static str {
        match self {
            Refusal::UnsupportedMediaType => "unsupported_media_type",
            Refusal::Unauthenticated(e) => e.reason(),
            Refusal::OverLimit(_) => "body_limit",
            Refusal::Malformed(_) => "malformed",
        }
    }

    /// True when the answer is 400 (the request itself is unreadable)
    /// rather than 401 or 415.
    pub fn is_bad_request(&self) -> bool {
        matches!(
            self,
            Refusal::OverLimit(_)
                | Refusal::Malformed(_)
                | Refusal::Unauthenticated(AuthError::Unreadable(_) | AuthError::OverLimit(_))
        )
    }
}

/// How the body is encoded, from its `Content-Type` (JSON when absent).
pub fn encoding(headers: &HeaderMap) -> Encoding {
    Encoding::from_content_type(
        headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    )
    .unwrap_or(Encoding::Json)
}

fn accepts_media_type(provider: &dyn Provider, headers: &HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|m| {
            provider
                .content_types()
                .iter()
                .any(|t| m.trim().eq_ignore_ascii_case(t))
        })
}

/// Checks the body against the hard limits (linear, no recursion).
pub fn within_limits(headers: &HeaderMap, body: &[u8]) -> Result<(), Refusal> {
    field_tree::check(encoding(headers), body).map_err(|e| match e {
        DecodeError::Limit(l) => Refusal::OverLimit(l),
        other => Refusal::Malformed(ParseError::Malformed(other.to_string())),
    })
}

/// Media type, proof, limits, parse: the events of a webhook, or why not.
/// Nothing reads the body's structure before `verify` holds except a
/// provider that must find its proof inside the body, and that reader is
/// bounded by the same limits.
pub fn accept(
    provider: &dyn Provider,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Vec<PaymentEvent>, Refusal> {
    if !accepts_media_type(provider, headers) {
        return Err(Refusal::UnsupportedMediaType);
    }
    provider
        .verify(headers, body)
        .map_err(Refusal::Unauthenticated)?;
    within_limits(headers, body)?;
    provider.parse(headers, body).map_err(Refusal::Malformed)
}

/// What a refused body claims to be about, for the admin page; read only
/// from a body within the limits (nothing for the rest).
pub fn claimed_ref(provider: &dyn Provider, headers: &HeaderMap, body: &[u8]) -> ClaimedRef {
    match within_limits(headers, body) {
        Ok(()) => provider.claimed_ref(headers, body),
        Err(_) => ClaimedRef::default(),
    }
}
