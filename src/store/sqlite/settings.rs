//! The shop's settings.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, SqliteStore, Writes, commit};
use crate::domain::settings::{Setting, Settings};

/// Where the upgrade to v4 keeps a print command it removed from the
/// database, until it has been shown once.
pub(super) const REMOVED_RECEIPT_COMMAND: &str = "removed_receipt_command";

impl SqliteStore {
    /// The settings in force: what was set, defaults for the rest.
    pub(super) fn settings(&self) -> Result<Settings> {
        read_settings(&self.conn)
    }

    /// Changes a setting; `value` must be checked with
    /// [`Setting::parse_value`] first.
    pub(super) fn set_setting(&mut self, setting: Setting, value: &str) -> Result<Settings> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![setting.key(), value],
        )?;
        commit(tx)?;
        self.settings()
    }

    /// The print command an upgrade removed from this database, if it has
    /// not been shown yet; it is forgotten as it is returned, so that it is
    /// shown once. A database that cannot be written keeps it (and so shows
    /// it again) until a counter that can write it has shown it.
    pub(super) fn take_removed_receipt_command(&mut self) -> Result<Option<String>> {
        let removed: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [REMOVED_RECEIPT_COMMAND],
                |row| row.get(0),
            )
            .optional()?;
        if removed.is_none() || self.writes.get() != Writes::Allowed {
            return Ok(removed);
        }
        let tx = self.write()?;
        // Two counters may start together: only the one that forgets it
        // shows it.
        let forgotten = tx.execute(
            "DELETE FROM settings WHERE key = ?1",
            [REMOVED_RECEIPT_COMMAND],
        )?;
        commit(tx)?;
        Ok(removed.filter(|_| forgotten > 0))
    }
}

/// The settings in force on `conn` (inside a write transaction too, so a
/// sale's messages name the currency it is placed in).
pub(super) fn read_settings(conn: &Connection) -> Result<Settings> {
    let mut statement = conn.prepare_cached("SELECT key, value FROM settings")?;
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
    Ok(Settings::from_stored(rows))
}
