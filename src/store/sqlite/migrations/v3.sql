-- Schema version 2 -> 3: the stock ledger. Every statement matches
-- schema.sql.

CREATE TABLE stock_moves (
    product_id INTEGER NOT NULL REFERENCES products (id),
    -- 1, 2, 3, ... for each product, in the order the changes were made.
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    delta      INTEGER NOT NULL,
    reason     TEXT    NOT NULL CHECK (reason = 'initial' OR reason = 'restock' OR reason = 'count'
                                       OR reason = 'sale' OR reason = 'cancel' OR reason = 'opening'),
    order_id   INTEGER REFERENCES orders (id)
                       CHECK ((order_id IS NOT NULL) = (reason = 'sale' OR reason = 'cancel')),
    at         TEXT    NOT NULL CHECK (length(at) = 27),
    CHECK (CASE reason WHEN 'sale' THEN delta < 0
                       WHEN 'cancel' THEN delta > 0
                       WHEN 'restock' THEN delta > 0
                       ELSE TRUE END),
    PRIMARY KEY (product_id, seq)
) STRICT, WITHOUT ROWID;

-- The ledger is opened from what the database knows: every order's sale
-- (and cancel) of its lines, and for each product first one 'opening' row,
-- dated when it was added, with whatever else its stock went through before
-- the ledger (the stock it was added with, restocks, counts) in one sum.
INSERT INTO stock_moves (product_id, seq, delta, reason, order_id, at)
WITH order_moves (product_id, delta, reason, order_id, at) AS (
    SELECT i.product_id, -i.quantity, 'sale', i.order_id, o.created_at
    FROM order_items i JOIN orders o ON o.id = i.order_id
    UNION ALL
    SELECT i.product_id, i.quantity, 'cancel', i.order_id,
           coalesce((SELECT e.at FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'canceled'),
                    o.created_at)
    FROM order_items i JOIN orders o ON o.id = i.order_id
    WHERE o.status = 'canceled'
),
net (product_id, delta) AS (
    SELECT product_id, sum(delta) FROM order_moves GROUP BY product_id
),
ledger (product_id, delta, reason, order_id, at) AS (
    SELECT p.id, p.stock - coalesce(net.delta, 0), 'opening', NULL, p.created_at
    FROM products p LEFT JOIN net ON net.product_id = p.id
    UNION ALL
    SELECT * FROM order_moves
)
SELECT product_id,
       row_number() OVER (PARTITION BY product_id
                          ORDER BY reason <> 'opening', at, order_id, reason = 'cancel'),
       delta, reason, order_id, at
FROM ledger;
