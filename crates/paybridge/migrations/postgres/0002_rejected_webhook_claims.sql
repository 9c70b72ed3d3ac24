-- What a rejected (unverified) webhook body claims to be about, read
-- best-effort so the attempt can be listed on that order's admin page.
-- Never trusted for anything else.
ALTER TABLE rejected_webhooks ADD COLUMN claimed_correlation_id TEXT;
ALTER TABLE rejected_webhooks ADD COLUMN claimed_provider_ref TEXT;
ALTER TABLE rejected_webhooks ADD COLUMN claimed_end_to_end_id TEXT;
CREATE INDEX rejected_webhooks_claimed_correlation ON rejected_webhooks (claimed_correlation_id);
CREATE INDEX rejected_webhooks_claimed_provider_ref ON rejected_webhooks (claimed_provider_ref);
CREATE INDEX rejected_webhooks_claimed_end_to_end ON rejected_webhooks (claimed_end_to_end_id);
