//! Access to the products of platform sales: granted when the order becomes
//! paid, revoked on refund, chargeback, or cancellation/expiry after payment,
//! re-activated when paid again. Every change writes a timeline row and an
//! `access.granted` / `access.revoked` outbox event in the event's transaction.

use super::{new_id, now, parse_ts, ts, Store, StoreError};
use crate::domain::entitlement::{access_change, is_stale, AccessChange, AccessStatus};
use crate::domain::{Email, Link, OrderStatus, PaymentEvent, Sale, TaxId};
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use time::OffsetDateTime;

type Tx<'a> = Transaction<'a, Sqlite>;

/// One buyer's access to one product, as the API answers it and as
/// `access.*` events carry it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntitlementRecord {
    /// Entitlement id.
    pub id: String,
    /// The order that bought it.
    pub order_id: String,
    /// Platform of the sale (`wiapy`, `eduzz`).
    pub provider: String,
    /// Whose access it is.
    pub email: String,
    /// The platform's product id.
    pub product_id: String,
    /// Product name.
    pub product_name: String,
    /// Delivery kind (`ebook`, `online_course`…), when known.
    pub product_kind: Option<String>,
    /// Files and links delivered with it.
    pub links: Vec<Link>,
    /// `active` or `revoked`.
    pub status: &'static str,
    /// Why it was revoked.
    pub revoke_reason: Option<String>,
    /// When access was (last) granted.
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
    /// When access was revoked.
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Filters of `GET /api/v1/entitlements`.
#[derive(Debug, Clone, Default)]
pub struct EntitlementFilter {
    /// Only this holder.
    pub email: Option<Email>,
    /// Only this product.
    pub product_id: Option<String>,
    /// Only this status.
    pub status: Option<AccessStatus>,
    /// Page size.
    pub limit: u32,
    /// Id of the last entitlement of the previous page.
    pub cursor: Option<String>,
}

const SELECT: &str =
    "SELECT e.*, o.provider FROM entitlements e JOIN orders o ON o.id = e.order_id";

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn from_row(r: &SqliteRow) -> Result<EntitlementRecord, StoreError> {
    let status: String = r.try_get("status")?;
    Ok(EntitlementRecord {
        id: r.try_get("id")?,
        order_id: r.try_get("order_id")?,
        provider: r.try_get("provider")?,
        email: r.try_get("email")?,
        product_id: r.try_get("product_id")?,
        product_name: r.try_get("product_name")?,
        product_kind: r.try_get("product_kind")?,
        links: serde_json::from_str::<Vec<StoredLink>>(&r.try_get::<String, _>("links")?)
            .map_err(corrupt)?
            .into_iter()
            .map(|l| Link::new(&l.title, l.url.as_deref().unwrap_or_default()))
            .collect(),
        status: AccessStatus::parse(&status)
            .ok_or_else(|| corrupt(format!("entitlement status {status:?}")))?
            .as_str(),
        revoke_reason: r.try_get("revoke_reason")?,
        granted_at: parse_ts(&r.try_get::<String, _>("granted_at")?)?,
        revoked_at: r
            .try_get::<Option<String>, _>("revoked_at")?
            .map(|s| parse_ts(&s))
            .transpose()?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at")?)?,
    })
}

/// Links as stored (read back through [`Link::new`], so only web URLs survive).
#[derive(serde::Deserialize)]
struct StoredLink {
    title: String,
    url: Option<String>,
}

