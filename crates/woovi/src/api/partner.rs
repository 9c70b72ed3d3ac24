//! `/api/v1/partner`: affiliated companies and their applications.

use super::{list_ops, no_filters, ListParams};
use crate::client::{decode, decode_wrapped, seg, Client, Idempotency, Query};
use crate::error::Error;
use crate::models::{PartnerApplication, PartnerApplicationRequest, PreRegistration};

/// Partner operations.
#[derive(Debug, Clone, Copy)]
pub struct Partners<'a> {
    pub(crate) client: &'a Client,
}

impl Partners<'_> {
    /// Creates an API application for a pre-registered company. Woovi
    /// answers 200 with the existing one on a repeat, so it is retried.
    pub async fn create_application(
        &self,
        req: &PartnerApplicationRequest,
    ) -> Result<PartnerApplication, Error> {
        let bytes = self
            .client
            .post(
                "/api/v1/partner/application",
                &Query::new(),
                req,
                Idempotency::Safe,
            )
            .await?;
        decode_wrapped(&bytes, &["application"])
    }

    /// Gets a pre-registration by its tax ID.
    pub async fn get_pre_registration(&self, tax_id: &str) -> Result<PreRegistration, Error> {
        let path = format!("/api/v1/partner/company/{}", seg(tax_id));
        self.client
            .get_wrapped(&path, &Query::new(), &["preRegistration"])
            .await
    }

    /// Creates a pre-registration; the taxID is Woovi's idempotency key.
    pub async fn create_pre_registration(
        &self,
        req: &PreRegistration,
    ) -> Result<PreRegistration, Error> {
        let bytes = self
            .client
            .post(
                "/api/v1/partner/company",
                &Query::new(),
                req,
                Idempotency::Safe,
            )
            .await?;
        decode(&bytes)
    }

    list_ops!(
        PreRegistration,
        "/api/v1/partner/company",
        ListParams,
        no_filters
    );
}
