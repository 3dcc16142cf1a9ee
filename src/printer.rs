//! Printing receipts: the counter's print command (from its configuration
//! file, never from the shop's database) gets the receipt on its standard
//! input, or, with no command set, the receipt is written to a file. No
//! customer or product text is ever put on a command line.
//!
//! The command runs with a minimal environment and for a bounded time: a
//! stuck printer is stopped, with everything the command started.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread;
use std::time::{Duration, Instant};

use crate::domain::text::excerpt;
use crate::files;

/// How long a print command may take before it is stopped.
pub const PRINT_TIME_LIMIT: Duration = Duration::from_secs(30);

/// The only variables the print command sees: enough to find `lp` and the
/// printer, nothing of the shop's own (its database, its secrets).
pub const PASSED_ON_ENVIRONMENT: [&str; 5] = ["PATH", "HOME", "LANG", "PRINTER", "LPDEST"];

/// How often a running command is looked at, until it ends or its time is up.
const POLL: Duration = Duration::from_millis(10);

/// The most of the command's error output kept for the message.
const KEPT_ERROR_BYTES: u64 = 4096;

/// The longest part of the command's error output quoted, in characters.
const QUOTED_ERROR_CHARS: usize = 160;

/// The process groups of the print commands running now, so that an app
/// that closes can stop them: no print command outlives shopdesk.
static RUNNING: Mutex<RunningPrints> = Mutex::new(RunningPrints {
    groups: Vec::new(),
    stopped: false,
});

struct RunningPrints {
    groups: Vec<u32>,
    /// Set by [`stop_running_prints`]: no print command starts after it.
    stopped: bool,
}

/// What became of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    ByCommand,
    ToFile(PathBuf),
}

/// Prints `text`, the receipt of order `order_id`: through `command` (run
/// by `sh -c`) when there is one, else into `ORDER-<id>.txt` in the
/// folder `receipts` (made owner-only when missing).
pub fn print_receipt(
    text: &str,
    command: Option<&str>,
    receipts: &Path,
    order_id: i64,
) -> Result<Printed, String> {
    match command {
        Some(command) => {
            run_print_command(command, text, PRINT_TIME_LIMIT)?;
            Ok(Printed::ByCommand)
        }
        None => write_receipt_file(text, receipts, order_id).map(Printed::ToFile),
    }
}

fn write_receipt_file(text: &str, receipts: &Path, order_id: i64) -> Result<PathBuf, String> {
    files::create_own_folder(receipts)
        .map_err(|e| format!("cannot create {}: {e}", receipts.display()))?;
    let path = receipts.join(format!("ORDER-{order_id}.txt"));
    // A reprint replaces the earlier file whole.
    files::write_replacing(&path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Runs `command` by `sh -c` with `input` on its standard input, in a
/// process group of its own and with only [`PASSED_ON_ENVIRONMENT`]. When
/// it has not finished within `limit`, the whole group (the shell and
/// whatever it started) is killed and the print is reported as failed.
pub fn run_print_command(command: &str, input: &str, limit: Duration) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    let (mut child, _running) = Running::spawn(command)?;
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_owned();
        // On a thread of its own: a command that does not read would
        // otherwise block this write for ever on a full pipe. One that
        // exits without reading is reported by its status.
        thread::spawn(move || {
            let _ = stdin.write_all(input.as_bytes());
        });
    }
    let said = child.stderr.take().map(read_in_background);
    let status = match wait_until(&mut child, deadline) {
        Some(status) => status,
        None => {
            kill_group(&mut child);
            return Err(format!(
                "the print command did not finish within {} seconds and was stopped",
                limit.as_secs_f64()
            ));
        }
    };
    // Something the command left running in the background may still hold
    // its error output open: it gets no longer than the time left.
    let said = said.and_then(|said| {
        let left = deadline.saturating_duration_since(Instant::now());
        match said.recv_timeout(left) {
            Ok(text) => Some(text),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                signal_group(&child);
                None
            }
        }
    });
    if status.success() {
        Ok(())
    } else {
        Err(failure_message(status, said.as_deref().unwrap_or("")))
    }
}

