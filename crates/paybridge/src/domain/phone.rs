//! Phone numbers normalized to E.164; Brazilian numbers may omit the +55.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A phone number in E.164 form, e.g. `+5511999999999`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// Why a string is not a phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Only digits, spaces, `+ - ( ) .` are accepted.
    #[error("may only contain digits, spaces and + - ( ) .")]
    BadCharacter,
    /// E.164 numbers have 10 to 15 digits (with country code).
    #[error("must have 10 to 15 digits")]
    BadLength,
}

impl Phone {
    /// Strips punctuation; 10 or 11 digits without `+` are read as Brazilian.
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        let s = s.trim();
        if !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
            || s.chars().skip(1).any(|c| c == '+')
        {
            return Err(PhoneError::BadCharacter);
        }
        let mut digits: String = s.chars().filter(char::is_ascii_digit).collect();
        if !s.starts_with('+') && digits.starts_with('0') {
            // National trunk prefix ("011 99999-9999", as Eduzz sends them).
            digits = digits.trim_start_matches('0').to_owned();
        }
        let full = if !s.starts_with('+') && (digits.len() == 10 || digits.len() == 11) {
            format!("55{digits}")
        } else {
            digits
        };
        if !(10..=15).contains(&full.len()) {
            return Err(PhoneError::BadLength);
        }
        Ok(Phone(format!("+{full}")))
    }

    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

impl fmt::Display for Phone {
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
            ("(11) 99999-9999", Ok("+5511999999999")),
            ("+55 11 99999-9999", Ok("+5511999999999")),
            ("011999999999", Ok("+5511999999999")),
            ("0xx11", Err(PhoneError::BadCharacter)),
            ("+1 415 555 2671", Ok("+14155552671")),
            ("123", Err(PhoneError::BadLength)),
            ("11 9999a9999", Err(PhoneError::BadCharacter)),
        ];
        for (input, want) in cases {
            let got = Phone::parse(input);
            assert_eq!(
                got.as_ref().map(Phone::as_str),
                want.as_ref().copied(),
                "{input}"
            );
        }
    }
}
