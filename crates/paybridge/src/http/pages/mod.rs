//! Buyer and merchant pages (`/pay/{token}`, `/meus-pedidos`, `/admin`), in
//! Brazilian Portuguese, server-rendered with maud. No external assets: the
//! stylesheet and scripts are compiled in from `assets/`.

mod admin;
mod admin_webhooks;
mod auth;
mod checkout;
mod demo;
mod format;
mod layout;
mod my_products;
mod portal;

pub use format::format_brl;
pub use portal::{portal_url, Holder};

use super::AppState;
use crate::secret::Secret;
use axum::Router;

/// How pages reach the embedded Woovi sandbox (only when it is mounted).
#[derive(Debug, Clone)]
pub struct SandboxLink {
    /// Base URL of the sandbox API (`http://127.0.0.1:{port}/_sandbox/woovi`).
    pub base_url: String,
    /// The development appID the sandbox accepts; never sent to a browser.
    pub app_id: Secret,
}

/// The pages router.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(checkout::router())
        .merge(demo::router())
        .merge(admin::router())
        .merge(admin_webhooks::router())
        .merge(portal::router())
        .merge(layout::router())
}
