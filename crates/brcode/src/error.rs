//! Typed errors: each names the field and the rule it broke, so a caller can
//! tell a buyer (or a log) exactly what is wrong with a code.

use crate::pix_key::PixKeyError;
use thiserror::Error;

/// Why a payload is not a readable BR Code (structure or CRC).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// Nothing to read.
    #[error("payload is empty")]
    Empty,
    /// A TLV field is malformed; `template` is set when it sits inside one.
    #[error("{}byte {offset}: {kind}", template.map(|t| format!("inside template {t:02}, ")).unwrap_or_default())]
    Tlv {
        /// The enclosing template ID, if the field is nested.
        template: Option<u8>,
        /// Byte offset of the field inside the payload or template value.
        offset: usize,
        /// What is wrong with it.
        kind: TlvErrorKind,
    },
    /// No field 63 at the end of the payload.
    #[error("the payload does not end with a CRC field (6304 + 4 hex digits)")]
    MissingCrc,
    /// Field 63 must be the last field.
    #[error("CRC field 63 at byte {offset} is not the last field")]
    CrcNotLast {
        /// Where field 63 starts.
        offset: usize,
    },
    /// Field 63 has a length other than 04.
    #[error("CRC field 63 has length {len}, the rule is exactly 4")]
    CrcLength {
        /// The declared length.
        len: usize,
    },
    /// Field 63 is not four hex digits.
    #[error("CRC field 63 is not four hex digits")]
    CrcNotHex,
    /// The payload was altered or badly generated.
    #[error("CRC mismatch: the payload says {found:04X}, its content gives {computed:04X}")]
    CrcMismatch {
        /// The CRC written in field 63.
        found: u16,
        /// The CRC of everything up to and including `6304`.
        computed: u16,
    },
}

/// The ways a single TLV field can be malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TlvErrorKind {
    /// Fewer than four bytes left for the ID and length.
    #[error("field header (ID + length) is truncated")]
    TruncatedHeader,
    /// The ID is not two ASCII digits.
    #[error("field ID is not two digits")]
    InvalidId,
    /// The length is not two ASCII digits.
    #[error("field {id:02}: length is not two digits")]
    InvalidLength {
        /// The field's ID.
        id: u8,
    },
    /// The declared length runs past the end of the input.
    #[error("field {id:02}: declares {len} bytes but only {available} remain")]
    TruncatedValue {
        /// The field's ID.
        id: u8,
        /// The declared length.
        len: usize,
        /// Bytes actually left.
        available: usize,
    },
    /// The declared length cuts a multi-byte UTF-8 character in two.
    #[error("field {id:02}: its length splits a UTF-8 character")]
    SplitCharacter {
        /// The field's ID.
        id: u8,
    },
}

