//! Static Pix QR codes: `/api/v1/qrcode-static…` (OpenAPI) and the
//! `/api/v1/pixQrCode-static…` spelling of the API reference.

use super::body::JsonObject;
use super::{page, AppState, QueryMap};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::model::PixQrCodeRec;
use crate::pix;
use crate::store::Write;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    let mut router = Router::new();
    for prefix in ["/api/v1/qrcode-static", "/api/v1/pixQrCode-static"] {
        router = router
            .route(prefix, get(list).post(create))
            .route(&format!("{prefix}/{{id}}"), get(get_one));
    }
    router
}

async fn create(State(shared): State<AppState>, body: JsonObject) -> ApiResult<Json<Value>> {
    let name = body.required_str("name")?;
    let identifier = body
        .str("identifier")?
        .unwrap_or_else(|| ids::txid()[..25].to_owned());
    if identifier.len() > 25 || !identifier.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ApiError::bad_request(
            "identifier must be up to 25 letters and digits",
        ));
    }
    let value = body.uint("value")?;
    let comment = body.str("comment")?;
    let br_code = pix::static_brcode(&identifier, value, comment.as_deref())
        .map_err(ApiError::bad_request)?;
    let rec = PixQrCodeRec {
        correlation_id: body.str("correlationID")?.unwrap_or_else(ids::uuid),
        global_id: ids::global_id("PixQrCode"),
        identifier,
        payment_link_id: ids::uuid(),
        name,
        value,
        comment,
        br_code,
        created_at: shared.clock.now(),
    };
    {
        let mut state = shared.lock();
        if state.qr_codes.get(&rec.correlation_id).is_some()
            || state.qr_codes.get(&rec.identifier).is_some()
        {
            return Err(ApiError::bad_request(
                "Já existe um QR Code com este correlationID ou identifier",
            ));
        }
        state.qr_codes.insert(rec.clone());
    }
    shared.persist(vec![Write::put(&rec)]).await?;
    Ok(Json(json!({
        "pixQrCode": rec.render(&shared.base),
        "correlationID": rec.correlation_id,
        "brCode": rec.br_code,
    })))
}

async fn get_one(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let state = shared.lock();
    let rec = state
        .qr_codes
        .get(&id)
        .ok_or_else(|| ApiError::bad_request("QR Code não encontrado"))?;
    Ok(Json(json!({ "pixQrCode": rec.render(&shared.base) })))
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> Json<Value> {
    let state = shared.lock();
    let items = state
        .qr_codes
        .iter()
        .rev()
        .map(|q| q.render(&shared.base))
        .collect();
    Json(page("pixQrCodes", items, &query))
}
