-- Schema version 2 -> 3: the stock ledger. Every statement matches
-- schema.sql.

CREATE TABLE stock_moves (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    delta      INTEGER NOT NULL,
    reason     TEXT    NOT NULL CHECK (reason = 'initial' OR reason = 'restock' OR reason = 'count'
                                       OR reason = 'sale' OR reason = 'cancel' OR reason = 'opening'),
    order_id   INTEGER REFERENCES orders (id)
                       CHECK ((order_id IS NOT NULL) = (reason = 'sale' OR reason = 'cancel')),
    at         TEXT    NOT NULL CHECK (length(at) = 27),
    CHECK (CASE reason WHEN 'sale' THEN delta < 0
                       WHEN 'cancel' THEN delta > 0
                       WHEN 'restock' THEN delta > 0
                       ELSE TRUE END)
) STRICT;

CREATE INDEX stock_moves_by_product ON stock_moves (product_id, id);
-- The ledger is opened from what the database knows: every order's sale
-- (and cancel) of its lines, and for each product one 'opening' row, dated
-- when it was added, with whatever else its stock went through before the
-- ledger (the stock it was added with, restocks, counts) in one sum.
INSERT INTO stock_moves (product_id, delta, reason, order_id, at)
    SELECT i.product_id, -i.quantity, 'sale', i.order_id, o.created_at
    FROM order_items i JOIN orders o ON o.id = i.order_id
    ORDER BY i.order_id, i.product_id;

INSERT INTO stock_moves (product_id, delta, reason, order_id, at)
    SELECT i.product_id, i.quantity, 'cancel', i.order_id,
           (SELECT e.at FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'canceled')
    FROM order_items i JOIN orders o ON o.id = i.order_id
    WHERE o.status = 'canceled'
    ORDER BY i.order_id, i.product_id;

INSERT INTO stock_moves (product_id, delta, reason, order_id, at)
    SELECT p.id, p.stock - (SELECT coalesce(sum(m.delta), 0) FROM stock_moves m WHERE m.product_id = p.id),
           'opening', NULL, p.created_at
    FROM products p ORDER BY p.id;
