//! E-mail addresses as far as a shop needs: one `@`, a dotted domain, no spaces.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A plausibly deliverable e-mail address, domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why a string is not an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing given.
    #[error("must not be empty")]
    Empty,
    /// RFC 5321 limit.
    #[error("must be at most 254 characters")]
    TooLong,
    /// Shape check failed.
    #[error("is not an e-mail address")]
    BadShape,
}

impl Email {
    /// Trims and checks the shape.
    pub fn parse(s: &str) -> Result<Self, EmailError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::BadShape)?;
        let ok = !local.is_empty()
            && !domain.contains('@')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if !ok {
            return Err(EmailError::BadShape);
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("ana@Example.COM", Ok("ana@example.com")),
            (" ana@example.com ", Ok("ana@example.com")),
            ("", Err(EmailError::Empty)),
            ("ana", Err(EmailError::BadShape)),
            ("ana@localhost", Err(EmailError::BadShape)),
            ("a na@example.com", Err(EmailError::BadShape)),
            ("a@b@example.com", Err(EmailError::BadShape)),
            ("@example.com", Err(EmailError::BadShape)),
        ];
        for (input, want) in cases {
            let got = Email::parse(input);
            assert_eq!(
                got.as_ref().map(Email::as_str),
                want.as_ref().copied(),
                "{input}"
            );
        }
    }
}
