//! `shopdesk check`: reads the whole database and reports what breaks the
//! rules it is written by. Each part streams its rows in key order, so a
//! shop of a million orders is checked in one pass each, in bounded memory.

use std::collections::BTreeSet;

use rusqlite::{Connection, ErrorCode, Row};

use rusqlite::types::{FromSql, ValueRef};

use super::error::NOT_UTF8;
use super::time::DbTime;
use super::{Result, SqliteStore, quote_name};
use crate::domain::Cents;
use crate::domain::customer::{Email, WALK_IN_ID, email_key, require_contact};
use crate::domain::order::{Quantity, Status, price_order};
use crate::domain::product::{MAX_STOCK, Stock};
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
        let mut report = CheckReport {
            currency: self
                .settings()
                .map(|settings| settings.currency)
                .unwrap_or_default(),
            ..CheckReport::default()
        };
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
            Some(id) => report.found(
                ProblemKind::ForeignKey,
                format!("row {id} of {table} refers to a missing row of {parent}"),
            ),
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
        let which: Vec<String> = key
            .iter()
            .zip(&values)
            .map(|(name, value)| format!("{name} {value}"))
            .collect();
        report.found(
            ProblemKind::ForeignKey,
            format!(
                "{table} ({}): {column} {missing} refers to a missing row of {parent}",
                which.join(", ")
            ),
        );
    }
    Ok(())
}

/// Each table of the shop's and the SQL that names one of its rows for the
/// clerk. (Constants, never input: names cannot be bound.)
const ROW_NAMES: [(&str, &str); 9] = [
    ("customers", "'customer ' || id"),
    ("products", "'product ' || id"),
    ("orders", "'order ' || id"),
    (
        "order_items",
        "'order ' || order_id || ', product ' || product_id",
    ),
    ("order_events", "'order ' || order_id || ', event ' || seq"),
    (
        "stock_moves",
        "'product ' || product_id || ', stock move ' || seq",
    ),
    ("settings", "'setting ' || key"),
    ("parked_sales", "'parked sale ' || id"),
    (
        "parked_lines",
        "'parked sale ' || parked_id || ', line ' || line_no",
    ),
];

/// Every stored time's table and column. The schema asks only for 27
/// characters, so another tool can write anything of that length; each is
/// read as the store reads it.
const STORED_TIMES: [(&str, &str); 7] = [
    ("customers", "created_at"),
    ("products", "created_at"),
    ("products", "updated_at"),
    ("orders", "created_at"),
    ("order_events", "at"),
    ("stock_moves", "at"),
    ("parked_sales", "parked_at"),
];

/// What every stored time looks like, for SQLite's GLOB.
const TIME_SHAPE: &str = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z";

fn stored_times(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    for (table, column) in STORED_TIMES {
        // A time of the right shape, with an hour 00-23 and a day its
        // month has in every year, is a time: only the others (29
        // February among them, which depends on the year) are read as
        // the store reads them. Comparing text is cheap; reading every
        // time as a date made `check` twice as slow.
        let sql = format!(
            "SELECT {}, {column} FROM {table}
             WHERE NOT ({column} GLOB '{TIME_SHAPE}'
                        AND substr({column}, 12, 2) <= '23'
                        AND {})",
            row_name_of(table),
            day_in_every_year(column)
        );
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if let Err(why) = DbTime::column_result(row.get_ref(1)?) {
                let name = value_text(row.get_ref(0)?);
                report.found(ProblemKind::Time, format!("{name}: {column} {why}"));
            }
        }
    }
    Ok(())
}

