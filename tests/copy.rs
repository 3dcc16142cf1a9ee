//! `shopdesk copy` and the backup of a server database.
//!
//! The copy moves the tables `store::tables` lists: the first tests hold
//! that list to both schemas, so a table or column added to either later
//! and left out of the copy fails here. The round trips read every table
//! back with readers of their own, which know nothing of that list: every
//! table the schema has, every row, every value compared exactly (times
//! to the microsecond, Walk-in's id 0). Then the copy is one moment of
//! its source, a target that holds anything is refused and left
//! untouched, and a copy that stops midway leaves nothing behind.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::cli::{Run, finish, shopdesk};
use common::server::TestDatabase;
use common::untouched::FilesBeside;
use mysql::prelude::Queryable;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use shopdesk::demo::DemoSize;
use shopdesk::domain::customer::SharedPhone;
use shopdesk::domain::order::{NewOrder, Payment, PaymentMethod, Quantity, SaleId, Status};
use shopdesk::domain::settings::Setting;
use shopdesk::store::Shop;
use shopdesk::store::copy::{Row, RowValue, TableWriter};
use shopdesk::store::mysql::MysqlStore;
use shopdesk::store::sqlite::SqliteStore;
use shopdesk::store::tables::{Kind, TABLES, Table};

// ---- the tables a copy moves, against both schemas ---------------------------

/// A table as a schema describes it: each column's name, kind as the
/// dialect writes it and whether it may be NULL, then the primary key.
type Described = BTreeMap<String, (Vec<(String, String, bool)>, Vec<String>)>;

/// What `store::tables` says, each kind as `dialect` writes it.
fn described_by_the_copy(dialect: fn(Kind) -> &'static str) -> Described {
    TABLES
        .iter()
        .map(|table| {
            let columns = table
                .columns
                .iter()
                .map(|column| {
                    let kind = dialect(column.kind).to_string();
                    (column.name.to_string(), kind, column.nullable)
                })
                .collect();
            let key = table.key.iter().map(|name| name.to_string()).collect();
            (table.name.to_string(), (columns, key))
        })
        .collect()
}

/// SQLite keeps times as text (in one fixed-width form).
fn sqlite_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer => "INTEGER",
        Kind::Text | Kind::Time => "TEXT",
    }
}

fn mariadb_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer => "integer",
        Kind::Text => "text",
        Kind::Time => "time",
    }
}

