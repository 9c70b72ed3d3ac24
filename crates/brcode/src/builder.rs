//! Writes canonical BR Codes: fields in ID order, amount with two decimals,
//! name and city ASCII-folded, upper-cased and cut to their limits, `***`
//! when there is no txid, upper-case CRC. Output always passes
//! [`crate::parse_strict`].

use crate::crc;
use crate::error::StrictError;
use crate::pix_key::PixKey;
use crate::strict::{
    check_txid, MERCHANT_CITY_MAX, MERCHANT_NAME_MAX, PAYLOAD_MAX, POSTAL_CODE_MAX,
};
use crate::tlv::parse::PIX_GUI;
use thiserror::Error;

/// Largest value one TLV field can hold.
const FIELD_MAX: usize = 99;
/// Largest amount that fits field 54's 13 characters (9 999 999 999.99).
pub const AMOUNT_CENTS_MAX: u64 = 999_999_999_999;

/// Why a code could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BuildError {
    /// Field 59 is mandatory (and nothing printable was left after folding).
    #[error("merchant name (59) is missing or empty")]
    MissingMerchantName,
    /// Field 60 is mandatory.
    #[error("merchant city (60) is missing or empty")]
    MissingMerchantCity,
    /// Static codes must ask for a positive amount or none.
    #[error("amount is zero: leave it unset to let the payer choose")]
    AmountZero,
    /// Over 13 characters once written.
    #[error("amount of {cents} cents does not fit field 54 (max {max} cents)")]
    AmountTooLarge {
        /// What was asked.
        cents: u64,
        /// The limit.
        max: u64,
    },
    /// The txid breaks the Pix rule.
    #[error("txid: {0}")]
    Txid(#[source] StrictError),
    /// Field 61 too long or not printable ASCII.
    #[error("postal code (61) must be 1-{max} printable ASCII characters, got {len}")]
    PostalCode {
        /// Characters given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The URL of a dynamic code is written without scheme.
    #[error("URL must be given without scheme (pix.example.com/…), got {0:?}")]
    UrlHasScheme(String),
    /// The URL is empty or not printable ASCII.
    #[error("URL must be non-empty printable ASCII")]
    UrlInvalid,
    /// Key + info (or URL) do not fit template 26's 99 characters.
    #[error("merchant account template (26) would be {len} characters, the maximum is {max}")]
    PixTemplateTooLong {
        /// What it would be.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Whole payload over the limit.
    #[error("payload would be {len} characters, the maximum is {max}")]
    PayloadTooLong {
        /// What it would be.
        len: usize,
        /// The limit.
        max: usize,
    },
}

#[derive(Debug, Clone)]
enum Target {
    Static(PixKey),
    Dynamic(String),
}

/// Builds a static (key) or dynamic (URL) BR Code.
#[derive(Debug, Clone)]
pub struct Builder {
    target: Target,
    amount_cents: Option<u64>,
    merchant_name: String,
    merchant_city: String,
    txid: Option<String>,
    info: Option<String>,
    postal_code: Option<String>,
    single_use: Option<bool>,
}

/// Replaces Latin-1 accented letters with their base letter, whitespace
/// with a space, drops anything else outside printable ASCII, trims, and
/// cuts to `max` characters: what payer apps display reliably.
pub fn ascii_fold(input: &str, upper: bool, max: usize) -> String {
    let mut out = String::with_capacity(input.len().min(max));
    let mut pending_space = false;
    for c in input.chars() {
        let c = match c {
            ' '..='~' => c,
            c if c.is_whitespace() => ' ',
            'À'..='Å' => 'A',
            'à'..='å' => 'a',
            'Ç' => 'C',
            'ç' => 'c',
            'È'..='Ë' => 'E',
            'è'..='ë' => 'e',
            'Ì'..='Ï' => 'I',
            'ì'..='ï' => 'i',
            'Ñ' => 'N',
            'ñ' => 'n',
            'Ò'..='Ö' | 'Ø' => 'O',
            'ò'..='ö' | 'ø' => 'o',
            'Ù'..='Ü' => 'U',
            'ù'..='ü' => 'u',
            'Ý' => 'Y',
            'ý' | 'ÿ' => 'y',
            _ => continue,
        };
        if c == ' ' {
            // Collapsed and trimmed: leading/trailing blanks waste the limit.
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            if out.len() + 1 >= max {
                break;
            }
            out.push(' ');
            pending_space = false;
        }
        if out.len() >= max {
            break;
        }
        out.push(if upper { c.to_ascii_uppercase() } else { c });
    }
    out
}

fn push_field(out: &mut String, id: u8, value: &str) {
    push_header(out, id, value.len());
    out.push_str(value);
}

fn push_header(out: &mut String, id: u8, len: usize) {
    let digits = [
        b'0' + id / 10,
        b'0' + id % 10,
        b'0' + (len / 10) as u8,
        b'0' + (len % 10) as u8,
    ];
    out.push_str(std::str::from_utf8(&digits).unwrap_or_default());
}

fn printable(s: &str) -> bool {
    s.bytes().all(|b| (0x20..=0x7E).contains(&b))
}

impl Builder {
    /// A static code: the payer's app pays `key` directly.
    pub fn new_static(key: PixKey) -> Builder {
        Builder::with_target(Target::Static(key))
    }

    /// A dynamic code: the payer's app fetches the charge from `url`
    /// (written without `https://`). Marked single use (01 = 12).
    pub fn new_dynamic(url: &str) -> Builder {
        let mut b = Builder::with_target(Target::Dynamic(url.to_owned()));
        b.single_use = Some(true);
        b
    }

    fn with_target(target: Target) -> Builder {
        Builder {
            target,
            amount_cents: None,
            merchant_name: String::new(),
            merchant_city: String::new(),
            txid: None,
            info: None,
            postal_code: None,
            single_use: None,
        }
    }

    /// Amount in cents; unset lets the payer type it.
    pub fn amount_cents(mut self, cents: u64) -> Self {
        self.amount_cents = Some(cents);
        self
    }

    /// Receiver's name; folded to upper-case ASCII, cut to 25.
    pub fn merchant_name(mut self, name: &str) -> Self {
        self.merchant_name = ascii_fold(name, true, MERCHANT_NAME_MAX);
        self
    }

    /// Receiver's city; folded to upper-case ASCII, cut to 15.
    pub fn merchant_city(mut self, city: &str) -> Self {
        self.merchant_city = ascii_fold(city, true, MERCHANT_CITY_MAX);
        self
    }

    /// Transaction ID for reconciliation: `***` or 1–25 letters/digits.
    pub fn txid(mut self, txid: &str) -> Self {
        self.txid = Some(txid.to_owned());
        self
    }

    /// Free text shown to the payer (static codes); ASCII-folded, and
    /// omitted when empty.
    pub fn info(mut self, info: &str) -> Self {
        let folded = ascii_fold(info, false, FIELD_MAX);
        self.info = (!folded.is_empty()).then_some(folded);
        self
    }

    /// CEP, field 61.
    pub fn postal_code(mut self, cep: &str) -> Self {
        self.postal_code = Some(cep.to_owned());
        self
    }

    /// Field 01: `12` (single use) or `11` (reusable); unset omits it.
    pub fn single_use(mut self, single: bool) -> Self {
        self.single_use = Some(single);
        self
    }

    /// Writes the payload.
    pub fn build(&self) -> Result<String, BuildError> {
        if self.merchant_name.is_empty() {
            return Err(BuildError::MissingMerchantName);
        }
        if self.merchant_city.is_empty() {
            return Err(BuildError::MissingMerchantCity);
        }
        let txid = self.txid.as_deref().unwrap_or("***");
        if txid.is_empty() {
            return Err(BuildError::Txid(StrictError::EmptyField {
                template: Some(62),
                id: 5,
            }));
        }
        check_txid(txid).map_err(BuildError::Txid)?;
        if let Some(cep) = &self.postal_code {
            if cep.is_empty() || cep.len() > POSTAL_CODE_MAX || !printable(cep) {
                return Err(BuildError::PostalCode {
                    len: cep.chars().count(),
                    max: POSTAL_CODE_MAX,
                });
            }
        }
        let (sub_id, sub_value) = match &self.target {
            Target::Static(key) => (1u8, key.as_str()),
            Target::Dynamic(url) => {
                if url.is_empty() || !printable(url) {
                    return Err(BuildError::UrlInvalid);
                }
                if url.contains("://") {
                    return Err(BuildError::UrlHasScheme(url.clone()));
                }
                (25u8, url.as_str())
            }
        };
        let info = match &self.target {
            Target::Static(_) => self.info.as_deref(),
            Target::Dynamic(_) => None,
        };
        let template_len =
            4 + PIX_GUI.len() + 4 + sub_value.len() + info.map_or(0, |i| 4 + i.len());
        if template_len > FIELD_MAX {
            return Err(BuildError::PixTemplateTooLong {
                len: template_len,
                max: FIELD_MAX,
            });
        }

        let mut out = String::with_capacity(256);
        out.push_str("000201");
        match self.single_use {
            Some(true) => out.push_str("010212"),
            Some(false) => out.push_str("010211"),
            None => {}
        }
        push_header(&mut out, 26, template_len);
        push_field(&mut out, 0, PIX_GUI);
        if sub_id == 1 {
            push_field(&mut out, 1, sub_value);
            if let Some(info) = info {
                push_field(&mut out, 2, info);
            }
        } else {
            push_field(&mut out, 25, sub_value);
        }
        out.push_str("52040000");
        out.push_str("5303986");
        if let Some(cents) = self.amount_cents {
            if cents == 0 && matches!(self.target, Target::Static(_)) {
                return Err(BuildError::AmountZero);
            }
            if cents > AMOUNT_CENTS_MAX {
                return Err(BuildError::AmountTooLarge {
                    cents,
                    max: AMOUNT_CENTS_MAX,
                });
            }
            write_amount(&mut out, cents);
        }
        out.push_str("5802BR");
        push_field(&mut out, 59, &self.merchant_name);
        push_field(&mut out, 60, &self.merchant_city);
        if let Some(cep) = &self.postal_code {
            push_field(&mut out, 61, cep);
        }
        push_header(&mut out, 62, 4 + txid.len());
        push_field(&mut out, 5, txid);
        out.push_str("6304");
        let len = out.len() + 4;
        if len > PAYLOAD_MAX {
            return Err(BuildError::PayloadTooLong {
                len,
                max: PAYLOAD_MAX,
            });
        }
        let sum = crc::to_hex(crc::crc16(out.as_bytes()));
        out.push_str(std::str::from_utf8(&sum).unwrap_or_default());
        Ok(out)
    }
}

/// Writes field 54 as `<int>.<2 decimals>` without going through floats.
fn write_amount(out: &mut String, cents: u64) {
    let mut buf = [0u8; 16];
    let mut i = buf.len();
    let mut n = cents;
    let mut digits = 0;
    while digits < 3 || n > 0 {
        if digits == 2 {
            i -= 1;
            buf[i] = b'.';
        }
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        digits += 1;
    }
    let s = std::str::from_utf8(&buf[i..]).unwrap_or_default();
    push_field(out, 54, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_two_decimals() {
        let cases = [
            (1, "0.01"),
            (10, "0.10"),
            (100, "1.00"),
            (10050, "100.50"),
            (AMOUNT_CENTS_MAX, "9999999999.99"),
        ];
        for (cents, text) in cases {
            let mut out = String::new();
            write_amount(&mut out, cents);
            assert_eq!(out, format!("54{:02}{text}", text.len()));
        }
    }

    #[test]
    fn folding() {
        assert_eq!(
            ascii_fold("  São  João\tdo Açaí ", true, 25),
            "SAO JOAO DO ACAI"
        );
        assert_eq!(ascii_fold("Ñandú € ü", false, 25), "Nandu u");
        assert_eq!(
            ascii_fold("Belo Horizonte Metropolitana", true, 15),
            "BELO HORIZONTE"
        );
        assert_eq!(ascii_fold("ABCDEFGHIJKLMNOPQ", true, 15), "ABCDEFGHIJKLMNO");
        assert_eq!(ascii_fold("€€€", true, 15), "");
    }
}
