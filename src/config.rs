//! The counter's configuration file, `config.toml` in the platform's
//! configuration folder (on Linux `~/.config/shopdesk/`), or where
//! `--config` / `SHOPDESK_CONFIG` say.
//!
//! It says what this machine runs (its print command), so it is read only
//! when nobody else can have written it: a regular file (a symlink is
//! refused, never followed) that belongs to this user, that no group or
//! other user can write, in a folder that others cannot write either. It is
//! written owner-only, through `files`, like every file shopdesk writes.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::display::safe_text;
use crate::domain::config::{Config, PANIC_LOG, PARKED_FOLDER, RECEIPTS_FOLDER};
use crate::files;

/// The file's name inside the configuration folder.
pub const FILE_NAME: &str = "config.toml";

/// The largest file read: a configuration is a few lines, and a file
/// without end (a device) must not be read for ever.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// The "write" bits of the group and of others.
#[cfg(unix)]
const WRITABLE_BY_OTHERS: u32 = 0o022;
/// The "read" bits of the group and of others.
#[cfg(unix)]
const READABLE_BY_OTHERS: u32 = 0o044;
/// A folder others may write, but where only a file's owner may rename or
/// delete it (`/tmp`).
#[cfg(unix)]
const STICKY: u32 = 0o1000;

/// This counter's configuration as an edge runs with it: the file's keys,
/// and where the counter's own files go. Those places are not keys of the
/// file: the edge computes them from the database the user named (beside
/// a database file, in the shop's own folder; for a server database, which
/// has no folder here, in the data folder), so nothing below the edges
/// needs to know where the database lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterConfig {
    pub keys: Config,
    /// Where a receipt is written as a file when no print command is set.
    pub receipts_folder: PathBuf,
    /// Where the report of a bug that stops the app is appended.
    pub panic_log: PathBuf,
    /// Where the sale in progress is parked when the app closes while the
    /// database server cannot be reached.
    pub parked_folder: PathBuf,
}

impl CounterConfig {
    /// `keys`, with the counter's files beside the database file at
    /// `database`.
    pub fn beside_database(keys: Config, database: &Path) -> CounterConfig {
        CounterConfig::in_folder(keys, database.parent().unwrap_or(Path::new(".")))
    }

    /// `keys`, with the counter's files in `folder`.
    pub fn in_folder(keys: Config, folder: &Path) -> CounterConfig {
        CounterConfig {
            keys,
            receipts_folder: folder.join(RECEIPTS_FOLDER),
            panic_log: folder.join(PANIC_LOG),
            parked_folder: folder.join(PARKED_FOLDER),
        }
    }
}

/// Why the configuration cannot be read or written, for the user.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot find your configuration folder (is HOME set?); pass --config PATH")]
    NoFolder,
    #[error("the configuration file {path} is refused: {reason}; {fix}", path = .path.display())]
    Unsafe {
        path: PathBuf,
        reason: String,
        fix: String,
    },
    #[error("the configuration file {path} is not valid: {reason}", path = .path.display())]
    Invalid { path: PathBuf, reason: String },
    #[error("cannot read the configuration file {path}: {reason}", path = .path.display())]
    CannotRead { path: PathBuf, reason: String },
    #[error("cannot write the configuration file {path}: {reason}", path = .path.display())]
    CannotWrite { path: PathBuf, reason: String },
}

/// `config.toml` in the platform's configuration folder.
pub fn default_path() -> Result<PathBuf, ConfigError> {
    let dirs = directories::ProjectDirs::from("", "", "shopdesk").ok_or(ConfigError::NoFolder)?;
    Ok(dirs.config_dir().join(FILE_NAME))
}

