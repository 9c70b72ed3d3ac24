-- Several nodes on one database: the per-order event sequence lives on the
-- order row (incremented under the row's lock, never MAX + 1), and a
-- delivery lease names the node holding it. The same columns exist on both
-- backends.
ALTER TABLE orders ADD COLUMN event_seq BIGINT NOT NULL DEFAULT 0;
UPDATE orders SET event_seq = COALESCE((SELECT MAX(sequence) FROM outbox WHERE outbox.order_id = orders.id), 0);
ALTER TABLE webhook_deliveries ADD COLUMN leased_by TEXT;
