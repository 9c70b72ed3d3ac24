//! CPF and CNPJ, including the alphanumeric CNPJ issued from July 2026.
//!
//! A [`TaxId`] can only be obtained through [`TaxId::parse`], so one that
//! exists has valid check digits.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Which register the number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaxIdKind {
    /// Individual (11 digits).
    Cpf,
    /// Company (12 alphanumeric characters + 2 check digits).
    Cnpj,
}

impl TaxIdKind {
    /// Number of characters without punctuation.
    pub const fn char_count(self) -> usize {
        match self {
            TaxIdKind::Cpf => 11,
            TaxIdKind::Cnpj => 14,
        }
    }
}

/// Why a string is not a CPF or CNPJ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TaxIdError {
    /// Without punctuation it is neither 11 (CPF) nor 14 (CNPJ) characters.
    #[error("{len} characters without punctuation: a CPF has 11, a CNPJ 14")]
    InvalidLength {
        /// Characters left after removing `.`, `-`, `/` and spaces.
        len: usize,
    },
    /// A character that is not allowed at that place.
    #[error("{ch:?} at position {position} is not allowed in a {kind:?}")]
    InvalidCharacter {
        /// The character.
        ch: char,
        /// Its position after removing punctuation.
        position: usize,
        /// What it was read as.
        kind: TaxIdKind,
    },
    /// All the same digit (`111.111.111-11`): passes the arithmetic, never issued.
    #[error("{kind:?} made of one repeated digit is not valid")]
    RepeatedDigits {
        /// What it was read as.
        kind: TaxIdKind,
    },
    /// Check digits do not match.
    #[error("{kind:?} check digits are {found}, expected {expected}")]
    CheckDigits {
        /// What it was read as.
        kind: TaxIdKind,
        /// As written.
        found: u8,
        /// As computed.
        expected: u8,
    },
}

/// A valid CPF or CNPJ, stored without punctuation (letters upper case).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaxId {
    kind: TaxIdKind,
    chars: [u8; 14],
}

/// Check digit of `chars` with `weights`, char value = ASCII − 48 (the rule
/// of both the numeric and the alphanumeric CNPJ, and of the CPF).
fn check_digit(chars: &[u8], weights: impl Iterator<Item = u32>) -> u8 {
    let sum: u32 = chars
        .iter()
        .zip(weights)
        .map(|(&c, w)| u32::from(c - b'0') * w)
        .sum();
    let r = sum % 11;
    if r < 2 {
        0
    } else {
        (11 - r) as u8
    }
}

/// The two check digits of a CPF body (9 digits) or CNPJ body (12 chars).
pub(crate) fn check_digits(kind: TaxIdKind, body_and_first: &[u8]) -> (u8, u8) {
    match kind {
        TaxIdKind::Cpf => {
            let d1 = check_digit(&body_and_first[..9], (2..=10).rev());
            let mut ten = [0u8; 10];
            ten[..9].copy_from_slice(&body_and_first[..9]);
            ten[9] = b'0' + d1;
            (d1, check_digit(&ten, (2..=11).rev()))
        }
        TaxIdKind::Cnpj => {
            const W: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
            let d1 = check_digit(&body_and_first[..12], W[1..].iter().copied());
            let mut thirteen = [0u8; 13];
            thirteen[..12].copy_from_slice(&body_and_first[..12]);
            thirteen[12] = b'0' + d1;
            (d1, check_digit(&thirteen, W.iter().copied()))
        }
    }
}

