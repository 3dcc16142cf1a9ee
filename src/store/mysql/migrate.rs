//! Creating shopdesk's tables in an empty server database and bringing an
//! older one up to date, the way SQLite's `migrate.rs` does with what a
//! server allows.
//!
//! The mark is the one-row table `shopdesk_meta (application,
//! schema_version)`. MariaDB commits each DDL statement by itself, so no
//! creation or upgrade is one transaction; instead:
//! - each runs under a named lock (`GET_LOCK`), which another process
//!   opening the same database waits for, boundedly, and then decides
//!   again: one of them does the work, the others find it done;
//! - every check that can refuse runs first, before any DDL, so that a
//!   database shopdesk must not touch is left exactly as it was;
//! - each step can be interrupted (a kill, a lost connection) between any
//!   two statements and is taken up again by the next open: creation
//!   writes the mark first, at version [`CREATING`], and its statements
//!   may all run again (`CREATE TABLE IF NOT EXISTS` …); an upgrade step
//!   records its version when it is done, and runs again whole if it was
//!   not.

use mysql::Conn;
use mysql::prelude::Queryable;

use super::{MysqlStore, ServerUrl};
use crate::domain::ErrorClass;
use crate::store::{Error, Result};

/// The schema of a new database, always at [`LATEST_VERSION`]:
/// `schema.mysql.sql`, embedded. Its first statements write the mark at
/// [`CREATING`]; every statement may run again.
const SCHEMA: &str = include_str!("../../../schema.mysql.sql");

/// The mark's version while a creation has not finished: no shopdesk
/// version is 0.
const CREATING: i64 = 0;

/// The version of the first shopdesk that kept a shop on a server: no
/// server database is older, and [`STEPS`] start from it.
const FIRST_VERSION: i64 = 6;

/// The table that marks a database as shopdesk's.
const MARK_TABLE: &str = "shopdesk_meta";

/// The named lock creations and upgrades of one database run under: one
/// per database on the server, its name kept under the 64 characters a
/// lock name may have whatever the database's name.
const SCHEMA_LOCK: &str = "CONCAT('shopdesk.schema.', SHA1(DATABASE()))";

/// How long an open waits for another process creating or upgrading the
/// same database before it says so: a creation takes a second, an
/// upgrade of a large shop may take a while.
const SCHEMA_LOCK_WAIT_SECONDS: u32 = 60;

/// One upgrade step of a server database: brings it from the version
/// before it to the next. `STEPS[i]` upgrades version `FIRST_VERSION + i`.
/// A change to `schema.mysql.sql` adds one here (and its twin in SQLite's
/// `migrate.rs`).
pub struct Step {
    /// The tables the step makes, shopdesk's from then on: without them
    /// here, a database it upgraded (or stopped in the middle of) would be
    /// taken for one holding another program's tables.
    pub new_tables: &'static [&'static str],
    /// Runs the step. Each statement commits by itself, and a step that
    /// was interrupted runs again whole on the next open: so each
    /// statement must be harmless the second time (`IF NOT EXISTS`, an
    /// `UPDATE` that sets rather than adds).
    pub run: fn(&mut Conn) -> mysql::Result<()>,
}

/// Every upgrade step, oldest first.
const STEPS: &[Step] = &[Step {
    new_tables: &[],
    run: to_v7_parked_sale_ids,
}];

/// v7: a parked sale keeps its sale id (see `parked_sales.sale_id` in
/// schema.sql). One statement, which commits whole or not at all and is
/// harmless the second time (`IF NOT EXISTS`); the column is last, as
/// schema.mysql.sql has it. Sales parked before it keep none.
fn to_v7_parked_sale_ids(conn: &mut Conn) -> mysql::Result<()> {
    conn.query_drop(
        "ALTER TABLE parked_sales
         ADD COLUMN IF NOT EXISTS sale_id VARCHAR(64) NULL,
         ADD CONSTRAINT IF NOT EXISTS parked_sales_sale_id
             CHECK (sale_id IS NULL OR (CHAR_LENGTH(sale_id) BETWEEN 1 AND 64
                 AND sale_id NOT REGEXP '[^A-Za-z0-9._-]'))",
    )
}

