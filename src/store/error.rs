use std::path::PathBuf;

use rusqlite::ErrorCode;

use crate::domain;

/// Why the store could not do what was asked. Rule violations come through
/// as [`Error::Rule`]; the rest are about the database itself, worded for the
/// clerk with what to do next.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Rule(#[from] domain::Error),
    #[error("{path} is not a shopdesk database (it is not an SQLite file); shopdesk left it untouched", path = .path.display())]
    NotADatabase { path: PathBuf },
    #[error("{path} belongs to another program (its tables are not shopdesk's); shopdesk left it untouched", path = .path.display())]
    ForeignDatabase { path: PathBuf },
    #[error("{path} was made by a newer shopdesk (schema version {found}, this one knows up to {supported}); update shopdesk to open it. The file was left untouched", path = .path.display())]
    DatabaseTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path} is {kind}, not a database file; shopdesk left it untouched", path = .path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{path} carries shopdesk's mark but schema version {found}, which no shopdesk makes; shopdesk left it untouched", path = .path.display())]
    UnknownVersion { path: PathBuf, found: i64 },
    #[error("cannot open {path}: {reason}", path = .path.display())]
    CannotOpen { path: PathBuf, reason: String },
    #[error("cannot write {path}: {reason}", path = .path.display())]
    CannotWrite { path: PathBuf, reason: String },
    #[error("{path} already exists; give a new file name (shopdesk never overwrites a file with a backup)", path = .path.display())]
    BackupTargetExists { path: PathBuf },
    #[error("{path} was not closed cleanly ({reason}): its -wal and -shm files beside it hold the latest changes; keep them with it.", path = .path.display())]
    NotClosed { path: PathBuf, reason: String },
    #[error("the database could not be upgraded ({0}); it was left as it was")]
    UpgradeFailed(String),
    #[error("the database is busy: another counter is saving; try again")]
    Busy,
    #[error("the database cannot be written (read-only file or folder); nothing was saved")]
    ReadOnly,
    #[error("the disk is full; nothing was saved")]
    DiskFull,
    #[error(
        "the database file is damaged, so shopdesk stopped writing to it: close shopdesk on every counter, keep the damaged file aside and restore your latest backup (see the README, \"Your data is safe\")"
    )]
    Damaged,
    /// A row another tool wrote with a value no rule allows (a status, a
    /// time): which row is for `check` to say.
    #[error(
        "the database holds a value shopdesk cannot read ({0}); `shopdesk check` names the row"
    )]
    Unreadable(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

/// Why text another tool wrote as bytes cannot be read (`check` says so too).
pub(super) const NOT_UTF8: &str = "is not UTF-8 text";

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::ReadOnly) => Error::ReadOnly,
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::Damaged,
            _ => match error {
                rusqlite::Error::FromSqlConversionFailure(_, _, why) => {
                    Error::Unreadable(why.to_string())
                }
                rusqlite::Error::Utf8Error(..) => Error::Unreadable(format!("a text {NOT_UTF8}")),
                error => Error::Sqlite(error),
            },
        }
    }
}
