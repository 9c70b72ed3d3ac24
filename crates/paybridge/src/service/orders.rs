//! Order use cases. The order and its correlationID are committed before any
//! provider call; the provider is called with `return_existing=true`, so a
//! crash or timeout in between is healed by calling again.

use super::error::ServiceError;
use crate::domain::{Cents, EventKind, OrderRef, OrderStatus, PaymentEvent};
use crate::gateway::{ChargeGateway, ChargeRequest, GatewayError};
use crate::store::{
    ChargeInfo, IngestCommand, IngestHandle, IngestSource, InsertOrderError, NewOrder, OrderRecord,
    Store,
};
use std::sync::Arc;

/// What the order use cases work with; cheap to clone.
#[derive(Clone)]
pub struct Orders {
    /// The database.
    pub store: Store,
    /// Where state changes are applied (the same path as webhooks).
    pub ingest: IngestHandle,
    /// The charge provider.
    pub gateway: Arc<dyn ChargeGateway>,
}

/// Result of creating an order.
pub enum Created {
    /// A new order.
    New(OrderRecord),
    /// The order an earlier request with the same `Idempotency-Key` created.
    Replayed(OrderRecord),
}

/// Creates (or replays) an order and its Pix charge.
pub async fn create(state: &Orders, new: NewOrder) -> Result<Created, ServiceError> {
    if let Some(key) = &new.idempotency_key {
        if let Some(existing) = state.store.order_by_idempotency_key(key).await? {
            return replay(state, existing, &new.request_hash).await;
        }
    }
    let order = match state.store.insert_order(&new).await {
        Ok(o) => o,
        Err(InsertOrderError::IdempotencyKeyTaken) => {
            let key = new.idempotency_key.as_deref().unwrap_or_default();
            let existing = state
                .store
                .order_by_idempotency_key(key)
                .await?
                .ok_or_else(|| {
                    ServiceError::Internal("idempotency key taken but no order holds it".into())
                })?;
            return replay(state, existing, &new.request_hash).await;
        }
        Err(InsertOrderError::Store(e)) => return Err(e.into()),
    };
    tracing::info!(order_id = %order.id, correlation_id = %order.correlation_id, "order committed");
    charge(state, order).await.map(Created::New)
}

async fn replay(
    state: &Orders,
    existing: OrderRecord,
    request_hash: &str,
) -> Result<Created, ServiceError> {
    if existing.request_hash.as_deref() != Some(request_hash) {
        return Err(ServiceError::conflict(
            "idempotency_key_reused",
            "this Idempotency-Key was used with a different request body",
        ));
    }
    if existing.charge.is_none() && existing.status == OrderStatus::Pending {
        return charge(state, existing).await.map(Created::Replayed);
    }
    Ok(Created::Replayed(existing))
}

/// Orders from a checkout platform (Wiapy, Eduzz) are charged, cancelled and
/// refunded on that platform; paybridge only mirrors them.
fn managed_here(order: &OrderRecord) -> Result<(), ServiceError> {
    if order.provider == "woovi" {
        return Ok(());
    }
    Err(ServiceError::conflict(
        "platform_order",
        format!(
            "order comes from {}; charge, cancel and refund it there",
            order.provider
        ),
    ))
}

/// Creates the Pix charge of a pending order that has none (idempotent at Woovi).
pub async fn charge(state: &Orders, order: OrderRecord) -> Result<OrderRecord, ServiceError> {
    managed_here(&order)?;
    if order.charge.is_some() {
        return Ok(order);
    }
    if order.status != OrderStatus::Pending {
        return Err(ServiceError::conflict(
            "order_not_pending",
            format!(
                "order is {}; only pending orders can be charged",
                order.status
            ),
        ));
    }
    let c = &order.customer;
    let req = ChargeRequest {
        correlation_id: order.correlation_id.clone(),
        value: order.amount.get(),
        expires_in: order.expires_in,
        comment: order.reference.as_ref().map(|r| format!("Pedido {r}")),
        customer_name: c.name.as_str().to_owned(),
        customer_email: c.email.as_ref().map(|e| e.as_str().to_owned()),
        customer_tax_id: c.tax_id.as_ref().map(|t| t.as_str().to_owned()),
        customer_phone: c.phone.as_ref().map(|p| p.as_str().to_owned()),
    };
    match state.gateway.create_charge(&req).await {
        Ok(remote) => {
            let Some(br_code) = remote.br_code.clone() else {
                return provider_failed(
                    state,
                    &order,
                    "provider answered without a BR code".into(),
                )
                .await;
            };
            let info = ChargeInfo {
                provider_ref: remote.transaction_id.clone(),
                br_code,
                qr_code_url: remote.qr_code_url.clone(),
                payment_link: remote.payment_link.clone(),
                expires_at: remote.expires_at,
            };
            state.store.set_charge(&order.id, &info).await?;
            Ok(state
                .store
                .get_order(&order.id)
                .await?
                .ok_or(ServiceError::OrderNotFound)?)
        }
        Err(e) => provider_failed(state, &order, e.to_string()).await,
    }
}

