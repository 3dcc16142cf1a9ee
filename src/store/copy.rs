//! `shopdesk copy` and the backup of a server database: every row of every
//! table ([`TABLES`]) read from one shop in one consistent snapshot and
//! written, as it is read, into a new shop of any backend.
//!
//! The source reads ([`super::Shop::copy_rows`]); the target's backend
//! writes into something that holds nothing yet (a file that does not
//! exist, a server database without tables), so nothing of anyone's is
//! ever overwritten; and what a copy that stops midway made is undone
//! ([`CopyLeft`] says what is left). Rows go across as they are, ids,
//! times to the microsecond and the search keys included: the target
//! makes only what its backend derives from them (SQLite's full-text
//! indexes, MariaDB's `*_nocase` columns). Memory stays bounded: rows
//! stream from source to target a batch at a time.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::mysql::ServerUrl;
use super::tables::{TABLES, Table};
use super::{Error, LATEST_VERSION, Result, Shop};

/// One value of a row, as every backend reads and writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowValue {
    Null,
    Integer(i64),
    Text(String),
    Time(DateTime<Utc>),
}

/// A row: one value per column of its [`Table`], in its order.
pub type Row = Vec<RowValue>;

/// Where a copy's rows go: a backend's new shop being filled.
pub trait TableWriter {
    /// Writes every row `rows` yields (the whole table, in key order),
    /// stopping at the first error, which it returns.
    fn write_table(
        &mut self,
        table: &'static Table,
        rows: &mut dyn Iterator<Item = Result<Row>>,
    ) -> Result<()>;
}

/// The new shop a copy makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An SQLite file that does not exist yet.
    NewFile(PathBuf),
    /// A database on a MariaDB or MySQL server that has no tables.
    EmptyServerDatabase {
        url: ServerUrl,
        password: Option<String>,
    },
}

impl Target {
    /// The target as messages name it (never with a password).
    pub fn name(&self) -> String {
        match self {
            Target::NewFile(path) => path.display().to_string(),
            Target::EmptyServerDatabase { url, .. } => url.to_string(),
        }
    }
}

/// What a copy that stopped midway left at its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyLeft {
    /// A new file's copy: nothing, as the file is put in place only whole.
    NoFile,
    /// A server database's copy: the tables it made were dropped again.
    EmptyAgain,
    /// A server database's copy whose tables could not be dropped (the
    /// server went away, say): they hold no row of the copy.
    Tables { why: String },
}

impl std::fmt::Display for CopyLeft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CopyLeft::NoFile => write!(f, "no file was made"),
            CopyLeft::EmptyAgain => write!(f, "the database is empty again, ready for another try"),
            CopyLeft::Tables { why } => write!(
                f,
                "the tables it made could not be dropped ({why}): drop them (or drop the database \
                 and create it again) before another try"
            ),
        }
    }
}

/// How many rows of each table a copy wrote, in [`TABLES`]' order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(&'static str, u64)>,
}

impl Copied {
    /// Every row copied.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// Told each table's name and rows as it is done (the command line's
/// progress).
pub type Progress<'p> = &'p mut dyn FnMut(&'static str, u64);

/// Copies the whole shop `source` into `target`, which must hold nothing
/// ([`Error::CopyTargetNotEmpty`] otherwise, untouched). The source is read
/// in one snapshot (counters go on selling on it) and must be of this
/// shopdesk's schema version ([`Error::CopyFromOlder`]).
pub fn copy_shop(source: &dyn Shop, target: &Target, progress: Progress<'_>) -> Result<Copied> {
    copy(source, target, progress).map_err(|error| match error {
        Error::BackupTargetExists { path } => Error::CopyTargetNotEmpty {
            target: path.display().to_string(),
            holds: "a file is already there".to_string(),
        },
        error => error,
    })
}

/// Backs the shop `source` (a server database) up to `file`, a new SQLite
/// file, with the promises of an SQLite backup: one moment of the shop,
/// owner-only, never over an existing file
/// ([`Error::BackupTargetExists`]), and `shopdesk check` passes on it.
pub fn back_up_to_new_file(
    source: &dyn Shop,
    file: PathBuf,
    progress: Progress<'_>,
) -> Result<Copied> {
    copy(source, &Target::NewFile(file), progress)
}

fn copy(source: &dyn Shop, target: &Target, progress: Progress<'_>) -> Result<Copied> {
    let found = source.schema_version()?;
    if found < LATEST_VERSION {
        return Err(Error::CopyFromOlder {
            database: source.name(),
            found,
        });
    }
    let mut copied = Copied::default();
    let mut fill = |into: &mut dyn TableWriter| {
        let mut tally = Tally {
            into,
            progress: &mut *progress,
            copied: &mut copied,
        };
        source.copy_rows(&mut tally)?;
        tally.every_table_written()
    };
    match target {
        Target::NewFile(path) => super::sqlite::copy_into_new_file(path, &mut fill)?,
        Target::EmptyServerDatabase { url, password } => {
            super::mysql::copy_into_empty_database(url, password.as_deref(), &mut fill)?
        }
    }
    Ok(copied)
}

/// Fills a new shop: reads the source into the writer it is given.
pub(super) type Fill<'f> = &'f mut dyn FnMut(&mut dyn TableWriter) -> Result<()>;

/// Counts what goes through to the target's writer, table by table.
struct Tally<'t> {
    into: &'t mut dyn TableWriter,
    progress: &'t mut dyn FnMut(&'static str, u64),
    copied: &'t mut Copied,
}

impl Tally<'_> {
    /// Whether the source handed over every table, in order: one left
    /// out would be a shop copied without it, so the copy stops instead.
    fn every_table_written(&self) -> Result<()> {
        let written: Vec<&str> = self.copied.tables.iter().map(|(name, _)| *name).collect();
        let listed: Vec<&str> = TABLES.iter().map(|table| table.name).collect();
        if written != listed {
            return Err(Error::Failed {
                class: crate::domain::ErrorClass::Refused,
                reason: format!("the copy read the tables {written:?}, not {listed:?}"),
            });
        }
        Ok(())
    }
}

impl TableWriter for Tally<'_> {
    fn write_table(
        &mut self,
        table: &'static Table,
        rows: &mut dyn Iterator<Item = Result<Row>>,
    ) -> Result<()> {
        let mut count = 0_u64;
        let mut counted = rows.inspect(|row| count += u64::from(row.is_ok()));
        self.into.write_table(table, &mut counted)?;
        (self.progress)(table.name, count);
        self.copied.tables.push((table.name, count));
        Ok(())
    }
}
