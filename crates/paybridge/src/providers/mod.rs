//! Payment providers: each one file that proves a webhook came from the
//! provider (on the raw bytes) and turns it into [`PaymentEvent`]s. Pure: no IO.
//!
//! Adding a provider means one file here, one fixture folder and one line in
//! [`Registry::from_config`].

pub mod body_limits;
pub mod eduzz;
pub mod eduzz_hub;
pub mod field_tree;
pub mod hostile;
pub mod intake;
pub mod json_scan;
pub mod shared_secret;
pub mod wiapy;
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
    /// The shared token (header or body field) is absent.
    #[error("missing {0}")]
    MissingToken(&'static str),
    /// The shared token matches no configured one.
    #[error("invalid {0}")]
    InvalidToken(&'static str),
    /// No secret is configured for this provider: everything is refused.
    #[error("no {0} configured for this provider")]
    NotConfigured(&'static str),
    /// The proof sits inside the body and the body cannot be read (answered 400).
    #[error("malformed body: {0}")]
    Unreadable(String),
    /// The proof sits inside the body and the body is past a hard limit
    /// (answered 400; the search for the proof stopped there).
    #[error("body over a limit: {0}")]
    OverLimit(body_limits::LimitError),
}

impl AuthError {
    /// Stable reason for metrics and the rejected-webhook log.
    pub fn reason(&self) -> &'static str {
        match self {
            AuthError::MissingSignature => "missing_signature",
            AuthError::InvalidSignature => "invalid_signature",
            AuthError::InvalidSecondary("hmac") => "invalid_hmac",
            AuthError::InvalidSecondary(_) => "invalid_authorization",
            AuthError::MissingToken(_) => "missing_token",
            AuthError::InvalidToken(_) => "invalid_token",
            AuthError::NotConfigured(_) => "not_configured",
            AuthError::Unreadable(_) => "malformed",
            AuthError::OverLimit(_) => "body_limit",
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
    /// else may rely on it. By default, what `parse` (pure) would find.
    fn claimed_ref(&self, headers: &HeaderMap, body: &[u8]) -> ClaimedRef {
        self.parse(headers, body)
            .ok()
            .and_then(|events| events.into_iter().next())
            .map(|e| ClaimedRef::from_unverified(e.order_ref))
            .unwrap_or_default()
    }
    /// Media types the provider sends; anything else is answered 415.
    fn content_types(&self) -> &'static [&'static str] {
        &["application/json"]
    }
    /// Why every webhook will be refused (no secret configured), for the start-up log.
    fn unconfigured(&self) -> Option<String> {
        None
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
    /// One line per provider. `woovi_keys` are the keys the configured
    /// Woovi publishes (kept fresh by the caller), or `None` to verify with
    /// Woovi's embedded key and `extra_woovi_pems` (the embedded sandbox).
    pub fn from_config(
        config: &Config,
        extra_woovi_pems: &[String],
        woovi_keys: Option<::woovi::webhook::RefreshingKeySet>,
    ) -> Result<Registry, String> {
        let mut r = Registry::default();
        r.add(match woovi_keys {
            Some(keys) => woovi::WooviProvider::with_published_keys(&config.woovi, keys),
            None => woovi::WooviProvider::from_config(&config.woovi, extra_woovi_pems)?,
        });
        r.add(wiapy::WiapyProvider::from_config(&config.wiapy));
        r.add(eduzz::EduzzProvider::from_config(&config.eduzz));
        r.add(eduzz_hub::EduzzHubProvider::from_config(&config.eduzz));
        for warning in r.warnings() {
            tracing::warn!("{warning}");
        }
        Ok(r)
    }

    /// One line per provider that refuses everything for lack of a secret.
    pub fn warnings(&self) -> Vec<String> {
        self.providers
            .values()
            .filter_map(|p| p.unconfigured())
            .collect()
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
mod eduzz_examples;
#[cfg(test)]
mod eduzz_hub_examples;
#[cfg(test)]
mod hostile_examples;
#[cfg(test)]
mod wiapy_examples;
#[cfg(test)]
mod woovi_examples;
