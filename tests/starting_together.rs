//! Several counters starting at once: on a database that does not exist
//! yet, on one that needs upgrading, and while `demo` fills a shop. Each
//! one waits for the others' step instead of failing. SQLite only: a file
//! made or upgraded by the first to get its lock (a server database's
//! counters opening at once: tests/server_open.rs).

mod common;

use std::path::Path;
use std::process::Output;
use std::sync::Barrier;

use common::cli::{Shop, shopdesk};
use rusqlite::Connection;
use shopdesk::store::LATEST_VERSION;

const COUNTERS: usize = 6;
const ROUNDS: usize = 30;
/// Rounds of each older version raced through its upgrade.
const UPGRADE_ROUNDS: usize = 40;

/// Starts `COUNTERS` processes on `db` as close together as threads can,
/// each running `args` for its own number, and returns what each did.
fn start_together(db: &Path, args: impl Fn(usize) -> Vec<String> + Sync) -> Vec<Output> {
    let start = Barrier::new(COUNTERS);
    let args = &args;
    std::thread::scope(|scope| {
        let counters: Vec<_> = (0..COUNTERS)
            .map(|counter| {
                let start = &start;
                scope.spawn(move || {
                    let mut command = shopdesk();
                    command.arg("--db").arg(db).args(args(counter));
                    start.wait();
                    command.output().unwrap()
                })
            })
            .collect();
        counters.into_iter().map(|c| c.join().unwrap()).collect()
    })
}

#[track_caller]
fn assert_all_succeeded(outputs: &[Output], round: usize) {
    for output in outputs {
        assert!(
            output.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The database's schema, as SQLite stores it.
fn schema(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut statement = conn
        .prepare("SELECT type || ' ' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite%' ORDER BY 1")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn counters_starting_together_on_a_missing_or_empty_database_all_start_on_one_schema() {
    let expected = {
        let shop = Shop::new();
        shop.run(&["customer", "list"]).ok();
        schema(&shop.db())
    };
    for round in 0..ROUNDS {
        let shop = Shop::new();
        // Every other round the file is there, empty (made by `touch`).
        if round % 2 == 1 {
            std::fs::write(shop.db(), b"").unwrap();
        }
        let outputs = start_together(&shop.db(), |counter| {
            if counter % 2 == 0 {
                vec!["customer".into(), "list".into()]
            } else {
                ["customer", "add", "--name", "Ann Lee", "--email"]
                    .map(String::from)
                    .into_iter()
                    .chain([format!("ann{counter}@example.com")])
                    .collect()
            }
        });
        assert_all_succeeded(&outputs, round);
        assert_eq!(schema(&shop.db()), expected, "round {round}");
        assert_eq!(common::user_version(&shop.db()), LATEST_VERSION);
        let customers = shop.json(&["customer", "list"]).ok().json_lines();
        assert_eq!(
            customers.len(),
            1 + COUNTERS / 2,
            "round {round}: Walk-in and each one added"
        );
        let leftovers: Vec<_> = std::fs::read_dir(shop.dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with("shop.db"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

/// What `check` says of the database (its exit code and findings), but
/// for the time it took.
fn check_findings(shop: &Shop) -> (i32, Vec<String>) {
    let run = shop.run(&["check"]);
    let findings = run
        .stdout
        .lines()
        .filter(|line| !line.contains(" is sound: "))
        .map(String::from)
        .collect();
    (run.code, findings)
}

/// A copy of the fixture of schema `version` in a new shop.
fn old_shop(version: i64) -> Shop {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/shopdesk-v{version}.db"));
    let shop = Shop::new();
    std::fs::copy(fixture, shop.db()).unwrap();
    shop
}

#[test]
fn counters_starting_together_on_an_old_database_upgrade_it_once() {
    let expected_schema = {
        let shop = Shop::new();
        shop.run(&["customer", "list"]).ok();
        schema(&shop.db())
    };
    for old in 1..LATEST_VERSION {
        // What one counter alone makes of it.
        let alone = old_shop(old);
        alone.run(&["product", "list"]).ok();
        let expected_findings = check_findings(&alone);
        for round in 0..UPGRADE_ROUNDS {
            let shop = old_shop(old);
            let outputs = start_together(&shop.db(), |_| vec!["product".into(), "list".into()]);
            assert_all_succeeded(&outputs, round);
            assert_eq!(common::user_version(&shop.db()), LATEST_VERSION, "v{old}");
            assert_eq!(
                schema(&shop.db()),
                expected_schema,
                "v{old}: one schema, upgraded once"
            );
            assert_eq!(
                check_findings(&shop),
                expected_findings,
                "v{old}, round {round}"
            );
        }
    }
}

#[test]
fn demo_fills_a_shop_while_other_connections_are_open() {
    let shop = Shop::new();
    shop.run(&["customer", "list"]).ok();
    // Another counter that has the database open, reading now and then.
    let other = Connection::open(shop.db()).unwrap();
    let _: i64 = other
        .query_row("SELECT count(*) FROM customers", [], |row| row.get(0))
        .unwrap();
    let args = [
        "demo",
        "--customers",
        "20",
        "--products",
        "10",
        "--orders",
        "50",
        "--seed",
        "3",
    ];
    let made = shop.run(&args).ok();
    assert!(made.stdout.contains("Demo shop ready"), "{}", made.stdout);
    let orders: i64 = other
        .query_row("SELECT count(*) FROM orders", [], |row| row.get(0))
        .unwrap();
    assert_eq!(orders, 50, "the other counter sees the demo shop");
    let journal: String = other
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(journal, "wal", "the shop stays in WAL mode");
    shop.run(&["check"]).ok();
}
