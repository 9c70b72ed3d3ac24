//! paybridge: a self-hosted bridge between an online store and Brazilian
//! payment providers (Woovi Pix, Wiapy, Eduzz).

pub mod cli;
pub mod telemetry;
