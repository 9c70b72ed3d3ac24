//! The dashboard's view of webhooks sent to the store: each endpoint's health,
//! failed deliveries with a resend button (POST form with the admin CSRF
//! token), and an order's deliveries (shown on the order page).

use super::admin::{require_form_login, require_login, shell, when};
use super::auth::csrf_token;
use super::layout::{error_page, internal};
use super::AppState;
use crate::store::deliveries::DeliveryRecord;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use std::collections::HashMap;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/webhooks", get(overview))
        .route("/admin/deliveries/{id}/resend", post(resend))
}

fn status_label(status: &str) -> &'static str {
    match status {
        "pending" => "pendente",
        "delivered" => "entregue",
        "failed" => "falhou",
        _ => "desconhecida",
    }
}

fn resend_form(d: &DeliveryRecord, csrf: &str, back: &str) -> Markup {
    html! {
        form method="post" action={ "/admin/deliveries/" (d.id) "/resend" } style="display:inline" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="back" value=(back);
            button.secondary type="submit" style="margin:0" { "Reenviar" }
        }
    }
}

fn deliveries_table(list: &[DeliveryRecord], csrf: &str, back: &str) -> Markup {
    html! {
        table.deliveries {
            thead { tr { th { "Criada" } th { "Evento" } th { "Seq." } th { "Destino" } th { "Situação" } th { "Tentativas" } th { "Última resposta" } th {} } }
            tbody { @for d in list { tr data-status=(d.status) {
                td { (when(d.created_at)) }
                td { (d.event_type) br; span.muted { (d.event_id) } }
                td { (d.sequence) }
                td { (d.endpoint_url) }
                td { (status_label(&d.status)) }
                td { (d.attempts) }
                td { @if let Some(c) = d.last_status_code { "HTTP " (c) } @else if d.last_error.is_some() { "sem resposta" } @else { "—" }
                     @if let Some(e) = &d.last_error { br; span.muted { (e.chars().take(120).collect::<String>()) } } }
                td { @if d.status == "failed" { (resend_form(d, csrf, back)) } }
            } } }
        }
    }
}

/// The "Notificações à loja" card of an order page.
pub(super) async fn order_section(state: &AppState, order_id: &str, csrf: &str) -> Markup {
    let list = state
        .store
        .deliveries_for_order(order_id)
        .await
        .unwrap_or_default();
    html! {
        section.card #notificacoes {
            h2 { "Notificações à loja (webhooks enviados)" }
            @if list.is_empty() { p.muted { "Nenhuma notificação para este pedido (nenhum endpoint cadastrado na hora do evento)." } }
            @else { (deliveries_table(&list, csrf, &format!("/admin/orders/{order_id}"))) }
        }
    }
}

async fn overview(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (secret, id) = match require_login(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let csrf = csrf_token(&secret, &id);
    let endpoints = match state.store.list_endpoints().await {
        Ok(e) => e,
        Err(e) => return internal(e),
    };
    let mut counts = Vec::with_capacity(endpoints.len());
    for e in &endpoints {
        counts.push(
            state
                .store
                .endpoint_delivery_counts(&e.id)
                .await
                .unwrap_or_default()
                .into_iter()
                .collect::<HashMap<_, _>>(),
        );
    }
    let failed = match state.store.failed_deliveries(100).await {
        Ok(f) => f,
        Err(e) => return internal(e),
    };
    shell(
        "Webhooks — painel",
        &csrf,
        html! {
            section.card {
                h1 { "Webhooks para a loja" }
                @if endpoints.is_empty() { p.muted { "Nenhum endpoint cadastrado. Cadastre um com POST /api/v1/webhook-endpoints." } }
                table.endpoints {
                    thead { tr { th { "Destino" } th { "Saúde" } th { "Último sucesso" } th { "Entregues" } th { "Pendentes" } th { "Com falha" } } }
                    tbody { @for (e, c) in endpoints.iter().zip(&counts) { tr data-health=(if !e.enabled { "disabled" } else if e.failing_since.is_some() { "failing" } else { "healthy" }) {
                        td { (e.url) @if let Some(d) = &e.description { br; span.muted { (d) } } }
                        td {
                            @if !e.enabled { "Desativado" @if let Some(r) = &e.disabled_reason { br; span.muted { (r) } } }
                            @else if let Some(since) = e.failing_since { "Falhando desde " (when(since)) }
                            @else { "Saudável" }
                        }
                        td { (e.last_success_at.map(when).unwrap_or_else(|| "—".into())) }
                        td { (c.get("delivered").copied().unwrap_or(0)) }
                        td { (c.get("pending").copied().unwrap_or(0)) }
                        td { (c.get("failed").copied().unwrap_or(0)) }
                    } } }
                }
            }
            section.card #falhas {
                h2 { "Entregas com falha" }
                @if failed.is_empty() { p.muted { "Nenhuma entrega com falha." } }
                @else { (deliveries_table(&failed, &csrf, "/admin/webhooks")) }
            }
        },
    )
}

async fn resend(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(delivery_id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = require_form_login(&state, &headers, &f).await {
        return r;
    }
    match state.store.redeliver_delivery(&delivery_id).await {
        Ok(true) => {}
        Ok(false) => {
            return error_page(
                StatusCode::NOT_FOUND,
                "Entrega não encontrada",
                "Essa entrega não existe.",
            )
        }
        Err(e) => return internal(e),
    }
    state.outbound.wake.notify_one();
    // Only our own pages are valid destinations (no open redirect).
    let back = f
        .get("back")
        .filter(|b| b.starts_with("/admin/") && !b.starts_with("//"))
        .map(String::as_str)
        .unwrap_or("/admin/webhooks");
    Redirect::to(back).into_response()
}
