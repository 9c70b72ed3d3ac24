//! The EMV TLV layer: two-digit ID, two-digit length, value. Borrowing only.

pub(crate) mod parse;

use crate::error::{ParseError, TlvErrorKind};

/// One TLV data object, borrowed from the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The two-digit ID as a number (0–99).
    pub id: u8,
    /// The value, exactly as written.
    pub value: &'a str,
}

#[inline]
fn two_digits(b: &[u8]) -> Option<u8> {
    let (h, l) = (b[0].wrapping_sub(b'0'), b[1].wrapping_sub(b'0'));
    (h < 10 && l < 10).then(|| h * 10 + l)
}

/// Reads TLV fields one after another, reporting the first malformed one.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    input: &'a str,
    pos: usize,
    template: Option<u8>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a str, template: Option<u8>) -> Self {
        Reader {
            input,
            pos: 0,
            template,
        }
    }

    /// Byte offset of the next field.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    fn err(&self, kind: TlvErrorKind) -> ParseError {
        ParseError::Tlv {
            template: self.template,
            offset: self.pos,
            kind,
        }
    }

    /// The next field, `Ok(None)` at the end.
    #[inline]
    pub(crate) fn next_field(&mut self) -> Result<Option<Field<'a>>, ParseError> {
        let bytes = self.input.as_bytes();
        let rest = bytes.len() - self.pos;
        if rest == 0 {
            return Ok(None);
        }
        let Some(header) = bytes.get(self.pos..self.pos + 4) else {
            return Err(self.err(TlvErrorKind::TruncatedHeader));
        };
        let id = two_digits(&header[..2]).ok_or_else(|| self.err(TlvErrorKind::InvalidId))?;
        let len = two_digits(&header[2..])
            .ok_or_else(|| self.err(TlvErrorKind::InvalidLength { id }))?
            as usize;
        let start = self.pos + 4;
        if len > bytes.len() - start {
            return Err(self.err(TlvErrorKind::TruncatedValue {
                id,
                len,
                available: bytes.len() - start,
            }));
        }
        let value = self
            .input
            .get(start..start + len)
            .ok_or_else(|| self.err(TlvErrorKind::SplitCharacter { id }))?;
        self.pos = start + len;
        Ok(Some(Field { id, value }))
    }
}

/// Iterates the fields of a payload or template value that has already been
/// parsed; it stops quietly at the first malformed field instead of failing,
/// because the parse that produced it has already reported any error.
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    reader: Reader<'a>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(input: &'a str) -> Self {
        Fields {
            reader: Reader::new(input, None),
        }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        self.reader.next_field().ok().flatten()
    }
}

/// Iterates the TLV fields of any string (a whole payload or a template's
/// value), for callers that need fields this crate does not interpret.
pub fn fields(input: &str) -> Fields<'_> {
    Fields::new(input)
}
