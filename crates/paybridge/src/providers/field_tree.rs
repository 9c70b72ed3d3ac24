//! Webhook bodies as a tree of text fields, whatever their encoding:
//! `application/x-www-form-urlencoded` with PHP-flattened keys
//! (`trans_items[0][item_id]=2`) and JSON (nested or with the same flattened
//! keys) decode to the same tree. JSON numbers keep the digits they were
//! written with, so `301.5` reais reach the money parser as text, never as a float.

use super::body_limits::{LimitError, Limits};
use super::json_scan::{unquote, ScanError, Scanner, Token};
use std::collections::BTreeMap;

/// A decoded body: text leaves under named groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A value (every value is text).
    Text(String),
    /// Named children; list items are named `0`, `1`, …
    Group(BTreeMap<String, Field>),
}

/// Why a body does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// No bytes at all.
    #[error("empty body")]
    Empty,
    /// Bytes (raw or percent-decoded) that are not UTF-8.
    #[error("body is not UTF-8")]
    NotUtf8,
    /// Not JSON.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// JSON, but not an object at the top.
    #[error("expected a JSON object at the top")]
    NotAnObject,
    /// A key whose brackets do not close (`a[0`, `a]`, `a[]`, `[x]`).
    #[error("malformed key {0:?}")]
    BrokenKey(String),
    /// The same key twice, or a key that is both a value and a group.
    #[error("conflicting key {0:?}")]
    Conflict(String),
    /// Past one of the hard limits every webhook body is held to.
    #[error("body over a limit: {0}")]
    Limit(#[from] LimitError),
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

impl Encoding {
    /// From a `Content-Type` header value (parameters ignored).
    pub fn from_content_type(ct: Option<&str>) -> Option<Encoding> {
        let essence = ct?.split(';').next()?.trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/json" => Some(Encoding::Json),
            "application/x-www-form-urlencoded" => Some(Encoding::Form),
            _ => None,
        }
    }
}

impl Field {
    /// The child named `key` of a group.
    pub fn get(&self, key: &str) -> Option<&Field> {
        match self {
            Field::Group(m) => m.get(key),
            Field::Text(_) => None,
        }
    }

    /// The text at a path of names; `None` when absent, a group, or blank.
    pub fn text(&self, path: &[&str]) -> Option<&str> {
        let mut cur = self;
        for p in path {
            cur = cur.get(p)?;
        }
        match cur {
            Field::Text(s) if !s.trim().is_empty() => Some(s.trim()),
            _ => None,
        }
    }

    /// The items of a list group in index order; `None` when a name is not an index.
    pub fn items(&self) -> Option<Vec<&Field>> {
        let Field::Group(m) = self else {
            return None;
        };
        let mut indexed = m
            .iter()
            .map(|(k, v)| k.parse::<usize>().ok().map(|i| (i, v)))
            .collect::<Option<Vec<_>>>()?;
        indexed.sort_by_key(|(i, _)| *i);
        Some(indexed.into_iter().map(|(_, v)| v).collect())
    }

    /// The tree as JSON (groups as objects, keys sorted): the same body sent
    /// as JSON or as a form gives the same value.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Field::Text(s) => serde_json::Value::String(s.clone()),
            Field::Group(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

/// Splits `a[b][0]` into `["a", "b", "0"]`.
pub fn key_path(key: &str) -> Result<Vec<String>, DecodeError> {
    let broken = || DecodeError::BrokenKey(key.to_owned());
    let (base, mut rest) = match key.find('[') {
        Some(i) => key.split_at(i),
        None => (key, ""),
    };
    if base.is_empty() || base.contains(']') || key.contains('\0') {
        return Err(broken());
    }
    let mut path = vec![base.to_owned()];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(broken)?;
        let close = inner.find(']').ok_or_else(broken)?;
        let seg = &inner[..close];
        if seg.is_empty() || seg.contains('[') {
            return Err(broken());
        }
        path.push(seg.to_owned());
        rest = &inner[close + 1..];
    }
    Ok(path)
}

fn insert(
    root: &mut BTreeMap<String, Field>,
    path: &[String],
    value: Field,
    key: &str,
) -> Result<(), DecodeError> {
    let conflict = || DecodeError::Conflict(key.to_owned());
    let (last, parents) = path.split_last().ok_or_else(conflict)?;
    let mut cur = root;
    for p in parents {
        let slot = cur
            .entry(p.clone())
            .or_insert_with(|| Field::Group(BTreeMap::new()));
        cur = match slot {
            Field::Group(m) => m,
            Field::Text(_) => return Err(conflict()),
        };
    }
    match (cur.get_mut(last), value) {
        (None, v) => {
            cur.insert(last.clone(), v);
            Ok(())
        }
        (Some(Field::Group(existing)), Field::Group(new)) => {
            for (k, v) in new {
                let full = format!("{key}[{k}]");
                insert(existing, &[k], v, &full)?;
            }
            Ok(())
        }
        _ => Err(conflict()),
    }
}

fn percent_decode(s: &str) -> Result<String, DecodeError> {
    let decoded = urlencoding::decode(&s.replace('+', " "))
        .map(|c| c.into_owned())
        .map_err(|_| DecodeError::NotUtf8)?;
    if decoded.contains('\0') {
        return Err(LimitError::Nul.into());
    }
    Ok(decoded)
}

fn utf8(body: &[u8]) -> Result<&str, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    std::str::from_utf8(body).map_err(|_| DecodeError::NotUtf8)
}

