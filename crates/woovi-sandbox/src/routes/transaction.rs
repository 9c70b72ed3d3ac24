//! `/api/v1/transaction…`: received Pix.

use super::{page, AppState, QueryMap};
use crate::clock::parse_iso;
use crate::error::{ApiError, ApiResult};
use crate::model::TransactionRec;
use crate::state::State as Records;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/transaction", get(list))
        .route("/api/v1/transaction/{id}", get(get_one))
}

fn render(state: &Records, tx: &TransactionRec, base: &str) -> Value {
    let charge = tx
        .charge
        .as_deref()
        .and_then(|c| state.charges.get(c))
        .map(|c| c.render(base));
    tx.render(charge)
}

async fn get_one(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let tx = state
        .transactions
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("Transação não encontrada"))?;
    Ok(Json(
        json!({ "transaction": render(&state, tx, &shared.base) }),
    ))
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> ApiResult<Json<Value>> {
    let start = query
        .get("start")
        .map(|s| parse_iso(s).ok_or_else(|| ApiError::bad_request("invalid start")));
    let end = query
        .get("end")
        .map(|s| parse_iso(s).ok_or_else(|| ApiError::bad_request("invalid end")));
    let (start, end) = (start.transpose()?, end.transpose()?);
    let state = shared.lock();
    // `charge` may be the charge's ID, correlationID or transactionID.
    let charge = query.get("charge").map(|c| {
        state
            .charges
            .get(c)
            .map(|c| c.correlation_id.clone())
            .unwrap_or_default()
    });
    let items = state
        .transactions
        .iter()
        .rev()
        .filter(|t| {
            charge
                .as_deref()
                .is_none_or(|c| t.charge.as_deref() == Some(c))
        })
        .filter(|t| start.is_none_or(|s| t.time >= s))
        .filter(|t| end.is_none_or(|e| t.time <= e))
        .map(|t| render(&state, t, &shared.base))
        .collect();
    Ok(Json(page("transactions", items, &query)))
}
