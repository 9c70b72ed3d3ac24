//! `GET /openapi.json`: the store-facing contract. The document is built here
//! and snapshot-tested against the committed `openapi.json` of the crate.

use super::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

fn error_response(desc: &str) -> Value {
    json!({ "description": desc, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn order_response(desc: &str) -> Value {
    json!({ "description": desc, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Order" } } } })
}

fn id_param() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": "order id or correlation_id", "schema": { "type": "string" } })
}

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let mut doc = core_document();
    add_outbound(&mut doc);
    doc
}

fn core_document() -> Value {
    let statuses = crate::domain::OrderStatus::ALL.map(|s| s.as_str());
    let list_params = [
        "status",
        "email",
        "tax_id",
        "reference",
        "created_from",
        "created_to",
        "limit",
        "cursor",
    ]
    .map(|n| json!({ "name": n, "in": "query", "schema": { "type": "string" } }));
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": { "title": "paybridge store API", "version": "1" },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                    "code": { "type": "string" }, "message": { "type": "string" },
                    "fields": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } },
                    "order_id": { "type": ["string", "null"] } } } } },
                "Customer": { "type": "object", "required": ["name"], "properties": {
                    "name": { "type": "string" }, "email": { "type": ["string", "null"] }, "tax_id": { "type": ["string", "null"], "description": "CPF or CNPJ" },
                    "phone": { "type": ["string", "null"] }, "age": { "type": ["integer", "null"] } } },
                "Item": { "type": "object", "required": ["name", "quantity", "unit_amount"], "properties": {
                    "name": { "type": "string" }, "quantity": { "type": "integer", "minimum": 1 }, "unit_amount": { "type": "integer", "minimum": 0 } } },
                "CreateOrder": { "type": "object", "required": ["amount", "customer"], "properties": {
                    "reference": { "type": "string" }, "amount": { "type": "integer", "minimum": 1, "description": "cents" },
                    "items": { "type": "array", "items": { "$ref": "#/components/schemas/Item" } },
                    "customer": { "$ref": "#/components/schemas/Customer" },
                    "expires_in": { "type": "integer", "minimum": 60, "description": "seconds" },
                    "metadata": { "type": "object" } } },
                "Pix": { "type": "object", "properties": {
                    "br_code": { "type": "string" }, "qr_code_url": { "type": ["string", "null"] },
                    "payment_link": { "type": ["string", "null"] }, "expires_at": { "type": ["string", "null"], "format": "date-time" } } },
                "Order": { "type": "object", "required": ["id", "correlation_id", "status", "amount", "customer", "checkout_url", "created_at"], "properties": {
                    "id": { "type": "string" }, "correlation_id": { "type": "string" }, "reference": { "type": ["string", "null"] },
                    "status": { "type": "string", "enum": statuses },
                    "flags": { "type": "array", "items": { "type": "string" } },
                    "amount": { "type": "integer" }, "paid_total": { "type": "integer" }, "refunded_total": { "type": "integer" },
                    "customer": { "$ref": "#/components/schemas/Customer" },
                    "checkout_url": { "type": "string" },
                    "pix": { "oneOf": [{ "$ref": "#/components/schemas/Pix" }, { "type": "null" }] },
                    "charge_error": { "type": ["string", "null"] },
                    "payments": { "type": "array", "items": { "type": "object", "properties": {
                        "end_to_end_id": { "type": "string" }, "amount": { "type": "integer" }, "applied": { "type": "boolean" }, "paid_at": { "type": "string", "format": "date-time" } } } },
                    "refunds": { "type": "array", "items": { "type": "object" } },
                    "timeline": { "type": "array", "items": { "type": "object" } },
                    "created_at": { "type": "string", "format": "date-time" }, "updated_at": { "type": "string", "format": "date-time" } } },
                "OrderList": { "type": "object", "required": ["data", "next_cursor"], "properties": {
                    "data": { "type": "array", "items": { "$ref": "#/components/schemas/Order" } },
                    "next_cursor": { "type": ["string", "null"] } } }
            }
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/api/v1/orders": {
                "post": {
                    "summary": "Create an order and its Pix charge",
                    "parameters": [{ "name": "Idempotency-Key", "in": "header", "schema": { "type": "string" } }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CreateOrder" } } } },
                    "responses": { "201": order_response("created (or replayed by Idempotency-Key)"), "401": error_response("bad API key"),
                        "409": error_response("Idempotency-Key reused with another body"), "422": error_response("every invalid field"),
                        "502": error_response("Woovi failed; order kept pending, retry with /charge") }
                },
                "get": {
                    "summary": "List orders, newest first",
                    "parameters": list_params,
                    "responses": { "200": { "description": "one page", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OrderList" } } } },
                        "422": error_response("bad filter") }
                }
            },
            "/api/v1/orders/{id}": { "get": { "summary": "An order with payments, refunds and timeline", "parameters": [id_param()],
                "responses": { "200": order_response("the order"), "404": error_response("no such order") } } },
            "/api/v1/orders/{id}/charge": { "post": { "summary": "Create the missing Pix charge (idempotent)", "parameters": [id_param()],
                "responses": { "200": order_response("charged"), "409": error_response("not pending"), "502": error_response("Woovi failed") } } },
            "/api/v1/orders/{id}/cancel": { "post": { "summary": "Cancel a pending order and delete its charge", "parameters": [id_param()],
                "responses": { "200": order_response("cancelled"), "409": error_response("not pending") } } },
            "/api/v1/orders/{id}/refund": { "post": { "summary": "Refund all or part of a paid order through Woovi", "parameters": [id_param()],
                "requestBody": { "content": { "application/json": { "schema": { "type": "object", "properties": { "amount": { "type": "integer" }, "reason": { "type": "string" } } } } } },
                "responses": { "202": { "description": "refund requested; the order moves on the refund webhook" }, "409": error_response("not paid"), "422": error_response("bad amount") } } },
            "/webhooks/woovi": { "post": { "summary": "Woovi webhooks (x-webhook-signature on the raw body)", "security": [],
                "responses": { "200": { "description": "stored (or duplicate, unmatched, test)" }, "400": error_response("malformed after valid signature"),
                    "401": error_response("signature invalid"), "413": error_response("body over 1 MiB"), "415": error_response("not JSON") } } },
            "/healthz": { "get": { "security": [], "responses": { "200": { "description": "process up" } } } },
            "/readyz": { "get": { "security": [], "responses": { "200": { "description": "database reachable" }, "503": error_response("database down") } } },
            "/metrics": { "get": { "security": [], "responses": { "200": { "description": "Prometheus text" } } } }
        }
    });
    add_platform_routes(&mut doc);
    doc
}

