//! Pix BR Code (EMV QRCPS-MPM): parse, validate, build and render.
//!
//! Two levels of reading: [`parse`] (structure + CRC, what a payer's app
//! must accept) and [`parse_strict`] (every rule of the BCB Pix manual,
//! what a generator must emit). Parsing borrows from the payload and does
//! not allocate. No IO, no async, no panics on any input.
#![forbid(unsafe_code)]

pub mod builder;
pub mod crc;
pub mod error;
pub mod pix_key;
pub mod qr;
pub mod strict;
pub mod tax_id;
pub mod tlv;

pub use builder::{BuildError, Builder};
pub use error::{Error, ParseError, StrictError, TlvErrorKind};
pub use pix_key::{PixKey, PixKeyError, PixKeyKind};
pub use qr::QrError;
pub use strict::parse_strict;
pub use tax_id::{TaxId, TaxIdError, TaxIdKind};
pub use tlv::parse::{parse, BrCode, PixAccount, PIX_GUI};
pub use tlv::{fields, Field, Fields};