/// The schema version this shopdesk writes on a server.
pub const LATEST_VERSION: i64 = FIRST_VERSION + STEPS.len() as i64;

/// The steps a database is brought up to date with, and so the version
/// it is brought to: shopdesk's own, then (for a test) steps of a
/// made-up later version.
#[derive(Clone, Copy)]
pub(super) struct Upgrades {
    later: &'static [Step],
}

impl Upgrades {
    pub(super) const SHOPDESK: Upgrades = Upgrades::then(&[]);

    /// Shopdesk's own steps, then `later`.
    pub(super) const fn then(later: &'static [Step]) -> Upgrades {
        Upgrades { later }
    }

    /// Every step, oldest first: `steps()[i]` upgrades version
    /// `FIRST_VERSION + i`.
    fn steps(self) -> impl Iterator<Item = &'static Step> {
        STEPS.iter().chain(self.later)
    }

    fn latest(self) -> i64 {
        LATEST_VERSION + self.later.len() as i64
    }

    /// Every table shopdesk makes, at any version.
    fn knows_table(self, table: &str) -> bool {
        tables_made_by(SCHEMA).any(|known| known == table)
            || self.steps().any(|step| step.new_tables.contains(&table))
    }
}

/// What a server database holds, once it is known to be shopdesk's to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Identity {
    /// No tables at all.
    Empty,
    /// A creation began and did not finish (it is taken up again).
    Creating,
    Shopdesk {
        version: i64,
    },
}

/// Creates the schema in an empty database or brings it up to date, or
/// refuses (before any change) a database shopdesk must not touch.
pub(super) fn upgrade(conn: &mut Conn, url: &ServerUrl, upgrades: Upgrades) -> Result<()> {
    let latest = upgrades.latest();
    if identify(conn, url, upgrades)? == (Identity::Shopdesk { version: latest }) {
        return Ok(());
    }
    take_schema_lock(conn, url)?;
    // Decided again under the lock: another process may have done it
    // while this one waited.
    let done = match identify(conn, url, upgrades) {
        Ok(Identity::Empty | Identity::Creating) => create(conn, latest),
        Ok(Identity::Shopdesk { version }) => run_steps(conn, url, upgrades, version),
        Err(refused) => Err(refused),
    };
    // Closing the connection would let it go too: a failure here changes
    // nothing of what was done.
    let _ = conn.query_drop(format!("DO RELEASE_LOCK({SCHEMA_LOCK})"));
    done
}

/// The database as it is, for reading alone: refuses what [`upgrade`]
/// refuses, and a database with no shop in it yet.
pub(super) fn identify_shop(conn: &mut Conn, url: &ServerUrl) -> Result<()> {
    match identify(conn, url, Upgrades::SHOPDESK)? {
        Identity::Empty | Identity::Creating => Err(Error::NoShopYet {
            database: url.to_string(),
        }),
        Identity::Shopdesk { .. } => Ok(()),
    }
}

