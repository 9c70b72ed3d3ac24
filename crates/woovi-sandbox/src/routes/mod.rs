//! HTTP surface: one file per Woovi resource plus the sandbox controls.

mod account;
mod body;
mod charge;
mod customer;
mod partner;
mod payment;
mod qrcode;
mod refund;
mod sandbox;
mod subscription;
mod transaction;
mod webhook;

use crate::error::ApiError;
use crate::state::Shared;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Router state.
pub(crate) type AppState = Arc<Shared>;

/// Query string as a map (`?skip=0&limit=10`).
pub(crate) type QueryMap = axum::extract::Query<HashMap<String, String>>;

/// The whole sandbox, state applied.
pub(crate) fn router(shared: AppState) -> Router {
    let authed = Router::new()
        .merge(account::router())
        .merge(charge::router())
        .merge(customer::router())
        .merge(partner::router())
        .merge(payment::router())
        .merge(qrcode::router())
        .merge(refund::router())
        .merge(subscription::router())
        .merge(transaction::router())
        .merge(webhook::router())
        .merge(sandbox::testing_router())
        .route_layer(middleware::from_fn_with_state(
            shared.clone(),
            require_app_id,
        ));
    Router::new()
        .merge(authed)
        .merge(charge::public_router())
        .merge(webhook::public_router())
        .merge(sandbox::control_router())
        .fallback(|| async { ApiError::not_found("Not found") })
        .with_state(shared)
}

/// Woovi authenticates with the raw AppID in `Authorization` (no scheme).
async fn require_app_id(
    State(shared): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let ok = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| shared.is_app_id(v.trim()));
    if !ok {
        return Err(ApiError::unauthorized());
    }
    Ok(next.run(request).await)
}

/// Woovi's list envelope: `{<key>: [...], pageInfo: {...}}`, newest first.
pub(crate) fn page(key: &str, items: Vec<Value>, query: &HashMap<String, String>) -> Value {
    let skip = query
        .get("skip")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    let limit = query
        .get("limit")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(100);
    let total = items.len();
    let slice: Vec<Value> = items.into_iter().skip(skip).take(limit).collect();
    json!({
        key: slice,
        "pageInfo": {
            "skip": skip,
            "limit": limit,
            "totalCount": total,
            "hasPreviousPage": skip > 0,
            "hasNextPage": skip + limit < total,
        }
    })
}
