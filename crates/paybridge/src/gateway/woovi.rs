//! [`ChargeGateway`] over [`woovi::Client`]: maps our requests to the crate's
//! models and its errors to [`GatewayError`].

use super::{ChargeGateway, ChargeRequest, GatewayError, RemoteCharge};
use crate::secret::Secret;
use async_trait::async_trait;
use std::time::Duration;
use time::OffsetDateTime;
use woovi::api::WebhookListParams;
use woovi::models::{
    Charge, ChargeRefundRequest, CustomerInput, TransactionListParams, WebhookEventKind,
    WebhookRequest,
};

/// Woovi (or a Woovi-compatible sandbox) behind the gateway port.
#[derive(Debug, Clone)]
pub struct WooviGateway {
    client: woovi::Client,
}

impl WooviGateway {
    /// A client for `base_url` (`https://api.woovi.com` or the sandbox mount):
    /// 15 s per attempt, two retries of what is safe to repeat.
    pub fn new(base_url: &str, app_id: &Secret) -> Result<Self, GatewayError> {
        let client = woovi::Client::builder(app_id.expose())
            .base_url(base_url)
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .max_retries(2)
            .build()
            .map_err(map_err)?;
        Ok(WooviGateway { client })
    }

    /// The underlying client (CLI tools reuse it).
    pub fn client(&self) -> &woovi::Client {
        &self.client
    }

    /// End-to-end id of the Pix that paid the charge (the charge object does
    /// not carry it; its transaction does).
    async fn end_to_end_id(&self, correlation_id: &str) -> Result<Option<String>, GatewayError> {
        let page = self
            .client
            .transactions()
            .list(&TransactionListParams {
                charge: Some(correlation_id.to_owned()),
                limit: Some(10),
                ..TransactionListParams::default()
            })
            .await
            .map_err(map_err)?;
        Ok(page.items.into_iter().find_map(|t| t.end_to_end_id))
    }
}

fn map_err(e: woovi::Error) -> GatewayError {
    match e {
        woovi::Error::Transport(e) => GatewayError::Unavailable(e.without_url().to_string()),
        woovi::Error::RateLimited { retry_after } => {
            GatewayError::RateLimited(retry_after.unwrap_or(Duration::from_secs(30)))
        }
        woovi::Error::Api { status: 404, .. } => GatewayError::NotFound,
        // Woovi answers an unknown charge with 400 and a message, not 404.
        woovi::Error::Api {
            status: 400,
            message,
            ..
        } if is_not_found(&message) => GatewayError::NotFound,
        woovi::Error::Api {
            status, message, ..
        } if status >= 500 => GatewayError::Unavailable(format!("HTTP {status}: {message}")),
        woovi::Error::Api {
            status, message, ..
        } => GatewayError::Rejected { status, message },
        woovi::Error::Unauthorized { message } => GatewayError::Rejected {
            status: 401,
            message,
        },
        e @ woovi::Error::Decode { .. } => GatewayError::Unavailable(e.to_string()),
        woovi::Error::InvalidInput(message) => GatewayError::Rejected {
            status: 400,
            message,
        },
    }
}

/// Registers `url` for `event` unless a registration with the same URL and
/// event exists; `true` when it created one. Shared by start-up (embedded
/// sandbox) and `paybridge woovi webhooks setup`.
pub async fn ensure_webhook(
    client: &woovi::Client,
    event: &str,
    url: &str,
) -> Result<bool, woovi::Error> {
    let page = client
        .webhooks()
        .list(&WebhookListParams {
            url: Some(url.to_owned()),
            limit: Some(100),
            ..WebhookListParams::default()
        })
        .await?;
    let exists = page.items.iter().any(|h| {
        h.url.as_deref() == Some(url) && h.event.as_ref().map(|e| e.as_str()) == Some(event)
    });
    if exists {
        return Ok(false);
    }
    client
        .webhooks()
        .create(&WebhookRequest {
            name: Some(format!("paybridge {event}")),
            event: Some(WebhookEventKind::from(event)),
            url: url.to_owned(),
            authorization: None,
            is_active: Some(true),
        })
        .await?;
    Ok(true)
}

