//! `paybridge brcode …`: decode, encode and render Pix BR Codes.

use clap::Subcommand;
use std::process::ExitCode;

/// BR Code subcommands.
#[derive(Debug, Subcommand)]
pub enum BrcodeCommand {
    /// Decode a payload (or `-` for stdin) and print its fields as JSON.
    Decode {
        /// The payload, or `-` to read it from stdin.
        payload: String,
        /// Apply every rule of the BCB Pix manual.
        #[arg(long)]
        strict: bool,
    },
}

/// Runs a BR Code subcommand.
pub fn run(cmd: BrcodeCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BrcodeCommand::Decode { .. } => anyhow::bail!("brcode decode is not built yet"),
    }
}
