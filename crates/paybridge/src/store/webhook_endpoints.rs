//! The store's webhook endpoints. Secrets arrive and leave sealed (see
//! `outbound::secret_box`); this module never sees a plain secret.

use super::job::Statements;
use super::sql::{sql, SqlBuilder};
use super::{new_id, now, parse_opt_ts, parse_ts, ts, Store, StoreError};
use crate::outbound::event_type::EventSelection;
use time::OffsetDateTime;
use url::Url;

/// A new endpoint, parsed.
#[derive(Debug, Clone)]
pub struct NewEndpoint {
    /// Where events are POSTed (already checked by the SSRF guard).
    pub url: Url,
    /// Free text for the merchant.
    pub description: Option<String>,
    /// Subscribed event types.
    pub events: EventSelection,
}

/// Changes to an endpoint; `None` leaves a field as is.
#[derive(Debug, Clone, Default)]
pub struct EndpointPatch {
    /// New URL.
    pub url: Option<Url>,
    /// New subscription.
    pub events: Option<EventSelection>,
    /// Enable (clears the failure streak) or disable.
    pub enabled: Option<bool>,
    /// New description.
    pub description: Option<Option<String>>,
}

/// An endpoint row.
#[derive(Debug, Clone)]
pub struct EndpointRecord {
    /// `ep_…`.
    pub id: String,
    /// Target URL.
    pub url: String,
    /// Description.
    pub description: Option<String>,
    /// Subscription.
    pub events: EventSelection,
    /// Whether deliveries go out.
    pub enabled: bool,
    /// Why it was disabled automatically (410, failing for days) or by hand.
    pub disabled_reason: Option<String>,
    /// Sealed current secret.
    pub secret_sealed: String,
    /// Sealed previous secret, still signing until `previous_secret_until`.
    pub previous_secret_sealed: Option<String>,
    /// End of the rotation overlap.
    pub previous_secret_until: Option<OffsetDateTime>,
    /// Start of the current failure streak.
    pub failing_since: Option<OffsetDateTime>,
    /// Last 2xx.
    pub last_success_at: Option<OffsetDateTime>,
    /// Last failed attempt.
    pub last_failure_at: Option<OffsetDateTime>,
    /// Created.
    pub created_at: OffsetDateTime,
}

/// A new endpoint id.
pub fn new_endpoint_id() -> String {
    format!("ep_{}", new_id().replace('-', ""))
}

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: String,
    url: String,
    description: Option<String>,
    events: String,
    enabled: i64,
    disabled_reason: Option<String>,
    secret_sealed: String,
    previous_secret_sealed: Option<String>,
    previous_secret_until: Option<String>,
    failing_since: Option<String>,
    last_success_at: Option<String>,
    last_failure_at: Option<String>,
    created_at: String,
}

impl TryFrom<EndpointRow> for EndpointRecord {
    type Error = StoreError;

    fn try_from(r: EndpointRow) -> Result<EndpointRecord, StoreError> {
        Ok(EndpointRecord {
            events: EventSelection::from_stored(&r.events),
            enabled: r.enabled != 0,
            previous_secret_until: parse_opt_ts(r.previous_secret_until.as_deref())?,
            failing_since: parse_opt_ts(r.failing_since.as_deref())?,
            last_success_at: parse_opt_ts(r.last_success_at.as_deref())?,
            last_failure_at: parse_opt_ts(r.last_failure_at.as_deref())?,
            created_at: parse_ts(&r.created_at)?,
            id: r.id,
            url: r.url,
            description: r.description,
            disabled_reason: r.disabled_reason,
            secret_sealed: r.secret_sealed,
            previous_secret_sealed: r.previous_secret_sealed,
        })
    }
}

impl Store {
    /// Saves a new endpoint with its sealed secret.
    pub async fn insert_endpoint(
        &self,
        id: &str,
        new: &NewEndpoint,
        secret_sealed: &str,
    ) -> Result<EndpointRecord, StoreError> {
        let at = ts(now());
        self.write(sql!(
            "INSERT INTO webhook_endpoints (id, url, description, events, enabled, secret_sealed, \
             created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
            id,
            new.url.as_str(),
            &new.description,
            new.events.to_stored(),
            secret_sealed,
            &at,
            &at
        ))
        .await?;
        self.get_endpoint(id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("inserted endpoint vanished".into()))
    }

    /// Every endpoint not deleted, oldest first.
    pub async fn list_endpoints(&self) -> Result<Vec<EndpointRecord>, StoreError> {
        self.read_all::<EndpointRow>(sql!(
            "SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL ORDER BY id"
        ))
        .await?
        .into_iter()
        .map(EndpointRecord::try_from)
        .collect()
    }

    /// One endpoint (not deleted).
    pub async fn get_endpoint(&self, id: &str) -> Result<Option<EndpointRecord>, StoreError> {
        self.read_optional::<EndpointRow>(sql!(
            "SELECT * FROM webhook_endpoints WHERE id = ? AND deleted_at IS NULL",
            id
        ))
        .await?
        .map(EndpointRecord::try_from)
        .transpose()
    }

    /// Applies a patch; `None` when there is no such endpoint.
    pub async fn update_endpoint(
        &self,
        id: &str,
        p: &EndpointPatch,
    ) -> Result<Option<EndpointRecord>, StoreError> {
        let mut qb = SqlBuilder::new("UPDATE webhook_endpoints SET updated_at = ");
        qb.bind(ts(now()));
        if let Some(u) = &p.url {
            qb.push(", url = ").bind(u.as_str());
        }
        if let Some(e) = &p.events {
            qb.push(", events = ").bind(e.to_stored());
        }
        if let Some(d) = &p.description {
            qb.push(", description = ").bind(d.clone());
        }
        match p.enabled {
            Some(true) => {
                qb.push(", enabled = 1, disabled_reason = NULL, failing_since = NULL");
            }
            Some(false) => {
                qb.push(", enabled = 0, disabled_reason = 'disabled by the merchant'");
            }
            None => {}
        }
        qb.push(" WHERE deleted_at IS NULL AND id = ").bind(id);
        let changed = self.run_job(Statements(vec![qb.build()])).await?;
        if changed == 0 {
            return Ok(None);
        }
        self.get_endpoint(id).await
    }

    /// Deletes an endpoint (kept for the delivery history; nothing more is sent).
    pub async fn delete_endpoint(&self, id: &str) -> Result<bool, StoreError> {
        let at = ts(now());
        let n = self
            .write(sql!(
                "UPDATE webhook_endpoints SET deleted_at = ?, enabled = 0, disabled_reason = 'deleted', \
                 updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                &at,
                &at,
                id
            ))
            .await?;
        Ok(n == 1)
    }

    /// Replaces the secret; the old one keeps signing until `previous_until`.
    pub async fn rotate_endpoint_secret(
        &self,
        id: &str,
        new_sealed: &str,
        previous_sealed: &str,
        previous_until: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let n = self
            .write(sql!(
                "UPDATE webhook_endpoints SET secret_sealed = ?, previous_secret_sealed = ?, \
                 previous_secret_until = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                new_sealed,
                previous_sealed,
                ts(previous_until),
                ts(now()),
                id
            ))
            .await?;
        Ok(n == 1)
    }
}
