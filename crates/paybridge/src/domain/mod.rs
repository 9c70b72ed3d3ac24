//! The functional core: values that parse, the order status machine and the
//! normalized payment event. No IO here, so every rule is unit-testable.

pub mod abandoned_cart;
pub mod claimed_ref;
pub mod correlation;
pub mod customer;
pub mod email;
pub mod entitlement;
pub mod event;
pub mod money;
pub mod order;
pub mod phone;
pub mod sale;
pub mod status_mapping;
pub mod tax_id;
pub mod transition;

pub use abandoned_cart::AbandonedCart;
pub use claimed_ref::ClaimedRef;
pub use correlation::{CorrelationId, CorrelationIdError};
pub use customer::{Customer, CustomerError, PersonName};
pub use email::{Email, EmailError};
pub use event::{EventKind, OrderRef, PaymentEvent, ProviderName};
pub use money::{Cents, MoneyError};
pub use order::{Flag, Flags, OrderStatus, UnknownStatus};
pub use phone::{Phone, PhoneError};
pub use sale::{Buyer, Document, EventHead, Link, PaymentMethod, Product, Sale, SaleError};
pub use status_mapping::Unified;
pub use tax_id::{TaxId, TaxIdError};
pub use transition::{decide, Decision, Effect, OrderSnapshot};
