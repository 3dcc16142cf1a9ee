-- Schema version 4 -> 5, search keys: run once every row's key is written
-- (see v5_search_keys in migrate.rs); every statement matches schema.sql.

-- The trigram indexes, now of the keys, built once from every row.
CREATE VIRTUAL TABLE products_search USING fts5 (
    search_key,
    content = 'products', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1', detail = 'none', columnsize = 0
);
INSERT INTO products_search (products_search) VALUES ('rebuild');

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
INSERT INTO customers_search (customers_search) VALUES ('rebuild');

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

-- The name indexes hold the keys too.
DROP INDEX customers_by_name;
CREATE INDEX customers_by_name ON customers (name, id, search_key, phone_digits);
DROP INDEX products_by_name;
CREATE INDEX products_by_name ON products (name, id, search_key);
