-- paybridge schema. Kept to SQL that also runs on PostgreSQL where easy:
-- TEXT ids (UUID), TEXT RFC 3339 UTC timestamps, BIGINT cents, INTEGER 0/1 booleans.

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    correlation_id TEXT NOT NULL UNIQUE,
    provider TEXT NOT NULL,
    provider_ref TEXT,
    status TEXT NOT NULL,
    flags TEXT NOT NULL DEFAULT '',
    amount BIGINT NOT NULL,
    paid_total BIGINT NOT NULL DEFAULT 0,
    refunded_total BIGINT NOT NULL DEFAULT 0,
    customer_name TEXT NOT NULL,
    customer_email TEXT,
    customer_tax_id TEXT,
    customer_phone TEXT,
    customer_age INTEGER,
    reference TEXT,
    items TEXT,
    metadata TEXT,
    idempotency_key TEXT UNIQUE,
    request_hash TEXT,
    checkout_token TEXT NOT NULL UNIQUE,
    expires_in BIGINT NOT NULL,
    br_code TEXT,
    qr_code_url TEXT,
    payment_link TEXT,
    charge_expires_at TEXT,
    charge_created_at TEXT,
    charge_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (provider, provider_ref)
);
CREATE INDEX orders_status_created ON orders (status, created_at);
CREATE INDEX orders_email ON orders (customer_email);
CREATE INDEX orders_tax_id ON orders (customer_tax_id);
CREATE INDEX orders_reference ON orders (reference);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    end_to_end_id TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL,
    applied INTEGER NOT NULL,
    paid_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);

CREATE TABLE refund_requests (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    correlation_id TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL,
    reason TEXT,
    status TEXT NOT NULL,
    error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX refund_requests_order ON refund_requests (order_id);

CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    refund_ref TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL,
    refunded_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id);

CREATE TABLE order_timeline (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    event TEXT NOT NULL,
    status_from TEXT,
    status_to TEXT,
    note TEXT NOT NULL
);
CREATE INDEX order_timeline_order ON order_timeline (order_id, at);

CREATE TABLE inbox (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    received_at TEXT NOT NULL,
    event_type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    order_id TEXT REFERENCES orders (id),
    body_sha256 TEXT NOT NULL,
    raw_body BLOB,
    UNIQUE (provider, dedupe_key)
);
CREATE INDEX inbox_outcome ON inbox (outcome, received_at);

CREATE TABLE rejected_webhooks (
    id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    provider TEXT NOT NULL,
    reason TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    remote_addr TEXT
);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (order_id, sequence)
);
CREATE INDEX outbox_status ON outbox (status, created_at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
