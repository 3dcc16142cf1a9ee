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
use migrate::Upgrades;
pub use migrate::{LATEST_VERSION, Step};
pub use url::{DEFAULT_PORT, ServerUrl};

/// How long connecting to the server may take, the TCP connection and
/// then each wait for the server's answer while greeting it (a server
/// that takes the connection and never answers must not hang the till),
/// before it counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a write waits for a row another counter's transaction holds
/// before InnoDB gives up (and the store retries or says busy).
const LOCK_WAIT_TIMEOUT_SECONDS: u32 = 5;

/// Once connected, no answer is waited for with a deadline (but at the
/// counter: [`COUNTER_ANSWER_DEADLINE`]): `check`, a backup or an upgrade
/// may rightly wait minutes for a statement's first row, and no deadline
/// tells that from a server that stopped. A server
/// whose host or network went away is found by TCP instead: after this
/// long without traffic the connection is probed (keepalive), every
/// [`KEEPALIVE_INTERVAL_SECONDS`], and it is given up when what was sent
/// (a statement, or a probe) has had no acknowledgement for
/// [`UNACKNOWLEDGED_LIMIT_MS`]. A server that stopped or restarted
/// answers with a reset at once.
const KEEPALIVE_IDLE_MS: u32 = 15_000;
const KEEPALIVE_INTERVAL_SECONDS: u32 = 5;
const KEEPALIVE_PROBES: u32 = 3;
/// TCP_USER_TIMEOUT: a host that acknowledges nothing for this long is
/// gone (a slow statement keeps being acknowledged by the server's TCP).
const UNACKNOWLEDGED_LIMIT_MS: u32 = 30_000;

/// How long the counter's connections wait for any one answer of the
/// server before it counts as gone (see [`MysqlStore::answering_promptly`]).
/// TCP cannot tell a server that stopped answering (hung, or paused) on a
/// host that is up, whose system goes on acknowledging: without this the
/// app's screen would stand still for good. Every statement the counter
/// sends answers in milliseconds, or within the lock wait
/// ([`LOCK_WAIT_TIMEOUT_SECONDS`]) when another counter holds its rows; a
/// write given up so is rolled back by the server, or was committed and is
/// found by its sale id when the clerk sends it again.
pub const COUNTER_ANSWER_DEADLINE: Duration = Duration::from_secs(15);

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
    /// How long each wait for the server's answer may take once
    /// connected; `None`: as long as it takes.
    answer_deadline: Option<Duration>,
    search_caches: SearchCaches,
}

impl MysqlStore {
    /// Connects to the database `url` names, with `password` (from the
    /// environment or this machine's configuration, never the URL),
    /// creating shopdesk's tables in an empty database and bringing them up
    /// to date. Refuses, and leaves untouched, a database holding other
    /// tables, one of a newer shopdesk and shopdesk's tables without their
    /// marker (see `migrate.rs`).
    pub fn open(url: &ServerUrl, password: Option<&str>) -> Result<MysqlStore> {
        let store = MysqlStore::connected(url, password)?;
        store.upgrade(Upgrades::SHOPDESK)?;
        Ok(store)
    }

    /// Creates or upgrades the schema with `upgrades`' steps.
    fn upgrade(&self, upgrades: Upgrades) -> Result<()> {
        let done = migrate::upgrade(&mut *self.conn()?, &self.url, upgrades);
        done.map_err(|error| self.after_failure(error))
    }

    /// Connects to the shop at `url` as it is, never creating or upgrading
    /// anything: for reading it (`check`, a backup). Refuses what
    /// [`MysqlStore::open`] refuses, and an empty database (there is no
    /// shop to read).
    pub fn open_unchanged(url: &ServerUrl, password: Option<&str>) -> Result<MysqlStore> {
        let store = MysqlStore::connected(url, password)?;
        migrate::identify_shop(&mut *store.conn()?, url)
            .map_err(|error| store.after_failure(error))?;
        Ok(store)
    }

