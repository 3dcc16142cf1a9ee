//! The headless command line: clap types and one module per noun. Each
//! command parses its input with the domain's types, calls the store and
//! prints what it did; no rule lives here.

mod config;
mod customer;
mod database;
mod demo;
mod order;
mod output;
mod product;
mod settings;

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use crate::store::Store;
pub use output::Output;

/// shopdesk: a keyboard-driven order desk for the terminal.
///
/// Without a command, opens the terminal app. With one, does that one thing
/// and exits: for scripts, tests and quick jobs.
#[derive(Debug, Parser)]
#[command(name = "shopdesk", version, propagate_version = true)]
pub struct Cli {
    /// The database file [default: shopdesk.db in your data folder]
    #[arg(long, global = true, env = "SHOPDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// This counter's configuration file [default: config.toml in your
    /// configuration folder]
    #[arg(long, global = true, env = "SHOPDESK_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Print records as JSON, one object per line
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Register, edit and find customers
    #[command(subcommand)]
    Customer(customer::CustomerCommand),
    /// Keep the catalog and its stock
    #[command(subcommand)]
    Product(product::ProductCommand),
    /// Place orders, look them up, move them through their statuses
    #[command(subcommand)]
    Order(order::OrderCommand),
    /// Fill an empty database with a realistic demo shop
    Demo(demo::DemoArgs),
    /// Show the shop's settings, or change one
    Settings(settings::SettingsArgs),
    /// Show this counter's own configuration (its printer), or change it
    Config {
        #[command(subcommand)]
        action: Option<config::ConfigAction>,
    },
    /// Check the database: integrity, totals, stock ledger and bounds, timelines, emails, contacts, times, texts
    Check,
    /// Write a consistent copy of the database while counters keep selling
    Backup(database::BackupArgs),
}

/// Runs one command against the database it names.
pub fn run(cli: Cli) -> Result<()> {
    let mut out = Output::new(cli.json);
    match cli.command {
        // The counter's configuration is no business of the shop's database.
        Some(Command::Config { action }) => {
            config::run(action, &config_path(cli.config)?, &mut out)?
        }
        None => {
            let store = open_store(cli.db, Opening::Upgraded)?;
            let config = crate::config::load(&config_path(cli.config)?)?;
            return crate::tui::run(store, config);
        }
        Some(Command::Customer(command)) => customer::run(
            command,
            &mut open_store(cli.db, Opening::Upgraded)?,
            &mut out,
        )?,
        Some(Command::Product(command)) => product::run(
            command,
            &mut open_store(cli.db, Opening::Upgraded)?,
            &mut out,
        )?,
        Some(Command::Order(command)) => order::run(
            command,
            &mut open_store(cli.db, Opening::Upgraded)?,
            &mut out,
        )?,
        Some(Command::Demo(args)) => {
            demo::run(args, &mut open_store(cli.db, Opening::Upgraded)?, &mut out)?
        }
        Some(Command::Settings(args)) => {
            settings::run(args, &mut open_store(cli.db, Opening::Upgraded)?, &mut out)?
        }
        Some(Command::Check) => database::check(&open_store(cli.db, Opening::AsItIs)?, &mut out)?,
        Some(Command::Backup(args)) => {
            database::backup(args, &open_store(cli.db, Opening::AsItIs)?, &mut out)?
        }
    }
    out.finish()
}

/// How a command opens the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opening {
    /// Created if missing and brought up to date: for the shop's work.
    Upgraded,
    /// Read as it is, never created or upgraded: checking and backing up
    /// (a backup made before an upgrade is the way back from it).
    AsItIs,
}

/// Opens the database `db` names, or the default one.
fn open_store(db: Option<PathBuf>, opening: Opening) -> Result<Store> {
    let path = match db {
        Some(path) => path,
        None => default_database_path()?,
    };
    Ok(match opening {
        Opening::Upgraded => Store::open(&path)?,
        // Creating an empty database here would hide a mistyped path.
        Opening::AsItIs if !path.exists() => bail!("there is no database at {}", path.display()),
        Opening::AsItIs => Store::open_unchanged(&path)?,
    })
}

/// `shopdesk.db` in the platform's data folder (on Linux
/// `~/.local/share/shopdesk/`), created owner-only on first use.
fn default_database_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "shopdesk")
        .context("cannot find your data folder (is HOME set?); pass --db PATH")?;
    let folder = dirs.data_dir();
    crate::files::create_private_folder(folder)
        .with_context(|| format!("cannot create the data folder {}", folder.display()))?;
    Ok(folder.join("shopdesk.db"))
}

/// The configuration file `--config` names, else the default one. Found
/// only when needed: a command that does not print works without a home.
fn config_path(chosen: Option<PathBuf>) -> Result<PathBuf> {
    match chosen {
        Some(path) => Ok(path),
        None => Ok(crate::config::default_path()?),
    }
}

/// The most rows one `--limit` may ask for: more than any screen or script
/// reads at once, and far below what SQLite's integers hold.
const MAX_LIMIT: usize = 1_000_000;

/// `--limit N` of every command that lists: 1 to [`MAX_LIMIT`], else a
/// usage error naming the range (a limit of 0 would print "none yet").
fn parse_limit(text: &str) -> Result<usize, String> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|limit| (1..=MAX_LIMIT).contains(limit))
        .ok_or_else(|| "a limit is a whole number from 1 to 1,000,000".to_string())
}

/// Parses one field with a domain parser, naming the field if it fails.
fn field<T>(name: &str, result: Result<T, crate::domain::Error>) -> Result<T> {
    result.with_context(|| name.to_string())
}
