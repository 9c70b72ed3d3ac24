//! `GET /api/v1/entitlements` and `GET /api/v1/customers/{email}/entitlements`:
//! who may use which product, as granted and revoked by platform sales.

use crate::domain::entitlement::AccessStatus;
use crate::domain::Email;
use crate::http::auth::StoreAuth;
use crate::http::error::{AppError, FieldError};
use crate::http::AppState;
use crate::store::EntitlementFilter;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/entitlements", get(list))
        .route("/api/v1/customers/{email}/entitlements", get(for_customer))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    email: Option<String>,
    product_id: Option<String>,
    status: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

fn parse_filter(q: ListQuery) -> Result<EntitlementFilter, Vec<FieldError>> {
    let mut errs = Vec::new();
    let mut f = EntitlementFilter {
        limit: 50,
        product_id: q.product_id.filter(|p| !p.trim().is_empty()),
        cursor: q.cursor,
        ..EntitlementFilter::default()
    };
    if let Some(e) = q.email {
        match Email::parse(&e) {
            Ok(e) => f.email = Some(e),
            Err(e) => errs.push(FieldError::new("email", e)),
        }
    }
    if let Some(s) = q.status {
        match AccessStatus::parse(&s) {
            Some(s) => f.status = Some(s),
            None => errs.push(FieldError::new("status", "must be active or revoked")),
        }
    }
    if let Some(l) = q.limit {
        match l.parse::<u32>() {
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

async fn page(state: &AppState, f: &EntitlementFilter) -> Result<Json<Value>, AppError> {
    let (data, next) = state.store.list_entitlements(f).await?;
    Ok(Json(json!({ "data": data, "next_cursor": next })))
}

async fn list(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let f = parse_filter(q).map_err(AppError::Validation)?;
    page(&state, &f).await
}

async fn for_customer(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(email): Path<String>,
    Query(mut q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    q.email = Some(email);
    let f = parse_filter(q).map_err(AppError::Validation)?;
    page(&state, &f).await
}
