-- Several nodes on one database: the per-order event sequence lives on the
-- order row (incremented under the row's lock, never MAX + 1), and a
-- delivery lease names the node holding it. The same columns exist on both
-- backends.
ALTER TABLE orders ADD COLUMN event_seq BIGINT NOT NULL DEFAULT 0;
UPDATE orders SET event_seq = COALESCE((SELECT MAX(sequence) FROM outbox WHERE outbox.order_id = orders.id), 0);
ALTER TABLE webhook_deliveries ADD COLUMN leased_by TEXT;

-- The database clock in the schema's timestamp format, so leases and due
-- times compare against one clock whichever node asks.
CREATE FUNCTION pb_ts(t timestamptz) RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
