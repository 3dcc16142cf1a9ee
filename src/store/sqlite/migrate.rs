//! Versioned schema: `PRAGMA user_version` says which version a database is
//! at, `PRAGMA application_id` says that it is shopdesk's at all.
//!
//! A new database runs `schema.sql`, which is always the latest version. An
//! older one runs the missing steps of [`MIGRATIONS`] in one transaction, so
//! an upgrade either happens whole or not at all.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, TransactionBehavior};

use super::customers::CUSTOMER_SEARCH;
use super::products::PRODUCT_SEARCH;
use super::search::write_every_search_key;
use super::settings::REMOVED_RECEIPT_COMMAND;
use super::{Error, Result};
use crate::domain::ErrorClass;
use crate::domain::customer::email_key;

pub const SCHEMA: &str = include_str!("../../../schema.sql");

/// "SHPD", as set by `schema.sql`.
const APPLICATION_ID: i64 = 0x5348_5044;

/// One upgrade step: brings a database from the version before it to the
/// next. Step `i` upgrades version `i + 1` to `i + 2`.
type Migration = fn(&Transaction<'_>) -> rusqlite::Result<()>;

/// Every upgrade step, oldest first. A change to `schema.sql` adds one here
/// and a fixture database of the version before it under `tests/fixtures/`.
const MIGRATIONS: &[Migration] = &[
    to_v2_counter_sales,
    to_v3_stock_ledger,
    to_v4_hardening,
    to_v5_back_office_and_search,
    to_v6_sale_ids,
    to_v7_parked_sale_ids,
];

/// v2: the built-in Walk-in customer (so `customers.email` may be NULL, for
/// it alone: SQLite needs the table rebuilt for that), how counter sales
/// were paid, settings, and parked sales.
fn to_v2_counter_sales(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(include_str!("migrations/v2.sql"))
}

/// v3: the stock ledger, opened with each product's stock at the upgrade.
fn to_v3_stock_ledger(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(include_str!("migrations/v3.sql"))
}

/// v4: what the outside audit of issue 11 needed, in parts that stand
/// alone, each in a function of its own: a later part joins the list.
/// They run in this order in the upgrade's one transaction.
fn to_v4_hardening(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    v4_email_keys(tx)?;
    move_receipt_command_out(tx)?;
    Ok(())
}

/// v4, emails: every customer's email key, computed here because SQL
/// cannot normalize or fold case beyond ASCII, under a unique index.
/// Emails that v3 took as different may now be the same address (`Ünal`
/// and `ünal`); they must not stop the upgrade, so the first customer
/// (lowest id) gets the key and the later ones keep none: `shopdesk check`
/// names them (see `customers.email_key` in schema.sql).
fn v4_email_keys(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch("ALTER TABLE customers ADD COLUMN email_key TEXT")?;
    let mut taken = HashSet::new();
    let mut emails =
        tx.prepare("SELECT id, email FROM customers WHERE email IS NOT NULL ORDER BY id")?;
    let mut set_key = tx.prepare("UPDATE customers SET email_key = ?1 WHERE id = ?2")?;
    let mut rows = emails.query([])?;
    while let Some(row) = rows.next()? {
        let (id, email): (i64, String) = (row.get(0)?, row.get(1)?);
        let key = email_key(&email);
        if taken.insert(key.clone()) {
            set_key.execute(rusqlite::params![key, id])?;
        }
    }
    // Built once the keys are in: the same statement as in schema.sql.
    tx.execute_batch("CREATE UNIQUE INDEX customers_by_email_key ON customers (email_key)")
}

/// A print command stored in the database is never carried over by itself:
/// whoever could write the database would choose what every counter runs.
/// It is removed, and kept under [`REMOVED_RECEIPT_COMMAND`] only to be
/// shown once (`SqliteStore::take_removed_receipt_command`), with how to set it
/// in the counter's own configuration.
fn move_receipt_command_out(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO settings (key, value)
         SELECT ?1, value FROM settings WHERE key = 'receipt_command' AND trim(value) <> ''",
        [REMOVED_RECEIPT_COMMAND],
    )?;
    tx.execute("DELETE FROM settings WHERE key = 'receipt_command'", [])?;
    Ok(())
}

