//! `shopdesk backup`: a consistent copy made while counters keep selling.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{Error, Result, Store, create_if_missing};

/// How long to wait between tries when another counter holds a lock the
/// copy needs (rare in WAL mode, where readers never wait for writers).
const RETRY_PAUSE: Duration = Duration::from_millis(50);

impl Store {
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
        if target.exists() {
            return Err(Error::BackupTargetExists {
                path: target.to_path_buf(),
            });
        }
        if let Some(folder) = target
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
            && !folder.is_dir()
        {
            return Err(cannot_write(format!(
                "there is no folder {}",
                folder.display()
            )));
        }
        let partial = partial_path(target).map_err(|error| cannot_write(error.to_string()))?;
        let result = self.copy_to(&partial).and_then(|()| {
            publish(&partial, target).map_err(|error| match error.kind() {
                std::io::ErrorKind::AlreadyExists => Error::BackupTargetExists {
                    path: target.to_path_buf(),
                },
                _ => cannot_write(error.to_string()),
            })
        });
        let _ = std::fs::remove_file(&partial);
        result
    }

    fn copy_to(&self, partial: &Path) -> Result<()> {
        create_if_missing(partial)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut copy = Connection::open_with_flags(partial, flags)?;
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
        std::fs::File::open(partial)
            .and_then(|file| file.sync_all())
            .map_err(|error| Error::CannotWrite {
                path: partial.to_path_buf(),
                reason: error.to_string(),
            })?;
        Ok(())
    }
}

/// `shop.db` → `/the/folder/shop.db.12345.partial`, in the same folder so
/// that it can be put in place atomically; the process id keeps two backups
/// to the same name from writing one file. The path is absolute, so that
/// SQLite never reads a name like `file:x.db` as a URI.
fn partial_path(target: &Path) -> std::io::Result<PathBuf> {
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.canonicalize()?,
        _ => std::env::current_dir()?,
    };
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.partial", std::process::id()));
    Ok(folder.join(name))
}

/// Puts the finished copy at `target`, failing if a file is already there.
/// A hard link does that atomically; file systems without hard links (a
/// FAT memory stick) get a rename, after one more look.
fn publish(partial: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(partial, target) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => return Err(error),
        Err(_) if target.exists() => return Err(std::io::ErrorKind::AlreadyExists.into()),
        Err(_) => std::fs::rename(partial, target)?,
    }
    sync_folder_of(target);
    Ok(())
}

/// Makes the new name itself survive a power cut. Best effort: not every
/// file system lets a folder be synced.
fn sync_folder_of(path: &Path) {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if let Ok(folder) = std::fs::File::open(folder) {
        let _ = folder.sync_all();
    }
}
