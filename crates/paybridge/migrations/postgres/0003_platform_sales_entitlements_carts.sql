-- Sales from checkout platforms (Wiapy, Eduzz), the access to digital
-- products they grant, and abandoned carts.

-- What a platform says about a sale beyond the order row (one per order that
-- started on a platform; the order itself is keyed by provider + provider_ref).
CREATE TABLE platform_sales (
    order_id TEXT PRIMARY KEY REFERENCES orders (id),
    platform TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    -- The last status the platform stated (unified name) and its own word.
    stated_status TEXT,
    raw_status TEXT,
    -- JSON: {method, brand, raw}.
    payment_method TEXT,
    -- CPF/CNPJ as sent, punctuation removed (may fail its check digits).
    buyer_document TEXT,
    student_email TEXT,
    -- JSON: the products with their links, as last sent.
    products TEXT NOT NULL,
    -- JSON: the subscription's state when the sale recurs.
    subscription TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (platform, transaction_id)
);

-- One buyer's access to one product of one order. `line` is the product's
-- position in the sale: platforms repeat product ids within a sale.
CREATE TABLE entitlements (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    email TEXT NOT NULL,
    line BIGINT NOT NULL,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    product_kind TEXT,
    -- JSON: [{title, url}], url only when it is an http(s) URL.
    links TEXT NOT NULL,
    -- active | revoked
    status TEXT NOT NULL,
    revoke_reason TEXT,
    granted_at TEXT NOT NULL,
    revoked_at TEXT,
    updated_at TEXT NOT NULL,
    -- The platform's time of the event behind the last change (stale events lose).
    source_at TEXT,
    UNIQUE (order_id, email, line)
);
CREATE INDEX entitlements_email ON entitlements (email, status);
CREATE INDEX entitlements_product ON entitlements (product_id, status);

CREATE TABLE abandoned_carts (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    cart_id TEXT NOT NULL,
    customer_name TEXT,
    customer_email TEXT,
    customer_phone TEXT,
    product_id TEXT,
    product_name TEXT,
    checkout_url TEXT,
    invoice_id TEXT,
    -- When the buyer opened the checkout (or when we heard of it).
    abandoned_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (provider, cart_id)
);
CREATE INDEX abandoned_carts_at ON abandoned_carts (abandoned_at);

-- An abandoned cart is no order, yet its `cart.abandoned` event goes through
-- the outbox like every other: `outbox.order_id` becomes nullable.
ALTER TABLE outbox ALTER COLUMN order_id DROP NOT NULL;
