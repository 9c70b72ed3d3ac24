//! Typed operations, one file per Woovi resource, reached from [`Client`].

mod account;
mod cashback;
mod charge;
mod customer;
mod partner;
mod payment;
mod pix_qr_code;
mod refund;
mod subscription;
mod transaction;
mod webhook;

pub use account::Accounts;
pub use cashback::Cashbacks;
pub use charge::Charges;
pub use customer::Customers;
pub use partner::Partners;
pub use payment::Payments;
pub use pix_qr_code::PixQrCodes;
pub use refund::Refunds;
pub use subscription::Subscriptions;
pub use transaction::Transactions;
pub use webhook::{WebhookListParams, Webhooks};

use crate::client::{Client, Query};

/// Paging of lists without other filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListParams {
    /// Items to skip.
    pub skip: Option<u32>,
    /// Page size.
    pub limit: Option<u32>,
}

pub(crate) fn push_opt(q: &mut Query, key: &'static str, v: &Option<String>) {
    if let Some(v) = v {
        q.push((key, v.clone()));
    }
}

pub(crate) fn with_page(mut q: Query, skip: Option<u32>, limit: Option<u32>) -> Query {
    if let Some(s) = skip {
        q.push(("skip", s.to_string()));
    }
    if let Some(l) = limit {
        q.push(("limit", l.to_string()));
    }
    q
}

impl Client {
    /// Bank accounts: get, list, withdraw.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { client: self }
    }
    /// Exclusive cashback: balance, get-or-create.
    pub fn cashback(&self) -> Cashbacks<'_> {
        Cashbacks { client: self }
    }
    /// Charges: create, get, list, delete, QR image, refund.
    pub fn charges(&self) -> Charges<'_> {
        Charges { client: self }
    }
    /// Customers: create, get, list.
    pub fn customers(&self) -> Customers<'_> {
        Customers { client: self }
    }
    /// Partner API: applications and pre-registrations.
    pub fn partner(&self) -> Partners<'_> {
        Partners { client: self }
    }
    /// Outgoing payments: create, get, list.
    pub fn payments(&self) -> Payments<'_> {
        Payments { client: self }
    }
    /// Static QR codes: create, get, list.
    pub fn pix_qr_codes(&self) -> PixQrCodes<'_> {
        PixQrCodes { client: self }
    }
    /// Refunds: create, get, list.
    pub fn refunds(&self) -> Refunds<'_> {
        Refunds { client: self }
    }
    /// Subscriptions: create, get.
    pub fn subscriptions(&self) -> Subscriptions<'_> {
        Subscriptions { client: self }
    }
    /// Pix transactions: get, list.
    pub fn transactions(&self) -> Transactions<'_> {
        Transactions { client: self }
    }
    /// Webhook registrations and signing keys.
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { client: self }
    }
}

/// Generates `list`, `stream` and `pages` for a resource whose list takes
/// `$params` (with `skip`/`limit`) and builds its filters with `$query`.
macro_rules! list_ops {
    ($model:ty, $path:literal, $params:ty, $query:expr) => {
        /// One page.
        pub async fn list(
            &self,
            params: &$params,
        ) -> Result<$crate::models::Page<$model>, $crate::Error> {
            let q = $crate::api::with_page(($query)(params), params.skip, params.limit);
            self.client.get($path, &q).await
        }

        /// Every item, fetching pages as needed.
        pub fn stream(
            &self,
            params: &$params,
        ) -> impl futures::Stream<Item = Result<$model, $crate::Error>> + Send + 'static {
            self.client.items(
                $path.into(),
                ($query)(params),
                params.skip.unwrap_or(0),
                params.limit,
            )
        }

        /// Every page (carries `totalCount` for progress display).
        pub fn pages(
            &self,
            params: &$params,
        ) -> impl futures::Stream<Item = Result<$crate::models::Page<$model>, $crate::Error>>
               + Send
               + 'static {
            self.client.pages(
                $path.into(),
                ($query)(params),
                params.skip.unwrap_or(0),
                params.limit,
            )
        }
    };
}
pub(crate) use list_ops;

pub(crate) fn no_filters(_: &ListParams) -> Query {
    Query::new()
}
