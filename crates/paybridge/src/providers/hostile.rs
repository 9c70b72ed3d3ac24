//! Hostile webhook bodies, each just under the 1 MiB body limit: nesting
//! 10⁴ deep, 10⁵ keys, a 1 MB key, NUL bytes (raw and escaped), invalid
//! UTF-8, a number of 10⁴ digits. The provider tests, the black-box test
//! and the fuzz seed corpus all send these same bodies.

/// Nesting depth of the deep cases.
pub const N_DEEP: usize = 10_000;
/// Keys of the wide cases.
pub const N_KEYS: usize = 100_000;
/// Bytes of the long key.
pub const KEY_BYTES: usize = 1_000_000;
/// Digits of the long number.
pub const DIGITS: usize = 10_000;

/// A distinct three-character key for each `i` below 62³, so 10⁵ keys fit
/// well under the body limit.
fn short_key(i: usize) -> String {
    const ALPHABET: &[u8; 62] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    [i / (62 * 62), (i / 62) % 62, i % 62]
        .iter()
        .map(|d| ALPHABET[*d] as char)
        .collect()
}

/// A hostile JSON body, with `prefix` (`"origin":"…",` or empty) as its first members.
pub fn json_case(name: &str, prefix: &str) -> Vec<u8> {
    let mut b = format!("{{{prefix}").into_bytes();
    match name {
        "deep" => {
            b.extend(b"\"x\":");
            b.extend(std::iter::repeat_n(b'[', N_DEEP));
            b.extend(std::iter::repeat_n(b']', N_DEEP));
        }
        "keys" => {
            let members: Vec<String> = (0..N_KEYS)
                .map(|i| format!("\"{}\":0", short_key(i)))
                .collect();
            b.extend(members.join(",").as_bytes());
        }
        "long key" => {
            b.push(b'"');
            b.extend(std::iter::repeat_n(b'k', KEY_BYTES));
            b.extend(b"\":1");
        }
        "NUL" => b.extend(b"\"x\":\"a\0b\""),
        "escaped NUL" => b.extend(br#""x":"a\u0000b""#),
        "invalid UTF-8" => b.extend(b"\"x\":\"\xff\xfe\""),
        "digits" => {
            b.extend(b"\"x\":");
            b.extend(std::iter::repeat_n(b'9', DIGITS));
        }
        other => unreachable!("{other}"),
    }
    b.push(b'}');
    b
}

/// A hostile form body, after `prefix` (`origin=…&` or empty).
pub fn form_case(name: &str, prefix: &str) -> Vec<u8> {
    let mut b = prefix.as_bytes().to_vec();
    match name {
        "deep" => {
            b.push(b'a');
            b.extend("[a]".repeat(N_DEEP).as_bytes());
            b.extend(b"=1");
        }
        "keys" => {
            let pairs: Vec<String> = (0..N_KEYS).map(|i| format!("{}=", short_key(i))).collect();
            b.extend(pairs.join("&").as_bytes());
        }
        "long key" => {
            b.extend(std::iter::repeat_n(b'k', KEY_BYTES));
            b.extend(b"=1");
        }
        "NUL" => b.extend(b"x=a\0b"),
        "escaped NUL" => b.extend(b"x=a%00b"),
        "invalid UTF-8" => b.extend(b"x=%ff%fe"),
        "digits" => {
            b.extend(b"type=invoice&trans_cod=9&trans_status=3&trans_value=");
            b.extend(std::iter::repeat_n(b'9', DIGITS));
        }
        other => unreachable!("{other}"),
    }
    b
}

/// Every case, by name.
pub const CASES: [&str; 7] = [
    "deep",
    "keys",
    "long key",
    "NUL",
    "escaped NUL",
    "invalid UTF-8",
    "digits",
];
