//! `/api/v1/account`: bank accounts and withdrawals.

use super::{list_ops, no_filters, ListParams};
use crate::client::{decode_wrapped, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{Account, Withdrawal};

/// Account operations.
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    pub(crate) client: &'a Client,
}

impl Accounts<'_> {
    /// Gets one account.
    pub async fn get(&self, account_id: &str) -> Result<Account, Error> {
        let path = format!("/api/v1/account/{}", seg(account_id));
        self.client
            .get_wrapped(&path, &Query::new(), &["account"])
            .await
    }

    list_ops!(Account, "/api/v1/account/", ListParams, no_filters);

    /// Withdraws `value` cents to the account's registered Pix key. Never
    /// retried: a repeat would move the money twice.
    pub async fn withdraw(&self, account_id: &str, value: i64) -> Result<Withdrawal, Error> {
        let path = format!("/api/v1/account/{}/withdraw", seg(account_id));
        let body = serde_json::json!({ "value": value });
        let bytes = self
            .client
            .post(&path, &Query::new(), &body, Idempotency::Unsafe)
            .await?;
        decode_wrapped(&bytes, &["withdraw"])
    }
}
