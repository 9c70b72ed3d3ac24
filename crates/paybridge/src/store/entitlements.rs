//! Access to the products of platform sales: granted when the order becomes
//! paid, revoked on refund, chargeback, or cancellation/expiry after payment,
//! re-activated when paid again. Every change writes a timeline row and an
//! `access.granted` / `access.revoked` outbox event in the event's transaction.

use super::paging::{next_page, page};
use super::sql::{sql, SqlBuilder};
use super::timeline::timeline;
use super::tx::Tx;
use super::{corrupt, new_id, now, parse_opt_ts, parse_ts, ts, Store, StoreError};
use crate::domain::entitlement::{access_change, is_stale, AccessChange, AccessStatus};
use crate::domain::{Email, Link, OrderStatus, PaymentEvent, Sale, TaxId};
use serde::Serialize;
use time::OffsetDateTime;

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

#[derive(sqlx::FromRow)]
struct EntitlementRow {
    id: String,
    order_id: String,
    provider: String,
    email: String,
    product_id: String,
    product_name: String,
    product_kind: Option<String>,
    links: String,
    status: String,
    revoke_reason: Option<String>,
    granted_at: String,
    revoked_at: Option<String>,
    updated_at: String,
}

impl TryFrom<EntitlementRow> for EntitlementRecord {
    type Error = StoreError;

    fn try_from(r: EntitlementRow) -> Result<EntitlementRecord, StoreError> {
        Ok(EntitlementRecord {
            links: serde_json::from_str::<Vec<StoredLink>>(&r.links)
                .map_err(corrupt)?
                .into_iter()
                .map(|l| Link::new(&l.title, l.url.as_deref().unwrap_or_default()))
                .collect(),
            status: AccessStatus::parse(&r.status)
                .ok_or_else(|| corrupt(format!("entitlement status {:?}", r.status)))?
                .as_str(),
            granted_at: parse_ts(&r.granted_at)?,
            revoked_at: parse_opt_ts(r.revoked_at.as_deref())?,
            updated_at: parse_ts(&r.updated_at)?,
            id: r.id,
            order_id: r.order_id,
            provider: r.provider,
            email: r.email,
            product_id: r.product_id,
            product_name: r.product_name,
            product_kind: r.product_kind,
            revoke_reason: r.revoke_reason,
        })
    }
}

/// An entitlement's id, status and the platform time of its last change.
#[derive(sqlx::FromRow)]
struct Current {
    id: String,
    status: String,
    source_at: Option<String>,
}

/// Links as stored (read back through [`Link::new`], so only web URLs survive).
#[derive(serde::Deserialize)]
struct StoredLink {
    title: String,
    url: Option<String>,
}

async fn load(tx: &mut Tx<'_>, id: &str) -> Result<EntitlementRecord, StoreError> {
    tx.fetch_one::<EntitlementRow>(sql!(
        "SELECT e.*, o.provider FROM entitlements e JOIN orders o ON o.id = e.order_id WHERE e.id = ?",
        id
    ))
    .await?
    .try_into()
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
    tx.queue(timeline(
        &e.order_id,
        "webhook",
        event,
        Some(status),
        Some(status),
        &note,
    ))
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
                if stale(ev, &r)? {
                    continue;
                }
                tx.queue(sql!(
                    "UPDATE entitlements SET status = 'revoked', revoke_reason = ?, revoked_at = ?, \
                     updated_at = ?, source_at = ? WHERE id = ?",
                    reason.as_str(),
                    ts(now()),
                    ts(now()),
                    ev.occurred_at.map(ts),
                    r.id.as_str()
                ))
                .await?;
                announce(tx, &r.id, order_after, false).await?;
            }
            Ok(())
        }
    }
}

/// An order's entitlements in one status, in a stable order.
async fn with_status(
    tx: &mut Tx<'_>,
    order_id: &str,
    status: AccessStatus,
) -> Result<Vec<Current>, StoreError> {
    tx.fetch_all::<Current>(sql!(
        "SELECT id, status, source_at FROM entitlements WHERE order_id = ? AND status = ? \
         ORDER BY line, email",
        order_id,
        status.as_str()
    ))
    .await
}

