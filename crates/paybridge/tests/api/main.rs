//! Black-box tests of the paybridge service: a real app on a random port,
//! a fresh database per test (SQLite; PostgreSQL on the test command's
//! second pass), plain HTTP.

#[path = "../support/backend.rs"]
mod backend;
mod config_errors;
mod crash;
mod flows;
mod helpers;
mod hostile_bodies;
mod metrics;
mod orders;
mod outbound;
mod outbound_crash;
mod outbound_python;
mod platform;
mod platform_bad_input;
mod platform_flows;
mod platform_startup;
mod probes;
mod receiver;
mod serve_process;
mod webhooks_forged;
mod webhooks_setup;
