//! `shopdesk check` on a server database: every rule the SQLite backend
//! checks (the rules and their words are shared, in `store/check/`), read
//! in one consistent snapshot while counters keep selling.
//!
//! What the server holds that SQLite's file could not: every text is
//! valid in its column's character set (utf8mb4 refuses, or in a lax mode
//! replaces, any other bytes as they are written), so there is no text to
//! find unreadable. What it could hold that SQLite cannot: a date no
//! calendar has (`2026-02-30`, `0000-00-00`, written in a lax mode), and
//! a customer nobody can reach (the schema cannot hold that rule as a
//! CHECK: see schema.mysql.sql). Both are named.
//!
//! SQLite's integrity check has no twin that is cheap: `CHECK TABLE`
//! reads every index of every table again, which on a shop of a million
//! orders costs more than the whole check, for damage InnoDB already
//! finds by itself (it verifies each page's checksum as it reads it, and
//! every page is read here). So the server's damage is named when a part
//! meets it, and the integrity part re-evaluates instead the schema's
//! CHECK constraints on every row: a session with `check_constraint_checks`
//! off (or another tool) can write rows that break them, as SQLite's
//! `ignore_check_constraints` can, and SQLite's integrity check names
//! those.

use std::collections::BTreeMap;

use mysql::prelude::{FromRow, Queryable};
use mysql::{AccessMode, Row, Transaction, TxOpts, Value};

use super::{MysqlStore, error};
use crate::domain::product::MoveReason;
use crate::domain::text::quote;
use crate::store::check::customers::{EmailKeys, check_contact};
use crate::store::check::orders::{
    Event, EventRow, LineMoves, LineRow, check_line_moves, check_order_totals, check_product_stock,
    check_timelines, stray_move,
};
use crate::store::check::rows::{
    NotATime, STORED_TIMES, missing_parent, row_name, unreadable_time,
};
use crate::store::{CheckReport, ProblemKind, Result};

/// One part of the check: adds what it finds in the snapshot to the report.
type Part = fn(&mut Snapshot<'_>, &mut CheckReport) -> mysql::Result<()>;

const PARTS: [Part; 9] = [
    integrity,
    foreign_keys,
    stored_times,
    order_totals,
    ledger_against_stock,
    ledger_against_orders,
    timelines,
    email_keys,
    contacts,
];

/// The database at one moment, and how its rows are named.
struct Snapshot<'c> {
    tx: Transaction<'c>,
    keys: Keys,
}

/// Each table's primary key's columns, in order: what names a row.
struct Keys(BTreeMap<String, Vec<String>>);

impl MysqlStore {
    /// Checks the database (see the module's comment): damage that stops
    /// a part from reading is reported as a problem, not an error.
    pub(super) fn check(&self) -> Result<CheckReport> {
        // The settings are read before the snapshot, on the same
        // connection: only the amounts' format depends on them.
        let mut report = CheckReport::in_currency_of(self.settings());
        let mut conn = self.conn()?;
        // One read-only snapshot: every part sees the same moment, so a
        // sale made meanwhile on another counter is in all of them or in
        // none, and no row is locked (counters keep selling).
        let mut tx = conn.start_transaction(
            TxOpts::default()
                .set_with_consistent_snapshot(true)
                .set_access_mode(Some(AccessMode::ReadOnly)),
        )?;
        let keys = Keys::read(&mut tx)?;
        let mut snapshot = Snapshot { tx, keys };
        for part in PARTS {
            if let Err(failure) = part(&mut snapshot, &mut report) {
                if error::is_damage(&failure) {
                    report.found(
                        ProblemKind::Integrity,
                        format!("the database is damaged: {failure}"),
                    );
                    break;
                }
                return Err(failure.into());
            }
        }
        // Read-only: ending it keeps or undoes nothing, and ending a read
        // that damage may already have ended can fail; the report is what
        // matters.
        let _ = snapshot.tx.rollback();
        Ok(report)
    }
}

