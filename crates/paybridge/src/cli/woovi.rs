//! `paybridge woovi <resource> <action>`: the Woovi API from the shell, JSON out.

use anyhow::Context as _;
use clap::{Args, Subcommand};
use futures::{Stream, StreamExt};
use serde::Serialize;
use std::io::IsTerminal as _;
use std::process::ExitCode;
use woovi::models::{self as m, Listed, Page};
use woovi::{AppId, Client, ListParams};

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

/// Paging options of list actions.
#[derive(Debug, Clone, Args)]
pub struct Paging {
    /// Items to skip.
    #[arg(long)]
    pub skip: Option<u32>,
    /// Page size.
    #[arg(long)]
    pub limit: Option<u32>,
    /// Walk every page and print one JSON array (progress bar on a terminal).
    #[arg(long)]
    pub all: bool,
}

impl Paging {
    fn params(&self) -> ListParams {
        ListParams {
            skip: self.skip,
            limit: self.limit,
        }
    }
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

/// Charge actions.
#[derive(Debug, Subcommand)]
pub enum ChargeAction {
    /// Create a charge (idempotent on the correlation ID).
    Create {
        /// Value in cents.
        #[arg(long)]
        value: i64,
        /// Your unique ID for the charge.
        #[arg(long)]
        correlation_id: String,
        /// Payer-facing comment.
        #[arg(long)]
        comment: Option<String>,
        /// Seconds until expiry.
        #[arg(long)]
        expires_in: Option<i64>,
        /// Customer name (with tax ID, email or phone).
        #[arg(long)]
        customer_name: Option<String>,
        /// Customer CPF/CNPJ.
        #[arg(long)]
        customer_tax_id: Option<String>,
        /// Customer e-mail.
        #[arg(long)]
        customer_email: Option<String>,
        /// Customer phone.
        #[arg(long)]
        customer_phone: Option<String>,
        /// Fail instead of returning an existing charge with this correlation ID.
        #[arg(long)]
        no_return_existing: bool,
    },
    /// Get a charge by ID or correlation ID.
    Get {
        /// ID or correlation ID.
        id: String,
    },
    /// List charges.
    List {
        /// ACTIVE, COMPLETED or EXPIRED.
        #[arg(long)]
        status: Option<String>,
        /// RFC 3339 start.
        #[arg(long)]
        start: Option<String>,
        /// RFC 3339 end.
        #[arg(long)]
        end: Option<String>,
        /// Paging.
        #[command(flatten)]
        paging: Paging,
    },
    /// Delete an active charge.
    Delete {
        /// ID or correlation ID.
        id: String,
    },
    /// Save the QR code PNG of a charge.
    Qr {
        /// Payment link ID.
        id: String,
        /// Size in pixels (600–4096).
        #[arg(long)]
        size: Option<u32>,
        /// Output file.
        #[arg(long, short)]
        output: std::path::PathBuf,
    },
    /// Refund a charge.
    Refund {
        /// ID or correlation ID of the charge.
        id: String,
        /// Unique ID of the refund.
        #[arg(long)]
        correlation_id: String,
        /// Cents (whole charge when absent).
        #[arg(long)]
        value: Option<i64>,
    },
}

/// Customer actions.
#[derive(Debug, Subcommand)]
pub enum CustomerAction {
    /// Create a customer.
    Create {
        /// Name.
        #[arg(long)]
        name: String,
        /// CPF/CNPJ.
        #[arg(long)]
        tax_id: Option<String>,
        /// E-mail.
        #[arg(long)]
        email: Option<String>,
        /// Phone.
        #[arg(long)]
        phone: Option<String>,
    },
    /// Get a customer by correlation ID or tax ID.
    Get {
        /// ID.
        id: String,
    },
    /// List customers.
    List(Paging),
}

/// Refund actions.
#[derive(Debug, Subcommand)]
pub enum RefundAction {
    /// Refund a Pix transaction.
    Create {
        /// Transaction ID or end-to-end ID.
        #[arg(long)]
        transaction_end_to_end_id: String,
        /// Unique ID of the refund.
        #[arg(long)]
        correlation_id: String,
        /// Cents.
        #[arg(long)]
        value: Option<i64>,
        /// Comment.
        #[arg(long)]
        comment: Option<String>,
    },
    /// Get a refund.
    Get {
        /// ID or correlation ID.
        id: String,
    },
    /// List refunds.
    List(Paging),
}

/// Webhook actions.
#[derive(Debug, Subcommand)]
pub enum WebhookAction {
    /// Register a webhook.
    Create {
        /// Target URL.
        #[arg(long)]
        url: String,
        /// Event (OPENPIX:CHARGE_COMPLETED, …).
        #[arg(long)]
        event: Option<String>,
        /// Value echoed in the Authorization header.
        #[arg(long)]
        authorization: Option<String>,
        /// Label.
        #[arg(long)]
        name: Option<String>,
    },
    /// List registrations.
    List {
        /// Only this URL.
        #[arg(long)]
        url: Option<String>,
        /// Paging.
        #[command(flatten)]
        paging: Paging,
    },
    /// Delete a registration.
    Delete {
        /// Webhook ID.
        id: String,
    },
    /// Show the keys that sign webhooks now.
    PublicKeys,
    /// Register `{public URL}/webhooks/woovi` for every event paybridge
    /// handles (charge completed/expired, transaction received, refunds);
    /// registrations that already exist are kept.
    Setup {
        /// paybridge's public base URL, as Woovi reaches it.
        #[arg(long, env = "PAYBRIDGE_PUBLIC_URL")]
        public_url: url::Url,
    },
}

/// Transaction actions.
#[derive(Debug, Subcommand)]
pub enum TransactionAction {
    /// Get a transaction by ID or end-to-end ID.
    Get {
        /// ID.
        id: String,
    },
    /// List transactions.
    List {
        /// RFC 3339 start.
        #[arg(long)]
        start: Option<String>,
        /// RFC 3339 end.
        #[arg(long)]
        end: Option<String>,
        /// Charge ID / correlation ID.
        #[arg(long)]
        charge: Option<String>,
        /// Static QR code ID.
        #[arg(long)]
        pix_qr_code: Option<String>,
        /// Withdrawal ID.
        #[arg(long)]
        withdrawal: Option<String>,
        /// Paging.
        #[command(flatten)]
        paging: Paging,
    },
}

/// Account actions.
#[derive(Debug, Subcommand)]
pub enum AccountAction {
    /// Get an account.
    Get {
        /// Account ID.
        id: String,
    },
    /// List accounts.
    List(Paging),
    /// Withdraw to the account's Pix key.
    Withdraw {
        /// Account ID.
        id: String,
        /// Cents.
        #[arg(long)]
        value: i64,
    },
}

/// Static QR code actions.
#[derive(Debug, Subcommand)]
pub enum PixQrCodeAction {
    /// Create one.
    Create {
        /// Label.
        #[arg(long)]
        name: String,
        /// Fixed value in cents.
        #[arg(long)]
        value: Option<i64>,
        /// Your unique ID.
        #[arg(long)]
        correlation_id: Option<String>,
        /// Comment.
        #[arg(long)]
        comment: Option<String>,
    },
    /// Get one.
    Get {
        /// ID, correlation ID or identifier.
        id: String,
    },
    /// List them.
    List(Paging),
}

/// Subscription actions.
#[derive(Debug, Subcommand)]
pub enum SubscriptionAction {
    /// Create one.
    Create {
        /// Cents per period.
        #[arg(long)]
        value: i64,
        /// Customer name.
        #[arg(long)]
        customer_name: String,
        /// Customer CPF/CNPJ.
        #[arg(long)]
        customer_tax_id: Option<String>,
        /// Customer e-mail.
        #[arg(long)]
        customer_email: Option<String>,
        /// Day of the month charges are generated.
        #[arg(long)]
        day_generate_charge: Option<i64>,
        /// Your unique ID for the subscription.
        #[arg(long)]
        correlation_id: String,
        /// RECURRENT or PIX_RECURRING.
        #[arg(long = "type", default_value = "RECURRENT")]
        kind: String,
    },
    /// Get one by global ID.
    Get {
        /// Global ID or correlation ID.
        id: String,
    },
}

/// One line per event: `created` or `exists`.
async fn webhooks_setup(client: &Client, public_url: &url::Url) -> anyhow::Result<ExitCode> {
    let url = format!(
        "{}/webhooks/woovi",
        public_url.as_str().trim_end_matches('/')
    );
    let mut out = Vec::new();
    for event in crate::startup::WEBHOOK_EVENTS {
        let created = crate::gateway::ensure_webhook(client, event, &url)
            .await
            .with_context(|| format!("registering {url} for {event}"))?;
        out.push(serde_json::json!({
            "event": event,
            "url": url,
            "result": if created { "created" } else { "exists" },
        }));
    }
    print(&out)
}

fn print<T: Serialize>(value: &T) -> anyhow::Result<ExitCode> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(ExitCode::SUCCESS)
}

