//! Use cases that span the store and the provider (create and charge an
//! order, cancel, refund); handlers stay thin and call these.

pub mod error;
pub mod orders;

pub use error::ServiceError;
pub use orders::Orders;
