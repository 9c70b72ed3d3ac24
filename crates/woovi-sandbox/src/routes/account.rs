//! `/api/v1/account…` (the sandbox has one account, funded by paid charges)
//! and `/api/v1/cashback-fidelity…`.

use super::body::JsonObject;
use super::{page, AppState, QueryMap};
use crate::backoffice::{CashbackRec, WithdrawalRec};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::model::RefundStatus;
use crate::state::State as Records;
use crate::store::Write;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

/// The sandbox's only account.
const ACCOUNT_ID: &str = "5f1e3c1a5a3b4e9f9d1e7c1e";

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/account", get(list))
        .route("/api/v1/account/", get(list))
        .route("/api/v1/account/{id}", get(get_one))
        .route("/api/v1/account/{id}/withdraw", post(withdraw))
        .route("/api/v1/cashback-fidelity", post(cashback))
        .route(
            "/api/v1/cashback-fidelity/balance/{tax_id}",
            get(cashback_balance),
        )
}

/// Received minus refunded minus withdrawn.
fn balance(state: &Records) -> i64 {
    let received: i64 = state.transactions.iter().map(|t| t.value).sum();
    let refunded: i64 = state
        .refunds
        .iter()
        .filter(|r| r.status != RefundStatus::Rejected)
        .map(|r| r.value)
        .sum();
    let withdrawn: i64 = state.withdrawals.iter().map(|w| w.value).sum();
    received - refunded - withdrawn
}

fn account_json(state: &Records) -> Value {
    let total = balance(state);
    json!({
        "accountId": ACCOUNT_ID,
        "isDefault": true,
        "balance": { "total": total, "blocked": 0, "available": total },
        "officialName": crate::pix::MERCHANT_NAME,
        "tradeName": crate::pix::MERCHANT_NAME,
        "branch": "0001",
        "account": "123456",
        "accountName": "Sandbox",
    })
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> Json<Value> {
    let state = shared.lock();
    Json(page("accounts", vec![account_json(&state)], &query))
}

async fn get_one(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    if id != ACCOUNT_ID {
        return Err(ApiError::bad_request("Conta não encontrada"));
    }
    let state = shared.lock();
    Ok(Json(json!({ "account": account_json(&state) })))
}

async fn withdraw(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: JsonObject,
) -> ApiResult<Json<Value>> {
    if id != ACCOUNT_ID {
        return Err(ApiError::bad_request("Conta não encontrada"));
    }
    let value = body
        .uint("value")?
        .filter(|v| *v > 0)
        .ok_or_else(|| ApiError::bad_request("value is required"))?;
    let now = shared.clock.now();
    let (rec, account) = {
        let mut state = shared.lock();
        if value > balance(&state) {
            return Err(ApiError::bad_request("Saldo insuficiente"));
        }
        let rec = WithdrawalRec {
            end_to_end_id: ids::end_to_end_id('E', now),
            value,
            time: now,
        };
        state.withdrawals.insert(rec.clone());
        (rec, account_json(&state))
    };
    shared.persist(vec![Write::put(&rec)]).await?;
    Ok(Json(json!({ "withdraw": {
        "account": account,
        "transaction": { "endToEndId": rec.end_to_end_id, "value": rec.value.to_string() },
    }})))
}

async fn cashback(
    State(shared): State<AppState>,
    body: JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let tax_id = body
        .tax_id("taxID")?
        .ok_or_else(|| ApiError::bad_request("taxID is required"))?;
    let value = body
        .uint("value")?
        .filter(|v| *v > 0)
        .ok_or_else(|| ApiError::bad_request("value is required"))?;
    let rec = {
        let mut state = shared.lock();
        if let Some(existing) = state.cashbacks.get(&tax_id) {
            let body = json!({ "cashback": { "value": existing.value }, "message": "Cashback exclusivo já existente" });
            return Ok((StatusCode::OK, Json(body)));
        }
        let rec = CashbackRec { tax_id, value };
        state.cashbacks.insert(rec.clone());
        rec
    };
    shared.persist(vec![Write::put(&rec)]).await?;
    let body =
        json!({ "cashback": { "value": rec.value }, "message": "Cashback exclusivo criado" });
    Ok((StatusCode::CREATED, Json(body)))
}

async fn cashback_balance(
    State(shared): State<AppState>,
    Path(tax_id): Path<String>,
) -> Json<Value> {
    let digits: String = tax_id.chars().filter(char::is_ascii_digit).collect();
    let state = shared.lock();
    match state.cashbacks.get(&digits) {
        Some(c) => Json(json!({ "balance": c.value, "status": "PENDING" })),
        None => Json(json!({ "balance": 0, "status": "NOT_FOUND" })),
    }
}
