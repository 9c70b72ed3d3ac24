//! Several `paybridge serve` nodes on one PostgreSQL database, black-box:
//! the real binary, a real `paybridge sandbox`, real HTTP. Run by the test
//! command's PostgreSQL pass (`--features multi-node-tests`); they need
//! `PAYBRIDGE_TEST_POSTGRES_URL` and fail, saying so, without it.

#[path = "../support/backend.rs"]
#[allow(dead_code)]
mod backend;
mod cluster;
mod consistency;
mod outbound;
mod postgres_restart;
#[path = "../api/receiver.rs"]
#[allow(dead_code)]
mod receiver;
mod startup;
mod takeover;