/// v5: what issue 12 (at the counter and in the back office) and issue
/// 13 (searches that read no whole table) needed, in parts that stand
/// alone like v4's, run in this order in the upgrade's one transaction.
/// The customers table is rebuilt first, so that its search key is added
/// to the new table, last, as schema.sql has it; the search parts then
/// put the full-text indexes and triggers the rebuild left as they were
/// over the keys.
fn to_v5_back_office_and_search(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    v5_optional_email(tx)?;
    v5_ledger_notes(tx)?;
    v5_change_counters(tx)?;
    v5_search_keys(tx)?;
    Ok(())
}

/// v5, the ledger's notes: a stock move may say more than its reason (a
/// count raised at the counter names the sale that needed it). Every
/// earlier move has none.
fn v5_ledger_notes(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    // The same column as in schema.sql, where it is last for this reason.
    tx.execute_batch(
        "ALTER TABLE stock_moves
         ADD COLUMN note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500)",
    )
}

/// v5, customers without an email: an email or a phone number, or both
/// (the table rebuilt for its new CHECK).
fn v5_optional_email(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(include_str!("migrations/v5_optional_email.sql"))
}

/// v5, change counters: how many changes each searched table's search
/// keys have had, which an in-memory copy of them compares with its own
/// (any database can keep a counter; v4's copies read FTS5's own records).
fn v5_change_counters(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE search_changes (
            table_name TEXT    NOT NULL PRIMARY KEY
                               CHECK (table_name = 'customers' OR table_name = 'products'),
            changes    INTEGER NOT NULL CHECK (changes >= 0)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO search_changes (table_name, changes) VALUES ('customers', 0), ('products', 0);",
    )
}

/// v5, search keys: every customer's and product's searched text folded,
/// computed here because SQL cannot fold case and accents as searches do;
/// the trigram indexes, now over the keys, built once the keys are in (row
/// by row through their triggers would flush the index at every row); and
/// the name indexes that hold the keys too. Needs the change counters.
fn v5_search_keys(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DROP TRIGGER products_search_insert;
        DROP TRIGGER products_search_update;
        DROP TRIGGER products_search_delete;
        DROP TABLE products_search;
        DROP TRIGGER customers_search_insert;
        DROP TRIGGER customers_search_update;
        DROP TRIGGER customers_search_delete;
        DROP TABLE customers_search;
        ALTER TABLE customers ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE products ADD COLUMN search_key TEXT NOT NULL DEFAULT '';",
    )?;
    write_every_search_key(tx, &CUSTOMER_SEARCH)?;
    write_every_search_key(tx, &PRODUCT_SEARCH)?;
    tx.execute_batch(include_str!("migrations/v5_search.sql"))
}

/// v6: what issue 14 (several machines, one shop) needed of every
/// database: each order's sale id, with which a checkout sent again finds
/// the order it placed (see `orders.sale_id` in schema.sql). SQLite adds a
/// column with a CHECK in place (the CHECK is tested on the rows there,
/// all NULL), but not with UNIQUE: the uniqueness is the index's, as in
/// schema.sql. Orders placed before it keep none.
fn to_v6_sale_ids(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    // The same column and index as in schema.sql, where the column is last
    // for this reason.
    tx.execute_batch(
        "ALTER TABLE orders
         ADD COLUMN sale_id TEXT CHECK (sale_id IS NULL
                                        OR (length(sale_id) BETWEEN 1 AND 64
                                            AND sale_id NOT GLOB '*[^A-Za-z0-9._-]*'));
        CREATE UNIQUE INDEX orders_by_sale_id ON orders (sale_id);",
    )
}

/// v7: a parked sale keeps its sale id (see `parked_sales.sale_id` in
/// schema.sql), so that a sale whose checkout may have been placed, then
/// parked, is found again when it is resumed, not placed a second time.
/// The column is added in place with its CHECK, as v6's was; sales parked
/// before it keep none.
fn to_v7_parked_sale_ids(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    // The same column as in schema.sql, where it is last for this reason.
    tx.execute_batch(
        "ALTER TABLE parked_sales
         ADD COLUMN sale_id TEXT CHECK (sale_id IS NULL
                                        OR (length(sale_id) BETWEEN 1 AND 64
                                            AND sale_id NOT GLOB '*[^A-Za-z0-9._-]*'))",
    )
}

/// The schema version this shopdesk writes.
pub const LATEST_VERSION: i64 = 1 + MIGRATIONS.len() as i64;

/// What a database file holds, once it is known to be shopdesk's to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// No tables at all: a new or empty file.
    Empty,
    Shopdesk {
        version: i64,
    },
}

