-- The shopdesk database on a MariaDB (or MySQL) server, schema version 7:
-- the twin of schema.sql in MySQL's dialect. Both describe one logical
-- schema (tests/schemas.rs proves the same tables, columns, keys and
-- constraints); each change to one is made to the other, with a step in
-- each backend's migrations.
--
-- Conventions: InnoDB, utf8mb4; text compared byte for byte (utf8mb4_bin,
-- as SQLite's default) unless said otherwise; money in BIGINT cents; times
-- in UTC to the microsecond (DATETIME(6)); the CHECKs repeat the domain
-- rules as a safety net, as in schema.sql. The session that runs this file
-- sets sql_mode with NO_AUTO_VALUE_ON_ZERO (the Walk-in customer is id 0)
-- and the strict mode (a value too long is refused, never cut).
--
-- SQLite's NOCASE (ASCII letters without case, every other character as it
-- is) has no MySQL collation: each column schema.sql declares NOCASE has a
-- generated twin here, `*_nocase`, the text with A-Z made a-z, which
-- orders and keys what NOCASE orders and keys there, exactly.
--
-- shopdesk_meta is this dialect's counterpart of SQLite's application_id
-- and user_version. A server commits each CREATE TABLE by itself, so a
-- creation cannot be one transaction: it writes the mark first, at
-- version 0 ("being created"), and every statement here may run again
-- (IF NOT EXISTS, ON DUPLICATE KEY), so that a creation stopped between
-- any two of them is finished by the next open, which then sets the
-- version (src/store/mysql/migrate.rs).

