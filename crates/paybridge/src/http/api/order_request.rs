//! The body of `POST /api/v1/orders`, read leniently so that one 422 can
//! name every bad field, then turned into a [`NewOrder`] of parsed types.

use crate::domain::customer::parse_age;
use crate::domain::{Cents, CorrelationId, Customer, Email, PersonName, Phone, TaxId};
use crate::http::error::FieldError;
use crate::store::NewOrder;
use serde_json::Value;

/// Default charge lifetime: one day.
const DEFAULT_EXPIRES_IN: i64 = 86_400;

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
}

/// Parses and validates; `Err` lists every bad field.
pub fn parse(
    body: &Value,
    idempotency_key: Option<String>,
    request_hash: String,
) -> Result<NewOrder, Vec<FieldError>> {
    let mut errs = Vec::new();
    let Some(obj) = body.as_object() else {
        return Err(vec![FieldError::new("body", "must be a JSON object")]);
    };
    let amount = match obj.get("amount") {
        None | Some(Value::Null) => {
            errs.push(FieldError::new("amount", "is required"));
            None
        }
        Some(v) => match int(v).map(Cents::positive) {
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                errs.push(FieldError::new("amount", e));
                None
            }
            None => {
                errs.push(FieldError::new(
                    "amount",
                    "must be an integer number of cents",
                ));
                None
            }
        },
    };
    let reference = match obj.get("reference") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= 200 => {
            Some(s.trim().to_owned())
        }
        Some(_) => {
            errs.push(FieldError::new(
                "reference",
                "must be a non-empty string of at most 200 characters",
            ));
            None
        }
    };
    let items = match obj.get("items") {
        None | Some(Value::Null) => None,
        Some(Value::Array(list)) => {
            let mut sum: i64 = 0;
            for (i, item) in list.iter().enumerate() {
                let name_ok = item
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| !n.trim().is_empty());
                if !name_ok {
                    errs.push(FieldError::new(format!("items[{i}].name"), "is required"));
                }
                let q = item.get("quantity").and_then(int).filter(|q| *q > 0);
                if q.is_none() {
                    errs.push(FieldError::new(
                        format!("items[{i}].quantity"),
                        "must be a positive integer",
                    ));
                }
                let u = item.get("unit_amount").and_then(int).filter(|u| *u >= 0);
                if u.is_none() {
                    errs.push(FieldError::new(
                        format!("items[{i}].unit_amount"),
                        "must be a non-negative integer number of cents",
                    ));
                }
                if let (Some(q), Some(u)) = (q, u) {
                    sum = sum.saturating_add(q.saturating_mul(u));
                }
            }
            if let Some(a) = amount {
                if !list.is_empty() && sum != a.get() {
                    errs.push(FieldError::new(
                        "items",
                        format!("sum to {sum} but amount is {}", a.get()),
                    ));
                }
            }
            Some(Value::Array(list.clone()))
        }
        Some(_) => {
            errs.push(FieldError::new("items", "must be an array"));
            None
        }
    };
    let customer = parse_customer(obj.get("customer"), &mut errs);
    let expires_in = match obj.get("expires_in") {
        None | Some(Value::Null) => DEFAULT_EXPIRES_IN,
        Some(v) => match int(v).filter(|s| (60..=30 * 86_400).contains(s)) {
            Some(s) => s,
            None => {
                errs.push(FieldError::new(
                    "expires_in",
                    "must be between 60 and 2592000 seconds",
                ));
                DEFAULT_EXPIRES_IN
            }
        },
    };
    let metadata = match obj.get("metadata") {
        None | Some(Value::Null) => None,
        Some(v @ Value::Object(_)) if v.to_string().len() <= 16 * 1024 => Some(v.clone()),
        Some(_) => {
            errs.push(FieldError::new(
                "metadata",
                "must be a JSON object of at most 16 KiB",
            ));
            None
        }
    };
    if let Some(k) = &idempotency_key {
        if k.is_empty() || k.len() > 200 {
            errs.push(FieldError::new(
                "Idempotency-Key",
                "must be 1 to 200 characters",
            ));
        }
    }
    match (errs.is_empty(), amount, customer) {
        (true, Some(amount), Some(customer)) => Ok(NewOrder {
            correlation_id: CorrelationId::generate(),
            amount,
            customer,
            reference,
            items,
            metadata,
            idempotency_key,
            request_hash,
            expires_in,
        }),
        _ => Err(errs),
    }
}

fn opt_str<'a>(
    c: &'a serde_json::Map<String, Value>,
    key: &str,
    errs: &mut Vec<FieldError>,
) -> Option<&'a str> {
    match c.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            errs.push(FieldError::new(
                format!("customer.{key}"),
                "must be a string",
            ));
            None
        }
    }
}

fn parse_customer(v: Option<&Value>, errs: &mut Vec<FieldError>) -> Option<Customer> {
    let Some(Value::Object(c)) = v else {
        errs.push(FieldError::new(
            "customer",
            "is required (an object with at least a name)",
        ));
        return None;
    };
    let before = errs.len();
    let name = match opt_str(c, "name", errs) {
        Some(n) => PersonName::parse(n)
            .map_err(|e| errs.push(FieldError::new("customer.name", e)))
            .ok(),
        None => {
            if !errs.iter().any(|e| e.field == "customer.name") {
                errs.push(FieldError::new("customer.name", "is required"));
            }
            None
        }
    };
    let email = opt_str(c, "email", errs).and_then(|s| {
        Email::parse(s)
            .map_err(|e| errs.push(FieldError::new("customer.email", e)))
            .ok()
    });
    let tax_id = opt_str(c, "tax_id", errs).and_then(|s| {
        TaxId::parse(s)
            .map_err(|e| errs.push(FieldError::new("customer.tax_id", e)))
            .ok()
    });
    let phone = opt_str(c, "phone", errs).and_then(|s| {
        Phone::parse(s)
            .map_err(|e| errs.push(FieldError::new("customer.phone", e)))
            .ok()
    });
    let age = match c.get("age") {
        None | Some(Value::Null) => None,
        Some(v) => match int(v).map(parse_age) {
            Some(Ok(a)) => Some(a),
            _ => {
                errs.push(FieldError::new(
                    "customer.age",
                    "must be an integer between 0 and 130",
                ));
                None
            }
        },
    };
    if errs.len() > before {
        return None;
    }
    Some(Customer {
        name: name?,
        email,
        tax_id,
        phone,
        age,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_every_bad_field() {
        let body = json!({
            "amount": 0,
            "items": [{ "name": "", "quantity": 0, "unit_amount": -1 }],
            "customer": { "name": "", "email": "nope", "tax_id": "123.456.789-00", "phone": "x", "age": 300 },
            "expires_in": 1
        });
        let errs = parse(&body, None, String::new()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "amount",
            "items[0].name",
            "items[0].quantity",
            "items[0].unit_amount",
            "customer.name",
            "customer.email",
            "customer.tax_id",
            "customer.phone",
            "customer.age",
            "expires_in",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn items_must_sum_to_amount() {
        let body = json!({ "amount": 1000, "items": [{ "name": "a", "quantity": 2, "unit_amount": 400 }], "customer": { "name": "Ana" } });
        let errs = parse(&body, None, String::new()).unwrap_err();
        assert_eq!(errs[0].field, "items");
        let ok = json!({ "amount": 800, "items": [{ "name": "a", "quantity": 2, "unit_amount": 400 }], "customer": { "name": "Ana" } });
        assert!(parse(&ok, None, String::new()).is_ok());
    }
}
