//! Command-line interface: one file per subcommand group.

mod brcode;
mod demo;
mod migrate;
mod sandbox;
mod serve;
mod webhook;
mod woovi;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// paybridge: Pix checkout and verified payment webhooks for online stores.
#[derive(Debug, Parser)]
#[command(name = "paybridge", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Webhook tools: verify a provider signature offline.
    #[command(subcommand)]
    Webhook(webhook::WebhookCommand),
    /// Call the Woovi API (`WOOVI_APP_ID`, `--base-url`), JSON out.
    Woovi(woovi::WooviArgs),
    /// Pix BR Code tools: decode, encode, render a QR code.
    #[command(subcommand)]
    Brcode(brcode::BrcodeCommand),
    /// Run the service: store API, Woovi webhooks, embedded sandbox when no Woovi is configured.
    Serve(serve::ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate(migrate::MigrateArgs),
    /// Run the Woovi emulator standalone (same API, real BR codes, signed webhooks).
    Sandbox(sandbox::SandboxArgs),
    /// Scripted walk-through: start with the sandbox, create an order, pay it, see it paid.
    Demo(demo::DemoArgs),
}

/// Runs the chosen subcommand; failures are printed on stderr and give exit code 1.
pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Webhook(cmd) => webhook::run(cmd),
        Command::Woovi(args) => woovi::run(args).await,
        Command::Brcode(cmd) => brcode::run(cmd),
        Command::Serve(args) => serve::run(args).await,
        Command::Migrate(args) => migrate::run(args).await,
        Command::Sandbox(args) => sandbox::run(args).await,
        Command::Demo(args) => demo::run(args).await,
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
