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
}
