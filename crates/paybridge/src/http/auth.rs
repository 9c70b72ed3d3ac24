//! `Authorization: Bearer <api key>` for the store API, compared in constant
//! time against the SHA-256 kept in the database.

use super::{error::AppError, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use subtle::ConstantTimeEq;

/// Proof that the request carried the store API key; add it as a handler argument.
#[derive(Debug, Clone, Copy)]
pub struct StoreAuth;

impl FromRequestParts<AppState> for StoreAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?;
        let got = crate::secret::Secret::new(token.trim()).sha256_hex();
        if bool::from(got.as_bytes().ct_eq(state.api_key_sha256.as_bytes())) {
            Ok(StoreAuth)
        } else {
            Err(AppError::Unauthorized)
        }
    }
}
