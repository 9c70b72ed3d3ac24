//! `paybridge woovi customer …`: create, get and list customers.

use super::output::{list, print, Paging};
use clap::Subcommand;
use std::process::ExitCode;
use woovi::models as m;
use woovi::Client;

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

/// Runs one customer action.
pub(super) async fn run(client: &Client, action: CustomerAction) -> anyhow::Result<ExitCode> {
    match action {
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
    }
}
