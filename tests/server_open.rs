//! Opening a server database: connecting (and each way it fails, said
//! naming the server), creating shopdesk's tables in an empty database,
//! bringing them up to date step by step, and refusing, untouched, a
//! database shopdesk must not touch. The tests that need the MariaDB test
//! server are ignored without `SHOPDESK_TEST_MYSQL_URL` (README, Tests).

mod common;

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use chrono::Utc;
use common::check_messages;
use common::server::TestDatabase;
use common::server_state::{self, Snapshot};
use mysql::Conn;
use mysql::prelude::Queryable;
use shopdesk::domain::ErrorClass;
use shopdesk::domain::order::{Quantity, SaleId};
use shopdesk::store::mysql::{LATEST_VERSION, MysqlStore, ServerUrl, Step};
use shopdesk::store::{Error, Shop};

fn url(text: &str) -> ServerUrl {
    ServerUrl::parse(text).unwrap()
}

fn refusal(opened: Result<MysqlStore, Error>) -> Error {
    match opened {
        Ok(store) => panic!("{} was opened", store.url()),
        Err(error) => error,
    }
}

// ---- connecting -----------------------------------------------------------

#[test]
fn a_port_nobody_listens_on_is_unreachable_naming_the_server() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = refusal(MysqlStore::open(
        &url(&format!("mysql://shop@127.0.0.1:{port}/shop")),
        None,
    ));
    assert!(matches!(error, Error::CannotConnect { .. }), "{error:?}");
    assert_eq!(error.class(), ErrorClass::Unavailable);
    let message = error.to_string();
    assert!(
        message.contains(&format!("127.0.0.1:{port}")) && message.contains("refused"),
        "{message}"
    );
}

#[test]
fn a_server_that_takes_the_connection_and_never_answers_is_given_up() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Holds what it accepts, open and silent, until the test ends.
    let silent = std::thread::spawn(move || listener.accept().map(|(stream, _)| stream));
    let error = refusal(MysqlStore::open(
        &url(&format!("mysql://shop@127.0.0.1:{port}/shop")),
        None,
    ));
    assert!(matches!(error, Error::CannotConnect { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&format!("127.0.0.1:{port}")) && message.contains("did not answer"),
        "{message}"
    );
    drop(silent.join().unwrap());
}