async fn provider_failed(
    state: &Orders,
    order: &OrderRecord,
    message: String,
) -> Result<OrderRecord, ServiceError> {
    tracing::warn!(order_id = %order.id, error = %message, "charge creation failed; order kept pending");
    state.store.set_charge_error(&order.id, &message).await?;
    Err(ServiceError::ProviderUnavailable {
        code: "provider_unavailable",
        message: format!(
            "Woovi did not create the charge ({message}); retry with POST /api/v1/orders/{}/charge",
            order.id
        ),
        order_id: Some(order.id.clone()),
    })
}

/// Cancels a pending order: deletes the charge at Woovi, then moves the order
/// through the same transition code as webhooks.
pub async fn cancel(state: &Orders, order: OrderRecord) -> Result<OrderRecord, ServiceError> {
    managed_here(&order)?;
    if order.status != OrderStatus::Pending {
        return Err(ServiceError::conflict(
            "order_not_cancellable",
            format!(
                "order is {}; only pending orders can be cancelled",
                order.status
            ),
        ));
    }
    if order.charge.is_some() {
        match state.gateway.delete_charge(&order.correlation_id).await {
            Ok(()) | Err(GatewayError::NotFound) => {}
            Err(e) => {
                return Err(ServiceError::ProviderUnavailable {
                    code: "provider_unavailable",
                    message: format!("Woovi did not delete the charge ({e}); retry"),
                    order_id: Some(order.id.clone()),
                })
            }
        }
    }
    let event = PaymentEvent {
        provider: "woovi",
        dedupe_key: format!("cancel:{}", order.id),
        event_type: "paybridge:CANCEL".into(),
        order_ref: OrderRef {
            correlation_id: Some(order.correlation_id.clone()),
            ..OrderRef::default()
        },
        kind: EventKind::Cancelled,
        amount: None,
        occurred_at: None,
        raw_status: Some("DELETED".into()),
        raw: serde_json::Value::Null,
        sale: None,
    };
    state
        .ingest
        .submit(IngestCommand {
            event,
            raw_body: None,
            source: IngestSource::Api,
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    state
        .store
        .get_order(&order.id)
        .await?
        .ok_or(ServiceError::OrderNotFound)
}

/// Asks Woovi for a refund; the order moves when the refund webhook arrives.
pub async fn refund(
    state: &Orders,
    order: OrderRecord,
    amount: Option<i64>,
    reason: Option<String>,
) -> Result<(crate::store::RefundRequestRecord, OrderRecord), ServiceError> {
    managed_here(&order)?;
    if !matches!(
        order.status,
        OrderStatus::Paid | OrderStatus::PartiallyRefunded
    ) {
        return Err(ServiceError::conflict(
            "order_not_refundable",
            format!(
                "order is {}; only paid orders can be refunded",
                order.status
            ),
        ));
    }
    let requested = state.store.refund_requested_total(&order.id).await?;
    let available = order
        .paid_total
        .saturating_sub(requested.max(order.refunded_total));
    let amount = match amount {
        None => available,
        Some(a) => Cents::positive(a).map_err(|e| ServiceError::invalid("amount", e))?,
    };
    if amount == Cents::ZERO || amount > available {
        return Err(ServiceError::invalid(
            "amount",
            format!(
                "must be between 1 and {} (what is left to refund)",
                available.get()
            ),
        ));
    }
    let req = state
        .store
        .insert_refund_request(&order.id, amount, reason.as_deref())
        .await?;
    match state
        .gateway
        .refund_charge(
            &order.correlation_id,
            &req.correlation_id,
            amount.get(),
            reason.as_deref(),
        )
        .await
    {
        Ok(()) => {
            state
                .store
                .finish_refund_request(&req.id, true, None)
                .await?;
        }
        Err(e) => {
            state
                .store
                .finish_refund_request(&req.id, false, Some(&e.to_string()))
                .await?;
            return Err(ServiceError::ProviderUnavailable {
                code: "provider_unavailable",
                message: format!("Woovi did not accept the refund ({e})"),
                order_id: Some(order.id.clone()),
            });
        }
    }
    let order = state
        .store
        .get_order(&order.id)
        .await?
        .ok_or(ServiceError::OrderNotFound)?;
    Ok((req, order))
}
