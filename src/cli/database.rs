//! `shopdesk check` and `shopdesk backup`: looking after the database file.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;

use super::output::Output;
use crate::display::{count_of, safe_text};
use crate::store::sqlite::SqliteStore;
use crate::store::{LATEST_VERSION, Shop};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write the copy to (never overwritten)
    file: PathBuf,
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

/// Copies the database file: what only an SQLite file has.
pub fn backup(args: BackupArgs, store: &SqliteStore, out: &mut Output) -> Result<()> {
    store.backup_to(&args.file)?;
    let bytes = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    out.record(
        &BackupRecord {
            backup: args.file.to_string_lossy().into_owned(),
            bytes,
        },
        |record| {
            format!(
                "Backed up {} to {} ({:.1} MB). To restore it, see the README, \"Your data is safe\".",
                store.name(),
                args.file.display(),
                record.bytes as f64 / 1e6
            )
        },
    )
}
