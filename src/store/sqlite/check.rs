//! `shopdesk check`: reads the whole database and reports what breaks the
//! rules it is written by. Each part streams its rows in key order, so a
//! shop of a million orders is checked in one pass each, in bounded memory.

use std::collections::BTreeSet;

use rusqlite::types::{FromSql, ValueRef};
use rusqlite::{Connection, ErrorCode, Row};

use super::error::NOT_UTF8;
use super::time::DbTime;
use super::{Result, SqliteStore, quote_name};
use crate::store::check::customers::{EmailKeys, check_contact};
use crate::store::check::orders::{
    Event, EventRow, LineMoves, LineRow, check_line_moves, check_order_totals, check_product_stock,
    check_timelines, stray_move,
};
use crate::store::check::rows::{
    STORED_TIMES, key_of, missing_parent, missing_parent_of_id, named_tables, row_name,
    unreadable_time,
};
use crate::store::{CheckReport, ProblemKind};

const CHECK_CACHE_KIB: i64 = 256 * 1024;

/// One part of the check: adds what it finds to the report.
type Part = fn(&Connection, &mut CheckReport) -> rusqlite::Result<()>;

const PARTS: [Part; 10] = [
    integrity,
    foreign_keys,
    stored_texts,
    stored_times,
    order_totals,
    ledger_against_stock,
    ledger_against_orders,
    timelines,
    email_keys,
    contacts,
];

impl SqliteStore {
    /// Checks the database: SQLite's integrity check, foreign keys, order
    /// totals, stock within its bounds, the stock ledger against stock and
    /// against orders, status timelines, email keys (customers whose
    /// emails are the same address ignoring case and accents) and how
    /// customers are reached (an email or a phone). Damage that
    /// stops a part from reading is reported as a problem, not an error: it
    /// is what the check is for.
    pub(super) fn check(&self) -> Result<CheckReport> {
        // Each part reads most of the file: a bigger page cache than a
        // counter's saves reading pages again from the system's cache.
        self.conn
            .pragma_update(None, "cache_size", -CHECK_CACHE_KIB)?;
        // One read transaction: every part sees the same moment, so a sale
        // made meanwhile on another counter is in all of them or in none.
        let report = self
            .conn
            .unchecked_transaction()
            .map_err(super::Error::from)
            .and_then(|snapshot| {
                let report = self.check_parts();
                // Ending a read that damage may already have ended can
                // fail; the report is what matters.
                let _ = snapshot.finish();
                report
            });
        self.conn
            .pragma_update(None, "cache_size", super::DEFAULT_CACHE_SIZE)?;
        report
    }

    fn check_parts(&self) -> Result<CheckReport> {
        let mut report = CheckReport::in_currency_of(self.settings());
        for part in PARTS {
            if let Err(error) = part(&self.conn, &mut report) {
                match error.sqlite_error_code() {
                    Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                        report.found(
                            ProblemKind::Integrity,
                            format!("the database is damaged: {error}"),
                        );
                        return Ok(report);
                    }
                    _ => return Err(error.into()),
                }
            }
        }
        Ok(report)
    }
}

fn integrity(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement = conn.prepare("PRAGMA integrity_check(100)")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let text: String = row.get(0)?;
        // One row may hold several findings, one per line, under a heading.
        let findings = text
            .lines()
            .filter(|line| *line != "ok" && !line.starts_with("*** in database"));
        for finding in findings {
            report.found(ProblemKind::Integrity, finding.to_string());
        }
    }
    Ok(())
}

/// Every reference finds its row. SQLite names a broken row by its rowid;
/// the tables without one (an order's lines and events, the ledger) are
/// searched again by their key, so that each problem names its row.
fn foreign_keys(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement =
        conn.prepare("SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check")?;
    let mut rows = statement.query([])?;
    let mut without_rowid = BTreeSet::new();
    while let Some(row) = rows.next()? {
        let (table, rowid, parent): (String, Option<i64>, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        match rowid {
            Some(id) => missing_parent_of_id(report, &table, &id.to_string(), &parent),
            None => {
                without_rowid.insert((table, row.get::<_, i64>(3)?));
            }
        }
    }
    for (table, foreign_key) in without_rowid {
        name_broken_references(conn, report, &table, foreign_key)?;
    }
    Ok(())
}

/// Lists by key the rows of `table` whose foreign key number `foreign_key`
/// finds no row.
fn name_broken_references(
    conn: &Connection,
    report: &mut CheckReport,
    table: &str,
    foreign_key: i64,
) -> rusqlite::Result<()> {
    let (column, parent, parent_column): (String, String, String) = conn.query_row(
        "SELECT \"from\", \"table\", coalesce(\"to\", 'rowid')
         FROM pragma_foreign_key_list(?1) WHERE id = ?2",
        rusqlite::params![table, foreign_key],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let key: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?
        .query_map([table], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let key_columns: Vec<String> = key
        .iter()
        .map(|name| format!("c.{}", quote_name(name)))
        .collect();
    // Names cannot be bound; they come from the file's schema, which a
    // hand-edited file may fill with anything, so each is quoted whole.
    let (column_q, table_q, parent_q, parent_column_q) = (
        quote_name(&column),
        quote_name(table),
        quote_name(&parent),
        quote_name(&parent_column),
    );
    let sql = format!(
        "SELECT {}, c.{column_q} FROM {table_q} c
         WHERE c.{column_q} IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM {parent_q} p WHERE p.{parent_column_q} = c.{column_q})",
        key_columns.join(", ")
    );
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(key.len() + 1);
        for index in 0..=key.len() {
            values.push(value_text(row.get_ref(index)?));
        }
        let missing = values.pop().unwrap_or_default();
        let which: Vec<(&String, String)> = key.iter().zip(values).collect();
        missing_parent(report, table, &which, &column, &missing, &parent);
    }
    Ok(())
}

/// The key of `table` that names its rows, as SQL selecting its columns
/// (the rowid for a table that is not the shop's). Names cannot be bound;
/// these come from the shared list of the shop's tables, never input.
fn key_columns(table: &str) -> Vec<&'static str> {
    key_of(table).unwrap_or_else(|| vec!["rowid"])
}

