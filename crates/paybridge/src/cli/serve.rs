//! `paybridge serve`: run the service (zero configuration works).

use crate::config::Config;
use crate::startup::Application;
use clap::Args;
use std::process::ExitCode;

/// Options of `paybridge serve` (everything else comes from the configuration).
#[derive(Debug, Args)]
pub struct ServeArgs {}

/// Loads the configuration, builds the app, prints how to use it, serves.
pub async fn run(_args: ServeArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load()?;
    let app = Application::build(config).await?;
    let base = app
        .state()
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    println!("paybridge listening on http://{}", app.addr());
    println!("  dashboard:     {base}/admin");
    if app.state().sandbox.is_some() {
        println!("  demo checkout: {base}/demo");
    }
    println!("  API docs:      {base}/openapi.json");
    match &app.generated_api_key {
        Some(k) => println!(
            "  store API key: {}   (shown once; stored hashed)",
            k.expose()
        ),
        None => println!(
            "  store API key: configured (PAYBRIDGE_API_KEY or generated on an earlier start)"
        ),
    }
    if app.sandbox.is_some() {
        println!(
            "  Woovi:         embedded sandbox at {base}{}",
            crate::startup::SANDBOX_MOUNT
        );
        if let Some(id) = &app.dev_app_id {
            println!("  Woovi appID:   {} (development)", id.expose());
        }
    }
    app.run().await?;
    Ok(ExitCode::SUCCESS)
}
