//! `/api/v1/partner…`: pre-registrations of affiliated companies and API
//! applications for them (whose AppIDs the sandbox then accepts).

use super::body::JsonObject;
use super::{page, AppState, QueryMap};
use crate::backoffice::{ApplicationRec, PreRegistrationRec};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::model::tax_id_json;
use crate::store::Write;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/partner/company", get(list).post(create))
        .route("/api/v1/partner/company/{tax_id}", get(get_one))
        .route("/api/v1/partner/application", post(application))
}

async fn create(State(shared): State<AppState>, body: JsonObject) -> ApiResult<Json<Value>> {
    let pre = body
        .object("preRegistration")?
        .ok_or_else(|| ApiError::bad_request("preRegistration is required"))?;
    let user = body
        .object("user")?
        .ok_or_else(|| ApiError::bad_request("user is required"))?;
    let tax_id = pre
        .tax_id("taxID")?
        .ok_or_else(|| ApiError::bad_request("preRegistration.taxID is required"))?;
    let user_tax_id = user
        .tax_id("taxID")?
        .ok_or_else(|| ApiError::bad_request("user.taxID is required"))?;
    let user_json = json!({
        "firstName": user.required_str("firstName")?,
        "lastName": user.required_str("lastName")?,
        "email": user.required_str("email")?,
        "phone": user.required_str("phone")?,
        "taxID": tax_id_json(&user_tax_id),
    });
    let rec = PreRegistrationRec {
        tax_id,
        name: pre.required_str("name")?,
        website: pre.str("website")?,
        user: user_json,
        company_id: ids::object_id(),
    };
    {
        let mut state = shared.lock();
        if state.pre_registrations.get(&rec.tax_id).is_some() {
            return Err(ApiError::bad_request(
                "Já existe um pré-cadastro com este taxID",
            ));
        }
        state.pre_registrations.insert(rec.clone());
    }
    shared.persist(vec![Write::put(&rec)]).await?;
    Ok(Json(
        json!({ "preRegistration": rec.render_pre_registration(), "user": rec.user }),
    ))
}

async fn get_one(
    State(shared): State<AppState>,
    Path(tax_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let digits: String = tax_id.chars().filter(char::is_ascii_digit).collect();
    let state = shared.lock();
    let rec = state
        .pre_registrations
        .get(&digits)
        .ok_or_else(|| ApiError::bad_request("Pré-cadastro não encontrado"))?;
    let client_id = state
        .applications
        .get(&format!("taxID:{digits}"))
        .map(|a| a.client_id.clone());
    Ok(Json(
        json!({ "preRegistration": rec.render_item(client_id.as_deref()) }),
    ))
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> Json<Value> {
    let state = shared.lock();
    let items = state
        .pre_registrations
        .iter()
        .rev()
        .map(|p| {
            let client = state
                .applications
                .get(&format!("taxID:{}", p.tax_id))
                .map(|a| a.client_id.as_str());
            p.render_item(client)
        })
        .collect();
    Json(page("preRegistrations", items, &query))
}

async fn application(State(shared): State<AppState>, body: JsonObject) -> ApiResult<Json<Value>> {
    let app = body
        .object("application")?
        .ok_or_else(|| ApiError::bad_request("application is required"))?;
    let tax_id = body
        .tax_id("taxID")?
        .ok_or_else(|| ApiError::bad_request("taxID is required"))?;
    let kind = app.str("type")?.unwrap_or_else(|| "API".to_owned());
    if !matches!(kind.as_str(), "API" | "PLUGIN" | "ORACLE") {
        return Err(ApiError::bad_request(
            "application.type must be API, PLUGIN or ORACLE",
        ));
    }
    let rec = ApplicationRec {
        client_id: format!("Client_Id_{}", ids::uuid()),
        client_secret: format!("Client_Secret_{}", ids::txid()),
        name: app.required_str("name")?,
        kind,
        company_tax_id: tax_id.clone(),
    };
    {
        let mut state = shared.lock();
        if state.pre_registrations.get(&tax_id).is_none() {
            return Err(ApiError::bad_request("Pré-cadastro não encontrado"));
        }
        state.applications.insert(rec.clone());
    }
    shared.add_app_id(&rec.app_id());
    shared.persist(vec![Write::put(&rec)]).await?;
    Ok(Json(json!({ "application": rec.render() })))
}
