//! `/api/v1/transaction`: Pix transactions.

use super::{list_ops, push_opt};
use crate::client::{seg, Client, Query};
use crate::error::Error;
use crate::models::{Transaction, TransactionListParams};

/// Transaction operations.
#[derive(Debug, Clone, Copy)]
pub struct Transactions<'a> {
    pub(crate) client: &'a Client,
}

fn filters(p: &TransactionListParams) -> Query {
    let mut q = Query::new();
    push_opt(&mut q, "start", &p.start);
    push_opt(&mut q, "end", &p.end);
    push_opt(&mut q, "charge", &p.charge);
    push_opt(&mut q, "pixQrCode", &p.pix_qr_code);
    push_opt(&mut q, "withdrawal", &p.withdrawal);
    q
}

impl Transactions<'_> {
    /// Gets a transaction by Woovi ID or end-to-end ID.
    pub async fn get(&self, id: &str) -> Result<Transaction, Error> {
        let path = format!("/api/v1/transaction/{}", seg(id));
        self.client
            .get_wrapped(&path, &Query::new(), &["transaction"])
            .await
    }

    list_ops!(
        Transaction,
        "/api/v1/transaction",
        TransactionListParams,
        filters
    );
}