/// Validates punctuation-free upper-case `chars` of a known kind.
pub(crate) fn validate(kind: TaxIdKind, chars: &[u8]) -> Result<(), TaxIdError> {
    if chars.len() != kind.char_count() {
        return Err(TaxIdError::InvalidLength { len: chars.len() });
    }
    for (position, &c) in chars.iter().enumerate() {
        let ok = match kind {
            TaxIdKind::Cnpj if position < 12 => c.is_ascii_digit() || c.is_ascii_uppercase(),
            _ => c.is_ascii_digit(),
        };
        if !ok {
            return Err(TaxIdError::InvalidCharacter {
                ch: char::from(c),
                position,
                kind,
            });
        }
    }
    if chars.iter().all(|&c| c == chars[0]) {
        return Err(TaxIdError::RepeatedDigits { kind });
    }
    let n = chars.len();
    let (d1, d2) = check_digits(kind, chars);
    let found = (chars[n - 2] - b'0') * 10 + (chars[n - 1] - b'0');
    let expected = d1 * 10 + d2;
    if found != expected {
        return Err(TaxIdError::CheckDigits {
            kind,
            found,
            expected,
        });
    }
    Ok(())
}

impl TaxId {
    /// Parses a CPF or CNPJ with or without punctuation (`123.456.789-09`,
    /// `12.345.678/0001-95`, `12.ABC.345/01DE-35`); letters may be lower case.
    pub fn parse(input: &str) -> Result<TaxId, TaxIdError> {
        let mut chars = [0u8; 14];
        let mut len = 0usize;
        for c in input.chars() {
            if matches!(c, '.' | '-' | '/' | ' ') {
                continue;
            }
            if len == 14 {
                len += 1;
                break;
            }
            chars[len] = if c.is_ascii() {
                (c as u8).to_ascii_uppercase()
            } else {
                // Keeps the length right and fails the character check.
                b'?'
            };
            len += 1;
        }
        let kind = match len {
            11 => TaxIdKind::Cpf,
            14 => TaxIdKind::Cnpj,
            _ => {
                let len = input
                    .chars()
                    .filter(|c| !matches!(c, '.' | '-' | '/' | ' '))
                    .count();
                return Err(TaxIdError::InvalidLength { len });
            }
        };
        validate(kind, &chars[..len])?;
        Ok(TaxId { kind, chars })
    }

    /// CPF or CNPJ.
    pub fn kind(&self) -> TaxIdKind {
        self.kind
    }

    /// Digits (and upper-case letters) only: the form registers and Pix
    /// keys use.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.chars[..self.kind.char_count()]).unwrap_or_default()
    }

    fn punctuate(&self, chars: &[u8]) -> String {
        let c = |r: std::ops::Range<usize>| std::str::from_utf8(&chars[r]).unwrap_or_default();
        match self.kind {
            TaxIdKind::Cpf => format!("{}.{}.{}-{}", c(0..3), c(3..6), c(6..9), c(9..11)),
            TaxIdKind::Cnpj => format!(
                "{}.{}.{}/{}-{}",
                c(0..2),
                c(2..5),
                c(5..8),
                c(8..12),
                c(12..14)
            ),
        }
    }

    /// The usual printed form: `123.456.789-09`, `12.345.678/0001-95`.
    pub fn formatted(&self) -> String {
        self.punctuate(&self.chars)
    }

    /// A form safe for receipts and logs. CPF: `***.456.789-**` (the mask
    /// the government uses when publishing CPFs). CNPJ, by the same idea:
    /// the first two characters and the check digits hidden,
    /// `**.345.678/0001-**`.
    pub fn masked(&self) -> String {
        let mut chars = self.chars;
        let n = self.kind.char_count();
        let hidden = match self.kind {
            TaxIdKind::Cpf => 3,
            TaxIdKind::Cnpj => 2,
        };
        chars[..hidden].fill(b'*');
        chars[n - 2..n].fill(b'*');
        self.punctuate(&chars)
    }
}

impl fmt::Display for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl fmt::Debug for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Masked: a Debug print ends up in logs.
        write!(f, "TaxId({:?}, {})", self.kind, self.masked())
    }
}

impl FromStr for TaxId {
    type Err = TaxIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaxId::parse(s)
    }
}

