//! Writing many rows in one transaction (the demo shop, a copy of a
//! whole shop): what costs most kept up to date a row at a time is set
//! aside inside the load's transaction and made once from all the rows at
//! its end.
//!
//! FTS5 flushes its index at every statement of a transaction that has
//! touched it, which makes row-by-row inserts through the search triggers
//! crawl; and keeping the orders' indexes up to date a row at a time costs
//! more than building them once from sorted rows. DDL is transactional, so
//! a load that fails or is dropped leaves the schema as it was.

use rusqlite::Connection;

use super::customers::CUSTOMER_SEARCH;
use super::products::PRODUCT_SEARCH;
use super::search::SearchTable;
use super::{Result, quote_name};

/// The searched tables: their full-text indexes are kept by triggers.
pub(super) const SEARCH_TABLES: [&SearchTable; 2] = [&CUSTOMER_SEARCH, &PRODUCT_SEARCH];

/// Rows sampled per index by the final ANALYZE: enough for the planner,
/// seconds instead of minutes at a million orders.
const ANALYSIS_LIMIT: i64 = 1000;

/// The `CREATE` statements of the triggers and indexes dropped for a bulk
/// load, to be made again at its end.
pub(super) struct SetAside(Vec<String>);

impl SetAside {
    /// Drops the orders' indexes and the search triggers, on `conn`
    /// inside the load's transaction.
    pub(super) fn for_bulk_load(conn: &Connection) -> Result<SetAside> {
        let mut set_aside = SetAside(Vec::new());
        let indexes: Vec<(String, String)> = conn
            .prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        set_aside.drop_for_now(conn, "INDEX", indexes)?;
        for table in SEARCH_TABLES {
            let prefix = format!("{}_", table.trigrams);
            let triggers: Vec<(String, String)> = conn
                .prepare(
                    "SELECT name, sql FROM sqlite_schema
                     WHERE type = 'trigger' AND substr(name, 1, length(?1)) = ?1",
                )?
                .query_map([&prefix], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            set_aside.drop_for_now(conn, "TRIGGER", triggers)?;
        }
        Ok(set_aside)
    }

    /// Drops each schema object of `kind` (`INDEX`, `TRIGGER`) in
    /// `objects` (its name and its `CREATE` statement), keeping the
    /// statement to make it again.
    fn drop_for_now(
        &mut self,
        conn: &Connection,
        kind: &'static str,
        objects: Vec<(String, String)>,
    ) -> Result<()> {
        for (name, sql) in objects {
            conn.execute_batch(&format!("DROP {kind} {}", quote_name(&name)))?;
            self.0.push(sql);
        }
        Ok(())
    }

    /// Builds the full-text indexes from every row, makes again what was
    /// set aside, and refreshes the query planner's statistics; the
    /// caller commits.
    pub(super) fn make_again(self, conn: &Connection) -> Result<()> {
        for table in SEARCH_TABLES {
            let index = table.trigrams;
            conn.execute_batch(&format!("INSERT INTO {index} ({index}) VALUES ('rebuild')"))?;
        }
        for sql in &self.0 {
            conn.execute_batch(sql)?;
        }
        conn.pragma_update(None, "analysis_limit", ANALYSIS_LIMIT)?;
        conn.execute_batch("ANALYZE")?;
        Ok(())
    }
}
