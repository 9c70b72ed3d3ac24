//! `paybridge migrate`: create or upgrade the database schema and exit.

use crate::config::Config;
use crate::store::Store;
use clap::Args;
use std::process::ExitCode;

/// Options of `paybridge migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {}

/// Runs the migrations against the configured database.
pub async fn run(_args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load()?;
    Store::connect(&config.database).await?;
    println!("database schema is up to date");
    Ok(ExitCode::SUCCESS)
}