/// Reads (never writes) what the database holds, refusing a newer
/// shopdesk's, one holding any table shopdesk does not make, shopdesk's
/// tables without their mark, and a mark at a version no shopdesk makes.
fn identify(conn: &mut Conn, url: &ServerUrl, upgrades: Upgrades) -> Result<Identity> {
    let tables: Vec<String> = conn.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() \
         ORDER BY table_name",
    )?;
    if tables.is_empty() {
        return Ok(Identity::Empty);
    }
    let database = url.to_string();
    let mark: Vec<(String, i64)> = match tables.iter().any(|table| table == MARK_TABLE) {
        true => conn.query("SELECT application, schema_version FROM shopdesk_meta")?,
        false => Vec::new(),
    };
    let version = match mark.as_slice() {
        [(application, version)] if application == "shopdesk" => Some(*version),
        _ => None,
    };
    // A newer shopdesk may have made tables this one does not know.
    if let Some(found) = version.filter(|version| *version > upgrades.latest()) {
        return Err(Error::DatabaseTooNew {
            database,
            found,
            supported: upgrades.latest(),
        });
    }
    let foreign: Vec<&str> = tables
        .iter()
        .map(String::as_str)
        .filter(|table| !upgrades.knows_table(table))
        .collect();
    if !foreign.is_empty() {
        return Err(Error::ForeignTables {
            database,
            tables: listed(&foreign),
        });
    }
    match version {
        Some(CREATING) => Ok(Identity::Creating),
        Some(version) if version >= FIRST_VERSION => Ok(Identity::Shopdesk { version }),
        Some(found) => Err(Error::UnknownVersion { database, found }),
        // Creation stopped right after making the mark's table.
        None if mark.is_empty() && tables == [MARK_TABLE] => Ok(Identity::Creating),
        None => Err(Error::Unmarked { database }),
    }
}

/// The most tables a refusal names.
const MAX_NAMED_TABLES: usize = 3;

/// `tables` as a refusal names them: the first few, and how many more.
fn listed(tables: &[&str]) -> String {
    let named = tables[..tables.len().min(MAX_NAMED_TABLES)].join(", ");
    match tables.len().saturating_sub(MAX_NAMED_TABLES) {
        0 => named,
        more => format!("{named} and {more} more"),
    }
}

/// Waits for the schema lock of this database, at most
/// [`SCHEMA_LOCK_WAIT_SECONDS`].
fn take_schema_lock(conn: &mut Conn, url: &ServerUrl) -> Result<()> {
    let taken: Option<Option<i64>> = conn.exec_first(
        format!("SELECT GET_LOCK({SCHEMA_LOCK}, ?)"),
        (SCHEMA_LOCK_WAIT_SECONDS,),
    )?;
    lock_taken(taken.flatten(), url)
}

/// What `GET_LOCK` answered: 1 taken, 0 not within the wait, NULL an
/// error (the wait was killed).
fn lock_taken(answer: Option<i64>, url: &ServerUrl) -> Result<()> {
    match answer {
        Some(1) => Ok(()),
        Some(_) => Err(Error::Upgrading {
            database: url.to_string(),
        }),
        None => Err(Error::Failed {
            class: ErrorClass::Unavailable,
            reason: "the server stopped the wait for the schema lock".to_string(),
        }),
    }
}

/// Runs the whole schema (the mark first, at [`CREATING`]; each
/// statement harmless if it already ran), then sets the mark's version.
fn create(conn: &mut Conn, latest: i64) -> Result<()> {
    super::run_script(conn, SCHEMA)?;
    conn.exec_drop(
        "UPDATE shopdesk_meta SET schema_version = ? WHERE schema_version = ?",
        (latest, CREATING),
    )?;
    Ok(())
}

/// Runs the steps from `version` on, recording each version reached.
fn run_steps(conn: &mut Conn, url: &ServerUrl, upgrades: Upgrades, version: i64) -> Result<()> {
    let first = usize::try_from(version - FIRST_VERSION).unwrap_or(0);
    for (reached, step) in (version + 1..).zip(upgrades.steps().skip(first)) {
        (step.run)(conn)
            .and_then(|()| {
                conn.exec_drop("UPDATE shopdesk_meta SET schema_version = ?", (reached,))
            })
            .map_err(|error| step_failed(url, reached, Error::from(error)))?;
    }
    Ok(())
}

