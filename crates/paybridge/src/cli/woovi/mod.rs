//! `paybridge woovi <resource> <action>`: the Woovi API from the shell, JSON out.

mod accounts;
mod charges;
mod customers;
mod output;
mod pix_qr_codes;
mod refunds;
mod subscriptions;
mod transactions;
mod webhooks;

use accounts::AccountAction;
use anyhow::Context as _;
use charges::ChargeAction;
use clap::{Args, Subcommand};
use customers::CustomerAction;
use pix_qr_codes::PixQrCodeAction;
use refunds::RefundAction;
use std::process::ExitCode;
use subscriptions::SubscriptionAction;
use transactions::TransactionAction;
use webhooks::WebhookAction;
use woovi::{AppId, Client};

/// Connection options shared by every Woovi subcommand.
#[derive(Debug, Args)]
pub struct WooviArgs {
    /// The Woovi appID (never printed).
    #[arg(long, env = "WOOVI_APP_ID", hide_env_values = true, value_parser = parse_app_id)]
    pub app_id: AppId,
    /// API base URL: Woovi production by default, or a sandbox such as
    /// `http://127.0.0.1:8080/_sandbox/woovi`.
    #[arg(long, env = "WOOVI_BASE_URL", default_value = woovi::PRODUCTION_URL)]
    pub base_url: String,
    /// What to call.
    #[command(subcommand)]
    pub resource: Resource,
}

fn parse_app_id(s: &str) -> Result<AppId, String> {
    if s.trim().is_empty() {
        return Err("the appID is empty".into());
    }
    Ok(AppId::new(s.trim()))
}

/// Woovi resources.
#[derive(Debug, Subcommand)]
pub enum Resource {
    /// Charges.
    #[command(subcommand)]
    Charge(ChargeAction),
    /// Customers.
    #[command(subcommand)]
    Customer(CustomerAction),
    /// Refunds.
    #[command(subcommand)]
    Refund(RefundAction),
    /// Webhook registrations (`webhooks setup` registers paybridge's own).
    #[command(subcommand, alias = "webhooks")]
    Webhook(WebhookAction),
    /// Pix transactions.
    #[command(subcommand)]
    Transaction(TransactionAction),
    /// Bank accounts.
    #[command(subcommand)]
    Account(AccountAction),
    /// Static QR codes.
    #[command(subcommand, name = "pixQrCode", alias = "pix-qr-code")]
    PixQrCode(PixQrCodeAction),
    /// Subscriptions.
    #[command(subcommand)]
    Subscription(SubscriptionAction),
}

/// Runs a Woovi subcommand.
pub async fn run(args: WooviArgs) -> anyhow::Result<ExitCode> {
    let client = Client::builder(args.app_id)
        .base_url(args.base_url)
        .build()
        .context("configuring the Woovi client")?;
    match args.resource {
        Resource::Charge(action) => charges::run(&client, action).await,
        Resource::Customer(action) => customers::run(&client, action).await,
        Resource::Refund(action) => refunds::run(&client, action).await,
        Resource::Webhook(action) => webhooks::run(&client, action).await,
        Resource::Transaction(action) => transactions::run(&client, action).await,
        Resource::Account(action) => accounts::run(&client, action).await,
        Resource::PixQrCode(action) => pix_qr_codes::run(&client, action).await,
        Resource::Subscription(action) => subscriptions::run(&client, action).await,
    }
}
