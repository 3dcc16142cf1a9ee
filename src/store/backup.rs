//! `shopdesk backup`: a consistent copy made while counters keep selling.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::{Error, Result, Store, create_if_missing};

/// How long to wait between tries when another counter holds a lock the
/// copy needs (rare in WAL mode, where readers never wait for writers).
const RETRY_PAUSE: Duration = Duration::from_millis(50);

impl Store {
    /// Copies the database to `target` with SQLite's online backup API:
    /// the copy is the database as of one moment, and counters go on
    /// selling meanwhile. The copy is written beside `target` and renamed
    /// into place only once it is whole and passes a quick check, so
    /// `target` is never a half-written file. Refuses to overwrite a file.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
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
            return Err(Error::CannotWrite {
                path: target.to_path_buf(),
                reason: format!("there is no folder {}", folder.display()),
            });
        }
        let partial = partial_path(target);
        // A copy left by a backup that was killed is of no use.
        let _ = std::fs::remove_file(&partial);
        let result = self.copy_to(&partial).and_then(|()| {
            std::fs::rename(&partial, target).map_err(|error| Error::CannotWrite {
                path: target.to_path_buf(),
                reason: error.to_string(),
            })?;
            sync_folder_of(target);
            Ok(())
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        result
    }

    fn copy_to(&self, partial: &Path) -> Result<()> {
        create_if_missing(partial)?;
        let mut copy = Connection::open(partial)?;
        {
            let backup = Backup::new(&self.conn, &mut copy)?;
            // All pages in one step: the copy is read in one transaction,
            // so it is one moment of the database.
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    _ => std::thread::sleep(RETRY_PAUSE),
                }
            }
        }
        let verdict: String = copy.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
        if verdict != "ok" {
            return Err(Error::Damaged);
        }
        // The copy's own journal is folded in and gone before it is renamed.
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

/// `shop.db` → `shop.db.partial`, in the same folder so the rename is atomic.
fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

/// Makes the rename itself survive a power cut. Best effort: not every
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
