-- The shopdesk database, schema version 7.
--
-- This file is the one source of truth: the binary embeds it and runs it on a
-- new database. Every change to it also adds a step to src/store/sqlite/migrate.rs
-- that brings a database of the previous version to the same result.
--
-- Status CHECKs are written as ORs rather than IN (...): SQLite builds a
-- temporary b-tree for an IN list each time a row is checked, which doubled
-- the cost of writing an order.
--
-- Conventions: tables are STRICT (an integer column never holds a float, so
-- money stays whole cents); times are UTC text in one fixed-width format
-- (YYYY-MM-DDTHH:MM:SS.ffffffZ), so text order is time order; CHECK
-- constraints repeat the domain rules as a safety net, not as the message a
-- clerk sees.

PRAGMA application_id = 1397248068; -- "SHPD": marks the file as shopdesk's
PRAGMA user_version = 7;

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL COLLATE NOCASE
                         CHECK (length(name) BETWEEN 1 AND 100 AND name = trim(name)),
    email        TEXT    COLLATE NOCASE UNIQUE
                         CHECK (email IS NULL
                                OR (length(email) BETWEEN 3 AND 254 AND email LIKE '_%@%_.%_')),
    phone        TEXT    CHECK (phone IS NULL OR length(phone) BETWEEN 1 AND 32),
    -- The phone's digits alone, kept by the store, so "555 0102" finds "(555) 010-2".
    phone_digits TEXT    NOT NULL DEFAULT '' CHECK (phone_digits NOT GLOB '*[^0-9]*'),
    created_at   TEXT    NOT NULL CHECK (length(created_at) = 27),
    -- The email as compared (NFC, full case fold: see email_key in
    -- src/domain/customer.rs), kept by the store because no database folds
    -- case beyond ASCII the same way. As v4 added it.
    email_key    TEXT,
    -- What searches compare: the name and the email (none: empty) folded
    -- (see search_key in src/store/sqlite/search.rs), kept by the store,
    -- for the same reason. The last column, as v5 added it after its
    -- rebuild of this table.
    search_key   TEXT    NOT NULL DEFAULT '',
    -- Every customer can be reached by email, by phone or both (see
    -- require_contact in src/domain/customer.rs), but the built-in Walk-in
    -- customer, id 0, which has neither.
    CHECK (CASE WHEN id = 0 THEN email IS NULL AND phone IS NULL
                ELSE email IS NOT NULL OR phone IS NOT NULL END)
) STRICT;

-- Lists sorted by name walk this index instead of sorting. It holds what
-- searches look in too, so a search walking it in name order reads no row
-- until it has found its page.
CREATE INDEX customers_by_name ON customers (name, id, search_key, phone_digits);
-- Emails are unique by their key, compared byte for byte, so every
-- database agrees. The key is NULL for a customer without an email, and
-- for one registered before v4 whose email an earlier customer already
-- had ignoring case and accents: `shopdesk check` names such customers,
-- and changing their email needs one nobody else has. (The NOCASE UNIQUE
-- on email itself is v1's ASCII-only rule, kept as a second net; the key
-- is the stricter rule.)
CREATE UNIQUE INDEX customers_by_email_key ON customers (email_key);
-- The customers of that second kind, a handful at most, which every new
-- email is compared with: without this index, with every customer
-- without an email among the NULL keys.
CREATE INDEX customers_without_email_key ON customers (id)
    WHERE email_key IS NULL AND email IS NOT NULL;
CREATE INDEX customers_by_phone ON customers (phone_digits) WHERE phone_digits <> '';

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT    NOT NULL COLLATE NOCASE UNIQUE
                        CHECK (length(sku) BETWEEN 1 AND 64 AND sku NOT GLOB '*[ :*]*'),
    name        TEXT    NOT NULL COLLATE NOCASE
                        CHECK (length(name) BETWEEN 1 AND 100 AND name = trim(name)),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    stock       INTEGER NOT NULL CHECK (stock >= 0),
    details     TEXT    NOT NULL DEFAULT '' CHECK (length(details) <= 2000),
    -- 0 = archived: kept for order history, never sold again.
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active BETWEEN 0 AND 1),
    created_at  TEXT    NOT NULL CHECK (length(created_at) = 27),
    updated_at  TEXT    NOT NULL CHECK (length(updated_at) = 27),
    -- What searches compare: the name and the SKU folded, kept by the
    -- store (see customers.search_key). Last, as v5 added it.
    search_key  TEXT    NOT NULL DEFAULT ''
) STRICT;

