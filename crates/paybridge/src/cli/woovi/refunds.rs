//! `paybridge woovi refund …`: refund a Pix transaction, get and list refunds.

use super::output::{list, print, Paging};
use clap::Subcommand;
use std::process::ExitCode;
use woovi::models as m;
use woovi::Client;

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

/// Runs one refund action.
pub(super) async fn run(client: &Client, action: RefundAction) -> anyhow::Result<ExitCode> {
    match action {
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
    }
}
