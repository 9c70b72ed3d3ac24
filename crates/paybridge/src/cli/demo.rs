//! `paybridge demo`: a scripted walk-through against a fresh temporary data
//! directory: start the service with the embedded sandbox, create an order,
//! pay it through the sandbox, watch it turn `paid`. Exit 0 only if it does.

use crate::config::{Config, DatabaseLocation};
use crate::http::pages::format_brl;
use crate::secret::Secret;
use crate::startup::{Application, SANDBOX_MOUNT, WEBHOOK_EVENTS};
use anyhow::{bail, Context};
use clap::Args;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tokio::time::Instant;

/// Options of `paybridge demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Seconds to wait for the order to turn paid.
    #[arg(long, default_value_t = 20)]
    pub timeout: u64,
}

/// Removes the temporary data directory however the demo ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn step(n: u32, text: impl std::fmt::Display) {
    println!("[{n}/5] {text}");
}

/// Runs the walk-through; prints one line per step.
pub async fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let dir =
        TempDir(std::env::temp_dir().join(format!("paybridge-demo-{}", uuid::Uuid::new_v4())));
    let api_key = Secret::generate("pb_demo_");
    let mut config = Config::defaults();
    config.addr = "127.0.0.1:0".parse()?;
    config.data_dir = dir.0.clone();
    config.database = DatabaseLocation::Sqlite(dir.0.join("paybridge.db"));
    config.api_key = Some(api_key.clone());
    config.sandbox_webhook_delay = Duration::from_millis(200);
    config.reconcile_after = Duration::from_secs(5);
    let app = Application::build(config).await?;
    let app_id = app
        .dev_app_id
        .clone()
        .context("the embedded sandbox did not start")?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let sandbox = format!("{base}{SANDBOX_MOUNT}");
    tokio::spawn(app.run());
    step(
        1,
        format_args!("started paybridge with the embedded Woovi sandbox at {base}"),
    );

    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    wait_for_webhooks(&http, &sandbox, &app_id).await?;

    let res = http
        .post(format!("{base}/api/v1/orders"))
        .bearer_auth(api_key.expose())
        .json(&json!({
            "reference": "DEMO-1",
            "amount": 4990,
            "items": [{ "name": "Curso de Pix", "quantity": 1, "unit_amount": 4990 }],
            "customer": { "name": "Ana Souza", "email": "ana@example.com", "tax_id": "290.948.480-74" }
        }))
        .send()
        .await
        .context("creating the order")?;
    let status = res.status();
    let order: Value = res.json().await.context("reading the created order")?;
    if !status.is_success() {
        bail!("creating the order failed ({status}): {order}");
    }
    let id = order["id"].as_str().context("order without id")?.to_owned();
    let correlation = order["correlation_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let br_code = order["pix"]["br_code"]
        .as_str()
        .context("order without a Pix charge")?;
    step(
        2,
        format_args!(
            "created order {id} ({}) for Ana Souza, status {}",
            format_brl(order["amount"].as_i64().unwrap_or_default()),
            order["status"].as_str().unwrap_or("?")
        ),
    );
    step(
        3,
        format_args!(
            "checkout page: {}\n      Pix copia e cola: {br_code}",
            order["checkout_url"].as_str().unwrap_or_default()
        ),
    );

    let res = http
        .post(format!("{sandbox}/openpix/testing"))
        .query(&[("correlationID", correlation.as_str())])
        .header("Authorization", app_id.expose())
        .send()
        .await
        .context("paying through the sandbox")?;
    if !res.status().is_success() {
        bail!(
            "the sandbox refused the payment ({}): {}",
            res.status(),
            res.text().await.unwrap_or_default()
        );
    }
    step(
        4,
        format_args!("paid the charge through the sandbox (correlationID {correlation})"),
    );

    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    loop {
        let o: Value = http
            .get(format!("{base}/api/v1/orders/{id}"))
            .bearer_auth(api_key.expose())
            .send()
            .await?
            .json()
            .await?;
        let status = o["status"].as_str().unwrap_or("?");
        if status == "paid" {
            step(5, format_args!("order {id} is paid: status {status}"));
            return Ok(ExitCode::SUCCESS);
        }
        if Instant::now() >= deadline {
            eprintln!("error: order {id} still {status} after {}s", args.timeout);
            return Ok(ExitCode::FAILURE);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The service registers its webhooks at the sandbox right after it starts;
/// a payment before that would only be seen by the reconciler.
async fn wait_for_webhooks(
    http: &reqwest::Client,
    sandbox: &str,
    app_id: &Secret,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = http
            .get(format!("{sandbox}/api/v1/webhook"))
            .header("Authorization", app_id.expose())
            .send()
            .await?
            .text()
            .await?;
        if text.matches("/webhooks/woovi").count() >= WEBHOOK_EVENTS.len() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!("webhooks were not registered at the sandbox in time");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
