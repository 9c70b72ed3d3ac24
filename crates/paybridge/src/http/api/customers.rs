//! `POST /api/v1/customers/portal-link`: a signed "meus pedidos" link for a buyer.

use crate::domain::{Email, TaxId};
use crate::http::auth::StoreAuth;
use crate::http::error::{AppError, FieldError};
use crate::http::pages::{portal_url, Holder};
use crate::http::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/customers/portal-link", post(portal_link))
}

#[derive(Debug, Deserialize)]
struct PortalLinkRequest {
    email: Option<String>,
    tax_id: Option<String>,
}

async fn portal_link(
    State(state): State<AppState>,
    _auth: StoreAuth,
    Json(req): Json<PortalLinkRequest>,
) -> Result<Json<Value>, AppError> {
    let holder = match (req.email, req.tax_id) {
        (Some(e), None) => Holder::Email(
            Email::parse(&e)
                .map_err(|e| AppError::Validation(vec![FieldError::new("email", e)]))?,
        ),
        (None, Some(t)) => Holder::TaxId(
            TaxId::parse(&t)
                .map_err(|e| AppError::Validation(vec![FieldError::new("tax_id", e)]))?,
        ),
        _ => {
            return Err(AppError::bad_request(
                "email_or_tax_id",
                "give exactly one of email or tax_id",
            ))
        }
    };
    Ok(Json(json!({ "url": portal_url(&state, &holder).await? })))
}