-- As customers_by_name.
CREATE INDEX products_by_name ON products (name, id, search_key);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    status         TEXT    NOT NULL CHECK (status = 'pending' OR status = 'shipped'
                                           OR status = 'delivered' OR status = 'canceled'),
    created_at     TEXT    NOT NULL CHECK (length(created_at) = 27),
    subtotal_cents INTEGER NOT NULL CHECK (subtotal_cents >= 0),
    discount_cents INTEGER NOT NULL CHECK (discount_cents BETWEEN 0 AND subtotal_cents),
    total_cents    INTEGER NOT NULL CHECK (total_cents = subtotal_cents - discount_cents),
    note           TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    -- How a counter sale was paid; NULL for orders paid elsewhere.
    payment_method TEXT    CHECK (payment_method IS NULL OR payment_method = 'cash'
                                  OR payment_method = 'card' OR payment_method = 'other'),
    -- Cash handed over, when the cashier typed it: the change is the difference.
    tendered_cents INTEGER CHECK (tendered_cents IS NULL
                                  OR (payment_method = 'cash' AND tendered_cents >= total_cents)),
    -- The id the client made for the sale before sending it (the app: a
    -- UUID; a script: its --sale-id; see SaleId in src/domain/order.rs):
    -- a checkout sent again after its answer was lost finds the order it
    -- placed here instead of placing a second one. NULL for orders placed
    -- before v6 and for the demo shop's. Last, as v6 added it.
    sale_id        TEXT    CHECK (sale_id IS NULL
                                  OR (length(sale_id) BETWEEN 1 AND 64
                                      AND sale_id NOT GLOB '*[^A-Za-z0-9._-]*'))
) STRICT;

-- Pages of history, newest first, are read by keyset (created_at, id); each
-- index ends in the implicit rowid, which is id, so it serves that order
-- directly: a customer's history, the whole shop's, and the shop's by status.
CREATE INDEX orders_by_customer ON orders (customer_id, created_at);
CREATE INDEX orders_by_time ON orders (created_at);
CREATE INDEX orders_by_status ON orders (status, created_at);
-- One order per sale id, which a sale sent again is looked up by (NULLs
-- are distinct: orders without one never collide).
CREATE UNIQUE INDEX orders_by_sale_id ON orders (sale_id);

-- One row per product per order: the store merges lines of one product, and
-- the primary key makes a second row for it impossible. Clustered by order,
-- so an order's items are one range read.
CREATE TABLE order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    product_id       INTEGER NOT NULL REFERENCES products (id),
    line_no          INTEGER NOT NULL CHECK (line_no >= 1),
    -- What was sold, as it was then: later edits to the product don't change it.
    sku              TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    line_total_cents INTEGER NOT NULL CHECK (line_total_cents = unit_price_cents * quantity),
    PRIMARY KEY (order_id, product_id)
) STRICT, WITHOUT ROWID;

-- Every status change of an order, in order: its timeline. seq 1 is the
-- order being placed (from_status NULL).
CREATE TABLE order_events (
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    -- Only pending and shipped orders ever move on.
    from_status TEXT    CHECK ((seq = 1) = (from_status IS NULL)
                               AND (from_status IS NULL
                                    OR from_status = 'pending' OR from_status = 'shipped')),
    to_status   TEXT    NOT NULL CHECK (to_status = 'pending' OR to_status = 'shipped'
                                        OR to_status = 'delivered' OR to_status = 'canceled'),
    at          TEXT    NOT NULL CHECK (length(at) = 27),
    note        TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    PRIMARY KEY (order_id, seq)
) STRICT, WITHOUT ROWID;

