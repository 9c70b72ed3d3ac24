//! `paybridge woovi charge …`: create, get, list, delete, QR code and refund.

use super::output::{list, print, Paging};
use anyhow::Context as _;
use clap::Subcommand;
use std::process::ExitCode;
use woovi::models as m;
use woovi::Client;

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

/// The charge's customer, when a name was given.
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

/// Runs one charge action.
pub(super) async fn run(client: &Client, action: ChargeAction) -> anyhow::Result<ExitCode> {
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
