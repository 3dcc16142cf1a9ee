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
    /// As [`Opening::Upgraded`], for the app at the counter: a server that
    /// stops answering is given up after a while (the screen waits on
    /// it), where a command waits as long as a statement takes.
    AtTheCounter,
    /// Read as it is, never created or upgraded: checking and backing up
    /// (a backup made before an upgrade is the way back from it).
    AsItIs,
}

/// The database `--db` names (a file's path, or a server database's
/// `mysql://` URL as it was given), or the default one: `shopdesk.db` in
/// the data folder.
pub fn database_path(db: Option<PathBuf>) -> Result<PathBuf> {
    match db {
        Some(path) => Ok(path),
        None => Ok(data_folder()?.join("shopdesk.db")),
    }
}

/// The platform's data folder for shopdesk (on Linux
/// `~/.local/share/shopdesk/`), created owner-only on first use: where the
/// default database file is, and this counter's own files when the shop
/// is on a server.
pub fn data_folder() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "shopdesk")
        .context("cannot find your data folder (is HOME set?); pass --db PATH")?;
    let folder = dirs.data_dir();
    crate::files::create_private_folder(folder)
        .with_context(|| format!("cannot create the data folder {}", folder.display()))?;
    Ok(folder.to_path_buf())
}

/// The `--db` value as a server database's URL, if it is one: a
/// `mysql://` or `mariadb://` URL names a server database; every other
/// value is an SQLite file's name (even one beginning `file:`).
fn server_url_in(database: &Path) -> Option<&str> {
    database
        .to_str()
        .filter(|value| ServerUrl::is_server_url(value))
}

/// Opens the shop at `database` (a file or a server database, as
/// [`database_path`] gives it) as `opening` says, behind the storage
/// interface: the one place a backend is chosen by the `--db` value. A
/// server's password comes from the environment or the configuration
/// `config` names (see [`server_password`]).
pub fn open_shop(
    database: &Path,
    opening: Opening,
    config: Option<PathBuf>,
) -> Result<Box<dyn Shop>> {
    match server_url_in(database) {
        Some(url) => Ok(Box::new(open_server(
            &ServerUrl::parse(url)?,
            opening,
            config,
        )?)),
        None => Ok(Box::new(open_file(database, opening)?)),
    }
}

/// Opens the server database at `url` as `opening` says, with the
/// password [`server_password`] finds.
pub fn open_server(
    url: &ServerUrl,
    opening: Opening,
    config: Option<PathBuf>,
) -> Result<MysqlStore> {
    let password = server_password(config)?;
    let password = password.as_deref();
    Ok(match opening {
        Opening::Upgraded => MysqlStore::open(url, password)?,
        Opening::AtTheCounter => MysqlStore::open(url, password)?.answering_promptly()?,
        // Refuses an empty database: there is no shop to read.
        Opening::AsItIs => MysqlStore::open_unchanged(url, password)?,
    })
}

/// The variable a server database's password is taken from first.
pub const PASSWORD_VARIABLE: &str = "SHOPDESK_DB_PASSWORD";

/// The password of the server database's user: `SHOPDESK_DB_PASSWORD`
/// when it is set and not empty, else `db_password` in the configuration
/// file `config` names (or the default one), else none. Never from the
/// command line, where `ps` and the shell's history would show it.
pub fn server_password(config: Option<PathBuf>) -> Result<Option<String>> {
    match std::env::var(PASSWORD_VARIABLE) {
        Ok(password) if !password.is_empty() => return Ok(Some(password)),
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("{PASSWORD_VARIABLE} is not UTF-8 text, as a password must be")
        }
        _ => {}
    }
    // Without a configuration folder (no HOME) nothing is configured.
    let path = match config {
        Some(path) => path,
        None => match crate::config::default_path() {
            Ok(path) => path,
            Err(_) => return Ok(None),
        },
    };
    Ok(crate::config::load(&path)?.db_password)
}

/// The server database a `--db` value (or `copy`'s source or target)
/// names, if it is a `mysql://` or `mariadb://` URL.
pub fn server_url_of(value: &Path) -> Result<Option<ServerUrl>> {
    Ok(server_url_in(value).map(ServerUrl::parse).transpose()?)
}

/// Where `shopdesk copy` makes the shop's copy: the server database a
/// URL names (which must be empty, and is reached with the password
/// [`server_password`] finds), else a new SQLite file.
pub fn copy_target(value: &Path, config: Option<PathBuf>) -> Result<Target> {
    Ok(match server_url_of(value)? {
        Some(url) => Target::EmptyServerDatabase {
            url,
            password: server_password(config)?,
        },
        None => Target::NewFile(value.to_path_buf()),
    })
}

/// Opens the SQLite file at `path` as `opening` says, for what only a file
/// has (the online backup's copy).
pub fn open_file(path: &Path, opening: Opening) -> Result<SqliteStore> {
    Ok(match opening {
        // A file has no server to stop answering.
        Opening::Upgraded | Opening::AtTheCounter => SqliteStore::open(path)?,
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
/// the default one), with its own files beside the database file at
/// `database`, or in the data folder when `database` is on a server.
pub fn counter_config(chosen: Option<PathBuf>, database: &Path) -> Result<CounterConfig> {
    let keys = crate::config::load(&config_path(chosen)?)?;
    Ok(match server_url_in(database) {
        Some(_) => CounterConfig::in_folder(keys, &data_folder()?),
        None => CounterConfig::beside_database(keys, database),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_database_keeps_the_counters_files_in_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let config = Some(dir.path().join("config.toml"));
        let on_server = counter_config(config.clone(), Path::new("mysql://clerk@db/shop")).unwrap();
        let data = data_folder().unwrap();
        assert_eq!(on_server.receipts_folder, data.join("receipts"));
        assert_eq!(on_server.panic_log, data.join("shopdesk-panic.log"));
        assert_eq!(on_server.parked_folder, data.join("parked-sales"));
        let in_file = counter_config(config, &dir.path().join("shop.db")).unwrap();
        assert_eq!(in_file.receipts_folder, dir.path().join("receipts"));
    }
}
