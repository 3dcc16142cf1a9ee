//! `shopdesk config …`: this counter's own configuration file.

use std::io::{BufRead, IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde::Serialize;

use super::field;
use super::output::Output;
use crate::config;
use crate::display::safe_text;
use crate::domain::config::{Config, ConfigKey};

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Set a key: receipt_command, counter_name or db_password (which is
    /// asked for, or read from standard input: never given here)
    Set {
        key: String,
        #[arg(allow_hyphen_values = true)]
        value: Option<String>,
    },
    /// Remove a key, so that its default applies
    Unset { key: String },
}

/// One key as `config` shows it; `value` is `None` when nothing applies.
#[derive(Serialize)]
struct ConfigRecord<'a> {
    key: &'a str,
    value: Option<String>,
    /// Whether the value is the default (the key is not in the file).
    default: bool,
}

/// Shows every key, or changes one and then shows every key.
pub fn run(action: Option<ConfigAction>, path: &Path, out: &mut Output) -> Result<()> {
    // The value is known before the lock is taken: a password is typed
    // while another change may go on.
    let change = match action {
        Some(ConfigAction::Set { key, value }) => {
            let key = field("KEY", ConfigKey::parse(&key))?;
            Some((key, Some(value_to_set(key, value)?)))
        }
        Some(ConfigAction::Unset { key }) => Some((field("KEY", ConfigKey::parse(&key))?, None)),
        None => None,
    };
    // Read, changed and written under one lock, so that two changes at
    // once both land.
    let _lock = match change {
        Some(_) => Some(config::lock_for_change(path)?),
        None => None,
    };
    let mut config = config::load(path)?;
    if let Some((key, value)) = change {
        match value {
            Some(value) => field("VALUE", config.set(key, &value))?,
            None => config.unset(key),
        }
        config::save(path, &config)?;
    }
    show(out, path, &config)
}

/// The value `config set KEY [VALUE]` sets: a secret is never taken from
/// the command line (`ps` and the shell's history would show it) but read
/// from standard input, asked for without being shown on a terminal;
/// every other key's value is the one given.
fn value_to_set(key: ConfigKey, value: Option<String>) -> Result<String> {
    let name = key.key();
    match (key.is_secret(), value) {
        (true, Some(_)) => bail!(
            "{name} is never given on the command line, where ps and your shell's history would \
             show it: run shopdesk config set {name} and type it when asked, or give it on \
             standard input"
        ),
        (true, None) => read_secret(name),
        (false, Some(value)) => Ok(value),
        (false, None) => bail!("give the value: shopdesk config set {name} VALUE"),
    }
}

/// The longest line read for a secret: more than any password the
/// configuration keeps (which says how long one may be).
const MAX_SECRET_BYTES: u64 = 4096;

/// One line of standard input, without its line break; on a terminal
/// asked for, and not shown as it is typed.
fn read_secret(name: &str) -> Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return read_line(&mut stdin.lock());
    }
    let typed = {
        // Hidden before asking: what is typed as soon as it is asked for
        // is not shown either.
        let _hidden = terminal::Hidden::typing()?;
        eprint!("{name} (not shown as you type): ");
        read_line(&mut stdin.lock())
    };
    eprintln!();
    let typed = typed?;
    // Ctrl-C reaches here as a character while typing is hidden.
    if typed.contains('\u{3}') {
        bail!("canceled: {name} was not changed");
    }
    Ok(typed)
}

fn read_line(input: &mut impl BufRead) -> Result<String> {
    let mut line = Vec::new();
    input
        .take(MAX_SECRET_BYTES)
        .read_until(b'\n', &mut line)
        .context("cannot read standard input")?;
    if line.ends_with(b"\n") {
        line.pop();
        if line.ends_with(b"\r") {
            line.pop();
        }
    }
    String::from_utf8(line).context("what was typed is not UTF-8 text")
}

/// Typing not shown on the terminal, while this lives.
#[cfg(unix)]
mod terminal {
    use std::os::fd::AsRawFd;

    pub struct Hidden {
        before: libc::termios,
    }

    impl Hidden {
        /// Stops the terminal on standard input from showing what is
        /// typed, and from turning Ctrl-C into a signal (which would end
        /// the process with the terminal left silent).
        pub fn typing() -> std::io::Result<Hidden> {
            let fd = std::io::stdin().as_raw_fd();
            // SAFETY: an all-zero termios is a valid value to be filled.
            let mut before: libc::termios = unsafe { std::mem::zeroed() };
            // SAFETY: tcgetattr fills `before`, which lives for the call.
            if unsafe { libc::tcgetattr(fd, &mut before) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let mut hidden = before;
            hidden.c_lflag &= !(libc::ECHO | libc::ISIG);
            // SAFETY: tcsetattr reads `hidden`, which lives for the call.
            if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &hidden) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(Hidden { before })
        }
    }

    impl Drop for Hidden {
        fn drop(&mut self) {
            // SAFETY: tcsetattr reads `before`, which lives for the call.
            unsafe { libc::tcsetattr(std::io::stdin().as_raw_fd(), libc::TCSANOW, &self.before) };
        }
    }
}

/// Where a terminal cannot be told to hide typing, it is shown.
#[cfg(not(unix))]
mod terminal {
    pub struct Hidden;

    impl Hidden {
        pub fn typing() -> std::io::Result<Hidden> {
            Ok(Hidden)
        }
    }
}

fn show(out: &mut Output, path: &Path, config: &Config) -> Result<()> {
    out.line(format_args!("# {}", safe_text(&path.display().to_string())))?;
    for key in ConfigKey::ALL {
        let record = record_of(key, config);
        out.record(&record, |record| {
            let shown = match (&record.value, record.default) {
                (Some(value), false) => safe_text(value).into_owned(),
                (Some(value), true) => {
                    format!("{} (default: this machine's name)", safe_text(value))
                }
                (None, _) => default_description(key).to_string(),
            };
            format!("{:<16} {shown}", record.key)
        })?;
    }
    Ok(())
}

/// A key's record: a secret is only ever shown as `(set)`.
fn record_of(key: ConfigKey, config: &Config) -> ConfigRecord<'static> {
    let (value, default) = match config.get(key) {
        Some(_) if key.is_secret() => (Some("(set)".to_string()), false),
        Some(value) => (Some(value.to_string()), false),
        None => (default_value(key), true),
    };
    ConfigRecord {
        key: key.key(),
        value,
        default,
    }
}

fn default_value(key: ConfigKey) -> Option<String> {
    match key {
        ConfigKey::CounterName => config::host_name(),
        ConfigKey::ReceiptCommand | ConfigKey::DbPassword => None,
    }
}

/// What an unset key without a default value means.
fn default_description(key: ConfigKey) -> &'static str {
    match key {
        ConfigKey::ReceiptCommand => {
            "(none: receipts are written to receipts/ beside the database, or in the data folder)"
        }
        ConfigKey::CounterName => "(none: this machine has no usable name)",
        ConfigKey::DbPassword => "(none: a server's password from SHOPDESK_DB_PASSWORD, if any)",
    }
}
