//! The `orders` row as both backends store it, and its reading into an
//! [`OrderRecord`] (every column parsed back into its domain type).

use super::records::{ChargeInfo, OrderRecord};
use super::{corrupt, parse_opt_ts, parse_ts, StoreError};
use crate::domain::{customer::parse_age, Cents, Customer, Email, Flags, PersonName, Phone, TaxId};

/// An `orders` row as stored (both backends decode it).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct OrderRow {
    id: String,
    correlation_id: String,
    provider: String,
    provider_ref: Option<String>,
    status: String,
    flags: String,
    amount: i64,
    paid_total: i64,
    refunded_total: i64,
    customer_name: String,
    customer_email: Option<String>,
    customer_tax_id: Option<String>,
    customer_phone: Option<String>,
    customer_age: Option<i64>,
    reference: Option<String>,
    items: Option<String>,
    metadata: Option<String>,
    idempotency_key: Option<String>,
    request_hash: Option<String>,
    checkout_token: String,
    expires_in: i64,
    br_code: Option<String>,
    qr_code_url: Option<String>,
    payment_link: Option<String>,
    charge_expires_at: Option<String>,
    charge_created_at: Option<String>,
    charge_error: Option<String>,
    created_at: String,
    updated_at: String,
}

fn opt_json(s: Option<&str>) -> Result<Option<serde_json::Value>, StoreError> {
    s.map(|s| serde_json::from_str(s).map_err(corrupt))
        .transpose()
}

impl TryFrom<OrderRow> for OrderRecord {
    type Error = StoreError;

    fn try_from(row: OrderRow) -> Result<OrderRecord, StoreError> {
        let customer = Customer {
            name: PersonName::parse(&row.customer_name).map_err(corrupt)?,
            email: row
                .customer_email
                .as_deref()
                .map(|s| Email::parse(s).map_err(corrupt))
                .transpose()?,
            tax_id: row
                .customer_tax_id
                .as_deref()
                .map(|s| TaxId::parse(s).map_err(corrupt))
                .transpose()?,
            phone: row
                .customer_phone
                .as_deref()
                .map(|s| Phone::parse(s).map_err(corrupt))
                .transpose()?,
            age: row
                .customer_age
                .map(|a| parse_age(a).map_err(corrupt))
                .transpose()?,
        };
        let charge = match row.br_code {
            Some(br_code) => Some(ChargeInfo {
                provider_ref: row.provider_ref.clone(),
                br_code,
                qr_code_url: row.qr_code_url,
                payment_link: row.payment_link,
                expires_at: parse_opt_ts(row.charge_expires_at.as_deref())?,
            }),
            None => None,
        };
        Ok(OrderRecord {
            id: row.id,
            correlation_id: row.correlation_id,
            provider: row.provider,
            status: row.status.parse().map_err(corrupt)?,
            flags: Flags::from_stored(&row.flags),
            amount: Cents::new(row.amount).map_err(corrupt)?,
            paid_total: Cents::new(row.paid_total).map_err(corrupt)?,
            refunded_total: Cents::new(row.refunded_total).map_err(corrupt)?,
            customer,
            reference: row.reference,
            items: opt_json(row.items.as_deref())?,
            metadata: opt_json(row.metadata.as_deref())?,
            idempotency_key: row.idempotency_key,
            request_hash: row.request_hash,
            checkout_token: row.checkout_token,
            expires_in: row.expires_in,
            charge,
            charge_created_at: parse_opt_ts(row.charge_created_at.as_deref())?,
            charge_error: row.charge_error,
            created_at: parse_ts(&row.created_at)?,
            updated_at: parse_ts(&row.updated_at)?,
        })
    }
}

/// Reads an optional order row into a record.
pub(crate) fn record(row: Option<OrderRow>) -> Result<Option<OrderRecord>, StoreError> {
    row.map(OrderRecord::try_from).transpose()
}
