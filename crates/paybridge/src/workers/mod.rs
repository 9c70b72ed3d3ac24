//! Background work: the reconciler (lost webhooks). The outbound dispatcher comes later.

pub mod reconciler;
