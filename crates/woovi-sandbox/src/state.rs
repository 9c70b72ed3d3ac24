//! Everything the routes and workers share: records, AppIDs, signing key,
//! clock, delivery log, the optional SQLite mirror.

use crate::backoffice::{
    ApplicationRec, CashbackRec, PaymentRec, PreRegistrationRec, SubscriptionRec, WithdrawalRec,
};
use crate::clock::Clock;
use crate::delivery::{self, DeliveryLog};
use crate::error::ApiError;
use crate::model::{ChargeRec, CustomerRec, PixQrCodeRec, RefundRec, TransactionRec, WebhookRec};
use crate::signer::Signer;
use crate::store::{Disk, Record, Table, Write};
use crate::{SandboxConfig, SandboxError};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// All records.
#[derive(Default)]
pub(crate) struct State {
    pub charges: Table<ChargeRec>,
    pub customers: Table<CustomerRec>,
    pub transactions: Table<TransactionRec>,
    pub refunds: Table<RefundRec>,
    pub webhooks: Table<WebhookRec>,
    pub qr_codes: Table<PixQrCodeRec>,
    pub payments: Table<PaymentRec>,
    pub subscriptions: Table<SubscriptionRec>,
    pub pre_registrations: Table<PreRegistrationRec>,
    pub applications: Table<ApplicationRec>,
    pub cashbacks: Table<CashbackRec>,
    pub withdrawals: Table<WithdrawalRec>,
}

/// The sandbox behind every clone of `Sandbox` and every route.
pub(crate) struct Shared {
    pub config: SandboxConfig,
    /// `public_base_url` without a trailing slash.
    pub base: String,
    state: Mutex<State>,
    disk: Option<Disk>,
    app_ids: RwLock<HashSet<String>>,
    pub signer: Signer,
    pub clock: Clock,
    pub deliveries: DeliveryLog,
    pub http: reqwest::Client,
}

async fn load_into<T: Record>(disk: &Disk, table: &mut Table<T>) -> Result<(), SandboxError> {
    for row in disk.load::<T>().await? {
        table.insert(row);
    }
    Ok(())
}

impl Shared {
    /// Loads state and key; see `Sandbox::new`.
    pub(crate) async fn open(config: SandboxConfig) -> Result<Arc<Shared>, SandboxError> {
        crate::pix::check_base_url(&config.public_base_url)?;
        let signer = Signer::load_or_generate(
            config.signing_key_pem.as_deref(),
            config.data_dir.as_deref(),
            config.key_bits,
        )
        .await?;
        let mut state = State::default();
        let disk = match &config.data_dir {
            Some(dir) => {
                let disk = Disk::open(dir).await?;
                load_into(&disk, &mut state.charges).await?;
                load_into(&disk, &mut state.customers).await?;
                load_into(&disk, &mut state.transactions).await?;
                load_into(&disk, &mut state.refunds).await?;
                load_into(&disk, &mut state.webhooks).await?;
                load_into(&disk, &mut state.qr_codes).await?;
                load_into(&disk, &mut state.payments).await?;
                load_into(&disk, &mut state.subscriptions).await?;
                load_into(&disk, &mut state.pre_registrations).await?;
                load_into(&disk, &mut state.applications).await?;
                load_into(&disk, &mut state.cashbacks).await?;
                load_into(&disk, &mut state.withdrawals).await?;
                Some(disk)
            }
            None => None,
        };
        let mut app_ids: HashSet<String> = config.app_ids.iter().cloned().collect();
        app_ids.extend(state.applications.iter().map(ApplicationRec::app_id));
        let http = reqwest::Client::builder()
            .timeout(config.webhook_timeout)
            .build()
            .map_err(|e| SandboxError::Config(e.to_string()))?;
        Ok(Arc::new(Shared {
            base: config.public_base_url.trim_end_matches('/').to_owned(),
            config,
            state: Mutex::new(state),
            disk,
            app_ids: RwLock::new(app_ids),
            signer,
            clock: Clock::default(),
            deliveries: DeliveryLog::default(),
            http,
        }))
    }

    /// Locks the records; never hold the guard across an `.await`.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Mirrors changes to disk (no-op in memory mode).
    pub(crate) async fn persist(&self, writes: Vec<Write>) -> Result<(), ApiError> {
        match &self.disk {
            Some(disk) => disk.apply(writes).await.map_err(ApiError::from),
            None => Ok(()),
        }
    }

    /// Whether `Authorization` carries an accepted AppID.
    pub(crate) fn is_app_id(&self, id: &str) -> bool {
        self.app_ids
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(id)
    }

    /// Accepts one more AppID.
    pub(crate) fn add_app_id(&self, id: &str) {
        self.app_ids
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned());
    }

    /// Sends `payload` to every active webhook registered for `event`.
    pub(crate) fn emit(self: &Arc<Self>, event: &str, payload: &Value) {
        let targets: Vec<WebhookRec> = {
            let state = self.lock();
            state
                .webhooks
                .iter()
                .filter(|w| w.is_active && w.event == event)
                .cloned()
                .collect()
        };
        if targets.is_empty() {
            return;
        }
        let body = bytes::Bytes::from(serde_json::to_vec(payload).unwrap_or_default());
        for hook in targets {
            delivery::spawn(self.clone(), event.to_owned(), hook, body.clone());
        }
    }
}