impl Identity {
    /// Whether the file is a shopdesk database of this version.
    pub fn is_current(self) -> bool {
        self == Identity::Shopdesk {
            version: LATEST_VERSION,
        }
    }
}

/// The mark, the version and the number of tables, in one statement: one
/// read transaction, so another counter's commit (say, the one that makes
/// the database) cannot land between them.
const IDENTITY_SQL: &str = "SELECT (SELECT application_id FROM pragma_application_id),
        (SELECT user_version FROM pragma_user_version),
        (SELECT count(*) FROM sqlite_schema)";

/// Reads (never writes) what the file is, refusing a file that shopdesk
/// must not touch: not a database, another program's, a newer shopdesk's,
/// or one with shopdesk's mark at a version no shopdesk makes.
pub fn identify(conn: &Connection, path: &Path) -> Result<Identity> {
    let (application_id, version, objects): (i64, i64, i64) = conn
        .query_row(IDENTITY_SQL, [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .map_err(|error| match error.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => Error::NotADatabase {
                path: path.to_path_buf(),
            },
            _ => Error::from(error),
        })?;
    match (application_id, objects) {
        (APPLICATION_ID, _) if version > LATEST_VERSION => Err(Error::DatabaseTooNew {
            database: path.display().to_string(),
            found: version,
            supported: LATEST_VERSION,
        }),
        // Version 0 is an empty file's: the mark alone is no schema to
        // upgrade.
        (APPLICATION_ID, _) if version < 1 => Err(Error::UnknownVersion {
            database: path.display().to_string(),
            found: version,
        }),
        (APPLICATION_ID, _) => Ok(Identity::Shopdesk { version }),
        (0, 0) => Ok(Identity::Empty),
        _ => Err(Error::ForeignDatabase {
            path: path.to_path_buf(),
        }),
    }
}

/// Writes the whole schema of this version into a new, empty database.
pub fn create_schema(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(SCHEMA)?;
    tx.commit()?;
    Ok(())
}

/// Creates or upgrades the schema. Another process may be doing the same at
/// this moment, so the decision is made again under the write lock, which
/// the others wait for: one of them upgrades, the rest find it done.
pub fn upgrade(conn: &mut Connection, path: &Path) -> Result<()> {
    if identify(conn, path)?.is_current() {
        return Ok(());
    }
    // Rebuilding a table that others refer to needs foreign keys off, and
    // that can only change outside a transaction; `foreign_key_check` below
    // proves nothing was broken before the upgrade commits.
    conn.pragma_update(None, "foreign_keys", false)?;
    let result = upgrade_in_transaction(conn, path);
    conn.pragma_update(None, "foreign_keys", true)?;
    result
}

/// Why an upgrade step failed: a busy, unreachable or damaged database
/// keeps its own class (try again; restore a backup), anything else is
/// the upgrade refused. Either way the transaction leaves the file as it was.
fn upgrade_failed(error: rusqlite::Error) -> Error {
    let error = Error::from(error);
    match error.class() {
        ErrorClass::Unavailable | ErrorClass::Damaged => error,
        _ => Error::UpgradeFailed(error.to_string()),
    }
}

fn upgrade_in_transaction(conn: &mut Connection, path: &Path) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    match identify(&tx, path)? {
        Identity::Empty => tx.execute_batch(SCHEMA)?,
        Identity::Shopdesk { version } => {
            let first_step = usize::try_from(version - 1).unwrap_or(0);
            for step in MIGRATIONS.iter().skip(first_step) {
                step(&tx).map_err(upgrade_failed)?;
            }
            tx.pragma_update(None, "user_version", LATEST_VERSION)?;
            let broken: Option<String> = tx
                .query_row(
                    "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
                    [],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(table) = broken {
                return Err(Error::UpgradeFailed(format!(
                    "it would break references in {table}"
                )));
            }
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn failing_step(code: std::ffi::c_int) -> Error {
        upgrade_failed(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None))
    }

    #[test]
    fn a_step_that_fails_busy_or_damaged_keeps_its_class() {
        assert!(matches!(failing_step(ffi::SQLITE_BUSY), Error::Busy));
        assert!(matches!(failing_step(ffi::SQLITE_CORRUPT), Error::Damaged));
        let refused = failing_step(ffi::SQLITE_CONSTRAINT);
        assert!(matches!(refused, Error::UpgradeFailed(_)), "{refused:?}");
        assert_eq!(refused.class(), ErrorClass::Refused);
    }
}
