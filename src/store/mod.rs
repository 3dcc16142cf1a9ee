//! The only code that knows SQL. Everything else speaks domain types to a
//! [`Store`], so a server database can later take SQLite's place behind the
//! same functions.

mod backup;
mod check;
mod customers;
mod demo;
mod error;
mod migrate;
mod orders;
mod parked;
mod products;
mod search;
mod settings;
mod stock;
mod time;

use std::cell::{Cell, RefCell};
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use check::{CheckReport, MAX_LISTED_PROBLEMS, Problem, ProblemKind};
pub use demo::DemoLoader;
pub use error::Error;
pub use migrate::LATEST_VERSION;
pub use orders::{NewOrder, OrderFilter, OrderStream};

/// How long a writer waits for another counter's transaction before giving
/// up with [`Error::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The files SQLite keeps beside a database while it is in use: they are
/// part of it, and SQLite deletes or applies them when it opens the file.
pub const SIDE_FILE_SUFFIXES: [&str; 3] = ["-journal", "-wal", "-shm"];

/// SQLite's own default page cache (negative: in KiB), for connections
/// that change it for a while.
const DEFAULT_CACHE_SIZE: i64 = -2000;

pub type Result<T> = std::result::Result<T, Error>;

/// An open shopdesk database.
pub struct Store {
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

/// What searches keep in memory, one per searched table.
#[derive(Debug, Default)]
struct SearchCaches {
    customers: RefCell<search::SearchCache>,
    products: RefCell<search::SearchCache>,
}

impl Store {
    /// Opens the database at `path`, creating it (owner-only) if missing and
    /// bringing its schema up to date. Refuses, and leaves untouched, a file
    /// that is not a database, another program's database and one made by a
    /// newer shopdesk. A database shopdesk may not write (a read-only file
    /// or folder) is opened for reading, and every write says why not.
    pub fn open(path: &Path) -> Result<Store> {
        Ok(match open_read_write(path) {
            Err(Error::ReadOnly) => Store::on(open_read_only(path)?, path, Writes::ReadOnly),
            opened => Store::on(opened?, path, Writes::Allowed),
        })
    }

    fn on(conn: Connection, path: &Path, writes: Writes) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            search_caches: SearchCaches::default(),
            writes: Cell::new(writes),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens an existing database for reading alone, as it is: nothing is
    /// written to it, not even an upgrade (for checking it, or backing it
    /// up before this shopdesk upgrades it). Refuses what [`Store::open`]
    /// refuses.
    pub fn open_unchanged(path: &Path) -> Result<Store> {
        Ok(Store::on(
            open_without_writing(path)?,
            path,
            Writes::ReadOnly,
        ))
    }

    /// The database's schema version (`LATEST_VERSION` once upgraded).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// Whether the database was opened for reading alone (the file or its
    /// folder cannot be written).
    pub fn is_read_only(&self) -> bool {
        self.writes.get() == Writes::ReadOnly
    }

    /// For benchmarks only: commits stop waiting for the disk, to show the
    /// CPU cost of a write apart from its fsync. Never for a shop's data.
    pub fn without_durability_for_benchmarks(&mut self) -> Result<()> {
        Ok(self.conn.pragma_update(None, "synchronous", "OFF")?)
    }

    /// Caps the database at `pages` pages, as a full disk would: for tests
    /// of what a sale does when it cannot be written.
    pub fn limit_size_in_pages(&self, pages: i64) -> Result<()> {
        let _: i64 = self
            .conn
            .pragma_update_and_check(None, "max_page_count", pages, |row| row.get(0))?;
        Ok(())
    }

