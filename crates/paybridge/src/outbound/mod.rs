//! Telling the store: Standard Webhooks signing, the SSRF guard, the retry
//! schedule and the sealed endpoint secrets (pure parts), plus the HTTP client
//! the dispatcher (`workers::dispatcher`) sends with.

pub mod client;
pub mod event_type;
pub mod schedule;
pub mod secret_box;
pub mod signing;
pub mod ssrf;

use schedule::{parse_duration, Schedule};
use secret_box::SecretBox;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Outbound webhook settings (`PAYBRIDGE_OUTBOUND_*`).
#[derive(Debug, Clone)]
pub struct OutboundConfig {
    /// Allow endpoints on loopback/private/link-local addresses (local stores, tests).
    pub allow_private: bool,
    /// Delays between attempts.
    pub schedule: Schedule,
    /// An attempt without a complete answer within this is a failure.
    pub timeout: Duration,
    /// An endpoint failing for this long without one success is disabled.
    pub disable_after: Duration,
    /// A delivery waits for an earlier one of the same order (same endpoint) at most this long.
    pub order_wait: Duration,
    /// How often the dispatcher looks for new events when idle.
    pub poll: Duration,
    /// Attempts in flight at once.
    pub concurrency: usize,
}

impl Default for OutboundConfig {
    fn default() -> Self {
        OutboundConfig {
            allow_private: false,
            schedule: Schedule::default(),
            timeout: Duration::from_secs(15),
            disable_after: Duration::from_secs(5 * 86_400),
            order_wait: Duration::from_secs(3600),
            poll: Duration::from_millis(25),
            concurrency: 256,
        }
    }
}

impl OutboundConfig {
    /// Reads the settings through `get(env name, file key)`, which answers
    /// `(value, setting name to blame)`; errors are `(setting, message)`.
    pub fn from_settings(
        get: impl Fn(&'static str, &'static str) -> Option<(String, String)>,
    ) -> Result<OutboundConfig, (String, String)> {
        let mut c = OutboundConfig::default();
        if let Some((v, s)) = get("PAYBRIDGE_OUTBOUND_ALLOW_PRIVATE", "outbound.allow_private") {
            c.allow_private = match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => return Err((s, format!("{v:?} must be true or false"))),
            };
        }
        if let Some((v, s)) = get("PAYBRIDGE_OUTBOUND_SCHEDULE", "outbound.schedule") {
            c.schedule = Schedule::parse(&v).map_err(|e| (s, e.to_string()))?;
        }
        let dur = |env, key, into: &mut Duration| -> Result<(), (String, String)> {
            if let Some((v, s)) = get(env, key) {
                *into = parse_duration(&v)
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| (s, format!("{v:?} is not a duration like 15s or 500ms")))?;
            }
            Ok(())
        };
        dur(
            "PAYBRIDGE_OUTBOUND_TIMEOUT",
            "outbound.timeout",
            &mut c.timeout,
        )?;
        dur(
            "PAYBRIDGE_OUTBOUND_DISABLE_AFTER",
            "outbound.disable_after",
            &mut c.disable_after,
        )?;
        dur(
            "PAYBRIDGE_OUTBOUND_ORDER_WAIT",
            "outbound.order_wait",
            &mut c.order_wait,
        )?;
        dur("PAYBRIDGE_OUTBOUND_POLL", "outbound.poll", &mut c.poll)?;
        Ok(c)
    }
}

/// What handlers and the dispatcher share; cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbound {
    /// Settings.
    pub config: Arc<OutboundConfig>,
    /// Seals endpoint secrets at rest.
    pub secrets: SecretBox,
    /// The delivery client (no redirects, timeout, SSRF-guarded resolver).
    pub client: reqwest::Client,
    /// Wakes the dispatcher (new endpoint, redeliver, recover).
    pub wake: Arc<Notify>,
}

impl Outbound {
    /// Builds the client; endpoint secrets are sealed under a key derived
    /// from `secret_key` when set (shared by every node), else under the key
    /// file of `data_dir` (created on first start).
    pub fn new(
        config: OutboundConfig,
        secret_key: Option<&crate::secret::Secret>,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<Outbound> {
        let secrets = match secret_key {
            Some(k) => SecretBox::from_secret_key(k),
            None => SecretBox::load_or_create(data_dir)?,
        };
        let client = client::build(&config)?;
        Ok(Outbound {
            config: Arc::new(config),
            secrets,
            client,
            wake: Arc::new(Notify::new()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&'static str, &str)]) -> Result<OutboundConfig, (String, String)> {
        let m: HashMap<&str, String> = pairs.iter().map(|(k, v)| (*k, v.to_string())).collect();
        OutboundConfig::from_settings(|env, _| m.get(env).map(|v| (v.clone(), env.to_owned())))
    }

    #[test]
    fn settings() {
        let c = load(&[]).unwrap();
        assert!(!c.allow_private);
        assert_eq!(c.timeout, Duration::from_secs(15));
        let c = load(&[
            ("PAYBRIDGE_OUTBOUND_ALLOW_PRIVATE", "true"),
            ("PAYBRIDGE_OUTBOUND_SCHEDULE", "100ms,200ms"),
            ("PAYBRIDGE_OUTBOUND_TIMEOUT", "1s"),
        ])
        .unwrap();
        assert!(c.allow_private);
        assert_eq!(c.schedule.delays().len(), 2);
        assert_eq!(c.timeout, Duration::from_secs(1));
        for (k, v) in [
            ("PAYBRIDGE_OUTBOUND_ALLOW_PRIVATE", "maybe"),
            ("PAYBRIDGE_OUTBOUND_SCHEDULE", "soon"),
            ("PAYBRIDGE_OUTBOUND_TIMEOUT", "0s"),
        ] {
            assert_eq!(load(&[(k, v)]).unwrap_err().0, k);
        }
    }
}
