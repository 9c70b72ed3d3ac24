//! CPF / CNPJ: the one implementation lives in `brcode`; the service uses it as is.

pub use brcode::{TaxId, TaxIdError, TaxIdKind};
