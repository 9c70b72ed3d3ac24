//! [`ChargeGateway`] over the Woovi REST API (`Authorization: <appID>`).

use super::{ChargeGateway, ChargeRequest, GatewayError, RemoteCharge};
use crate::secret::Secret;
use async_trait::async_trait;
use serde_json::{json, Value};
use std::time::Duration;
use time::OffsetDateTime;

/// Woovi client; `base_url` is the API root (`https://api.woovi.com` or the sandbox mount).
#[derive(Debug, Clone)]
pub struct WooviGateway {
    http: reqwest::Client,
    base_url: String,
    app_id: Secret,
}

impl WooviGateway {
    /// A client with a 15 s request timeout.
    pub fn new(base_url: &str, app_id: Secret) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("reqwest client builds");
        WooviGateway {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            app_id,
        }
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Value, GatewayError> {
        let res = req
            .header("Authorization", self.app_id.expose())
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(e.without_url().to_string()))?;
        let status = res.status();
        if status.as_u16() == 429 {
            let wait = res
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(30);
            return Err(GatewayError::RateLimited(Duration::from_secs(wait)));
        }
        let text = res
            .text()
            .await
            .map_err(|e| GatewayError::Unavailable(e.without_url().to_string()))?;
        if status.as_u16() == 404 {
            return Err(GatewayError::NotFound);
        }
        if status.is_server_error() {
            return Err(GatewayError::Unavailable(format!("HTTP {status}")));
        }
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if !status.is_success() {
            let message = body
                .get("error")
                .and_then(|e| {
                    e.as_str()
                        .map(str::to_owned)
                        .or_else(|| Some(e.to_string()))
                })
                .unwrap_or_else(|| text.chars().take(200).collect());
            return Err(GatewayError::Rejected {
                status: status.as_u16(),
                message,
            });
        }
        Ok(body)
    }
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn time_at(v: &Value, key: &str) -> Option<OffsetDateTime> {
    str_at(v, key).and_then(|t| {
        OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok()
    })
}

/// Reads the `charge` object Woovi wraps its answers in.
fn remote_charge(body: &Value) -> Result<RemoteCharge, GatewayError> {
    let c = body
        .get("charge")
        .filter(|c| c.is_object())
        .ok_or_else(|| GatewayError::Unavailable("provider answer has no charge object".into()))?;
    let expires_at = time_at(c, "expiresDate").or_else(|| {
        let created = time_at(c, "createdAt")?;
        let secs = c.get("expiresIn")?.as_i64()?;
        Some(created + time::Duration::seconds(secs))
    });
    Ok(RemoteCharge {
        correlation_id: str_at(c, "correlationID"),
        transaction_id: str_at(c, "transactionID").or_else(|| str_at(c, "identifier")),
        status: str_at(c, "status").unwrap_or_else(|| "ACTIVE".into()),
        value: c.get("value").and_then(Value::as_i64),
        br_code: str_at(c, "brCode").or_else(|| str_at(body, "brCode")),
        qr_code_url: str_at(c, "qrCodeImage"),
        payment_link: str_at(c, "paymentLinkUrl"),
        expires_at,
        paid_at: time_at(c, "paidAt"),
        end_to_end_id: c
            .get("pix")
            .and_then(|p| str_at(p, "endToEndId"))
            .or_else(|| body.get("pix").and_then(|p| str_at(p, "endToEndId"))),
        raw: body.clone(),
    })
}

#[async_trait]
impl ChargeGateway for WooviGateway {
    async fn create_charge(&self, req: &ChargeRequest) -> Result<RemoteCharge, GatewayError> {
        let mut customer = json!({ "name": req.customer_name });
        if let Some(e) = &req.customer_email {
            customer["email"] = json!(e);
        }
        if let Some(t) = &req.customer_tax_id {
            customer["taxID"] = json!(t);
        }
        if let Some(p) = &req.customer_phone {
            customer["phone"] = json!(p);
        }
        let mut payload = json!({
            "correlationID": req.correlation_id,
            "value": req.value,
            "expiresIn": req.expires_in,
            "customer": customer,
        });
        if let Some(c) = &req.comment {
            payload["comment"] = json!(c);
        }
        let body = self
            .send(
                self.http
                    .post(format!(
                        "{}/api/v1/charge?return_existing=true",
                        self.base_url
                    ))
                    .json(&payload),
            )
            .await?;
        remote_charge(&body)
    }

    async fn get_charge(&self, correlation_id: &str) -> Result<RemoteCharge, GatewayError> {
        let body = self
            .send(self.http.get(format!(
                "{}/api/v1/charge/{}",
                self.base_url,
                urlencode(correlation_id)
            )))
            .await?;
        remote_charge(&body)
    }

    async fn delete_charge(&self, id: &str) -> Result<(), GatewayError> {
        self.send(
            self.http
                .delete(format!("{}/api/v1/charge/{}", self.base_url, urlencode(id))),
        )
        .await
        .map(|_| ())
    }

    async fn refund_charge(
        &self,
        charge_id: &str,
        refund_correlation_id: &str,
        value: i64,
        comment: Option<&str>,
    ) -> Result<(), GatewayError> {
        let mut payload = json!({ "correlationID": refund_correlation_id, "value": value });
        if let Some(c) = comment {
            payload["comment"] = json!(c);
        }
        self.send(
            self.http
                .post(format!(
                    "{}/api/v1/charge/{}/refund",
                    self.base_url,
                    urlencode(charge_id)
                ))
                .json(&payload),
        )
        .await
        .map(|_| ())
    }

    async fn ensure_webhook(&self, event: &str, url: &str) -> Result<(), GatewayError> {
        let list = self
            .send(self.http.get(format!("{}/api/v1/webhook", self.base_url)))
            .await?;
        let exists = list
            .get("webhooks")
            .and_then(Value::as_array)
            .is_some_and(|hooks| {
                hooks.iter().any(|h| {
                    h.get("url").and_then(Value::as_str) == Some(url)
                        && h.get("event").and_then(Value::as_str) == Some(event)
                })
            });
        if exists {
            return Ok(());
        }
        let payload = json!({ "webhook": {
            "name": format!("paybridge {event}"),
            "event": event,
            "url": url,
            "isActive": true,
        }});
        self.send(
            self.http
                .post(format!("{}/api/v1/webhook", self.base_url))
                .json(&payload),
        )
        .await
        .map(|_| ())
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
