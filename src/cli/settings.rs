//! `shopdesk settings …`

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::field;
use super::output::Output;
use crate::config::removed_receipt_command_notice;
use crate::display::safe_text;
use crate::domain::settings::{Setting, Settings};
use crate::store::Shop;

#[derive(Debug, Args)]
pub struct SettingsArgs {
    #[command(subcommand)]
    action: Option<SettingsAction>,
}

#[derive(Debug, Subcommand)]
enum SettingsAction {
    /// Change a setting: shop_name or currency_symbol
    Set {
        key: String,
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
}

#[derive(Serialize)]
struct SettingRecord<'a> {
    key: &'a str,
    value: &'a str,
}

pub fn run(args: SettingsArgs, store: &mut dyn Shop, out: &mut Output) -> Result<()> {
    tell_of_removed_receipt_command(store)?;
    let settings = match args.action {
        None => store.settings()?,
        Some(SettingsAction::Set { key, value }) => {
            let setting = field("KEY", Setting::parse_key(&key))?;
            let value = field(setting.key(), setting.parse_value(&value))?;
            store.set_setting(setting, &value)?
        }
    };
    show(out, &settings)
}

fn show(out: &mut Output, settings: &Settings) -> Result<()> {
    for setting in Setting::ALL {
        let value = settings.get(setting);
        out.record(
            &SettingRecord {
                key: setting.key(),
                value,
            },
            |record| {
                let shown = safe_text(record.value).into_owned();
                let shown = match settings.set_aside_for(setting) {
                    Some(aside) => format!(
                        "{shown} (the stored value is not used: {}; set another)",
                        aside.problem
                    ),
                    None => shown,
                };
                format!("{:<16} {shown}", record.key)
            },
        )?;
    }
    Ok(())
}

/// Says once, on standard error (standard output stays the records), what
/// print command the upgrade removed from this database and how to set it
/// for this counter.
fn tell_of_removed_receipt_command(store: &mut dyn Shop) -> Result<()> {
    if let Some(removed) = store.take_removed_receipt_command()? {
        writeln!(
            std::io::stderr(),
            "{}",
            removed_receipt_command_notice(&removed)
        )?;
    }
    Ok(())
}
