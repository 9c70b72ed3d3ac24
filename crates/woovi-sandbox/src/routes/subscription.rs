//! `/api/v1/subscriptions…`.

use super::body::JsonObject;
use super::AppState;
use crate::backoffice::SubscriptionRec;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::store::Write;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/subscriptions", post(create))
        .route("/api/v1/subscriptions/{id}", get(get_one))
}

async fn create(State(shared): State<AppState>, body: JsonObject) -> ApiResult<Json<Value>> {
    let customer = body
        .object("customer")?
        .ok_or_else(|| ApiError::bad_request("customer is required"))?
        .customer()?;
    if customer.name.is_none() || customer.tax_id.is_none() {
        return Err(ApiError::bad_request(
            "customer.name and customer.taxID are required",
        ));
    }
    let value = body
        .uint("value")?
        .filter(|v| *v > 0)
        .ok_or_else(|| ApiError::bad_request("value is required"))?;
    let day = body.uint("dayGenerateCharge")?.unwrap_or(5);
    if day > 27 {
        return Err(ApiError::bad_request(
            "dayGenerateCharge must be between 0 and 27",
        ));
    }
    let frequency = body
        .str("frequency")?
        .unwrap_or_else(|| "MONTHLY".to_owned());
    if !matches!(
        frequency.as_str(),
        "WEEKLY" | "MONTHLY" | "BIMONTHLY" | "QUARTERLY" | "SEMIANNUALLY" | "ANNUALLY"
    ) {
        return Err(ApiError::bad_request("frequency inválida"));
    }
    let rec = SubscriptionRec {
        global_id: ids::global_id("PaymentSubscription"),
        correlation_id: body.str("correlationID")?.unwrap_or_else(ids::uuid),
        name: body.str("name")?,
        value,
        customer,
        day_generate_charge: day,
        frequency,
    };
    {
        let mut state = shared.lock();
        if state.subscriptions.get(&rec.correlation_id).is_some() {
            return Err(ApiError::bad_request(
                "Já existe uma assinatura com este correlationID",
            ));
        }
        state.subscriptions.insert(rec.clone());
    }
    shared.persist(vec![Write::put(&rec)]).await?;
    Ok(Json(json!({ "subscription": rec.render() })))
}

async fn get_one(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let rec = state
        .subscriptions
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("Assinatura não encontrada"))?;
    Ok(Json(json!({ "subscription": rec.render() })))
}
