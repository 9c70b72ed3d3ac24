//! The lenient reader: structure and CRC only, borrowing every value.

use super::{Field, Fields, Reader};
use crate::crc;
use crate::error::ParseError;

/// The first break of "IDs ascend, none repeats, none is empty" seen while
/// reading a field list, recorded during the one parse pass so the strict
/// check does not read the payload again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeqIssue {
    Empty(u8),
    Duplicate(u8),
    Order { id: u8, previous: u8 },
}

/// Order facts about one field list (top level, Pix template or 62).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Sequence {
    pub(crate) first: Option<u8>,
    prev: Option<u8>,
    pub(crate) issue: Option<SeqIssue>,
}

impl Sequence {
    #[inline]
    fn push(&mut self, id: u8, empty: bool) {
        if self.issue.is_none() {
            self.issue = if empty {
                Some(SeqIssue::Empty(id))
            } else {
                match self.prev {
                    Some(p) if p == id => Some(SeqIssue::Duplicate(id)),
                    Some(p) if p > id => Some(SeqIssue::Order { id, previous: p }),
                    _ => None,
                }
            };
        }
        if self.first.is_none() {
            self.first = Some(id);
        }
        self.prev = Some(id);
    }
}

/// The Globally Unique Identifier that marks a Pix merchant account template.
pub const PIX_GUI: &str = "br.gov.bcb.pix";

/// The Pix merchant account template (one of IDs 26–51 whose GUI is
/// `br.gov.bcb.pix`), kept apart because the key or URL lives there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixAccount<'a> {
    pub(crate) id: u8,
    pub(crate) value: &'a str,
    pub(crate) gui: &'a str,
    pub(crate) key: Option<&'a str>,
    pub(crate) info: Option<&'a str>,
    pub(crate) fss: Option<&'a str>,
    pub(crate) url: Option<&'a str>,
    pub(crate) seq: Sequence,
}

impl<'a> PixAccount<'a> {
    /// Which template ID (26–51) carries the account; usually 26.
    pub fn id(&self) -> u8 {
        self.id
    }
    /// The GUI as written (any case is accepted).
    pub fn gui(&self) -> &'a str {
        self.gui
    }
    /// Every sub-field, including ones this crate does not interpret.
    pub fn fields(&self) -> Fields<'a> {
        Fields::new(self.value)
    }
}

/// A parsed BR Code. Every string borrows from the payload, so parsing does
/// not allocate; the payload itself is kept for the fields not interpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrCode<'a> {
    pub(crate) payload: &'a str,
    pub(crate) payload_format: Option<&'a str>,
    pub(crate) point_of_initiation: Option<&'a str>,
    pub(crate) pix: Option<PixAccount<'a>>,
    pub(crate) mcc: Option<&'a str>,
    pub(crate) currency: Option<&'a str>,
    pub(crate) amount: Option<&'a str>,
    pub(crate) country: Option<&'a str>,
    pub(crate) merchant_name: Option<&'a str>,
    pub(crate) merchant_city: Option<&'a str>,
    pub(crate) postal_code: Option<&'a str>,
    pub(crate) additional_data: Option<&'a str>,
    pub(crate) txid: Option<&'a str>,
    pub(crate) crc: u16,
    pub(crate) seq: Sequence,
    pub(crate) additional_seq: Sequence,
}

fn set_once<'a>(slot: &mut Option<&'a str>, value: &'a str) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Reads a Pix template candidate. `Ok(None)` means "not a Pix template"
/// (other GUI, or unreadable before any Pix GUI was seen); an error is only
/// reported once the template has shown itself to be Pix.
fn pix_account(id: u8, value: &str) -> Result<Option<PixAccount<'_>>, ParseError> {
    let mut acc = PixAccount {
        id,
        value,
        gui: "",
        key: None,
        info: None,
        fss: None,
        url: None,
        seq: Sequence::default(),
    };
    let mut is_pix = false;
    let mut reader = Reader::new(value, Some(id));
    loop {
        let field = match reader.next_field() {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if is_pix => return Err(e),
            Err(_) => return Ok(None),
        };
        acc.seq.push(field.id, field.value.is_empty());
        match field.id {
            0 if !is_pix => {
                if !field.value.eq_ignore_ascii_case(PIX_GUI) {
                    return Ok(None);
                }
                is_pix = true;
                acc.gui = field.value;
            }
            1 => set_once(&mut acc.key, field.value),
            2 => set_once(&mut acc.info, field.value),
            3 => set_once(&mut acc.fss, field.value),
            25 => set_once(&mut acc.url, field.value),
            _ => {}
        }
    }
    Ok(is_pix.then_some(acc))
}

