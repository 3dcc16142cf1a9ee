//! The SQLite backend: a shop in one file, the only code that knows SQL.
//! It answers the storage interface ([`super::Shop`], in `shop.rs`); what
//! only a file has stays on [`SqliteStore`] itself: opening a file as it is,
//! its path, the online backup API's copy, and (for tests and benchmarks,
//! with the `testing` feature) page limits and durability off.

mod backup;
mod bulk;
mod check;
mod copy;
mod customers;
mod demo;
mod error;
mod migrate;
mod open;
mod orders;
mod parked;
mod products;
mod search;
mod settings;
mod shop;
mod stock;
mod time;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::search::{Copies, SearchCaches};
use super::{Error, Result, RowsBefore};
pub(in crate::store) use copy::copy_into_new_file;
pub use migrate::LATEST_VERSION;

use open::Found;

/// How long a writer waits for another counter's transaction before giving
/// up with [`Error::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The files SQLite keeps beside a database while it is in use: they are
/// part of it, and SQLite deletes or applies them when it opens the file.
pub const SIDE_FILE_SUFFIXES: [&str; 3] = ["-journal", "-wal", "-shm"];

/// SQLite's own default page cache (negative: in KiB), for connections
/// that change it for a while.
const DEFAULT_CACHE_SIZE: i64 = -2000;

/// An open shopdesk database file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    search_caches: SearchCaches,
    /// Whether writes may be tried at all.
    writes: Cell<Writes>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writes {
    Allowed,
    /// The file or its folder cannot be written: opened for reading alone.
    ReadOnly,
    /// SQLite has reported damage: nothing more is written.
    Damaged,
}

impl SqliteStore {
    /// Opens the database at `path`, creating it (owner-only) if missing and
    /// bringing its schema up to date. Refuses, and leaves untouched, a file
    /// that is not a database, another program's database and one made by a
    /// newer shopdesk. A database shopdesk may not write (a read-only file
    /// or folder) is opened for reading, and every write says why not.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if open::look_at(path)? == Found::Missing {
            open::create_database(path)?;
        }
        // What the file is is decided before anything can write to it.
        let (found, identity, _) = open::read_as_found(path)?;
        drop(found);
        if !identity.is_current() {
            open::upgrade_as_found(path)?;
        }
        match open_read_write(path) {
            Ok(conn) => Ok(SqliteStore::on(conn, path, Writes::Allowed)),
            // One that cannot be written is read as it is, if it needs no
            // upgrade (which is writing).
            Err(Error::ReadOnly) if identity.is_current() => {
                let (conn, ..) = open::read_as_found(path)?;
                Ok(SqliteStore::on(conn, path, Writes::ReadOnly))
            }
            Err(error) => Err(error),
        }
    }

    fn on(conn: Connection, path: &Path, writes: Writes) -> SqliteStore {
        SqliteStore {
            conn,
            path: path.to_path_buf(),
            search_caches: SearchCaches::default(),
            writes: Cell::new(writes),
        }
    }

    /// The database file, as it was named when opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the database. When this is the last connection to the file
    /// (no other counter has it open), SQLite merges its `-wal` log into
    /// the file and removes the log and its `-shm` index: the file alone
    /// then holds everything. An error leaves the log beside the file,
    /// where the next opening applies it (nothing is lost), and says so.
    pub fn close(self) -> Result<()> {
        self.conn.close().map_err(|(_, error)| Error::NotClosed {
            path: self.path.clone(),
            reason: Error::from(error).to_string(),
        })
    }

    /// Opens an existing database for reading alone, as it is: nothing is
    /// written to it, not even an upgrade (for checking it, or backing it
    /// up before this shopdesk upgrades it). Refuses what [`SqliteStore::open`]
    /// refuses.
    pub fn open_unchanged(path: &Path) -> Result<SqliteStore> {
        if open::look_at(path)? == Found::Missing {
            return Err(cannot_open(path)("there is no such file"));
        }
        let (found, _, reading) = open::read_as_found(path)?;
        // A connection that could write is preferred even so: SQLite's
        // integrity check leaves CHECK constraints out on a read-only one.
        // It is opened once the first is closed (reading a log without its
        // index locks the file).
        drop(found);
        let writable = open::open_writable_as_found(path, reading)
            .and_then(|conn| migrate::identify(&conn, path).map(|_| conn));
        let conn = match writable {
            Ok(conn) => conn,
            Err(_) => open::read_as_found(path)?.0,
        };
        Ok(SqliteStore::on(conn, path, Writes::ReadOnly))
    }

    /// Reads the searched text of every customer and product, in name
    /// order: the one search that reads whole tables (tens of
    /// milliseconds at 100,000 rows each).
    fn read_search_copies(&self) -> Result<Copies> {
        Ok(Copies {
            customers: search::read_copy(&self.conn, &customers::CUSTOMER_SEARCH)?,
            products: search::read_copy(&self.conn, &products::PRODUCT_SEARCH)?,
        })
    }

    /// From now on searches on this store look in `copies`, which may have
    /// been read on another connection to the same database.
    fn search_from_copies(&mut self, copies: Copies) {
        self.search_caches.give(copies);
    }

    /// For benchmarks only: commits stop waiting for the disk, to show the
    /// CPU cost of a write apart from its fsync. Never for a shop's data.
    #[cfg(feature = "testing")]
    pub fn without_durability_for_benchmarks(&mut self) -> Result<()> {
        Ok(self.conn.pragma_update(None, "synchronous", "OFF")?)
    }

    /// Caps the database at `pages` pages, as a full disk would: for tests
    /// of what a sale does when it cannot be written.
    #[cfg(feature = "testing")]
    pub fn limit_size_in_pages(&self, pages: i64) -> Result<()> {
        let _: i64 = self
            .conn
            .pragma_update_and_check(None, "max_page_count", pages, |row| row.get(0))?;
        Ok(())
    }

    /// The database's size in pages, for tests that cap it.
    #[cfg(feature = "testing")]
    pub fn size_in_pages(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "page_count", |row| row.get(0))?)
    }

    /// For tests: what the store does itself when SQLite reports `error`
    /// ([`SqliteStore::stop_writing_after`]).
    #[cfg(feature = "testing")]
    pub fn note_failure(&self, error: Error) -> Error {
        self.stop_writing_after(error)
    }

    /// Stops all writing after `error`, if it says the file is damaged:
    /// writing more to a damaged file can only spread the damage, and the
    /// shop's way back is its latest backup. Returns `error`. Every
    /// operation's error passes here (`shop.rs`).
    fn stop_writing_after(&self, error: Error) -> Error {
        if matches!(error, Error::Damaged) {
            self.writes.set(Writes::Damaged);
        }
        error
    }

    /// A write transaction that takes the write lock at once, so two
    /// counters queue on the busy timeout instead of failing halfway.
    fn write(&mut self) -> Result<Transaction<'_>> {
        match self.writes.get() {
            Writes::Allowed => {}
            Writes::ReadOnly => return Err(Error::ReadOnly),
            Writes::Damaged => return Err(Error::Damaged),
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        #[cfg(debug_assertions)]
        super::crash_test::mark_write_begun();
        Ok(tx)
    }
}