fn query(name: &str, desc: &str) -> Value {
    json!({ "name": name, "in": "query", "description": desc, "schema": { "type": "string" } })
}

fn platform_webhook(summary: &str, proof_failure: &str, media: &str) -> Value {
    json!({ "post": { "summary": summary, "security": [],
        "responses": { "200": { "description": "stored (or duplicate, unmatched, registration test)" },
            "400": error_response("malformed body (after authentication, or when the proof inside it cannot be read)"),
            "401": error_response(proof_failure), "413": error_response("body over 1 MiB"), "415": error_response(media) } } })
}

/// Entitlements, abandoned carts and the platform webhooks (Wiapy, Eduzz).
fn add_platform_routes(doc: &mut Value) {
    let schemas = &mut doc["components"]["schemas"];
    schemas["Entitlement"] = json!({ "type": "object", "required": ["id", "order_id", "provider", "email", "product_id", "product_name", "links", "status", "granted_at", "updated_at"], "properties": {
        "id": { "type": "string" }, "order_id": { "type": "string" }, "provider": { "type": "string", "description": "wiapy or eduzz" },
        "email": { "type": "string" }, "product_id": { "type": "string" }, "product_name": { "type": "string" },
        "product_kind": { "type": ["string", "null"], "description": "ebook, online_course, mentoring, external…" },
        "links": { "type": "array", "items": { "type": "object", "required": ["title"], "properties": {
            "title": { "type": "string" }, "url": { "type": ["string", "null"], "description": "only http(s) URLs" } } } },
        "status": { "type": "string", "enum": ["active", "revoked"] },
        "revoke_reason": { "type": ["string", "null"], "enum": ["refunded", "chargeback", "cancelled", "expired", null] },
        "granted_at": { "type": "string", "format": "date-time" }, "revoked_at": { "type": ["string", "null"], "format": "date-time" },
        "updated_at": { "type": "string", "format": "date-time" } } });
    schemas["EntitlementList"] = json!({ "type": "object", "required": ["data", "next_cursor"], "properties": {
        "data": { "type": "array", "items": { "$ref": "#/components/schemas/Entitlement" } }, "next_cursor": { "type": ["string", "null"] } } });
    schemas["AbandonedCart"] = json!({ "type": "object", "required": ["id", "provider", "cart_id", "abandoned_at", "received_at"], "properties": {
        "id": { "type": "string" }, "provider": { "type": "string" }, "cart_id": { "type": "string" },
        "customer_name": { "type": ["string", "null"] }, "customer_email": { "type": ["string", "null"] }, "customer_phone": { "type": ["string", "null"] },
        "product_id": { "type": ["string", "null"] }, "product_name": { "type": ["string", "null"] },
        "checkout_url": { "type": ["string", "null"] }, "invoice_id": { "type": ["string", "null"] },
        "abandoned_at": { "type": "string", "format": "date-time" }, "received_at": { "type": "string", "format": "date-time" } } });
    let entitlement_list = json!({ "description": "one page, newest first", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/EntitlementList" } } } });
    let paging = [
        query("limit", "1 to 200 (default 50)"),
        query("cursor", "next_cursor of the previous page"),
    ];
    let paths = &mut doc["paths"];
    paths["/api/v1/entitlements"] = json!({ "get": { "summary": "Access to products granted by platform sales",
        "parameters": [query("email", "holder"), query("product_id", "platform product id"), query("status", "active or revoked"), paging[0], paging[1]],
        "responses": { "200": entitlement_list, "401": error_response("bad API key"), "422": error_response("bad filter") } } });
    paths["/api/v1/customers/{email}/entitlements"] = json!({ "get": { "summary": "One buyer's access to products",
        "parameters": [{ "name": "email", "in": "path", "required": true, "schema": { "type": "string" } }, query("status", "active or revoked"), paging[0], paging[1]],
        "responses": { "200": entitlement_list, "401": error_response("bad API key"), "422": error_response("bad e-mail or filter") } } });
    paths["/api/v1/abandoned-carts"] = json!({ "get": { "summary": "Checkouts left before paying (Eduzz abandonment), newest first",
        "parameters": [query("from", "RFC 3339, inclusive"), query("to", "RFC 3339, exclusive"), query("limit", "1 to 500 (default 100)")],
        "responses": { "200": { "description": "the carts", "content": { "application/json": { "schema": { "type": "object", "required": ["data"], "properties": {
            "data": { "type": "array", "items": { "$ref": "#/components/schemas/AbandonedCart" } } } } } } },
            "401": error_response("bad API key"), "422": error_response("bad time range") } } });
    paths["/webhooks/wiapy"] = platform_webhook(
        "Wiapy sale webhooks (Authorization equals a configured token)",
        "token missing, wrong, or none configured",
        "not JSON",
    );
    paths["/webhooks/eduzz"] = platform_webhook(
        "Eduzz legacy webhooks (body field origin equals a configured token; JSON or form)",
        "origin missing, wrong, or none configured",
        "neither JSON nor form",
    );
    paths["/webhooks/eduzz-hub"] = platform_webhook(
        "Eduzz Developer Hub webhooks (x-signature HMAC-SHA256 of the raw body)",
        "signature missing, wrong, or no secret configured",
        "not JSON",
    );
}

async fn serve() -> Json<Value> {
    Json(document())
}

/// `GET /openapi.json`.
pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(serve))
}