impl Serialize for TaxId {
    /// Serialized as [`TaxId::as_str`] (digits only), the form APIs exchange.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaxId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        TaxId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_cpfs() {
        for s in [
            "12345678909",
            "123.456.789-09",
            "529.982.247-25",
            "11144477735",
        ] {
            let t = TaxId::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(t.kind(), TaxIdKind::Cpf);
        }
        let t = TaxId::parse("123.456.789-09").unwrap();
        assert_eq!(t.as_str(), "12345678909");
        assert_eq!(t.formatted(), "123.456.789-09");
        assert_eq!(t.to_string(), "123.456.789-09");
        assert_eq!(t.masked(), "***.456.789-**");
    }

    #[test]
    fn invalid_cpfs() {
        assert_eq!(
            TaxId::parse("123.456.789-08"),
            Err(TaxIdError::CheckDigits {
                kind: TaxIdKind::Cpf,
                found: 8,
                expected: 9
            })
        );
        assert_eq!(
            TaxId::parse("111.111.111-11"),
            Err(TaxIdError::RepeatedDigits {
                kind: TaxIdKind::Cpf
            })
        );
        assert_eq!(
            TaxId::parse("1234567890"),
            Err(TaxIdError::InvalidLength { len: 10 })
        );
        assert!(matches!(
            TaxId::parse("1234567890A"),
            Err(TaxIdError::InvalidCharacter { ch: 'A', .. })
        ));
        assert!(matches!(
            TaxId::parse("1234567890é"),
            Err(TaxIdError::InvalidCharacter { .. })
        ));
    }

    #[test]
    fn valid_cnpjs_numeric_and_alphanumeric() {
        let t = TaxId::parse("12.345.678/0001-95").unwrap();
        assert_eq!(t.kind(), TaxIdKind::Cnpj);
        assert_eq!(t.as_str(), "12345678000195");
        assert_eq!(t.formatted(), "12.345.678/0001-95");
        assert_eq!(t.masked(), "**.345.678/0001-**");
        for s in [
            "11222333000181",
            "11.444.777/0001-61",
            "12ABC34501DE35",
            "12.abc.345/01de-35",
        ] {
            assert!(TaxId::parse(s).is_ok(), "{s}");
        }
        let a = TaxId::parse("12.abc.345/01de-35").unwrap();
        assert_eq!(a.as_str(), "12ABC34501DE35");
        assert_eq!(a.formatted(), "12.ABC.345/01DE-35");
    }

    #[test]
    fn invalid_cnpjs() {
        assert!(matches!(
            TaxId::parse("12ABC34501DE36"),
            Err(TaxIdError::CheckDigits {
                kind: TaxIdKind::Cnpj,
                found: 36,
                expected: 35
            })
        ));
        assert!(matches!(
            TaxId::parse("12.345.678/0001-96"),
            Err(TaxIdError::CheckDigits { .. })
        ));
        assert_eq!(
            TaxId::parse("00000000000000"),
            Err(TaxIdError::RepeatedDigits {
                kind: TaxIdKind::Cnpj
            })
        );
        // Letters are allowed in the body only, never in the check digits.
        assert!(matches!(
            TaxId::parse("12ABC34501DE3A"),
            Err(TaxIdError::InvalidCharacter {
                ch: 'A',
                position: 13,
                ..
            })
        ));
        assert_eq!(
            TaxId::parse("123456780001951"),
            Err(TaxIdError::InvalidLength { len: 15 })
        );
    }

    #[test]
    fn serde_goes_through_parse() {
        let t: TaxId = serde_json::from_str("\"123.456.789-09\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"12345678909\"");
        assert!(serde_json::from_str::<TaxId>("\"123.456.789-00\"").is_err());
    }

    #[test]
    fn debug_does_not_leak_the_number() {
        let t = TaxId::parse("12345678909").unwrap();
        assert!(!format!("{t:?}").contains("123"));
    }
}
