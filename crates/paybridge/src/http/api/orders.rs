//! `/api/v1/orders`: create, read, list, charge, cancel, refund.

use super::{
    order_request,
    order_response::{detail_json, order_json},
};
use crate::domain::{Email, OrderStatus, TaxId};
use crate::http::auth::StoreAuth;
use crate::http::error::{AppError, FieldError};
use crate::http::AppState;
use crate::service::orders::{self, Created};
use crate::store::OrderFilter;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

async fn create(
    _auth: StoreAuth,
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, HeaderMap, Json<Value>), AppError> {
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        AppError::bad_request("invalid_json", format!("body is not valid JSON: {e}"))
    })?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned());
    let new = order_request::parse(&value, key, crate::digest::sha256_hex(&body))
        .map_err(AppError::Validation)?;
    let mut out = HeaderMap::new();
    let order = match orders::create(&state.orders(), new).await? {
        Created::New(o) => o,
        Created::Replayed(o) => {
            out.insert(
                "idempotent-replayed",
                "true".parse().expect("static header"),
            );
            o
        }
    };
    Ok((StatusCode::CREATED, out, Json(order_json(&state, &order))))
}

async fn load(state: &AppState, id: &str) -> Result<crate::store::OrderRecord, AppError> {
    state
        .store
        .get_order(id)
        .await?
        .ok_or(AppError::NotFound("order"))
}

async fn get_one(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let d = state
        .store
        .order_detail(&id)
        .await?
        .ok_or(AppError::NotFound("order"))?;
    Ok(Json(detail_json(&state, &d)))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    status: Option<String>,
    email: Option<String>,
    tax_id: Option<String>,
    reference: Option<String>,
    created_from: Option<String>,
    created_to: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

fn parse_filter(q: ListQuery) -> Result<OrderFilter, Vec<FieldError>> {
    let mut errs = Vec::new();
    let mut f = OrderFilter {
        limit: 50,
        reference: q.reference,
        cursor: q.cursor,
        ..OrderFilter::default()
    };
    if let Some(s) = q.status {
        match s.parse::<OrderStatus>() {
            Ok(s) => f.status = Some(s),
            Err(e) => errs.push(FieldError::new("status", e)),
        }
    }
    if let Some(s) = q.email {
        match Email::parse(&s) {
            Ok(e) => f.email = Some(e),
            Err(e) => errs.push(FieldError::new("email", e)),
        }
    }
    if let Some(s) = q.tax_id {
        match TaxId::parse(&s) {
            Ok(t) => f.tax_id = Some(t),
            Err(e) => errs.push(FieldError::new("tax_id", e)),
        }
    }
    for (name, raw, slot) in [
        ("created_from", q.created_from, &mut f.created_from),
        ("created_to", q.created_to, &mut f.created_to),
    ] {
        if let Some(s) = raw {
            match OffsetDateTime::parse(&s, &Rfc3339) {
                Ok(t) => *slot = Some(t),
                Err(_) => errs.push(FieldError::new(name, "must be an RFC 3339 timestamp")),
            }
        }
    }
    if let Some(s) = q.limit {
        match s.parse::<u32>() {
            Ok(n) if (1..=200).contains(&n) => f.limit = n,
            _ => errs.push(FieldError::new("limit", "must be between 1 and 200")),
        }
    }
    if errs.is_empty() {
        Ok(f)
    } else {
        Err(errs)
    }
}

async fn list(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let filter = parse_filter(q).map_err(AppError::Validation)?;
    let (orders, next) = state.store.list_orders(&filter).await?;
    Ok(Json(json!({
        "data": orders.iter().map(|o| order_json(&state, o)).collect::<Vec<_>>(),
        "next_cursor": next,
    })))
}

async fn charge(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let order = load(&state, &id).await?;
    let order = orders::charge(&state.orders(), order).await?;
    Ok(Json(order_json(&state, &order)))
}

async fn cancel(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let order = load(&state, &id).await?;
    let order = orders::cancel(&state.orders(), order).await?;
    Ok(Json(order_json(&state, &order)))
}

#[derive(Debug, Default, Deserialize)]
struct RefundBody {
    amount: Option<i64>,
    reason: Option<String>,
}

async fn refund(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let b: RefundBody = if body.is_empty() {
        RefundBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| AppError::bad_request("invalid_json", e.to_string()))?
    };
    let order = load(&state, &id).await?;
    let (req, order) = orders::refund(&state.orders(), order, b.amount, b.reason).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "refund": { "id": req.id, "correlation_id": req.correlation_id, "amount": req.amount.get(), "status": "requested" },
            "order": order_json(&state, &order),
        })),
    ))
}

/// Order routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/orders", post(create).get(list))
        .route("/api/v1/orders/{id}", get(get_one))
        .route("/api/v1/orders/{id}/charge", post(charge))
        .route("/api/v1/orders/{id}/cancel", post(cancel))
        .route("/api/v1/orders/{id}/refund", post(refund))
}