/// Every text of every row is UTF-8: SQLite keeps whatever bytes another
/// tool wrote as text, and the store cannot read a row holding others.
fn stored_texts(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    for (table, row_name) in ROW_NAMES {
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE type = 'TEXT'")?
            .query_map([table], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if columns.is_empty() {
            continue;
        }
        let selected: Vec<String> = columns.iter().map(|name| quote_name(name)).collect();
        let sql = format!("SELECT {row_name}, {} FROM {table}", selected.join(", "));
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            for (index, column) in columns.iter().enumerate() {
                if let ValueRef::Text(bytes) = row.get_ref(index + 1)?
                    && std::str::from_utf8(bytes).is_err()
                {
                    let name = value_text(row.get_ref(0)?);
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

fn row_name_of(table: &str) -> &'static str {
    ROW_NAMES
        .iter()
        .find(|(named, _)| *named == table)
        .map_or("rowid", |(_, row_name)| row_name)
}

fn value_text(value: rusqlite::types::ValueRef<'_>) -> String {
    match value {
        rusqlite::types::ValueRef::Integer(number) => number.to_string(),
        rusqlite::types::ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned(),
        other => format!("{other:?}"),
    }
}

/// Every order's lines add up to its subtotal, its discount is the bulk
/// discount's, its total is the difference, and it has lines at all.
fn order_totals(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    check_per_order::<OrderLines>(
        conn,
        "SELECT o.id, o.subtotal_cents, o.discount_cents, o.total_cents,
                i.unit_price_cents, i.quantity, i.line_total_cents
         FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
         ORDER BY o.id, i.line_no",
        report,
    )
}

/// An order read from rows that come one or more per order, in order of
/// the order's id in their first column: an order joined with its lines,
/// or with its events.
trait PerOrder: Sized {
    /// The order, from its first row.
    fn start(id: i64, row: &Row<'_>) -> rusqlite::Result<Self>;
    /// Takes in one of the order's rows, the first included.
    fn take(&mut self, row: &Row<'_>, report: &mut CheckReport) -> rusqlite::Result<()>;
    /// Checks the order once all its rows are in.
    fn finish(self, report: &mut CheckReport);
}

/// Streams `sql`'s rows into one `O` per order, checking each in turn.
fn check_per_order<O: PerOrder>(
    conn: &Connection,
    sql: &str,
    report: &mut CheckReport,
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare(sql)?;
    let mut rows = statement.query([])?;
    let mut current: Option<(i64, O)> = None;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if current
            .as_ref()
            .is_none_or(|(current_id, _)| *current_id != id)
            && let Some((_, done)) = current.replace((id, O::start(id, row)?))
        {
            done.finish(report);
        }
        if let Some((_, order)) = current.as_mut() {
            order.take(row, report)?;
        }
    }
    if let Some((_, order)) = current {
        order.finish(report);
    }
    Ok(())
}

/// An order as stored, and its lines' (unit price, quantity, line total).
struct OrderLines {
    id: i64,
    /// Subtotal, discount, total.
    stored: [i64; 3],
    lines: Vec<(i64, i64, i64)>,
}

impl PerOrder for OrderLines {
    fn start(id: i64, row: &Row<'_>) -> rusqlite::Result<OrderLines> {
        Ok(OrderLines {
            id,
            stored: [row.get(1)?, row.get(2)?, row.get(3)?],
            lines: Vec::new(),
        })
    }

    fn take(&mut self, row: &Row<'_>, _: &mut CheckReport) -> rusqlite::Result<()> {
        let line: (Option<i64>, Option<i64>, Option<i64>) = (row.get(4)?, row.get(5)?, row.get(6)?);
        if let (Some(unit_price), Some(quantity), Some(line_total)) = line {
            self.lines.push((unit_price, quantity, line_total));
        }
        Ok(())
    }

    fn finish(self, report: &mut CheckReport) {
        report.orders += 1;
        let id = self.id;
        if self.lines.is_empty() {
            report.found(ProblemKind::Totals, format!("order {id} has no items"));
            return;
        }
        let currency = report.currency.clone();
        let money = |cents: i64| currency.amount(Cents::new(cents));
        for &(unit_price, quantity, line_total) in &self.lines {
            if unit_price.checked_mul(quantity) != Some(line_total) {
                report.found(
                    ProblemKind::Totals,
                    format!(
                        "order {id}: a line of {quantity} × {} says {}",
                        money(unit_price),
                        money(line_total)
                    ),
                );
            }
        }
        let priced = self
            .lines
            .iter()
            .map(|&(unit_price, quantity, _)| {
                Quantity::new(quantity).map(|quantity| (Cents::new(unit_price), quantity))
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .and_then(price_order);
        let [subtotal, discount, total] = self.stored.map(Cents::new);
        match priced {
            Ok(expected)
                if (expected.subtotal, expected.discount, expected.total)
                    == (subtotal, discount, total) => {}
            Ok(expected) => report.found(
                ProblemKind::Totals,
                format!(
                    "order {id}: stored subtotal {}, discount {}, total {}; \
                     its lines make {}, {}, {}",
                    currency.amount(subtotal),
                    currency.amount(discount),
                    currency.amount(total),
                    currency.amount(expected.subtotal),
                    currency.amount(expected.discount),
                    currency.amount(expected.total)
                ),
            ),
            Err(error) => report.found(
                ProblemKind::Totals,
                format!("order {id}: its lines cannot be priced: {error}"),
            ),
        }
    }
}

/// Every product's stock is within the bounds every change of stock obeys
/// (only a row changed by hand can leave them), and is the sum of its
/// ledger.
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
        report.products += 1;
        let (id, sku, stock, ledger): (i64, String, i64, f64) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        if Stock::new(stock).is_err() {
            report.found(
                ProblemKind::Stock,
                format!("product {id} ({sku}): stock {stock} is outside 0 to {MAX_STOCK}"),
            );
        }
        // total() sums in floating point: exact for any real stock.
        if stock as f64 != ledger {
            report.found(
                ProblemKind::Ledger,
                format!("product {id} ({sku}): stock {stock}, but its ledger adds up to {ledger}"),
            );
        }
    }
    Ok(())
}

/// Every line sold took its units through the ledger once, and every
/// canceled order gave them back once; no move names a line that does not
/// exist. The ledger has no index by order (selling would pay for it on
/// every line): its moves are summed by line into a temporary table first.
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
        let (order, product, quantity, canceled): (i64, i64, i64, bool) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let (sold, returned): (i64, i64) = (row.get(4)?, row.get(5)?);
        let expected_returned = if canceled { quantity } else { 0 };
        if sold != quantity || returned != expected_returned {
            report.found(
                ProblemKind::Ledger,
                format!(
                    "order {order}, product {product}: {quantity} sold{}, but the ledger took {sold} and gave back {returned}",
                    if canceled { " and canceled" } else { "" }
                ),
            );
        }
    }
    let mut stray = conn.prepare(
        "SELECT m.order_id, m.product_id FROM temp.line_moves m
         WHERE NOT EXISTS
               (SELECT 1 FROM order_items i WHERE i.order_id = m.order_id AND i.product_id = m.product_id)
         ORDER BY m.order_id, m.product_id",
    )?;
    let mut rows = stray.query([])?;
    while let Some(row) = rows.next()? {
        let (order, product): (i64, i64) = (row.get(0)?, row.get(1)?);
        report.found(
            ProblemKind::Ledger,
            format!(
                "the ledger moves product {product} for order {order}, which has no line of it"
            ),
        );
    }
    Ok(())
}

/// Each order's events: the first creates it (pending, or delivered for a
/// counter sale), each one starts where the one before ended by an allowed
/// step, and the last ends at the order's status.
fn timelines(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    check_per_order::<Timeline>(
        conn,
        "SELECT o.id, o.status, o.payment_method IS NOT NULL, e.seq, e.from_status, e.to_status
         FROM orders o LEFT JOIN order_events e ON e.order_id = o.id
         ORDER BY o.id, e.seq",
        report,
    )
}

struct Timeline {
    order: i64,
    status: String,
    counter_sale: bool,
    /// Where the events so far left the order.
    last: Option<String>,
    events: i64,
}

impl PerOrder for Timeline {
    fn start(order: i64, row: &Row<'_>) -> rusqlite::Result<Timeline> {
        Ok(Timeline {
            order,
            status: row.get(1)?,
            counter_sale: row.get(2)?,
            last: None,
            events: 0,
        })
    }

    fn take(&mut self, row: &Row<'_>, report: &mut CheckReport) -> rusqlite::Result<()> {
        if let Some(seq) = row.get::<_, Option<i64>>(3)? {
            self.step(seq, row.get(4)?, row.get(5)?, report);
        }
        Ok(())
    }

    fn finish(self, report: &mut CheckReport) {
        let order = self.order;
        match &self.last {
            None => report.found(
                ProblemKind::Timeline,
                format!("order {order} has no events"),
            ),
            Some(last) if *last != self.status => report.found(
                ProblemKind::Timeline,
                format!(
                    "order {order} is {}, but its last event left it {last}",
                    self.status
                ),
            ),
            Some(_) => {}
        }
    }
}

impl Timeline {
    fn step(&mut self, seq: i64, from: Option<String>, to: String, report: &mut CheckReport) {
        let order = self.order;
        self.events += 1;
        if seq != self.events {
            report.found(
                ProblemKind::Timeline,
                format!("order {order}: event {seq} should be event {}", self.events),
            );
        }
        match (&self.last, from.as_deref()) {
            (None, None) => {
                let creates = to == Status::Pending.as_str()
                    || (to == Status::Delivered.as_str() && self.counter_sale);
                if !creates {
                    report.found(
                        ProblemKind::Timeline,
                        format!("order {order}: its first event makes it {to}"),
                    );
                }
            }
            (Some(last), Some(from)) if last == from => {
                let allowed = match (from.parse::<Status>(), to.parse::<Status>()) {
                    (Ok(from), Ok(to)) => from.check_transition(order, to).is_ok(),
                    _ => false,
                };
                if !allowed {
                    report.found(
                        ProblemKind::Timeline,
                        format!("order {order}: event {seq} moves it from {from} to {to}, which is not allowed"),
                    );
                }
            }
            (last, from) => report.found(
                ProblemKind::Timeline,
                format!(
                    "order {order}: event {seq} starts from {}, but the order was {}",
                    from.unwrap_or("nothing"),
                    last.as_deref().unwrap_or("not yet placed")
                ),
            ),
        }
        self.last = Some(to);
    }
}

/// Every email follows the rules for emails, every stored key is its
/// email's, and every customer without one shares their email, ignoring
/// case and accents, with another customer (registered before v4, see
/// `customers.email_key` in schema.sql): each such group is named, so that
/// all but one can be given another email.
/// The unique index keeps the stored keys apart, so only customers without
/// a key (a handful) are held in memory.
fn email_keys(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement = conn.prepare(
        "SELECT id, email, email_key FROM customers WHERE email IS NOT NULL ORDER BY id",
    )?;
    let mut rows = statement.query([])?;
    let mut keyless: Vec<(String, i64)> = Vec::new();
    while let Some(row) = rows.next()? {
        let (id, email, stored): (i64, String, Option<String>) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        // A row from before a rule (or changed by hand) may break it: an
        // email with a zero-width or direction character, say.
        if let Err(broken) = Email::parse(&email) {
            report.found(ProblemKind::Email, format!("customer {id}: {broken}"));
        }
        let key = email_key(&email);
        match stored {
            None => keyless.push((key, id)),
            Some(stored) if stored != key => report.found(
                ProblemKind::Email,
                format!("customer {id}: its email key is not the key of its email"),
            ),
            Some(_) => {}
        }
    }
    // Sorted by key, then id: each key's customers come together.
    keyless.sort();
    let mut holder = conn.prepare("SELECT id FROM customers WHERE email_key = ?1")?;
    let mut groups = Vec::new();
    for group in keyless.chunk_by(|a, b| a.0 == b.0) {
        let key = &group[0].0;
        let mut ids: Vec<i64> = holder
            .query_map([key], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.extend(group.iter().map(|(_, id)| *id));
        let message = match ids.as_slice() {
            [only] => format!("customer {only} has no email key; edit its email to set one"),
            [rest @ .., last] => format!(
                "customers {} and {last} have the same email ignoring case and accents",
                rest.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            [] => continue,
        };
        groups.push((ids[0], message));
    }
    // Named in the order the customers were registered.
    groups.sort();
    for (_, message) in groups {
        report.found(ProblemKind::Email, message);
    }
    Ok(())
}

/// Every customer but the Walk-in has an email or a phone number, or both
/// (the rule is the domain's), and the Walk-in has neither. The table's
/// CHECK holds both, so only a row another tool wrote with CHECKs off can
/// break them; read as any other row, one pass in id order.
fn contacts(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut statement =
        conn.prepare("SELECT id, email IS NOT NULL, phone IS NOT NULL FROM customers ORDER BY id")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (id, has_email, has_phone): (i64, bool, bool) = (row.get(0)?, row.get(1)?, row.get(2)?);
        if id == WALK_IN_ID {
            if has_email || has_phone {
                report.found(
                    ProblemKind::Contact,
                    format!(
                        "customer {id}, the built-in Walk-in, has an email or a phone number; it must have neither"
                    ),
                );
            }
        } else if require_contact(has_email, has_phone).is_err() {
            report.found(
                ProblemKind::Contact,
                format!("customer {id} has neither an email nor a phone number"),
            );
        }
    }
    Ok(())
}