/// Parses a payload leniently: TLV structure and CRC must hold, nothing
/// else is enforced, so any code a real bank app would read is accepted.
/// Use [`crate::parse_strict`] or [`BrCode::validate_strict`] for the
/// rules of the Pix manual.
pub fn parse(payload: &str) -> Result<BrCode<'_>, ParseError> {
    let bytes = payload.as_bytes();
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    // Check the CRC first when the payload ends like one: an altered byte
    // is then reported as what it most likely is.
    let n = bytes.len();
    let mut checked_crc = None;
    if n >= 8 && &bytes[n - 8..n - 4] == b"6304" {
        checked_crc = Some(check_crc(payload, n - 8)?);
    }
    let mut code = BrCode {
        payload,
        payload_format: None,
        point_of_initiation: None,
        pix: None,
        mcc: None,
        currency: None,
        amount: None,
        country: None,
        merchant_name: None,
        merchant_city: None,
        postal_code: None,
        additional_data: None,
        txid: None,
        crc: 0,
        seq: Sequence::default(),
        additional_seq: Sequence::default(),
    };
    let mut reader = Reader::new(payload, None);
    let mut crc_seen = false;
    loop {
        let offset = reader.pos();
        let Some(Field { id, value }) = reader.next_field()? else {
            break;
        };
        // The CRC is exempt from ordering: it is last, after 64-99.
        if id != 63 {
            code.seq.push(id, value.is_empty());
        }
        match id {
            0 => set_once(&mut code.payload_format, value),
            1 => set_once(&mut code.point_of_initiation, value),
            26..=51 if code.pix.is_none() => code.pix = pix_account(id, value)?,
            52 => set_once(&mut code.mcc, value),
            53 => set_once(&mut code.currency, value),
            54 => set_once(&mut code.amount, value),
            58 => set_once(&mut code.country, value),
            59 => set_once(&mut code.merchant_name, value),
            60 => set_once(&mut code.merchant_city, value),
            61 => set_once(&mut code.postal_code, value),
            62 if code.additional_data.is_none() => {
                code.additional_data = Some(value);
                let mut sub = Reader::new(value, Some(62));
                while let Some(f) = sub.next_field()? {
                    code.additional_seq.push(f.id, f.value.is_empty());
                    if f.id == 5 {
                        set_once(&mut code.txid, f.value);
                    }
                }
            }
            63 => {
                if reader.pos() != n {
                    return Err(ParseError::CrcNotLast { offset });
                }
                if value.len() != 4 {
                    return Err(ParseError::CrcLength { len: value.len() });
                }
                // Field 63 is last and 4 long, so it starts at n - 8: the
                // check above already ran unless the payload was odd.
                code.crc = match checked_crc {
                    Some(crc) => crc,
                    None => check_crc(payload, offset)?,
                };
                crc_seen = true;
            }
            _ => {}
        }
    }
    if !crc_seen {
        return Err(ParseError::MissingCrc);
    }
    Ok(code)
}

/// Checks field 63 starting at `offset` (which must be `6304XXXX` and end
/// the payload) against the CRC of everything up to and including `6304`.
fn check_crc(payload: &str, offset: usize) -> Result<u16, ParseError> {
    let bytes = payload.as_bytes();
    let digits = bytes.get(offset + 4..).ok_or(ParseError::MissingCrc)?;
    let found = crc::from_hex(digits).ok_or(ParseError::CrcNotHex)?;
    let computed = crc::crc16(&bytes[..offset + 4]);
    if found != computed {
        return Err(ParseError::CrcMismatch { found, computed });
    }
    Ok(found)
}

/// Reads an EMV amount (`10`, `10.5`, `10.50`) as cents; `None` if it is
/// not of that form or does not fit.
pub(crate) fn amount_to_cents(s: &str) -> Option<u64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || frac.len() > 2 || (s.contains('.') && frac.is_empty()) {
        return None;
    }
    let mut cents: u64 = 0;
    for b in int.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        cents = cents.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    let mut frac_digits = [b'0'; 2];
    for (slot, b) in frac_digits.iter_mut().zip(frac.bytes()) {
        if !b.is_ascii_digit() {
            return None;
        }
        *slot = b;
    }
    let frac_val = u64::from(frac_digits[0] - b'0') * 10 + u64::from(frac_digits[1] - b'0');
    cents.checked_mul(100)?.checked_add(frac_val)
}

fn is_interpreted(id: u8, pix_id: Option<u8>) -> bool {
    matches!(id, 0 | 1 | 52..=54 | 58..=63) || Some(id) == pix_id
}

