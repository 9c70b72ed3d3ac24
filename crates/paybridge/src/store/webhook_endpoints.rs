//! The store's webhook endpoints. Secrets arrive and leave sealed (see
//! `outbound::secret_box`); this module never sees a plain secret.

use super::{new_id, now, parse_ts, ts, Store, StoreError};
use crate::outbound::event_type::EventSelection;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
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

fn opt_ts(r: &SqliteRow, col: &str) -> Result<Option<OffsetDateTime>, StoreError> {
    r.try_get::<Option<String>, _>(col)?
        .map(|s| parse_ts(&s))
        .transpose()
}

fn endpoint_from_row(r: &SqliteRow) -> Result<EndpointRecord, StoreError> {
    Ok(EndpointRecord {
        id: r.try_get("id")?,
        url: r.try_get("url")?,
        description: r.try_get("description")?,
        events: EventSelection::from_stored(&r.try_get::<String, _>("events")?),
        enabled: r.try_get::<i64, _>("enabled")? != 0,
        disabled_reason: r.try_get("disabled_reason")?,
        secret_sealed: r.try_get("secret_sealed")?,
        previous_secret_sealed: r.try_get("previous_secret_sealed")?,
        previous_secret_until: opt_ts(r, "previous_secret_until")?,
        failing_since: opt_ts(r, "failing_since")?,
        last_success_at: opt_ts(r, "last_success_at")?,
        last_failure_at: opt_ts(r, "last_failure_at")?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
    })
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
        self.write_statement(
            sqlx::query(
                "INSERT INTO webhook_endpoints (id, url, description, events, enabled, secret_sealed, \
                 created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
            )
            .bind(id.to_owned())
            .bind(new.url.as_str().to_owned())
            .bind(new.description.clone())
            .bind(new.events.to_stored())
            .bind(secret_sealed.to_owned())
            .bind(at.clone())
            .bind(at),
        )
        .await?;
        self.get_endpoint(id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("inserted endpoint vanished".into()))
    }

    /// Every endpoint not deleted, oldest first.
    pub async fn list_endpoints(&self) -> Result<Vec<EndpointRecord>, StoreError> {
        sqlx::query("SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL ORDER BY id")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(endpoint_from_row)
            .collect()
    }

    /// One endpoint (not deleted).
    pub async fn get_endpoint(&self, id: &str) -> Result<Option<EndpointRecord>, StoreError> {
        sqlx::query("SELECT * FROM webhook_endpoints WHERE id = ? AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(endpoint_from_row)
            .transpose()
    }

    /// Applies a patch; `None` when there is no such endpoint.
    pub async fn update_endpoint(
        &self,
        id: &str,
        p: &EndpointPatch,
    ) -> Result<Option<EndpointRecord>, StoreError> {
        let mut qb =
            sqlx::QueryBuilder::<sqlx::Sqlite>::new("UPDATE webhook_endpoints SET updated_at = ");
        qb.push_bind(ts(now()));
        if let Some(u) = &p.url {
            qb.push(", url = ").push_bind(u.as_str().to_owned());
        }
        if let Some(e) = &p.events {
            qb.push(", events = ").push_bind(e.to_stored());
        }
        if let Some(d) = &p.description {
            qb.push(", description = ").push_bind(d.clone());
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
        qb.push(" WHERE deleted_at IS NULL AND id = ")
            .push_bind(id.to_owned());
        // Built at run time, so not a `'static` statement for the shared
        // commit; a transaction of its own on the write connection.
        let mut tx = self.begin_write().await?;
        let changed = qb.build().execute(&mut **tx).await?.rows_affected();
        tx.commit().await?;
        if changed == 0 {
            return Ok(None);
        }
        self.get_endpoint(id).await
    }

    /// Deletes an endpoint (kept for the delivery history; nothing more is sent).
    pub async fn delete_endpoint(&self, id: &str) -> Result<bool, StoreError> {
        let at = ts(now());
        let n = self
            .write_statement(
                sqlx::query(
                    "UPDATE webhook_endpoints SET deleted_at = ?, enabled = 0, disabled_reason = 'deleted', \
                     updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                )
                .bind(at.clone())
                .bind(at)
                .bind(id.to_owned()),
            )
            .await?
            .rows_affected();
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
            .write_statement(
                sqlx::query(
                    "UPDATE webhook_endpoints SET secret_sealed = ?, previous_secret_sealed = ?, \
                     previous_secret_until = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                )
                .bind(new_sealed.to_owned())
                .bind(previous_sealed.to_owned())
                .bind(ts(previous_until))
                .bind(ts(now()))
                .bind(id.to_owned()),
            )
            .await?
            .rows_affected();
        Ok(n == 1)
    }
}