impl Keys {
    /// The keys of every table of the database.
    fn read(tx: &mut Transaction<'_>) -> mysql::Result<Keys> {
        let columns: Vec<(String, String)> = tx.exec(
            "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
             WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY'
             ORDER BY TABLE_NAME, ORDINAL_POSITION",
            (),
        )?;
        let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (table, column) in columns {
            keys.entry(table).or_default().push(column);
        }
        Ok(Keys(keys))
    }

    /// The key's columns of `table` (none for a table without a key).
    fn of(&self, table: &str) -> &[String] {
        self.0.get(table).map_or(&[], Vec::as_slice)
    }

    /// SQL selecting `table`'s key's columns from the alias `c`, each
    /// followed by a comma (nothing for a table without a key).
    fn select(&self, table: &str) -> String {
        self.of(table)
            .iter()
            .map(|column| format!("c.{}, ", quote_name(column)))
            .collect()
    }

    /// A row of `table` whose first values are its key's, as
    /// [`Keys::select`] selected them: the key (each column with its
    /// value) and the values after it.
    fn split(&self, table: &str, row: Row) -> (Vec<(&String, String)>, Vec<Value>) {
        let key = self.of(table);
        let mut values: Vec<Value> = row
            .unwrap_raw()
            .into_iter()
            .map(|value| value.unwrap_or(Value::NULL))
            .collect();
        let rest = values.split_off(key.len().min(values.len()));
        (
            key.iter().zip(values.into_iter().map(value_text)).collect(),
            rest,
        )
    }

    /// The name of a row of `table` read as [`Keys::split`] reads it, and
    /// the values after its key.
    fn name(&self, table: &str, row: Row) -> (String, Vec<Value>) {
        let (key, rest) = self.split(table, row);
        (row_name(table, &key), rest)
    }
}

impl Snapshot<'_> {
    /// Streams the rows of `sql` (no parameters), each read as `T`.
    fn each<T: FromRow>(
        &mut self,
        sql: &str,
        mut take: impl FnMut(T) -> mysql::Result<()>,
    ) -> mysql::Result<()> {
        for row in self.tx.exec_iter(sql, ())? {
            take(mysql::from_row_opt(row?)?)?;
        }
        Ok(())
    }

    /// Streams the rows of `sql` as they come, with the keys that name
    /// them.
    fn each_row(
        &mut self,
        sql: &str,
        mut take: impl FnMut(&Keys, Row) -> mysql::Result<()>,
    ) -> mysql::Result<()> {
        for row in self.tx.exec_iter(sql, ())? {
            take(&self.keys, row?)?;
        }
        Ok(())
    }
}