    /// The database's size in pages.
    pub fn size_in_pages(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "page_count", |row| row.get(0))?)
    }

    /// Stops all writing after `error`, if it says the file is damaged:
    /// writing more to a damaged file can only spread the damage, and the
    /// shop's way back is its latest backup. Returns `error`.
    pub fn note_failure(&self, error: Error) -> Error {
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
        mark_write_begun_for_the_crash_test();
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

/// Commits a write transaction.
fn commit(tx: Transaction<'_>) -> Result<()> {
    #[cfg(debug_assertions)]
    pause_before_commit_for_the_crash_test();
    tx.commit()?;
    Ok(())
}

/// In debug builds only (the ones `cargo test` runs): when
/// `SHOPDESK_TEST_PAUSE_BEFORE_COMMIT` names a file, every write that
/// commits here creates that file and then waits, with all its changes
/// made and none committed, so that the crash test's kill is certain to
/// land inside an open write transaction.
#[cfg(debug_assertions)]
fn pause_before_commit_for_the_crash_test() {
    if let Some(marker) = std::env::var_os("SHOPDESK_TEST_PAUSE_BEFORE_COMMIT") {
        let _ = std::fs::write(marker, b"paused before commit\n");
        std::thread::sleep(Duration::from_secs(60));
    }
}

/// In debug builds only: when `SHOPDESK_TEST_MARK_WRITE_BEGUN` names a
/// file, every write creates it once it holds the write lock, and goes on,
/// so that the crash test can time its kills from the start of the work
/// rather than from the start of the process.
#[cfg(debug_assertions)]
fn mark_write_begun_for_the_crash_test() {
    if let Some(marker) = std::env::var_os("SHOPDESK_TEST_MARK_WRITE_BEGUN") {
        let _ = std::fs::write(marker, b"write begun\n");
    }
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

/// Opens, creates or upgrades the database for reading and writing.
fn open_read_write(path: &Path) -> Result<Connection> {
    create_if_missing(path)?;
    let cannot_open = cannot_open(path);
    let mut conn =
        open_file_as_path(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(cannot_open)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(cannot_open)?;
    // The bundled SQLite turns foreign keys on by default, a system one
    // does not: say it every time.
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(cannot_open)?;
    migrate::check_identity(&conn, path)?;
    // Only now that the file is known to be ours (or empty) may anything
    // be written to it. WAL lets readers go on while a counter writes;
    // FULL makes a committed sale survive a power cut.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    migrate::upgrade(&mut conn, path)?;
    Ok(conn)
}

/// Opens a database that cannot be written, for reading alone; only one
/// of this version (an older one would need upgrading, which is writing).
fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = open_for_reading(path)?;
    if !migrate::is_current(&conn, path)? {
        return Err(Error::ReadOnly);
    }
    Ok(conn)
}

/// Opens an existing shopdesk database of any version without writing to
/// it. A connection that could write is preferred even so: SQLite's
/// integrity check leaves CHECK constraints out on a read-only one.
fn open_without_writing(path: &Path) -> Result<Connection> {
    let conn =
        open_file_as_path(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(cannot_open(path))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match migrate::check_identity(&conn, path) {
        Ok(()) => Ok(conn),
        Err(Error::Sqlite(_) | Error::ReadOnly) => open_for_reading(path),
        Err(refused) => Err(refused),
    }
}

/// Opens a shopdesk database of any version for reading, writing nothing
/// to it. SQLite needs the write-ahead log's shared-memory file to read a
/// WAL database; in a folder where it cannot be made, and with no log
/// beside the file (so no counter is writing it), the file is read as an
/// unchanging one.
fn open_for_reading(path: &Path) -> Result<Connection> {
    let location = path.canonicalize().map_err(cannot_open(path))?;
    // Percent-encoded where a URI would read the path otherwise.
    let escaped = location
        .to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open = |mode: &str| -> Result<Connection> {
        let conn = Connection::open_with_flags(format!("file:{escaped}?{mode}"), flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        migrate::check_identity(&conn, path)?;
        Ok(conn)
    };
    let mut log = location.into_os_string();
    log.push("-wal");
    match open("mode=ro") {
        Err(Error::Sqlite(_) | Error::ReadOnly) if !Path::new(&log).exists() => open("immutable=1"),
        opened => opened,
    }
}

/// Creates a new database file readable by its owner only, before SQLite
/// creates it with the default permissions.
fn create_if_missing(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another process created it between the check and here: fine.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(cannot_open(path)(error)),
    }
}
