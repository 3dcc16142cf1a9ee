//! "Left untouched", byte for byte: a database file and the side files
//! SQLite keeps beside it, snapshotted before a refusal and compared after.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::config::DbConfig;
// What SQLite may keep beside a database (`-shm` compared only by
// presence: readers write their read marks into it).
use shopdesk::store::sqlite::SIDE_FILE_SUFFIXES;

/// One name beside the database, as it was.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    Missing,
    File(Vec<u8>),
    /// Present; its bytes are not compared (the `-shm` file).
    Present,
    /// A folder, device, FIFO or socket: never opened, only its kind noted.
    NotAFile(String),
}

/// The database at `path` and each side file, at one moment.
#[derive(Debug)]
pub struct FilesBeside {
    entries: Vec<(PathBuf, Found)>,
}

fn names(path: &Path) -> Vec<PathBuf> {
    std::iter::once(path.to_path_buf())
        .chain(SIDE_FILE_SUFFIXES.map(|suffix| side(path, suffix)))
        .collect()
}

fn found(path: &Path) -> Found {
    let Ok(metadata) = fs::metadata(path) else {
        return Found::Missing;
    };
    if !metadata.is_file() {
        return Found::NotAFile(format!("{:?}", metadata.file_type()));
    }
    if path.to_string_lossy().ends_with("-shm") {
        return Found::Present;
    }
    Found::File(fs::read(path).unwrap())
}

impl FilesBeside {
    pub fn of(path: &Path) -> FilesBeside {
        FilesBeside {
            entries: names(path)
                .into_iter()
                .map(|name| {
                    let found = found(&name);
                    (name, found)
                })
                .collect(),
        }
    }

    /// Fails, naming each file, unless every file is as it was: the same
    /// bytes, and none appeared or vanished.
    #[track_caller]
    pub fn assert_unchanged(&self) {
        let changes: Vec<String> = self
            .entries
            .iter()
            .filter_map(|(name, before)| {
                let after = found(name);
                (after != *before).then(|| {
                    format!(
                        "{}: {} -> {}",
                        name.display(),
                        describe(before),
                        describe(&after)
                    )
                })
            })
            .collect();
        assert!(changes.is_empty(), "left untouched? {changes:#?}");
    }
}

fn describe(found: &Found) -> String {
    match found {
        Found::Missing => "missing".into(),
        Found::File(bytes) => format!("{} bytes", bytes.len()),
        Found::Present => "present".into(),
        Found::NotAFile(kind) => kind.clone(),
    }
}

/// Runs `sql` on the database at `path` in WAL mode and closes it without
/// merging its log: the changes stay in `-wal` (and `-shm` stays), as a
/// counter that crashed, or is still running, leaves them.
pub fn write_leaving_log_unflushed(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    let _: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .unwrap();
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    assert!(side(path, "-wal").exists(), "the log is there, unflushed");
}

pub fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut side = path.as_os_str().to_os_string();
    side.push(suffix);
    PathBuf::from(side)
}
