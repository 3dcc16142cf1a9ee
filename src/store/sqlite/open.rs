//! Opening a database file: deciding what it is before anything can write
//! to it, making a new one whole, and reading one exactly as it is.
//!
//! What SQLite does to the files beside a database (found by trying it on
//! the bundled SQLite): any connection that reads a WAL database creates
//! its `-wal` log and `-shm` index if they are missing, a read-only one
//! included; and the last connection to close merges the log into the file
//! and deletes both. So a file shopdesk may yet refuse is read in a way
//! chosen from what lies beside it, and never checkpointed on close.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, MAIN_DB, OpenFlags};

use super::migrate::{self, Identity};
use super::{BUSY_TIMEOUT, Error, Result, cannot_open, open_file_as_path};
use crate::files::NewFile;

/// How long to wait before asking again for a lock SQLite does not wait
/// for by itself.
const LOCK_RETRY_PAUSE: Duration = Duration::from_millis(10);

/// SQLite's VFS that keeps the log's index in the connection's own memory
/// (under an exclusive lock on the file) instead of in a `-shm` file.
const VFS_WITHOUT_SHARED_INDEX: &std::ffi::CStr = c"unix-excl";

/// Offset of the two header bytes that say 2 for a WAL database.
const HEADER_WAL_BYTES: usize = 18;

/// What is at a database path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    Missing,
    File,
}

/// Looks at `path` before SQLite is let near it, refusing what is not a
/// regular file: SQLite would create its side files beside a device such as
/// `/dev/null` or a folder, and block on a FIFO.
pub(super) fn look_at(path: &Path) -> Result<Found> {
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => Ok(Found::File),
        Ok(metadata) => Err(Error::NotAFile {
            path: path.to_path_buf(),
            kind: kind_of(&metadata.file_type()),
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if path.symlink_metadata().is_ok() {
                return Err(cannot_open(path)(
                    "it is a symbolic link to a file that does not exist",
                ));
            }
            Ok(Found::Missing)
        }
        Err(error) => Err(cannot_open(path)(error)),
    }
}

fn kind_of(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Makes a complete new database at `path`: schema, application id,
/// version and WAL mode, all in a new owner-only file beside it that is
/// put in place only when whole. Counters starting at the same moment
/// never see a half-made database: if another one puts its file there
/// first, that one is the database and this one is thrown away.
pub(super) fn create_database(path: &Path) -> Result<()> {
    let new = NewFile::beside(path).map_err(cannot_open(path))?;
    let mut conn = open_file_as_path(new.path(), OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(cannot_open(path))?;
    migrate::create_schema(&mut conn)?;
    switch_to_wal(&conn)?;
    // Closing merges the new file's log into it and removes its side files.
    conn.close().map_err(|(_, error)| Error::from(error))?;
    match new.publish_new(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(cannot_open(path)(error)),
    }
}

/// Puts the database in WAL mode, so readers go on while a counter writes.
/// Leaving rollback mode needs every other connection's lock gone for a
/// moment, and SQLite asks for it once without its busy handler: so this
/// waits here as long as any writer would.
pub(super) fn switch_to_wal(conn: &Connection) -> Result<()> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        let mode = conn.pragma_query_value(None, "journal_mode", |row| row.get::<_, String>(0));
        let switched = match mode {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(_) => conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
                .map(|_| ()),
            Err(error) => Err(error),
        };
        match switched.map_err(Error::from) {
            Ok(()) => return Ok(()),
            Err(Error::Busy) if Instant::now() < deadline => std::thread::sleep(LOCK_RETRY_PAUSE),
            Err(error) => return Err(error),
        }
    }
}

/// How a database file can be read without changing it or anything beside
/// it, judged by what lies beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// The log and its index are there (a counter has it open, or stopped
    /// without closing): read both with SQLite's ordinary locking.
    LogAndIndex,
    /// A log without its index (the two copied by hand): SQLite would make
    /// the index, so it is kept in the connection's memory instead, under
    /// an exclusive lock (no counter has the file open: it would have made
    /// the index).
    LogWithoutIndex,
    /// A WAL database without its log: the file alone is the database, and
    /// no counter has it open. Read under an exclusive lock with the index
    /// in memory, the empty log SQLite makes is removed again on closing.
    /// (Reading it as immutable, without locks, met pages half-written by
    /// a counter upgrading it at that moment: kept for files that cannot
    /// be locked, which no counter can write either.)
    WalFileAlone,
    /// No log, and not a WAL database (a rollback-journal database, or not
    /// an SQLite file at all): reading makes nothing beside it.
    Plain,
}

impl Reading {
    pub(super) fn of(path: &Path) -> Reading {
        match (
            side_file(path, "-wal").exists(),
            side_file(path, "-shm").exists(),
        ) {
            (true, true) => Reading::LogAndIndex,
            (true, false) => Reading::LogWithoutIndex,
            (false, _) if says_wal(path) => Reading::WalFileAlone,
            (false, _) => Reading::Plain,
        }
    }

    /// Whether there is a log that must stay as it is: never merged into
    /// the file, never deleted. (Without one, the log SQLite makes while
    /// reading is empty, and the last to close removes it.)
    fn keeps_log(self) -> bool {
        matches!(self, Reading::LogAndIndex | Reading::LogWithoutIndex)
    }

    /// Whether it is read under an exclusive lock of its own, which a
    /// counter that has the file open refuses at once.
    fn locks_alone(self) -> bool {
        matches!(self, Reading::LogWithoutIndex | Reading::WalFileAlone)
    }
}

