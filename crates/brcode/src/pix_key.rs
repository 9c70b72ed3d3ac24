//! Pix keys (DICT "chaves"): CPF, CNPJ, phone, e-mail, random key.
//!
//! Forms follow the DICT API: a CPF is 11 digits, a CNPJ 14 characters
//! (alphanumeric from 2026), a phone `+55` + DDD + number, an e-mail in
//! lower case up to 77 characters, a random key a lower-case UUID of any
//! version. Punctuated CPF/CNPJ are not keys: use [`crate::TaxId`] first.

use crate::tax_id::{self, TaxIdError, TaxIdKind};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// The five kinds of Pix key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PixKeyKind {
    /// Individual taxpayer number.
    Cpf,
    /// Company taxpayer number.
    Cnpj,
    /// Brazilian mobile number in E.164.
    Phone,
    /// E-mail address.
    Email,
    /// Random key (EVP), a UUID.
    Random,
}

impl PixKeyKind {
    /// Guesses the kind from the shape only (no check digits), so a reader
    /// can label a key it will not validate.
    pub fn of(key: &str) -> Option<PixKeyKind> {
        let b = key.as_bytes();
        if b.first() == Some(&b'+') {
            Some(PixKeyKind::Phone)
        } else if b.contains(&b'@') {
            Some(PixKeyKind::Email)
        } else if b.len() == 36 && b[8] == b'-' {
            Some(PixKeyKind::Random)
        } else if b.len() == 11 && b.iter().all(u8::is_ascii_digit) {
            Some(PixKeyKind::Cpf)
        } else if b.len() == 14 && b.iter().all(u8::is_ascii_alphanumeric) {
            Some(PixKeyKind::Cnpj)
        } else {
            None
        }
    }

    /// Lower-case name, as used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PixKeyKind::Cpf => "cpf",
            PixKeyKind::Cnpj => "cnpj",
            PixKeyKind::Phone => "phone",
            PixKeyKind::Email => "email",
            PixKeyKind::Random => "random",
        }
    }
}

/// Why a string is not a Pix key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PixKeyError {
    /// Nothing given.
    #[error("Pix key is empty")]
    Empty,
    /// Matches none of the five shapes.
    #[error("not a Pix key: expected a CPF, CNPJ, +55 phone, e-mail or random key")]
    Unrecognized,
    /// Shaped like a CPF or CNPJ but not a valid one.
    #[error("invalid {kind:?} key: {source}")]
    TaxId {
        /// CPF or CNPJ.
        kind: PixKeyKind,
        /// Why.
        #[source]
        source: TaxIdError,
    },
    /// `+55`, a two-digit DDD (11–99, no zero) and 8 or 9 digits.
    #[error("phone key must be +55, a DDD and 8 or 9 digits")]
    Phone,
    /// DICT caps e-mail keys at 77 characters.
    #[error("e-mail key is {len} characters, the maximum is {max}")]
    EmailTooLong {
        /// Actual length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not `local@domain` in lower case.
    #[error("e-mail key must be a lower-case address local@domain.tld")]
    Email,
    /// Not a lower-case 8-4-4-4-12 hex UUID.
    #[error("random key must be a lower-case UUID (8-4-4-4-12 hex)")]
    Random,
}

/// A valid Pix key in its DICT form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PixKey {
    kind: PixKeyKind,
    value: String,
}

/// Maximum length of an e-mail key in DICT.
pub const EMAIL_MAX: usize = 77;

fn valid_phone(b: &[u8]) -> bool {
    let Some(rest) = b.strip_prefix(b"+55") else {
        return false;
    };
    (rest.len() == 10 || rest.len() == 11)
        && rest.iter().all(u8::is_ascii_digit)
        && rest[0] != b'0'
        && rest[1] != b'0'
}

fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || b".!#$%&'*+/=?^_`{|}~-".contains(&c)
        });
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    });
    local_ok && labels_ok && domain.contains('.')
}

fn valid_uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
}

