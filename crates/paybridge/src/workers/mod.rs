//! Background work: the reconciler (lost webhooks) and the outbound dispatcher.

pub mod dispatcher;
pub mod reconciler;
