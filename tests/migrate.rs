//! Databases made by earlier versions of shopdesk open and upgrade. Each
//! schema version leaves a fixture under tests/fixtures/ made by the
//! shopdesk of that version; every fixture must open with this one.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use rusqlite::Connection;
use shopdesk::store::{LATEST_VERSION, OrderFilter, Store};

fn fixtures() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "db"))
        .collect();
    found.sort();
    found
}

/// SQL without comments and with white space folded: `ALTER TABLE ... ADD
/// COLUMN` splices the new column into the stored text without the layout
/// (or the comments) of schema.sql.
fn normalize(sql: &str) -> String {
    let without_comments: Vec<&str> = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect();
    let folded = without_comments
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    folded
        .replace(" ,", ",")
        .replace(" )", ")")
        .replace("( ", "(")
}

/// The schema as SQLite reports it, without its own statistics tables.
fn schema(path: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = Connection::open(path).unwrap();
    let mut statement = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite%' ORDER BY type, name")
        .unwrap();
    statement
        .query_map([], |row| {
            let sql: Option<String> = row.get(2)?;
            Ok((row.get(0)?, row.get(1)?, sql.as_deref().map(normalize)))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}

#[test]
fn there_is_a_fixture_for_every_version_before_this_one() {
    // The current version's own fixture is made when the schema next changes.
    // Each read on a copy: opening a committed fixture in place may write
    // side files into the source tree, and fails for a user who cannot.
    let dir = tempfile::tempdir().unwrap();
    let versions: Vec<i64> = fixtures()
        .iter()
        .map(|fixture| {
            let copy = dir.path().join(fixture.file_name().unwrap());
            std::fs::copy(fixture, &copy).unwrap();
            version(&copy)
        })
        .collect();
    let expected: Vec<i64> = (1..LATEST_VERSION).collect();
    assert!(
        expected.iter().all(|v| versions.contains(v)),
        "fixtures hold versions {versions:?}; add one made by each version in {expected:?}"
    );
}

#[test]
fn every_fixture_upgrades_to_the_schema_of_a_new_database() {
    let fresh = new_store();
    let expected = schema(fresh.path());
    for fixture in fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        std::fs::copy(&fixture, &path).unwrap();
        let before_customers: Vec<(i64, String, Option<String>)> = {
            let conn = Connection::open(&path).unwrap();
            let mut statement = conn
                .prepare("SELECT id, name, email FROM customers")
                .unwrap();
            statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };

        let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
        let report = store.check().unwrap();
        assert!(
            report.is_ok(),
            "{} upgrades to a sound database: {:?}",
            fixture.display(),
            report.problems
        );
        assert_eq!(version(&path), LATEST_VERSION);
        assert_eq!(
            schema(&path),
            expected,
            "{} upgrades to the fresh schema",
            fixture.display()
        );

        // Everything it held is still there and usable.
        for (id, name, email) in before_customers {
            let customer = store.customer(id).unwrap();
            assert_eq!(
                (customer.name, customer.email),
                (name, email),
                "customer {id}"
            );
        }
        assert!(
            store.customer(0).unwrap().is_walk_in(),
            "the Walk-in customer is there"
        );
        let orders: Vec<_> = store
            .orders(OrderFilter::default())
            .map(Result::unwrap)
            .collect();
        assert!(!orders.is_empty());
        assert!(orders.iter().all(|order| !order.items.is_empty()));
        assert!(!store.order_events(orders[0].id).unwrap().is_empty());
        let zoe = store.search_customers("zoe", 5).unwrap();
        assert_eq!(zoe[0].name, "Zoë Ünal", "non-ASCII text survives");
        let product = store.search_products("", 1).unwrap().remove(0);
        store
            .restock(
                product.id,
                shopdesk::domain::product::Restock::add(5).unwrap(),
                at(0),
            )
            .unwrap();
        store
            .place_order(
                &new_order(zoe[0].id, &[&format!("{}:1", product.sku)]),
                at(1),
            )
            .unwrap();
    }
}

#[test]
fn a_canceled_order_without_its_cancel_event_still_upgrades_and_check_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let v2 = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shopdesk-v2.db");
    std::fs::copy(v2, &path).unwrap();
    // Order 2 of the fixture is canceled; lose the event that says so.
    Connection::open(&path)
        .unwrap()
        .execute(
            "DELETE FROM order_events WHERE order_id = 2 AND to_status = 'canceled'",
            [],
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    let report = store.check().unwrap();
    let problems: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        problems,
        ["order 2 is canceled, but its last event left it pending"]
    );
}
