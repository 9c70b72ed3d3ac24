//! `/api/v1/charge…`, the QR image and the payment link page.

use super::body::JsonObject;
use super::{page, AppState, QueryMap};
use crate::clock::parse_iso;
use crate::error::{ApiError, ApiResult};
use crate::events::{self, name};
use crate::flows::{self, RefundRequest};
use crate::ids;
use crate::model::{ChargeRec, ChargeStatus};
use crate::pix;
use crate::store::Write;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// Woovi's default validity of a charge: 30 days.
const DEFAULT_EXPIRES_IN: i64 = 2_592_000;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/charge", get(list).post(create))
        .route("/api/v1/charge/{id}", get(get_one).delete(delete))
        .route("/api/v1/charge/{id}/refund", get(list_refunds).post(refund))
}

/// Routes a buyer's browser or bank app reaches without an AppID.
pub(super) fn public_router() -> Router<AppState> {
    Router::new()
        .route("/openpix/charge/brcode/image/{file}", get(qr_image))
        .route("/pay/{id}", get(pay_page))
}

async fn create(
    State(shared): State<AppState>,
    query: QueryMap,
    body: JsonObject,
) -> ApiResult<Json<Value>> {
    let correlation_id = body.required_str("correlationID")?;
    let value = body
        .uint("value")?
        .ok_or_else(|| ApiError::bad_request("value is required"))?;
    let kind = body.str("type")?.unwrap_or_else(|| "DYNAMIC".to_owned());
    if !matches!(kind.as_str(), "DYNAMIC" | "OVERDUE") {
        return Err(ApiError::bad_request("type must be DYNAMIC or OVERDUE"));
    }
    let expires_in = body
        .uint("expiresIn")?
        .filter(|e| *e > 0)
        .unwrap_or(DEFAULT_EXPIRES_IN);
    let customer = match body.object("customer")? {
        Some(c) => Some(c.customer()?),
        None => None,
    };
    let return_existing = query.get("return_existing").is_some_and(|v| v == "true");
    let identifier = body.str("identifier")?.unwrap_or_else(ids::txid);
    let br_code =
        pix::dynamic_brcode(&shared.base, &identifier, value).map_err(ApiError::bad_request)?;
    let now = shared.clock.now();
    let charge = ChargeRec {
        correlation_id: correlation_id.clone(),
        global_id: ids::global_id("Charge"),
        identifier,
        payment_link_id: ids::uuid(),
        value,
        kind,
        comment: body.str("comment")?.unwrap_or_default(),
        status: ChargeStatus::Active,
        customer,
        payer: None,
        additional_info: body.array("additionalInfo")?,
        br_code,
        expires_in,
        ensure_same_tax_id: body.bool("ensureSameTaxID")?.unwrap_or(false),
        created_at: now,
        updated_at: now,
        expires_date: now + time::Duration::seconds(expires_in),
        paid_at: None,
    };
    {
        let mut state = shared.lock();
        if let Some(existing) = state.charges.get(&correlation_id) {
            if return_existing {
                return Ok(Json(created(existing, &shared.base)));
            }
            return Err(ApiError::bad_request(
                "Já existe uma cobrança com este correlationID",
            ));
        }
        state.charges.insert(charge.clone());
    }
    shared.persist(vec![Write::put(&charge)]).await?;
    let answer = created(&charge, &shared.base);
    shared.emit(
        name::CHARGE_CREATED,
        &events::charge_only(name::CHARGE_CREATED, answer["charge"].clone()),
    );
    Ok(Json(answer))
}

fn created(charge: &ChargeRec, base: &str) -> Value {
    json!({ "charge": charge.render(base), "correlationID": charge.correlation_id, "brCode": charge.br_code })
}