async fn load(tx: &mut Tx<'_>, id: &str) -> Result<EntitlementRecord, StoreError> {
    let row = sqlx::query(&format!("{SELECT} WHERE e.id = ?"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    from_row(&row)
}

/// Timeline row and outbox event for one change.
async fn announce(
    tx: &mut Tx<'_>,
    id: &str,
    status: OrderStatus,
    granted: bool,
) -> Result<(), StoreError> {
    let e = load(tx, id).await?;
    let (event, note) = if granted {
        (
            "access.granted",
            format!("access to {} granted to {}", e.product_name, e.email),
        )
    } else {
        (
            "access.revoked",
            format!(
                "access to {} revoked for {} ({})",
                e.product_name,
                e.email,
                e.revoke_reason.as_deref().unwrap_or("revoked")
            ),
        )
    };
    super::ingest::timeline(
        tx,
        &e.order_id,
        "webhook",
        event,
        Some(status),
        Some(status),
        &note,
    )
    .await?;
    let payload = serde_json::to_value(&e).map_err(corrupt)?;
    super::outbox::outbox(tx, &e.order_id, event, payload)
        .await
        .map(|_| ())
}

/// Applies what `ev` (about `sale`, leaving the order `order_after`) does to
/// the access of the sale's products.
pub(crate) async fn apply(
    tx: &mut Tx<'_>,
    order_id: &str,
    ev: &PaymentEvent,
    sale: &Sale,
    order_after: OrderStatus,
) -> Result<(), StoreError> {
    let Some(stated) = sale.stated else {
        return Ok(());
    };
    match access_change(stated, order_after) {
        AccessChange::Keep => Ok(()),
        AccessChange::Grant => grant(tx, order_id, ev, sale, order_after).await,
        AccessChange::Revoke(reason) => {
            for r in with_status(tx, order_id, AccessStatus::Active).await? {
                let id: String = r.try_get("id")?;
                if stale(ev, &r)? {
                    continue;
                }
                sqlx::query(
                    "UPDATE entitlements SET status = 'revoked', revoke_reason = ?, revoked_at = ?, \
                     updated_at = ?, source_at = ? WHERE id = ?",
                )
                .bind(reason.as_str())
                .bind(ts(now()))
                .bind(ts(now()))
                .bind(ev.occurred_at.map(ts))
                .bind(&id)
                .execute(&mut **tx)
                .await?;
                announce(tx, &id, order_after, false).await?;
            }
            Ok(())
        }
    }
}

/// An order's entitlements in one status (id and `source_at`), in a stable order.
async fn with_status(
    tx: &mut Tx<'_>,
    order_id: &str,
    status: AccessStatus,
) -> Result<Vec<SqliteRow>, StoreError> {
    Ok(sqlx::query(
        "SELECT id, source_at FROM entitlements WHERE order_id = ? AND status = ? ORDER BY line, email",
    )
    .bind(order_id)
    .bind(status.as_str())
    .fetch_all(&mut **tx)
    .await?)
}

fn stale(ev: &PaymentEvent, row: &SqliteRow) -> Result<bool, StoreError> {
    let last = row
        .try_get::<Option<String>, _>("source_at")?
        .map(|s| parse_ts(&s))
        .transpose()?;
    Ok(is_stale(ev.occurred_at, last))
}

async fn grant(
    tx: &mut Tx<'_>,
    order_id: &str,
    ev: &PaymentEvent,
    sale: &Sale,
    order_after: OrderStatus,
) -> Result<(), StoreError> {
    let holders = sale.holders();
    if holders.is_empty() {
        return super::ingest::timeline(
            tx,
            order_id,
            "webhook",
            "access.not_granted",
            Some(order_after),
            Some(order_after),
            "the sale names no valid buyer e-mail: no access granted",
        )
        .await;
    }
    let at = ts(now());
    if sale.products.is_empty() {
        // A re-payment that lists no products re-activates what was bought.
        for r in with_status(tx, order_id, AccessStatus::Revoked).await? {
            if stale(ev, &r)? {
                continue;
            }
            let id: String = r.try_get("id")?;
            reactivate(tx, &id, ev, &at).await?;
            announce(tx, &id, order_after, true).await?;
        }
        return Ok(());
    }
    for email in &holders {
        for (line, p) in sale.products.iter().enumerate() {
            let links = serde_json::to_string(&p.links).map_err(corrupt)?;
            let line = i64::try_from(line).map_err(corrupt)?;
            let current = sqlx::query(
                "SELECT id, status, source_at FROM entitlements WHERE order_id = ? AND email = ? AND line = ?",
            )
            .bind(order_id)
            .bind(email.as_str())
            .bind(line)
            .fetch_optional(&mut **tx)
            .await?;
            let changed_id = match current {
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO entitlements (id, order_id, email, line, product_id, product_name, \
                         product_kind, links, status, granted_at, updated_at, source_at) \
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
                    )
                    .bind(&id)
                    .bind(order_id)
                    .bind(email.as_str())
                    .bind(line)
                    .bind(&p.id)
                    .bind(&p.name)
                    .bind(&p.kind)
                    .bind(&links)
                    .bind(&at)
                    .bind(&at)
                    .bind(ev.occurred_at.map(ts))
                    .execute(&mut **tx)
                    .await?;
                    Some(id)
                }
                Some(r) => {
                    let id: String = r.try_get("id")?;
                    sqlx::query(
                        "UPDATE entitlements SET product_id = ?, product_name = ?, product_kind = ?, links = ? WHERE id = ?",
                    )
                    .bind(&p.id)
                    .bind(&p.name)
                    .bind(&p.kind)
                    .bind(&links)
                    .bind(&id)
                    .execute(&mut **tx)
                    .await?;
                    let revoked = r.try_get::<String, _>("status")? == "revoked";
                    if revoked && !stale(ev, &r)? {
                        reactivate(tx, &id, ev, &at).await?;
                        Some(id)
                    } else {
                        None
                    }
                }
            };
            if let Some(id) = changed_id {
                announce(tx, &id, order_after, true).await?;
            }
        }
    }
    Ok(())
}

