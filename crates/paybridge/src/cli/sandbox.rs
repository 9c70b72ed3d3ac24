//! `paybridge sandbox`: run the Woovi emulator standalone, so a store or an
//! SDK can be developed against it with no Woovi account and no network.

use base64::Engine;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use woovi_sandbox::SandboxConfig;

/// Options of `paybridge sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    pub addr: SocketAddr,
    /// Keep state and the signing key here (SQLite); in memory when absent.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// AppID accepted in `Authorization` (repeatable); one is generated and
    /// printed when none is given.
    #[arg(long = "app-id")]
    pub app_ids: Vec<String>,
    /// URL the sandbox is reached at (BR codes, payment links); defaults to
    /// `http://<addr>`.
    #[arg(long)]
    pub public_url: Option<String>,
    /// First webhook retry delay in milliseconds (Woovi: 10000), doubled on each retry.
    #[arg(long, default_value_t = 10_000)]
    pub webhook_base_delay_ms: u64,
}

/// A Woovi-looking AppID: `base64("Client_Id_…:Client_Secret_…")`.
fn generate_app_id() -> String {
    let raw = format!(
        "Client_Id_{}:Client_Secret_{}",
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4().simple()
    );
    base64::engine::general_purpose::STANDARD.encode(raw)
}

/// Serves the sandbox until the process is stopped.
pub async fn run(args: SandboxArgs) -> anyhow::Result<ExitCode> {
    let mut app_ids = args.app_ids;
    if app_ids.is_empty() {
        let id = generate_app_id();
        eprintln!("generated AppID (send it as the Authorization header): {id}");
        app_ids.push(id);
    }
    let public_base_url = args
        .public_url
        .unwrap_or_else(|| format!("http://{}", args.addr));
    let config = SandboxConfig {
        app_ids,
        data_dir: args.data_dir,
        public_base_url: public_base_url.clone(),
        webhook_base_delay: Duration::from_millis(args.webhook_base_delay_ms),
        ..SandboxConfig::default()
    };
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    eprintln!(
        "woovi sandbox listening on http://{} (public URL {public_base_url})",
        listener.local_addr()?
    );
    woovi_sandbox::serve(config, listener).await?;
    Ok(ExitCode::SUCCESS)
}