/// The `(key, value)` pairs of a form body, decoded, in order, each checked
/// against `limits` before the next is read.
fn form_pairs(
    text: &str,
    limits: Limits,
) -> impl Iterator<Item = Result<(String, String), DecodeError>> + '_ {
    text.split('&')
        .filter(|p| !p.is_empty())
        .enumerate()
        .map(move |(i, pair)| {
            if i >= limits.max_entries {
                return Err(LimitError::TooManyEntries(limits.max_entries).into());
            }
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            // A percent-encoded byte is three characters: anything longer
            // than this cannot decode to an acceptable key.
            if k.len() > 3 * limits.max_key_len {
                return Err(LimitError::KeyTooLong(limits.max_key_len).into());
            }
            let key = percent_decode(k)?;
            if key.len() > limits.max_key_len {
                return Err(LimitError::KeyTooLong(limits.max_key_len).into());
            }
            if key.matches('[').count() > limits.max_depth {
                return Err(LimitError::TooDeep(limits.max_depth).into());
            }
            Ok((key, percent_decode(v)?))
        })
}

fn scan_error(e: ScanError) -> DecodeError {
    match e {
        ScanError::Limit(l) => DecodeError::Limit(l),
        e => DecodeError::InvalidJson(e.to_string()),
    }
}

/// A scalar token as a field; `None` for `null`. Numbers keep their digits.
fn scalar(token: Token<'_>) -> Result<Option<Field>, DecodeError> {
    Ok(match token {
        Token::String(raw) => Some(Field::Text(unquote(raw).map_err(scan_error)?)),
        Token::Number(n) => Some(Field::Text(n.to_owned())),
        // PHP's form encoding of booleans.
        Token::True => Some(Field::Text("1".into())),
        Token::False => Some(Field::Text("0".into())),
        Token::Null => None,
        _ => unreachable!("only scalars reach here"),
    })
}

/// A container being filled while the JSON is read (no recursion).
enum Frame {
    Object {
        members: BTreeMap<String, Field>,
        pending: Option<String>,
    },
    Array {
        items: BTreeMap<String, Field>,
        next: usize,
    },
}

impl Frame {
    fn place(&mut self, value: Option<Field>) -> Result<(), DecodeError> {
        match self {
            Frame::Object { members, pending } => {
                let key = pending.take().expect("a member name precedes its value");
                if let Some(v) = value {
                    if members.contains_key(&key) {
                        return Err(DecodeError::Conflict(key));
                    }
                    members.insert(key, v);
                }
            }
            Frame::Array { items, next } => {
                if let Some(v) = value {
                    items.insert(next.to_string(), v);
                }
                *next += 1;
            }
        }
        Ok(())
    }

    fn into_field(self) -> Field {
        match self {
            Frame::Object { members, .. } => Field::Group(members),
            Frame::Array { items, .. } => Field::Group(items),
        }
    }
}

