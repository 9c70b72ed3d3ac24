//! The one error type of the HTTP layer: a stable machine code per failure,
//! answered as `{"error":{"code","message"}}`. Internal errors are logged once
//! here and answered with an opaque 500.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;

/// One invalid request field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Dotted path (`customer.tax_id`, `items[1].quantity`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// Builds one.
    pub fn new(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        FieldError {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

/// Every failure a handler can answer with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing or wrong API key.
    #[error("missing or invalid API key")]
    Unauthorized,
    /// Webhook authentication failed.
    #[error("{message}")]
    InvalidSignature {
        /// Stable reason.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// No such resource.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// One or more fields are invalid; all of them are listed.
    #[error("invalid request")]
    Validation(Vec<FieldError>),
    /// The request is malformed (bad JSON, bad query).
    #[error("{message}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// The request conflicts with the resource's state.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// Content type not accepted.
    #[error("unsupported content type")]
    UnsupportedMediaType,
    /// The body is over the route's limit.
    #[error("body over {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The provider failed; the order is kept and the call can be retried.
    #[error("{message}")]
    BadGateway {
        /// Stable code.
        code: &'static str,
        /// Human message.
        message: String,
        /// The kept order, so the caller can retry on it.
        order_id: Option<String>,
    },
    /// Too many requests of this kind; retry after the given time.
    #[error("too many requests; retry in {} s", retry_after.as_secs().max(1))]
    TooManyRequests {
        /// When a retry may succeed.
        retry_after: std::time::Duration,
    },
    /// The database is unreachable.
    #[error("service unavailable")]
    Unavailable,
    /// Anything else: logged, answered opaquely.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::store::StoreError> for AppError {
    /// The database being unreachable is a 503 (retry later), anything
    /// else a 500.
    fn from(e: crate::store::StoreError) -> Self {
        if e.is_unavailable() {
            tracing::error!(error = %e, "database unavailable");
            AppError::Unavailable
        } else {
            AppError::Internal(e.into())
        }
    }
}

impl From<crate::service::ServiceError> for AppError {
    fn from(e: crate::service::ServiceError) -> Self {
        use crate::service::ServiceError as S;
        match e {
            S::OrderNotFound => AppError::NotFound("order"),
            S::Conflict { code, message } => AppError::Conflict { code, message },
            S::Invalid { field, message } => {
                AppError::Validation(vec![FieldError::new(field, message)])
            }
            S::ProviderUnavailable {
                code,
                message,
                order_id,
            } => AppError::BadGateway {
                code,
                message,
                order_id,
            },
            S::Store(e) => e.into(),
            S::Internal(m) => AppError::Internal(anyhow::anyhow!(m)),
        }
    }
}

impl AppError {
    /// Shorthand for a 400.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        AppError::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// Shorthand for a 409.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, extra) = match &self {
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", json!({})),
            AppError::InvalidSignature { code, .. } => (StatusCode::UNAUTHORIZED, *code, json!({})),
            AppError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                match *what {
                    "order" => "order_not_found",
                    "provider" => "provider_not_found",
                    "event" => "event_not_found",
                    "webhook endpoint" => "webhook_endpoint_not_found",
                    _ => "not_found",
                },
                json!({}),
            ),
            AppError::Validation(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                json!({ "fields": fields }),
            ),
            AppError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, *code, json!({})),
            AppError::Conflict { code, .. } => (StatusCode::CONFLICT, *code, json!({})),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                json!({}),
            ),
            AppError::PayloadTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", json!({}))
            }
            AppError::BadGateway { code, order_id, .. } => (
                StatusCode::BAD_GATEWAY,
                *code,
                json!({ "order_id": order_id }),
            ),
            AppError::TooManyRequests { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited", json!({}))
            }
            AppError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", json!({})),
            AppError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", json!({}))
            }
        };
        let message = match &self {
            AppError::Internal(_) => "internal error".to_owned(),
            other => other.to_string(),
        };
        let mut error = json!({ "code": code, "message": message });
        if let (Some(obj), Some(extra)) = (error.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                obj.insert(k.clone(), v.clone());
            }
        }
        let mut response = (status, Json(json!({ "error": error }))).into_response();
        if let AppError::TooManyRequests { retry_after } = &self {
            let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}
