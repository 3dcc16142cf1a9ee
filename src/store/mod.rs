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

use std::cell::RefCell;
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

pub type Result<T> = std::result::Result<T, Error>;

/// An open shopdesk database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    search_caches: SearchCaches,
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
    /// newer shopdesk.
    pub fn open(path: &Path) -> Result<Store> {
        create_if_missing(path)?;
        let cannot_open = |error: rusqlite::Error| Error::CannotOpen {
            path: path.to_path_buf(),
            reason: error.to_string(),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(cannot_open)?;
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
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            search_caches: SearchCaches::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// For benchmarks only: commits stop waiting for the disk, to show the
    /// CPU cost of a write apart from its fsync. Never for a shop's data.
    pub fn without_durability_for_benchmarks(&mut self) -> Result<()> {
        Ok(self.conn.pragma_update(None, "synchronous", "OFF")?)
    }

    /// A write transaction that takes the write lock at once, so two
    /// counters queue on the busy timeout instead of failing halfway.
    fn write(&mut self) -> Result<Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
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
        Err(error) => Err(Error::CannotOpen {
            path: path.to_path_buf(),
            reason: error.to_string(),
        }),
    }
}