impl<'a> BrCode<'a> {
    /// The whole payload this code was read from.
    pub fn payload(&self) -> &'a str {
        self.payload
    }
    /// Field 00 (`01` in every code seen so far).
    pub fn payload_format(&self) -> Option<&'a str> {
        self.payload_format
    }
    /// Field 01: `11` reusable, `12` single use; absent means reusable.
    pub fn point_of_initiation(&self) -> Option<&'a str> {
        self.point_of_initiation
    }
    /// The Pix merchant account template, if any.
    pub fn pix_account(&self) -> Option<&PixAccount<'a>> {
        self.pix.as_ref()
    }
    /// The GUI as written (`br.gov.bcb.pix` in any case).
    pub fn gui(&self) -> Option<&'a str> {
        self.pix.map(|p| p.gui)
    }
    /// The Pix key of a static code (26.01), as written.
    pub fn key(&self) -> Option<&'a str> {
        self.pix.and_then(|p| p.key)
    }
    /// The free text shown to the payer (26.02).
    pub fn info(&self) -> Option<&'a str> {
        self.pix.and_then(|p| p.info)
    }
    /// The payment service provider's ISPB (26.03), when present.
    pub fn fss(&self) -> Option<&'a str> {
        self.pix.and_then(|p| p.fss)
    }
    /// The payload location of a dynamic code (26.25), without scheme.
    pub fn url(&self) -> Option<&'a str> {
        self.pix.and_then(|p| p.url)
    }
    /// A dynamic code is fetched from its URL; a static one pays its key.
    pub fn is_dynamic(&self) -> bool {
        self.url().is_some()
    }
    /// Field 52, merchant category code (`0000` when unused).
    pub fn mcc(&self) -> Option<&'a str> {
        self.mcc
    }
    /// Field 53, ISO 4217 numeric currency (`986`).
    pub fn currency(&self) -> Option<&'a str> {
        self.currency
    }
    /// Field 54 exactly as written (`100.50`); see [`Self::amount_cents`].
    pub fn amount(&self) -> Option<&'a str> {
        self.amount
    }
    /// Field 54 in cents; `None` if absent or not a decimal with at most
    /// two places, so money never goes through floating point.
    pub fn amount_cents(&self) -> Option<u64> {
        self.amount.and_then(amount_to_cents)
    }
    /// Field 58, ISO 3166 country (`BR`).
    pub fn country(&self) -> Option<&'a str> {
        self.country
    }
    /// Field 59, the receiver's name as shown to the payer.
    pub fn merchant_name(&self) -> Option<&'a str> {
        self.merchant_name
    }
    /// Field 60, the receiver's city.
    pub fn merchant_city(&self) -> Option<&'a str> {
        self.merchant_city
    }
    /// Field 61, postal code (CEP).
    pub fn postal_code(&self) -> Option<&'a str> {
        self.postal_code
    }
    /// Field 62 raw; see [`Self::txid`] and [`Self::additional_data_fields`].
    pub fn additional_data(&self) -> Option<&'a str> {
        self.additional_data
    }
    /// Every sub-field of template 62.
    pub fn additional_data_fields(&self) -> Fields<'a> {
        Fields::new(self.additional_data.unwrap_or(""))
    }
    /// 62.05, the transaction ID used to reconcile the payment (`***` = none).
    pub fn txid(&self) -> Option<&'a str> {
        self.txid
    }
    /// Field 63, already checked against the payload.
    pub fn crc(&self) -> u16 {
        self.crc
    }
    /// Every top-level field in payload order.
    pub fn fields(&self) -> Fields<'a> {
        Fields::new(self.payload)
    }
    /// Unreserved templates (80–99), kept for the arrangements that use them.
    pub fn unreserved(&self) -> impl Iterator<Item = Field<'a>> + 'a {
        self.fields().filter(|f| (80..=99).contains(&f.id))
    }
    /// Top-level fields this crate does not interpret (other arrangements'
    /// accounts, RFU IDs, 55–57, 64…), kept rather than dropped; unreserved
    /// templates are listed by [`Self::unreserved`] instead.
    pub fn unknown(&self) -> impl Iterator<Item = Field<'a>> + 'a {
        let pix_id = self.pix.map(|p| p.id);
        self.fields()
            .filter(move |f| f.id < 80 && !is_interpreted(f.id, pix_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_cents() {
        assert_eq!(amount_to_cents("100.50"), Some(10050));
        assert_eq!(amount_to_cents("100.5"), Some(10050));
        assert_eq!(amount_to_cents("100"), Some(10000));
        assert_eq!(amount_to_cents("0.01"), Some(1));
        assert_eq!(amount_to_cents("1.234"), None);
        assert_eq!(amount_to_cents("1."), None);
        assert_eq!(amount_to_cents(".5"), None);
        assert_eq!(amount_to_cents("1,50"), None);
        assert_eq!(amount_to_cents("-1"), None);
        assert_eq!(amount_to_cents("99999999999999999999"), None);
    }
}