/// Reads the configuration at `path`; no file there means nothing is set.
/// Refuses a file others could have written (see the module's comment),
/// one too large, and one with an unknown key or a value that breaks a
/// rule of [`crate::domain::config`].
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let Some(text) = read_private_file(path)? else {
        return Ok(Config::default());
    };
    let invalid = |reason: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    let config: Config = toml::from_str(&text).map_err(|error| {
        let line = error
            .span()
            .map(|span| 1 + text[..span.start].matches('\n').count());
        let message = error.message().trim_end().to_string();
        invalid(match line {
            Some(line) => format!("line {line}: {message}"),
            None => message,
        })
    })?;
    config.check().map_err(|error| invalid(error.to_string()))?;
    if config.db_password.is_some() {
        refuse_secret_others_can_read(path)?;
    }
    Ok(config)
}

/// A file holding a password is used only while others cannot read it
/// (`save` writes it owner-only; an editor or a copy may not have).
#[cfg(unix)]
fn refuse_secret_others_can_read(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::symlink_metadata(path)
        .map_err(|error| ConfigError::CannotRead {
            path: path.to_path_buf(),
            reason: error.to_string(),
        })?
        .permissions()
        .mode();
    if mode & READABLE_BY_OTHERS == 0 {
        return Ok(());
    }
    Err(ConfigError::Unsafe {
        path: path.to_path_buf(),
        reason: format!(
            "it holds db_password and others can read it (mode {:04o})",
            mode & 0o7777
        ),
        fix: format!("make it yours alone: chmod 600 {}", path.display()),
    })
}

#[cfg(not(unix))]
fn refuse_secret_others_can_read(_path: &Path) -> Result<(), ConfigError> {
    Ok(())
}

/// Writes `config` to `path`, replacing the file whole (owner-only, never
/// through a symlink); creates the folder, owner-only, when it is missing.
pub fn save(path: &Path, config: &Config) -> Result<(), ConfigError> {
    let cannot_write = |reason: String| ConfigError::CannotWrite {
        path: path.to_path_buf(),
        reason,
    };
    if let Some(folder) = path.parent() {
        files::create_private_folder(folder).map_err(|e| cannot_write(e.to_string()))?;
    }
    let text = toml::to_string(config).map_err(|e| cannot_write(e.to_string()))?;
    files::write_replacing(path, text.as_bytes()).map_err(|e| cannot_write(e.to_string()))
}

/// Held while a configuration is read, changed and written back: another
/// `config set` meanwhile would otherwise write what it read before this
/// one's change, and one of the two changes would be lost. The lock is on
/// the file's folder (no lock file to make, plant or leave behind); it is
/// let go when this is dropped.
pub struct ChangeLock {
    _folder: std::fs::File,
}

/// Waits for, then takes, the right to change the configuration at
/// `path`; creates its folder, owner-only, when it is missing.
pub fn lock_for_change(path: &Path) -> Result<ChangeLock, ConfigError> {
    let cannot_write = |reason: String| ConfigError::CannotWrite {
        path: path.to_path_buf(),
        reason,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    files::create_private_folder(folder).map_err(|e| cannot_write(e.to_string()))?;
    let folder = std::fs::File::open(folder).map_err(|e| cannot_write(e.to_string()))?;
    lock_exclusively(&folder).map_err(|e| cannot_write(e.to_string()))?;
    Ok(ChangeLock { _folder: folder })
}

/// How long a change waits for another one to finish: a change takes
/// milliseconds, and anyone may lock a folder like `/tmp`, so the wait is
/// bounded.
const CHANGE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// How long to wait before asking for the lock again.
const CHANGE_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(10);

#[cfg(unix)]
fn lock_exclusively(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let deadline = std::time::Instant::now() + CHANGE_WAIT;
    loop {
        // SAFETY: flock only reads the descriptor, which `file` keeps open.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        match error.kind() {
            std::io::ErrorKind::Interrupted => {}
            std::io::ErrorKind::WouldBlock if std::time::Instant::now() < deadline => {
                std::thread::sleep(CHANGE_RETRY_PAUSE);
            }
            std::io::ErrorKind::WouldBlock => {
                return Err(std::io::Error::other(
                    "another change of it has not finished; try again",
                ));
            }
            _ => return Err(error),
        }
    }
}

