//! Creating shopdesk's tables in an empty server database, and (later)
//! upgrading them. SKELETON: creation only; the refusals, the named lock
//! and the steps come with this part's work.

use mysql::Conn;
use mysql::prelude::Queryable;

use super::{MysqlStore, ServerUrl};
use crate::store::Result;

/// The schema of a new database: `schema.mysql.sql`, embedded.
const SCHEMA: &str = include_str!("../../../schema.mysql.sql");

/// Creates shopdesk's tables in an empty database.
pub(super) fn upgrade(conn: &mut Conn, _url: &ServerUrl) -> Result<()> {
    let tables: Option<i64> = conn.query_first(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()",
    )?;
    if tables == Some(0) {
        super::run_script(conn, SCHEMA)?;
    }
    Ok(())
}

impl MysqlStore {
    /// The schema version in the marker.
    pub(super) fn schema_version(&self) -> Result<i64> {
        let version: Option<i64> = self
            .conn()?
            .query_first("SELECT schema_version FROM shopdesk_meta")?;
        Ok(version.unwrap_or(0))
    }
}
