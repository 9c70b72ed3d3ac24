//! The store-facing REST API under `/api/v1` plus health probes.

mod abandoned_carts;
mod customers;
mod entitlements;
mod events;
mod health;
mod order_request;
mod order_response;
mod orders;
mod webhook_endpoints;

use super::AppState;
use axum::Router;

/// API and probe routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(orders::router())
        .merge(customers::router())
        .merge(entitlements::router())
        .merge(abandoned_carts::router())
        .merge(webhook_endpoints::router())
        .merge(events::router())
        .merge(health::router())
}
