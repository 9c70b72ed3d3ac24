//! `/meus-pedidos?token=…`: a buyer's orders, reached through a link signed
//! with the server secret over the buyer's e-mail or CPF/CNPJ.

use super::auth::{server_secret, sign, verify};
use super::format::{format_brl, status_label};
use super::layout::{error_page, internal, page};
use super::AppState;
use crate::domain::{Email, OrderStatus, TaxId};
use crate::store::{OrderFilter, StoreError};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::html;
use std::collections::HashMap;
use time::OffsetDateTime;

/// How long a portal link works.
const LINK_SECONDS: i64 = 30 * 24 * 3600;

/// Whose orders a link shows.
#[derive(Debug, Clone)]
pub enum Holder {
    /// Orders with this buyer e-mail.
    Email(Email),
    /// Orders with this CPF/CNPJ.
    TaxId(TaxId),
}

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/meus-pedidos", get(my_orders))
}

fn payload(kind: &str, value: &str, exp: i64) -> String {
    format!("{kind}.{}.{exp}", hex::encode(value.as_bytes()))
}

/// The signed `/meus-pedidos` link of a buyer.
pub async fn portal_url(state: &AppState, holder: &Holder) -> Result<String, StoreError> {
    let secret = server_secret(state).await?;
    let (kind, value) = match holder {
        Holder::Email(e) => ("e", e.as_str()),
        Holder::TaxId(t) => ("t", t.as_str()),
    };
    let body = payload(
        kind,
        value,
        OffsetDateTime::now_utc().unix_timestamp() + LINK_SECONDS,
    );
    let sig = sign(&secret, "portal", &body);
    Ok(format!(
        "{}/meus-pedidos?token={body}.{sig}",
        state.public_url.as_str().trim_end_matches('/')
    ))
}

fn holder_of(token: &str, secret: &crate::secret::Secret) -> Option<Holder> {
    let (body, sig) = token.rsplit_once('.')?;
    if !verify(secret, "portal", body, sig) {
        return None;
    }
    let mut parts = body.splitn(3, '.');
    let (kind, value, exp) = (parts.next()?, parts.next()?, parts.next()?);
    if exp.parse::<i64>().ok()? <= OffsetDateTime::now_utc().unix_timestamp() {
        return None;
    }
    let value = String::from_utf8(hex::decode(value).ok()?).ok()?;
    match kind {
        "e" => Email::parse(&value).ok().map(Holder::Email),
        "t" => TaxId::parse(&value).ok().map(Holder::TaxId),
        _ => None,
    }
}

async fn my_orders(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let secret = match server_secret(&state).await {
        Ok(s) => s,
        Err(e) => return internal(e),
    };
    let Some(holder) = q.get("token").and_then(|t| holder_of(t, &secret)) else {
        return error_page(
            StatusCode::FORBIDDEN,
            "Link inválido",
            "Este link de acesso aos seus pedidos é inválido ou expirou. Peça um novo link à loja.",
        );
    };
    let mut filter = OrderFilter {
        limit: 100,
        ..OrderFilter::default()
    };
    match &holder {
        Holder::Email(e) => filter.email = Some(e.clone()),
        Holder::TaxId(t) => filter.tax_id = Some(*t),
    }
    let orders = match state.store.list_orders(&filter).await {
        Ok((o, _)) => o,
        Err(e) => return internal(e),
    };
    let products = match super::my_products::section(&state, &holder).await {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    let body = html! {
        section.card {
            p.merchant { (state.merchant_name) }
            h1 { "Meus pedidos" }
            @if orders.is_empty() { p { "Nenhum pedido encontrado." } }
            ul {
                @for o in &orders {
                    li {
                        strong { (o.reference.as_deref().unwrap_or("Pedido")) }
                        " — " (format_brl(o.amount.get())) " — " (status_label(o.status))
                        @if o.status == OrderStatus::Pending && o.provider == "woovi" {
                            " — " a href={ "/pay/" (o.checkout_token) } { "pagar agora" }
                        }
                    }
                }
            }
        }
        (products)
    };
    page("Meus pedidos", body).into_response()
}
