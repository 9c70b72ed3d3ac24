//! The page shell, the compiled-in assets and the pt-BR error pages.

use super::AppState;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, DOCTYPE};

const CSS: &str = include_str!("../../../assets/pages.css");
const CHECKOUT_JS: &str = include_str!("../../../assets/checkout.js");

/// Serves the stylesheet and scripts (same origin, no CDN).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/pages.css",
            get(|| async { asset("text/css", CSS) }),
        )
        .route(
            "/assets/checkout.js",
            get(|| async { asset("text/javascript", CHECKOUT_JS) }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// A whole page: `lang="pt-BR"`, viewport for phones, the shared stylesheet.
pub(super) fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="pt-BR" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) }
                link rel="stylesheet" href="/assets/pages.css";
            }
            body {
                main { (body) }
            }
        }
    }
}

/// An error page with its status code.
pub(super) fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = page(
        title,
        html! {
            section.card role="alert" {
                h1 { (title) }
                p { (message) }
            }
        },
    );
    (status, body).into_response()
}

/// 404 in Portuguese.
pub(super) fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Página não encontrada",
        "Não encontramos este pedido. Confira o link recebido da loja.",
    )
}

/// 500 in Portuguese; the cause is logged, not shown.
pub(super) fn internal(err: impl std::fmt::Display) -> Response {
    tracing::error!(error = %err, "page failed");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Erro interno",
        "Algo deu errado do nosso lado. Tente de novo em instantes.",
    )
}