/// Outbound webhooks: endpoints, events, attempts and the message the store receives.
fn add_outbound(doc: &mut Value) {
    let event_types = crate::outbound::event_type::EVENT_TYPES;
    let ep_param = json!({ "name": "id", "in": "path", "required": true, "description": "webhook endpoint id (ep_…)", "schema": { "type": "string" } });
    let ev_param = json!({ "name": "id", "in": "path", "required": true, "description": "event id (evt_…, also the webhook-id)", "schema": { "type": "string" } });
    let endpoint = |desc: &str| json!({ "description": desc, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/WebhookEndpoint" } } } });
    let event_params = ["type", "order_id", "status", "limit", "cursor"]
        .map(|n| json!({ "name": n, "in": "query", "schema": { "type": "string" } }));
    let queued = json!({ "description": "re-queued", "content": { "application/json": { "schema": { "type": "object", "properties": { "queued": { "type": "integer" } } } } } });
    let schemas = json!({
        "WebhookEndpoint": { "type": "object", "required": ["id", "url", "events", "enabled", "health"], "properties": {
            "id": { "type": "string" }, "url": { "type": "string" }, "description": { "type": ["string", "null"] },
            "events": { "type": "array", "items": { "type": "string", "enum": event_types }, "description": "empty: every event type" },
            "enabled": { "type": "boolean" }, "disabled_reason": { "type": ["string", "null"] },
            "health": { "type": "object", "properties": { "status": { "type": "string", "enum": ["healthy", "failing", "disabled"] },
                "failing_since": { "type": ["string", "null"], "format": "date-time" }, "last_success_at": { "type": ["string", "null"], "format": "date-time" },
                "last_failure_at": { "type": ["string", "null"], "format": "date-time" } } },
            "secret": { "type": "string", "description": "whsec_…; only in the answer to create" },
            "created_at": { "type": "string", "format": "date-time" } } },
        "WebhookEndpointInput": { "type": "object", "properties": {
            "url": { "type": "string", "description": "http(s); internal addresses refused unless PAYBRIDGE_OUTBOUND_ALLOW_PRIVATE=true" },
            "events": { "type": "array", "items": { "type": "string", "enum": event_types } },
            "description": { "type": "string" }, "enabled": { "type": "boolean", "description": "PATCH only" } } },
        "EventMessage": { "type": "object", "description": "The body POSTed to the store, signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>)",
            "required": ["id", "type", "created_at", "data"], "properties": {
            "id": { "type": "string" }, "type": { "type": "string", "enum": event_types }, "created_at": { "type": "string", "format": "date-time" },
            "data": { "description": "the order (or entitlement) as the API returns it at the time of the change, plus its per-order `sequence`",
                "allOf": [{ "$ref": "#/components/schemas/Order" }, { "type": "object", "properties": { "sequence": { "type": "integer" } } }] } } },
        "Event": { "type": "object", "properties": {
            "id": { "type": "string" }, "type": { "type": "string" }, "order_id": { "type": "string" }, "sequence": { "type": "integer" },
            "status": { "type": "string", "enum": crate::store::outbox::EVENT_STATUSES }, "created_at": { "type": "string", "format": "date-time" },
            "payload": { "$ref": "#/components/schemas/EventMessage" },
            "deliveries": { "type": "array", "items": { "type": "object" }, "description": "GET /api/v1/events/{id} only" } } }
    });
    let paths = json!({
        "/api/v1/webhook-endpoints": {
            "post": { "summary": "Register an endpoint; the answer holds its secret (shown once)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/WebhookEndpointInput" } } } },
                "responses": { "201": endpoint("created, with `secret`"), "422": error_response("bad url (or refused address), events or description") } },
            "get": { "summary": "Every endpoint with its health", "responses": { "200": { "description": "`{ data: [WebhookEndpoint] }`" } } } },
        "/api/v1/webhook-endpoints/{id}": {
            "get": { "summary": "One endpoint", "parameters": [ep_param], "responses": { "200": endpoint("the endpoint"), "404": error_response("no such endpoint") } },
            "patch": { "summary": "Change url, events, description or enabled (enabling clears the failure streak)", "parameters": [ep_param],
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/WebhookEndpointInput" } } } },
                "responses": { "200": endpoint("changed"), "404": error_response("no such endpoint"), "422": error_response("bad field; nothing changed") } },
            "delete": { "summary": "Delete (history kept, nothing more sent)", "parameters": [ep_param], "responses": { "204": { "description": "deleted" }, "404": error_response("no such endpoint") } } },
        "/api/v1/webhook-endpoints/{id}/rotate-secret": { "post": { "summary": "New secret; the old one also signs for 24 h", "parameters": [ep_param],
            "responses": { "200": { "description": "`{ id, secret, previous_secret_valid_until }`" }, "404": error_response("no such endpoint") } } },
        "/api/v1/webhook-endpoints/{id}/test": { "post": { "summary": "Send a signed `ping` now and report the answer", "parameters": [ep_param],
            "responses": { "200": { "description": "`{ id, delivered, status_code, latency_ms, response }`" }, "404": error_response("no such endpoint") } } },
        "/api/v1/webhook-endpoints/{id}/recover": { "post": { "summary": "Re-queue every failed delivery created since a time", "parameters": [ep_param],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["since"], "properties": { "since": { "type": "string", "format": "date-time" } } } } } },
            "responses": { "202": queued.clone(), "404": error_response("no such endpoint"), "422": error_response("since missing or not RFC 3339") } } },
        "/api/v1/events": { "get": { "summary": "Events, newest first",
            "parameters": event_params,
            "responses": { "200": { "description": "`{ data: [Event], next_cursor }`" }, "422": error_response("unknown type or status") } } },
        "/api/v1/events/{id}": { "get": { "summary": "One event with its deliveries", "parameters": [ev_param.clone()],
            "responses": { "200": { "description": "the event", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Event" } } } }, "404": error_response("no such event") } } },
        "/api/v1/events/{id}/attempts": { "get": { "summary": "Every attempt: time, status code, latency, response snippet", "parameters": [ev_param.clone()],
            "responses": { "200": { "description": "`{ data: [{ delivery_id, endpoint_id, at, status_code, latency_ms, response }] }`" }, "404": error_response("no such event") } } },
        "/api/v1/events/{id}/redeliver": { "post": { "summary": "Send the event again (same webhook-id) to every enabled endpoint subscribed to it", "parameters": [ev_param],
            "responses": { "202": queued, "404": error_response("no such event") } } }
    });
    for (section, add) in [("/components/schemas", schemas), ("/paths", paths)] {
        if let (Some(target), Value::Object(add)) =
            (doc.pointer_mut(section).and_then(Value::as_object_mut), add)
        {
            target.extend(add);
        }
    }
}