#[cfg(not(unix))]
fn lock_exclusively(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

/// The machine's host name, when it is a valid counter name.
pub fn host_name() -> Option<String> {
    let name = read_host_name()?;
    crate::domain::config::ConfigKey::CounterName
        .parse_value(&name)
        .ok()
}

#[cfg(unix)]
fn read_host_name() -> Option<String> {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is writable for its whole length, which is passed.
    let done = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    if done != 0 {
        return None;
    }
    let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
    Some(String::from_utf8_lossy(&buffer[..end]).into_owned())
}

#[cfg(not(unix))]
fn read_host_name() -> Option<String> {
    std::env::var("COMPUTERNAME").ok()
}

/// What the app and `shopdesk settings` say, once, about a print command
/// that the upgrade removed from the database: what it was and how to set
/// it for this counter. The value came from a database, so it is shown
/// safely and quoted for the shell.
pub fn removed_receipt_command_notice(removed: &str) -> String {
    let quoted = safe_text(&shell_quoted(removed)).into_owned();
    format!(
        "This database had the print command {quoted}; a print command is no longer taken from \
         the shop's database. To print with it at this counter: \
         shopdesk config set receipt_command {quoted}"
    )
}

/// `text` in single quotes, for `sh`: nothing in it is interpreted.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The file's text, or `None` when there is no file. Opened without
/// following a symlink and without waiting on a FIFO, then checked on the
/// open file itself, so what is checked is what is read.
fn read_private_file(path: &Path) -> Result<Option<String>, ConfigError> {
    let cannot_read = |reason: String| ConfigError::CannotRead {
        path: path.to_path_buf(),
        reason,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    let file = match options.open(path) {
        Ok(file) => file,
        // Where opening follows symlinks, one that leads nowhere is still
        // a symlink, not a missing file.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return if path.symlink_metadata().is_ok() {
                Err(refused(path, Refusal::Symlink))
            } else {
                Ok(None)
            };
        }
        #[cfg(unix)]
        Err(error) if error.raw_os_error() == Some(libc::ELOOP) => {
            return Err(refused(path, Refusal::Symlink));
        }
        // In a folder this user may not even look into (another user's
        // home, with HOME left pointing there): not this user's file, so
        // nothing of it applies.
        Err(error)
            if error.kind() == std::io::ErrorKind::PermissionDenied
                && path.symlink_metadata().is_err() =>
        {
            return Ok(None);
        }
        Err(error) => return Err(cannot_read(error.to_string())),
    };
    let metadata = file.metadata().map_err(|e| cannot_read(e.to_string()))?;
    if let Some(refusal) = refusal_of(&metadata, folder_metadata(path).as_ref()) {
        return Err(refused(path, refusal));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            reason: format!("it is larger than {} KiB", MAX_FILE_BYTES / 1024),
        });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| ConfigError::Invalid {
            path: path.to_path_buf(),
            reason: "it is not UTF-8 text".to_string(),
        })
}

fn folder_metadata(path: &Path) -> Option<std::fs::Metadata> {
    std::fs::metadata(files::folder_of(path)).ok()
}

/// Why a configuration file is not trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    Symlink,
    NotAFile,
    NotYours { owner: u32 },
    WritableByOthers { mode: u32 },
    FolderWritableByOthers { mode: u32 },
}

/// The ownership and permissions of a file and its folder, in numbers.
#[derive(Debug, Clone, Copy)]
struct Ownership {
    is_file: bool,
    owner: u32,
    mode: u32,
    folder_mode: Option<u32>,
}

#[cfg(unix)]
fn refusal_of(file: &std::fs::Metadata, folder: Option<&std::fs::Metadata>) -> Option<Refusal> {
    use std::os::unix::fs::MetadataExt;
    let ownership = Ownership {
        is_file: file.is_file(),
        owner: file.uid(),
        mode: file.mode(),
        folder_mode: folder.map(MetadataExt::mode),
    };
    judge(ownership, files::current_user())
}

#[cfg(not(unix))]
fn refusal_of(file: &std::fs::Metadata, _folder: Option<&std::fs::Metadata>) -> Option<Refusal> {
    (!file.is_file()).then_some(Refusal::NotAFile)
}