-- Every change of a product's stock, oldest first: its ledger, clustered
-- by product. Each row is written in the transaction that changes the
-- stock, so a product's stock is always the sum of its rows (`shopdesk
-- check` proves it). Sales and cancels name their order; 'count' is a stock
-- set after counting the shelf; 'opening' sums what a product's stock went
-- through before its database kept a ledger, apart from its orders (see
-- migrations/v3.sql). A note says more where the reason alone does not: a
-- count raised at the counter to sell what the shelf had names its sale.
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
    -- Last of the columns, as v5 added it (ALTER TABLE puts a new column
    -- after the others, before the table's constraints).
    note       TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    CHECK (CASE reason WHEN 'sale' THEN delta < 0
                       WHEN 'cancel' THEN delta > 0
                       WHEN 'restock' THEN delta > 0
                       ELSE TRUE END),
    PRIMARY KEY (product_id, seq)
) STRICT, WITHOUT ROWID;

-- Substring search. A search for rare text of 3 or more characters finds
-- the few rows holding its every trigram in these indexes of the search
-- keys (and phone digits) without reading every row; common text and
-- 1-2 characters walk the name index instead (see src/store/sqlite/search.rs).
-- The keys are folded already, so the indexes fold nothing; they keep no
-- positions, which a search needs no more than the trigrams it holds.
-- Triggers keep them in step with the keys.
CREATE VIRTUAL TABLE products_search USING fts5 (
    search_key,
    content = 'products', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1', detail = 'none', columnsize = 0
);

CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER products_search_update AFTER UPDATE OF search_key ON products BEGIN
    INSERT INTO products_search (products_search, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
    INSERT INTO products_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_search (products_search, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
END;

CREATE VIRTUAL TABLE customers_search USING fts5 (
    search_key, phone_digits,
    content = 'customers', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1', detail = 'none', columnsize = 0
);

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_search (rowid, search_key, phone_digits)
        VALUES (new.id, new.search_key, new.phone_digits);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF search_key, phone_digits ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, search_key, phone_digits)
        VALUES ('delete', old.id, old.search_key, old.phone_digits);
    INSERT INTO customers_search (rowid, search_key, phone_digits)
        VALUES (new.id, new.search_key, new.phone_digits);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, search_key, phone_digits)
        VALUES ('delete', old.id, old.search_key, old.phone_digits);
END;

-- How many changes have been made to the search keys of each table,
-- counted by the store in the transaction that makes them: a counter's
-- in-memory copy of the keys is read again when its table's count has
-- moved, and only then.
CREATE TABLE search_changes (
    table_name TEXT    NOT NULL PRIMARY KEY
                       CHECK (table_name = 'customers' OR table_name = 'products'),
    changes    INTEGER NOT NULL CHECK (changes >= 0)
) STRICT, WITHOUT ROWID;

INSERT INTO search_changes (table_name, changes) VALUES ('customers', 0), ('products', 0);

-- The shop's settings: shop name, currency symbol. A missing key has its
-- default (see src/domain/settings.rs). A counter's print command is never
-- here: it lives in that machine's configuration file.
CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL CHECK (length(value) <= 500)
) STRICT, WITHOUT ROWID;

-- Sales put aside at the counter to serve someone else. They hold no stock:
-- everything is checked again when the sale is placed.
CREATE TABLE parked_sales (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    parked_at   TEXT    NOT NULL CHECK (length(parked_at) = 27),
    -- The sale's id (see orders.sale_id), when checkout had made it before
    -- the sale was parked: it travels with the sale, so that a checkout
    -- whose answer was lost, then parked and resumed, finds the order it
    -- placed instead of placing a second one. NULL for a sale never taken
    -- to checkout and for those parked before v7. Last, as v7 added it.
    sale_id     TEXT    CHECK (sale_id IS NULL
                               OR (length(sale_id) BETWEEN 1 AND 64
                                   AND sale_id NOT GLOB '*[^A-Za-z0-9._-]*'))
) STRICT;

CREATE TABLE parked_lines (
    parked_id  INTEGER NOT NULL REFERENCES parked_sales (id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL CHECK (line_no >= 1),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    PRIMARY KEY (parked_id, line_no)
) STRICT, WITHOUT ROWID;

-- Counter sales to people who don't give their name go to this built-in
-- customer (after the search triggers, so that it can be found), with its
-- search key: its name folded, then its empty email.
INSERT INTO customers (id, name, email, created_at, search_key)
    VALUES (0, 'Walk-in', NULL, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z',
            'walk-in' || char(31));
