//! Key set that follows `GET /api/v1/webhook/public-keys`, for key rotation.

use super::keys::KeySet;
use super::verify::{VerifyError, WebhookVerifier};
use crate::client::Client;
use crate::error::Error;
use http::HeaderMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How often the published keys are fetched at most.
pub const DEFAULT_REFRESH_INTERVAL: Duration = Duration::from_secs(3600);

#[derive(Debug)]
struct State {
    current: KeySet,
    last_attempt: Option<Instant>,
}

/// The embedded key plus whatever Woovi publishes, fetched at most once per
/// interval. A failed fetch keeps the last good set, so an outage of the key
/// endpoint never stops webhooks from verifying.
#[derive(Debug, Clone)]
pub struct RefreshingKeySet {
    client: Client,
    base: KeySet,
    interval: Duration,
    state: Arc<RwLock<State>>,
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

impl RefreshingKeySet {
    /// Woovi's embedded key plus the published ones.
    pub fn new(client: Client) -> Self {
        Self::with_base(client, KeySet::embedded())
    }

    /// `base` (always accepted) plus the published keys; pass
    /// `KeySet::empty()` to trust only what the endpoint returns.
    pub fn with_base(client: Client, base: KeySet) -> Self {
        Self {
            client,
            state: Arc::new(RwLock::new(State {
                current: base.clone(),
                last_attempt: None,
            })),
            base,
            interval: DEFAULT_REFRESH_INTERVAL,
            refreshing: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// Changes the refresh interval (default one hour).
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The keys now, without any network call.
    pub fn current(&self) -> KeySet {
        self.state
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .current
            .clone()
    }

    /// The keys, refreshed first when the interval has passed since the last attempt.
    pub async fn keys(&self) -> KeySet {
        if self.due() {
            let _guard = self.refreshing.lock().await;
            // Another task may have refreshed while this one waited.
            if self.due() {
                if let Err(err) = self.refresh().await {
                    tracing::warn!(error = %err, "could not refresh Woovi webhook keys; keeping the last good set");
                }
            }
        }
        self.current()
    }

    fn due(&self) -> bool {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        state
            .last_attempt
            .is_none_or(|t| t.elapsed() >= self.interval)
    }

    /// Fetches the published keys now. On failure the current set stays.
    pub async fn refresh(&self) -> Result<KeySet, Error> {
        self.state
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .last_attempt = Some(Instant::now());
        let published = self.client.webhooks().public_keys().await?;
        let mut set = self.base.clone();
        let mut added = 0usize;
        for key in published
            .public_keys
            .iter()
            .filter_map(|k| k.key.as_deref())
        {
            match set.add_pem(key) {
                Ok(()) => added += 1,
                Err(err) => {
                    tracing::warn!(error = %err, "ignoring an unreadable published webhook key")
                }
            }
        }
        if added == 0 {
            return Err(Error::InvalidInput(
                "Woovi published no usable webhook key".into(),
            ));
        }
        self.state
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .current = set.clone();
        Ok(set)
    }

    /// Verifies with `verifier`'s other checks and this (refreshed) key set.
    pub async fn verify(
        &self,
        verifier: &WebhookVerifier,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), VerifyError> {
        let keys = self.keys().await;
        verifier.verify_with_keys(&keys, headers, body)
    }
}
