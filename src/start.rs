//! What every edge needs to start, kept apart so that the edges never
//! import one another (the command line, the terminal app and the coming
//! web server are siblings that `main.rs` chooses between): the shop the
//! `--db` value names, and this counter's configuration, with where its
//! own files go unless it says otherwise.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::config::CounterConfig;
use crate::store::Shop;
use crate::store::copy::Target;
use crate::store::mysql::{MysqlStore, ServerUrl};
use crate::store::sqlite::SqliteStore;

/// How an edge opens the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// Created if missing and brought up to date: for the shop's work.
    Upgraded,
    /// Read as it is, never created or upgraded: checking and backing up
    /// (a backup made before an upgrade is the way back from it).
    AsItIs,
}

/// The database file `--db` names, or the default one: `shopdesk.db` in
/// the platform's data folder (on Linux `~/.local/share/shopdesk/`),
/// created owner-only on first use.
pub fn database_path(db: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = db {
        return Ok(path);
    }
    let dirs = directories::ProjectDirs::from("", "", "shopdesk")
        .context("cannot find your data folder (is HOME set?); pass --db PATH")?;
    let folder = dirs.data_dir();
    crate::files::create_private_folder(folder)
        .with_context(|| format!("cannot create the data folder {}", folder.display()))?;
    Ok(folder.join("shopdesk.db"))
}

/// Opens the shop at `path` as `opening` says, behind the storage
/// interface: the one place a backend is chosen by the `--db` value. A
/// `mysql://` or `mariadb://` URL names a server database; every other
/// value is an SQLite file's name (even one beginning `file:`).
/// SKELETON: the password from the environment only; `opening` not yet
/// told apart on a server.
pub fn open_shop(path: &Path, opening: Opening) -> Result<Box<dyn Shop>> {
    if let Some(url) = server_url_of(path)? {
        return Ok(Box::new(MysqlStore::open(
            &url,
            server_password().as_deref(),
        )?));
    }
    Ok(Box::new(open_file(path, opening)?))
}

/// The server database a `--db` value (or `copy`'s source or target)
/// names, if it is a `mysql://` or `mariadb://` URL.
pub fn server_url_of(value: &Path) -> Result<Option<ServerUrl>> {
    match value
        .to_str()
        .filter(|value| ServerUrl::is_server_url(value))
    {
        Some(url) => Ok(Some(ServerUrl::parse(url)?)),
        None => Ok(None),
    }
}

/// The password for every server database: never from a URL.
fn server_password() -> Option<String> {
    std::env::var("SHOPDESK_DB_PASSWORD").ok()
}

/// Where `shopdesk copy` makes the shop's copy: the server database a
/// URL names (which must be empty), else a new SQLite file.
pub fn copy_target(value: &Path) -> Result<Target> {
    Ok(match server_url_of(value)? {
        Some(url) => Target::EmptyServerDatabase {
            url,
            password: server_password(),
        },
        None => Target::NewFile(value.to_path_buf()),
    })
}

/// Opens the SQLite file at `path` as `opening` says, for what only a file
/// has (the online backup's copy).
pub fn open_file(path: &Path, opening: Opening) -> Result<SqliteStore> {
    Ok(match opening {
        Opening::Upgraded => SqliteStore::open(path)?,
        // Creating an empty database here would hide a mistyped path.
        Opening::AsItIs if !path.exists() => bail!("there is no database at {}", path.display()),
        Opening::AsItIs => SqliteStore::open_unchanged(path)?,
    })
}

/// The configuration file `--config` names, else the default one. Found
/// only when needed: a command that does not print works without a home.
pub fn config_path(chosen: Option<PathBuf>) -> Result<PathBuf> {
    match chosen {
        Some(path) => Ok(path),
        None => Ok(crate::config::default_path()?),
    }
}

/// This counter's configuration, read from the file `--config` names (or
/// the default one), with its own files beside the database at
/// `database`.
pub fn counter_config(chosen: Option<PathBuf>, database: &Path) -> Result<CounterConfig> {
    let keys = crate::config::load(&config_path(chosen)?)?;
    Ok(CounterConfig::beside_database(keys, database))
}
