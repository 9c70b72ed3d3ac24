//! Black-box tests of the HTML pages: a real app on a random port, plain HTTP
//! for markup and Server-Sent Events, a real headless Chromium for the checkout.

mod admin;
mod admin_client;
mod admin_login;
mod admin_rejected;
mod admin_webhooks;
mod app;
#[path = "../support/backend.rs"]
#[allow(dead_code)]
mod backend;
mod browser;
mod checkout;
mod demo;
mod demo_page;
mod my_products;
mod portal;
mod support;
