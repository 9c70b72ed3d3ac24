//! Payment providers: each one file that proves a webhook came from the
//! provider (on the raw bytes) and turns it into [`PaymentEvent`]s. Pure: no IO.
//!
//! Adding a provider means one file here, one fixture folder and one line in
//! [`Registry::from_config`].

pub mod woovi;

use crate::config::Config;
use crate::domain::{ClaimedRef, PaymentEvent};
use http::HeaderMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Why a webhook is not believed to come from the provider (answered 401).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The proof header is absent.
    #[error("missing signature")]
    MissingSignature,
    /// The proof does not match the body.
    #[error("invalid signature")]
    InvalidSignature,
    /// A secondary check (HMAC, authorization echo) failed.
    #[error("invalid {0}")]
    InvalidSecondary(&'static str),
}

impl AuthError {
    /// Stable reason for metrics and the rejected-webhook log.
    pub fn reason(&self) -> &'static str {
        match self {
            AuthError::MissingSignature => "missing_signature",
            AuthError::InvalidSignature => "invalid_signature",
            AuthError::InvalidSecondary("hmac") => "invalid_hmac",
            AuthError::InvalidSecondary(_) => "invalid_authorization",
        }
    }
}

/// Why an authenticated body could not be read (answered 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not JSON, or not the shape the provider documents.
    #[error("malformed body: {0}")]
    Malformed(String),
}

/// One payment provider's webhook dialect. Implementations hold their own
/// secrets (built from the configuration), so `verify` needs only the request.
pub trait Provider: Send + Sync + 'static {
    /// Name used in `/webhooks/{name}` and stored with every event.
    fn name(&self) -> &'static str;
    /// Proves the request came from the provider; must run before `parse`.
    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), AuthError>;
    /// Reads the verified body into normalized events.
    fn parse(&self, headers: &HeaderMap, body: &[u8]) -> Result<Vec<PaymentEvent>, ParseError>;
    /// Best-effort: which order an *unverified* body says it is about, so a
    /// rejected attempt can be listed on that order's admin page. Nothing
    /// else may rely on it.
    fn claimed_ref(&self, _headers: &HeaderMap, _body: &[u8]) -> ClaimedRef {
        ClaimedRef::default()
    }
}

/// The providers this instance accepts webhooks from.
#[derive(Clone, Default)]
pub struct Registry {
    providers: BTreeMap<&'static str, Arc<dyn Provider>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.providers.keys()).finish()
    }
}

impl Registry {
    /// One line per provider.
    pub fn from_config(config: &Config, extra_woovi_pems: &[String]) -> Result<Registry, String> {
        let mut r = Registry::default();
        r.add(woovi::WooviProvider::from_config(
            &config.woovi,
            extra_woovi_pems,
        )?);
        Ok(r)
    }

    /// Adds (or replaces) a provider.
    pub fn add(&mut self, p: impl Provider) {
        self.providers.insert(p.name(), Arc::new(p));
    }

    /// The provider for a `/webhooks/{name}` path segment.
    pub fn get(&self, name: &str) -> Option<Arc<dyn Provider>> {
        self.providers.get(name).cloned()
    }

    /// Names of the registered providers.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.providers.keys().copied()
    }
}

#[cfg(test)]
mod woovi_examples;
