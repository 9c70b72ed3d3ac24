//! Logging set-up shared by every subcommand.

use tracing_subscriber::EnvFilter;

/// Sends logs to stderr so that commands printing JSON keep stdout clean.
/// `RUST_LOG` overrides the default `info` level.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
