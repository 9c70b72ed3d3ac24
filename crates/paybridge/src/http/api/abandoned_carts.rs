//! `GET /api/v1/abandoned-carts?from=&to=`: checkouts left before paying,
//! as the platforms reported them, for recovery.

use crate::http::auth::StoreAuth;
use crate::http::error::{AppError, FieldError};
use crate::http::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/abandoned-carts", get(list))
}

#[derive(Debug, Deserialize)]
struct CartQuery {
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
}

async fn list(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Query(q): Query<CartQuery>,
) -> Result<Json<Value>, AppError> {
    let mut errs = Vec::new();
    let mut time = |name: &str, raw: Option<String>| {
        raw.and_then(|s| match OffsetDateTime::parse(&s, &Rfc3339) {
            Ok(t) => Some(t),
            Err(_) => {
                errs.push(FieldError::new(name, "must be an RFC 3339 timestamp"));
                None
            }
        })
    };
    let (from, to) = (time("from", q.from), time("to", q.to));
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errs.push(FieldError::new("to", "must not be before from"));
        }
    }
    let limit = match q.limit.as_deref().map(str::parse::<u32>) {
        None => 100,
        Some(Ok(n)) if (1..=500).contains(&n) => n,
        Some(_) => {
            errs.push(FieldError::new("limit", "must be between 1 and 500"));
            100
        }
    };
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let data = state.store.list_abandoned_carts(from, to, limit).await?;
    Ok(Json(json!({ "data": data })))
}