/// The rule itself, on numbers (so it is tested for any owner): a regular
/// file of the user `me`, not writable by group or others, in a folder
/// others cannot write unless it is sticky.
#[cfg(unix)]
fn judge(ownership: Ownership, me: u32) -> Option<Refusal> {
    if !ownership.is_file {
        return Some(Refusal::NotAFile);
    }
    if ownership.owner != me {
        return Some(Refusal::NotYours {
            owner: ownership.owner,
        });
    }
    if ownership.mode & WRITABLE_BY_OTHERS != 0 {
        return Some(Refusal::WritableByOthers {
            mode: ownership.mode,
        });
    }
    match ownership.folder_mode {
        Some(mode) if mode & WRITABLE_BY_OTHERS != 0 && mode & STICKY == 0 => {
            Some(Refusal::FolderWritableByOthers { mode })
        }
        _ => None,
    }
}

fn refused(path: &Path, refusal: Refusal) -> ConfigError {
    let shown = path.display();
    let (reason, fix) = match refusal {
        Refusal::Symlink => (
            "it is a symbolic link".to_string(),
            format!("put the configuration file itself at {shown}"),
        ),
        Refusal::NotAFile => (
            "it is not a regular file".to_string(),
            format!("put a regular file at {shown}"),
        ),
        Refusal::NotYours { owner } => (
            format!("it belongs to another user (user id {owner})"),
            "only your own file is read: copy its lines into a new file of yours".to_string(),
        ),
        Refusal::WritableByOthers { mode } => (
            format!("others can change it (mode {:04o})", mode & 0o7777),
            format!("make it yours alone: chmod 600 {shown}"),
        ),
        Refusal::FolderWritableByOthers { mode } => (
            format!(
                "others can replace it: its folder can be written by others (mode {:04o})",
                mode & 0o7777
            ),
            "keep it in a folder only you can write".to_string(),
        ),
    };
    ConfigError::Unsafe {
        path: path.to_path_buf(),
        reason,
        fix,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const ME: u32 = 1000;

    fn file(owner: u32, mode: u32) -> Ownership {
        Ownership {
            is_file: true,
            owner,
            mode: 0o100000 | mode,
            folder_mode: Some(0o40700),
        }
    }

    #[test]
    fn only_a_regular_file_of_the_user_that_nobody_else_can_change_is_trusted() {
        assert_eq!(judge(file(ME, 0o600), ME), None);
        assert_eq!(judge(file(ME, 0o644), ME), None);
        assert_eq!(
            judge(file(0, 0o600), ME),
            Some(Refusal::NotYours { owner: 0 })
        );
        for mode in [0o620, 0o602, 0o666] {
            assert!(
                matches!(
                    judge(file(ME, mode), ME),
                    Some(Refusal::WritableByOthers { .. })
                ),
                "{mode:o}"
            );
        }
        let fifo = Ownership {
            is_file: false,
            ..file(ME, 0o600)
        };
        assert_eq!(judge(fifo, ME), Some(Refusal::NotAFile));
    }

    #[test]
    fn a_folder_others_can_write_is_refused_unless_it_is_sticky() {
        let in_folder = |mode: u32| Ownership {
            folder_mode: Some(0o40000 | mode),
            ..file(ME, 0o600)
        };
        assert_eq!(judge(in_folder(0o755), ME), None);
        assert_eq!(judge(in_folder(0o1777), ME), None);
        assert!(matches!(
            judge(in_folder(0o777), ME),
            Some(Refusal::FolderWritableByOthers { .. })
        ));
        assert!(matches!(
            judge(in_folder(0o775), ME),
            Some(Refusal::FolderWritableByOthers { .. })
        ));
    }

    #[test]
    fn the_notice_quotes_the_removed_command_for_the_shell_and_the_terminal() {
        let notice = removed_receipt_command_notice("lp -d 'a'\u{1b}[2J");
        assert!(
            notice.ends_with(r"shopdesk config set receipt_command 'lp -d '\''a'\''␛[2J'"),
            "{notice}"
        );
        assert!(!notice.contains('\u{1b}'));
    }
}
