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
        let cannot_write = |reason: String| Error::CannotWrite {
            path: target.to_path_buf(),
            reason,
        };
        if let Some(own) = self.own_file_named(target) {
            return Err(cannot_write(format!("it is {own}; give a new file name")));
        }
        if target.symlink_metadata().is_ok() {
            return Err(Error::BackupTargetExists {
                path: target.to_path_buf(),
            });
        }
        if let Some(side) = leftover_side_file(target) {
            return Err(cannot_write(format!(
                "{} is already there, and SQLite would read it into the copy as the copy's own; \
                 give another file name",
                side.display()
            )));
        }
        let partial = NewFile::beside(target).map_err(|error| cannot_write(error.to_string()))?;
        self.copy_to(partial.path())?;
        partial
            .publish_new(target)
            .map_err(|error| match error.kind() {
                std::io::ErrorKind::AlreadyExists => Error::BackupTargetExists {
                    path: target.to_path_buf(),
                },
                _ => cannot_write(error.to_string()),
            })
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
        let verdict: String = copy.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
        if verdict != "ok" {
            return Err(Error::Damaged);
        }
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
