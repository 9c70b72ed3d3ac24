//! `paybridge webhook verify`: check a provider signature offline, on the raw body bytes.

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Webhook tools.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Verify a webhook signature: prints `valid` (exit 0) or why not (exit 1).
    Verify(VerifyArgs),
}

/// Providers whose signatures can be checked offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignedProvider {
    /// Woovi: base64 RSA-SHA256 in `x-webhook-signature`.
    Woovi,
}

/// Arguments of `webhook verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Who signed the webhook.
    #[arg(long, value_enum)]
    pub provider: SignedProvider,
    /// File with the raw body exactly as received.
    #[arg(long)]
    pub body: PathBuf,
    /// The signature header value, or `@FILE` to read it from a file.
    #[arg(long, allow_hyphen_values = true)]
    pub signature: String,
    /// PEM file with the key(s) to trust instead of Woovi's embedded key
    /// (a sandbox's key, or a key Woovi rotated to).
    #[arg(long)]
    pub public_key: Option<PathBuf>,
}

/// Runs a webhook subcommand.
pub fn run(cmd: WebhookCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        WebhookCommand::Verify(args) => verify(args),
    }
}

fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let body =
        std::fs::read(&args.body).with_context(|| format!("reading {}", args.body.display()))?;
    let signature = match args.signature.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?,
        None => args.signature,
    };
    let keys = match &args.public_key {
        Some(path) => {
            let pem = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            woovi::webhook::KeySet::from_pem(&pem)
                .with_context(|| format!("key in {}", path.display()))?
        }
        None => woovi::webhook::KeySet::embedded(),
    };
    let result = match args.provider {
        SignedProvider::Woovi => {
            woovi::webhook::verify_signature(&keys, signature.trim().as_bytes(), &body)
        }
    };
    match result {
        Ok(()) => {
            println!("valid");
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            println!("invalid: {err}");
            Ok(ExitCode::FAILURE)
        }
    }
}
