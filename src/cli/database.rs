//! `shopdesk check` and `shopdesk backup`: looking after the database file.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;

use super::output::Output;
use crate::display::{count_of, safe_text};
use crate::store::{CheckReport, LATEST_VERSION, Store};

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

#[derive(Serialize)]
struct BackupRecord<'a> {
    backup: &'a Path,
    bytes: u64,
}

/// Prints every problem found and fails if there is any, or prints a
/// one-line summary.
pub fn check(store: &Store, out: &mut Output) -> Result<()> {
    let version = store.schema_version()?;
    if version < LATEST_VERSION {
        bail!(
            "{} was made by an older shopdesk (schema version {version}); back it up with shopdesk backup, \
             then open it once with this shopdesk (say, shopdesk product list) to upgrade it, and check it then",
            store.path().display()
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
    if !report.is_ok() {
        bail!(
            "{} is not sound: {} (listed above). Integrity problems are damage: restore your latest backup; for the others, see the README, \"Your data is safe\"",
            store.path().display(),
            count_of((report.problems.len() + report.unlisted) as i64, "problem")
        );
    }
    out.line(summary(store.path(), &report, started.elapsed()))
}

fn summary(path: &Path, report: &CheckReport, took: std::time::Duration) -> String {
    format!(
        "{} is sound: {}, {} and {} checked (integrity, foreign keys, totals, stock ledger and bounds, timelines, emails) in {:.1} s",
        path.display(),
        count_of(report.orders, "order"),
        count_of(report.products, "product"),
        count_of(report.stock_moves, "stock move"),
        took.as_secs_f64()
    )
}

pub fn backup(args: BackupArgs, store: &Store, out: &mut Output) -> Result<()> {
    store.backup_to(&args.file)?;
    let bytes = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    out.record(
        &BackupRecord {
            backup: &args.file,
            bytes,
        },
        |record| {
            format!(
                "Backed up {} to {} ({:.1} MB). To restore it, see the README, \"Your data is safe\".",
                store.path().display(),
                record.backup.display(),
                record.bytes as f64 / 1e6
            )
        },
    )
}
