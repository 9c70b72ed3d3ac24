//! `/api/v1/customer…`.

use super::body::JsonObject;
use super::{page, AppState, QueryMap};
use crate::error::{ApiError, ApiResult};
use crate::store::Write;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/customer", get(list).post(create))
        .route("/api/v1/customer/{id}", get(get_one))
}

async fn create(State(shared): State<AppState>, body: JsonObject) -> ApiResult<Json<Value>> {
    let customer = body.customer()?;
    if customer.name.is_none() {
        return Err(ApiError::bad_request("name is required"));
    }
    if customer.tax_id.is_none() && customer.email.is_none() && customer.phone.is_none() {
        return Err(ApiError::bad_request("taxID, email or phone is required"));
    }
    if let Some(t) = &customer.tax_id {
        if !matches!(t.len(), 11 | 14) {
            return Err(ApiError::bad_request("taxID must be a CPF or CNPJ"));
        }
    }
    {
        let mut state = shared.lock();
        if state.customers.get(&customer.correlation_id).is_some() {
            return Err(ApiError::bad_request(
                "Já existe um cliente com este correlationID",
            ));
        }
        if let Some(t) = &customer.tax_id {
            if state.customers.get(&format!("taxID:{t}")).is_some() {
                return Err(ApiError::bad_request("Já existe um cliente com este taxID"));
            }
        }
        state.customers.insert(customer.clone());
    }
    shared.persist(vec![Write::put(&customer)]).await?;
    Ok(Json(json!({ "customer": customer.render() })))
}

async fn get_one(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let customer = state
        .customers
        .get(&id)
        .or_else(|| state.customers.get(&format!("taxID:{id}")))
        .ok_or_else(|| ApiError::bad_request("Cliente não encontrado"))?;
    Ok(Json(json!({ "customer": customer.render() })))
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let items = state.customers.iter().rev().map(|c| c.render()).collect();
    Ok(Json(page("customers", items, &query)))
}