    /// A store connected to the server (so that a wrong password or an
    /// unreachable server is said at once), its database not yet looked at.
    fn connected(url: &ServerUrl, password: Option<&str>) -> Result<MysqlStore> {
        let store = MysqlStore {
            url: url.clone(),
            password: password.map(str::to_string),
            conn: RefCell::new(None),
            answer_deadline: None,
            search_caches: SearchCaches::default(),
        };
        store.conn()?;
        Ok(store)
    }

    /// This store as a counter uses it: from now on, on this connection
    /// and every one it makes again or beside it ([`Shop::open_another`]),
    /// a server that has not answered within [`COUNTER_ANSWER_DEADLINE`]
    /// counts as gone ([`Error::Unreachable`]), so that the screen waiting
    /// on it moves on. Not for commands, whose `check`, backup or demo may
    /// rightly wait longer for an answer.
    ///
    /// [`Shop::open_another`]: super::Shop::open_another
    pub fn answering_promptly(self) -> Result<MysqlStore> {
        self.answering_within(Some(COUNTER_ANSWER_DEADLINE))
    }

    /// This store, each wait for an answer limited to `deadline` (`None`:
    /// none) from now on.
    fn answering_within(mut self, deadline: Option<Duration>) -> Result<MysqlStore> {
        self.answer_deadline = deadline;
        if let Some(conn) = self.conn.get_mut() {
            limit_answer_waits(conn, &self.url, deadline)?;
        }
        Ok(self)
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
            let conn = connect(&self.url, self.password.as_deref())?;
            limit_answer_waits(&conn, &self.url, self.answer_deadline)?;
            *slot = Some(conn);
        }
        RefMut::filter_map(slot, Option::as_mut).map_err(|_| Error::Unreachable {
            server: self.url.address(),
        })
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

/// Operations for tests alone (feature `testing`): not the store's API.
#[cfg(feature = "testing")]
impl MysqlStore {
    /// Opens as [`MysqlStore::open`] does, upgrading with shopdesk's own
    /// steps and then `steps`, of a made-up later version: the step
    /// machinery tried with steps of a later version.
    pub fn open_upgrading_with(
        url: &ServerUrl,
        password: Option<&str>,
        steps: &'static [Step],
    ) -> Result<MysqlStore> {
        let store = MysqlStore::connected(url, password)?;
        store.upgrade(Upgrades::then(steps))?;
        Ok(store)
    }