/// A rule of the BCB Pix manual that a structurally valid code breaks.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StrictError {
    /// The whole payload is over 512 characters.
    #[error("payload is {len} characters long, the maximum is {max}")]
    PayloadTooLong {
        /// Actual length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Only printable ASCII is allowed.
    #[error("byte {offset} is not printable ASCII")]
    NotPrintableAscii {
        /// Where the first offending byte is.
        offset: usize,
    },
    /// Field 00 must come first.
    #[error("payload format indicator (00) must be the first field")]
    PayloadFormatNotFirst,
    /// Field 00 must be `01`.
    #[error("payload format indicator (00) is {value:?}, the rule is \"01\"")]
    PayloadFormatInvalid {
        /// What was found.
        value: String,
    },
    /// A mandatory field is absent.
    #[error("mandatory field {id} ({name}) is missing")]
    MissingField {
        /// The field's ID (`62.05` style for nested ones).
        id: &'static str,
        /// Its name in the manual.
        name: &'static str,
    },
    /// IDs must ascend (00 first, 63 last).
    #[error("{}field {id:02} comes after field {previous:02}: IDs must ascend", template.map(|t| format!("inside template {t:02}, ")).unwrap_or_default())]
    FieldOrder {
        /// Enclosing template, if nested.
        template: Option<u8>,
        /// The out-of-order field.
        id: u8,
        /// The field before it.
        previous: u8,
    },
    /// The same ID appears twice.
    #[error("{}field {id:02} appears more than once", template.map(|t| format!("inside template {t:02}, ")).unwrap_or_default())]
    DuplicateField {
        /// Enclosing template, if nested.
        template: Option<u8>,
        /// The repeated ID.
        id: u8,
    },
    /// Lengths run 01–99; 00 is not allowed.
    #[error("{}field {id:02} is empty: lengths must be 01-99", template.map(|t| format!("inside template {t:02}, ")).unwrap_or_default())]
    EmptyField {
        /// Enclosing template, if nested.
        template: Option<u8>,
        /// The empty field.
        id: u8,
    },
    /// Field 01 must be `11` or `12`.
    #[error("point of initiation (01) is {value:?}, the rule is \"11\" or \"12\"")]
    PointOfInitiationInvalid {
        /// What was found.
        value: String,
    },
    /// No merchant account template with GUI `br.gov.bcb.pix`.
    #[error("no merchant account template (26-51) with GUI br.gov.bcb.pix")]
    MissingPixAccount,
    /// The GUI must be the template's first sub-field.
    #[error("GUI (00) must be the first sub-field of template {template:02}")]
    GuiNotFirst {
        /// The Pix template ID.
        template: u8,
    },
    /// A static code carries a key, a dynamic one a URL: never both.
    #[error("the Pix template has both a key (01) and a URL (25)")]
    KeyAndUrl,
    /// Neither a key nor a URL: nothing to pay.
    #[error("the Pix template has neither a key (01) nor a URL (25)")]
    MissingKeyOrUrl,
    /// The key is not in a DICT form.
    #[error("Pix key (26.01) is invalid: {0}")]
    InvalidKey(#[source] PixKeyError),
    /// The URL must be written without its scheme.
    #[error("URL (26.25) must not start with a scheme such as https://")]
    UrlHasScheme,
    /// MCC is four digits.
    #[error("merchant category code (52) is {value:?}, the rule is four digits")]
    MccInvalid {
        /// What was found.
        value: String,
    },
    /// Pix is in reais.
    #[error("transaction currency (53) is {value:?}, the rule is \"986\" (BRL)")]
    CurrencyNotBrl {
        /// What was found.
        value: String,
    },
    /// Field 54 holds at most 13 characters.
    #[error("transaction amount (54) is {len} characters, the maximum is {max}")]
    AmountTooLong {
        /// Actual length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Field 54 is digits with an optional `.` and one or two decimals.
    #[error("transaction amount (54) {value:?} is not a decimal like 10.50")]
    AmountInvalid {
        /// What was found.
        value: String,
    },
    /// A static code must not ask for zero.
    #[error("transaction amount (54) is zero in a static code")]
    AmountNotPositive,
    /// Pix codes are Brazilian.
    #[error("country code (58) is {value:?}, the rule is \"BR\"")]
    CountryNotBr {
        /// What was found.
        value: String,
    },
    /// Field 59 holds at most 25 characters.
    #[error("merchant name (59) is {len} characters, the maximum is {max}")]
    MerchantNameTooLong {
        /// Actual length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Field 60 holds at most 15 characters.
    #[error("merchant city (60) is {len} characters, the maximum is {max}")]
    MerchantCityTooLong {
        /// Actual length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Field 61 holds at most 10 characters (EMV).
    #[error("postal code (61) is {len} characters, the maximum is {max}")]
    PostalCodeTooLong {
        /// Actual length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// txid holds at most 25 characters.
    #[error("txid (62.05) is {len} characters, the maximum is {max}")]
    TxidTooLong {
        /// Actual length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// txid is `***` or letters and digits only.
    #[error("txid (62.05) has {ch:?} at position {position}: only A-Z, a-z, 0-9 (or exactly ***) are allowed")]
    TxidInvalidChar {
        /// The first offending character.
        ch: char,
        /// Its character position.
        position: usize,
    },
}

/// Either kind of failure, for [`crate::parse_strict`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// Not even structurally readable.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Readable but breaks a rule of the Pix manual.
    #[error(transparent)]
    Strict(#[from] StrictError),
}
