//! The store-facing REST API under `/api/v1` plus health probes.

mod abandoned_carts;
mod customers;
mod entitlements;
mod health;
mod order_request;
mod order_response;
mod orders;

use super::AppState;
use axum::Router;

/// API and probe routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(orders::router())
        .merge(customers::router())
        .merge(entitlements::router())
        .merge(abandoned_carts::router())
        .merge(health::router())
}