#[test]
fn a_missing_certificate_authority_file_is_named_before_connecting() {
    let error = refusal(MysqlStore::open(
        &url("mysql://shop@127.0.0.1:9/shop?ssl-ca=/nonexistent/shop-ca.pem"),
        None,
    ));
    assert!(matches!(error, Error::Tls { .. }), "{error:?}");
    assert!(
        error.to_string().contains("/nonexistent/shop-ca.pem"),
        "{error}"
    );
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_database_the_server_does_not_have_is_named_with_how_to_create_it() {
    let mut missing = common::server::server_url();
    missing.database = format!("shopdesk_t_open_missing_{}", std::process::id());
    let error = refusal(MysqlStore::open(&missing, None));
    assert!(matches!(error, Error::NoSuchDatabase { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&missing.database)
            && message.contains(&missing.address())
            && message.contains("CREATE DATABASE"),
        "{message}"
    );
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_wrong_password_is_access_denied_naming_the_user_and_where_the_password_goes() {
    let database = TestDatabase::create();
    let error = refusal(MysqlStore::open(database.url(), Some("not-the-password")));
    assert!(matches!(error, Error::AccessDenied { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&database.url().user)
            && message.contains(&database.url().address())
            && message.contains("SHOPDESK_DB_PASSWORD")
            && message.contains("db_password")
            && !message.contains("not-the-password"),
        "{message}"
    );
    assert_eq!(error.class(), ErrorClass::Refused);
}

// ---- creating -------------------------------------------------------------

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn an_empty_database_is_given_shopdesks_tables_and_mark() {
    let database = TestDatabase::create();
    let store = MysqlStore::open(database.url(), None).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let tables = server_state::tables(database.url());
    for table in ["customers", "orders", "shopdesk_meta", "parked_lines"] {
        assert!(tables.iter().any(|t| t == table), "{tables:?}");
    }
    let walk_in: Option<(i64, String)> = server_state::connect(database.url())
        .query_first("SELECT id, name FROM customers")
        .unwrap();
    assert_eq!(walk_in, Some((0, "Walk-in".to_string())));
    // Opened again, it is found as it is.
    let before = Snapshot::of(database.url());
    drop(MysqlStore::open(database.url(), None).unwrap());
    assert_eq!(Snapshot::of(database.url()), before);
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_creation_stopped_between_any_two_statements_is_finished_by_the_next_open() {
    let whole = TestDatabase::create();
    drop(MysqlStore::open(whole.url(), None).unwrap());
    let expected = server_state::schema(whole.url());
    let expected_rows = rows_a_creation_writes(whole.url());
    let statements = MysqlStore::create_only_partly(whole.url(), None, 0).unwrap();
    assert!(statements > 10, "{statements}");
    for done in 1..statements {
        let stopped = TestDatabase::create();
        MysqlStore::create_only_partly(stopped.url(), None, done).unwrap();
        // Only reading it refuses a shop not yet made, and changes nothing.
        let before = Snapshot::of(stopped.url());
        let error = refusal(MysqlStore::open_unchanged(stopped.url(), None));
        assert!(
            matches!(error, Error::NoShopYet { .. }),
            "{done}: {error:?}"
        );
        assert_eq!(Snapshot::of(stopped.url()), before, "{done}");
        let store = MysqlStore::open(stopped.url(), None)
            .unwrap_or_else(|error| panic!("after {done} statements: {error}"));
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION, "{done}");
        assert_eq!(server_state::schema(stopped.url()), expected, "{done}");
        assert_eq!(
            rows_a_creation_writes(stopped.url()),
            expected_rows,
            "{done}"
        );
    }
}

/// The rows a creation writes, but Walk-in's time of creation.
fn rows_a_creation_writes(url: &ServerUrl) -> Vec<String> {
    let mut conn = server_state::connect(url);
    let mut rows: Vec<String> = conn
        .query("SELECT CONCAT_WS(' ', application, schema_version) FROM shopdesk_meta")
        .unwrap();
    rows.extend(
        conn.query::<String, _>(
            "SELECT CONCAT_WS(' ', id, name, search_key) FROM customers ORDER BY id",
        )
        .unwrap(),
    );
    rows.extend(
        conn.query::<String, _>(
            "SELECT CONCAT_WS(' ', table_name, changes) FROM search_changes ORDER BY table_name",
        )
        .unwrap(),
    );
    rows
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn an_open_waits_for_another_creating_the_same_database_however_long_it_takes() {
    let database = TestDatabase::create();
    let mut holder = server_state::connect(database.url());
    let taken: Option<i64> = holder
        .query_first("SELECT GET_LOCK(CONCAT('shopdesk.schema.', SHA1(DATABASE())), 0)")
        .unwrap();
    assert_eq!(taken, Some(1));
    let url = database.url().clone();
    let opener = std::thread::spawn(move || MysqlStore::open(&url, None).map(|_| ()));
    // Waits until the opener waits for the lock (bounded), then holds it
    // longer than any deadline of connecting: a wait that long is not
    // taken for a server gone.
    let mut waiting = false;
    for _ in 0..200 {
        let waiters: Option<i64> = holder
            .query_first(
                "SELECT COUNT(*) FROM information_schema.processlist \
                 WHERE info LIKE 'SELECT GET_LOCK(%' AND id <> CONNECTION_ID()",
            )
            .unwrap();
        if waiters > Some(0) {
            waiting = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(waiting, "the opener never waited for the lock");
    std::thread::sleep(Duration::from_secs(6));
    assert_eq!(server_state::tables(database.url()), Vec::<String>::new());
    holder
        .query_drop("DO RELEASE_LOCK(CONCAT('shopdesk.schema.', SHA1(DATABASE())))")
        .unwrap();
    opener.join().unwrap().unwrap();
    let store = MysqlStore::open(database.url(), None).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn counters_opening_an_empty_database_at_once_all_find_one_shop() {
    let database = TestDatabase::create();
    let start = Arc::new(Barrier::new(4));
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let (url, start) = (database.url().clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                MysqlStore::open(&url, None).and_then(|store| store.schema_version())
            })
        })
        .collect();
    for opener in openers {
        assert_eq!(opener.join().unwrap().unwrap(), LATEST_VERSION);
    }
    let walk_ins: Option<i64> = server_state::connect(database.url())
        .query_first("SELECT COUNT(*) FROM customers")
        .unwrap();
    assert_eq!(walk_ins, Some(1));
}

// ---- refusing, untouched --------------------------------------------------

/// A fresh shop on the test server, then `statements` run in it as
/// another program would run them.
fn fresh_shop_then(statements: &[&str]) -> TestDatabase {
    let database = TestDatabase::create();
    drop(MysqlStore::open(database.url(), None).unwrap());
    server_state::run(database.url(), statements);
    database
}

/// Asserts that opening the database at `url`, for work and for reading
/// alone, is refused as `expected` says and changes nothing.
fn assert_refused_untouched(url: &ServerUrl, expected: impl Fn(&Error) -> bool) {
    let before = Snapshot::of(url);
    for (how, opened) in [
        ("open", MysqlStore::open(url, None)),
        ("open_unchanged", MysqlStore::open_unchanged(url, None)),
    ] {
        let error = refusal(opened);
        assert!(expected(&error), "{how}: {error:?}");
        assert_eq!(error.class(), ErrorClass::Refused, "{how}: {error:?}");
        assert!(error.to_string().contains("untouched"), "{how}: {error}");
        assert_eq!(Snapshot::of(url), before, "{how} left it untouched");
    }
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn another_programs_tables_are_refused_untouched() {
    let database = TestDatabase::create();
    server_state::run(
        database.url(),
        &[
            "CREATE TABLE invoices (id INT PRIMARY KEY, total INT)",
            "INSERT INTO invoices VALUES (1, 100), (2, 250)",
        ],
    );
    assert_refused_untouched(
        database.url(),
        |e| matches!(e, Error::ForeignTables { tables, .. } if tables == "invoices"),
    );
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_shop_beside_another_programs_table_is_refused_untouched() {
    let database = fresh_shop_then(&["CREATE VIEW big_orders AS SELECT id FROM orders"]);
    assert_refused_untouched(
        database.url(),
        |e| matches!(e, Error::ForeignTables { tables, .. } if tables == "big_orders"),
    );
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_newer_shopdesks_database_is_refused_untouched_whatever_tables_it_has() {
    let database = fresh_shop_then(&[
        "UPDATE shopdesk_meta SET schema_version = schema_version + 1",
        "CREATE TABLE gift_cards (id BIGINT PRIMARY KEY)",
    ]);
    assert_refused_untouched(database.url(), |e| {
        matches!(e, Error::DatabaseTooNew { found, supported, .. }
            if *found == LATEST_VERSION + 1 && *supported == LATEST_VERSION)
    });
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn shopdesks_tables_without_the_mark_are_refused_untouched() {
    let database = fresh_shop_then(&["DROP TABLE shopdesk_meta"]);
    assert_refused_untouched(database.url(), |e| matches!(e, Error::Unmarked { .. }));
    // The mark's table, emptied: no mark either.
    server_state::run(
        database.url(),
        &["CREATE TABLE shopdesk_meta (application VARCHAR(8) PRIMARY KEY, schema_version BIGINT)"],
    );
    assert_refused_untouched(database.url(), |e| matches!(e, Error::Unmarked { .. }));
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_mark_at_a_version_no_shopdesk_makes_on_a_server_is_refused_untouched() {
    let database = fresh_shop_then(&["UPDATE shopdesk_meta SET schema_version = 3"]);
    assert_refused_untouched(database.url(), |e| {
        matches!(e, Error::UnknownVersion { found: 3, .. })
    });
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn reading_an_empty_database_says_there_is_no_shop_and_makes_none() {
    let database = TestDatabase::create();
    let error = refusal(MysqlStore::open_unchanged(database.url(), None));
    assert!(matches!(error, Error::NoShopYet { .. }), "{error:?}");
    assert!(
        error.to_string().starts_with(&format!(
            "there is no shopdesk database at {}",
            database.url()
        )),
        "{error}"
    );
    assert_eq!(server_state::tables(database.url()), Vec::<String>::new());
    // A shop is read as it is.
    drop(MysqlStore::open(database.url(), None).unwrap());
    let before = Snapshot::of(database.url());
    let store = MysqlStore::open_unchanged(database.url(), None).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(Snapshot::of(database.url()), before);
}

/// The v7 step on a database as v6 left it: a fresh shop with the
/// parked sales' sale id taken away and the mark set back to 6.
#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn the_upgrade_to_v7_keeps_parked_sales_without_a_sale_id_and_parks_new_ones_with_theirs() {
    let database = fresh_shop_then(&[
        "ALTER TABLE parked_sales DROP CONSTRAINT parked_sales_sale_id, DROP COLUMN sale_id",
        "UPDATE shopdesk_meta SET schema_version = 6",
        "INSERT INTO products (id, sku, name, price_cents, stock, created_at, updated_at) \
         VALUES (1, 'MUG-1', 'Blue mug', 1250, 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
        "INSERT INTO parked_sales (id, customer_id, parked_at) VALUES (1, 0, UTC_TIMESTAMP(6))",
        "INSERT INTO parked_lines (parked_id, line_no, product_id, quantity) VALUES (1, 1, 1, 2)",
    ]);
    let mut store = MysqlStore::open(database.url(), None).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let parked = store.parked_sales().unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!((parked[0].item_count(), &parked[0].sale_id), (2, &None));

    let id = SaleId::parse("till-1.0003").unwrap();
    let one = Quantity::new(1).unwrap();
    let second = store
        .park_sale(0, &[(1, one)], Some(&id), Utc::now())
        .unwrap();
    assert_eq!(store.resume_parked_sale(second).unwrap().sale_id, Some(id));
    // The schema holds the rule of a sale id as a net under the store.
    let refused = server_state::connect(database.url())
        .query_drop("UPDATE parked_sales SET sale_id = 'till 1' WHERE id = 1")
        .unwrap_err();
    assert!(
        refused.to_string().contains("parked_sales_sale_id"),
        "{refused}"
    );
    let problems = check_messages(&store as &dyn Shop);
    assert_eq!(problems, Vec::<String>::new());
}

// ---- upgrading, with steps of a made-up later version ---------------------

/// Version LATEST + 1, made up: a new table, and a column on an old one.
fn loyalty_cards(conn: &mut Conn) -> mysql::Result<()> {
    conn.query_drop(
        "CREATE TABLE IF NOT EXISTS loyalty_cards (
            customer_id BIGINT NOT NULL PRIMARY KEY,
            points      BIGINT NOT NULL DEFAULT 0
        ) ENGINE = InnoDB",
    )?;
    conn.query_drop(
        "ALTER TABLE customers ADD COLUMN IF NOT EXISTS loyal TINYINT NOT NULL DEFAULT 0",
    )
}

static LOYALTY_CARDS: &[Step] = &[Step {
    new_tables: &["loyalty_cards"],
    run: loyalty_cards,
}];

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_later_step_upgrades_the_database_and_records_its_version() {
    let database = fresh_shop_then(&[]);
    let store = MysqlStore::open_upgrading_with(database.url(), None, LOYALTY_CARDS).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION + 1);
    let columns: Vec<String> = server_state::connect(database.url())
        .query(
            "SELECT column_name FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = 'customers' AND column_name = 'loyal'",
        )
        .unwrap();
    assert_eq!(columns, ["loyal"]);
    // Its new table is shopdesk's for the shopdesk that made it, and
    // this one's version no shopdesk before it opens.
    drop(MysqlStore::open_upgrading_with(database.url(), None, LOYALTY_CARDS).unwrap());
    assert_refused_untouched(
        database.url(),
        |e| matches!(e, Error::DatabaseTooNew { found, .. } if *found == LATEST_VERSION + 1),
    );
}

/// Whether the next run of [`stopping_step`] stops halfway.
static STOP_HALFWAY: AtomicBool = AtomicBool::new(true);

/// Makes a table, then (the first time) stops as a lost connection would,
/// before its second statement.
fn stopping_step(conn: &mut Conn) -> mysql::Result<()> {
    conn.query_drop("CREATE TABLE IF NOT EXISTS gift_cards (code VARCHAR(16) PRIMARY KEY)")?;
    if STOP_HALFWAY.swap(false, Ordering::SeqCst) {
        conn.query_drop("SELECT no_such_column FROM gift_cards")?;
    }
    conn.query_drop("INSERT INTO gift_cards VALUES ('WELCOME') ON DUPLICATE KEY UPDATE code = code")
}

static GIFT_CARDS: &[Step] = &[Step {
    new_tables: &["gift_cards"],
    run: stopping_step,
}];

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_step_stopped_halfway_keeps_the_version_before_it_and_runs_again_whole() {
    let database = fresh_shop_then(&[]);
    let error = refusal(MysqlStore::open_upgrading_with(
        database.url(),
        None,
        GIFT_CARDS,
    ));
    assert!(
        matches!(error, Error::UpgradeUnfinished { to_version, .. } if to_version == LATEST_VERSION + 1),
        "{error:?}"
    );
    assert!(error.to_string().contains("goes on from there"), "{error}");
    let version: Option<i64> = server_state::connect(database.url())
        .query_first("SELECT schema_version FROM shopdesk_meta")
        .unwrap();
    assert_eq!(
        version,
        Some(LATEST_VERSION),
        "the step's version is not recorded"
    );
    let store = MysqlStore::open_upgrading_with(database.url(), None, GIFT_CARDS).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION + 1);
    let codes: Vec<String> = server_state::connect(database.url())
        .query("SELECT code FROM gift_cards")
        .unwrap();
    assert_eq!(codes, ["WELCOME"]);
}

/// How many times [`counted_step`] ran.
static COUNTED_RUNS: AtomicUsize = AtomicUsize::new(0);

fn counted_step(conn: &mut Conn) -> mysql::Result<()> {
    COUNTED_RUNS.fetch_add(1, Ordering::SeqCst);
    conn.query_drop("CREATE TABLE IF NOT EXISTS vouchers (code VARCHAR(16) PRIMARY KEY)")
}

static VOUCHERS: &[Step] = &[Step {
    new_tables: &["vouchers"],
    run: counted_step,
}];

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn counters_upgrading_at_once_run_each_step_once() {
    let database = fresh_shop_then(&[]);
    let start = Arc::new(Barrier::new(4));
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let (url, start) = (database.url().clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                MysqlStore::open_upgrading_with(&url, None, VOUCHERS)
                    .and_then(|store| store.schema_version())
            })
        })
        .collect();
    for opener in openers {
        assert_eq!(opener.join().unwrap().unwrap(), LATEST_VERSION + 1);
    }
    assert_eq!(COUNTED_RUNS.load(Ordering::SeqCst), 1);
}
