//! A database of its own on the MariaDB test server, for one test: made
//! fresh, dropped afterwards. The server is the one
//! `SHOPDESK_TEST_MYSQL_URL` names (its database is only where the test
//! connects to make and drop its own).

use std::sync::atomic::{AtomicU32, Ordering};

use mysql::prelude::Queryable;
use shopdesk::store::mysql::ServerUrl;

use super::cli::{Run, finish, shopdesk};

/// The variable that names the test server.
pub const TEST_SERVER_VARIABLE: &str = "SHOPDESK_TEST_MYSQL_URL";

/// A fresh database on the test server, dropped with this.
pub struct TestDatabase {
    url: ServerUrl,
}

impl TestDatabase {
    /// Creates a database no other test uses. Panics if the test server
    /// is not named or does not answer: a MariaDB test that cannot reach
    /// its server fails.
    pub fn create() -> TestDatabase {
        static MADE: AtomicU32 = AtomicU32::new(0);
        let mut url = server_url();
        url.database = format!(
            "shopdesk_test_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        admin(&url)
            .query_drop(format!("CREATE DATABASE `{}`", url.database))
            .expect("create the test database");
        TestDatabase { url }
    }

    /// The URL of this database.
    pub fn url(&self) -> &ServerUrl {
        &self.url
    }

    /// A connection of its own to this database, as another program
    /// would hold one (to change rows behind a shop's back, or keep them
    /// locked): the server's default session (strict, its own time zone).
    pub fn connect(&self) -> mysql::Conn {
        let opts = admin_opts(&self.url).db_name(Some(self.url.database.clone()));
        mysql::Conn::new(opts).expect("connect to the test database")
    }

    /// Runs `sql` (statements separated by `;`) on this database past its
    /// foreign keys and CHECKs, as another tool could, and returns the
    /// first column of the last statement's first row, if it is a number.
    pub fn by_hand(&self, sql: &str) -> Option<i64> {
        let mut conn = admin(&self.url);
        conn.query_drop(format!("USE `{}`", self.url.database))
            .unwrap();
        conn.query_drop(
            "SET SESSION foreign_key_checks = 0, check_constraint_checks = 0, \
             sql_mode = 'NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00'",
        )
        .unwrap();
        let mut number = None;
        for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
            let row: Option<mysql::Row> = conn.query_first(statement).unwrap();
            number = row.and_then(|row| row.get_opt(0)?.ok());
        }
        number
    }

    /// shopdesk run with `args` on this database, as a user does.
    pub fn shopdesk(&self, args: &[&str]) -> Run {
        finish(
            shopdesk()
                .arg("--db")
                .arg(self.url.to_string())
                .args(args)
                .output()
                .unwrap(),
        )
    }

    /// Runs `sql` (statements separated by `;`) as a careless tool would:
    /// foreign keys and CHECKs off, any date taken, times in UTC.
    pub fn tamper(&self, sql: &str) {
        let mut conn = self.connect();
        conn.query_drop(
            "SET SESSION foreign_key_checks = 0, check_constraint_checks = 0, \
             sql_mode = 'ALLOW_INVALID_DATES', time_zone = '+00:00'",
        )
        .unwrap();
        conn.query_drop(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = std::panic::catch_unwind(|| admin(&self.url)) {
            let _ = conn.query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.url.database));
        }
    }
}

/// The test server's URL, from `SHOPDESK_TEST_MYSQL_URL` (as it is when the
/// test runs, else as it was when the tests were built).
pub fn server_url() -> ServerUrl {
    let value = std::env::var(TEST_SERVER_VARIABLE)
        .ok()
        .or_else(|| option_env!("SHOPDESK_TEST_MYSQL_URL").map(str::to_string))
        .unwrap_or_else(|| panic!("{TEST_SERVER_VARIABLE} is not set"));
    ServerUrl::parse(&value).expect("SHOPDESK_TEST_MYSQL_URL is a mysql:// URL")
}

/// A connection to the test server with no database chosen, as the test
/// user (no password: the test server's).
fn admin(url: &ServerUrl) -> mysql::Conn {
    mysql::Conn::new(admin_opts(url)).expect("connect to the MariaDB test server")
}

/// How the test user connects to the test server.
fn admin_opts(url: &ServerUrl) -> mysql::OptsBuilder {
    mysql::OptsBuilder::new()
        .ip_or_hostname(Some(url.host.clone()))
        .tcp_port(url.port)
        .user(Some(url.user.clone()))
        .prefer_socket(false)
}