/// Whether the file's header says it is a WAL database.
fn says_wal(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0; HEADER_WAL_BYTES + 2];
    fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut header))
        .is_ok_and(|()| header[HEADER_WAL_BYTES..] == [2, 2])
}

/// The side file `suffix` of the database at `path`. SQLite names side
/// files after the file a symlink leads to (every link on the way
/// resolved), so they are looked for there: beside the link, a log that is
/// there would be missed, read as absent and merged away on closing.
pub(super) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let resolved = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut side = resolved.into_os_string();
    side.push(suffix);
    PathBuf::from(side)
}

/// Opens the file at `path` to read it as what lies beside it says, and
/// identifies it in one read: refuses (having changed nothing) a file that
/// is not a database, another program's, a newer shopdesk's or one it
/// cannot make sense of. Returns how it was read, too.
pub(super) fn read_as_found(path: &Path) -> Result<(Connection, Identity, Reading)> {
    as_found(path, |reading| read_once(path, reading))
        .map(|((conn, identity), reading)| (conn, identity, reading))
}

/// Upgrades an older database on a connection opened as the file was
/// found, so that a refused upgrade leaves the file, its log and its
/// journal mode as they were. Others starting meanwhile wait for it.
pub(super) fn upgrade_as_found(path: &Path) -> Result<()> {
    as_found(path, |reading| {
        let mut conn = open_writable_as_found(path, reading)?;
        migrate::upgrade(&mut conn, path)
    })
    .map(|((), _)| ())
}

/// Runs `work` on the file read as what lies beside it says; looks again
/// if a counter opened the file meanwhile (its lock stops one taken alone,
/// at once), for as long as any writer waits.
fn as_found<T>(path: &Path, work: impl Fn(Reading) -> Result<T>) -> Result<(T, Reading)> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        let reading = Reading::of(path);
        match work(reading) {
            Err(Error::Busy) if reading.locks_alone() && Instant::now() < deadline => {
                std::thread::sleep(LOCK_RETRY_PAUSE);
            }
            done => return done.map(|value| (value, reading)),
        }
    }
}

fn read_once(path: &Path, reading: Reading) -> Result<(Connection, Identity)> {
    let read_only =
        || open_file_as_path(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(cannot_open(path));
    match reading {
        Reading::LogAndIndex | Reading::Plain => identified(path, read_only()?, reading),
        Reading::LogWithoutIndex | Reading::WalFileAlone => {
            match open_without_shared_index(path).and_then(|conn| identified(path, conn, reading)) {
                Err(error) if matches!(error, Error::Busy) || is_verdict(&error) => Err(error),
                // Where this user may not write the file or its folder, it
                // cannot be locked so, and no counter can write it either:
                // read it without locks if it has no log, or else the
                // ordinary way.
                Err(_) if reading == Reading::WalFileAlone => {
                    identified(path, open_immutable(path)?, reading)
                }
                Err(_) => identified(path, read_only()?, reading),
                identified => identified,
            }
        }
    }
}

/// Whether `error` says what the file is (and so refuses it), rather than
/// that it could not be read.
fn is_verdict(error: &Error) -> bool {
    matches!(
        error,
        Error::NotADatabase { .. }
            | Error::ForeignDatabase { .. }
            | Error::DatabaseTooNew { .. }
            | Error::UnknownVersion { .. }
    )
}

/// Identifies the file on `conn`, a connection to it opened as `reading`.
fn identified(path: &Path, conn: Connection, reading: Reading) -> Result<(Connection, Identity)> {
    let conn = settled(conn, reading)?;
    let identity = migrate::identify(&conn, path)?;
    Ok((conn, identity))
}

/// `conn`, a connection opened as `reading`, set to leave a log found
/// beside the file as it is, and to wait for other counters' locks.
fn settled(conn: Connection, reading: Reading) -> Result<Connection> {
    if reading.keeps_log() {
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    }
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// Opens the file to read and, for `check`, to have SQLite's integrity
/// check test CHECK constraints (it leaves them out on a read-only
/// connection), without ever writing: a log found beside it stays as it
/// is. Fails with [`Error::ReadOnly`] where this user may not write.
pub(super) fn open_writable_as_found(path: &Path, reading: Reading) -> Result<Connection> {
    let conn = match reading {
        Reading::LogWithoutIndex => open_without_shared_index(path)?,
        // No log: the one SQLite makes is empty, and closing removes it.
        Reading::WalFileAlone | Reading::LogAndIndex | Reading::Plain => {
            open_file_as_path(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?
        }
    };
    writable(settled(conn, reading)?)
}

/// Opens the file with the log's index in this connection's memory, under
/// an exclusive lock. Fails where this user may not write the file.
fn open_without_shared_index(path: &Path) -> Result<Connection> {
    let absolute = std::path::absolute(path).map_err(cannot_open(path))?;
    let conn = Connection::open_with_flags_and_vfs(
        absolute,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        VFS_WITHOUT_SHARED_INDEX,
    )
    .map_err(cannot_open(path))?;
    writable(conn)
}

/// `conn`, if SQLite could open it for writing: where this user may not
/// write the file or its folder, SQLite opens it read-only without a word,
/// and that is refused here with [`Error::ReadOnly`].
pub(super) fn writable(conn: Connection) -> Result<Connection> {
    if conn.is_readonly(MAIN_DB)? {
        return Err(Error::ReadOnly);
    }
    Ok(conn)
}

/// Opens the file as immutable: no locks, no log, nothing made beside it.
/// Only for a file with no log, that no counter has open.
fn open_immutable(path: &Path) -> Result<Connection> {
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
    Connection::open_with_flags(format!("file:{escaped}?immutable=1"), flags)
        .map_err(cannot_open(path))
}
