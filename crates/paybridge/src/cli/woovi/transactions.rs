//! `paybridge woovi transaction …`: get and list Pix transactions.

use super::output::{list, print, Paging};
use clap::Subcommand;
use std::process::ExitCode;
use woovi::models as m;
use woovi::Client;

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

/// Runs one transaction action.
pub(super) async fn run(client: &Client, action: TransactionAction) -> anyhow::Result<ExitCode> {
    match action {
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
    }
}