/// The top-level members of a JSON object body, each value already a tree.
fn json_members(text: &str, limits: Limits) -> Result<Vec<(String, Field)>, DecodeError> {
    let mut scanner = Scanner::new(text, limits);
    match scanner.next_token().map_err(scan_error)? {
        Some(Token::ObjectStart) => {}
        Some(_) => {
            scanner.check_all().map_err(scan_error)?;
            return Err(DecodeError::NotAnObject);
        }
        None => return Err(DecodeError::Empty),
    }
    let mut top: Vec<(String, Field)> = Vec::new();
    let mut top_key: Option<String> = None;
    // Containers below the top-level object.
    let mut stack: Vec<Frame> = Vec::new();
    while let Some(token) = scanner.next_token().map_err(scan_error)? {
        let done = match token {
            Token::Key(raw) => {
                let key = unquote(raw).map_err(scan_error)?;
                match stack.last_mut() {
                    Some(Frame::Object { pending, .. }) => *pending = Some(key),
                    Some(Frame::Array { .. }) => unreachable!("arrays hold no member names"),
                    None => top_key = Some(key),
                }
                None
            }
            Token::ObjectStart => {
                stack.push(Frame::Object {
                    members: BTreeMap::new(),
                    pending: None,
                });
                None
            }
            Token::ArrayStart => {
                stack.push(Frame::Array {
                    items: BTreeMap::new(),
                    next: 0,
                });
                None
            }
            // `None` when the top-level object closed: the scanner accepts
            // only whitespace after it.
            Token::ObjectEnd | Token::ArrayEnd => stack.pop().map(|frame| Some(frame.into_field())),
            scalar_token => Some(scalar(scalar_token)?),
        };
        if let Some(value) = done {
            match stack.last_mut() {
                Some(frame) => frame.place(value)?,
                None => {
                    let key = top_key.take().expect("a member name precedes its value");
                    if top.iter().any(|(k, _)| *k == key) {
                        return Err(DecodeError::Conflict(key));
                    }
                    if let Some(v) = value {
                        top.push((key, v));
                    }
                }
            }
        }
    }
    Ok(top)
}

/// Checks a body against `Limits::WEBHOOK` without building anything: the
/// same bound every webhook is held to before its provider reads it.
pub fn check(encoding: Encoding, body: &[u8]) -> Result<(), DecodeError> {
    let text = utf8(body)?;
    match encoding {
        Encoding::Json => Scanner::new(text, Limits::WEBHOOK)
            .check_all()
            .map_err(scan_error),
        Encoding::Form => form_pairs(text, Limits::WEBHOOK).try_for_each(|p| p.map(drop)),
    }
}

/// Decodes a whole body into its tree, within `Limits::WEBHOOK`.
pub fn decode(encoding: Encoding, body: &[u8]) -> Result<Field, DecodeError> {
    let text = utf8(body)?;
    let mut root = BTreeMap::new();
    match encoding {
        Encoding::Form => {
            for pair in form_pairs(text, Limits::WEBHOOK) {
                let (k, v) = pair?;
                insert(&mut root, &key_path(&k)?, Field::Text(v), &k)?;
            }
        }
        Encoding::Json => {
            for (k, f) in json_members(text, Limits::WEBHOOK)? {
                insert(&mut root, &key_path(&k)?, f, &k)?;
            }
        }
    }
    Ok(Field::Group(root))
}