/// Every row obeys every CHECK constraint of its table, as the server
/// holds them: one pass over each table.
fn integrity(snapshot: &mut Snapshot<'_>, report: &mut CheckReport) -> mysql::Result<()> {
    // The constraints of this database only; their names are unique in a
    // schema on MySQL, and shopdesk's are on MariaDB.
    let constraints: Vec<(String, String, String)> = snapshot.tx.exec(
        "SELECT tc.TABLE_NAME, tc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
         FROM information_schema.TABLE_CONSTRAINTS tc
         JOIN information_schema.CHECK_CONSTRAINTS cc
           ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
         WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'
         ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME",
        (),
    )?;
    let mut by_table: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (table, name, clause) in constraints {
        by_table.entry(table).or_default().push((name, clause));
    }
    for (table, constraints) in by_table {
        // The clauses are the server's own text of the schema's CHECKs,
        // not input: they cannot be bound, and they run in a read-only
        // transaction. A clause is broken when it is false (unknown
        // passes, as it does when a row is written).
        let broken: Vec<String> = constraints
            .iter()
            .map(|(_, clause)| format!("({clause}) IS FALSE"))
            .collect();
        let sql = format!(
            "SELECT {}{} FROM {} c WHERE {}",
            snapshot.keys.select(&table),
            broken.join(", "),
            quote_name(&table),
            broken.join(" OR ")
        );
        snapshot.each_row(&sql, |keys, row| {
            let (name, flags) = keys.name(&table, row);
            for ((constraint, _), flag) in constraints.iter().zip(flags) {
                if mysql::from_value_opt::<bool>(flag).unwrap_or(true) {
                    report.found(
                        ProblemKind::Integrity,
                        format!("CHECK constraint {constraint} failed in {table}: {name}"),
                    );
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Every reference finds its row (a session with `foreign_key_checks` off
/// can leave one that does not).
fn foreign_keys(snapshot: &mut Snapshot<'_>, report: &mut CheckReport) -> mysql::Result<()> {
    for reference in Reference::read_all(&mut snapshot.tx)? {
        let Reference {
            table,
            parent,
            columns,
            ..
        } = &reference;
        // Names come from the server's description of the schema, each
        // quoted whole.
        let missing: Vec<String> = columns
            .iter()
            .map(|(column, _)| format!("c.{}", quote_name(column)))
            .collect();
        let present: Vec<String> = missing.iter().map(|c| format!("{c} IS NOT NULL")).collect();
        let matched: Vec<String> = columns
            .iter()
            .map(|(column, to)| format!("p.{} = c.{}", quote_name(to), quote_name(column)))
            .collect();
        let sql = format!(
            "SELECT {}{} FROM {} c
             WHERE {} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})",
            snapshot.keys.select(table),
            missing.join(", "),
            quote_name(table),
            present.join(" AND "),
            quote_name(parent),
            matched.join(" AND ")
        );
        let names: Vec<&str> = columns.iter().map(|(column, _)| column.as_str()).collect();
        snapshot.each_row(&sql, |keys, row| {
            let (key, refers) = keys.split(table, row);
            let refers: Vec<String> = refers.into_iter().map(value_text).collect();
            missing_parent(
                report,
                table,
                &key,
                &names.join(", "),
                &refers.join(", "),
                parent,
            );
            Ok(())
        })?;
    }
    Ok(())
}

/// A foreign key of the database: the table it is in, its name, the table
/// it refers to, and each of its columns with the column it refers to.
struct Reference {
    table: String,
    name: String,
    parent: String,
    columns: Vec<(String, String)>,
}

impl Reference {
    /// The database's foreign keys, as the server describes them.
    fn read_all(tx: &mut Transaction<'_>) -> mysql::Result<Vec<Reference>> {
        let columns: Vec<(String, String, String, String, String)> = tx.exec(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
             FROM information_schema.KEY_COLUMN_USAGE
             WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
             ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
            (),
        )?;
        let mut references: Vec<Reference> = Vec::new();
        for (table, name, column, parent, parent_column) in columns {
            match references.last_mut() {
                Some(last) if last.table == table && last.name == name => {
                    last.columns.push((column, parent_column));
                }
                _ => references.push(Reference {
                    table,
                    name,
                    parent,
                    columns: vec![(column, parent_column)],
                }),
            }
        }
        Ok(references)
    }
}

/// Every stored time is a day some calendar has: a lax session can write
/// `2026-02-30` or `0000-00-00`, which no reading turns into a time (the
/// server's own arithmetic gives NULL for exactly those).
fn stored_times(snapshot: &mut Snapshot<'_>, report: &mut CheckReport) -> mysql::Result<()> {
    for (table, column) in STORED_TIMES {
        let sql = format!(
            "SELECT {}CAST(c.{column} AS CHAR) FROM {table} c
             WHERE c.{column} + INTERVAL 0 SECOND IS NULL",
            snapshot.keys.select(table)
        );
        snapshot.each_row(&sql, |keys, row| {
            let (name, rest) = keys.name(table, row);
            let text = rest.into_iter().next().map(value_text).unwrap_or_default();
            unreadable_time(report, &name, column, &NotATime(quote(&text)));
            Ok(())
        })?;
    }
    Ok(())
}

/// Every order's lines against its stored totals (see
/// [`check_order_totals`]). Each order's lines come in the order of their
/// key (by product), which the clustered index gives without a sort.
fn order_totals(snapshot: &mut Snapshot<'_>, report: &mut CheckReport) -> mysql::Result<()> {
    type Columns = (i64, i64, i64, i64, Option<i64>, Option<i64>, Option<i64>);
    let rows = snapshot.tx.exec_iter(
        "SELECT o.id, o.subtotal_cents, o.discount_cents, o.total_cents,
                i.unit_price_cents, i.quantity, i.line_total_cents
         FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
         ORDER BY o.id",
        (),
    )?;
    let rows = rows.map(|row| {
        let (order, subtotal, discount, total, unit_price, quantity, line_total) =
            mysql::from_row_opt::<Columns>(row?)?;
        Ok::<_, mysql::Error>(LineRow {
            order,
            stored: [subtotal, discount, total],
            line: match (unit_price, quantity, line_total) {
                (Some(unit_price), Some(quantity), Some(total)) => {
                    Some([unit_price, quantity, total])
                }
                _ => None,
            },
        })
    });
    check_order_totals(rows, report)
}

/// Every product's stock within its bounds and against its ledger (see
/// [`check_product_stock`]).
fn ledger_against_stock(
    snapshot: &mut Snapshot<'_>,
    report: &mut CheckReport,
) -> mysql::Result<()> {
    let moves: Option<i64> = snapshot
        .tx
        .exec_first("SELECT COUNT(*) FROM stock_moves", ())?;
    report.stock_moves = moves.unwrap_or_default();
    // The sum is exact (DECIMAL) on the server, and read as a float as
    // the shared rule takes it: exact for any real stock.
    snapshot.each(
        "SELECT p.id, p.sku, p.stock,
                (SELECT COALESCE(SUM(m.delta), 0) FROM stock_moves m WHERE m.product_id = p.id)
         FROM products p ORDER BY p.id",
        |(id, sku, stock, ledger): (i64, String, i64, f64)| {
            check_product_stock(report, id, &sku, stock, ledger);
            Ok(())
        },
    )
}

/// Every line sold against the ledger, and no move naming a line that does
/// not exist (see [`check_line_moves`]). The ledger is clustered by
/// product, and a line's moves are found by order: reading each line's
/// moves through the index by order reads the ledger all over (90 s at a
/// million orders), and summing them by line on the server builds a table
/// as large as the ledger. So the lines and the moves come in one stream,
/// sorted by line on the server (about 18 s), and each line is met with
/// its moves right after it: one line in memory at a time.
fn ledger_against_orders(
    snapshot: &mut Snapshot<'_>,
    report: &mut CheckReport,
) -> mysql::Result<()> {
    let mut current: Option<Met> = None;
    snapshot.each(
        // A line comes first (kind 0), with whether its order is canceled
        // (NULL: its order is missing, which `foreign key` names), then
        // its moves (kind 1), each with its reason and delta.
        "(SELECT i.order_id, i.product_id, 0 AS kind, i.quantity AS amount,
                 o.status = 'canceled' AS canceled, NULL AS reason
          FROM order_items i LEFT JOIN orders o ON o.id = i.order_id)
         UNION ALL
         (SELECT m.order_id, m.product_id, 1, m.delta, NULL, m.reason
          FROM stock_moves m WHERE m.order_id IS NOT NULL)
         ORDER BY 1, 2, 3",
        |(order, product, kind, amount, canceled, reason): LedgerColumns| {
            if current
                .as_ref()
                .is_none_or(|met| (met.order, met.product) != (order, product))
            {
                let what = match (kind, canceled) {
                    (LINE, Some(canceled)) => What::Line(LineMoves {
                        order,
                        product,
                        quantity: amount,
                        canceled,
                        sold: 0,
                        returned: 0,
                    }),
                    (LINE, None) => What::LineOfAMissingOrder,
                    _ => What::MovesAlone,
                };
                let next = Met {
                    order,
                    product,
                    what,
                };
                if let Some(done) = current.replace(next) {
                    done.finish(report);
                }
            }
            if let (
                Some(Met {
                    what: What::Line(line),
                    ..
                }),
                Some(reason),
            ) = (current.as_mut(), reason)
            {
                count_move(line, &reason, amount);
            }
            Ok(())
        },
    )?;
    if let Some(done) = current {
        done.finish(report);
    }
    Ok(())
}

/// A row of the ledger's stream: a line's or a move's order, product and
/// kind ([`LINE`], or a move); the line's quantity or the move's delta;
/// whether the line's order is canceled; the move's reason.
type LedgerColumns = (i64, i64, i64, i64, Option<bool>, Option<String>);

/// The kind of a line in the ledger's stream (sorted before its moves).
const LINE: i64 = 0;

/// What the ledger's stream has met for one order and product.
struct Met {
    order: i64,
    product: i64,
    what: What,
}

enum What {
    /// A line, and what the moves after it took and gave back.
    Line(LineMoves),
    /// A line whose order is missing (`foreign key` names it): its moves
    /// are its own, and no more is checked.
    LineOfAMissingOrder,
    /// Moves with no line before them.
    MovesAlone,
}

impl Met {
    /// Checks what was met once the stream has passed it.
    fn finish(self, report: &mut CheckReport) {
        match self.what {
            What::Line(line) => check_line_moves(report, line),
            What::LineOfAMissingOrder => {}
            What::MovesAlone => stray_move(report, self.order, self.product),
        }
    }
}

/// Adds a move of the ledger to what it took for the line's sale and gave
/// back for its cancel (saturating: a ledger changed by hand may hold any
/// number).
fn count_move(line: &mut LineMoves, reason: &str, delta: i64) {
    if reason == MoveReason::Sale.as_str() {
        line.sold = line.sold.saturating_sub(delta);
    } else if reason == MoveReason::Cancel.as_str() {
        line.returned = line.returned.saturating_add(delta);
    }
}

/// Each order's events against its status (see [`check_timelines`]).
fn timelines(snapshot: &mut Snapshot<'_>, report: &mut CheckReport) -> mysql::Result<()> {
    type Columns = (
        i64,
        String,
        bool,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows = snapshot.tx.exec_iter(
        // Each order's events come together, in any order: the walk puts
        // them in order (sorting the whole join here would cost more).
        "SELECT o.id, o.status, o.payment_method IS NOT NULL, e.seq, e.from_status, e.to_status
         FROM orders o LEFT JOIN order_events e ON e.order_id = o.id
         ORDER BY o.id",
        (),
    )?;
    let rows = rows.map(|row| {
        let (order, status, counter_sale, seq, from, to) = mysql::from_row_opt::<Columns>(row?)?;
        Ok::<_, mysql::Error>(EventRow {
            order,
            status,
            counter_sale,
            event: match (seq, to) {
                (Some(seq), Some(to)) => Some(Event { seq, from, to }),
                _ => None,
            },
        })
    });
    check_timelines(rows, report)
}

/// Every email and its key (see [`EmailKeys`]).
fn email_keys(snapshot: &mut Snapshot<'_>, report: &mut CheckReport) -> mysql::Result<()> {
    let mut keys = EmailKeys::default();
    snapshot.each(
        "SELECT id, email, email_key FROM customers WHERE email IS NOT NULL ORDER BY id",
        |(id, email, stored): (i64, String, Option<String>)| {
            keys.take(report, id, &email, stored.as_deref());
            Ok(())
        },
    )?;
    keys.finish(report, |key| {
        snapshot.tx.exec(
            "SELECT id FROM customers WHERE email_key = ? ORDER BY id",
            (key,),
        )
    })
}

/// How every customer is reached (see [`check_contact`]): the rule the
/// schema cannot hold here.
fn contacts(snapshot: &mut Snapshot<'_>, report: &mut CheckReport) -> mysql::Result<()> {
    snapshot.each(
        "SELECT id, email IS NOT NULL, phone IS NOT NULL FROM customers ORDER BY id",
        |(id, has_email, has_phone): (i64, bool, bool)| {
            check_contact(report, id, has_email, has_phone);
            Ok(())
        },
    )
}

/// A table's or column's name quoted whole for MySQL's SQL.
fn quote_name(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A key's value as the clerk reads it.
fn value_text(value: Value) -> String {
    match value {
        Value::Int(number) => number.to_string(),
        Value::UInt(number) => number.to_string(),
        Value::Bytes(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Value::NULL => "NULL".to_string(),
        other => format!("{other:?}"),
    }
}
