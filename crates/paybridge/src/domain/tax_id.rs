//! CPF / CNPJ. Bridges to `brcode::TaxId` once that crate exposes it; until
//! then a check-digit implementation with the same surface lives here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Brazilian tax id (CPF, 11 digits, or CNPJ, 14 digits) with valid check digits.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxId(String);

/// Why a string is not a CPF or CNPJ.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxIdError {
    /// Neither 11 nor 14 digits once punctuation is removed.
    #[error("must have 11 (CPF) or 14 (CNPJ) digits")]
    BadLength,
    /// Something other than digits and `. - /`.
    #[error("may only contain digits and . - /")]
    BadCharacter,
    /// The check digits do not match (typo or invented number).
    #[error("has invalid check digits")]
    BadCheckDigits,
}

fn check_digit(digits: &[u8], weights: &[u32]) -> u8 {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    let r = sum % 11;
    if r < 2 {
        0
    } else {
        (11 - r) as u8
    }
}

impl TaxId {
    /// Accepts formatted or bare digits and checks the check digits.
    pub fn parse(s: &str) -> Result<Self, TaxIdError> {
        let s = s.trim();
        if !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/'))
        {
            return Err(TaxIdError::BadCharacter);
        }
        let digits: Vec<u8> = s
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        let ok = match digits.len() {
            11 => {
                if digits.iter().all(|d| *d == digits[0]) {
                    return Err(TaxIdError::BadCheckDigits);
                }
                let w1: Vec<u32> = (2..=10).rev().collect();
                let w2: Vec<u32> = (2..=11).rev().collect();
                check_digit(&digits[..9], &w1) == digits[9]
                    && check_digit(&digits[..10], &w2) == digits[10]
            }
            14 => {
                if digits.iter().all(|d| *d == digits[0]) {
                    return Err(TaxIdError::BadCheckDigits);
                }
                let w1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
                let w2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
                check_digit(&digits[..12], &w1) == digits[12]
                    && check_digit(&digits[..13], &w2) == digits[13]
            }
            _ => return Err(TaxIdError::BadLength),
        };
        if !ok {
            return Err(TaxIdError::BadCheckDigits);
        }
        Ok(TaxId(digits.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    /// Bare digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `000.000.000-00` or `00.000.000/0000-00`.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        if d.len() == 11 {
            format!("{}.{}.{}-{}", &d[..3], &d[3..6], &d[6..9], &d[9..])
        } else {
            format!(
                "{}.{}.{}/{}-{}",
                &d[..2],
                &d[2..5],
                &d[5..8],
                &d[8..12],
                &d[12..]
            )
        }
    }

    /// Safe for logs: only the middle digits show (`***.456.789-**`).
    pub fn masked(&self) -> String {
        let d = &self.0;
        if d.len() == 11 {
            format!("***.{}.{}-**", &d[3..6], &d[6..9])
        } else {
            format!("**.{}.{}/****-**", &d[2..5], &d[5..8])
        }
    }
}

impl fmt::Debug for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TaxId({})", self.masked())
    }
}

impl TryFrom<String> for TaxId {
    type Error = TaxIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TaxId::parse(&s)
    }
}

impl From<TaxId> for String {
    fn from(t: TaxId) -> String {
        t.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert!(TaxId::parse("290.948.480-74").is_ok());
        assert!(TaxId::parse("07549767000113").is_ok());
        assert_eq!(TaxId::parse("29094848075"), Err(TaxIdError::BadCheckDigits));
        assert_eq!(
            TaxId::parse("111.111.111-11"),
            Err(TaxIdError::BadCheckDigits)
        );
        assert_eq!(TaxId::parse("123"), Err(TaxIdError::BadLength));
        let t = TaxId::parse("29094848074").unwrap();
        assert_eq!(t.formatted(), "290.948.480-74");
        assert!(!format!("{t:?}").contains("29094848074"));
    }
}
