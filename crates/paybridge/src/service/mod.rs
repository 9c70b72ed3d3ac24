//! Use cases that span the store and the provider (create and charge an
//! order, cancel, refund); handlers stay thin and call these.

pub mod orders;
