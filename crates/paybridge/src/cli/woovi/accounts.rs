//! `paybridge woovi account …`: bank accounts and withdrawals.

use super::output::{list, print, Paging};
use clap::Subcommand;
use std::process::ExitCode;
use woovi::Client;

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

/// Runs one account action.
pub(super) async fn run(client: &Client, action: AccountAction) -> anyhow::Result<ExitCode> {
    match action {
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
    }
}
