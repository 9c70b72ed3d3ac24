//! The strict level: every rule of the BCB Pix manual (Manual de Padrões
//! para Iniciação do Pix, BR Code chapter) on top of the lenient parse.

use crate::error::{Error, StrictError};
use crate::pix_key;
use crate::tlv::parse::{amount_to_cents, parse, BrCode, SeqIssue, Sequence};

/// Maximum length of a whole payload.
pub const PAYLOAD_MAX: usize = 512;
/// Maximum length of field 54.
pub const AMOUNT_MAX: usize = 13;
/// Maximum length of field 59.
pub const MERCHANT_NAME_MAX: usize = 25;
/// Maximum length of field 60.
pub const MERCHANT_CITY_MAX: usize = 15;
/// Maximum length of field 61 (EMV).
pub const POSTAL_CODE_MAX: usize = 10;
/// Maximum length of 62.05.
pub const TXID_MAX: usize = 25;

/// Parses and applies every strict rule: what a code generator must emit.
pub fn parse_strict(payload: &str) -> Result<BrCode<'_>, Error> {
    let code = parse(payload)?;
    code.validate_strict()?;
    Ok(code)
}

/// Turns the first order problem seen while parsing into its error.
fn check_sequence(seq: &Sequence, template: Option<u8>) -> Result<(), StrictError> {
    match seq.issue {
        None => Ok(()),
        Some(SeqIssue::Empty(id)) => Err(StrictError::EmptyField { template, id }),
        Some(SeqIssue::Duplicate(id)) => Err(StrictError::DuplicateField { template, id }),
        Some(SeqIssue::Order { id, previous }) => Err(StrictError::FieldOrder {
            template,
            id,
            previous,
        }),
    }
}

/// `***`, or 1–25 ASCII letters and digits.
pub(crate) fn check_txid(txid: &str) -> Result<(), StrictError> {
    if txid == "***" {
        return Ok(());
    }
    let len = txid.chars().count();
    if len > TXID_MAX {
        return Err(StrictError::TxidTooLong { len, max: TXID_MAX });
    }
    if let Some((position, ch)) = txid
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
    {
        return Err(StrictError::TxidInvalidChar { ch, position });
    }
    // Empty is impossible here: check_sequence rejects empty fields first,
    // but keep the rule local too.
    if len == 0 {
        return Err(StrictError::EmptyField {
            template: Some(62),
            id: 5,
        });
    }
    Ok(())
}

fn missing(id: &'static str, name: &'static str) -> StrictError {
    StrictError::MissingField { id, name }
}

fn max_len(
    value: &str,
    max: usize,
    err: fn(usize, usize) -> StrictError,
) -> Result<(), StrictError> {
    let len = value.chars().count();
    if len > max {
        Err(err(len, max))
    } else {
        Ok(())
    }
}

impl BrCode<'_> {
    /// Applies every rule of the Pix manual; see [`StrictError`] for the
    /// list. Lenient parsing stays the default because real apps must read
    /// codes that bend these rules.
    pub fn validate_strict(&self) -> Result<(), StrictError> {
        let payload = self.payload;
        // Branch-free fold first (the compiler vectorizes it); find the
        // offset only on failure.
        let printable = payload
            .bytes()
            .fold(true, |ok, b| ok & (b.wrapping_sub(0x20) < 0x5F));
        if !printable {
            let offset = payload
                .bytes()
                .position(|b| !(0x20..=0x7E).contains(&b))
                .unwrap_or_default();
            return Err(StrictError::NotPrintableAscii { offset });
        }
        if payload.len() > PAYLOAD_MAX {
            return Err(StrictError::PayloadTooLong {
                len: payload.len(),
                max: PAYLOAD_MAX,
            });
        }
        if self.seq.first != Some(0) {
            return Err(StrictError::PayloadFormatNotFirst);
        }
        check_sequence(&self.seq, None)?;
        match self.payload_format {
            Some("01") => {}
            other => {
                return Err(StrictError::PayloadFormatInvalid {
                    value: other.unwrap_or_default().to_owned(),
                })
            }
        }
        if let Some(poi) = self.point_of_initiation {
            if poi != "11" && poi != "12" {
                return Err(StrictError::PointOfInitiationInvalid {
                    value: poi.to_owned(),
                });
            }
        }

        let pix = self.pix.ok_or(StrictError::MissingPixAccount)?;
        if pix.seq.first != Some(0) {
            return Err(StrictError::GuiNotFirst { template: pix.id });
        }
        check_sequence(&pix.seq, Some(pix.id))?;
        match (pix.key, pix.url) {
            (Some(_), Some(_)) => return Err(StrictError::KeyAndUrl),
            (None, None) => return Err(StrictError::MissingKeyOrUrl),
            (Some(key), None) => {
                pix_key::validate(key).map_err(StrictError::InvalidKey)?;
            }
            (None, Some(url)) => {
                if url.contains("://") {
                    return Err(StrictError::UrlHasScheme);
                }
            }
        }

        let mcc = self
            .mcc
            .ok_or_else(|| missing("52", "merchant category code"))?;
        if mcc.len() != 4 || !mcc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StrictError::MccInvalid {
                value: mcc.to_owned(),
            });
        }
        let currency = self
            .currency
            .ok_or_else(|| missing("53", "transaction currency"))?;
        if currency != "986" {
            return Err(StrictError::CurrencyNotBrl {
                value: currency.to_owned(),
            });
        }
        if let Some(amount) = self.amount {
            max_len(amount, AMOUNT_MAX, |len, max| StrictError::AmountTooLong {
                len,
                max,
            })?;
            let cents = amount_to_cents(amount).ok_or_else(|| StrictError::AmountInvalid {
                value: amount.to_owned(),
            })?;
            if cents == 0 && !self.is_dynamic() {
                return Err(StrictError::AmountNotPositive);
            }
        }
        let country = self.country.ok_or_else(|| missing("58", "country code"))?;
        if country != "BR" {
            return Err(StrictError::CountryNotBr {
                value: country.to_owned(),
            });
        }
        let name = self
            .merchant_name
            .ok_or_else(|| missing("59", "merchant name"))?;
        max_len(name, MERCHANT_NAME_MAX, |len, max| {
            StrictError::MerchantNameTooLong { len, max }
        })?;
        let city = self
            .merchant_city
            .ok_or_else(|| missing("60", "merchant city"))?;
        max_len(city, MERCHANT_CITY_MAX, |len, max| {
            StrictError::MerchantCityTooLong { len, max }
        })?;
        if let Some(cep) = self.postal_code {
            max_len(cep, POSTAL_CODE_MAX, |len, max| {
                StrictError::PostalCodeTooLong { len, max }
            })?;
        }
        if self.additional_data.is_none() {
            return Err(missing("62", "additional data field template"));
        }
        check_sequence(&self.additional_seq, Some(62))?;
        let txid = self
            .txid
            .ok_or_else(|| missing("62.05", "reference label (txid)"))?;
        check_txid(txid)
    }
}
