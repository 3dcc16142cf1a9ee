//! A whole shop's rows, read from an SQLite file in one snapshot, and
//! written into a new one (see `store/copy.rs`).

use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql, TransactionBehavior};

use super::backup::{new_file_for, publish, quick_check};
use super::bulk::SetAside;
use super::time::DbTime;
use super::{Error, Result, SqliteStore, migrate, open, open_file_as_path, quote_name};
use crate::store::copy::{CopyLeft, Fill, Row, RowValue, TableWriter};
use crate::store::tables::{Kind, TABLES, Table};

impl SqliteStore {
    /// Hands every table's rows to `into`, all read in one read
    /// transaction: in WAL mode that is one moment of the shop, and
    /// counters go on selling meanwhile.
    pub(super) fn copy_rows(&self, into: &mut dyn TableWriter) -> Result<()> {
        let snapshot = self.conn.unchecked_transaction()?;
        for table in TABLES {
            let mut statement = snapshot.prepare(&table.select_all(quote_name))?;
            let mut rows = statement
                .query_map([], |row| read_row(table, row))?
                .map(|row| row.map_err(Error::from));
            into.write_table(table, &mut rows)?;
        }
        // Only read: ending it can change nothing.
        snapshot.finish()?;
        Ok(())
    }
}

/// A row of `table` as a copy carries it.
fn read_row(table: &Table, row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    (0..table.columns.len())
        .map(|index| {
            Ok(match (table.columns[index].kind, row.get_ref(index)?) {
                (_, ValueRef::Null) => RowValue::Null,
                (Kind::Integer, _) => RowValue::Integer(row.get(index)?),
                (Kind::Text, _) => RowValue::Text(row.get(index)?),
                (Kind::Time, _) => RowValue::Time(row.get::<_, DbTime>(index)?.0),
            })
        })
        .collect()
}

impl ToSql for RowValue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            RowValue::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            RowValue::Integer(number) => ToSqlOutput::from(*number),
            RowValue::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            RowValue::Time(at) => ToSqlOutput::from(DbTime(*at).text()),
        })
    }
}

/// Makes a new shop at `target`, a file that must not exist, filled by
/// `fill`. The shop is made whole in a new owner-only file beside it (the
/// schema of a new database, then every row in one transaction) and put
/// in place only then: a copy that stops midway leaves no file at all.
pub(in crate::store) fn copy_into_new_file(target: &Path, fill: Fill<'_>) -> Result<()> {
    let partial = new_file_for(target)?;
    fill_new_file(partial.path(), fill).map_err(|cause| Error::CopyStopped {
        target: target.display().to_string(),
        cause: Box::new(cause),
        left: CopyLeft::NoFile,
    })?;
    publish(partial, target)
}

fn fill_new_file(path: &Path, fill: Fill<'_>) -> Result<()> {
    let mut conn = open_file_as_path(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    // Every reference and CHECK is tested as rows come in: a row the
    // source holds against the rules stops the copy rather than being
    // carried over. The file is synced as it is put in place, so nothing
    // needs syncing before.
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    migrate::create_schema(&mut conn)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let set_aside = SetAside::for_bulk_load(&tx)?;
    remove_seeded_rows(&tx)?;
    fill(&mut NewFileWriter { conn: &tx })?;
    set_aside.make_again(&tx)?;
    tx.commit()?;
    quick_check(&conn)?;
    // As a new database is: in WAL mode, its log merged in on closing.
    open::switch_to_wal(&conn)?;
    conn.close().map_err(|(_, error)| Error::from(error))
}

/// Removes the rows a new database is made with (Walk-in, the change
/// counters): the source's own come in their place.
fn remove_seeded_rows(conn: &Connection) -> Result<()> {
    for table in TABLES.iter().rev() {
        conn.execute(&format!("DELETE FROM {}", quote_name(table.name)), [])?;
    }
    Ok(())
}

/// Inserts a copy's rows into a new file.
struct NewFileWriter<'c> {
    conn: &'c Connection,
}

impl TableWriter for NewFileWriter<'_> {
    fn write_table(
        &mut self,
        table: &'static Table,
        rows: &mut dyn Iterator<Item = Result<Row>>,
    ) -> Result<()> {
        let mut insert = self.conn.prepare(&table.insert(quote_name, 1))?;
        for row in rows {
            insert.execute(rusqlite::params_from_iter(row?))?;
        }
        Ok(())
    }
}
