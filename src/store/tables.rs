//! The shop's tables as data: each table's name, its columns with their
//! kind, and its key, in the order a table's references come before it.
//! One description for every backend, read by `shopdesk copy` (and the
//! backup of a server database), which moves every row of every table
//! listed here and nothing else: `tests/copy.rs` fails when a schema has a
//! table or a column this leaves out.
//!
//! What a backend makes from the rows by itself is not listed: SQLite's
//! full-text indexes, MariaDB's generated `*_nocase` columns and its
//! `shopdesk_meta` marker (each backend's schema makes its own).

/// What a column holds, whatever the backend calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Whole numbers: ids, cents, quantities, flags.
    Integer,
    Text,
    /// A UTC time to the microsecond (SQLite's fixed-width text, MariaDB's
    /// `DATETIME(6)`).
    Time,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// Whether the column may hold NULL.
    pub nullable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [Column],
    /// The primary key's columns: rows are read in this order, so that a
    /// table clustered by its key is written from front to back.
    pub key: &'static [&'static str],
}

const fn column(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: false,
    }
}

const fn nullable(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        nullable: true,
    }
}

use Kind::{Integer, Text, Time};

/// Every table of the shop, each after the tables it refers to, with its
/// columns in the schema's order.
pub const TABLES: &[Table] = &[
    Table {
        name: "customers",
        columns: &[
            column("id", Integer),
            column("name", Text),
            nullable("email", Text),
            nullable("phone", Text),
            column("phone_digits", Text),
            column("created_at", Time),
            nullable("email_key", Text),
            column("search_key", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "products",
        columns: &[
            column("id", Integer),
            column("sku", Text),
            column("name", Text),
            column("price_cents", Integer),
            column("stock", Integer),
            column("details", Text),
            column("active", Integer),
            column("created_at", Time),
            column("updated_at", Time),
            column("search_key", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "orders",
        columns: &[
            column("id", Integer),
            column("customer_id", Integer),
            column("status", Text),
            column("created_at", Time),
            column("subtotal_cents", Integer),
            column("discount_cents", Integer),
            column("total_cents", Integer),
            column("note", Text),
            nullable("payment_method", Text),
            nullable("tendered_cents", Integer),
            nullable("sale_id", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "order_items",
        columns: &[
            column("order_id", Integer),
            column("product_id", Integer),
            column("line_no", Integer),
            column("sku", Text),
            column("name", Text),
            column("quantity", Integer),
            column("unit_price_cents", Integer),
            column("line_total_cents", Integer),
        ],
        key: &["order_id", "product_id"],
    },
    Table {
        name: "order_events",
        columns: &[
            column("order_id", Integer),
            column("seq", Integer),
            nullable("from_status", Text),
            column("to_status", Text),
            column("at", Time),
            column("note", Text),
        ],
        key: &["order_id", "seq"],
    },
    Table {
        name: "stock_moves",
        columns: &[
            column("product_id", Integer),
            column("seq", Integer),
            column("delta", Integer),
            column("reason", Text),
            nullable("order_id", Integer),
            column("at", Time),
            column("note", Text),
        ],
        key: &["product_id", "seq"],
    },
    Table {
        name: "search_changes",
        columns: &[column("table_name", Text), column("changes", Integer)],
        key: &["table_name"],
    },
    Table {
        name: "settings",
        columns: &[column("key", Text), column("value", Text)],
        key: &["key"],
    },
    Table {
        name: "parked_sales",
        columns: &[
            column("id", Integer),
            column("customer_id", Integer),
            column("parked_at", Time),
            nullable("sale_id", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "parked_lines",
        columns: &[
            column("parked_id", Integer),
            column("line_no", Integer),
            column("product_id", Integer),
            column("quantity", Integer),
        ],
        key: &["parked_id", "line_no"],
    },
];

impl Table {
    /// The statement that reads every row, in key order. `quote` makes a
    /// name an identifier in the backend's dialect (`key` is a reserved
    /// word in MariaDB's); the names are this file's, never a user's.
    pub fn select_all(&self, quote: fn(&str) -> String) -> String {
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            self.quoted_columns(quote),
            quote(self.name),
            self.key
                .iter()
                .map(|name| quote(name))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// The statement that inserts `rows` rows, every value a parameter.
    pub fn insert(&self, quote: fn(&str) -> String, rows: usize) -> String {
        let one_row = format!("({})", vec!["?"; self.columns.len()].join(", "));
        format!(
            "INSERT INTO {} ({}) VALUES {}",
            quote(self.name),
            self.quoted_columns(quote),
            vec![one_row; rows].join(", ")
        )
    }

    fn quoted_columns(&self, quote: fn(&str) -> String) -> String {
        self.columns
            .iter()
            .map(|column| quote(column.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn double_quoted(name: &str) -> String {
        format!("\"{name}\"")
    }

    #[test]
    fn every_table_comes_after_the_tables_it_refers_to() {
        let position = |name: &str| TABLES.iter().position(|table| table.name == name).unwrap();
        for (table, parent) in [
            ("orders", "customers"),
            ("order_items", "orders"),
            ("order_items", "products"),
            ("order_events", "orders"),
            ("stock_moves", "products"),
            ("stock_moves", "orders"),
            ("parked_sales", "customers"),
            ("parked_lines", "parked_sales"),
            ("parked_lines", "products"),
        ] {
            assert!(
                position(parent) < position(table),
                "{parent} before {table}"
            );
        }
    }

    #[test]
    fn every_key_column_is_a_column_of_its_table() {
        for table in TABLES {
            for key in table.key {
                assert!(
                    table.columns.iter().any(|column| column.name == *key),
                    "{}.{key}",
                    table.name
                );
            }
        }
    }

    #[test]
    fn statements_name_every_column_and_bind_every_value() {
        let settings = TABLES.iter().find(|t| t.name == "settings").unwrap();
        assert_eq!(
            settings.select_all(double_quoted),
            "SELECT \"key\", \"value\" FROM \"settings\" ORDER BY \"key\""
        );
        assert_eq!(
            settings.insert(double_quoted, 2),
            "INSERT INTO \"settings\" (\"key\", \"value\") VALUES (?, ?), (?, ?)"
        );
    }
}
