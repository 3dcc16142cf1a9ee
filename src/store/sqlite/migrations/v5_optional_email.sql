-- Schema version 4 -> 5, customers without an email: a customer needs an
-- email or a phone number, or both. Run in one transaction with foreign
-- keys off (see migrate.rs); every statement matches schema.sql.

-- SQLite changes a CHECK only by rebuilding the table, as v2.sql did. With
-- legacy_alter_table on, the rename leaves references to "customers" in
-- other tables (orders, parked sales) and the search index's content
-- alone, so they point at the new table once it exists: its ids and the
-- searched text are those of the old one.
PRAGMA legacy_alter_table = ON;
DROP TRIGGER customers_search_insert;
DROP TRIGGER customers_search_update;
DROP TRIGGER customers_search_delete;
DROP INDEX customers_by_name;
DROP INDEX customers_by_email_key;
DROP INDEX customers_by_phone;
ALTER TABLE customers RENAME TO customers_v4;

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
    email_key    TEXT,
    CHECK (CASE WHEN id = 0 THEN email IS NULL AND phone IS NULL
                ELSE email IS NOT NULL OR phone IS NOT NULL END)
) STRICT;

INSERT INTO customers (id, name, email, phone, phone_digits, created_at, email_key)
    SELECT id, name, email, phone, phone_digits, created_at, email_key FROM customers_v4;
DROP TABLE customers_v4;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX customers_by_name ON customers (name);
CREATE UNIQUE INDEX customers_by_email_key ON customers (email_key);
CREATE INDEX customers_without_email_key ON customers (id)
    WHERE email_key IS NULL AND email IS NOT NULL;
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
