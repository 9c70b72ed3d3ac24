//! The merchant dashboard under `/admin`: API-key login, order list with
//! filters and search, order detail with timeline, payments and webhooks.

use super::auth::{
    checked_login_nonce, clear_cookie, clear_login_csrf_cookie, csrf_token, login_cookie,
    login_csrf_cookie, login_csrf_token, login_id, new_login, new_login_nonce, secure_cookies,
    server_secret,
};
use super::format::{format_brl, rejection_label, status_label};
use super::layout::{error_page, internal, not_found, page};
use super::AppState;
use crate::domain::{Email, OrderStatus};
use crate::secret::Secret;
use crate::store::OrderFilter;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use std::collections::HashMap;
use subtle::ConstantTimeEq;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(list))
        .route("/admin/login", get(login_form).post(login))
        .route("/admin/logout", post(logout))
        .route("/admin/orders/{id}", get(detail))
}

pub(super) fn when(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[day]/[month]/[year] [hour]:[minute]:[second] UTC"
    ))
    .unwrap_or_default()
}

fn login_page(error: Option<&str>, csrf: &str) -> Markup {
    html! {
        section.card {
            h1 { "Painel da loja" }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/admin/login" {
                input type="hidden" name="csrf" value=(csrf);
                label for="api_key" { "Chave de API" }
                input #api_key name="api_key" type="password" autocomplete="current-password" required;
                button type="submit" style="margin-top:1rem" { "Entrar" }
            }
        }
    }
}

/// The login form, with a fresh pre-login CSRF cookie and its token.
async fn login_form(State(state): State<AppState>) -> Response {
    let secret = match server_secret(&state).await {
        Ok(s) => s,
        Err(e) => return internal(e),
    };
    let nonce = new_login_nonce();
    let form = login_page(None, &login_csrf_token(&secret, &nonce));
    (
        [(
            header::SET_COOKIE,
            login_csrf_cookie(&nonce, secure_cookies(&state)),
        )],
        page("Entrar — painel", form),
    )
        .into_response()
}

/// Checks the pre-login CSRF pair first (a forged post changes nothing and
/// sets no cookie), then the API key.
async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let secret = match server_secret(&state).await {
        Ok(s) => s,
        Err(e) => return internal(e),
    };
    let token = f.get("csrf").map(String::as_str).unwrap_or_default();
    let Some(nonce) = checked_login_nonce(&secret, &headers, token) else {
        return error_page(
            StatusCode::FORBIDDEN,
            "Requisição recusada",
            "O formulário de entrada expirou ou não veio deste painel. Abra /admin/login de novo e tente outra vez.",
        );
    };
    let given = Secret::new(f.get("api_key").cloned().unwrap_or_default());
    let ok: bool = given
        .sha256_hex()
        .as_bytes()
        .ct_eq(state.api_key_sha256.as_bytes())
        .into();
    if !ok {
        let form = login_page(
            Some("Chave de API inválida."),
            &login_csrf_token(&secret, nonce),
        );
        return (StatusCode::UNAUTHORIZED, page("Entrar — painel", form)).into_response();
    }
    let secure = secure_cookies(&state);
    (
        // Two cookies: `[(K, V); N]` would keep only the last one.
        AppendHeaders([
            (
                header::SET_COOKIE,
                login_cookie(&new_login(&secret), secure),
            ),
            // The pre-login nonce is spent: a stale one must not linger.
            (header::SET_COOKIE, clear_login_csrf_cookie(secure)),
        ]),
        Redirect::to("/admin"),
    )
        .into_response()
}

/// The login id and its CSRF token, or the response to send instead.
pub(super) async fn require_login(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Secret, String), Response> {
    let secret = server_secret(state).await.map_err(internal)?;
    match login_id(&secret, headers) {
        Some(id) => Ok((secret, id)),
        None => Err(Redirect::to("/admin/login").into_response()),
    }
}

