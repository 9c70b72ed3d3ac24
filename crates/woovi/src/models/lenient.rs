//! Deserializers that accept what Woovi actually sends, not only what its spec says.
//!
//! Woovi's payloads drift: cents arrive as numbers or strings, lists arrive as a
//! single object in some examples, and any field may be `null`. A webhook must
//! never be rejected because of such drift, so every model field goes through
//! one of these helpers.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Integer (cents, days, counts) from a number, a numeric string, or null.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(v.as_ref().and_then(value_to_i64))
}

pub(crate) fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite())
                .map(|f| f.round() as i64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| f.round() as i64)
            })
        }
        Value::Bool(_) | Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// String from a string, a number or a boolean (IDs and tax IDs sometimes arrive as numbers).
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    })
}

/// Boolean from a boolean, `"true"`/`"false"`, 0/1, or null.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    Ok(match v {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Some(Value::Number(n)) => n.as_i64().map(|i| i != 0),
        _ => None,
    })
}

/// A nested object that may be `null`, missing, or (in places) not an object at all.
///
/// Woovi sometimes sends a bare ID string where an object is documented (a
/// transaction's `charge.customer`); that is kept as `None` rather than failing.
pub fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Option::<Value>::deserialize(d)?;
    match v {
        Some(v @ Value::Object(_)) => serde_json::from_value(v)
            .map(Some)
            .map_err(D::Error::custom),
        _ => Ok(None),
    }
}

/// A list that may be `null`, missing, a single object instead of an array, or
/// contain `null` entries.
pub fn vec_lenient<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Option::<Value>::deserialize(d)?;
    vec_from_value(v.unwrap_or(Value::Null)).map_err(D::Error::custom)
}

pub(crate) fn vec_from_value<T: DeserializeOwned>(v: Value) -> Result<Vec<T>, serde_json::Error> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .filter(|i| !i.is_null())
            .map(serde_json::from_value)
            .collect(),
        // An empty object is how some spec examples write "no items".
        Value::Object(ref m) if m.is_empty() => Ok(Vec::new()),
        other => serde_json::from_value(other).map(|one| vec![one]),
    }
}

/// Declares a string enum that keeps values it does not know in `Other(String)`.
///
/// Woovi adds statuses and types without notice; a new value must be carried
/// through (and shown in the raw status) rather than make the payload unreadable.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this crate does not know yet, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The value exactly as Woovi spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(s) => s.as_str(),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                })
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.parse() {
                    Ok(v) => v,
                    Err(never) => match never {},
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = serde_json::Value::deserialize(d)?;
                Ok(match v {
                    serde_json::Value::String(s) => Self::from(s.as_str()),
                    other => Self::Other(other.to_string()),
                })
            }
        }
    };
}

pub(crate) use open_enum;

/// Optional open enum: `null` or missing become `None`.
pub fn opt_enum<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Option::<Value>::deserialize(d)?;
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(D::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_i64")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "vec_lenient")]
        v: Vec<i64>,
    }

    #[test]
    fn numbers_as_strings_and_nulls_are_accepted() {
        let p: Probe = serde_json::from_str(r#"{"n":"1500","s":123,"v":null}"#).unwrap();
        assert_eq!(p.n, Some(1500));
        assert_eq!(p.s.as_deref(), Some("123"));
        assert!(p.v.is_empty());
        let p: Probe = serde_json::from_str(r#"{"n":null,"v":7}"#).unwrap();
        assert_eq!(p.n, None);
        assert_eq!(p.v, vec![7]);
        let p: Probe = serde_json::from_str(r#"{"n":12.0,"v":[1,null,2]}"#).unwrap();
        assert_eq!(p.n, Some(12));
        assert_eq!(p.v, vec![1, 2]);
    }
}
