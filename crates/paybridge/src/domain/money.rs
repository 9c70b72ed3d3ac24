//! Money as integer cents of BRL: floats never touch an amount.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of BRL in cents, never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Cents(i64);

/// Why a number is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Amounts are counted from zero.
    #[error("must not be negative")]
    Negative,
    /// Orders and refunds of nothing make no sense.
    #[error("must be greater than zero")]
    NotPositive,
    /// Guards sums against overflow (R$ 10 billion is far above any Pix).
    #[error("is too large")]
    TooLarge,
    /// A reais amount must be plain decimal digits with an optional `.` fraction.
    #[error("is not a decimal number of reais")]
    NotADecimal,
    /// Reais with a non-zero third decimal cannot be counted in cents.
    #[error("has a fraction of a cent")]
    FractionOfCent,
}

const MAX: i64 = 1_000_000_000_000;

impl Cents {
    /// Nothing.
    pub const ZERO: Cents = Cents(0);

    /// Any non-negative amount (totals, sums).
    pub fn new(value: i64) -> Result<Self, MoneyError> {
        if value < 0 {
            Err(MoneyError::Negative)
        } else if value > MAX {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Cents(value))
        }
    }

    /// An amount that must be charged or refunded: strictly positive.
    pub fn positive(value: i64) -> Result<Self, MoneyError> {
        if value <= 0 {
            return Err(MoneyError::NotPositive);
        }
        Self::new(value)
    }

    /// Reads reais written in decimal (`"50"`, `"0.5"`, `"301.50"`) into exact
    /// cents, digit by digit: platforms send reais as strings or JSON numbers,
    /// and going through a float would round.
    pub fn parse_reais(s: &str) -> Result<Self, MoneyError> {
        let s = s.trim();
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || (s.contains('.') && frac.is_empty()) {
            return Err(MoneyError::NotADecimal);
        }
        let (cents_part, rest) = frac.split_at(frac.len().min(2));
        if rest.bytes().any(|b| b != b'0') {
            return Err(MoneyError::FractionOfCent);
        }
        let int = int.trim_start_matches('0');
        if int.len() > 13 {
            return Err(MoneyError::TooLarge);
        }
        let reais: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| MoneyError::NotADecimal)?
        };
        let cents: i64 = format!("{cents_part:0<2}")
            .parse()
            .map_err(|_| MoneyError::NotADecimal)?;
        Self::new(reais * 100 + cents)
    }

    /// The number of cents.
    pub fn get(self) -> i64 {
        self.0
    }

    /// Sum that saturates at the maximum rather than wrapping.
    pub fn saturating_add(self, other: Cents) -> Cents {
        Cents((self.0 + other.0).min(MAX))
    }

    /// Difference floored at zero.
    pub fn saturating_sub(self, other: Cents) -> Cents {
        Cents((self.0 - other.0).max(0))
    }
}

impl TryFrom<i64> for Cents {
    type Error = MoneyError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Cents::new(value)
    }
}

impl From<Cents> for i64 {
    fn from(c: Cents) -> i64 {
        c.0
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R$ {},{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(Cents::positive(0), Err(MoneyError::NotPositive));
        assert_eq!(Cents::new(-1), Err(MoneyError::Negative));
        assert_eq!(Cents::positive(1234).unwrap().to_string(), "R$ 12,34");
        assert_eq!(Cents::new(MAX + 1), Err(MoneyError::TooLarge));
        assert_eq!(
            Cents::new(5)
                .unwrap()
                .saturating_sub(Cents::new(9).unwrap()),
            Cents::ZERO
        );
    }

    #[test]
    fn reais_to_exact_cents() {
        let ok = [
            ("50", 5000),
            ("0.5", 50),
            ("301.5", 30150),
            ("150.75", 15075),
            ("0.1", 10),
            ("0.29", 29),
            ("1.050000", 105),
            ("19.90", 1990),
            (" 7 ", 700),
            ("0", 0),
            ("007.10", 710),
            ("9999999999.99", 999_999_999_999),
        ];
        for (input, cents) in ok {
            assert_eq!(Cents::parse_reais(input), Ok(Cents(cents)), "{input}");
        }
        let bad = [
            ("", MoneyError::NotADecimal),
            ("abc", MoneyError::NotADecimal),
            ("-1", MoneyError::NotADecimal),
            ("1,50", MoneyError::NotADecimal),
            ("1.", MoneyError::NotADecimal),
            (".5", MoneyError::NotADecimal),
            ("1e3", MoneyError::NotADecimal),
            ("NaN", MoneyError::NotADecimal),
            ("1.2.3", MoneyError::NotADecimal),
            ("0.001", MoneyError::FractionOfCent),
            ("10.005", MoneyError::FractionOfCent),
            ("10000000000.01", MoneyError::TooLarge),
            ("99999999999999999999999", MoneyError::TooLarge),
        ];
        for (input, err) in bad {
            assert_eq!(Cents::parse_reais(input), Err(err), "{input}");
        }
        // Every cent value of a float-hostile range comes out exact.
        for c in 0..100_000i64 {
            let s = format!("{}.{:02}", c / 100, c % 100);
            assert_eq!(Cents::parse_reais(&s).unwrap().get(), c, "{s}");
        }
    }
}
