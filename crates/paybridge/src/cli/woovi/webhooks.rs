//! `paybridge woovi webhook …`: registrations, signing keys, and `webhooks
//! setup`, which registers paybridge's own endpoint for every handled event.

use super::output::{list, print, Paging};
use anyhow::Context as _;
use clap::Subcommand;
use std::process::ExitCode;
use woovi::models as m;
use woovi::Client;

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

/// Runs one webhook action.
pub(super) async fn run(client: &Client, action: WebhookAction) -> anyhow::Result<ExitCode> {
    match action {
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
        WebhookAction::Setup { public_url } => setup(client, &public_url).await,
    }
}

/// One line per event: `created` or `exists`.
async fn setup(client: &Client, public_url: &url::Url) -> anyhow::Result<ExitCode> {
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
