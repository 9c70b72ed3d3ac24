//! The one error type of the client.

use serde_json::Value;
use std::time::Duration;

/// What can go wrong talking to Woovi.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Woovi answered with an error status and (usually) an `error` body.
    #[error("Woovi API error {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Woovi's message (array messages joined with "; ").
        message: String,
        /// Woovi's machine code, when it sends one.
        code: Option<String>,
    },
    /// 401: the appID is wrong, revoked, or this IP is not allowed.
    #[error("Woovi rejected the appID (wrong, revoked, or IP not allowed): {message}")]
    Unauthorized {
        /// Woovi's message.
        message: String,
    },
    /// 429 after the retries were used up.
    #[error("Woovi rate limit hit (retry after {retry_after:?})")]
    RateLimited {
        /// Value of `Retry-After`, when sent.
        retry_after: Option<Duration>,
    },
    /// Connection, TLS or timeout failure.
    #[error("transport error talking to Woovi: {0}")]
    Transport(#[source] reqwest::Error),
    /// The body was not the JSON expected.
    #[error("could not decode Woovi's answer ({source}); body starts with: {body_snippet}")]
    Decode {
        /// First bytes of the body, for the log.
        body_snippet: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A bad argument or configuration, caught before any request.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

impl Error {
    /// Whether repeating the same request may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport(_) | Error::RateLimited { .. } => true,
            Error::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// Builds the error for a non-2xx answer from its status and body.
///
/// Woovi answers errors in three shapes: `{"error": "…"}`,
/// `{"error": ["…", {"message": "…"}]}` and `{"error": {"message": "…", "code": "…"}}`;
/// some also carry a top-level `code` or `message`.
pub(crate) fn api_error(status: u16, body: &[u8]) -> Error {
    let (message, code) = parse_error_body(body);
    let message = message.unwrap_or_else(|| {
        let text = snippet(body);
        if text.is_empty() {
            format!("HTTP {status}")
        } else {
            text
        }
    });
    if status == 401 {
        return Error::Unauthorized { message };
    }
    Error::Api {
        status,
        message,
        code,
    }
}

fn parse_error_body(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(body) else {
        return (None, None);
    };
    let mut code = m.get("code").and_then(scalar);
    let message = match m.get("error").or_else(|| m.get("errors")) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(items)) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    Value::Object(o) => {
                        if code.is_none() {
                            code = o.get("code").and_then(scalar);
                        }
                        o.get("message").or_else(|| o.get("error")).and_then(scalar)
                    }
                    other => scalar(other),
                })
                .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Some(Value::Object(o)) => {
            if code.is_none() {
                code = o.get("code").and_then(scalar);
            }
            o.get("message").or_else(|| o.get("error")).and_then(scalar)
        }
        _ => None,
    };
    let message = message.or_else(|| m.get("message").and_then(scalar));
    (message, code)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// First ~300 characters of a body, lossily decoded.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_error_shapes_are_read() {
        match api_error(400, br#"{"error":"Charge not found"}"#) {
            Error::Api {
                status: 400,
                message,
                code: None,
            } => assert_eq!(message, "Charge not found"),
            e => panic!("{e:?}"),
        }
        match api_error(
            400,
            br#"{"error":["value is required",{"message":"bad taxID","code":"TAX"}]}"#,
        ) {
            Error::Api { message, code, .. } => {
                assert_eq!(message, "value is required; bad taxID");
                assert_eq!(code.as_deref(), Some("TAX"));
            }
            e => panic!("{e:?}"),
        }
        match api_error(422, br#"{"error":{"message":"invalid","code":"E42"}}"#) {
            Error::Api {
                status: 422,
                message,
                code,
            } => {
                assert_eq!(message, "invalid");
                assert_eq!(code.as_deref(), Some("E42"));
            }
            e => panic!("{e:?}"),
        }
        assert!(matches!(api_error(401, b"{}"), Error::Unauthorized { .. }));
        match api_error(502, b"<html>bad gateway</html>") {
            Error::Api { message, .. } => assert!(message.contains("bad gateway")),
            e => panic!("{e:?}"),
        }
    }
}
