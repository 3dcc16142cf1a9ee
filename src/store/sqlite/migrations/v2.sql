-- Schema version 1 -> 2: counter sales. Run in one transaction with foreign
-- keys off (see migrate.rs); every statement matches schema.sql.

-- Rebuild customers so that email may be NULL for the Walk-in customer. With
-- legacy_alter_table on, the rename leaves references to "customers" in
-- other tables alone, so they point at the new table once it exists.
PRAGMA legacy_alter_table = ON;
DROP TRIGGER customers_search_insert;
DROP TRIGGER customers_search_update;
DROP TRIGGER customers_search_delete;
DROP INDEX customers_by_name;
DROP INDEX customers_by_phone;
ALTER TABLE customers RENAME TO customers_v1;

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL COLLATE NOCASE
                         CHECK (length(name) BETWEEN 1 AND 100 AND name = trim(name)),
    -- Everyone has an email but the built-in Walk-in customer, id 0.
    email        TEXT    COLLATE NOCASE UNIQUE
                         CHECK ((id = 0) = (email IS NULL)
                                AND (email IS NULL
                                     OR (length(email) BETWEEN 3 AND 254 AND email LIKE '_%@%_.%_'))),
    phone        TEXT    CHECK (phone IS NULL OR length(phone) BETWEEN 1 AND 32),
    -- The phone's digits alone, kept by the store, so "555 0102" finds "(555) 010-2".
    phone_digits TEXT    NOT NULL DEFAULT '' CHECK (phone_digits NOT GLOB '*[^0-9]*'),
    created_at   TEXT    NOT NULL CHECK (length(created_at) = 27)
) STRICT;

INSERT INTO customers (id, name, email, phone, phone_digits, created_at)
    SELECT id, name, email, phone, phone_digits, created_at FROM customers_v1;
DROP TABLE customers_v1;
PRAGMA legacy_alter_table = OFF;

-- Lists sorted by name walk this index instead of sorting.
CREATE INDEX customers_by_name ON customers (name);
CREATE INDEX customers_by_phone ON customers (phone_digits) WHERE phone_digits <> '';

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_search (rowid, name, email, phone_digits)
        VALUES (new.id, new.name, new.email, new.phone_digits);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF name, email, phone_digits ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, name, email, phone_digits)
        VALUES ('delete', old.id, old.name, old.email, old.phone_digits);
    INSERT INTO customers_search (rowid, name, email, phone_digits)
        VALUES (new.id, new.name, new.email, new.phone_digits);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, name, email, phone_digits)
        VALUES ('delete', old.id, old.name, old.email, old.phone_digits);
END;

ALTER TABLE orders ADD COLUMN
    payment_method TEXT    CHECK (payment_method IS NULL OR payment_method = 'cash'
                                  OR payment_method = 'card' OR payment_method = 'other');
ALTER TABLE orders ADD COLUMN
    tendered_cents INTEGER CHECK (tendered_cents IS NULL
                                  OR (payment_method = 'cash' AND tendered_cents >= total_cents));

CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL CHECK (length(value) <= 500)
) STRICT, WITHOUT ROWID;

CREATE TABLE parked_sales (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    parked_at   TEXT    NOT NULL CHECK (length(parked_at) = 27)
) STRICT;

CREATE TABLE parked_lines (
    parked_id  INTEGER NOT NULL REFERENCES parked_sales (id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL CHECK (line_no >= 1),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
    PRIMARY KEY (parked_id, line_no)
) STRICT, WITHOUT ROWID;

INSERT INTO customers (id, name, email, created_at)
    VALUES (0, 'Walk-in', NULL, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');
