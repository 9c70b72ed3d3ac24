//! Test controls: Woovi's `/openpix/testing` payment simulator, plus the
//! sandbox-only clock and delivery log under `/sandbox`.

use super::{AppState, QueryMap};
use crate::clock::iso;
use crate::error::{ApiError, ApiResult};
use crate::flows;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::time::Duration;

/// Needs an AppID, like Woovi's.
pub(super) fn testing_router() -> Router<AppState> {
    Router::new().route("/openpix/testing", post(pay))
}

/// Sandbox-only; no AppID so tests and demos can drive them directly.
pub(super) fn control_router() -> Router<AppState> {
    Router::new()
        .route("/sandbox/clock", get(clock))
        .route("/sandbox/clock/advance", post(advance))
        .route("/sandbox/deliveries", get(deliveries))
}

async fn pay(State(shared): State<AppState>, query: QueryMap) -> ApiResult<Json<Value>> {
    let key = query
        .get("transactionID")
        .or_else(|| query.get("correlationID"))
        .ok_or_else(|| ApiError::bad_request("transactionID or correlationID is required"))?;
    let (charge, transaction) = flows::pay_charge(&shared, key, None).await?;
    Ok(Json(
        json!({ "charge": charge, "transaction": transaction }),
    ))
}

async fn clock(State(shared): State<AppState>) -> Json<Value> {
    Json(
        json!({ "now": iso(shared.clock.now()), "offsetSeconds": shared.clock.offset().as_secs() }),
    )
}

async fn advance(State(shared): State<AppState>, query: QueryMap) -> ApiResult<Json<Value>> {
    let seconds = query
        .get("seconds")
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or_else(|| ApiError::bad_request("seconds must be a non-negative integer"))?;
    shared.clock.advance(Duration::from_secs(seconds));
    crate::expiry::sweep(&shared).await;
    Ok(clock(State(shared)).await)
}

async fn deliveries(State(shared): State<AppState>, query: QueryMap) -> Json<Value> {
    let event = query.get("event").cloned();
    let list: Vec<_> = shared
        .deliveries
        .snapshot()
        .into_iter()
        .filter(|d| event.as_deref().is_none_or(|e| d.event == e))
        .collect();
    Json(json!({ "deliveries": list }))
}