/// Turns why `path` could not be opened into the error that names it.
fn cannot_open<E: std::fmt::Display>(path: &Path) -> impl Fn(E) -> Error + Copy + '_ {
    move |error| Error::CannotOpen {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}

/// A row count as SQLite's `LIMIT` takes it: more than `i64::MAX` rows
/// can never exist, so a larger limit means all of them.
fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// A table, column, index or trigger name as an SQL identifier, for the
/// statements where a name cannot be bound: in double quotes, with each
/// double quote inside doubled, so no name can end the identifier.
fn quote_name(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Commits a write transaction.
fn commit(tx: Transaction<'_>) -> Result<()> {
    #[cfg(debug_assertions)]
    super::crash_test::pause_before_commit();
    tx.commit()?;
    Ok(())
}

/// Opens the file at `path` with SQLite, as a file name: never as a URI.
/// The bundled SQLite reads any name that begins with `file:` as a URI
/// (`file:x.db?mode=memory` would be a database in memory), and an
/// absolute path never begins with `file:`.
fn open_file_as_path(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let absolute = std::path::absolute(path).map_err(|error| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(error.to_string()),
        )
    })?;
    Connection::open_with_flags(absolute, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
}

/// Opens the database for reading and writing, creating its schema in an
/// empty file, and puts it in WAL mode.
fn open_read_write(path: &Path) -> Result<Connection> {
    let cannot_open = cannot_open(path);
    let mut conn = open::writable(
        open_file_as_path(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(cannot_open)?,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(cannot_open)?;
    // The bundled SQLite turns foreign keys on by default, a system one
    // does not: say it every time. FULL makes a committed sale survive a
    // power cut.
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(cannot_open)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // An empty file gets its schema here. The schema first, WAL after: a
    // refused upgrade leaves the file in the journal mode it had.
    migrate::upgrade(&mut conn, path)?;
    open::switch_to_wal(&conn)?;
    Ok(conn)
}
