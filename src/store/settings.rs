//! The shop's settings.

use rusqlite::params;

use super::{Result, Store, commit};
use crate::domain::settings::{Setting, Settings};

impl Store {
    /// The settings in force: what was set, defaults for the rest.
    pub fn settings(&self) -> Result<Settings> {
        let mut settings = Settings::default();
        let mut statement = self
            .conn
            .prepare_cached("SELECT key, value FROM settings")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (key, value) = row?;
            // A key from a newer shopdesk is kept in the table but unused here.
            if let Ok(setting) = Setting::parse_key(&key) {
                settings.load(setting, value);
            }
        }
        Ok(settings)
    }

    /// Changes a setting; `value` must be checked with
    /// [`Setting::parse_value`] first.
    pub fn set_setting(&mut self, setting: Setting, value: &str) -> Result<Settings> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![setting.key(), value],
        )?;
        commit(tx)?;
        self.settings()
    }
}
