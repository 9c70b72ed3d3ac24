//! An iterative JSON reader with hard limits, for bodies nobody has proven
//! yet. It walks the bytes once with an explicit stack bounded by
//! [`Limits::max_depth`], so no input, however nested, costs more than one
//! linear pass or a deep call stack; every limit it enforces is named in the
//! error. Recursive readers (serde) only ever see bodies this has accepted.

use super::body_limits::{LimitError, Limits};

/// One step of a JSON document, borrowing from the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// `{`
    ObjectStart,
    /// `}`
    ObjectEnd,
    /// `[`
    ArrayStart,
    /// `]`
    ArrayEnd,
    /// An object member's name, still quoted and escaped as written.
    Key(&'a str),
    /// A string value, still quoted and escaped as written.
    String(&'a str),
    /// A number, as written.
    Number(&'a str),
    /// `true`
    True,
    /// `false`
    False,
    /// `null`
    Null,
}

/// Why a body is not JSON we read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// A hard limit was passed.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// Not JSON.
    #[error("invalid JSON at byte {at}: {what}")]
    Syntax {
        /// Offset of the offending byte.
        at: usize,
        /// What was expected or found.
        what: &'static str,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (top level, or after `:`).
    Value,
    /// A value or `]` (just after `[`).
    ValueOrEnd,
    /// A member name or `}` (just after `{`).
    KeyOrEnd,
    /// A member name (after `,` in an object).
    Key,
    /// `:` after a member name.
    Colon,
    /// `,` or the end of the enclosing container.
    CommaOrEnd,
    /// Only whitespace may follow.
    Done,
}

/// Pull reader over a UTF-8 body.
pub struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    /// `true` for an object, `false` for an array.
    stack: Vec<bool>,
    expect: Expect,
    entries: usize,
    limits: Limits,
}

impl<'a> Scanner<'a> {
    /// A reader over `text` that enforces `limits`.
    pub fn new(text: &'a str, limits: Limits) -> Scanner<'a> {
        Scanner {
            text,
            pos: 0,
            stack: Vec::new(),
            expect: Expect::Value,
            entries: 0,
            limits,
        }
    }

    /// How deep the reader is: 0 at the top, 1 inside the outer container.
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    fn syntax(&self, what: &'static str) -> ScanError {
        ScanError::Syntax { at: self.pos, what }
    }

    fn skip_ws(&mut self) {
        let b = self.text.as_bytes();
        while self.pos < b.len() && matches!(b[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn count_entry(&mut self) -> Result<(), ScanError> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(LimitError::TooManyEntries(self.limits.max_entries).into());
        }
        Ok(())
    }

    fn open(&mut self, object: bool) -> Result<(), ScanError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(LimitError::TooDeep(self.limits.max_depth).into());
        }
        self.stack.push(object);
        self.pos += 1;
        self.expect = if object {
            Expect::KeyOrEnd
        } else {
            Expect::ValueOrEnd
        };
        Ok(())
    }

    fn close(&mut self) {
        self.stack.pop();
        self.pos += 1;
        self.after_value();
    }

    fn after_value(&mut self) {
        self.expect = if self.stack.is_empty() {
            Expect::Done
        } else {
            Expect::CommaOrEnd
        };
    }

    /// A quoted string starting at `pos`; returns it with its quotes.
    fn string(&mut self, key: bool) -> Result<&'a str, ScanError> {
        let b = self.text.as_bytes();
        let start = self.pos;
        let mut i = start + 1;
        loop {
            match b.get(i) {
                None => return Err(self.syntax("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => match b.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        let hex = b
                            .get(i + 2..i + 6)
                            .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                        match hex {
                            Some(b"0000") => return Err(LimitError::Nul.into()),
                            Some(_) => i += 6,
                            None => {
                                self.pos = i;
                                return Err(self.syntax("bad \\u escape"));
                            }
                        }
                    }
                    _ => {
                        self.pos = i;
                        return Err(self.syntax("bad escape"));
                    }
                },
                Some(0) => return Err(LimitError::Nul.into()),
                Some(c) if *c < 0x20 => {
                    self.pos = i;
                    return Err(self.syntax("control character in string"));
                }
                Some(_) => i += 1,
            }
        }
        let inner = i - start - 1;
        if key && inner > self.limits.max_key_len {
            return Err(LimitError::KeyTooLong(self.limits.max_key_len).into());
        }
        self.pos = i + 1;
        Ok(&self.text[start..=i])
    }

    fn number(&mut self) -> Result<&'a str, ScanError> {
        let b = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => return Err(self.syntax("expected a value")),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                self.pos = i;
                return Err(self.syntax("digit expected after '.'"));
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                self.pos = i;
                return Err(self.syntax("digit expected in exponent"));
            }
        }
        if i - start > self.limits.max_number_len {
            return Err(LimitError::NumberTooLong(self.limits.max_number_len).into());
        }
        self.pos = i;
        Ok(&self.text[start..i])
    }

    fn literal(&mut self, word: &'static str, token: Token<'a>) -> Result<Token<'a>, ScanError> {
        if self.text.as_bytes()[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(token)
        } else {
            Err(self.syntax("expected a value"))
        }
    }

    fn value(&mut self) -> Result<Token<'a>, ScanError> {
        let token = match self.text.as_bytes().get(self.pos) {
            Some(b'{') => {
                self.open(true)?;
                return Ok(Token::ObjectStart);
            }
            Some(b'[') => {
                self.open(false)?;
                return Ok(Token::ArrayStart);
            }
            Some(b'"') => Token::String(self.string(false)?),
            Some(b't') => self.literal("true", Token::True)?,
            Some(b'f') => self.literal("false", Token::False)?,
            Some(b'n') => self.literal("null", Token::Null)?,
            Some(_) => Token::Number(self.number()?),
            None => return Err(self.syntax("unexpected end of body")),
        };
        self.after_value();
        Ok(token)
    }

    /// The next token, `None` at the end of a complete document.
    pub fn next_token(&mut self) -> Result<Option<Token<'a>>, ScanError> {
        loop {
            self.skip_ws();
            let here = self.text.as_bytes().get(self.pos).copied();
            match (self.expect, here) {
                (Expect::Done, None) => return Ok(None),
                (Expect::Done, Some(_)) => return Err(self.syntax("trailing characters")),
                (Expect::Value, _) => return self.value().map(Some),
                (Expect::ValueOrEnd, Some(b']')) | (Expect::CommaOrEnd, Some(b']'))
                    if self.stack.last() == Some(&false) =>
                {
                    self.close();
                    return Ok(Some(Token::ArrayEnd));
                }
                (Expect::KeyOrEnd, Some(b'}')) | (Expect::CommaOrEnd, Some(b'}'))
                    if self.stack.last() == Some(&true) =>
                {
                    self.close();
                    return Ok(Some(Token::ObjectEnd));
                }
                (Expect::ValueOrEnd, _) => {
                    self.count_entry()?;
                    return self.value().map(Some);
                }
                (Expect::KeyOrEnd | Expect::Key, Some(b'"')) => {
                    self.count_entry()?;
                    let key = self.string(true)?;
                    self.expect = Expect::Colon;
                    return Ok(Some(Token::Key(key)));
                }
                (Expect::KeyOrEnd | Expect::Key, _) => {
                    return Err(self.syntax("expected a member name"))
                }
                (Expect::Colon, Some(b':')) => {
                    self.pos += 1;
                    self.expect = Expect::Value;
                }
                (Expect::Colon, _) => return Err(self.syntax("expected ':'")),
                (Expect::CommaOrEnd, Some(b',')) => {
                    self.pos += 1;
                    if self.stack.last() == Some(&true) {
                        self.expect = Expect::Key;
                    } else {
                        self.count_entry()?;
                        self.skip_ws();
                        return self.value().map(Some);
                    }
                }
                (Expect::CommaOrEnd, _) => {
                    return Err(self.syntax("expected ',' or a closing bracket"))
                }
            }
        }
    }

    /// Reads to the end, checking the whole document against the limits.
    pub fn check_all(mut self) -> Result<(), ScanError> {
        while self.next_token()?.is_some() {}
        Ok(())
    }
}

