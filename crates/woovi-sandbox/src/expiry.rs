//! Expiry: charges past `expiresDate` on the sandbox clock become `EXPIRED`
//! and fire `OPENPIX:CHARGE_EXPIRED`. A ticker sweeps regularly; advancing the
//! clock sweeps at once.

use crate::events;
use crate::model::ChargeStatus;
use crate::state::Shared;
use crate::store::Write;
use std::sync::{Arc, Weak};

/// Starts the ticker; it stops once the sandbox is dropped.
pub(crate) fn spawn(shared: Arc<Shared>) {
    let weak: Weak<Shared> = Arc::downgrade(&shared);
    let tick = shared.config.expiry_tick;
    drop(shared);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let Some(shared) = weak.upgrade() else { return };
            sweep(&shared).await;
        }
    });
}

/// Expires every active charge that is past due now.
pub(crate) async fn sweep(shared: &Arc<Shared>) {
    let now = shared.clock.now();
    let mut writes = Vec::new();
    let mut payloads = Vec::new();
    {
        let mut state = shared.lock();
        for charge in state.charges.iter_mut() {
            if charge.status == ChargeStatus::Active && charge.expires_date <= now {
                charge.status = ChargeStatus::Expired;
                charge.updated_at = now;
                writes.push(Write::put(&*charge));
                payloads.push(events::charge_only(
                    events::name::CHARGE_EXPIRED,
                    charge.render(&shared.base),
                ));
            }
        }
    }
    if payloads.is_empty() {
        return;
    }
    if let Err(err) = shared.persist(writes).await {
        tracing::error!(?err, "could not persist expired charges");
    }
    for payload in &payloads {
        shared.emit(events::name::CHARGE_EXPIRED, payload);
    }
}