/// The row named by the first `key.len()` columns of `row`.
fn name_of(table: &str, key: &[&str], row: &Row<'_>) -> rusqlite::Result<String> {
    let mut values = Vec::with_capacity(key.len());
    for (index, column) in key.iter().enumerate() {
        values.push((*column, value_text(row.get_ref(index)?)));
    }
    Ok(row_name(table, &values))
}

/// What every stored time looks like, for SQLite's GLOB.
const TIME_SHAPE: &str = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z";

/// Every stored time is a time. The schema asks only for 27 characters,
/// so another tool can write anything of that length; each is read as the
/// store reads it.
fn stored_times(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    for (table, column) in STORED_TIMES {
        // A time of the right shape, with an hour 00-23 and a day its
        // month has in every year, is a time: only the others (29
        // February among them, which depends on the year) are read as
        // the store reads them. Comparing text is cheap; reading every
        // time as a date made `check` twice as slow.
        let key = key_columns(table);
        let sql = format!(
            "SELECT {}, {column} FROM {table}
             WHERE NOT ({column} GLOB '{TIME_SHAPE}'
                        AND substr({column}, 12, 2) <= '23'
                        AND {})",
            key.join(", "),
            day_in_every_year(column)
        );
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if let Err(why) = DbTime::column_result(row.get_ref(key.len())?) {
                unreadable_time(report, &name_of(table, &key, row)?, column, &why);
            }
        }
    }
    Ok(())
}

/// Every text of every row is UTF-8: SQLite keeps whatever bytes another
/// tool wrote as text, and the store cannot read a row holding others.
fn stored_texts(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    for (table, key) in named_tables() {
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE type = 'TEXT'")?
            .query_map([table], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if columns.is_empty() {
            continue;
        }
        let selected: Vec<String> = columns.iter().map(|name| quote_name(name)).collect();
        let sql = format!(
            "SELECT {}, {} FROM {table}",
            key.join(", "),
            selected.join(", ")
        );
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            for (index, column) in columns.iter().enumerate() {
                if let ValueRef::Text(bytes) = row.get_ref(key.len() + index)?
                    && std::str::from_utf8(bytes).is_err()
                {
                    let name = name_of(table, &key, row)?;
                    report.found(ProblemKind::Text, format!("{name}: {column} {NOT_UTF8}"));
                }
            }
        }
    }
    Ok(())
}

/// SQL: the day of the time in `column` (of the right shape) is one its
/// month has in every year.
fn day_in_every_year(column: &str) -> String {
    let (month, day) = (
        format!("substr({column}, 6, 2)"),
        format!("substr({column}, 9, 2)"),
    );
    format!(
        "({month} BETWEEN '01' AND '12' AND {day} >= '01'
          AND ({day} <= '28'
               OR ({day} <= '30' AND {month} <> '02')
               OR ({day} = '31' AND {month} IN ('01', '03', '05', '07', '08', '10', '12'))))"
    )
}

fn value_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Integer(number) => number.to_string(),
        ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned(),
        other => format!("{other:?}"),
    }
}

/// Every order's lines against its stored totals (see
/// [`check_order_totals`]).
fn order_totals(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement = conn.prepare(
        "SELECT o.id, o.subtotal_cents, o.discount_cents, o.total_cents,
                i.unit_price_cents, i.quantity, i.line_total_cents
         FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
         ORDER BY o.id, i.line_no",
    )?;
    let rows = statement.query_map([], |row| {
        let line: (Option<i64>, Option<i64>, Option<i64>) = (row.get(4)?, row.get(5)?, row.get(6)?);
        Ok(LineRow {
            order: row.get(0)?,
            stored: [row.get(1)?, row.get(2)?, row.get(3)?],
            line: match line {
                (Some(unit_price), Some(quantity), Some(total)) => {
                    Some([unit_price, quantity, total])
                }
                _ => None,
            },
        })
    })?;
    check_order_totals(rows, report)
}