/// One top-level text value, read without assembling the tree (so a
/// credential can be checked even when other keys are malformed). The whole
/// body is still read once against `Limits::WEBHOOK`, and a key given twice
/// is refused: the proof must not depend on which copy a reader keeps.
pub fn top_level_text(
    encoding: Encoding,
    body: &[u8],
    key: &str,
) -> Result<Option<String>, DecodeError> {
    let text = utf8(body)?;
    let mut found: Option<Option<String>> = None;
    let mut keep = |value: Option<String>| match found {
        Some(_) => Err(DecodeError::Conflict(key.to_owned())),
        None => {
            found = Some(value);
            Ok(())
        }
    };
    match encoding {
        Encoding::Form => {
            for pair in form_pairs(text, Limits::WEBHOOK) {
                let (k, v) = pair?;
                if k == key {
                    keep(Some(v))?;
                }
            }
        }
        Encoding::Json => {
            let mut scanner = Scanner::new(text, Limits::WEBHOOK);
            if scanner.next_token().map_err(scan_error)? != Some(Token::ObjectStart) {
                scanner.check_all().map_err(scan_error)?;
                return Err(DecodeError::NotAnObject);
            }
            let mut wanted = false;
            while let Some(token) = scanner.next_token().map_err(scan_error)? {
                match token {
                    Token::Key(raw) if scanner.depth() == 1 => {
                        wanted = unquote(raw).map_err(scan_error)? == key;
                    }
                    _ if wanted => {
                        wanted = false;
                        let value = match token {
                            Token::String(_) | Token::Number(_) | Token::True | Token::False => {
                                match scalar(token)? {
                                    Some(Field::Text(s)) => Some(s),
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        keep(value)?;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(found.flatten())
}

/// Encodes a tree as a PHP-flattened form body (tests use it to send the
/// same body both ways).
pub fn to_form(field: &Field) -> String {
    fn walk(prefix: &str, f: &Field, out: &mut Vec<String>) {
        match f {
            Field::Text(s) => out.push(format!(
                "{}={}",
                urlencoding::encode(prefix),
                urlencoding::encode(s)
            )),
            Field::Group(m) => {
                for (k, v) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}[{k}]")
                    };
                    walk(&key, v, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("", field, &mut out);
    out.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Field {
        Field::Text(s.into())
    }

    #[test]
    fn keys_split_or_fail() {
        assert_eq!(key_path("a").unwrap(), ["a"]);
        assert_eq!(
            key_path("trans_items[0][item_id]").unwrap(),
            ["trans_items", "0", "item_id"]
        );
        for bad in ["a[0", "a]", "a[]", "[x]", "a[0]x", "a[[0]]", "a[0]]", ""] {
            assert!(
                matches!(key_path(bad), Err(DecodeError::BrokenKey(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn form_and_json_give_the_same_tree() {
        let form = b"origin=tok&trans_items%5B0%5D%5Bitem_id%5D=2&trans_items[1][item_id]=3&product[id]=7&name=Ana+Souza&v=301.5";
        let json_flat = br#"{"origin":"tok","trans_items[0][item_id]":"2","trans_items[1][item_id]":3,"product[id]":"7","name":"Ana Souza","v":301.5}"#;
        let json_nested = br#"{"origin":"tok","trans_items":[{"item_id":2},{"item_id":"3"}],"product":{"id":7},"name":"Ana Souza","v":301.50, "gone": null}"#;
        let a = decode(Encoding::Form, form).unwrap();
        let b = decode(Encoding::Json, json_flat).unwrap();
        assert_eq!(a, b);
        let c = decode(Encoding::Json, json_nested).unwrap();
        assert_eq!(a.get("product"), c.get("product"));
        assert_eq!(c.text(&["v"]), Some("301.50"), "digits as written");
        let items = a.get("trans_items").unwrap().items().unwrap();
        assert_eq!(items[1].text(&["item_id"]), Some("3"));
        assert_eq!(decode(Encoding::Form, to_form(&a).as_bytes()).unwrap(), a);
    }

    #[test]
    fn list_items_come_in_index_order() {
        let t = decode(Encoding::Form, b"l[10]=c&l[2]=b&l[0]=a").unwrap();
        let items: Vec<_> = t
            .get("l")
            .unwrap()
            .items()
            .unwrap()
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(items, [text("a"), text("b"), text("c")]);
        let t = decode(Encoding::Form, b"l[0]=a&l[x]=b").unwrap();
        assert!(t.get("l").unwrap().items().is_none());
    }

    #[test]
    fn bad_bodies_are_named() {
        let cases: [(Encoding, &[u8], DecodeError); 9] = [
            (Encoding::Json, b"", DecodeError::Empty),
            (Encoding::Form, b"  ", DecodeError::Empty),
            (Encoding::Json, b"[1,2]", DecodeError::NotAnObject),
            (Encoding::Json, b"\"x\"", DecodeError::NotAnObject),
            (Encoding::Form, b"a=\xff", DecodeError::NotUtf8),
            (Encoding::Form, b"a=%ff%fe", DecodeError::NotUtf8),
            (Encoding::Json, b"{\"a\":\"\xff\"}", DecodeError::NotUtf8),
            (
                Encoding::Form,
                b"a=1&a=2",
                DecodeError::Conflict("a".into()),
            ),
            (
                Encoding::Form,
                b"a=1&a[b]=2",
                DecodeError::Conflict("a[b]".into()),
            ),
        ];
        for (enc, body, want) in cases {
            assert_eq!(
                decode(enc, body),
                Err(want),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        assert!(matches!(
            decode(Encoding::Json, b"{nope"),
            Err(DecodeError::InvalidJson(_))
        ));
        assert!(matches!(
            decode(Encoding::Form, b"trans_items[0[item_id]=2"),
            Err(DecodeError::BrokenKey(_))
        ));
    }

    #[test]
    fn a_credential_is_found_despite_broken_keys() {
        let body = b"origin=tok&trans_items[0[item_id]=2";
        assert_eq!(
            top_level_text(Encoding::Form, body, "origin").unwrap(),
            Some("tok".into())
        );
        assert_eq!(
            top_level_text(Encoding::Json, br#"{"origin": 12}"#, "origin").unwrap(),
            Some("12".into())
        );
        assert_eq!(
            top_level_text(Encoding::Json, br#"{"x": 1}"#, "origin").unwrap(),
            None
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(
            Encoding::from_content_type(Some("application/json; charset=utf-8")),
            Some(Encoding::Json)
        );
        assert_eq!(
            Encoding::from_content_type(Some("Application/X-WWW-Form-Urlencoded")),
            Some(Encoding::Form)
        );
        assert_eq!(Encoding::from_content_type(Some("text/plain")), None);
        assert_eq!(Encoding::from_content_type(None), None);
    }
}
