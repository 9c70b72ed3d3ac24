//! The correlationID saved on the order before Woovi is called: the key that
//! lets a retried charge creation find the charge instead of making a second.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Woovi correlationID: 1 to 100 characters of `[A-Za-z0-9._:-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CorrelationId(String);

/// Why a string is not a correlationID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrelationIdError {
    /// Woovi rejects empty identifiers.
    #[error("must not be empty")]
    Empty,
    /// Keeps keys short enough for URLs and indexes.
    #[error("must be at most 100 characters")]
    TooLong,
    /// Keeps the key safe in URLs and logs.
    #[error("may only contain letters, digits, '.', '_', ':' and '-'")]
    BadCharacter,
}

impl CorrelationId {
    /// A fresh random identifier (UUID v4).
    pub fn generate() -> Self {
        CorrelationId(uuid::Uuid::new_v4().to_string())
    }

    /// Checks the shape.
    pub fn parse(s: &str) -> Result<Self, CorrelationIdError> {
        if s.is_empty() {
            return Err(CorrelationIdError::Empty);
        }
        if s.len() > 100 {
            return Err(CorrelationIdError::TooLong);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))
        {
            return Err(CorrelationIdError::BadCharacter);
        }
        Ok(CorrelationId(s.to_owned()))
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CorrelationId {
    type Error = CorrelationIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CorrelationId::parse(&s)
    }
}

impl From<CorrelationId> for String {
    fn from(c: CorrelationId) -> String {
        c.0
    }
}

impl fmt::Display for CorrelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(CorrelationId::parse("api1-1").is_ok());
        assert_eq!(CorrelationId::parse(""), Err(CorrelationIdError::Empty));
        assert_eq!(
            CorrelationId::parse("a b"),
            Err(CorrelationIdError::BadCharacter)
        );
        assert!(CorrelationId::parse(CorrelationId::generate().as_str()).is_ok());
    }
}
