//! `shopdesk check`, `shopdesk backup` and `shopdesk copy`: looking after
//! the database.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::output::Output;
use crate::display::{count_of, safe_text};
use crate::start::{Opening, copy_target, open_file, open_shop, server_url_of};
use crate::store::copy::{self, Copied};
use crate::store::{LATEST_VERSION, Shop};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write the copy to (never overwritten)
    file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The shop to copy: an SQLite file, or a mysql:// URL
    source: PathBuf,
    /// Where to: a new SQLite file (it must not exist), or a mysql:// URL
    /// of an empty database (no tables)
    target: PathBuf,
}

#[derive(Serialize)]
struct ProblemRecord<'a> {
    kind: &'a str,
    problem: &'a str,
}

/// What `check` looked at and found: the last record, sound or not.
#[derive(Serialize)]
struct CheckSummary {
    sound: bool,
    /// Every problem found, listed or not.
    problems: usize,
    orders: i64,
    products: i64,
    stock_moves: i64,
    elapsed_ms: u128,
}

#[derive(Serialize)]
struct BackupRecord {
    /// As text even when the name is not UTF-8 (shown with U+FFFD), so
    /// the record is always whole JSON.
    backup: String,
    bytes: u64,
}

/// Prints every problem found, then a summary, and fails if there is any
/// problem.
pub fn check(store: &dyn Shop, out: &mut Output) -> Result<()> {
    let version = store.schema_version()?;
    if version < LATEST_VERSION {
        bail!(
            "{} was made by an older shopdesk (schema version {version}); back it up with shopdesk backup, \
             then open it once with this shopdesk (say, shopdesk product list) to upgrade it, and check it then",
            store.name()
        );
    }
    let started = std::time::Instant::now();
    let report = store.check()?;
    for problem in &report.problems {
        out.record(
            &ProblemRecord {
                kind: problem.kind.as_str(),
                problem: &problem.message,
            },
            |record| format!("{}: {}", record.kind, safe_text(record.problem)),
        )?;
    }
    if report.unlisted > 0 {
        out.line(format_args!("… and {} more problems", report.unlisted))?;
    }
    let summary = CheckSummary {
        sound: report.is_ok(),
        problems: report.problems.len() + report.unlisted,
        orders: report.orders,
        products: report.products,
        stock_moves: report.stock_moves,
        elapsed_ms: started.elapsed().as_millis(),
    };
    if summary.sound {
        return out.record(&summary, |summary| sound(&store.name(), summary));
    }
    out.json_record(&summary)?;
    bail!(
        "{} is not sound: {} (listed above). Integrity problems are damage: restore your latest backup; for the others, see the README, \"Your data is safe\"",
        store.name(),
        count_of(summary.problems as i64, "problem")
    )
}

fn sound(name: &str, summary: &CheckSummary) -> String {
    format!(
        "{name} is sound: {}, {} and {} checked (integrity, foreign keys, totals, stock ledger and bounds, timelines, emails, contacts, times, texts) in {:.1} s",
        count_of(summary.orders, "order"),
        count_of(summary.products, "product"),
        count_of(summary.stock_moves, "stock move"),
        summary.elapsed_ms as f64 / 1e3
    )
}

/// Writes a consistent copy of the shop at `database` to a new SQLite
/// file: SQLite's online backup of a file, or the copy of every row of a
/// server database.
pub fn backup(
    args: BackupArgs,
    database: &Path,
    config: Option<PathBuf>,
    out: &mut Output,
) -> Result<()> {
    let name = match server_url_of(database)? {
        Some(_) => {
            let shop = open_shop(database, Opening::AsItIs, config)?;
            copy::back_up_to_new_file(&*shop, args.file.clone(), &mut progress)?;
            shop.name()
        }
        // A copy of the file's pages: what only an SQLite file has.
        None => {
            let store = open_file(database, Opening::AsItIs)?;
            store.backup_to(&args.file)?;
            store.name()
        }
    };
    let bytes = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    out.record(
        &BackupRecord {
            backup: args.file.to_string_lossy().into_owned(),
            bytes,
        },
        |record| {
            format!(
                "Backed up {name} to {} ({:.1} MB). To restore it, see the README, \"Your data is safe\".",
                args.file.display(),
                record.bytes as f64 / 1e6
            )
        },
    )
}

/// What `copy` copied: every table's rows, in the order they were copied.
struct CopyRecord {
    copy: String,
    to: String,
    copied: Copied,
    elapsed_ms: u128,
}

impl Serialize for CopyRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut record = serializer.serialize_map(Some(5))?;
        record.serialize_entry("copy", &self.copy)?;
        record.serialize_entry("to", &self.to)?;
        record.serialize_entry("tables", &TableRows(&self.copied))?;
        record.serialize_entry("rows", &self.copied.rows())?;
        record.serialize_entry("elapsed_ms", &self.elapsed_ms)?;
        record.end()
    }
}

/// `{"customers": 251, "products": 150, …}`, in the copy's order.
struct TableRows<'c>(&'c Copied);

impl Serialize for TableRows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tables = serializer.serialize_map(Some(self.0.tables.len()))?;
        for (table, rows) in &self.0.tables {
            tables.serialize_entry(table, rows)?;
        }
        tables.end()
    }
}

/// Copies a whole shop into a new SQLite file or an empty server
/// database, saying each table as it is done. A server's password, for
/// either, is found as `--db`'s is, with the configuration `config`.
pub fn copy(args: CopyArgs, config: Option<PathBuf>, out: &mut Output) -> Result<()> {
    let source = open_shop(&args.source, Opening::AsItIs, config.clone())?;
    let target = copy_target(&args.target, config)?;
    let started = Instant::now();
    let copied = copy::copy_shop(&*source, &target, &mut progress)?;
    let record = CopyRecord {
        copy: source.name(),
        to: target.name(),
        copied,
        elapsed_ms: started.elapsed().as_millis(),
    };
    out.record(&record, |record| {
        format!(
            "Copied {} to {}: {} in {} tables in {:.1} s. Check it with shopdesk check.",
            record.copy,
            record.to,
            count_of(record.copied.rows() as i64, "row"),
            record.copied.tables.len(),
            record.elapsed_ms as f64 / 1e3
        )
    })
}

/// A table copied, for a person watching a long copy: on standard error,
/// and only when it is a terminal, so that standard output holds the
/// result alone and a refusal stays one line.
fn progress(table: &str, rows: u64) {
    let mut terminal = std::io::stderr();
    if terminal.is_terminal() {
        // A line that cannot be shown stops nothing: the copy goes on.
        let line = format!("{table}: {}", count_of(rows as i64, "row"));
        let _ = writeln!(terminal, "{}", safe_text(&line));
    }
}
