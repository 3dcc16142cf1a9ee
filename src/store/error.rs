use std::path::PathBuf;

use crate::domain::{self, ErrorClass};

/// Why the store could not do what was asked. Rule violations come through
/// as [`Error::Rule`]; the rest are about the database itself, worded for the
/// clerk with what to do next. Each has one [`ErrorClass`]
/// ([`Error::class`]); no backend's own error type is held here.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Rule(#[from] domain::Error),
    #[error("{path} is not a shopdesk database (it is not an SQLite file); shopdesk left it untouched", path = .path.display())]
    NotADatabase { path: PathBuf },
    #[error("{path} belongs to another program (its tables are not shopdesk's); shopdesk left it untouched", path = .path.display())]
    ForeignDatabase { path: PathBuf },
    /// `database` names a file (its path) or a server database (its URL).
    #[error(
        "{database} was made by a newer shopdesk (schema version {found}, this one knows up to {supported}); update shopdesk to open it. It was left untouched"
    )]
    DatabaseTooNew {
        database: String,
        found: i64,
        supported: i64,
    },
    #[error("{path} is {kind}, not a database file; shopdesk left it untouched", path = .path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    /// `database` names a file (its path) or a server database (its URL).
    #[error(
        "{database} carries shopdesk's mark but schema version {found}, which no shopdesk makes; shopdesk left it untouched"
    )]
    UnknownVersion { database: String, found: i64 },
    #[error("cannot open {path}: {reason}", path = .path.display())]
    CannotOpen { path: PathBuf, reason: String },
    #[error("cannot write {path}: {reason}", path = .path.display())]
    CannotWrite { path: PathBuf, reason: String },
    #[error("{path} already exists; give a new file name (shopdesk never overwrites a file with a backup)", path = .path.display())]
    BackupTargetExists { path: PathBuf },
    #[error(
        "{target} is not empty ({holds}): shopdesk copies a shop only into a new file or an empty database, and left it untouched"
    )]
    CopyTargetNotEmpty { target: String, holds: String },
    #[error(
        "{database} was made by an older shopdesk (schema version {found}): open it once with this shopdesk to upgrade it (say, shopdesk product list with --db naming it), then copy it. It was left untouched"
    )]
    CopyFromOlder { database: String, found: i64 },
    /// A copy that failed midway (`cause`), and what of it is left.
    #[error("the copy into {target} stopped: {cause}; {left}")]
    CopyStopped {
        target: String,
        cause: Box<Error>,
        left: super::copy::CopyLeft,
    },
    #[error("{path} was not closed cleanly ({reason}): its -wal and -shm files beside it hold the latest changes; keep them with it.", path = .path.display())]
    NotClosed { path: PathBuf, reason: String },
    #[error("the database could not be upgraded ({0}); it was left as it was")]
    UpgradeFailed(String),
    /// An upgrade step of a server database stopped (a server commits
    /// each change to the schema by itself): the steps done are kept.
    #[error(
        "{database} could not be upgraded to schema version {to_version} ({reason}); what was done is kept, and the next start of shopdesk goes on from there"
    )]
    UpgradeUnfinished {
        database: String,
        to_version: i64,
        reason: String,
    },
    #[error("the database is busy: another counter is saving; try again")]
    Busy,
    /// The database server could not be reached, or went away in the
    /// middle of an operation: nothing of it was kept, and the next
    /// operation connects again.
    #[error("cannot reach the database server at {server}")]
    Unreachable { server: String },
    /// `why` names the part of the URL that is wrong, never its value
    /// (it may hold a password).
    #[error(
        "not a database server's address: {why}; one looks like mysql://USER@HOST[:PORT]/DATABASE"
    )]
    BadServerUrl { why: String },
    /// Connecting to the database server failed before it answered
    /// (refused, unknown host, no answer in time): nothing was done.
    #[error("cannot reach the database server at {server}: {why}")]
    CannotConnect { server: String, why: String },
    /// `why` says what may be wrong: the password, and (on a connection
    /// not encrypted) a server that takes encrypted ones only, which
    /// MariaDB refuses in the same words.
    #[error("the database server at {server} refused user {user}: {why}")]
    AccessDenied {
        user: String,
        server: String,
        why: &'static str,
    },
    /// The server's account lacks a grant shopdesk needs; `reason` is the
    /// server's own words (naming the user and what was denied).
    #[error(
        "the database server refused: {reason}; the grants shopdesk needs are in the README (\"Several machines: one MariaDB server\")"
    )]
    NotPermitted { reason: String },
    #[error(
        "there is no database {database} on the server at {server}: create it first (CREATE DATABASE {database}; see the README)"
    )]
    NoSuchDatabase { database: String, server: String },
    #[error("cannot make an encrypted connection to the database server at {server}: {why}")]
    Tls { server: String, why: String },
    #[error(
        "{database} holds tables that are not shopdesk's ({tables}); shopdesk left it untouched: a shop needs an empty database of its own (see the README)"
    )]
    ForeignTables { database: String, tables: String },
    #[error(
        "{database} holds shopdesk's tables but not its mark (the table shopdesk_meta); shopdesk left it untouched: to move a shop onto a server, copy it into an empty database (shopdesk copy)"
    )]
    Unmarked { database: String },
    #[error(
        "there is no shopdesk database at {database} yet: open it once with shopdesk (say, shopdesk product list) to make the shop there"
    )]
    NoShopYet { database: String },
    #[error(
        "another shopdesk is creating or upgrading {database} and has not finished; try again in a minute"
    )]
    Upgrading { database: String },
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
    /// Any other failure of the database, with the class its backend gave
    /// it.
    #[error("database error: {reason}")]
    Failed { class: ErrorClass, reason: String },
}

