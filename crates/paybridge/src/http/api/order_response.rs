//! The JSON shape of an order in API answers (built by the store's shared
//! representation, so events carry exactly what the API answers).

use crate::http::AppState;
use crate::store::{OrderDetail, OrderRecord};
use serde_json::{json, Value};

/// An order as answered by create, get and list.
pub fn order_json(state: &AppState, o: &OrderRecord) -> Value {
    crate::store::order_json(state.public_url.as_str(), o)
}

/// An order with payments, refunds and timeline.
pub fn detail_json(state: &AppState, d: &OrderDetail) -> Value {
    let mut v = order_json(state, &d.order);
    v["payments"] = json!(d.payments);
    v["refunds"] = json!(d.refunds);
    v["timeline"] = json!(d.timeline);
    v
}
