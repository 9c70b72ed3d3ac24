//! State changes that fire webhooks: paying a charge, refunding a payment.

use crate::error::{ApiError, ApiResult};
use crate::events::{self, name};
use crate::ids;
use crate::model::{ChargeStatus, CustomerRec, RefundRec, RefundStatus, TransactionRec};
use crate::state::Shared;
use crate::store::Write;
use serde_json::Value;
use std::sync::Arc;

/// The payer used when the test payment names none.
fn default_payer() -> CustomerRec {
    CustomerRec {
        correlation_id: ids::uuid(),
        name: Some("Pagador Sandbox".to_owned()),
        email: None,
        phone: None,
        tax_id: Some("12345678909".to_owned()),
        address: None,
    }
}

/// Pays the charge found by `key` in full; returns `(charge, transaction)` JSON.
pub(crate) async fn pay_charge(
    shared: &Arc<Shared>,
    key: &str,
    payer: Option<CustomerRec>,
) -> ApiResult<(Value, Value)> {
    crate::expiry::sweep(shared).await;
    let now = shared.clock.now();
    let (charge_json, tx, writes) = {
        let mut state = shared.lock();
        let charge = state
            .charges
            .get_mut(key)
            .ok_or_else(|| ApiError::bad_request("Cobrança não encontrada"))?;
        match charge.status {
            ChargeStatus::Active => {}
            ChargeStatus::Completed => return Err(ApiError::bad_request("Cobrança já foi paga")),
            ChargeStatus::Expired => return Err(ApiError::bad_request("Cobrança expirada")),
        }
        let payer = payer
            .or_else(|| charge.customer.clone())
            .unwrap_or_else(default_payer);
        charge.status = ChargeStatus::Completed;
        charge.paid_at = Some(now);
        charge.updated_at = now;
        charge.payer = Some(payer.clone());
        let tx = TransactionRec {
            global_id: ids::global_id("PixTransaction"),
            end_to_end_id: ids::end_to_end_id('E', now),
            transaction_id: charge.identifier.clone(),
            charge: Some(charge.correlation_id.clone()),
            value: charge.value,
            info_pagador: "woovi sandbox testing".to_owned(),
            payer,
            customer: charge.customer.clone(),
            time: now,
        };
        let charge_json = charge.render(&shared.base);
        let writes = vec![Write::put(&*charge), Write::put(&tx)];
        state.transactions.insert(tx.clone());
        (charge_json, tx, writes)
    };
    shared.persist(writes).await?;
    shared.emit(
        name::CHARGE_COMPLETED,
        &events::payment(name::CHARGE_COMPLETED, charge_json.clone(), &tx),
    );
    shared.emit(
        name::TRANSACTION_RECEIVED,
        &events::payment(name::TRANSACTION_RECEIVED, charge_json.clone(), &tx),
    );
    let tx_json = tx.render(Some(charge_json.clone()));
    Ok((charge_json, tx_json))
}

/// What a refund request asks for.
pub(crate) struct RefundRequest {
    /// Transaction globalID, endToEndId or txid.
    pub transaction: String,
    pub correlation_id: String,
    /// Whole remaining value when absent.
    pub value: Option<i64>,
    pub comment: Option<String>,
}

/// Starts a refund (`IN_PROCESSING`) and schedules its confirmation.
pub(crate) async fn refund(shared: &Arc<Shared>, req: RefundRequest) -> ApiResult<RefundRec> {
    let now = shared.clock.now();
    let refund = {
        let mut state = shared.lock();
        if state.refunds.get(&req.correlation_id).is_some() {
            return Err(ApiError::bad_request(
                "Já existe um reembolso com este correlationID",
            ));
        }
        let tx = state
            .transactions
            .get(&req.transaction)
            .ok_or_else(|| ApiError::bad_request("Transação não encontrada"))?
            .clone();
        let already: i64 = state
            .refunds
            .iter()
            .filter(|r| r.transaction == tx.global_id && r.status != RefundStatus::Rejected)
            .map(|r| r.value)
            .sum();
        let remaining = tx.value - already;
        let value = req.value.unwrap_or(remaining);
        if value <= 0 && req.value.is_some() {
            return Err(ApiError::bad_request(
                "O valor do reembolso deve ser maior que zero",
            ));
        }
        if value > remaining || remaining <= 0 {
            return Err(ApiError::bad_request(
                "O valor do reembolso excede o valor disponível da transação",
            ));
        }
        let refund = RefundRec {
            correlation_id: req.correlation_id,
            refund_id: ids::txid(),
            global_id: ids::global_id("PixTransactionRefund"),
            end_to_end_id: ids::end_to_end_id('D', now),
            transaction: tx.global_id.clone(),
            charge: tx.charge.clone(),
            value,
            comment: req.comment,
            status: RefundStatus::InProcessing,
            time: now,
        };
        state.refunds.insert(refund.clone());
        refund
    };
    shared.persist(vec![Write::put(&refund)]).await?;
    let delay = shared.config.refund_confirm_delay;
    let key = refund.correlation_id.clone();
    let bg = shared.clone();
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        confirm(&bg, &key).await;
    });
    Ok(refund)
}

async fn confirm(shared: &Arc<Shared>, key: &str) {
    let (refund, tx, charge) = {
        let mut state = shared.lock();
        let Some(refund) = state.refunds.get_mut(key) else {
            return;
        };
        refund.status = RefundStatus::Confirmed;
        let refund = refund.clone();
        let Some(tx) = state.transactions.get(&refund.transaction).cloned() else {
            return;
        };
        let charge = refund
            .charge
            .as_deref()
            .and_then(|c| state.charges.get(c))
            .map(|c| c.render(&shared.base));
        (refund, tx, charge)
    };
    if let Err(err) = shared.persist(vec![Write::put(&refund)]).await {
        tracing::error!(?err, "could not persist refund confirmation");
    }
    shared.emit(
        name::TRANSACTION_REFUND_RECEIVED,
        &events::refund_received(&refund, &tx, charge),
    );
    shared.emit(
        name::REFUND_SENT_CONFIRMED,
        &events::refund_sent_confirmed(&refund, &tx),
    );
}
