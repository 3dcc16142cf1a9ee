//! The shop's settings on the server.

use mysql::prelude::Queryable;

use super::{MysqlStore, all, write};
use crate::domain::settings::{Setting, Settings};
use crate::store::Result;

impl MysqlStore {
    /// The settings in force: what was set, defaults for the rest.
    pub(super) fn settings(&self) -> Result<Settings> {
        read_settings(&mut *self.conn()?)
    }

    /// Changes a setting; `value` must be checked with
    /// [`Setting::parse_value`] first.
    pub(super) fn set_setting(&mut self, setting: Setting, value: &str) -> Result<Settings> {
        {
            let mut conn = self.conn()?;
            let mut tx = write(&mut conn)?;
            tx.exec_drop(
                "INSERT INTO settings (`key`, value) VALUES (?, ?)
                 ON DUPLICATE KEY UPDATE value = VALUES(value)",
                (setting.key(), value),
            )?;
            tx.commit()?;
        }
        self.settings()
    }

    /// A server database never had a print command in it (v4 moved it out
    /// of SQLite files, before there were server databases).
    pub(super) fn take_removed_receipt_command(&mut self) -> Result<Option<String>> {
        Ok(None)
    }
}

/// The settings in force on `conn` (inside a write transaction too, so a
/// sale's messages name the currency it is placed in).
pub(super) fn read_settings(conn: &mut impl Queryable) -> Result<Settings> {
    let rows: Vec<(String, String)> = all(conn, "SELECT `key`, value FROM settings", ())?;
    Ok(Settings::from_stored(rows))
}