/// One page, or with `--all` every page behind a progress bar (terminal only).
async fn list<T, S, F>(paging: &Paging, one: F, pages: S) -> anyhow::Result<ExitCode>
where
    T: Serialize + Listed,
    S: Stream<Item = Result<Page<T>, woovi::Error>>,
    F: std::future::Future<Output = Result<Page<T>, woovi::Error>>,
{
    if !paging.all {
        return print(&one.await?);
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} {wide_bar} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut items = Vec::new();
    futures::pin_mut!(pages);
    while let Some(page) = pages.next().await {
        let page = page?;
        if let Some(bar) = &bar {
            if let Some(total) = page.page_info.total_count {
                bar.set_length(total.max(0) as u64);
            }
            bar.inc(page.items.len() as u64);
        }
        items.extend(page.items);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print(&items)
}

fn customer(
    name: Option<String>,
    tax_id: Option<String>,
    email: Option<String>,
    phone: Option<String>,
) -> Option<m::CustomerInput> {
    name.map(|name| m::CustomerInput {
        name,
        tax_id,
        email,
        phone,
        ..Default::default()
    })
}

/// Runs a Woovi subcommand.
pub async fn run(args: WooviArgs) -> anyhow::Result<ExitCode> {
    let client = Client::builder(args.app_id)
        .base_url(args.base_url)
        .build()
        .context("configuring the Woovi client")?;
    match args.resource {
        Resource::Charge(action) => charge(&client, action).await,
        Resource::Customer(action) => match action {
            CustomerAction::Create {
                name,
                tax_id,
                email,
                phone,
            } => {
                let req = m::CustomerInput {
                    name,
                    tax_id,
                    email,
                    phone,
                    ..Default::default()
                };
                print(&client.customers().create(&req).await?)
            }
            CustomerAction::Get { id } => print(&client.customers().get(&id).await?),
            CustomerAction::List(p) => {
                let params = p.params();
                list(
                    &p,
                    client.customers().list(&params),
                    client.customers().pages(&params),
                )
                .await
            }
        },
        Resource::Refund(action) => match action {
            RefundAction::Create {
                transaction_end_to_end_id,
                correlation_id,
                value,
                comment,
            } => {
                let req = m::RefundRequest {
                    transaction_end_to_end_id,
                    correlation_id,
                    value,
                    comment,
                };
                print(&client.refunds().create(&req).await?)
            }
            RefundAction::Get { id } => print(&client.refunds().get(&id).await?),
            RefundAction::List(p) => {
                let params = p.params();
                list(
                    &p,
                    client.refunds().list(&params),
                    client.refunds().pages(&params),
                )
                .await
            }
        },
        Resource::Webhook(action) => match action {
            WebhookAction::Create {
                url,
                event,
                authorization,
                name,
            } => {
                let req = m::WebhookRequest {
                    url,
                    event: event.as_deref().map(m::WebhookEventKind::from),
                    authorization,
                    name,
                    is_active: Some(true),
                };
                print(&client.webhooks().create(&req).await?)
            }
            WebhookAction::List { url, paging } => {
                let params = woovi::api::WebhookListParams {
                    url,
                    skip: paging.skip,
                    limit: paging.limit,
                };
                list(
                    &paging,
                    client.webhooks().list(&params),
                    client.webhooks().pages(&params),
                )
                .await
            }
            WebhookAction::Delete { id } => print(&client.webhooks().delete(&id).await?),
            WebhookAction::PublicKeys => print(&client.webhooks().public_keys().await?),
            WebhookAction::Setup { public_url } => webhooks_setup(&client, &public_url).await,
        },
        Resource::Transaction(action) => match action {
            TransactionAction::Get { id } => print(&client.transactions().get(&id).await?),
            TransactionAction::List {
                start,
                end,
                charge,
                pix_qr_code,
                withdrawal,
                paging,
            } => {
                let params = m::TransactionListParams {
                    start,
                    end,
                    charge,
                    pix_qr_code,
                    withdrawal,
                    skip: paging.skip,
                    limit: paging.limit,
                };
                list(
                    &paging,
                    client.transactions().list(&params),
                    client.transactions().pages(&params),
                )
                .await
            }
        },
        Resource::Account(action) => match action {
            AccountAction::Get { id } => print(&client.accounts().get(&id).await?),
            AccountAction::List(p) => {
                let params = p.params();
                list(
                    &p,
                    client.accounts().list(&params),
                    client.accounts().pages(&params),
                )
                .await
            }
            AccountAction::Withdraw { id, value } => {
                print(&client.accounts().withdraw(&id, value).await?)
            }
        },
        Resource::PixQrCode(action) => match action {
            PixQrCodeAction::Create {
                name,
                value,
                correlation_id,
                comment,
            } => {
                let req = m::PixQrCodeRequest {
                    name,
                    value,
                    correlation_id,
                    comment,
                    ..Default::default()
                };
                print(&client.pix_qr_codes().create(&req).await?)
            }
            PixQrCodeAction::Get { id } => print(&client.pix_qr_codes().get(&id).await?),
            PixQrCodeAction::List(p) => {
                let params = p.params();
                list(
                    &p,
                    client.pix_qr_codes().list(&params),
                    client.pix_qr_codes().pages(&params),
                )
                .await
            }
        },
        Resource::Subscription(action) => match action {
            SubscriptionAction::Create {
                value,
                customer_name,
                customer_tax_id,
                customer_email,
                day_generate_charge,
                correlation_id,
                kind,
            } => {
                let customer = m::CustomerInput {
                    name: customer_name,
                    tax_id: customer_tax_id,
                    email: customer_email,
                    ..Default::default()
                };
                let mut req = m::SubscriptionRequest::new(customer, value, correlation_id);
                req.kind = Some(kind);
                req.day_generate_charge = day_generate_charge;
                print(&client.subscriptions().create(&req).await?)
            }
            SubscriptionAction::Get { id } => print(&client.subscriptions().get(&id).await?),
        },
    }
}

async fn charge(client: &Client, action: ChargeAction) -> anyhow::Result<ExitCode> {
    match action {
        ChargeAction::Create {
            value,
            correlation_id,
            comment,
            expires_in,
            customer_name,
            customer_tax_id,
            customer_email,
            customer_phone,
            no_return_existing,
        } => {
            let mut req = m::ChargeRequest::new(correlation_id, value);
            req.comment = comment;
            req.expires_in = expires_in;
            req.customer = customer(
                customer_name,
                customer_tax_id,
                customer_email,
                customer_phone,
            );
            print(&client.charges().create(&req, !no_return_existing).await?)
        }
        ChargeAction::Get { id } => print(&client.charges().get(&id).await?),
        ChargeAction::List {
            status,
            start,
            end,
            paging,
        } => {
            let params = m::ChargeListParams {
                status: status.as_deref().map(m::ChargeStatus::from),
                start,
                end,
                customer: None,
                skip: paging.skip,
                limit: paging.limit,
            };
            list(
                &paging,
                client.charges().list(&params),
                client.charges().pages(&params),
            )
            .await
        }
        ChargeAction::Delete { id } => print(&client.charges().delete(&id).await?),
        ChargeAction::Qr { id, size, output } => {
            let png = client.charges().qr_code_png(&id, size).await?;
            std::fs::write(&output, &png)
                .with_context(|| format!("writing {}", output.display()))?;
            print(&serde_json::json!({ "file": output, "bytes": png.len() }))
        }
        ChargeAction::Refund {
            id,
            correlation_id,
            value,
        } => {
            let req = m::ChargeRefundRequest {
                correlation_id,
                value,
                comment: None,
            };
            print(&client.charges().refund(&id, &req).await?)
        }
    }
}