/// A logged-in form post whose CSRF token matches the session, or the
/// response to send instead (login redirect or a pt-BR 403).
pub(super) async fn require_form_login(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(Secret, String), Response> {
    let (secret, id) = require_login(state, headers).await?;
    let expected = csrf_token(&secret, &id);
    let given = form.get("csrf").map(String::as_str).unwrap_or_default();
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(error_page(
            StatusCode::FORBIDDEN,
            "Requisição recusada",
            "O formulário expirou ou não veio deste painel. Recarregue a página e tente de novo.",
        ));
    }
    Ok((secret, id))
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = require_form_login(&state, &headers, &f).await {
        return r;
    }
    (
        [(header::SET_COOKIE, clear_cookie(secure_cookies(&state)))],
        Redirect::to("/admin/login"),
    )
        .into_response()
}

pub(super) fn shell(title: &str, csrf: &str, body: Markup) -> Response {
    page(
        title,
        html! {
            nav.card {
                a href="/admin" { "Pedidos" }
                a href="/admin/webhooks" style="margin-left:1rem" { "Webhooks" }
                form method="post" action="/admin/logout" style="display:inline;margin-left:1rem" {
                    input type="hidden" name="csrf" value=(csrf);
                    button.secondary type="submit" style="margin:0" { "Sair" }
                }
            }
            (body)
        },
    )
    .into_response()
}

