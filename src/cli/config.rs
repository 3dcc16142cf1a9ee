//! `shopdesk config …`: this counter's own configuration file.

use std::path::Path;

use anyhow::Result;
use clap::Subcommand;
use serde::Serialize;

use super::field;
use super::output::Output;
use crate::config;
use crate::display::safe_text;
use crate::domain::config::{Config, ConfigKey};

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Set a key: receipt_command or counter_name
    Set {
        key: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
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
    // Read, changed and written under one lock, so that two changes at
    // once both land.
    let _lock = match action {
        Some(_) => Some(config::lock_for_change(path)?),
        None => None,
    };
    let mut config = config::load(path)?;
    if let Some(action) = action {
        match action {
            ConfigAction::Set { key, value } => {
                let key = field("KEY", ConfigKey::parse(&key))?;
                field("VALUE", config.set(key, &value))?;
            }
            ConfigAction::Unset { key } => config.unset(field("KEY", ConfigKey::parse(&key))?),
        }
        config::save(path, &config)?;
    }
    show(out, path, &config)
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
        ConfigKey::ReceiptCommand => None,
    }
}

/// What an unset key without a default value means.
fn default_description(key: ConfigKey) -> &'static str {
    match key {
        ConfigKey::ReceiptCommand => {
            "(none: receipts are written to receipts/ beside the database)"
        }
        ConfigKey::CounterName => "(none: this machine has no usable name)",
    }
}