-- Whose database this is and its schema version: one row.
CREATE TABLE IF NOT EXISTS shopdesk_meta (
    application    VARCHAR(8) NOT NULL,
    schema_version BIGINT     NOT NULL,
    PRIMARY KEY (application),
    CONSTRAINT shopdesk_meta_application CHECK (application = 'shopdesk')
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO shopdesk_meta (application, schema_version) VALUES ('shopdesk', 0)
    ON DUPLICATE KEY UPDATE application = application;

CREATE TABLE IF NOT EXISTS customers (
    id           BIGINT        NOT NULL AUTO_INCREMENT,
    name         VARCHAR(100)  NOT NULL,
    email        VARCHAR(254)  NULL,
    phone        VARCHAR(32)   NULL,
    -- The phone's digits alone, kept by the store.
    phone_digits VARCHAR(32)   NOT NULL DEFAULT '',
    created_at   DATETIME(6)   NOT NULL,
    -- The email as compared (NFC, full case fold), kept by the store: a
    -- full case fold makes a text at most three times longer.
    email_key    VARCHAR(762)  NULL,
    -- What searches compare (see schema.sql), kept by the store.
    search_key   VARCHAR(1100) NOT NULL DEFAULT '',
    -- Substring search, the twin of schema.sql's full-text indexes of
    -- trigrams (customers_search, products_search): every run of three
    -- bytes of the search key and of the phone digits, in hex, a word
    -- apart (the full-text parser keeps a word of hex digits whole). A
    -- search for rare text finds the few rows holding its every trigram in
    -- the FULLTEXT index without reading every row, then compares the key
    -- itself (see src/store/mysql/search.rs). Generated, so that every
    -- writer keeps it. MariaDB writes the group of a regular expression as
    -- \\1 (MySQL 8 would need $1).
    search_grams MEDIUMTEXT AS (REGEXP_REPLACE(HEX(CONCAT(search_key, CHAR(30), phone_digits)),
                                               '(?=((?:..){3}))..', '\\1 ')) STORED,
    -- The search key's first 600 characters, for customers_by_name: an
    -- index holds 3,072 bytes at most, and a key of the longest name and
    -- email, folded, could be longer (none that people write is).
    search_head  VARCHAR(600)  AS (LEFT(search_key, 600)) STORED,
    name_nocase  VARCHAR(100)  AS (REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(name, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z')) STORED,
    email_nocase VARCHAR(254)  AS (REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(email, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z')) STORED,
    -- The email of a customer who keeps no key (one from before SQLite's
    -- v4, copied here: see schema.sql's customers_without_email_key), else
    -- NULL. MariaDB has no partial index: this column's index lists those
    -- few customers alone, which every new email is compared with.
    email_unkeyed VARCHAR(254) AS (IF(email_key IS NULL, email, NULL)) STORED,
    PRIMARY KEY (id),
    UNIQUE KEY customers_by_email_nocase (email_nocase),
    UNIQUE KEY customers_by_email_key (email_key),
    -- Lists sorted by name walk this index instead of sorting. It holds
    -- what searches look in too (the key's head: see search_head), so a
    -- search walking it in name order compares each key in the index and
    -- reads the rows of its page alone (see schema.sql).
    KEY customers_by_name (name_nocase, id, search_head, phone_digits),
    FULLTEXT KEY customers_search (search_grams),
    KEY customers_without_email_key (email_unkeyed),
    KEY customers_by_phone (phone_digits),
    CONSTRAINT customers_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 100 AND name = TRIM(name)),
    CONSTRAINT customers_email CHECK (email IS NULL
        OR (CHAR_LENGTH(email) BETWEEN 3 AND 254 AND email LIKE '_%@%_.%_')),
    CONSTRAINT customers_phone CHECK (phone IS NULL OR CHAR_LENGTH(phone) BETWEEN 1 AND 32),
    -- schema.sql's CHECK that every customer but Walk-in (id 0) has an
    -- email or a phone cannot be written here: MariaDB and MySQL refuse a
    -- CHECK on an AUTO_INCREMENT column. The domain refuses such a
    -- customer before any write, and `shopdesk check` names one.
    CONSTRAINT customers_phone_digits CHECK (phone_digits NOT REGEXP '[^0-9]')
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS products (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    sku         VARCHAR(64)   NOT NULL,
    name        VARCHAR(100)  NOT NULL,
    price_cents BIGINT        NOT NULL,
    stock       BIGINT        NOT NULL,
    details     VARCHAR(2000) NOT NULL DEFAULT '',
    -- 0 = archived: kept for order history, never sold again.
    active      TINYINT       NOT NULL DEFAULT 1,
    created_at  DATETIME(6)   NOT NULL,
    updated_at  DATETIME(6)   NOT NULL,
    search_key  VARCHAR(500)  NOT NULL DEFAULT '',
    -- The trigrams of the search key, for products_search (see customers).
    search_grams MEDIUMTEXT   AS (REGEXP_REPLACE(HEX(search_key), '(?=((?:..){3}))..', '\\1 '))
                              STORED,
    sku_nocase  VARCHAR(64)   AS (REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(sku, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z')) STORED,
    name_nocase VARCHAR(100)  AS (REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(name, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z')) STORED,
    PRIMARY KEY (id),
    UNIQUE KEY products_by_sku_nocase (sku_nocase),
    -- As customers_by_name; the whole key fits an index here.
    KEY products_by_name (name_nocase, id, search_key),
    FULLTEXT KEY products_search (search_grams),
    CONSTRAINT products_sku CHECK (CHAR_LENGTH(sku) BETWEEN 1 AND 64 AND sku NOT REGEXP '[ :*]'),
    CONSTRAINT products_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 100 AND name = TRIM(name)),
    CONSTRAINT products_price CHECK (price_cents >= 0),
    CONSTRAINT products_stock CHECK (stock >= 0),
    CONSTRAINT products_details CHECK (CHAR_LENGTH(details) <= 2000),
    CONSTRAINT products_active CHECK (active BETWEEN 0 AND 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS orders (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    customer_id    BIGINT       NOT NULL,
    status         VARCHAR(9)   NOT NULL,
    created_at     DATETIME(6)  NOT NULL,
    subtotal_cents BIGINT       NOT NULL,
    discount_cents BIGINT       NOT NULL,
    total_cents    BIGINT       NOT NULL,
    note           VARCHAR(500) NOT NULL DEFAULT '',
    -- How a counter sale was paid; NULL for orders paid elsewhere.
    payment_method VARCHAR(5)   NULL,
    -- Cash handed over, when the cashier typed it.
    tendered_cents BIGINT       NULL,
    -- The id the client made for the sale before sending it: a retried
    -- checkout finds the order it placed (NULL for orders before v6).
    sale_id        VARCHAR(64)  NULL,
    PRIMARY KEY (id),
    -- Pages of history, newest first, by keyset (created_at, id): InnoDB
    -- ends each secondary index in the primary key, id.
    KEY orders_by_customer (customer_id, created_at),
    KEY orders_by_time (created_at),
    KEY orders_by_status (status, created_at),
    UNIQUE KEY orders_by_sale_id (sale_id),
    CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT orders_status CHECK (status IN ('pending', 'shipped', 'delivered', 'canceled')),
    CONSTRAINT orders_subtotal CHECK (subtotal_cents >= 0),
    CONSTRAINT orders_discount CHECK (discount_cents BETWEEN 0 AND subtotal_cents),
    CONSTRAINT orders_total CHECK (total_cents = subtotal_cents - discount_cents),
    CONSTRAINT orders_note CHECK (CHAR_LENGTH(note) <= 500),
    CONSTRAINT orders_payment_method CHECK (payment_method IS NULL
        OR payment_method IN ('cash', 'card', 'other')),
    CONSTRAINT orders_tendered CHECK (tendered_cents IS NULL
        OR (payment_method = 'cash' AND tendered_cents >= total_cents)),
    CONSTRAINT orders_sale_id CHECK (sale_id IS NULL OR (CHAR_LENGTH(sale_id) BETWEEN 1 AND 64
        AND sale_id NOT REGEXP '[^A-Za-z0-9._-]'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per product per order, clustered by order.
CREATE TABLE IF NOT EXISTS order_items (
    order_id         BIGINT       NOT NULL,
    product_id       BIGINT       NOT NULL,
    line_no          BIGINT       NOT NULL,
    -- What was sold, as it was then.
    sku              VARCHAR(64)  NOT NULL,
    name             VARCHAR(100) NOT NULL,
    quantity         BIGINT       NOT NULL,
    unit_price_cents BIGINT       NOT NULL,
    line_total_cents BIGINT       NOT NULL,
    PRIMARY KEY (order_id, product_id),
    CONSTRAINT order_items_order FOREIGN KEY (order_id) REFERENCES orders (id),
    CONSTRAINT order_items_product FOREIGN KEY (product_id) REFERENCES products (id),
    CONSTRAINT order_items_line_no CHECK (line_no >= 1),
    CONSTRAINT order_items_quantity CHECK (quantity BETWEEN 1 AND 9999),
    CONSTRAINT order_items_unit_price CHECK (unit_price_cents >= 0),
    CONSTRAINT order_items_line_total CHECK (line_total_cents = unit_price_cents * quantity)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every status change of an order, in order: its timeline.
CREATE TABLE IF NOT EXISTS order_events (
    order_id    BIGINT       NOT NULL,
    seq         BIGINT       NOT NULL,
    from_status VARCHAR(9)   NULL,
    to_status   VARCHAR(9)   NOT NULL,
    at          DATETIME(6)  NOT NULL,
    note        VARCHAR(500) NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, seq),
    CONSTRAINT order_events_order FOREIGN KEY (order_id) REFERENCES orders (id),
    CONSTRAINT order_events_seq CHECK (seq >= 1),
    -- Only pending and shipped orders ever move on.
    CONSTRAINT order_events_from CHECK ((seq = 1) = (from_status IS NULL)
        AND (from_status IS NULL OR from_status IN ('pending', 'shipped'))),
    CONSTRAINT order_events_to CHECK (to_status IN ('pending', 'shipped', 'delivered', 'canceled')),
    CONSTRAINT order_events_note CHECK (CHAR_LENGTH(note) <= 500)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every change of a product's stock, oldest first: its ledger, clustered
-- by product (see schema.sql).
CREATE TABLE IF NOT EXISTS stock_moves (
    product_id BIGINT       NOT NULL,
    seq        BIGINT       NOT NULL,
    delta      BIGINT       NOT NULL,
    reason     VARCHAR(7)   NOT NULL,
    order_id   BIGINT       NULL,
    at         DATETIME(6)  NOT NULL,
    note       VARCHAR(500) NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, seq),
    KEY stock_moves_by_order (order_id),
    CONSTRAINT stock_moves_product FOREIGN KEY (product_id) REFERENCES products (id),
    CONSTRAINT stock_moves_order FOREIGN KEY (order_id) REFERENCES orders (id),
    CONSTRAINT stock_moves_seq CHECK (seq >= 1),
    CONSTRAINT stock_moves_reason CHECK (reason IN ('initial', 'restock', 'count', 'sale', 'cancel',
                                                     'opening')),
    CONSTRAINT stock_moves_order_reason CHECK ((order_id IS NOT NULL) = (reason IN ('sale', 'cancel'))),
    CONSTRAINT stock_moves_note CHECK (CHAR_LENGTH(note) <= 500),
    CONSTRAINT stock_moves_delta CHECK (CASE reason WHEN 'sale' THEN delta < 0
                                                    WHEN 'cancel' THEN delta > 0
                                                    WHEN 'restock' THEN delta > 0
                                                    ELSE TRUE END)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- How many changes have been made to the search keys of each table,
-- counted in the transaction that makes them (see schema.sql).
CREATE TABLE IF NOT EXISTS search_changes (
    table_name VARCHAR(9) NOT NULL,
    changes    BIGINT     NOT NULL,
    PRIMARY KEY (table_name),
    CONSTRAINT search_changes_table CHECK (table_name IN ('customers', 'products')),
    CONSTRAINT search_changes_changes CHECK (changes >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO search_changes (table_name, changes) VALUES ('customers', 0), ('products', 0)
    ON DUPLICATE KEY UPDATE table_name = table_name;

-- The shop's settings (see schema.sql). `key` is a reserved word here.
CREATE TABLE IF NOT EXISTS settings (
    `key` VARCHAR(100) NOT NULL,
    value VARCHAR(500) NOT NULL,
    PRIMARY KEY (`key`),
    CONSTRAINT settings_value CHECK (CHAR_LENGTH(value) <= 500)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Sales put aside at the counter; they hold no stock.
CREATE TABLE IF NOT EXISTS parked_sales (
    id          BIGINT      NOT NULL AUTO_INCREMENT,
    customer_id BIGINT      NOT NULL,
    parked_at   DATETIME(6) NOT NULL,
    -- The sale's id, when checkout had made it before the sale was parked
    -- (see schema.sql); NULL otherwise.
    sale_id     VARCHAR(64) NULL,
    PRIMARY KEY (id),
    CONSTRAINT parked_sales_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT parked_sales_sale_id CHECK (sale_id IS NULL OR (CHAR_LENGTH(sale_id) BETWEEN 1 AND 64
        AND sale_id NOT REGEXP '[^A-Za-z0-9._-]'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS parked_lines (
    parked_id  BIGINT NOT NULL,
    line_no    BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    quantity   BIGINT NOT NULL,
    PRIMARY KEY (parked_id, line_no),
    CONSTRAINT parked_lines_parked FOREIGN KEY (parked_id) REFERENCES parked_sales (id)
        ON DELETE CASCADE,
    CONSTRAINT parked_lines_product FOREIGN KEY (product_id) REFERENCES products (id),
    CONSTRAINT parked_lines_line_no CHECK (line_no >= 1),
    CONSTRAINT parked_lines_quantity CHECK (quantity BETWEEN 1 AND 9999)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Counter sales to people who don't give their name go to this built-in
-- customer, with its search key: its name folded, then its empty email.
INSERT INTO customers (id, name, email, created_at, search_key)
    VALUES (0, 'Walk-in', NULL, UTC_TIMESTAMP(6), CONCAT('walk-in', CHAR(31)))
    ON DUPLICATE KEY UPDATE id = id;
