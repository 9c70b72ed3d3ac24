//! `paybridge woovi pixQrCode …`: static QR codes.

use super::output::{list, print, Paging};
use clap::Subcommand;
use std::process::ExitCode;
use woovi::models as m;
use woovi::Client;

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

/// Runs one pixqrcode action.
pub(super) async fn run(client: &Client, action: PixQrCodeAction) -> anyhow::Result<ExitCode> {
    match action {
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
    }
}