async fn reactivate(
    tx: &mut Tx<'_>,
    id: &str,
    ev: &PaymentEvent,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE entitlements SET status = 'active', revoke_reason = NULL, revoked_at = NULL, \
         granted_at = ?, updated_at = ?, source_at = ? WHERE id = ?",
    )
    .bind(at)
    .bind(at)
    .bind(ev.occurred_at.map(ts))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// One page of entitlements, newest first; returns the page and the next cursor.
    pub async fn list_entitlements(
        &self,
        f: &EntitlementFilter,
    ) -> Result<(Vec<EntitlementRecord>, Option<String>), StoreError> {
        let mut qb = sqlx::QueryBuilder::<Sqlite>::new(SELECT);
        qb.push(" WHERE 1 = 1");
        if let Some(e) = &f.email {
            qb.push(" AND e.email = ").push_bind(e.as_str().to_owned());
        }
        if let Some(p) = &f.product_id {
            qb.push(" AND e.product_id = ").push_bind(p.clone());
        }
        if let Some(s) = f.status {
            qb.push(" AND e.status = ").push_bind(s.as_str());
        }
        if let Some(c) = &f.cursor {
            qb.push(" AND e.id < ").push_bind(c.clone());
        }
        let limit = f.limit.clamp(1, 200);
        qb.push(" ORDER BY e.id DESC LIMIT ")
            .push_bind(i64::from(limit) + 1);
        let rows = qb.build().fetch_all(&self.pool).await?;
        let mut out = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
        let next = if out.len() > limit as usize {
            out.truncate(limit as usize);
            out.last().map(|e| e.id.clone())
        } else {
            None
        };
        Ok((out, next))
    }

    /// Active access of a buyer known by CPF/CNPJ (through their orders).
    pub async fn active_entitlements_by_tax_id(
        &self,
        tax_id: &TaxId,
    ) -> Result<Vec<EntitlementRecord>, StoreError> {
        sqlx::query(&format!(
            "{SELECT} WHERE o.customer_tax_id = ? AND e.status = 'active' ORDER BY e.id"
        ))
        .bind(tax_id.as_str())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(from_row)
        .collect()
    }
}
