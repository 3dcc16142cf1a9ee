//! The shop's data stays whole: the stock ledger, `shopdesk check` finding
//! what is broken, and backups made while counters keep selling.
//!
//! The tests taking a `Shop` run on every backend (`contract_suite!` at the
//! end). The others stay on SQLite: stored times and text that only
//! SQLite's columns can hold (a server's hold times and UTF-8 alone:
//! tests/check.rs), a damaged file, and backups of a file.

mod common;

use std::process::Stdio;

use common::cli::{Shop, shopdesk};
use common::contract_suite;
use rusqlite::Connection;
use serde_json::Value;

fn moves(shop: &Shop, product: &str) -> Vec<Value> {
    shop.json(&["product", "moves", product]).ok().json_lines()
}

fn stock(shop: &Shop, product: &str) -> i64 {
    shop.json(&["product", "show", product]).ok().json()["stock"]
        .as_i64()
        .unwrap()
}

fn every_change_of_stock_is_a_ledger_row_that_sums_to_the_stock(shop: Shop) {
    let shop = shop.stock();
    shop.run(&["product", "restock", "MUG-1", "--add", "5"])
        .ok();
    shop.run(&[
        "order",
        "place",
        "--customer",
        "1",
        "MUG-1:3",
        "4006381333931:2",
    ])
    .ok();
    shop.run(&[
        "order",
        "place",
        "--customer",
        "walk-in",
        "--paid",
        "card",
        "MUG-1",
    ])
    .ok();
    shop.run(&["order", "status", "1", "canceled"]).ok();
    shop.run(&["product", "restock", "MUG-1", "--set", "30"])
        .ok();
    // A count that finds what the ledger says changes nothing.
    shop.run(&["product", "restock", "MUG-1", "--set", "30"])
        .ok();

    let ledger = moves(&shop, "MUG-1");
    let rows: Vec<(i64, &str, Option<i64>, i64)> = ledger
        .iter()
        .map(|m| {
            (
                m["delta"].as_i64().unwrap(),
                m["reason"].as_str().unwrap(),
                m["order_id"].as_i64(),
                m["balance"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (20, "initial", None, 20),
            (5, "restock", None, 25),
            (-3, "sale", Some(1), 22),
            (-1, "sale", Some(2), 21),
            (3, "cancel", Some(1), 24),
            (6, "count", None, 30),
        ]
    );
    for product in ["MUG-1", "4006381333931"] {
        let sum: i64 = moves(&shop, product)
            .iter()
            .map(|m| m["delta"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, stock(&shop, product), "{product}");
    }

    let table = shop
        .run(&["product", "moves", "MUG-1", "--limit", "2"])
        .ok()
        .stdout;
    assert!(table.contains("order canceled (order 1)"), "{table}");
    assert!(table.contains("counted"), "{table}");
    assert!(!table.contains("restocked"), "only the latest 2: {table}");
    shop.run(&["product", "moves", "NOPE"])
        .refused("no product");
}

fn check_passes_a_sound_database_with_a_one_line_summary(shop: Shop) {
    let shop = shop.stock();
    shop.run(&["order", "place", "--customer", "1", "MUG-1:12"])
        .ok();
    shop.run(&["order", "status", "1", "shipped"]).ok();
    let run = shop.run(&["check"]).ok();
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("is sound: 1 order, 2 products and 3 stock moves checked"),
        "{}",
        run.stdout
    );
}

fn check_names_every_broken_order_product_and_timeline(shop: Shop) {
    let shop = shop.stock();
    for _ in 0..4 {
        shop.run(&[
            "order",
            "place",
            "--customer",
            "1",
            "MUG-1:1",
            "4006381333931:11",
        ])
        .ok();
    }
    shop.run(&["order", "status", "3", "shipped"]).ok();
    shop.tamper(
        "UPDATE orders SET total_cents = 1 WHERE id = 1;
         DELETE FROM stock_moves WHERE order_id = 2 AND product_id = 1;
         UPDATE order_events SET from_status = 'canceled' WHERE order_id = 3 AND seq = 2;
         DELETE FROM order_events WHERE order_id = 4;
         UPDATE products SET stock = stock + 1 WHERE sku = '4006381333931';
         UPDATE order_items SET product_id = 99 WHERE order_id = 2 AND product_id = 2;",
    );
    let run = shop.run(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let found = &run.stdout;
    // The two rows that break a CHECK of the schema, each backend names in
    // its own words (tests/check.rs): SQLite's integrity check, the
    // server's CHECKs evaluated again.
    for table in ["orders", "order_events"] {
        assert!(
            found.lines().any(|line| line.starts_with("integrity: ")
                && line.contains("CHECK constraint")
                && line.contains(&format!(" in {table}"))),
            "the broken CHECK in {table}:\n{found}"
        );
    }
    for expected in [
        "totals: order 1: stored subtotal $34.39, discount $3.44, total $0.01; its lines make $34.39, $3.44, $30.95",
        "ledger: product 1 (MUG-1): stock 16, but its ledger adds up to 17",
        "ledger: order 2, product 1: 1 sold, but the ledger took 0",
        "ledger: product 2 (4006381333931): stock 57, but its ledger adds up to 56",
        "timeline: order 3: event 2 starts from canceled, but the order was pending",
        "timeline: order 4 has no events",
        "foreign key: order_items (order_id 2, product_id 99): product_id 99 refers to a missing row of products",
        "ledger: order 2, product 99: 11 sold, but the ledger took 0",
        "ledger: the ledger moves product 2 for order 2, which has no line of it",
    ] {
        assert!(
            found.contains(expected),
            "expected “{expected}” in:\n{found}"
        );
    }
    assert_eq!(found.lines().count(), 11, "{found}");
    assert!(run.stderr.contains("11 problems"), "{}", run.stderr);
}

/// `shop` stocked, with one order (a mug and a pen), changed by `sql`
/// behind shopdesk's back.
fn one_order_tampered(shop: Shop, sql: &str) -> Shop {
    let shop = shop.stock();
    let order = [
        "order",
        "place",
        "--customer",
        "1",
        "MUG-1:1",
        "4006381333931:1",
    ];
    shop.run(&order).ok();
    shop.tamper(sql);
    shop
}

/// `check` finds the database unsound, listing each of `expected`.
#[track_caller]
fn assert_check_names(shop: &Shop, expected: &[String]) {
    let run = shop.run(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    for expected in expected {
        assert!(
            run.stdout.contains(expected.as_str()),
            "expected “{expected}” in:\n{}",
            run.stdout
        );
    }
}

/// `command` refuses, saying `why` and pointing to `shopdesk check`.
#[track_caller]
fn assert_refused_pointing_to_check(shop: &Shop, command: &[&str], why: &str) {
    let run = shop.run(command);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(why) && run.stderr.contains("shopdesk check"),
        "{}",
        run.stderr
    );
}

/// Times another tool wrote: 27 characters, as the schema asks, but not a
/// time (or not a real one).
const NOT_TIMES: [&str; 2] = ["not a time, 27 characters!", "2026-13-45T99:99:99.999999Z"];

#[test]
fn check_names_every_stored_time_that_is_not_a_time() {
    let [bad, impossible] = NOT_TIMES;
    let shop = one_order_tampered(
        Shop::new(),
        &format!(
            "UPDATE customers SET created_at = '{bad}' WHERE id = 1;
         UPDATE products SET updated_at = '{impossible}' WHERE id = 2;
         UPDATE orders SET created_at = '{impossible}' WHERE id = 1;
         UPDATE order_events SET at = '{bad}' WHERE order_id = 1;
         UPDATE stock_moves SET at = '{bad}' WHERE product_id = 1 AND seq = 1;
         UPDATE products SET created_at = '2026-02-30T10:00:00.000000Z' WHERE id = 1;
         UPDATE customers SET created_at = '2028-02-29T10:00:00.000000Z' WHERE id = 0;"
        ),
    );
    assert_check_names(
        &shop,
        &[
            format!("time: customer 1: created_at “{bad}” is not a time"),
            format!("time: product 2: updated_at “{impossible}” is not a time"),
            format!("time: order 1: created_at “{impossible}” is not a time"),
            format!("time: order 1, event 1: at “{bad}” is not a time"),
            format!("time: product 1, stock move 1: at “{bad}” is not a time"),
            "time: product 1: created_at “2026-02-30T10:00:00.000000Z” is not a time".to_string(),
        ],
    );
    let checked = shop.run(&["check"]).stdout;
    assert!(
        !checked.contains("customer 0"),
        "29 February 2028 is a day: {checked}"
    );
}

fn a_stored_time_that_is_not_a_time_is_refused_in_words_that_lead_to_check(shop: Shop) {
    // A server's time column holds only times, and an impossible day
    // where the session allows it; SQLite's text holds any.
    let bad = match shop.server() {
        Some(_) => "2026-02-30 10:00:00.000000",
        None => NOT_TIMES[0],
    };
    let shop = one_order_tampered(
        shop,
        &format!("UPDATE customers SET created_at = '{bad}' WHERE id = 1"),
    );
    assert_refused_pointing_to_check(
        &shop,
        &["customer", "list"],
        &format!("“{bad}” is not a time"),
    );
}

fn an_order_whose_customer_row_is_missing_is_still_shown_and_listed(shop: Shop) {
    let shop = one_order_tampered(shop, "UPDATE orders SET customer_id = 999 WHERE id = 1");

    let shown = shop.run(&["order", "show", "1"]).ok();
    assert!(
        shown.stdout.contains("customer 999 is missing"),
        "{}",
        shown.stdout
    );
    let listed = shop.json(&["order", "list"]).ok().json_lines();
    assert_eq!(listed.len(), 1, "the order is listed");
    assert_eq!(listed[0]["customer_id"], 999);
    assert_check_names(
        &shop,
        &["row 1 of orders refers to a missing row of customers".to_string()],
    );
}

fn a_ledger_that_adds_up_past_the_largest_number_is_still_shown(shop: Shop) {
    let shop = shop.stock();
    shop.run(&["product", "restock", "MUG-1", "--add", "5"])
        .ok();
    shop.tamper(&format!(
        "UPDATE stock_moves SET delta = {} WHERE product_id = 1",
        i64::MAX
    ));
    let shown = moves(&shop, "MUG-1");
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert_eq!(shown[0]["balance"], i64::MAX);
    assert_eq!(shown[1]["balance"], i64::MAX, "at the bound, not wrapped");
    assert_check_names(&shop, &["ledger: product 1".to_string()]);
}

fn an_order_with_quantities_no_shop_could_hold_is_listed_without_a_panic(shop: Shop) {
    let shop = one_order_tampered(
        shop,
        &format!(
            "UPDATE order_items SET quantity = {} WHERE order_id = 1",
            i64::MAX
        ),
    );
    for command in [
        &["order", "list"][..],
        &["order", "receipt", "1"],
        &["order", "show", "1"],
    ] {
        let run = shop.run(command);
        assert_eq!(run.code, 0, "{command:?}: {}", run.stderr);
    }
}

#[test]
fn text_that_is_not_utf8_is_named_by_check_and_refused_in_words_that_lead_to_it() {
    let shop = one_order_tampered(
        Shop::new(),
        "UPDATE customers SET name = CAST(X'41FF42' AS TEXT) WHERE id = 1;
         UPDATE orders SET note = CAST(X'FE' AS TEXT) WHERE id = 1;
         UPDATE order_items SET name = CAST(X'C0AF' AS TEXT) WHERE order_id = 1;",
    );
    assert_check_names(
        &shop,
        &[
            "text: customer 1: name is not UTF-8 text".to_string(),
            "text: order 1: note is not UTF-8 text".to_string(),
            "text: order 1, product 1: name is not UTF-8 text".to_string(),
        ],
    );
    assert_refused_pointing_to_check(&shop, &["customer", "list"], "not UTF-8");
}

/// Overwrites the middle of the file, where the tables' pages are.
fn damage(shop: &Shop) {
    use std::io::{Seek, SeekFrom, Write};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(shop.db())
        .unwrap();
    let length = file.metadata().unwrap().len();
    file.seek(SeekFrom::Start(length / 2)).unwrap();
    file.write_all(&vec![0x5a; 8192]).unwrap();
}

#[test]
fn check_reports_a_damaged_file_and_tells_how_to_recover() {
    let shop = Shop::new();
    shop.run(&[
        "demo",
        "--customers",
        "300",
        "--products",
        "300",
        "--orders",
        "3000",
    ])
    .ok();
    // Fold the write-ahead log into the file, so the damage lands on data.
    Connection::open(shop.db())
        .unwrap()
        .pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    damage(&shop);
    let run = shop.run(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("integrity: "), "{}", run.stdout);
    assert!(
        run.stderr.contains("restore your latest backup"),
        "{}",
        run.stderr
    );
}

#[test]
fn backups_and_checks_made_while_a_counter_sells_are_consistent_and_a_backup_restores() {
    let shop = Shop::stocked();
    shop.run(&["product", "restock", "4006381333931", "--set", "100000"])
        .ok();
    let db = shop.db();
    // A second counter sells as fast as it can while the backups are made.
    let selling = std::thread::spawn(move || {
        for _ in 0..40 {
            let status = shopdesk()
                .arg("--db")
                .arg(&db)
                .args(["order", "place", "--customer", "1", "4006381333931:1"])
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        }
    });
    let mut copies = Vec::new();
    for n in 0..5 {
        let copy = shop.dir.path().join(format!("backup-{n}.db"));
        let run = shop.run(&["backup", copy.to_str().unwrap()]).ok();
        assert!(run.stdout.contains("Backed up"), "{}", run.stdout);
        copies.push(copy);
        // Checking while a counter sells sees one moment too.
        shop.run(&["check"]).ok();
    }
    selling.join().unwrap();
    for copy in &copies {
        let checked = shopdesk()
            .arg("--db")
            .arg(copy)
            .arg("check")
            .output()
            .unwrap();
        assert!(checked.status.success(), "{checked:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(copy).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "a backup is the owner's alone");
        }
    }
    let existing = copies[0].to_str().unwrap();
    let before = std::fs::read(&copies[0]).unwrap();
    shop.run(&["backup", existing]).refused("already exists");
    assert_eq!(std::fs::read(&copies[0]).unwrap(), before, "left untouched");
    shop.run(&["backup", shop.db().to_str().unwrap()])
        .refused("is the database itself");
    shop.run(&["backup", "/no/such/folder/shop.db"])
        .refused("there is no folder /no/such/folder");
    let missing = Shop::new();
    missing.run(&["check"]).refused("there is no database at");
    missing
        .run(&["backup", "copy.db"])
        .refused("there is no database at");
    assert!(!missing.db().exists(), "a mistyped path creates nothing");

    // Restoring is copying the backup into place.
    let sold_before = shop.json(&["order", "list"]).ok().json_lines().len();
    std::fs::copy(&copies[0], shop.db()).unwrap();
    for stale in ["shop.db-wal", "shop.db-shm"] {
        let _ = std::fs::remove_file(shop.dir.path().join(stale));
    }
    shop.run(&["check"]).ok();
    let restored = shop.json(&["order", "list"]).ok().json_lines().len();
    assert!(restored <= sold_before);
}

#[test]
fn a_backup_name_that_looks_like_a_uri_is_just_a_file_name() {
    let shop = Shop::stocked();
    let run = shopdesk()
        .current_dir(shop.dir.path())
        .arg("--db")
        .arg(shop.db())
        .args(["backup", "file:copy.db"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let copy = shop.dir.path().join("file:copy.db");
    assert!(
        std::fs::metadata(&copy).unwrap().len() > 0,
        "the copy is whole"
    );
    let leftovers: Vec<_> = std::fs::read_dir(shop.dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("partial") || name == "copy.db")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_older_database_is_backed_up_as_it_is_before_any_upgrade() {
    let shop = Shop::new();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shopdesk-v2.db");
    std::fs::copy(fixture, shop.db()).unwrap();
    let copy = shop.dir.path().join("before-upgrade.db");
    shop.run(&["backup", copy.to_str().unwrap()]).ok();
    assert_eq!(
        common::user_version(&shop.db()),
        2,
        "backing up upgraded nothing"
    );
    assert_eq!(
        common::user_version(&copy),
        2,
        "the copy is the old database"
    );
    shop.run(&["check"])
        .refused("made by an older shopdesk (schema version 2)");
    assert_eq!(
        common::user_version(&shop.db()),
        2,
        "checking upgraded nothing"
    );
    // Any other command upgrades it; then it checks sound.
    shop.run(&["product", "list"]).ok();
    shop.run(&["check"]).ok();
}

contract_suite!(
    every_change_of_stock_is_a_ledger_row_that_sums_to_the_stock,
    check_passes_a_sound_database_with_a_one_line_summary,
    check_names_every_broken_order_product_and_timeline,
    a_stored_time_that_is_not_a_time_is_refused_in_words_that_lead_to_check,
    an_order_whose_customer_row_is_missing_is_still_shown_and_listed,
    a_ledger_that_adds_up_past_the_largest_number_is_still_shown,
    an_order_with_quantities_no_shop_could_hold_is_listed_without_a_panic,
);
