//! `/demo`: with the embedded sandbox only, one click makes a demo order and
//! opens its checkout, so a fresh install can be tried before any store is
//! connected. Against a real Woovi the page does not exist (404), so nobody
//! can create charges through it.

use super::layout::{internal, not_found, page};
use super::AppState;
use crate::domain::{Cents, CorrelationId, Customer, Email, PersonName};
use crate::service::orders::{self, Created};
use crate::store::NewOrder;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use maud::html;

/// What the demo order costs: R$ 49,90.
const DEMO_AMOUNT_CENTS: i64 = 4_990;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/demo", get(form).post(create))
}

async fn form(State(state): State<AppState>) -> Response {
    if state.sandbox.is_none() {
        return not_found();
    }
    page(
        "Checkout de demonstração",
        html! {
            section.card {
                h1 { "Checkout de demonstração" }
                p {
                    "Cria um pedido de R$ 49,90 no sandbox Woovi embutido e abre a página "
                    "de pagamento Pix, onde o botão “Simular pagamento” conclui a compra."
                }
                form method="post" action="/demo" {
                    button type="submit" { "Criar pedido de demonstração" }
                }
            }
        },
    )
    .into_response()
}

async fn create(State(state): State<AppState>) -> Response {
    if state.sandbox.is_none() {
        return not_found();
    }
    let new = match demo_order() {
        Ok(new) => new,
        Err(e) => return internal(e),
    };
    match orders::create(&state.orders(), new).await {
        Ok(Created::New(order) | Created::Replayed(order)) => {
            Redirect::to(&format!("/pay/{}", order.checkout_token)).into_response()
        }
        Err(e) => internal(e),
    }
}

fn demo_order() -> anyhow::Result<NewOrder> {
    Ok(NewOrder {
        correlation_id: CorrelationId::generate(),
        amount: Cents::positive(DEMO_AMOUNT_CENTS)?,
        customer: Customer {
            name: PersonName::parse("Cliente Demonstração")?,
            email: Some(Email::parse("cliente.demo@example.com")?),
            tax_id: None,
            phone: None,
            age: None,
        },
        reference: Some("demo".to_owned()),
        items: None,
        metadata: None,
        idempotency_key: None,
        request_hash: String::new(),
        expires_in: 3_600,
    })
}
