//! Woovi's JSON shapes, for requests, responses and webhooks.
//!
//! Every response model is lenient (unknown fields ignored, unknown enum
//! values kept, numbers accepted as strings, nulls accepted) and derives both
//! `Serialize` and `Deserialize`, so an emulator can produce what the client
//! reads.

pub(crate) mod lenient;

mod account;
mod cashback;
mod charge;
mod common;
mod page;
mod partner;
mod payment;
mod pix_qr_code;
mod refund;
mod subscription;
mod transaction;
mod webhook;

pub use account::{Account, Balance, Withdrawal};
pub use cashback::{Cashback, CashbackBalance, CashbackRequest, CashbackResponse};
pub use charge::{
    Charge, ChargeCreated, ChargeListParams, ChargeModifier, ChargeRefund, ChargeRefundRequest,
    ChargeRefundStatus, ChargeRequest, ChargeStatus, ChargeType, ModifierKind,
};
pub use common::{
    AccountEnvironment, AdditionalInfo, Address, Company, Customer, CustomerInput, DeleteResponse,
    PageInfo, TaxId, TaxIdType, WebhookAccount,
};
pub use page::{Listed, Page};
pub use partner::{
    ApplicationInput, PartnerApplication, PartnerApplicationRequest, PreRegistration,
    PreRegistrationCompany, PreRegistrationUser, TaxIdInput,
};
pub use payment::{Payment, PaymentDetails, PaymentRequest, PaymentStatus};
pub use pix_qr_code::{PixQrCode, PixQrCodeCreated, PixQrCodeRequest};
pub use refund::{Refund, RefundRequest, RefundStatus};
pub use subscription::{Subscription, SubscriptionRequest};
pub use transaction::{
    BankAccountRef, Holder, Party, PixKeyRef, PixRefund, Psp, Transaction, TransactionListParams,
    TransactionStatus, TransactionType,
};
pub use webhook::{Webhook, WebhookEventKind, WebhookPublicKey, WebhookPublicKeys, WebhookRequest};

macro_rules! listed {
    ($($t:ty => $key:literal),+ $(,)?) => {
        $(impl Listed for $t { const LIST_KEY: &'static str = $key; })+
    };
}

listed! {
    Account => "accounts",
    Charge => "charges",
    Customer => "customers",
    PaymentDetails => "payments",
    PixQrCode => "pixQrCodes",
    PreRegistration => "preRegistrations",
    Refund => "refunds",
    Subscription => "subscriptions",
    Transaction => "transactions",
    Webhook => "webhooks",
}