/// The text of a quoted JSON string token, unescaped.
pub fn unquote(raw: &str) -> Result<String, ScanError> {
    let inner = &raw[1..raw.len() - 1];
    if !inner.contains('\\') {
        return Ok(inner.to_owned());
    }
    // Escapes were checked by the scanner; serde_json decodes them (and
    // refuses lone surrogates). A single string: no recursion.
    serde_json::from_str(raw).map_err(|_| ScanError::Syntax {
        at: 0,
        what: "invalid escape in string",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Result<Vec<Token<'_>>, ScanError> {
        let mut sc = Scanner::new(s, Limits::WEBHOOK);
        let mut out = Vec::new();
        while let Some(t) = sc.next_token()? {
            out.push(t);
        }
        Ok(out)
    }

    #[test]
    fn reads_every_kind_of_token() {
        use Token::*;
        assert_eq!(
            tokens(r#" {"a": [1, -2.5e3, "x\"y", true, false, null, {}], "b": {"c": []}} "#)
                .unwrap(),
            [
                ObjectStart,
                Key(r#""a""#),
                ArrayStart,
                Number("1"),
                Number("-2.5e3"),
                String(r#""x\"y""#),
                True,
                False,
                Null,
                ObjectStart,
                ObjectEnd,
                ArrayEnd,
                Key(r#""b""#),
                ObjectStart,
                Key(r#""c""#),
                ArrayStart,
                ArrayEnd,
                ObjectEnd,
                ObjectEnd,
            ]
        );
        assert_eq!(tokens("12").unwrap(), [Number("12")]);
        assert_eq!(unquote(r#""a\u00e9\n""#).unwrap(), "aé\n");
    }

    #[test]
    fn agrees_with_serde_json_on_what_is_json() {
        let cases = [
            "{}",
            "[]",
            "[1,]",
            "{,}",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "[1 2]",
            "01",
            "1.",
            "1e",
            "-",
            "tru",
            "nul",
            "\"abc",
            "{\"a\":1}}",
            "[[]",
            "]",
            "\"\\x\"",
            "\"\\u12\"",
            "{} x",
            "  ",
            "",
            "[\"\t\"]",
            "1.5E+3",
            "-0",
            "[{\"a\":[{\"b\":null}]}]",
            "{\"a\":1 \"b\":2}",
        ];
        for case in cases {
            let ours = Scanner::new(case, Limits::WEBHOOK).check_all().is_ok();
            let serde = serde_json::from_str::<serde_json::Value>(case).is_ok();
            assert_eq!(ours, serde, "{case:?}");
        }
    }

    #[test]
    fn hostile_documents_stop_at_a_named_limit() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let wide = format!(
            "{{{}}}",
            (0..100_000)
                .map(|i| format!("\"k{i}\":1"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let long_key = format!("{{\"{}\":1}}", "k".repeat(1_000_000));
        let long_number = format!("[{}]", "9".repeat(10_000));
        let cases: [(&str, String, LimitError); 5] = [
            ("deep", deep, LimitError::TooDeep(Limits::WEBHOOK.max_depth)),
            (
                "wide",
                wide,
                LimitError::TooManyEntries(Limits::WEBHOOK.max_entries),
            ),
            (
                "long key",
                long_key,
                LimitError::KeyTooLong(Limits::WEBHOOK.max_key_len),
            ),
            (
                "long number",
                long_number,
                LimitError::NumberTooLong(Limits::WEBHOOK.max_number_len),
            ),
            (
                "escaped NUL",
                r#"{"a":"x\u0000"}"#.to_owned(),
                LimitError::Nul,
            ),
        ];
        for (name, body, want) in cases {
            let got = Scanner::new(&body, Limits::WEBHOOK).check_all();
            assert_eq!(got, Err(ScanError::Limit(want)), "{name}");
        }
    }
}
