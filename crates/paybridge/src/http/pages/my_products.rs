//! The "Meus produtos" part of `/meus-pedidos`: the buyer's active access to
//! digital products, with the files and links each one delivers.

use super::portal::Holder;
use super::AppState;
use crate::domain::entitlement::AccessStatus;
use crate::store::{EntitlementFilter, EntitlementRecord, StoreError};
use maud::{html, Markup};

async fn active(state: &AppState, holder: &Holder) -> Result<Vec<EntitlementRecord>, StoreError> {
    match holder {
        Holder::Email(e) => Ok(state
            .store
            .list_entitlements(&EntitlementFilter {
                email: Some(e.clone()),
                status: Some(AccessStatus::Active),
                limit: 200,
                ..EntitlementFilter::default()
            })
            .await?
            .0),
        Holder::TaxId(t) => state.store.active_entitlements_by_tax_id(t).await,
    }
}

/// The section, in Portuguese. Only http(s) URLs were kept as links, so every
/// `href` here is a web address.
pub(super) async fn section(state: &AppState, holder: &Holder) -> Result<Markup, StoreError> {
    let list = active(state, holder).await?;
    Ok(html! {
        section.card #meus-produtos {
            h2 { "Meus produtos" }
            @if list.is_empty() { p { "Nenhum produto liberado." } }
            ul {
                @for e in &list {
                    li.produto {
                        strong { (e.product_name) }
                        @if e.links.is_empty() {
                            " — acesso liberado"
                        } @else {
                            ul {
                                @for l in &e.links {
                                    li {
                                        @match &l.url {
                                            Some(url) => a href=(url) rel="noopener noreferrer" target="_blank" {
                                                (if l.title.is_empty() { "Acessar" } else { l.title.as_str() })
                                            },
                                            None => { (l.title) " (link indisponível)" },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}
