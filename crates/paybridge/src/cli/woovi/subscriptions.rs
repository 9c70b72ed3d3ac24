//! `paybridge woovi subscription …`: create and get subscriptions.

use super::output::print;
use clap::Subcommand;
use std::process::ExitCode;
use woovi::models as m;
use woovi::Client;

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

/// Runs one subscription action.
pub(super) async fn run(client: &Client, action: SubscriptionAction) -> anyhow::Result<ExitCode> {
    match action {
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
    }
}