fn stale(ev: &PaymentEvent, row: &Current) -> Result<bool, StoreError> {
    Ok(is_stale(
        ev.occurred_at,
        parse_opt_ts(row.source_at.as_deref())?,
    ))
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
        return tx
            .queue(timeline(
                order_id,
                "webhook",
                "access.not_granted",
                Some(order_after),
                Some(order_after),
                "the sale names no valid buyer e-mail: no access granted",
            ))
            .await;
    }
    let at = ts(now());
    if sale.products.is_empty() {
        // A re-payment that lists no products re-activates what was bought.
        for r in with_status(tx, order_id, AccessStatus::Revoked).await? {
            if stale(ev, &r)? {
                continue;
            }
            reactivate(tx, &r.id, ev, &at).await?;
            announce(tx, &r.id, order_after, true).await?;
        }
        return Ok(());
    }
    for email in &holders {
        for (line, p) in sale.products.iter().enumerate() {
            let links = serde_json::to_string(&p.links).map_err(corrupt)?;
            let line = i64::try_from(line).map_err(corrupt)?;
            let current = tx
                .fetch_optional::<Current>(sql!(
                    "SELECT id, status, source_at FROM entitlements \
                     WHERE order_id = ? AND email = ? AND line = ?",
                    order_id,
                    email.as_str(),
                    line
                ))
                .await?;
            let changed_id = match current {
                None => {
                    let id = new_id();
                    tx.queue(sql!(
                        "INSERT INTO entitlements (id, order_id, email, line, product_id, product_name, \
                         product_kind, links, status, granted_at, updated_at, source_at) \
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
                        &id,
                        order_id,
                        email.as_str(),
                        line,
                        p.id.as_str(),
                        p.name.as_str(),
                        &p.kind,
                        links.as_str(),
                        &at,
                        &at,
                        ev.occurred_at.map(ts)
                    ))
                    .await?;
                    Some(id)
                }
                Some(r) => {
                    tx.queue(sql!(
                        "UPDATE entitlements SET product_id = ?, product_name = ?, product_kind = ?, links = ? \
                         WHERE id = ?",
                        p.id.as_str(),
                        p.name.as_str(),
                        &p.kind,
                        links.as_str(),
                        r.id.as_str()
                    ))
                    .await?;
                    if r.status == "revoked" && !stale(ev, &r)? {
                        reactivate(tx, &r.id, ev, &at).await?;
                        Some(r.id)
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
    tx.queue(sql!(
        "UPDATE entitlements SET status = 'active', revoke_reason = NULL, revoked_at = NULL, \
         granted_at = ?, updated_at = ?, source_at = ? WHERE id = ?",
        at,
        at,
        ev.occurred_at.map(ts),
        id
    ))
    .await
}

impl Store {
    /// One page of entitlements, newest first; returns the page and the next cursor.
    pub async fn list_entitlements(
        &self,
        f: &EntitlementFilter,
    ) -> Result<(Vec<EntitlementRecord>, Option<String>), StoreError> {
        let mut qb = SqlBuilder::new(SELECT);
        qb.push(" WHERE 1 = 1");
        if let Some(e) = &f.email {
            qb.push(" AND e.email = ").bind(e.as_str());
        }
        if let Some(p) = &f.product_id {
            qb.push(" AND e.product_id = ").bind(p.as_str());
        }
        if let Some(s) = f.status {
            qb.push(" AND e.status = ").bind(s.as_str());
        }
        if let Some(c) = &f.cursor {
            qb.push(" AND e.id < ").bind(c.as_str());
        }
        let out = self
            .read_all::<EntitlementRow>(page(qb, "e.id DESC", f.limit, 200))
            .await?
            .into_iter()
            .map(EntitlementRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(next_page(out, f.limit, 200, |e| e.id.clone()))
    }

    /// Active access of a buyer known by CPF/CNPJ (through their orders).
    pub async fn active_entitlements_by_tax_id(
        &self,
        tax_id: &TaxId,
    ) -> Result<Vec<EntitlementRecord>, StoreError> {
        self.read_all::<EntitlementRow>(sql!(
            "SELECT e.*, o.provider FROM entitlements e JOIN orders o ON o.id = e.order_id \
             WHERE o.customer_tax_id = ? AND e.status = 'active' ORDER BY e.id",
            tax_id.as_str()
        ))
        .await?
        .into_iter()
        .map(EntitlementRecord::try_from)
        .collect()
    }
}
