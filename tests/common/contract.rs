//! The contract suite's machinery: the store tests that are about the
//! shop's behaviour, not about SQLite files, take a fresh [`TestShop`] and
//! are written once against the storage interface; `contract_suite!` at
//! the end of each file that has them runs each on every backend, and
//! checks that the file has no contract test it leaves out.
//!
//! The backends are listed here, once: SQLite, always, and MariaDB when
//! `SHOPDESK_TEST_MYSQL_URL` was set as the tests were built (each test on
//! a fresh database of its own, dropped afterwards; see `build.rs`):
//! otherwise `cargo test` lists each MariaDB test as ignored, saying why.

use std::any::Any;
use std::path::Path;

use mysql::prelude::Queryable;

use shopdesk::store::Shop;
use shopdesk::store::mysql::MysqlStore;
use shopdesk::store::sqlite::SqliteStore;

use tempfile::TempDir;

use super::server::TestDatabase;

/// A fresh, empty shop of one backend, for one contract test: the
/// interface, and what keeps its database while the test runs (dropped
/// after the shop: a temporary folder; a server's database).
pub struct TestShop {
    shop: Box<dyn Shop>,
    database: Box<dyn Any>,
    /// Makes another one of the same backend.
    fresh: fn() -> TestShop,
    /// Runs SQL on `database` as another tool would (see
    /// [`TestShop::by_hand`]), returning the first column of the first row.
    by_hand: fn(&dyn Any, &str) -> Option<i64>,
}

impl TestShop {
    /// Another fresh, empty shop of the same backend, for a test that
    /// needs one per case (a property test).
    pub fn fresh(&self) -> TestShop {
        (self.fresh)()
    }

    /// Runs `sql` (statements both dialects read, separated by `;`) on the
    /// shop's database as another tool would, past its foreign keys and
    /// CHECKs, and returns the first column of the last statement's first
    /// row, if it is a number (what a test reads by hand).
    pub fn by_hand(&self, sql: &str) -> Option<i64> {
        (self.by_hand)(&*self.database, sql)
    }

    /// The server database this shop is in, if it is on MariaDB.
    pub fn server(&self) -> Option<&TestDatabase> {
        self.database.downcast_ref::<TestDatabase>()
    }

    /// Where the shop's database is, for a connection behind its back.
    pub fn database(&self) -> Database<'_> {
        match (self.server(), self.database.downcast_ref::<TempDir>()) {
            (Some(server), _) => Database::Server(server),
            (None, Some(dir)) => Database::File(dir.path().join(SQLITE_FILE)),
            (None, None) => unreachable!("a test shop is in a folder or on the server"),
        }
    }

    /// Writes `sql` (statements both dialects read alike) behind the
    /// shop's back, as another tool would, past the schema's CHECKs and
    /// foreign keys: for the tests of what the store does with rows no
    /// rule allows.
    pub fn tamper(&self, sql: &str) {
        match self.database() {
            Database::Server(server) => server.tamper(sql),
            Database::File(path) => rusqlite::Connection::open(path)
                .unwrap()
                .execute_batch(&format!(
                    "PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF; {sql}"
                ))
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
        }
    }

    /// The number `sql` reads from the shop's database, behind its back.
    pub fn read_number(&self, sql: &str) -> i64 {
        let number = match self.database() {
            Database::Server(server) => {
                server.connect().query_first(sql).map_err(|e| e.to_string())
            }
            Database::File(path) => rusqlite::Connection::open(path)
                .unwrap()
                .query_row(sql, [], |row| row.get(0))
                .map(Some)
                .map_err(|e| e.to_string()),
        };
        number
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .unwrap_or_else(|| panic!("{sql}: no row"))
    }
}

/// A test shop's database, as a connection behind the shop's back finds it.
pub enum Database<'a> {
    Server(&'a TestDatabase),
    File(std::path::PathBuf),
}

/// The file of a SQLite test shop, in its folder.
const SQLITE_FILE: &str = "shop.db";

impl std::ops::Deref for TestShop {
    type Target = dyn Shop;
    fn deref(&self) -> &(dyn Shop + 'static) {
        &*self.shop
    }
}

impl std::ops::DerefMut for TestShop {
    fn deref_mut(&mut self) -> &mut (dyn Shop + 'static) {
        &mut *self.shop
    }
}

