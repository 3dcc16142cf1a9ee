//! How shopdesk writes files: the database when it is made, backups,
//! receipts, the per-machine configuration, the panic log.
//!
//! Every file is first written to a new file made exclusively beside its
//! target (an unpredictable name, owner-only whatever the umask), synced,
//! and only then put in place by a rename or a hard link. So a write never
//! follows a symlink planted at the target or at a predictable temporary
//! name, nobody else can read what is written, and no reader ever sees half
//! a file. Folders shopdesk creates are owner-only too.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Owner read and write, nothing for anyone else.
#[cfg(unix)]
const OWNER_ONLY_FILE: u32 = 0o600;
/// Owner read, write and enter, nothing for anyone else.
#[cfg(unix)]
const OWNER_ONLY_FOLDER: u32 = 0o700;

/// Random characters in a new file's name: guessing them is hopeless.
const RANDOM_NAME_CHARS: usize = 16;

/// A new, owner-only file beside the file it will become, removed again if
/// it is dropped before it is put in place.
pub struct NewFile {
    file: NamedTempFile,
}

impl NewFile {
    /// Makes a new empty file in the folder of `target`, named
    /// `.NAME.RANDOM.partial`, created exclusively (never an existing file
    /// or a symlink) and readable by its owner only.
    pub fn beside(target: &Path) -> io::Result<NewFile> {
        let folder = absolute_folder_of(target)?;
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(target.file_name().unwrap_or_default());
        prefix.push(".");
        let file = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".partial")
            .rand_bytes(RANDOM_NAME_CHARS)
            .tempfile_in(folder)?;
        // The umask may have taken bits away (0400); it may not add any.
        restrict_to_owner(file.as_file())?;
        Ok(NewFile { file })
    }

    /// Where the new file is, as an absolute path (SQLite may open it).
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    pub fn as_file_mut(&mut self) -> &mut File {
        self.file.as_file_mut()
    }

    /// Puts the finished file at `target`, which must not exist: fails
    /// with [`io::ErrorKind::AlreadyExists`] if anything is there, even a
    /// symlink or a file that appeared while this one was written.
    pub fn publish_new(self, target: &Path) -> io::Result<()> {
        self.file.as_file().sync_all()?;
        match self.file.persist_noclobber(target) {
            Ok(_) => {}
            Err(error) if error.error.kind() == io::ErrorKind::AlreadyExists => {
                return Err(error.error);
            }
            // File systems without hard links (a FAT memory stick) get a
            // rename, after one more look.
            Err(error) => {
                if target.symlink_metadata().is_ok() {
                    return Err(io::ErrorKind::AlreadyExists.into());
                }
                error.file.persist(target).map_err(|error| error.error)?;
            }
        }
        sync_folder_of(target);
        Ok(())
    }

    /// Puts the finished file at `target`, replacing what is there: a file
    /// is replaced whole, and a symlink is replaced itself, never followed.
    pub fn publish_replacing(self, target: &Path) -> io::Result<()> {
        self.file.as_file().sync_all()?;
        self.file.persist(target).map_err(|error| error.error)?;
        sync_folder_of(target);
        Ok(())
    }
}

/// Writes `bytes` to `target`, replacing the file there, if any, whole.
pub fn write_replacing(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = NewFile::beside(target)?;
    file.as_file_mut().write_all(bytes)?;
    file.publish_replacing(target)
}

/// Creates `folder` and any missing folder above it, each readable by its
/// owner only. Folders that exist already are left as they are.
pub fn create_private_folder(folder: &Path) -> io::Result<()> {
    if folder.as_os_str().is_empty() || folder.is_dir() {
        return Ok(());
    }
    if let Some(parent) = folder.parent() {
        create_private_folder(parent)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, OWNER_ONLY_FOLDER);
    match builder.create(folder) {
        Ok(()) => {}
        // Another process made it meanwhile: fine, it is a folder now.
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists && folder.is_dir() => {
            return Ok(());
        }
        // A file (or a symlink to nowhere) is in the way: say which, not
        // just "File exists".
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(io::Error::new(
                error.kind(),
                format!("{} is not a folder", folder.display()),
            ));
        }
        Err(error) => return Err(error),
    }
    #[cfg(unix)]
    std::fs::set_permissions(
        folder,
        std::os::unix::fs::PermissionsExt::from_mode(OWNER_ONLY_FOLDER),
    )?;
    Ok(())
}

