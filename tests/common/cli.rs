//! Running the built binary on a temporary database, as a user does: a
//! SQLite file of its own, or a fresh database on the MariaDB test server
//! (the command-line contract tests run on both: `contract_suite!`).

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

use super::contract::{Database, Fresh};
use super::server::TestDatabase;

/// A shop the built binary runs on (`--db`), and a folder of the test's
/// own on this machine.
pub struct Shop {
    /// The SQLite shop's file ([`Shop::db`]) and what a test writes beside
    /// the shop on either backend (backups, a configuration file).
    pub dir: TempDir,
    /// The database a MariaDB shop lives in, dropped with it; none for a
    /// SQLite shop.
    server: Option<TestDatabase>,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect()
    }

    pub fn json(&self) -> Value {
        let mut lines = self.json_lines();
        assert_eq!(lines.len(), 1, "expected one record:\n{}", self.stdout);
        lines.remove(0)
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// A refusal: exit 1, one clear line on stderr, nothing on stdout.
    #[track_caller]
    pub fn refused(self, needle: &str) -> Run {
        self.failed(1, needle)
    }

    /// A temporary failure (the database busy or out of reach): exit 75,
    /// one clear line on stderr, nothing on stdout.
    #[track_caller]
    pub fn temporary(self, needle: &str) -> Run {
        self.failed(75, needle)
    }

    #[track_caller]
    fn failed(self, code: i32, needle: &str) -> Run {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "nothing may be printed on refusal: {}",
            self.stdout
        );
        assert_eq!(self.stderr.lines().count(), 1, "one line: {}", self.stderr);
        assert!(
            self.stderr.contains(needle),
            "expected “{needle}” in: {}",
            self.stderr
        );
        self
    }
}

pub fn shopdesk() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shopdesk"));
    command
        .env_remove("SHOPDESK_DB")
        .env_remove("SHOPDESK_DB_PASSWORD")
        .env("TZ", "UTC")
        .stdin(Stdio::null());
    command
}

/// shopdesk with `umask` in force, otherwise as [`shopdesk`] sets it up.
pub fn shopdesk_with_umask(umask: &str) -> Command {
    shopdesk_after(&format!("umask {umask}"))
}

/// shopdesk started by a shell that first runs `setup` (a `umask`, a
/// `ulimit`) and then becomes shopdesk; otherwise as [`shopdesk`] sets it
/// up. A `setup` that fails runs no shopdesk.
pub fn shopdesk_after(setup: &str) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{setup} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_shopdesk"))
        .env_remove("SHOPDESK_DB")
        .env_remove("SHOPDESK_DB_PASSWORD")
        .env("TZ", "UTC")
        .stdin(Stdio::null());
    command
}

pub fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

impl Fresh for Shop {
    fn sqlite() -> Shop {
        Shop::new()
    }
    fn mysql() -> Shop {
        Shop {
            dir: tempfile::tempdir().unwrap(),
            server: Some(TestDatabase::create()),
        }
    }
}

impl Shop {
    /// A SQLite shop, its file not made yet.
    pub fn new() -> Shop {
        Shop {
            dir: tempfile::tempdir().unwrap(),
            server: None,
        }
    }

    /// Another fresh shop of the same backend.
    pub fn fresh(&self) -> Shop {
        match self.server {
            Some(_) => Shop::mysql(),
            None => Shop::new(),
        }
    }

    /// The SQLite shop's file, for the tests about SQLite files.
    #[track_caller]
    pub fn db(&self) -> PathBuf {
        assert!(self.server.is_none(), "a server shop has no file");
        self.dir.path().join("shop.db")
    }

    /// The shop's database, for a connection behind its back.
    pub fn database(&self) -> Database<'_> {
        match &self.server {
            Some(server) => Database::Server(server),
            None => Database::File(self.db()),
        }
    }

    /// What `--db` (or `SHOPDESK_DB`) names: the SQLite file or the server
    /// database's URL.
    pub fn db_arg(&self) -> OsString {
        self.database().db_arg()
    }

    /// The server database of a MariaDB shop.
    pub fn server(&self) -> Option<&TestDatabase> {
        self.server.as_ref()
    }

    /// shopdesk on this shop: `--db` set, the rest for the caller.
    pub fn command(&self) -> Command {
        let mut command = shopdesk();
        command.arg("--db").arg(self.db_arg());
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        finish(self.command().args(args).output().unwrap())
    }

    /// Changes the shop's rows behind shopdesk's back, as another tool
    /// could, past its CHECKs and foreign keys (`sql`: statements both
    /// dialects read alike).
    pub fn tamper(&self, sql: &str) {
        self.database().tamper(sql);
    }

    /// Whether the shop's database was made: the SQLite file, or the
    /// server database's tables.
    pub fn is_made(&self) -> bool {
        match &self.server {
            Some(server) => !super::server_state::tables(server.url()).is_empty(),
            None => self.db().exists(),
        }
    }

    pub fn json(&self, args: &[&str]) -> Run {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// A SQLite shop, stocked as [`Shop::stock`] says.
    pub fn stocked() -> Shop {
        Shop::new().stock()
    }

    /// This shop with Ann (customer 1), a mug at $12.50 × 20 and a pen at
    /// $1.99 × 100.
    pub fn stock(self) -> Shop {
        for args in STOCKING {
            self.run(args).ok();
        }
        self
    }
}

/// The commands that stock [`Shop::stocked`]: the first three of the
/// README's first session.
pub const STOCKING: [&[&str]; 3] = [
    &[
        "customer",
        "add",
        "--name",
        "Ann Lee",
        "--email",
        "ann@example.com",
        "--phone",
        "555-0102",
    ],
    &[
        "product", "add", "--sku", "MUG-1", "--name", "Blue mug", "--price", "12.50", "--stock",
        "20",
    ],
    &[
        "product",
        "add",
        "--sku",
        "4006381333931",
        "--name",
        "Red pen",
        "--price",
        "$1.99",
        "--stock",
        "100",
    ],
];