/// Stops every print command still running, with all it started: for an
/// app that is closing while a printer hangs.
pub fn stop_running_prints() {
    let mut running = running();
    running.stopped = true;
    for group in &running.groups {
        signal_group_id(*group);
    }
}

fn running() -> std::sync::MutexGuard<'static, RunningPrints> {
    // A panic elsewhere while the list was held leaves it usable.
    RUNNING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A print command in [`RUNNING`], for as long as this lives.
struct Running(u32);

impl Running {
    /// Starts `command` and lists it, in one step under the list's lock:
    /// an app closing at that moment stops it too, or it never starts.
    fn spawn(command: &str) -> Result<(Child, Running), String> {
        let mut running = running();
        if running.stopped {
            return Err("shopdesk is closing".to_string());
        }
        let child = spawn_in_own_group(command)
            .map_err(|e| format!("cannot run the print command: {e}"))?;
        running.groups.push(child.id());
        let id = child.id();
        Ok((child, Running(id)))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        running().groups.retain(|group| *group != self.0);
    }
}

fn spawn_in_own_group(command: &str) -> std::io::Result<Child> {
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(command)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for name in PASSED_ON_ENVIRONMENT {
        if let Some(value) = std::env::var_os(name) {
            shell.env(name, value);
        }
    }
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut shell, 0);
    shell.spawn()
}

/// Reads up to [`KEPT_ERROR_BYTES`] of `pipe` on a thread, then drains the
/// rest (so the command never blocks on a full pipe); the text kept comes
/// on the channel once the pipe closes.
fn read_in_background(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (sender, receiver) = channel();
    thread::spawn(move || {
        let mut pipe = pipe;
        let mut kept = Vec::new();
        let _ = (&mut pipe).take(KEPT_ERROR_BYTES).read_to_end(&mut kept);
        let _ = std::io::copy(&mut pipe, &mut std::io::sink());
        let _ = sender.send(String::from_utf8_lossy(&kept).into_owned());
    });
    receiver
}

/// The child's exit status, or `None` if it is still running at `deadline`.
fn wait_until(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(POLL),
            // Still running at the deadline, or it cannot be waited for.
            _ => return None,
        }
    }
}

/// Kills the command's whole process group and reaps the shell.
fn kill_group(child: &mut Child) {
    // The shell is not reaped yet, so its id still names its group and
    // cannot name anybody else's.
    signal_group(child);
    let _ = child.kill();
    let _ = child.wait();
}

/// Kills every process in the command's group. Once the shell is reaped,
/// its id stays reserved while anything of its group is left, which is
/// exactly when this is needed.
fn signal_group(child: &Child) {
    signal_group_id(child.id());
}

#[cfg(unix)]
fn signal_group_id(id: u32) {
    if let Ok(group) = libc::pid_t::try_from(id) {
        // SAFETY: kill only sends a signal; a negative id names the group
        // the command was started in (`process_group(0)`).
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
}

#[cfg(not(unix))]
fn signal_group_id(_id: u32) {}

/// "the print command failed (exit status: 1): lp: no such printer", with
/// the first line of what it said, shortened like any quote (ending with
/// `…` where it is cut).
fn failure_message(status: ExitStatus, said: &str) -> String {
    let first = said.lines().map(str::trim).find(|line| !line.is_empty());
    match first {
        Some(line) => format!(
            "the print command failed ({status}): {}",
            excerpt(line, QUOTED_ERROR_CHARS)
        ),
        None => format!("the print command failed ({status})"),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn a_long_complaint_is_cut_visibly_and_made_safe() {
        let failed = ExitStatus::from_raw(1 << 8);
        let said = format!("\n  lp: \u{1b}[2J{}\nsecond line", "x".repeat(500));
        let message = failure_message(failed, &said);
        let quoted = message.split_once("): ").unwrap().1;
        assert_eq!(quoted.chars().count(), QUOTED_ERROR_CHARS);
        assert!(quoted.starts_with("lp: ␛[2Jxx"), "{quoted}");
        assert!(quoted.ends_with('…'), "{quoted}");
        assert_eq!(
            failure_message(failed, "lp: no such printer\n"),
            "the print command failed (exit status: 1): lp: no such printer"
        );
    }
}