    /// Runs the first `count` statements of a new database's schema, as a
    /// creation stopped after them leaves it; returns how many the schema
    /// has in all.
    pub fn create_only_partly(
        url: &ServerUrl,
        password: Option<&str>,
        count: usize,
    ) -> Result<usize> {
        let mut conn = connect(url, password)?;
        for statement in migrate::creation_statements().take(count) {
            conn.query_drop(statement)?;
        }
        Ok(migrate::creation_statements().count())
    }
}

/// Connects to the server and sets the session up; each failure that the
/// shop can fix (the server down, a wrong password, no such database, TLS
/// refused) said as such.
fn connect(url: &ServerUrl, password: Option<&str>) -> Result<Conn> {
    let mut opts = OptsBuilder::new()
        // IPv6 in brackets, so that it is taken as an address.
        .ip_or_hostname(Some(match url.host.contains(':') {
            true => format!("[{}]", url.host),
            false => url.host.clone(),
        }))
        .tcp_port(url.port)
        .user(Some(url.user.clone()))
        .pass(password.map(str::to_string))
        .db_name(Some(url.database.clone()))
        .tcp_connect_timeout(Some(CONNECT_TIMEOUT))
        .read_timeout(GREETING_TIMEOUT)
        .write_timeout(GREETING_TIMEOUT)
        .tcp_keepalive_time_ms(Some(KEEPALIVE_IDLE_MS))
        .prefer_socket(false)
        // An UPDATE counts the rows it matched, as SQLite's does, not only
        // those it changed: a conditional update that leaves a value as it
        // was (a stock moved by 0) still found its row.
        .additional_capabilities(CapabilityFlags::CLIENT_FOUND_ROWS)
        .init(vec![
            SESSION_SETUP.to_string(),
            format!("SET SESSION innodb_lock_wait_timeout = {LOCK_WAIT_TIMEOUT_SECONDS}"),
        ]);
    #[cfg(target_os = "linux")]
    {
        opts = opts
            .tcp_keepalive_probe_interval_secs(Some(KEEPALIVE_INTERVAL_SECONDS))
            .tcp_keepalive_probe_count(Some(KEEPALIVE_PROBES))
            .tcp_user_timeout_ms(Some(UNACKNOWLEDGED_LIMIT_MS));
    }
    if url.tls {
        opts = opts.ssl_opts(tls_options(url)?);
    }
    let conn = Conn::new(opts).map_err(|error| error::connect_error(url, error))?;
    limit_answer_waits(&conn, url, None)?;
    Ok(conn)
}

/// Limits each wait of `conn` (to the server at `url`) for an answer to
/// `deadline`, or lifts the limit (`None`).
fn limit_answer_waits(conn: &Conn, url: &ServerUrl, deadline: Option<Duration>) -> Result<()> {
    wait_at_most(conn, deadline).map_err(|reason| Error::CannotConnect {
        server: url.address(),
        why: format!("cannot set the connection up ({reason})"),
    })
}

/// The deadline of each wait for the server while connecting. Only where
/// it can be changed once connected (see [`wait_at_most`]): elsewhere a
/// deadline would stay, and cut a long `check`.
const GREETING_TIMEOUT: Option<Duration> = if cfg!(unix) {
    Some(CONNECT_TIMEOUT)
} else {
    None
};

/// TLS as the URL asks: the server's certificate verified against the
/// web's roots and the shop's own authority, if it names one (read here
/// first, so that a missing file is said as such rather than as a server
/// that cannot be reached).
fn tls_options(url: &ServerUrl) -> Result<SslOpts> {
    let Some(ca_file) = &url.ca_file else {
        return Ok(SslOpts::default());
    };
    std::fs::File::open(ca_file).map_err(|reason| Error::Tls {
        server: url.address(),
        why: format!(
            "cannot read the certificate authority's file {} named by ssl-ca ({reason})",
            ca_file.display()
        ),
    })?;
    Ok(SslOpts::default().with_root_cert_path(Some(ca_file.clone())))
}

/// Sets the deadline of every wait for the server once connected:
/// `deadline`, or none (see [`KEEPALIVE_IDLE_MS`] for what finds a server
/// gone then).
#[cfg(unix)]
fn wait_at_most(conn: &Conn, deadline: Option<Duration>) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    // A zero timeval is no deadline at all; a deadline is whole seconds,
    // rounded up (so that none becomes zero).
    let deadline = deadline.unwrap_or(Duration::ZERO);
    let seconds = deadline.as_secs() + u64::from(deadline.subsec_nanos() > 0);
    let timeval = libc::timeval {
        tv_sec: libc::time_t::try_from(seconds).unwrap_or(libc::time_t::MAX),
        tv_usec: 0,
    };
    for option in [libc::SO_RCVTIMEO, libc::SO_SNDTIMEO] {
        // SAFETY: setsockopt reads `timeval` for the size given; the
        // descriptor is the connection's socket, which `conn` keeps open.
        let done = unsafe {
            libc::setsockopt(
                conn.as_raw_fd(),
                libc::SOL_SOCKET,
                option,
                (&raw const timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        if done != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn wait_at_most(_conn: &Conn, _deadline: Option<Duration>) -> std::io::Result<()> {
    Ok(())
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

/// Runs each statement of an SQL file.
fn run_script(conn: &mut impl Queryable, script: &str) -> Result<()> {
    for statement in statements_of(script) {
        conn.query_drop(statement)?;
    }
    Ok(())
}

/// The statements of an SQL file (`;` at a line's end ends one), without
/// those of comments alone.
fn statements_of(script: &str) -> impl Iterator<Item = &str> {
    script.split(";\n").filter(|s| !is_only_comments(s))
}

/// Whether `sql` holds nothing but comments and blanks.
fn is_only_comments(sql: &str) -> bool {
    sql.lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with("--"))
}