/// A new SQLite shop in a file of its own, in a new temporary folder.
pub fn sqlite() -> TestShop {
    let dir = tempfile::tempdir().expect("temp dir");
    let shop = SqliteStore::open(&dir.path().join(SQLITE_FILE)).expect("open store");
    TestShop {
        shop: Box::new(shop),
        database: Box::new(dir),
        fresh: sqlite,
        by_hand: |dir, sql| {
            let dir: &tempfile::TempDir = dir.downcast_ref().unwrap();
            let conn = rusqlite::Connection::open(dir.path().join(SQLITE_FILE)).unwrap();
            conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;")
                .unwrap();
            let mut number = None;
            for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
                let mut statement = conn.prepare(statement).unwrap();
                let mut rows = statement.raw_query();
                number = rows.next().unwrap().and_then(|row| row.get(0).ok());
            }
            number
        },
    }
}

/// A new MariaDB shop in a database of its own on the test server
/// (`SHOPDESK_TEST_MYSQL_URL`), dropped after the test.
pub fn mysql() -> TestShop {
    let database = TestDatabase::create();
    let shop = MysqlStore::open(database.url(), None).expect("open the server store");
    TestShop {
        shop: Box::new(shop),
        database: Box::new(database),
        fresh: mysql,
        by_hand: |database, sql| {
            let database: &TestDatabase = database.downcast_ref().unwrap();
            database.by_hand(sql)
        },
    }
}

/// Runs each contract test named (functions of this file taking a
/// `TestShop`) on every backend, in a module per backend, and checks that
/// the list leaves none of the file's contract tests out.
#[allow(unused_macros)] // in the files without contract tests
macro_rules! contract_suite {
    ($($test:ident),+ $(,)?) => {
        /// The contract tests on SQLite.
        mod sqlite {
            $(
                #[test]
                fn $test() {
                    super::$test($crate::common::contract::sqlite());
                }
            )+
        }

        /// The contract tests on MariaDB.
        mod mysql {
            $(
                #[test]
                #[cfg_attr(not(mysql_tests), ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)")]
                fn $test() {
                    super::$test($crate::common::contract::mysql());
                }
            )+
        }

        #[test]
        fn every_contract_test_of_this_file_runs_on_every_backend() {
            $crate::common::contract::assert_all_listed(file!(), &[$(stringify!($test)),+]);
        }
    };
}
#[allow(unused_imports)]
pub(crate) use contract_suite;

/// Fails unless `listed` names exactly the contract tests of `file` (its
/// functions whose one parameter is a `TestShop`): one written and left
/// out of the list would run on no backend.
pub fn assert_all_listed(file: &str, listed: &[&str]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let source = std::fs::read_to_string(&path).unwrap();
    let written = contract_tests_in(&source);
    let left_out: Vec<&&str> = written
        .iter()
        .filter(|name| !listed.contains(name))
        .collect();
    let strays: Vec<&&str> = listed
        .iter()
        .filter(|name| !written.contains(name))
        .collect();
    assert!(
        left_out.is_empty() && strays.is_empty(),
        "{file}: contract tests that contract_suite! leaves out: {left_out:?}; \
         listed there but no contract test here: {strays:?}"
    );
    assert_every_file_runs_its_contract_tests();
}

/// Fails if a test file has contract tests but no `contract_suite!` to
/// run them: its tests would run on no backend, and no list would say so.
fn assert_every_file_runs_its_contract_tests() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let unrun: Vec<String> = std::fs::read_dir(&tests)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter(|path| {
            let source = std::fs::read_to_string(path).unwrap();
            !contract_tests_in(&source).is_empty() && !source.contains("contract_suite!(")
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        unrun.is_empty(),
        "contract tests that no contract_suite! runs, in {unrun:?}"
    );
}

/// The names of the functions in `source` whose parameters are one
/// `TestShop`, however rustfmt wrapped their signature (one it could not
/// read would be missing here, and fail [`assert_all_listed`] the same).
fn contract_tests_in(source: &str) -> Vec<&str> {
    source
        .match_indices("fn ")
        .filter_map(|(at, _)| {
            let rest = &source[at + 3..];
            let (name, rest) = rest.split_once('(')?;
            let (parameters, _) = rest.split_once(')')?;
            let is_name = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
            let (_, kind) = parameters.split_once(':')?;
            (is_name && kind.trim().trim_end_matches(',') == "TestShop").then_some(name)
        })
        .collect()
}
