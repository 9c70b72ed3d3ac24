//! The buyer as the store describes them; every field already parsed.

use super::{Email, EmailError, Phone, PhoneError, TaxId, TaxIdError};
use serde::{Deserialize, Serialize};

/// A buyer's name: 1 to 200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    /// Trims and checks the length.
    pub fn parse(s: &str) -> Result<Self, CustomerError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(CustomerError::NameEmpty);
        }
        if s.chars().count() > 200 {
            return Err(CustomerError::NameTooLong);
        }
        Ok(PersonName(s.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = CustomerError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PersonName::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(n: PersonName) -> String {
        n.0
    }
}

/// Why a customer field is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomerError {
    /// Woovi needs a name for the charge's customer.
    #[error("must not be empty")]
    NameEmpty,
    /// Bounded to keep pages and logs sane.
    #[error("must be at most 200 characters")]
    NameTooLong,
    /// See [`EmailError`].
    #[error(transparent)]
    Email(#[from] EmailError),
    /// See [`PhoneError`].
    #[error(transparent)]
    Phone(#[from] PhoneError),
    /// See [`TaxIdError`].
    #[error(transparent)]
    TaxId(#[from] TaxIdError),
    /// Ages outside 0..=130 are typos.
    #[error("must be between 0 and 130")]
    BadAge,
}

/// The buyer of an order (seed 000 asks for name, e-mail, age and CPF).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Full name.
    pub name: PersonName,
    /// Contact e-mail, used by "meus pedidos".
    pub email: Option<Email>,
    /// CPF or CNPJ.
    pub tax_id: Option<TaxId>,
    /// Contact phone.
    pub phone: Option<Phone>,
    /// Age in years.
    pub age: Option<u8>,
}

/// Checks an age in years.
pub fn parse_age(age: i64) -> Result<u8, CustomerError> {
    u8::try_from(age)
        .ok()
        .filter(|a| *a <= 130)
        .ok_or(CustomerError::BadAge)
}