/// Every product's stock within its bounds and against its ledger (see
/// [`check_product_stock`]).
fn ledger_against_stock(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    report.stock_moves =
        conn.query_row("SELECT count(*) FROM stock_moves", [], |row| row.get(0))?;
    let mut statement = conn.prepare(
        "SELECT p.id, p.sku, p.stock,
                (SELECT total(m.delta) FROM stock_moves m WHERE m.product_id = p.id)
         FROM products p ORDER BY p.id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        // total() sums in floating point: it never overflows.
        let (id, sku, stock, ledger): (i64, String, i64, f64) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        check_product_stock(report, id, &sku, stock, ledger);
    }
    Ok(())
}

/// Every line sold against the ledger, and no move naming a line that does
/// not exist (see [`check_line_moves`]). The ledger has no index by order
/// (selling would pay for it on every line): its moves are summed by line
/// into a temporary table first.
fn ledger_against_orders(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.line_moves;
         CREATE TEMP TABLE line_moves (
             order_id INTEGER, product_id INTEGER, sold INTEGER, returned INTEGER,
             PRIMARY KEY (order_id, product_id)
         ) WITHOUT ROWID;
         INSERT INTO temp.line_moves
             SELECT order_id, product_id,
                    sum(CASE WHEN reason = 'sale' THEN -delta ELSE 0 END),
                    sum(CASE WHEN reason = 'cancel' THEN delta ELSE 0 END)
             FROM stock_moves WHERE order_id IS NOT NULL
             GROUP BY order_id, product_id;",
    )?;
    let result = compare_lines_with_moves(conn, report);
    conn.execute_batch("DROP TABLE temp.line_moves")?;
    result
}

fn compare_lines_with_moves(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement = conn.prepare(
        "SELECT i.order_id, i.product_id, i.quantity, o.status = 'canceled',
                coalesce(m.sold, 0), coalesce(m.returned, 0)
         FROM order_items i JOIN orders o ON o.id = i.order_id
         LEFT JOIN temp.line_moves m ON m.order_id = i.order_id AND m.product_id = i.product_id
         ORDER BY i.order_id, i.product_id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let line = LineMoves {
            order: row.get(0)?,
            product: row.get(1)?,
            quantity: row.get(2)?,
            canceled: row.get(3)?,
            sold: row.get(4)?,
            returned: row.get(5)?,
        };
        check_line_moves(report, line);
    }
    let mut stray = conn.prepare(
        "SELECT m.order_id, m.product_id FROM temp.line_moves m
         WHERE NOT EXISTS
               (SELECT 1 FROM order_items i WHERE i.order_id = m.order_id AND i.product_id = m.product_id)
         ORDER BY m.order_id, m.product_id",
    )?;
    let mut rows = stray.query([])?;
    while let Some(row) = rows.next()? {
        stray_move(report, row.get(0)?, row.get(1)?);
    }
    Ok(())
}

/// Each order's events against its status (see [`check_timelines`]).
fn timelines(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement = conn.prepare(
        "SELECT o.id, o.status, o.payment_method IS NOT NULL, e.seq, e.from_status, e.to_status
         FROM orders o LEFT JOIN order_events e ON e.order_id = o.id
         ORDER BY o.id, e.seq",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(EventRow {
            order: row.get(0)?,
            status: row.get(1)?,
            counter_sale: row.get(2)?,
            event: match row.get::<_, Option<i64>>(3)? {
                Some(seq) => Some(Event {
                    seq,
                    from: row.get(4)?,
                    to: row.get(5)?,
                }),
                None => None,
            },
        })
    })?;
    check_timelines(rows, report)
}

/// Every email and its key (see [`EmailKeys`]).
fn email_keys(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement = conn.prepare(
        "SELECT id, email, email_key FROM customers WHERE email IS NOT NULL ORDER BY id",
    )?;
    let mut rows = statement.query([])?;
    let mut keys = EmailKeys::default();
    while let Some(row) = rows.next()? {
        let (id, email, stored): (i64, String, Option<String>) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        keys.take(report, id, &email, stored.as_deref());
    }
    let mut holder = conn.prepare("SELECT id FROM customers WHERE email_key = ?1")?;
    keys.finish(report, |key| {
        holder
            .query_map([key], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()
    })
}

/// How every customer is reached (see [`check_contact`]). The table's
/// CHECK holds the rule, so only a row another tool wrote with CHECKs off
/// can break it; read as any other row, one pass in id order.
fn contacts(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement =
        conn.prepare("SELECT id, email IS NOT NULL, phone IS NOT NULL FROM customers ORDER BY id")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        check_contact(report, row.get(0)?, row.get(1)?, row.get(2)?);
    }
    Ok(())
}