fn is_not_found(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("not found") || m.contains("não encontrad")
}

fn parse_time(s: Option<&str>) -> Option<OffsetDateTime> {
    s.and_then(|t| OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok())
}

fn remote(c: Charge, br_code: Option<String>) -> RemoteCharge {
    let expires_at = parse_time(c.expires_date.as_deref()).or_else(|| {
        Some(parse_time(c.created_at.as_deref())? + time::Duration::seconds(c.expires_in?))
    });
    RemoteCharge {
        correlation_id: c.correlation_id.clone(),
        transaction_id: c.transaction_id.clone().or_else(|| c.identifier.clone()),
        status: c
            .status
            .as_ref()
            .map_or_else(|| "ACTIVE".to_owned(), |s| s.as_str().to_owned()),
        value: c.value,
        br_code: c.br_code.clone().or(br_code),
        qr_code_url: c.qr_code_image.clone(),
        payment_link: c.payment_link_url.clone(),
        expires_at,
        paid_at: parse_time(c.paid_at.as_deref()),
        end_to_end_id: None,
        raw: serde_json::to_value(&c).unwrap_or_default(),
    }
}

#[async_trait]
impl ChargeGateway for WooviGateway {
    async fn create_charge(&self, req: &ChargeRequest) -> Result<RemoteCharge, GatewayError> {
        let mut body = woovi::models::ChargeRequest::new(&req.correlation_id, req.value);
        body.expires_in = Some(req.expires_in);
        body.comment = req.comment.clone();
        body.customer = Some(CustomerInput {
            name: req.customer_name.clone(),
            email: req.customer_email.clone(),
            phone: req.customer_phone.clone(),
            tax_id: req.customer_tax_id.clone(),
            ..CustomerInput::default()
        });
        let created = self
            .client
            .charges()
            .create(&body, true)
            .await
            .map_err(map_err)?;
        let charge = created.charge.ok_or_else(|| {
            GatewayError::Unavailable("provider answer has no charge object".into())
        })?;
        Ok(remote(charge, created.br_code))
    }

    async fn get_charge(&self, correlation_id: &str) -> Result<RemoteCharge, GatewayError> {
        let charge = self
            .client
            .charges()
            .get(correlation_id)
            .await
            .map_err(map_err)?;
        let mut out = remote(charge, None);
        if out.status == "COMPLETED" {
            out.end_to_end_id = self.end_to_end_id(correlation_id).await?;
        }
        Ok(out)
    }

    async fn delete_charge(&self, id: &str) -> Result<(), GatewayError> {
        self.client
            .charges()
            .delete(id)
            .await
            .map(|_| ())
            .map_err(map_err)
    }

    async fn refund_charge(
        &self,
        charge_id: &str,
        refund_correlation_id: &str,
        value: i64,
        comment: Option<&str>,
    ) -> Result<(), GatewayError> {
        let req = ChargeRefundRequest {
            correlation_id: refund_correlation_id.to_owned(),
            value: Some(value),
            comment: comment.map(str::to_owned),
        };
        self.client
            .charges()
            .refund(charge_id, &req)
            .await
            .map(|_| ())
            .map_err(map_err)
    }

    async fn ensure_webhook(&self, event: &str, url: &str) -> Result<bool, GatewayError> {
        ensure_webhook(&self.client, event, url)
            .await
            .map_err(map_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn woovi_not_found_answers_map_to_not_found() {
        let api = |status, message: &str| woovi::Error::Api {
            status,
            message: message.into(),
            code: None,
        };
        for e in [
            api(404, "x"),
            api(400, "Cobrança não encontrada"),
            api(400, "Charge not found"),
        ] {
            assert!(matches!(map_err(e), GatewayError::NotFound));
        }
        assert!(matches!(
            map_err(api(400, "value is required")),
            GatewayError::Rejected { status: 400, .. }
        ));
        assert!(matches!(
            map_err(api(503, "down")),
            GatewayError::Unavailable(_)
        ));
    }
}