impl Error {
    /// The class of this error: a rule's own, or the database's.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Rule(rule) => rule.class(),
            Error::BackupTargetExists { .. } | Error::CopyTargetNotEmpty { .. } => {
                ErrorClass::Conflict
            }
            Error::CopyStopped { cause, .. } => cause.class(),
            Error::Busy
            | Error::Unreachable { .. }
            | Error::CannotConnect { .. }
            | Error::Upgrading { .. } => ErrorClass::Unavailable,
            Error::NoSuchDatabase { .. } | Error::NoShopYet { .. } => ErrorClass::NotFound,
            Error::Damaged | Error::Unreadable(_) => ErrorClass::Damaged,
            Error::NotADatabase { .. }
            | Error::ForeignDatabase { .. }
            | Error::DatabaseTooNew { .. }
            | Error::NotAFile { .. }
            | Error::UnknownVersion { .. }
            | Error::CopyFromOlder { .. }
            | Error::CannotOpen { .. }
            | Error::CannotWrite { .. }
            | Error::NotClosed { .. }
            | Error::UpgradeFailed(_)
            | Error::UpgradeUnfinished { .. }
            | Error::BadServerUrl { .. }
            | Error::AccessDenied { .. }
            | Error::NotPermitted { .. }
            | Error::Tls { .. }
            | Error::ForeignTables { .. }
            | Error::Unmarked { .. }
            | Error::ReadOnly
            | Error::DiskFull => ErrorClass::Refused,
            Error::Failed { class, .. } => *class,
        }
    }

    /// Whether this says the database server could not be reached.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            Error::Unreachable { .. } | Error::CannotConnect { .. }
        )
    }

    /// If this says the database server could not be reached, the line
    /// that says so naming it, without the driver's why (refused, no
    /// answer): what the app tells the clerk, in one line.
    pub fn server_away(&self) -> Option<String> {
        match self {
            Error::Unreachable { server } | Error::CannotConnect { server, .. } => Some(
                Error::Unreachable {
                    server: server.clone(),
                }
                .to_string(),
            ),
            _ => None,
        }
    }

    /// This error naming the server at `address` if it is about reaching
    /// one (a backend's classifier does not know which server it was).
    pub(super) fn naming_server(self, address: &str) -> Error {
        match self {
            Error::Unreachable { .. } => Error::Unreachable {
                server: address.to_string(),
            },
            error => error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_keeps_its_class_in_the_store() {
        let rule = Error::from(domain::Error::SkuNotFound("MUG".into()));
        assert_eq!(rule.class(), ErrorClass::NotFound);
        let exists = Error::BackupTargetExists {
            path: PathBuf::from("copy.db"),
        };
        assert_eq!(exists.class(), ErrorClass::Conflict);
        let newer = Error::DatabaseTooNew {
            database: "shop.db".to_string(),
            found: 99,
            supported: 5,
        };
        assert_eq!(newer.class(), ErrorClass::Refused);
    }
}
