//! `/api/v1/refund…`: refunds of any received Pix.

use super::body::JsonObject;
use super::{page, AppState, QueryMap};
use crate::error::{ApiError, ApiResult};
use crate::flows::{self, RefundRequest};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/refund", get(list).post(create))
        .route("/api/v1/refund/{id}", get(get_one))
}

async fn create(State(shared): State<AppState>, body: JsonObject) -> ApiResult<Json<Value>> {
    let transaction = body.required_str("transactionEndToEndId")?;
    let correlation_id = body.required_str("correlationID")?;
    let value = body.uint("value")?;
    let comment = body.str("comment")?;
    let refund = flows::refund(
        &shared,
        RefundRequest {
            transaction,
            correlation_id,
            value,
            comment,
        },
    )
    .await?;
    Ok(Json(json!({ "refund": refund.render_refund() })))
}

async fn get_one(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let refund = state
        .refunds
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("Reembolso não encontrado"))?;
    Ok(Json(
        json!({ "pixTransactionRefund": refund.render_refund() }),
    ))
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let items = state
        .refunds
        .iter()
        .rev()
        .map(|r| r.render_refund())
        .collect();
    Ok(Json(page("refunds", items, &query)))
}
