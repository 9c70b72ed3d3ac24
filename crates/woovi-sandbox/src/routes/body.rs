//! Request bodies: must be JSON objects; fields are read with Woovi's
//! tolerance (numbers where strings are expected) and its 400s.

use crate::error::{ApiError, ApiResult};
use crate::model::CustomerRec;
use axum::extract::{FromRequest, Request};
use bytes::Bytes;
use serde_json::{Map, Value};

/// A request body that parsed as a JSON object.
pub(crate) struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::bad_request("Invalid body"))?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(JsonObject(map)),
            Ok(_) => Err(ApiError::bad_request("Body must be a JSON object")),
            Err(_) => Err(ApiError::bad_request("Invalid JSON body")),
        }
    }
}

impl JsonObject {
    /// A string field; numbers are accepted and printed (tax IDs arrive as
    /// numbers in Woovi's own examples). Empty strings count as absent.
    pub(crate) fn str(&self, key: &str) -> ApiResult<Option<String>> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(ApiError::bad_request(format!("{key} must be a string"))),
        }
    }

    /// A string field that must be present.
    pub(crate) fn required_str(&self, key: &str) -> ApiResult<String> {
        self.str(key)?
            .ok_or_else(|| ApiError::bad_request(format!("{key} is required")))
    }

    /// A whole, non-negative number (cents, seconds, days).
    pub(crate) fn uint(&self, key: &str) -> ApiResult<Option<i64>> {
        let bad = || ApiError::bad_request(format!("{key} must be a non-negative integer"));
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => {
                if let Some(i) = n.as_i64() {
                    if i < 0 {
                        return Err(bad());
                    }
                    Ok(Some(i))
                } else if let Some(f) = n.as_f64() {
                    if f < 0.0 || f.fract() != 0.0 || f > i64::MAX as f64 {
                        return Err(bad());
                    }
                    Ok(Some(f as i64))
                } else {
                    Err(bad())
                }
            }
            Some(Value::String(s)) => s
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|v| *v >= 0)
                .map(Some)
                .ok_or_else(bad),
            Some(_) => Err(bad()),
        }
    }

    /// A boolean field.
    pub(crate) fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::bad_request(format!("{key} must be a boolean"))),
        }
    }

    /// A nested object.
    pub(crate) fn object(&self, key: &str) -> ApiResult<Option<JsonObject>> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(JsonObject(m.clone()))),
            Some(_) => Err(ApiError::bad_request(format!("{key} must be an object"))),
        }
    }

    /// A nested array (absent = empty).
    pub(crate) fn array(&self, key: &str) -> ApiResult<Vec<Value>> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => Ok(a.clone()),
            Some(_) => Err(ApiError::bad_request(format!("{key} must be an array"))),
        }
    }

    /// A tax ID sent as a string, a number or `{"taxID": …}`; digits only.
    pub(crate) fn tax_id(&self, key: &str) -> ApiResult<Option<String>> {
        let raw = match self.0.get(key) {
            Some(Value::Object(m)) => JsonObject(m.clone()).str("taxID")?,
            _ => self.str(key)?,
        };
        Ok(raw
            .map(|t| t.chars().filter(char::is_ascii_digit).collect::<String>())
            .filter(|t| !t.is_empty()))
    }

    /// A customer as sent in a customer, charge or subscription body.
    pub(crate) fn customer(&self) -> ApiResult<CustomerRec> {
        let address = match self.object("address")? {
            Some(a) => Some(Value::Object(a.0)),
            None => None,
        };
        Ok(CustomerRec {
            correlation_id: self.str("correlationID")?.unwrap_or_else(crate::ids::uuid),
            name: self.str("name")?,
            email: self.str("email")?,
            phone: self.str("phone")?,
            tax_id: self.tax_id("taxID")?,
            address,
        })
    }
}
