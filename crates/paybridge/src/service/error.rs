//! Why a use case did not happen, in the service's own words; the HTTP
//! layer maps each to a status and a stable code in one place.

use crate::store::StoreError;

/// A use case's failure.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No such order.
    #[error("order not found")]
    OrderNotFound,
    /// The order's state does not allow it (409).
    #[error("{message}")]
    Conflict {
        /// Stable code (`order_not_pending`, `idempotency_key_reused`).
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// One input is invalid (422).
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The provider failed; the order is kept and the call can be retried (502).
    #[error("{message}")]
    ProviderUnavailable {
        /// Stable code.
        code: &'static str,
        /// Human message.
        message: String,
        /// The kept order.
        order_id: Option<String>,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else (a broken invariant).
    #[error("{0}")]
    Internal(String),
}

impl ServiceError {
    /// Shorthand for a conflict.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Conflict {
            code,
            message: message.into(),
        }
    }

    /// Shorthand for an invalid field.
    pub fn invalid(field: &'static str, message: impl std::fmt::Display) -> Self {
        ServiceError::Invalid {
            field,
            message: message.to_string(),
        }
    }
}