/// Makes sure `folder`, a folder shopdesk names by itself beside a file it
/// was given (`receipts/` beside the database), is a real folder: created
/// owner-only when missing, and refused when it is a symlink, which would
/// send what is written there wherever whoever planted it chose.
pub fn create_own_folder(folder: &Path) -> io::Result<()> {
    if folder
        .symlink_metadata()
        .is_ok_and(|found| found.file_type().is_symlink())
    {
        return Err(io::Error::other(
            "it is a symbolic link, and shopdesk never writes where one leads",
        ));
    }
    create_private_folder(folder)
}

/// Opens the log at `path` for appending, creating it owner-only. Refuses
/// (never follows) a symlink, and refuses anything but a regular file of
/// this user's with no other name: a log planted by someone else is not
/// written to.
pub fn open_private_log(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    let file = open_own(options, path)?;
    restrict_to_owner(&file)?;
    Ok(file)
}

/// Opens the file at `path` for reading, with the same refusals as
/// [`open_private_log`]: never through a symlink, never waiting on a FIFO,
/// and only a regular file of this user's with no other name (one someone
/// else planted, or a name of a file elsewhere, is not read).
pub fn open_own_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    open_own(options, path)
}

/// Opens `path` as `options` say, refusing anything but this user's own
/// regular file with one name.
fn open_own(mut options: std::fs::OpenOptions, path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Without O_NONBLOCK a FIFO planted there would hold the open until
        // a reader (or writer) came: the caller must go on, not hang (the
        // FIFO is refused below, or fails to open).
        options
            .mode(OWNER_ONLY_FILE)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::other("it is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if metadata.uid() != current_user() || metadata.nlink() != 1 {
            return Err(io::Error::other(
                "it belongs to another user or has another name too",
            ));
        }
    }
    Ok(file)
}

/// The user this process acts as: the one whose files shopdesk trusts.
#[cfg(unix)]
pub(crate) fn current_user() -> u32 {
    // SAFETY: geteuid only reads the process's user id.
    unsafe { libc::geteuid() }
}

/// The folder `path` is in: its parent, or `.` for a bare file name (whose
/// parent is the empty path, which names no folder).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// The folder `target` is in, absolute and with symlinks resolved: SQLite
/// never reads a name like `file:x.db` in it as a URI, and two names of
/// one folder compare equal.
pub(crate) fn absolute_folder_of(target: &Path) -> io::Result<PathBuf> {
    let folder = folder_of(target);
    folder
        .canonicalize()
        .map_err(|error| name_missing_folder(error, folder))
}

/// A bare "No such file or directory" after a file's name leaves the user
/// guessing what is missing: shopdesk makes the file, never its folder.
fn name_missing_folder(error: io::Error, folder: &Path) -> io::Error {
    if error.kind() != io::ErrorKind::NotFound {
        return error;
    }
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("there is no folder {}", folder.display()),
    )
}

#[cfg(unix)]
fn restrict_to_owner(file: &File) -> io::Result<()> {
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(
        OWNER_ONLY_FILE,
    ))
}

#[cfg(not(unix))]
fn restrict_to_owner(_file: &File) -> io::Result<()> {
    Ok(())
}

/// Makes a new name itself survive a power cut. Best effort: not every
/// file system lets a folder be synced.
fn sync_folder_of(path: &Path) {
    if let Ok(folder) = File::open(folder_of(path)) {
        let _ = folder.sync_all();
    }
}
