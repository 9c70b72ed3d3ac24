//! paybridge: a self-hosted bridge between an online store and Brazilian
//! payment providers (Woovi Pix, Wiapy, Eduzz).

pub mod cli;
pub mod config;
pub mod digest;
pub mod domain;
pub mod gateway;
pub mod http;
pub mod outbound;
pub mod providers;
pub mod secret;
pub mod service;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod workers;