/// Validates without allocating; strict validation calls this per code.
pub(crate) fn validate(key: &str) -> Result<PixKeyKind, PixKeyError> {
    let b = key.as_bytes();
    if b.is_empty() {
        return Err(PixKeyError::Empty);
    }
    let kind = PixKeyKind::of(key).ok_or(PixKeyError::Unrecognized)?;
    let tax =
        |k: TaxIdKind| tax_id::validate(k, b).map_err(|source| PixKeyError::TaxId { kind, source });
    match kind {
        PixKeyKind::Cpf => tax(TaxIdKind::Cpf)?,
        PixKeyKind::Cnpj => tax(TaxIdKind::Cnpj)?,
        PixKeyKind::Phone if !valid_phone(b) => return Err(PixKeyError::Phone),
        PixKeyKind::Email if b.len() > EMAIL_MAX => {
            return Err(PixKeyError::EmailTooLong {
                len: b.len(),
                max: EMAIL_MAX,
            })
        }
        PixKeyKind::Email if !valid_email(key) => return Err(PixKeyError::Email),
        PixKeyKind::Random if !valid_uuid(b) => return Err(PixKeyError::Random),
        _ => {}
    }
    Ok(kind)
}

impl PixKey {
    /// Parses a key in its DICT form; the only way to get a `PixKey`, so a
    /// builder given one cannot produce a code with an unusable key.
    pub fn parse(key: &str) -> Result<PixKey, PixKeyError> {
        let kind = validate(key)?;
        Ok(PixKey {
            kind,
            value: key.to_owned(),
        })
    }

    /// Which of the five kinds.
    pub fn kind(&self) -> PixKeyKind {
        self.kind
    }

    /// The key as it goes into field 26.01.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for PixKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl FromStr for PixKey {
    type Err = PixKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PixKey::parse(s)
    }
}

impl From<crate::TaxId> for PixKey {
    /// Every valid CPF/CNPJ is a valid key of the same kind.
    fn from(t: crate::TaxId) -> Self {
        let kind = match t.kind() {
            TaxIdKind::Cpf => PixKeyKind::Cpf,
            TaxIdKind::Cnpj => PixKeyKind::Cnpj,
        };
        PixKey {
            kind,
            value: t.as_str().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_valid() {
        let cases = [
            ("12345678909", PixKeyKind::Cpf),
            ("12345678000195", PixKeyKind::Cnpj),
            ("12ABC34501DE35", PixKeyKind::Cnpj),
            ("+5511987654321", PixKeyKind::Phone),
            ("+551134567890", PixKeyKind::Phone),
            ("fulano@example.com", PixKeyKind::Email),
            ("thalesog@me.com", PixKeyKind::Email),
            ("123e4567-e12b-12d1-a456-426655440000", PixKeyKind::Random),
            ("7d9f0335-8dcc-4054-9bf9-0dbd61d36906", PixKeyKind::Random),
        ];
        for (s, kind) in cases {
            let k = PixKey::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(k.kind(), kind, "{s}");
            assert_eq!(k.as_str(), s);
        }
    }

    #[test]
    fn each_kind_invalid() {
        let cases = [
            ("", PixKeyError::Empty),
            ("hello", PixKeyError::Unrecognized),
            ("123.456.789-09", PixKeyError::Unrecognized),
            ("+5511987654", PixKeyError::Phone),
            ("+14155552671", PixKeyError::Phone),
            ("+550198765432", PixKeyError::Phone),
            ("Fulano@Example.com", PixKeyError::Email),
            ("fulano@example", PixKeyError::Email),
            ("@example.com", PixKeyError::Email),
            ("123E4567-E12B-12D1-A456-426655440000", PixKeyError::Random),
            ("123e4567-e12b-12d1-a456-42665544000g", PixKeyError::Random),
        ];
        for (s, err) in cases {
            assert_eq!(PixKey::parse(s), Err(err), "{s}");
        }
        assert!(matches!(
            PixKey::parse("12345678908"),
            Err(PixKeyError::TaxId {
                kind: PixKeyKind::Cpf,
                ..
            })
        ));
        assert!(matches!(
            PixKey::parse("12ABC34501DE36"),
            Err(PixKeyError::TaxId {
                kind: PixKeyKind::Cnpj,
                ..
            })
        ));
        let local = "a".repeat(66);
        let long = format!("{local}@example.com");
        assert_eq!(long.len(), 78);
        assert_eq!(
            PixKey::parse(&long),
            Err(PixKeyError::EmailTooLong { len: 78, max: 77 })
        );
        assert!(PixKey::parse(&long[1..]).is_ok());
    }

    #[test]
    fn tax_id_converts() {
        let k: PixKey = crate::TaxId::parse("123.456.789-09").unwrap().into();
        assert_eq!(k.as_str(), "12345678909");
        assert_eq!(k.kind(), PixKeyKind::Cpf);
    }
}