/// Why an upgrade step stopped: an unreachable server, a busy one, damage
/// or a missing grant keep their own message (try again; restore; ask for
/// the grant), anything else is the step refused. Either way what the
/// earlier steps did is kept, and the next open goes on from there.
fn step_failed(url: &ServerUrl, to_version: i64, error: Error) -> Error {
    match (error.class(), &error) {
        (ErrorClass::Unavailable | ErrorClass::Damaged, _) | (_, Error::NotPermitted { .. }) => {
            error
        }
        _ => Error::UpgradeUnfinished {
            database: url.to_string(),
            to_version,
            reason: error.to_string(),
        },
    }
}

/// The statements a creation runs, in order.
#[cfg(feature = "testing")]
pub(super) fn creation_statements() -> impl Iterator<Item = &'static str> {
    super::statements_of(SCHEMA)
}

/// The tables `script` makes (`CREATE TABLE IF NOT EXISTS name`).
fn tables_made_by(script: &str) -> impl Iterator<Item = &str> {
    const CREATE: &str = "CREATE TABLE IF NOT EXISTS ";
    script.match_indices(CREATE).filter_map(|(at, _)| {
        script[at + CREATE.len()..]
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
    })
}

impl MysqlStore {
    /// The schema version in the mark.
    pub(super) fn schema_version(&self) -> Result<i64> {
        let version: Option<i64> = self
            .conn()?
            .query_first("SELECT schema_version FROM shopdesk_meta")?;
        Ok(version.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> ServerUrl {
        ServerUrl::parse("mysql://shop@db:3306/shop").unwrap()
    }

    #[test]
    fn the_schema_writes_the_mark_first_and_makes_every_table_once() {
        let first = super::super::statements_of(SCHEMA).next().unwrap();
        assert!(
            first.contains("CREATE TABLE IF NOT EXISTS shopdesk_meta"),
            "{first}"
        );
        let tables: Vec<&str> = tables_made_by(SCHEMA).collect();
        assert!(tables.contains(&"customers") && tables.contains(&"parked_lines"));
        let mut unique = tables.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), tables.len(), "{tables:?}");
        assert_eq!(
            SCHEMA.matches("\nCREATE TABLE").count(),
            tables.len(),
            "every table is made only if it does not exist yet"
        );
    }

    #[test]
    fn a_refusal_names_a_few_tables_and_counts_the_rest() {
        assert_eq!(listed(&["invoices"]), "invoices");
        assert_eq!(listed(&["a", "b", "c"]), "a, b, c");
        assert_eq!(listed(&["a", "b", "c", "d", "e"]), "a, b, c and 2 more");
    }

    #[test]
    fn the_lock_taken_or_not_in_time_or_its_wait_killed() {
        assert!(lock_taken(Some(1), &url()).is_ok());
        let busy = lock_taken(Some(0), &url()).unwrap_err();
        assert!(matches!(busy, Error::Upgrading { .. }), "{busy:?}");
        assert_eq!(busy.class(), ErrorClass::Unavailable);
        assert!(busy.to_string().contains("mysql://shop@db:3306/shop"));
        assert_eq!(
            lock_taken(None, &url()).unwrap_err().class(),
            ErrorClass::Unavailable
        );
    }

    #[test]
    fn a_step_that_fails_keeps_an_unreachable_server_or_a_missing_grant_as_itself() {
        let gone = step_failed(
            &url(),
            7,
            Error::Unreachable {
                server: "db:3306".into(),
            },
        );
        assert!(matches!(gone, Error::Unreachable { .. }));
        let denied = Error::NotPermitted {
            reason: "ALTER command denied".into(),
        };
        assert!(matches!(
            step_failed(&url(), 7, denied),
            Error::NotPermitted { .. }
        ));
        let refused = step_failed(
            &url(),
            7,
            Error::Failed {
                class: ErrorClass::Conflict,
                reason: "duplicate".into(),
            },
        );
        assert!(matches!(
            refused,
            Error::UpgradeUnfinished { to_version: 7, .. }
        ));
        assert!(
            refused.to_string().contains("goes on from there"),
            "{refused}"
        );
    }
}
