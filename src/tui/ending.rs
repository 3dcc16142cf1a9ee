//! How the app ends when the user did not ask it to: a close signal, a
//! terminal that went away, a bug. Whatever the cause, the sale in progress
//! is parked, from the event loop once it has stopped (never from inside
//! the panic hook, where the store may be in the middle of a transaction
//! that unwinding has yet to roll back).

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::Result;
use chrono::Utc;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::effects;
use crate::app::{Action, AppState};
use crate::store::Shop;

/// The signals that ask the app to close, and their names.
const CLOSE_SIGNALS: [(i32, &str); 3] = [
    (SIGTERM, "SIGTERM"),
    // The terminal or the SSH session was closed.
    (SIGHUP, "SIGHUP (the terminal was closed)"),
    (SIGINT, "SIGINT"),
];

/// Which close signal has arrived, if any: the handlers only set a number,
/// the event loop looks at it between keys.
pub struct CloseSignals(Arc<AtomicUsize>);

impl CloseSignals {
    pub fn watch() -> Result<CloseSignals> {
        let received = Arc::new(AtomicUsize::new(0));
        for (signal, _) in CLOSE_SIGNALS {
            signal_hook::flag::register_usize(signal, received.clone(), signal as usize)?;
        }
        Ok(CloseSignals(received))
    }

    pub fn received(&self) -> Option<&'static str> {
        let signal = self.0.load(Ordering::Relaxed);
        CLOSE_SIGNALS
            .iter()
            .find(|(number, _)| *number as usize == signal)
            .map(|(_, name)| *name)
    }
}

/// Parks the sale in progress, if there is one, and says what became of it
/// (a sentence with a space before it, or nothing).
pub fn park_sale(state: &mut AppState, store: &mut dyn Shop) -> String {
    if !state.order_entry.is_started() {
        return String::new();
    }
    let parked = panic::catch_unwind(AssertUnwindSafe(|| {
        effects::dispatch(state, store, Action::Shutdown);
    }));
    match (&parked, state.farewell.take()) {
        (Ok(()), Some(farewell)) => format!(" {farewell}"),
        _ => {
            let why = state.message.as_ref().map_or("", |message| &message.text);
            format!(" The sale in progress could not be parked: {why}")
        }
    }
}

/// Where a panic's report is written (this counter's configuration says:
/// by default `shopdesk-panic.log` beside the database).
pub struct PanicReport {
    path: PathBuf,
    /// Whether the hook managed to write it (the folder may be read-only).
    written: Arc<AtomicBool>,
}

impl PanicReport {
    /// Replaces the default hook, which would print over the app's screen,
    /// by one that appends the report to the log.
    pub fn install(log: &Path) -> PanicReport {
        let path = log.to_path_buf();
        let log = path.clone();
        let written = Arc::new(AtomicBool::new(false));
        let hook_wrote = written.clone();
        panic::set_hook(Box::new(move |info| {
            let report = format!(
                "{} shopdesk {} {info}\n{}\n",
                crate::domain::timestamp::utc_micros(Utc::now()),
                env!("CARGO_PKG_VERSION"),
                std::backtrace::Backtrace::force_capture()
            );
            hook_wrote.store(
                append_owner_only(&log, report.as_bytes()).is_ok(),
                Ordering::Relaxed,
            );
        }));
        PanicReport { path, written }
    }

    /// Where the report went, for the user: the file, or that it could not
    /// be written there.
    pub fn whereabouts(&self) -> String {
        if self.written.load(Ordering::Relaxed) {
            format!(
                "please send us the report written to {}",
                self.path.display()
            )
        } else {
            format!("its report could not be written to {}", self.path.display())
        }
    }
}

fn append_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::files::open_private_log(path)?.write_all(bytes)
}

/// For the tests only: `SHOPDESK_TEST_PANIC_KEY` names a key that makes the
/// app panic, to prove that a bug loses no sale. In debug builds only (the
/// ones `cargo test` runs): a release build has no such switch at all, not
/// even the variable's name.
#[cfg(debug_assertions)]
pub fn test_panic_key() -> Option<char> {
    std::env::var("SHOPDESK_TEST_PANIC_KEY")
        .ok()
        .and_then(|key| key.chars().next())
}

/// A release build: no test switch.
#[cfg(not(debug_assertions))]
pub fn test_panic_key() -> Option<char> {
    None
}
