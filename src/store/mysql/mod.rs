//! The MariaDB/MySQL backend: a shop in a server database that every
//! counter, the back office and the web API share. It answers the storage
//! interface ([`super::Shop`], in `shop.rs`) as the SQLite backend does,
//! each operation in the file of its table; the schema is
//! `schema.mysql.sql`, the twin of `schema.sql`.
//!
//! One connection per store, opened again on the next operation after the
//! server went away (a sale is never retried by itself: the clerk's next
//! action is).

mod check;
mod contention;
mod copy;
mod customers;
mod demo;
mod error;
mod migrate;
mod orders;
mod parked;
mod products;
mod search;
mod settings;
mod shop;
mod stock;
mod time;
mod url;

use std::cell::{RefCell, RefMut};
use std::time::Duration;

use mysql::consts::CapabilityFlags;
use mysql::prelude::{FromRow, Queryable};
use mysql::{Conn, OptsBuilder, Params, Row, SslOpts, Transaction, TxOpts};

use super::search::SearchCaches;
use super::{Error, Result};
pub(in crate::store) use copy::copy_into_empty_database;
pub use url::{DEFAULT_PORT, ServerUrl};

/// How long connecting to the server may take before it counts as
/// unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a write waits for a row another counter's transaction holds
/// before InnoDB gives up (and the store retries or says busy).
const LOCK_WAIT_TIMEOUT_SECONDS: u32 = 5;

/// What every session sets first: UTC for every `DATETIME`, strict mode
/// (a value too long or of the wrong kind is refused, never cut or
/// guessed), Walk-in's id 0 kept as 0, text compared byte for byte.
const SESSION_SETUP: &str = "SET SESSION time_zone = '+00:00', \
     SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ZERO_DATE,NO_ZERO_IN_DATE,\
ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', \
     NAMES utf8mb4 COLLATE utf8mb4_bin";

/// An open shopdesk database on a MariaDB or MySQL server.
pub struct MysqlStore {
    url: ServerUrl,
    password: Option<String>,
    /// The connection; `None` after the server went away, until the next
    /// operation connects again.
    conn: RefCell<Option<Conn>>,
    search_caches: SearchCaches,
}

impl MysqlStore {
    /// Connects to the database `url` names, with `password` (from the
    /// environment or this machine's configuration, never the URL),
    /// creating shopdesk's tables in an empty database and bringing them up
    /// to date. Refuses, and leaves untouched, a database holding other
    /// tables, one of a newer shopdesk and shopdesk's tables without their
    /// marker.
    pub fn open(url: &ServerUrl, password: Option<&str>) -> Result<MysqlStore> {
        let store = MysqlStore {
            url: url.clone(),
            password: password.map(str::to_string),
            conn: RefCell::new(None),
            search_caches: SearchCaches::default(),
        };
        let conn = store.conn();
        conn.and_then(|mut conn| migrate::upgrade(&mut conn, url))
            .map_err(|error| store.after_failure(error))?;
        Ok(store)
    }

    /// The server and database, as messages name them.
    pub fn url(&self) -> &ServerUrl {
        &self.url
    }

    /// The connection, made again if the server went away since the last
    /// operation.
    fn conn(&self) -> Result<RefMut<'_, Conn>> {
        let mut slot = self.conn.borrow_mut();
        if slot.is_none() {
            *slot = Some(connect(&self.url, self.password.as_deref())?);
        }
        Ok(RefMut::map(slot, |conn| {
            conn.as_mut().expect("connected just above")
        }))
    }

    /// Forgets the connection after `error` if it says the server went
    /// away, so that the next operation connects again. Returns `error`,
    /// naming this server. Every operation's error passes here (`shop.rs`).
    fn after_failure(&self, error: Error) -> Error {
        if error.is_unreachable() {
            self.conn.borrow_mut().take();
        }
        error.naming_server(&self.url.address())
    }
}

/// Connects to the server and sets the session up.
fn connect(url: &ServerUrl, password: Option<&str>) -> Result<Conn> {
    let mut opts = OptsBuilder::new()
        .ip_or_hostname(Some(url.host.clone()))
        .tcp_port(url.port)
        .user(Some(url.user.clone()))
        .pass(password.map(str::to_string))
        .db_name(Some(url.database.clone()))
        .tcp_connect_timeout(Some(CONNECT_TIMEOUT))
        .prefer_socket(false)
        // An UPDATE counts the rows it matched, as SQLite's does, not only
        // those it changed: a conditional update that leaves a value as it
        // was (a stock moved by 0) still found its row.
        .additional_capabilities(CapabilityFlags::CLIENT_FOUND_ROWS)
        .init(vec![
            SESSION_SETUP.to_string(),
            format!("SET SESSION innodb_lock_wait_timeout = {LOCK_WAIT_TIMEOUT_SECONDS}"),
        ]);
    if url.tls {
        opts = opts.ssl_opts(SslOpts::default());
    }
    Ok(Conn::new(opts)?)
}

/// A write transaction.
fn write(conn: &mut Conn) -> Result<Transaction<'_>> {
    Ok(conn.start_transaction(TxOpts::default())?)
}

/// Commits a write transaction.
fn commit(tx: Transaction<'_>) -> Result<()> {
    #[cfg(debug_assertions)]
    super::crash_test::pause_before_commit();
    Ok(tx.commit()?)
}

/// The first row `sql` returns for `params`, read as `T`.
fn first<T: FromRow>(
    conn: &mut impl Queryable,
    sql: &str,
    params: impl Into<Params>,
) -> Result<Option<T>> {
    conn.exec_first::<Row, _, _>(sql, params)?
        .map(read_row)
        .transpose()
}

/// Every row `sql` returns for `params`, read as `T`.
fn all<T: FromRow>(
    conn: &mut impl Queryable,
    sql: &str,
    params: impl Into<Params>,
) -> Result<Vec<T>> {
    conn.exec::<Row, _, _>(sql, params)?
        .into_iter()
        .map(read_row)
        .collect()
}

/// A row as `T`: a value of another kind than `T` says (which another
/// tool could have written) is unreadable, never a panic, as the driver's
/// own typed reads would make it.
fn read_row<T: FromRow>(row: Row) -> Result<T> {
    Ok(mysql::from_row_opt(row).map_err(mysql::Error::from)?)
}

/// The id the server gave the row `tx` inserted last.
fn inserted_id(tx: &Transaction<'_>) -> Result<i64> {
    tx.last_insert_id()
        .and_then(|id| i64::try_from(id).ok())
        .ok_or_else(|| Error::Unreadable("the server gave the new row no id".to_string()))
}

/// `count` placeholders for a list of values (`IN (?, ?, ?)`): only
/// their number goes into a statement's text, every value is bound.
fn placeholders(count: usize) -> String {
    vec!["?"; count].join(", ")
}

/// `rows` rows of `columns` placeholders each, for a multi-row `VALUES`.
fn rows_of_placeholders(rows: usize, columns: usize) -> String {
    vec![format!("({})", placeholders(columns)); rows].join(", ")
}

/// Runs each statement of an SQL file (`;` at a line's end ends one).
fn run_script(conn: &mut impl Queryable, script: &str) -> Result<()> {
    for statement in script.split(";\n").filter(|s| !is_only_comments(s)) {
        conn.query_drop(statement)?;
    }
    Ok(())
}

/// Whether `sql` holds nothing but comments and blanks.
fn is_only_comments(sql: &str) -> bool {
    sql.lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with("--"))
}
