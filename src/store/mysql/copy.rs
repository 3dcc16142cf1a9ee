//! A whole shop's rows, read from a server database in one snapshot, and
//! written into an empty one (see `store/copy.rs`).

use mysql::prelude::Queryable;
use mysql::{AccessMode, Conn, IsolationLevel, Params, TxOpts, Value};

use super::{MysqlStore, ServerUrl, connect, time, write};
use crate::store::copy::{CopyLeft, Fill, Row, RowValue, TableWriter};
use crate::store::tables::{Kind, TABLES, Table};
use crate::store::{Error, Result};

/// Rows sent in one `INSERT`: few statements for a million rows, and far
/// below the server's limits on a statement's size and its parameters
/// (65,535) whatever the table.
const BATCH_ROWS: usize = 500;

impl MysqlStore {
    /// Hands every table's rows to `into`, all read in one consistent
    /// snapshot (InnoDB's repeatable read, started at once rather than at
    /// the first read): one moment of the shop, and counters go on selling
    /// meanwhile. Each table streams from the server as it is written.
    pub(super) fn copy_rows(&self, into: &mut dyn TableWriter) -> Result<()> {
        let mut conn = self.conn()?;
        let snapshot = TxOpts::default()
            .set_with_consistent_snapshot(true)
            .set_isolation_level(Some(IsolationLevel::RepeatableRead))
            .set_access_mode(Some(AccessMode::ReadOnly));
        let mut tx = conn.start_transaction(snapshot)?;
        for table in TABLES {
            let mut rows = tx
                .exec_iter(table.select_all(quote_name), ())?
                .map(|row| read_row(table, row?));
            into.write_table(table, &mut rows)?;
        }
        // Only read: ending it can change nothing.
        tx.commit()?;
        Ok(())
    }
}

/// A row of `table` as a copy carries it.
fn read_row(table: &Table, row: mysql::Row) -> Result<Row> {
    table
        .columns
        .iter()
        .zip(row.unwrap())
        .map(|(column, value)| read_value(column.kind, value))
        .collect()
}

fn read_value(kind: Kind, value: Value) -> Result<RowValue> {
    let unreadable =
        |error: mysql::FromValueError| Error::from(mysql::Error::FromValueError(error.0));
    Ok(match (kind, value) {
        (_, Value::NULL) => RowValue::Null,
        (Kind::Integer, value) => {
            RowValue::Integer(mysql::from_value_opt(value).map_err(unreadable)?)
        }
        (Kind::Text, value) => RowValue::Text(mysql::from_value_opt(value).map_err(unreadable)?),
        (Kind::Time, value) => RowValue::Time(time::from_value(value)?),
    })
}

fn to_value(value: RowValue) -> Value {
    match value {
        RowValue::Null => Value::NULL,
        RowValue::Integer(number) => Value::Int(number),
        RowValue::Text(text) => Value::Bytes(text.into_bytes()),
        RowValue::Time(at) => time::to_value(at),
    }
}

/// A name as a MariaDB identifier (`key` is a reserved word there): in
/// backquotes, each one inside doubled.
fn quote_name(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Makes a new shop in the database `url` names, which must have no
/// tables, filled by `fill`: the schema made as for any new database,
/// then every row, ids as they are (Walk-in keeps id 0, and each
/// AUTO_INCREMENT follows the highest id), in one transaction. A copy that
/// stops midway drops the tables it made, leaving the database empty
/// again for another try (or says it could not, and what to do).
pub(in crate::store) fn copy_into_empty_database(
    url: &ServerUrl,
    password: Option<&str>,
    fill: Fill<'_>,
) -> Result<()> {
    let named = |error: Error| error.naming_server(&url.address());
    refuse_unless_empty(&mut connect(url, password).map_err(named)?, url).map_err(named)?;
    let filled = MysqlStore::open(url, password).and_then(|store| {
        let mut conn = store.conn()?;
        fill_database(&mut conn, fill)
    });
    filled.map_err(|cause| Error::CopyStopped {
        target: url.to_string(),
        cause: Box::new(named(cause)),
        left: drop_every_table(url, password),
    })
}

/// How many of the tables found in a database a refusal names.
const TABLES_NAMED: usize = 3;

/// Refuses a database that holds any table, naming a few.
fn refuse_unless_empty(conn: &mut Conn, url: &ServerUrl) -> Result<()> {
    let tables: Vec<String> = conn.query(
        "SELECT table_name FROM information_schema.tables
         WHERE table_schema = DATABASE() ORDER BY table_name",
    )?;
    let holds = match tables.len() {
        0 => return Ok(()),
        1 => format!("it holds the table {}", tables[0]),
        count if count <= TABLES_NAMED => format!("it holds the tables {}", tables.join(", ")),
        count => format!(
            "it holds {count} tables: {}, …",
            tables[..TABLES_NAMED].join(", ")
        ),
    };
    Err(Error::CopyTargetNotEmpty {
        target: url.to_string(),
        holds,
    })
}

fn fill_database(conn: &mut Conn, fill: Fill<'_>) -> Result<()> {
    let mut tx = write(conn)?;
    // The rows a new database is made with (Walk-in, the change
    // counters) make way for the source's own.
    for table in TABLES.iter().rev() {
        tx.query_drop(format!("DELETE FROM {}", quote_name(table.name)))?;
    }
    fill(&mut DatabaseWriter { tx: &mut tx })?;
    tx.commit()?;
    Ok(())
}

/// Inserts a copy's rows in batches, in the copy's transaction.
struct DatabaseWriter<'t, 'c> {
    tx: &'t mut mysql::Transaction<'c>,
}

impl TableWriter for DatabaseWriter<'_, '_> {
    fn write_table(
        &mut self,
        table: &'static Table,
        rows: &mut dyn Iterator<Item = Result<Row>>,
    ) -> Result<()> {
        let batch_values = BATCH_ROWS * table.columns.len();
        let mut batch = Vec::with_capacity(batch_values);
        for row in rows {
            batch.extend(row?.into_iter().map(to_value));
            if batch.len() == batch_values {
                self.insert(table, std::mem::take(&mut batch))?;
            }
        }
        if !batch.is_empty() {
            self.insert(table, batch)?;
        }
        Ok(())
    }
}

impl DatabaseWriter<'_, '_> {
    fn insert(&mut self, table: &Table, values: Vec<Value>) -> Result<()> {
        let rows = values.len() / table.columns.len();
        self.tx
            .exec_drop(table.insert(quote_name, rows), Params::Positional(values))?;
        Ok(())
    }
}

/// Drops every table of the database a stopped copy made (it had none
/// before: anything there is the copy's), on a connection of its own, as
/// the copy's may be gone with the server. Says what is left.
fn drop_every_table(url: &ServerUrl, password: Option<&str>) -> CopyLeft {
    let dropped = connect(url, password).and_then(|mut conn| {
        let tables: Vec<String> = conn.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
        )?;
        // In any order: the tables refer to one another.
        conn.query_drop("SET SESSION foreign_key_checks = 0")?;
        for table in tables {
            conn.query_drop(format!("DROP TABLE {}", quote_name(&table)))?;
        }
        Ok(())
    });
    match dropped {
        Ok(()) => CopyLeft::EmptyAgain,
        Err(error) => CopyLeft::Tables {
            why: error.naming_server(&url.address()).to_string(),
        },
    }
}
