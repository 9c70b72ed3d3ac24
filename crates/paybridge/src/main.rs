//! The `paybridge` binary: a thin `main` that hands over to the CLI.

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    paybridge::telemetry::init();
    let cli = paybridge::cli::Cli::parse();
    paybridge::cli::run(cli).await
}
