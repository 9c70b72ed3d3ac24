//! Buyer and merchant pages (`/pay/{token}`, `/meus-pedidos`, `/admin`): mount point.
//! Pages read orders with `Store::order_by_checkout_token` and follow live
//! changes with `AppState::updates.subscribe()`.

use super::AppState;
use axum::Router;

/// The pages router; empty until the pages land.
pub fn router() -> Router<AppState> {
    Router::new()
}
