//! A local, Woovi-compatible emulator.
//!
//! Same paths, status codes and JSON as `api.woovi.com`, real dynamic BR codes
//! and webhooks signed the way Woovi signs them, so paybridge (and any Woovi
//! SDK) can run end to end offline. Mount [`Sandbox::router`] inside another
//! axum app, or run it standalone with [`serve`].
#![forbid(unsafe_code)]

mod backoffice;
mod clock;
mod delivery;
mod error;
mod events;
mod expiry;
mod flows;
mod ids;
mod model;
mod pix;
mod routes;
mod signer;
mod state;
mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use delivery::DeliveryAttempt;

/// How a [`Sandbox`] is set up.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// AppIDs accepted in `Authorization`; callers can add more later with
    /// [`Sandbox::add_app_id`].
    pub app_ids: Vec<String>,
    /// Where the SQLite file and the signing key live; `None` keeps everything
    /// in memory (lost on exit).
    pub data_dir: Option<PathBuf>,
    /// URL the sandbox is reachable at from outside, e.g.
    /// `http://127.0.0.1:8080/_sandbox/woovi`; used in BR codes, payment links
    /// and QR image links.
    pub public_base_url: String,
    /// First retry delay of a failed webhook delivery (Woovi: 10 s); attempt
    /// `n` waits `base · 2ⁿ`.
    pub webhook_base_delay: Duration,
    /// Tries per webhook delivery before giving up (Woovi: 8).
    pub webhook_max_attempts: u32,
    /// Timeout of one webhook delivery request.
    pub webhook_timeout: Duration,
    /// Delay between a refund being accepted (`IN_PROCESSING`) and confirmed.
    pub refund_confirm_delay: Duration,
    /// How often the expiry ticker looks for charges past `expiresDate`.
    pub expiry_tick: Duration,
    /// RSA modulus size of a newly generated signing key. Default 1024, the
    /// size of Woovi's own key: a 2048-bit key takes 5–11 s to generate in a
    /// debug build, which every embedding test would pay.
    pub key_bits: usize,
    /// Use this PKCS#8 PEM private key instead of generating or loading one;
    /// lets test suites skip key generation.
    pub signing_key_pem: Option<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            app_ids: Vec::new(),
            data_dir: None,
            public_base_url: "http://127.0.0.1:8090".to_owned(),
            webhook_base_delay: Duration::from_secs(10),
            webhook_max_attempts: 8,
            webhook_timeout: Duration::from_secs(10),
            refund_confirm_delay: Duration::from_millis(200),
            expiry_tick: Duration::from_secs(1),
            key_bits: 1024,
            signing_key_pem: None,
        }
    }
}

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// A setting is unusable (e.g. a public URL too long for a BR code).
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
    /// The data directory or key file could not be read or written.
    #[error("sandbox data dir: {0}")]
    Io(#[from] std::io::Error),
    /// The SQLite store failed.
    #[error("sandbox store: {0}")]
    Store(#[from] sqlx::Error),
    /// The signing key could not be generated, read or encoded.
    #[error("sandbox signing key: {0}")]
    Key(String),
}

/// A running emulator: state, signing key and background workers.
///
/// Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<state::Shared>,
}

impl Sandbox {
    /// Opens (or creates) the state, loads or generates the signing key and
    /// spawns the expiry ticker and the webhook delivery worker on the current
    /// tokio runtime.
    pub async fn new(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let shared = state::Shared::open(config).await?;
        let sandbox = Sandbox { inner: shared };
        expiry::spawn(sandbox.inner.clone());
        Ok(sandbox)
    }

    /// All routes with state applied; nest it anywhere
    /// (`Router::new().nest("/_sandbox/woovi", sandbox.router())`).
    pub fn router(&self) -> axum::Router {
        routes::router(self.inner.clone())
    }

    /// The PEM (SPKI) public key webhooks are signed with, as published at
    /// `/api/v1/webhook/public-keys`.
    pub fn public_key_pem(&self) -> String {
        self.inner.signer.public_key_pem().to_owned()
    }

    /// Accepts one more AppID from now on.
    pub fn add_app_id(&self, id: &str) {
        self.inner.add_app_id(id);
    }

    /// Every webhook delivery attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryAttempt> {
        self.inner.deliveries.snapshot()
    }

    /// Moves the sandbox clock forward and expires what is now past due.
    pub async fn advance_clock(&self, by: Duration) {
        self.inner.clock.advance(by);
        expiry::sweep(&self.inner).await;
    }
}

/// Runs a standalone sandbox on `listener` until the process ends.
pub async fn serve(
    config: SandboxConfig,
    listener: tokio::net::TcpListener,
) -> Result<(), SandboxError> {
    let sandbox = Sandbox::new(config).await?;
    axum::serve(listener, sandbox.router()).await?;
    Ok(())
}
