//! The store-facing REST API under `/api/v1` plus health probes.

mod customers;
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
        .merge(health::router())
}
