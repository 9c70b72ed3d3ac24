//! `/api/v1/payment…`: payment requests to a Pix key (created, never sent).

use super::body::JsonObject;
use super::{page, AppState, QueryMap};
use crate::backoffice::PaymentRec;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::store::Write;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/payment", get(list).post(create))
        .route("/api/v1/payment/{id}", get(get_one))
}

async fn create(State(shared): State<AppState>, body: JsonObject) -> ApiResult<Json<Value>> {
    let rec = PaymentRec {
        correlation_id: body.required_str("correlationID")?,
        global_id: ids::global_id("Payment"),
        value: body
            .uint("value")?
            .filter(|v| *v > 0)
            .ok_or_else(|| ApiError::bad_request("value is required"))?,
        destination_alias: body.required_str("destinationAlias")?,
        comment: body.str("comment")?,
        source_account_id: body.str("sourceAccountId")?,
        created_at: shared.clock.now(),
    };
    {
        let mut state = shared.lock();
        if state.payments.get(&rec.correlation_id).is_some() {
            return Err(ApiError::bad_request(
                "Já existe um pagamento com este correlationID",
            ));
        }
        state.payments.insert(rec.clone());
    }
    shared.persist(vec![Write::put(&rec)]).await?;
    Ok(Json(json!({ "payment": rec.render_payment() })))
}

async fn get_one(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let rec = state
        .payments
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("Pagamento não encontrado"))?;
    Ok(Json(rec.render_full()))
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> Json<Value> {
    let state = shared.lock();
    let items = state
        .payments
        .iter()
        .rev()
        .map(PaymentRec::render_full)
        .collect();
    Json(page("payments", items, &query))
}
