//! Woovi (OpenPix) API client and webhook verification.
//!
//! - [`Client`]: typed async calls for every operation paybridge uses,
//!   grouped by resource (`client.charges().create(..)`), with retries on
//!   what is safe to repeat.
//! - [`models`]: lenient request/response shapes shared with the emulator.
//! - [`webhook`]: RSA signature check on the raw body ([`webhook::WebhookVerifier`])
//!   and typed events ([`webhook::Event`]).
#![forbid(unsafe_code)]

pub mod api;
mod client;
mod error;
pub mod models;
pub mod webhook;

pub use api::ListParams;
pub use client::{AppId, Client, ClientBuilder, Environment, PRODUCTION_URL, SANDBOX_URL};
pub use error::Error;