async fn get_one(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let charge = state
        .charges
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("Cobrança não encontrada"))?;
    Ok(Json(json!({ "charge": charge.render(&shared.base) })))
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> ApiResult<Json<Value>> {
    let status = query.get("status").cloned();
    let start = query
        .get("start")
        .map(|s| parse_iso(s).ok_or_else(|| ApiError::bad_request("invalid start")));
    let end = query
        .get("end")
        .map(|s| parse_iso(s).ok_or_else(|| ApiError::bad_request("invalid end")));
    let (start, end) = (start.transpose()?, end.transpose()?);
    let customer = query.get("customer").cloned();
    let state = shared.lock();
    let items = state
        .charges
        .iter()
        .rev()
        .filter(|c| status.as_deref().is_none_or(|s| c.status.as_str() == s))
        .filter(|c| start.is_none_or(|s| c.created_at >= s))
        .filter(|c| end.is_none_or(|e| c.created_at <= e))
        .filter(|c| {
            customer.as_deref().is_none_or(|want| {
                c.customer
                    .as_ref()
                    .is_some_and(|cu| cu.correlation_id == want)
            })
        })
        .map(|c| c.render(&shared.base))
        .collect();
    Ok(Json(page("charges", items, &query)))
}

async fn delete(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let removed = shared
        .lock()
        .charges
        .remove(&id)
        .ok_or_else(|| ApiError::bad_request("Cobrança não encontrada"))?;
    shared.persist(vec![Write::delete(&removed)]).await?;
    Ok(Json(json!({ "status": "OK", "id": id })))
}

async fn refund(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: JsonObject,
) -> ApiResult<Json<Value>> {
    let correlation_id = body.required_str("correlationID")?;
    let value = body.uint("value")?;
    let comment = body.str("comment")?;
    let transaction = {
        let state = shared.lock();
        let charge = state
            .charges
            .get(&id)
            .ok_or_else(|| ApiError::bad_request("Cobrança não encontrada"))?;
        if charge.status != ChargeStatus::Completed {
            return Err(ApiError::bad_request("Cobrança não foi paga"));
        }
        let cid = charge.correlation_id.as_str();
        let found = state
            .transactions
            .iter()
            .find(|t| t.charge.as_deref() == Some(cid))
            .map(|t| t.global_id.clone());
        found.ok_or_else(|| ApiError::bad_request("Transação da cobrança não encontrada"))?
    };
    let refund = flows::refund(
        &shared,
        RefundRequest {
            transaction,
            correlation_id,
            value,
            comment,
        },
    )
    .await?;
    Ok(Json(json!({ "refund": refund.render_charge_refund() })))
}

async fn list_refunds(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let charge = state
        .charges
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("Cobrança não encontrada"))?;
    let refunds: Vec<Value> = state
        .refunds
        .iter()
        .filter(|r| r.charge.as_deref() == Some(charge.correlation_id.as_str()))
        .map(|r| r.render_charge_refund())
        .collect();
    Ok(Json(json!({ "refunds": refunds })))
}

async fn qr_image(
    State(shared): State<AppState>,
    Path(file): Path<String>,
    query: QueryMap,
) -> ApiResult<Response> {
    let id = file.strip_suffix(".png").unwrap_or(&file);
    let size = match query.get("size") {
        Some(s) => s
            .parse::<u32>()
            .map_err(|_| ApiError::bad_request("size must be a number"))?,
        None => 1024,
    };
    if !(600..=4096).contains(&size) {
        return Err(ApiError::bad_request("size must be between 600 and 4096"));
    }
    let br_code = {
        let state = shared.lock();
        state
            .charges
            .get(id)
            .map(|c| c.br_code.clone())
            .or_else(|| state.qr_codes.get(id).map(|q| q.br_code.clone()))
            .ok_or_else(|| ApiError::bad_request("Cobrança não encontrada"))?
    };
    let png = tokio::task::spawn_blocking(move || pix::png(&br_code, size))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

async fn pay_page(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Html<String>> {
    let state = shared.lock();
    let (value, br_code, status) = if let Some(c) = state.charges.get(&id) {
        (c.value, c.br_code.clone(), c.status.as_str())
    } else if let Some(q) = state.qr_codes.get(&id) {
        (q.value.unwrap_or(0), q.br_code.clone(), "ACTIVE")
    } else {
        return Err(ApiError::not_found("Cobrança não encontrada"));
    };
    let img = format!(
        "{}/openpix/charge/brcode/image/{id}.png?size=600",
        shared.base
    );
    Ok(Html(format!(
        "<!doctype html><meta charset=utf-8><title>Woovi sandbox</title>\
         <h1>R$ {},{:02} — {status}</h1><img src=\"{img}\" alt=\"QR code\" width=300>\
         <p><code>{}</code></p>",
        value / 100,
        value % 100,
        html_escape(&br_code)
    )))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