#[test]
fn the_copy_leaves_out_no_table_or_column_of_sqlites_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let mut schema = Described::new();
    for table in sqlite_shop_tables(&conn) {
        let mut key: Vec<(i64, String)> = Vec::new();
        let columns = conn
            .prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid")
            .unwrap()
            .query_map([&table], |row| {
                let (name, kind, not_null, pk): (String, String, bool, i64) =
                    (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
                if pk > 0 {
                    key.push((pk, name.clone()));
                }
                // An INTEGER PRIMARY KEY is the rowid: never NULL.
                Ok((name, kind, !not_null && pk == 0))
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        key.sort();
        let key = key.into_iter().map(|(_, name)| name).collect();
        schema.insert(table, (columns, key));
    }
    assert_eq!(
        described_by_the_copy(sqlite_kind),
        schema,
        "store/tables.rs (left) against schema.sql (right)"
    );
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn the_copy_leaves_out_no_table_or_column_of_mariadbs_schema() {
    let database = TestDatabase::create();
    drop(MysqlStore::open(database.url(), None).unwrap());
    let mut conn = database.connect();
    let mut schema = Described::new();
    for table in mariadb_shop_tables(&mut conn) {
        let columns = conn
            .exec_map(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns
                 WHERE table_schema = DATABASE() AND table_name = ? AND extra NOT LIKE '%GENERATED%'
                 ORDER BY ordinal_position",
                (&table,),
                |(name, kind, nullable): (String, String, String)| {
                    let kind = match kind.as_str() {
                        "bigint" | "tinyint" => "integer",
                        "varchar" => "text",
                        "datetime" => "time",
                        other => panic!("{table}.{name}: a column of type {other}"),
                    };
                    (name, kind.to_string(), nullable == "YES")
                },
            )
            .unwrap();
        let key = conn
            .exec(
                "SELECT column_name FROM information_schema.key_column_usage
                 WHERE table_schema = DATABASE() AND table_name = ? AND constraint_name = 'PRIMARY'
                 ORDER BY ordinal_position",
                (&table,),
            )
            .unwrap();
        schema.insert(table, (columns, key));
    }
    assert_eq!(
        described_by_the_copy(mariadb_kind),
        schema,
        "store/tables.rs (left) against schema.mysql.sql (right)"
    );
}

// ---- every row of every table, read without the copy's list -----------------

/// A value as both databases can be compared in: SQLite's time text is
/// MariaDB's `DATETIME(6)` written so.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cell {
    Null,
    Int(i64),
    Text(String),
}

/// Every row of every table, each row its columns by name, rows sorted.
type Rows = BTreeMap<String, Vec<BTreeMap<String, Cell>>>;

/// The tables of an SQLite database that hold the shop's rows: all but
/// SQLite's own (its statistics) and the full-text indexes with the
/// tables they keep, which are made from the rows.
fn sqlite_shop_tables(conn: &Connection) -> Vec<String> {
    let indexes: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema
             WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(indexes.len(), 2, "the two search indexes: {indexes:?}");
    conn.prepare(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name",
    )
    .unwrap()
    .query_map([], |row| row.get::<_, String>(0))
    .unwrap()
    .map(Result::unwrap)
    .filter(|name| {
        !indexes
            .iter()
            .any(|index| name == index || name.starts_with(&format!("{index}_")))
    })
    .collect()
}

fn sqlite_rows(path: &Path) -> Rows {
    let conn = Connection::open(path).unwrap();
    sqlite_shop_tables(&conn)
        .into_iter()
        .map(|table| {
            let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let names: Vec<String> = statement.column_names().map(str::to_string).collect();
            let mut rows: Vec<BTreeMap<String, Cell>> = statement
                .query_map([], |row| {
                    (0..names.len())
                        .map(|index| {
                            let cell = match row.get_ref(index)? {
                                ValueRef::Null => Cell::Null,
                                ValueRef::Integer(number) => Cell::Int(number),
                                ValueRef::Text(text) => {
                                    Cell::Text(String::from_utf8(text.to_vec()).unwrap())
                                }
                                other => panic!("{table}: {other:?}"),
                            };
                            Ok((names[index].clone(), cell))
                        })
                        .collect()
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            rows.sort();
            (table, rows)
        })
        .collect()
}

/// The tables of a MariaDB database that hold the shop's rows: all but
/// its marker.
fn mariadb_shop_tables(conn: &mut mysql::Conn) -> Vec<String> {
    let mut tables = all_tables(conn);
    tables.retain(|table| table != "shopdesk_meta");
    tables
}

/// Every row of every table, but the columns the server makes from
/// others (the `*_nocase` twins).
fn mariadb_rows(database: &TestDatabase) -> Rows {
    let mut conn = database.connect();
    mariadb_shop_tables(&mut conn)
        .into_iter()
        .map(|table| {
            let names: Vec<String> = conn
                .exec(
                    "SELECT column_name FROM information_schema.columns
                     WHERE table_schema = DATABASE() AND table_name = ?
                       AND extra NOT LIKE '%GENERATED%'
                     ORDER BY ordinal_position",
                    (&table,),
                )
                .unwrap();
            let selected: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
            let sql = format!("SELECT {} FROM `{table}`", selected.join(", "));
            let mut rows: Vec<BTreeMap<String, Cell>> = conn
                .exec_map(sql, (), |row: mysql::Row| {
                    names
                        .iter()
                        .cloned()
                        .zip(row.unwrap().into_iter().map(mariadb_cell))
                        .collect()
                })
                .unwrap();
            rows.sort();
            (table, rows)
        })
        .collect()
}

fn mariadb_cell(value: mysql::Value) -> Cell {
    match value {
        mysql::Value::NULL => Cell::Null,
        mysql::Value::Int(number) => Cell::Int(number),
        mysql::Value::Bytes(text) => Cell::Text(String::from_utf8(text).unwrap()),
        mysql::Value::Date(year, month, day, hour, minute, second, micro) => Cell::Text(format!(
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{micro:06}Z"
        )),
        other => panic!("a value of an unexpected kind: {other:?}"),
    }
}

// ---- the shops copied ------------------------------------------------------------

/// 2026-03-01 12:00:00.123457 UTC plus `minutes`: times with every
/// microsecond digit, which a copy must keep.
fn at_micros(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
        + Duration::microseconds(123_457)
        + Duration::minutes(minutes)
}

/// A demo shop with something in every table: settings, parked sales (one
/// resumed, so their ids have a gap), a counter sale paid in cash with its
/// sale id, an order canceled with a note, names beyond ASCII, times to
/// the microsecond. Fails if any table of the schema is left empty: a copy
/// that left that table out could not be told from one that copied it.
fn busy_shop(path: &Path) {
    let mut shop = SqliteStore::open(path).unwrap();
    let size = DemoSize {
        customers: 40,
        products: 30,
        orders: 300,
        seed: 11,
    };
    shopdesk::demo::fill(&mut shop, size, at_micros(0)).unwrap();
    shop.set_setting(Setting::ShopName, "Ünal's corner • shop")
        .unwrap();
    shop.set_setting(Setting::CurrencySymbol, "€").unwrap();
    let new = common::new_customer("Zoë Ștefan", "", "+40 21 555 0199");
    let zoe = shop
        .add_customer(&new, SharedPhone::Refuse, at_micros(1))
        .unwrap();
    let mug = common::add_product(&mut shop, "MUG-7", "Blue mug", "12.50", 20);
    let order = NewOrder {
        sale_id: Some(SaleId::parse("till-2.sale_0042").unwrap()),
        ..common::new_order(zoe.id, &["MUG-7:2"])
    };
    let total = shop.price_order(&order).unwrap().total;
    let payment = Payment {
        method: PaymentMethod::Cash,
        tendered: Some(total.checked_add(total).unwrap()),
    };
    shop.place_counter_sale(&order, payment, total, at_micros(2))
        .unwrap();
    let pending = shop
        .place_order(&common::new_order(0, &["MUG-7:1"]), at_micros(3))
        .unwrap();
    shop.set_order_status(pending.id, Status::Canceled, "gone ✗", at_micros(4))
        .unwrap();
    let two = Quantity::new(2).unwrap();
    // One parked sale with its sale id, one without: a copy keeps each.
    let parked_sale_id = SaleId::parse("till-2.sale_0043").unwrap();
    shop.park_sale(
        zoe.id,
        &[(mug.id, two)],
        Some(&parked_sale_id),
        at_micros(5),
    )
    .unwrap();
    let resumed = shop
        .park_sale(0, &[(mug.id, two)], None, at_micros(6))
        .unwrap();
    shop.park_sale(zoe.id, &[(mug.id, two), (1, two)], None, at_micros(7))
        .unwrap();
    shop.resume_parked_sale(resumed).unwrap();
    drop(shop);
    for (table, rows) in sqlite_rows(path) {
        assert!(
            !rows.is_empty(),
            "{table} has no row in the busy shop: give it one, so that a copy that leaves it out fails"
        );
    }
}

/// A busy shop in a new folder, and an empty database on the test server.
struct HomeAndServer {
    dir: tempfile::TempDir,
    home: PathBuf,
    server: TestDatabase,
    url: String,
}

fn home_and_server() -> HomeAndServer {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home.db");
    busy_shop(&home);
    let server = TestDatabase::create();
    let url = server.url().to_string();
    HomeAndServer {
        dir,
        home,
        server,
        url,
    }
}

/// Every table of the test database, sorted.
fn all_tables(conn: &mut mysql::Conn) -> Vec<String> {
    conn.query(
        "SELECT table_name FROM information_schema.tables
         WHERE table_schema = DATABASE() ORDER BY table_name",
    )
    .unwrap()
}

fn copy(source: &str, target: &str) -> Run {
    finish(shopdesk().args(["copy", source, target]).output().unwrap())
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs `args` on the shop at `db` (a path or a URL), as JSON.
fn json_of(db: &str, args: &[&str]) -> String {
    let run = finish(
        shopdesk()
            .args(["--db", db, "--json"])
            .args(args)
            .output()
            .unwrap(),
    );
    run.ok().stdout
}

/// Every list, a few orders, their receipts and a product's ledger read
/// the same from both shops; `check` passes on the second.
fn assert_shops_agree(source: &str, copy: &str) {
    finish(shopdesk().args(["--db", copy, "check"]).output().unwrap()).ok();
    let all = ["--limit", "1000000"];
    let mut commands: Vec<Vec<&str>> = vec![
        [&["customer", "list"][..], &all].concat(),
        [&["product", "list"][..], &all].concat(),
        [&["order", "list"][..], &all].concat(),
        vec!["customer", "list", "--search", "an"],
        vec!["customer", "list", "--search", "5550199"],
        vec!["product", "list", "--search", "mug"],
        vec!["order", "history", "1"],
        vec!["settings"],
        vec!["product", "moves", "id:1"],
        vec!["product", "moves", "sku:MUG-7"],
    ];
    let orders = ["1", "2", "150", "301", "302"];
    for order in &orders {
        commands.push(vec!["order", "show", order]);
        commands.push(vec!["order", "receipt", order]);
    }
    for command in commands {
        let (expected, copied) = (json_of(source, &command), json_of(copy, &command));
        assert!(!expected.is_empty(), "{command:?}");
        assert_eq!(expected, copied, "{command:?}");
    }
}

#[test]
fn a_shop_copied_to_a_new_file_is_the_same_row_for_row() {
    let dir = tempfile::tempdir().unwrap();
    let (home, copied) = (dir.path().join("home.db"), dir.path().join("copy.db"));
    busy_shop(&home);
    let run = copy(text(&home), text(&copied)).ok();
    assert!(run.stdout.starts_with("Copied"), "{}", run.stdout);
    assert_eq!(common::mode_of(&copied), 0o600);
    assert_eq!(sqlite_rows(&copied), sqlite_rows(&home));
    assert_shops_agree(text(&home), text(&copied));
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_shop_goes_to_mariadb_and_back_row_for_row() {
    let HomeAndServer {
        dir,
        home,
        server,
        url,
    } = home_and_server();
    let back = dir.path().join("back.db");
    let run = copy(text(&home), &url).ok();
    assert!(run.stdout.contains(&url), "{}", run.stdout);
    assert_eq!(mariadb_rows(&server), sqlite_rows(&home));
    let walk_in: Option<(i64, String)> = server
        .connect()
        .query_first("SELECT id, name FROM customers ORDER BY id LIMIT 1")
        .unwrap();
    assert_eq!(walk_in, Some((0, "Walk-in".to_string())));
    assert_every_new_id_follows_the_copied_ones(&server);
    assert_shops_agree(text(&home), &url);
    copy(&url, text(&back)).ok();
    assert_eq!(sqlite_rows(&back), sqlite_rows(&home));
    assert_shops_agree(text(&home), text(&back));
}

/// Each AUTO_INCREMENT is past the highest id copied: the next row
/// added gets a new id, never one a copied row has.
fn assert_every_new_id_follows_the_copied_ones(server: &TestDatabase) {
    let mut conn = server.connect();
    for table in ["customers", "products", "orders", "parked_sales"] {
        let highest: Option<i64> = conn
            .query_first(format!("SELECT MAX(id) FROM `{table}`"))
            .unwrap();
        let next: Option<i64> = conn
            .exec_first(
                "SELECT auto_increment FROM information_schema.tables
                 WHERE table_schema = DATABASE() AND table_name = ?",
                (table,),
            )
            .unwrap();
        assert!(
            next > highest,
            "{table}: next id {next:?}, highest {highest:?}"
        );
    }
}

// ---- one moment of the source ------------------------------------------------------

/// Collects a copy's rows, and makes a change to the source on another
/// connection once the customers are read (as a counter selling
/// meanwhile would).
struct Meanwhile<F: FnMut()> {
    change: F,
    rows: BTreeMap<&'static str, Vec<Row>>,
}

impl<F: FnMut()> TableWriter for Meanwhile<F> {
    fn write_table(
        &mut self,
        table: &'static Table,
        rows: &mut dyn Iterator<Item = shopdesk::store::Result<Row>>,
    ) -> shopdesk::store::Result<()> {
        let rows = rows.collect::<shopdesk::store::Result<Vec<Row>>>()?;
        self.rows.insert(table.name, rows);
        if table.name == "customers" {
            (self.change)();
        }
        Ok(())
    }
}

/// A customer and a setting added on another connection in the middle of
/// the copy are in none of its tables: every table was read at the moment
/// the copy began.
fn assert_one_moment(shop: &dyn Shop, change: impl FnMut()) {
    let mut meanwhile = Meanwhile {
        change,
        rows: BTreeMap::new(),
    };
    shop.copy_rows(&mut meanwhile).unwrap();
    let names: Vec<&str> = meanwhile.rows.keys().copied().collect();
    let mut listed: Vec<&str> = TABLES.iter().map(|table| table.name).collect();
    listed.sort();
    assert_eq!(names, listed);
    assert_eq!(meanwhile.rows["customers"].len(), 1, "Walk-in alone");
    assert_eq!(meanwhile.rows["settings"], Vec::<Row>::new());
    let walk_in = &meanwhile.rows["customers"][0];
    assert_eq!(walk_in[0], RowValue::Integer(0));
    assert_eq!(walk_in[1], RowValue::Text("Walk-in".into()));
    assert!(matches!(walk_in[2], RowValue::Null), "{walk_in:?}");
    assert!(matches!(walk_in[5], RowValue::Time(_)), "{walk_in:?}");
}

/// What a counter writes meanwhile, as SQL both dialects take, with a
/// time written as the dialect keeps it.
fn sold_meanwhile(created_at: &str) -> [String; 2] {
    [
        format!(
            "INSERT INTO customers (id, name, phone, phone_digits, created_at, search_key)
             VALUES (7, 'Meanwhile', '555', '555', '{created_at}', 'meanwhile')"
        ),
        "INSERT INTO settings (`key`, value) VALUES ('shop_name', 'Meanwhile')".to_string(),
    ]
}

#[test]
fn a_copy_of_an_sqlite_shop_is_one_moment_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    let shop = SqliteStore::open(&path).unwrap();
    let counter = Connection::open(&path).unwrap();
    assert_one_moment(&shop, || {
        for sql in sold_meanwhile("2026-03-01T12:00:00.000000Z") {
            counter.execute(&sql, []).unwrap();
        }
    });
    assert_eq!(shop.settings().unwrap().shop_name, "Meanwhile");
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_copy_of_a_mariadb_shop_is_one_moment_of_it() {
    let database = TestDatabase::create();
    let shop = MysqlStore::open(database.url(), None).unwrap();
    let mut counter = database.connect();
    assert_one_moment(&shop, || {
        for sql in sold_meanwhile("2026-03-01 12:00:00") {
            counter.query_drop(sql).unwrap();
        }
    });
    let name: Option<String> = counter
        .query_first("SELECT value FROM settings WHERE `key` = 'shop_name'")
        .unwrap();
    assert_eq!(name.as_deref(), Some("Meanwhile"));
}

// ---- refusals: a target that holds anything, a source it cannot copy ---------------

#[test]
fn a_copy_never_writes_over_a_file() {
    let shop = common::cli::Shop::stocked();
    let target = shop.dir.path().join("taken.db");
    std::fs::write(&target, b"someone's file").unwrap();
    let untouched = FilesBeside::of(&target);
    copy(text(&shop.db()), text(&target)).refused("is not empty (a file is already there)");
    untouched.assert_unchanged();
}

#[test]
fn a_copy_of_a_shop_made_by_an_older_shopdesk_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/shopdesk-v4.db"),
        &old,
    )
    .unwrap();
    let untouched = FilesBeside::of(&old);
    let target = dir.path().join("new.db");
    copy(text(&old), text(&target)).refused("was made by an older shopdesk (schema version 4)");
    untouched.assert_unchanged();
    assert!(!target.exists());
}

#[test]
fn a_copy_of_a_missing_shop_makes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new.db");
    copy(text(&dir.path().join("nowhere.db")), text(&target)).refused("there is no database at");
    assert!(!target.exists());
}

#[test]
fn a_server_out_of_reach_is_a_temporary_failure_that_makes_nothing() {
    let shop = common::cli::Shop::stocked();
    // Nothing listens on port 1 of this machine.
    let nowhere = "mysql://root@127.0.0.1:1/shop";
    copy(text(&shop.db()), nowhere).temporary("cannot reach the database server at 127.0.0.1:1");
    let target = shop.dir.path().join("copy.db");
    copy(nowhere, text(&target)).temporary("127.0.0.1:1");
    assert!(!target.exists());
    let backup = shop.dir.path().join("backup.db");
    finish(
        shopdesk()
            .args(["--db", nowhere, "backup", text(&backup)])
            .output()
            .unwrap(),
    )
    .temporary("127.0.0.1:1");
    assert!(!backup.exists());
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn an_empty_mariadb_database_is_no_shop_to_copy_or_back_up() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestDatabase::create();
    let url = server.url().to_string();
    let target = dir.path().join("copy.db");
    copy(&url, text(&target)).refused("there is no shopdesk database at");
    finish(
        shopdesk()
            .args(["--db", &url, "backup", text(&target)])
            .output()
            .unwrap(),
    )
    .refused("there is no shopdesk database at");
    assert!(!target.exists());
    assert_eq!(all_tables(&mut server.connect()), Vec::<String>::new());
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_copy_into_a_mariadb_database_with_tables_is_refused_untouched() {
    let shop = common::cli::Shop::stocked();
    let server = TestDatabase::create();
    let mut conn = server.connect();
    conn.query_drop("CREATE TABLE ledger (entry INT PRIMARY KEY)")
        .unwrap();
    conn.query_drop("INSERT INTO ledger VALUES (42)").unwrap();
    copy(text(&shop.db()), &server.url().to_string())
        .refused("is not empty (it holds the table ledger)");
    assert_eq!(all_tables(&mut conn), ["ledger"]);
    let entries: Vec<i64> = conn.query("SELECT entry FROM ledger").unwrap();
    assert_eq!(entries, [42]);
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_copy_into_a_mariadb_shop_is_refused_untouched() {
    let shop = common::cli::Shop::stocked();
    let server = TestDatabase::create();
    let url = server.url().to_string();
    copy(text(&shop.db()), &url).ok();
    let before = mariadb_rows(&server);
    copy(text(&shop.db()), &url).refused("is not empty (it holds 11 tables: customers");
    assert_eq!(mariadb_rows(&server), before);
}

// ---- a copy that stops midway leaves nothing ---------------------------------------

/// Runs `sql` on the SQLite file at `path` as another tool would, with
/// none of shopdesk's checks.
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn.execute_batch(sql).unwrap();
}

/// The names in `folder`, sorted.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_copy_into_a_file_that_stops_midway_leaves_no_file() {
    let shop = common::cli::Shop::stocked();
    shop.run(&["order", "place", "--customer", "1", "MUG-1:2"])
        .ok();
    // A line of a product nobody has, written by another tool: the new
    // file's foreign keys refuse it once the orders are in.
    tamper(
        &shop.db(),
        "INSERT INTO order_items VALUES (1, 99, 2, 'GONE', 'Gone', 1, 100, 100)",
    );
    let before = names_in(shop.dir.path());
    let target = shop.dir.path().join("copy.db");
    copy(text(&shop.db()), text(&target))
        .refused("stopped: database error: FOREIGN KEY constraint failed; no file was made");
    assert_eq!(
        names_in(shop.dir.path()),
        before,
        "no file, partial or whole"
    );
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_copy_into_mariadb_that_stops_midway_leaves_it_empty_for_another_try() {
    let HomeAndServer {
        dir: _dir,
        home,
        server,
        url,
    } = home_and_server();
    // A setting's key longer than MariaDB's column takes, written by
    // another tool: refused after customers, products and orders are in.
    let key = "k".repeat(101);
    tamper(
        &home,
        &format!("INSERT INTO settings VALUES ('{key}', 'v')"),
    );
    copy(text(&home), &url).refused("the database is empty again, ready for another try");
    assert_eq!(all_tables(&mut server.connect()), Vec::<String>::new());
    tamper(&home, &format!("DELETE FROM settings WHERE key = '{key}'"));
    copy(text(&home), &url).ok();
    assert_eq!(mariadb_rows(&server), sqlite_rows(&home));
}

// ---- the backup of a server database -------------------------------------------------

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_server_shop_backs_up_to_a_new_owner_only_file_that_check_passes() {
    let HomeAndServer {
        dir,
        home,
        server: _server,
        url,
    } = home_and_server();
    copy(text(&home), &url).ok();
    let backup: PathBuf = dir.path().join("backup.db");
    let run = finish(
        shopdesk()
            .args(["--db", &url, "--json", "backup", text(&backup)])
            .output()
            .unwrap(),
    )
    .ok();
    let record = run.json();
    assert_eq!(record["backup"], text(&backup));
    assert_eq!(
        record["bytes"].as_u64(),
        Some(std::fs::metadata(&backup).unwrap().len())
    );
    assert_eq!(common::mode_of(&backup), 0o600);
    assert_eq!(sqlite_rows(&backup), sqlite_rows(&home));
    finish(
        shopdesk()
            .args(["--db", text(&backup), "check"])
            .output()
            .unwrap(),
    )
    .ok();
    let untouched = FilesBeside::of(&backup);
    finish(
        shopdesk()
            .args(["--db", &url, "backup", text(&backup)])
            .output()
            .unwrap(),
    )
    .refused("already exists; give a new file name");
    untouched.assert_unchanged();
}