fn parse_day(s: Option<&String>) -> Option<OffsetDateTime> {
    let d = Date::parse(s?, format_description!("[year]-[month]-[day]")).ok()?;
    Some(d.with_time(Time::MIDNIGHT).assume_utc())
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (secret, id) = match require_login(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let status = q
        .get("status")
        .and_then(|s| OrderStatus::ALL.into_iter().find(|x| x.as_str() == s));
    let search = q.get("q").map(|s| s.trim()).filter(|s| !s.is_empty());
    let mut filter = OrderFilter {
        status,
        created_from: parse_day(q.get("from")),
        created_to: parse_day(q.get("to")).map(|t| t + time::Duration::days(1)),
        limit: 100,
        ..OrderFilter::default()
    };
    let orders = match search {
        // A correlationID (or order id) names one order.
        Some(s) if !s.contains('@') => match state.store.get_order(s).await {
            Ok(Some(o)) => Ok(vec![o]),
            Ok(None) => {
                filter.reference = Some(s.to_owned());
                state.store.list_orders(&filter).await.map(|p| p.0)
            }
            Err(e) => Err(e),
        },
        Some(s) => match Email::parse(s) {
            Ok(e) => {
                filter.email = Some(e);
                state.store.list_orders(&filter).await.map(|p| p.0)
            }
            Err(_) => Ok(Vec::new()),
        },
        None => state.store.list_orders(&filter).await.map(|p| p.0),
    };
    let orders = match orders {
        Ok(o) => o,
        Err(e) => return internal(e),
    };
    let rejected = state
        .store
        .recent_rejected_webhooks(10)
        .await
        .unwrap_or_default();
    let csrf = csrf_token(&secret, &id);
    let v = |k: &str| q.get(k).cloned().unwrap_or_default();
    shell(
        "Pedidos — painel",
        &csrf,
        html! {
            section.card {
                h1 { "Pedidos" }
                form.filters method="get" action="/admin" role="search" {
                    div { label for="f-status" { "Situação" }
                        select #f-status name="status" {
                            option value="" { "Todas" }
                            @for s in OrderStatus::ALL {
                                option value=(s.as_str()) selected[status == Some(s)] { (status_label(s)) }
                            }
                        }
                    }
                    div { label for="f-from" { "De" } input #f-from type="date" name="from" value=(v("from")); }
                    div { label for="f-to" { "Até" } input #f-to type="date" name="to" value=(v("to")); }
                    div { label for="f-q" { "Buscar" } input #f-q type="search" name="q" value=(v("q")) placeholder="correlationID, e-mail ou referência"; }
                    button type="submit" { "Filtrar" }
                }
                p.muted { (orders.len()) " pedido(s)" }
                table {
                    thead { tr { th { "Criado" } th { "Referência" } th { "Cliente" } th { "Valor" } th { "Situação" } } }
                    tbody {
                        @for o in &orders {
                            tr {
                                td { a href={ "/admin/orders/" (o.id) } { (when(o.created_at)) } }
                                td { (o.reference.as_deref().unwrap_or("—")) }
                                td { (o.customer.name.as_str()) br; span.muted { (o.customer.email.as_ref().map(|e| e.as_str()).unwrap_or("")) } }
                                td { (format_brl(o.amount.get())) }
                                td { (status_label(o.status)) }
                            }
                        }
                    }
                }
            }
            section.card {
                h2 { "Webhooks recusados recentes" }
                @if rejected.is_empty() { p.muted { "Nenhum." } }
                ul { @for r in &rejected { li { (when(r.received_at)) " — " (r.provider) ": " (r.reason) } } }
            }
        },
    )
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(order_id): Path<String>,
) -> Response {
    let (secret, id) = match require_login(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let d = match state.store.order_detail(&order_id).await {
        Ok(Some(d)) => d,
        Ok(None) => return not_found(),
        Err(e) => return internal(e),
    };
    let inbox = match state.store.inbox_for_order(&d.order.id).await {
        Ok(i) => i,
        Err(e) => return internal(e),
    };
    let rejected = match state
        .store
        .rejected_webhooks_for_order(&d.order.id, 100)
        .await
    {
        Ok(r) => r,
        Err(e) => return internal(e),
    };
    let o = &d.order;
    let csrf = csrf_token(&secret, &id);
    let notifications = super::admin_webhooks::order_section(&state, &o.id, &csrf).await;
    shell(
        "Pedido — painel",
        &csrf,
        html! {
            section.card {
                h1 { "Pedido " (o.reference.as_deref().unwrap_or(&o.id)) }
                p.amount { (format_brl(o.amount.get())) }
                p.status data-status=(o.status.as_str()) { (status_label(o.status)) }
                dl {
                    dt { "ID" } dd { (o.id) }
                    dt { "correlationID" } dd { (o.correlation_id) }
                    dt { "Cliente" } dd { (o.customer.name.as_str()) " " (o.customer.email.as_ref().map(|e| e.as_str()).unwrap_or("")) }
                    dt { "Checkout" } dd { a href={ "/pay/" (o.checkout_token) } { "abrir página de pagamento" } }
                }
            }
            section.card {
                h2 { "Linha do tempo" }
                table { tbody { @for t in &d.timeline { tr {
                    td { (when(t.at)) } td { (t.source) } td { (t.event) }
                    td { (t.status_from.as_deref().unwrap_or("")) " → " (t.status_to.as_deref().unwrap_or("")) }
                    td { (t.note) }
                } } } }
            }
            section.card {
                h2 { "Pagamentos" }
                @if d.payments.is_empty() { p.muted { "Nenhum pagamento." } }
                ul { @for p in &d.payments { li { (when(p.paid_at)) " — " (format_brl(p.amount.get())) " — " (p.end_to_end_id) @if !p.applied { " (não aplicado)" } } } }
                @if !d.refunds.is_empty() {
                    h2 { "Estornos" }
                    ul { @for r in &d.refunds { li { (when(r.refunded_at)) " — " (format_brl(r.amount.get())) " — " (r.refund_ref) } } }
                }
            }
            section.card {
                h2 { "Webhooks recebidos" }
                @if inbox.is_empty() { p.muted { "Nenhum webhook aceito para este pedido." } }
                table { tbody { @for w in &inbox { tr {
                    td { (when(w.received_at)) } td { (w.provider) } td { (w.event_type) } td { (w.outcome) }
                } } } }
            }
            (notifications)
            section.card #recusados {
                h2 { "Webhooks recusados (não verificados)" }
                p.muted { "Tentativas que não passaram na verificação. O pedido foi associado apenas pelo que o corpo alega, sem confiança; nada delas foi aplicado ao pedido." }
                @if rejected.is_empty() { p.muted { "Nenhuma tentativa recusada cita este pedido." } }
                @else {
                    table {
                        thead { tr { th { "Recebido" } th { "Provedor" } th { "Motivo" } th { "SHA-256 do corpo" } } }
                        tbody { @for r in &rejected { tr.rejected {
                            td { (when(r.received_at)) } td { (r.provider) }
                            td { "Recusado: " (rejection_label(&r.reason)) " (" (r.reason) ")" }
                            td { @match &r.body_sha256 { Some(h) => code { (h) }, None => "não lido" } }
                        } } }
                    }
                }
            }
        },
    )
}
