//! `shopdesk backup`: a consistent copy made while counters keep selling.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::OpenFlags;
use rusqlite::backup::{Backup, StepResult};

use super::open::side_file;
use super::{Error, Result, SIDE_FILE_SUFFIXES, SqliteStore};
use crate::files::{self, NewFile};

/// How long to wait between tries when another counter holds a lock the
/// copy needs (rare in WAL mode, where readers never wait for writers).
const RETRY_PAUSE: Duration = Duration::from_millis(50);

impl SqliteStore {
    /// Copies the database to `target` with SQLite's online backup API:
    /// the copy is the database as of one moment, and counters go on
    /// selling meanwhile. The copy is written to a file of its own beside
    /// `target` and put in place only once it is whole and passes a quick
    /// check, so `target` is never a half-written file. Never overwrites a
    /// file, even one that appears while the copy is made.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        if let Some(own) = self.own_file_named(target) {
            return Err(cannot_write(target)(format!(
                "it is {own}; give a new file name"
            )));
        }
        let partial = new_file_for(target)?;
        self.copy_to(partial.path())?;
        publish(partial, target)
    }

    fn copy_to(&self, partial: &Path) -> Result<()> {
        let mut copy = super::open_file_as_path(partial, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        {
            let backup = Backup::new(&self.conn, &mut copy)?;
            // All pages in one step: the copy is read in one transaction,
            // so it is one moment of the database.
            while backup.step(-1)? != StepResult::Done {
                std::thread::sleep(RETRY_PAUSE);
            }
        }
        quick_check(&copy)?;
        // The copy's own journal is folded in and gone before it is published.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        copy.close().map_err(|(_, error)| error)?;
        Ok(())
    }
}

impl SqliteStore {
    /// What of the database's own `target` would be: the database itself
    /// or one of its side files, judged by name (a side file may not exist
    /// at this moment, and appear the next).
    fn own_file_named(&self, target: &Path) -> Option<String> {
        let database = absolute_name(&self.path)?;
        let target = absolute_name(target)?;
        if target == database {
            return Some("the database itself".to_string());
        }
        SIDE_FILE_SUFFIXES.iter().find_map(|suffix| {
            (target == side_file(&database, suffix)).then(|| {
                format!("the database's own {suffix} file, which SQLite deletes or applies to the database when it opens it")
            })
        })
    }
}

/// The new file, beside `target`, that a backup or a copy is written to
/// before it is put in place: refuses, before anything is read, a target
/// that exists and one beside which a log already lies.
pub(super) fn new_file_for(target: &Path) -> Result<NewFile> {
    if target.symlink_metadata().is_ok() {
        return Err(Error::BackupTargetExists {
            path: target.to_path_buf(),
        });
    }
    if let Some(side) = leftover_side_file(target) {
        return Err(cannot_write(target)(format!(
            "{} is already there, and SQLite would read it into the copy as the copy's own; \
             give another file name",
            side.display()
        )));
    }
    NewFile::beside(target).map_err(|error| cannot_write(target)(error.to_string()))
}

/// Puts the finished `partial` file in place at `target`, never over a
/// file, even one that appeared while it was written.
pub(super) fn publish(partial: NewFile, target: &Path) -> Result<()> {
    partial
        .publish_new(target)
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => Error::BackupTargetExists {
                path: target.to_path_buf(),
            },
            _ => cannot_write(target)(error.to_string()),
        })
}

/// SQLite's quick check of a finished copy: anything but "ok" is damage.
pub(super) fn quick_check(copy: &rusqlite::Connection) -> Result<()> {
    let verdict: String = copy.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if verdict != "ok" {
        return Err(Error::Damaged);
    }
    Ok(())
}

/// Turns why `target` could not be written into the error that names it.
fn cannot_write(target: &Path) -> impl Fn(String) -> Error + '_ {
    move |reason| Error::CannotWrite {
        path: target.to_path_buf(),
        reason,
    }
}

/// `path` with its folder's real name (symlinks resolved, so two names of
/// one folder compare equal) and its own file name as written.
fn absolute_name(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let folder = files::absolute_folder_of(path).ok()?;
    // The database itself may be a symlink to the real file.
    let whole = folder.join(name);
    Some(whole.canonicalize().unwrap_or(whole))
}

/// A `-wal` or `-journal` file already beside `target`: SQLite would take
/// it for the new copy's own log and apply or roll it back into the copy
/// on the first open.
fn leftover_side_file(target: &Path) -> Option<PathBuf> {
    SIDE_FILE_SUFFIXES
        .iter()
        .map(|suffix| side_file(target, suffix))
        .find(|side| side.symlink_metadata().is_ok())
}
