//! The headless command line: clap types and one module per noun. Each
//! command parses its input with the domain's types, calls the store and
//! prints what it did; no rule lives here.

mod config;
mod customer;
mod database;
mod demo;
pub mod exit;
mod order;
mod output;
mod product;
mod settings;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::start::{Opening, config_path, database_path, open_shop};
use crate::store::Shop;
pub use output::Output;

/// shopdesk: a keyboard-driven order desk for the terminal.
///
/// Without a command, opens the terminal app. With one, does that one thing
/// and exits: for scripts, tests and quick jobs.
#[derive(Debug, Parser)]
#[command(name = "shopdesk", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub places: Places,

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
    /// Copy a whole shop into a new SQLite file or an empty server database
    Copy(database::CopyArgs),
}

/// Where the shop and this counter's configuration are: the global
/// options as given, for a command or the app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct Places {
    /// The database: a file, or a server's as mysql://USER@HOST[:PORT]/DATABASE
    /// (its password from SHOPDESK_DB_PASSWORD or `config set db_password`)
    /// [default: shopdesk.db in your data folder]
    #[arg(long, global = true, env = "SHOPDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// This counter's configuration file [default: config.toml in your
    /// configuration folder]
    #[arg(long, global = true, env = "SHOPDESK_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
}

impl Places {
    fn open(&self, opening: Opening) -> Result<Box<dyn Shop>> {
        open_shop(
            &database_path(self.db.clone())?,
            opening,
            self.config.clone(),
        )
    }
}

/// Runs one command against the database `places` names.
pub fn run(command: Command, places: &Places, json: bool) -> Result<()> {
    let mut out = Output::new(json);
    match command {
        // The counter's configuration is no business of the shop's database.
        Command::Config { action } => {
            config::run(action, &config_path(places.config.clone())?, &mut out)?
        }
        Command::Customer(command) => {
            customer::run(command, &mut *places.open(Opening::Upgraded)?, &mut out)?
        }
        Command::Product(command) => {
            product::run(command, &mut *places.open(Opening::Upgraded)?, &mut out)?
        }
        Command::Order(command) => {
            order::run(command, &mut *places.open(Opening::Upgraded)?, &mut out)?
        }
        Command::Demo(args) => demo::run(args, &mut *places.open(Opening::Upgraded)?, &mut out)?,
        Command::Settings(args) => {
            settings::run(args, &mut *places.open(Opening::Upgraded)?, &mut out)?
        }
        Command::Check => database::check(&*places.open(Opening::AsItIs)?, &mut out)?,
        Command::Backup(args) => database::backup(
            args,
            &database_path(places.db.clone())?,
            places.config.clone(),
            &mut out,
        )?,
        // Between the two databases it names: `--db` plays no part.
        Command::Copy(args) => database::copy(args, places.config.clone(), &mut out)?,
    }
    out.finish()
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
