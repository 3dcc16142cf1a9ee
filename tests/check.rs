//! `check` on every backend (contract tests, each on a fresh shop): a
//! sound shop passes; each kind of problem, written behind the shop's back
//! by the backend's own SQL as another tool would, is named in the same
//! words; and the check reads one moment while counters keep selling.
//! Then `check` from the command line on a server database.

mod common;

use ::mysql::prelude::Queryable;
use common::contract::Database;
use common::server::TestDatabase;
use common::*;
use shopdesk::domain::order::Status;
use shopdesk::domain::product::Restock;
use shopdesk::store::CheckReport;

/// Ann (customer 1), a mug at $12.50 × 20 (product 1) and a pen at $1.99 ×
/// 100 (product 2, SKU 4006381333931).
fn stock(shop: &mut TestShop) {
    add_customer(shop, "Ann Lee", "ann@example.com", "555-0102");
    add_product(shop, "MUG-1", "Blue mug", "12.50", 20);
    add_product(shop, "4006381333931", "Red pen", "1.99", 100);
}

/// Places an order for Ann of `items` (`SKU:quantity`); returns its id.
fn place(shop: &mut TestShop, items: &[&str]) -> i64 {
    shop.place_order(&new_order(1, items), at(1)).unwrap().id
}

/// Each problem the report lists, as `check` prints it: `kind: message`.
fn listed(report: &CheckReport) -> Vec<String> {
    report
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.kind.as_str(), p.message))
        .collect()
}

/// `report` lists each of `expected`.
#[track_caller]
fn assert_names(report: &CheckReport, expected: &[String]) {
    let found = listed(report);
    for expected in expected {
        assert!(
            found.contains(expected),
            "expected “{expected}” in {found:#?}"
        );
    }
}

fn check_passes_a_sound_shop_and_counts_what_it_read(mut shop: TestShop) {
    stock(&mut shop);
    let order = place(&mut shop, &["MUG-1:12"]);
    shop.set_order_status(order, Status::Shipped, "", at(2))
        .unwrap();
    let report = shop.check().unwrap();
    assert!(report.is_ok(), "{:#?}", report.problems);
    assert_eq!(
        (report.orders, report.products, report.stock_moves),
        (1, 2, 3)
    );
}

fn check_names_every_broken_order_product_and_timeline(mut shop: TestShop) {
    stock(&mut shop);
    for _ in 0..4 {
        place(&mut shop, &["MUG-1:1", "4006381333931:11"]);
    }
    shop.set_order_status(3, Status::Shipped, "", at(2))
        .unwrap();
    shop.tamper(
        "UPDATE orders SET total_cents = 1 WHERE id = 1;
         DELETE FROM stock_moves WHERE order_id = 2 AND product_id = 1;
         UPDATE order_events SET from_status = 'canceled' WHERE order_id = 3 AND seq = 2;
         DELETE FROM order_events WHERE order_id = 4;
         UPDATE products SET stock = stock + 1 WHERE sku = '4006381333931';
         UPDATE order_items SET product_id = 99 WHERE order_id = 2 AND product_id = 2",
    );
    let report = shop.check().unwrap();
    let expected = [
        "totals: order 1: stored subtotal $34.39, discount $3.44, total $0.01; its lines make $34.39, $3.44, $30.95",
        "ledger: product 1 (MUG-1): stock 16, but its ledger adds up to 17",
        "ledger: order 2, product 1: 1 sold, but the ledger took 0 and gave back 0",
        "ledger: product 2 (4006381333931): stock 57, but its ledger adds up to 56",
        "timeline: order 3: event 2 starts from canceled, but the order was pending",
        "timeline: order 4 has no events",
        "foreign key: order_items (order_id 2, product_id 99): product_id 99 refers to a missing row of products",
        "ledger: order 2, product 99: 11 sold, but the ledger took 0 and gave back 0",
        "ledger: the ledger moves product 2 for order 2, which has no line of it",
    ]
    .map(String::from);
    assert_names(&report, &expected);
    // The two rows that break a CHECK of the schema, which each backend
    // names in its own words: SQLite's integrity check, the server's
    // CHECKs evaluated again.
    let integrity: Vec<String> = listed(&report)
        .into_iter()
        .filter(|p| p.starts_with("integrity: "))
        .collect();
    assert_eq!(integrity.len(), 2, "{integrity:#?}");
    for table in ["orders", "order_events"] {
        assert!(
            integrity
                .iter()
                .any(|p| p.contains("CHECK constraint") && p.contains(&format!(" in {table}"))),
            "{integrity:#?}"
        );
    }
    if shop.server().is_some() {
        assert_eq!(
            integrity,
            [
                "integrity: CHECK constraint order_events_from failed in order_events: order 3, event 2",
                "integrity: CHECK constraint orders_total failed in orders: order 1",
            ]
        );
    }
    assert_eq!(
        report.problems.len(),
        expected.len() + 2,
        "{:#?}",
        listed(&report)
    );
}

fn check_names_a_row_that_refers_to_a_missing_one(mut shop: TestShop) {
    stock(&mut shop);
    place(&mut shop, &["MUG-1:1"]);
    shop.tamper("UPDATE orders SET customer_id = 999 WHERE id = 1");
    let report = shop.check().unwrap();
    assert_eq!(
        listed(&report),
        ["foreign key: row 1 of orders refers to a missing row of customers"]
    );
}

/// An order moved away behind the shop's back, its lines, events and moves
/// with it: each row that refers to the missing order is named, and the
/// line's moves are still its own (not moves of no line).
fn check_takes_the_moves_of_a_line_whose_order_is_missing_as_its_own(mut shop: TestShop) {
    stock(&mut shop);
    place(&mut shop, &["MUG-1:1"]);
    shop.tamper(
        "UPDATE order_items SET order_id = 999 WHERE order_id = 1;
         UPDATE order_events SET order_id = 999 WHERE order_id = 1;
         UPDATE stock_moves SET order_id = 999 WHERE order_id = 1",
    );
    let report = shop.check().unwrap();
    let mut found = listed(&report);
    found.sort();
    assert_eq!(
        found,
        [
            "foreign key: order_events (order_id 999, seq 1): order_id 999 refers to a missing row of orders",
            "foreign key: order_items (order_id 999, product_id 1): order_id 999 refers to a missing row of orders",
            "foreign key: stock_moves (product_id 1, seq 2): order_id 999 refers to a missing row of orders",
            "timeline: order 1 has no events",
            "totals: order 1 has no items",
        ]
    );
}

fn check_names_a_ledger_that_adds_up_past_the_largest_number(mut shop: TestShop) {
    stock(&mut shop);
    shop.restock(1, Restock::Add(5), at(1)).unwrap();
    shop.tamper(&format!(
        "UPDATE stock_moves SET delta = {} WHERE product_id = 1",
        i64::MAX
    ));
    let report = shop.check().unwrap();
    assert_eq!(
        listed(&report),
        ["ledger: product 1 (MUG-1): stock 25, but its ledger adds up to 18446744073709552000"]
    );
}

/// What another tool can write in place of a time, on each backend: text
/// of the right length that is no time in SQLite's, a day no calendar has
/// on the server (which keeps times as dates, but takes any in a lax mode).
const NOT_TIMES_SQLITE: [&str; 3] = [
    "not a time, 27 characters!",
    "2026-13-45T99:99:99.999999Z",
    "2026-02-30T10:00:00.000000Z",
];
const NOT_TIMES_SERVER: [&str; 3] = [
    "0000-00-00 00:00:00.000000",
    "2026-00-10 10:00:00.000000",
    "2026-02-30 10:00:00.000000",
];

fn check_names_every_stored_time_that_is_not_a_time(mut shop: TestShop) {
    stock(&mut shop);
    place(&mut shop, &["MUG-1:1", "4006381333931:1"]);
    let ([bad, impossible, no_day], leap_day) = match shop.server() {
        Some(_) => (NOT_TIMES_SERVER, "2028-02-29 10:00:00.000000"),
        None => (NOT_TIMES_SQLITE, "2028-02-29T10:00:00.000000Z"),
    };
    shop.tamper(&format!(
        "UPDATE customers SET created_at = '{bad}' WHERE id = 1;
         UPDATE products SET updated_at = '{impossible}' WHERE id = 2;
         UPDATE orders SET created_at = '{impossible}' WHERE id = 1;
         UPDATE order_events SET at = '{bad}' WHERE order_id = 1;
         UPDATE stock_moves SET at = '{bad}' WHERE product_id = 1 AND seq = 1;
         UPDATE products SET created_at = '{no_day}' WHERE id = 1;
         UPDATE customers SET created_at = '{leap_day}' WHERE id = 0"
    ));
    // SQLite's integrity check names the CHECKs on the times' shape too.
    let times: Vec<String> = listed(&shop.check().unwrap())
        .into_iter()
        .filter(|p| p.starts_with("time: "))
        .collect();
    assert_eq!(
        times,
        [
            format!("time: customer 1: created_at “{bad}” is not a time"),
            format!("time: product 1: created_at “{no_day}” is not a time"),
            format!("time: product 2: updated_at “{impossible}” is not a time"),
            format!("time: order 1: created_at “{impossible}” is not a time"),
            format!("time: order 1, event 1: at “{bad}” is not a time"),
            format!("time: product 1, stock move 1: at “{bad}” is not a time"),
        ],
        "29 February 2028 is a day"
    );
}

/// Bytes that are not UTF-8, as a name, a note and a line's name.
const NOT_UTF8: [&str; 3] = ["41FF42", "FE", "C0AF"];

fn check_names_text_that_is_not_utf8_where_it_can_be_stored(mut shop: TestShop) {
    stock(&mut shop);
    place(&mut shop, &["MUG-1:1"]);
    let [name, note, line] = NOT_UTF8;
    match shop.server() {
        None => {
            shop.tamper(&format!(
                "UPDATE customers SET name = CAST(X'{name}' AS TEXT) WHERE id = 1;
                 UPDATE orders SET note = CAST(X'{note}' AS TEXT) WHERE id = 1;
                 UPDATE order_items SET name = CAST(X'{line}' AS TEXT) WHERE order_id = 1"
            ));
            assert_eq!(
                listed(&shop.check().unwrap()),
                [
                    "text: customer 1: name is not UTF-8 text",
                    "text: order 1: note is not UTF-8 text",
                    "text: order 1, product 1: name is not UTF-8 text",
                ]
            );
        }
        // The server keeps every text in its column's character set: such
        // bytes are refused as they are written (and, in a lax mode, made
        // `?`), so there is no such row for `check` to name.
        Some(server) => {
            for (table, column, bytes) in [
                ("customers", "name", name),
                ("orders", "note", note),
                ("order_items", "name", line),
            ] {
                let refused = server
                    .connect()
                    .query_drop(format!("UPDATE {table} SET {column} = X'{bytes}' LIMIT 1"))
                    .unwrap_err();
                assert!(
                    refused.to_string().contains("Incorrect string value"),
                    "{refused}"
                );
            }
            assert!(shop.check().unwrap().is_ok());
        }
    }
}

/// A sale another counter has begun writing and not yet committed: check
/// neither waits for it nor sees any of it; once committed, it sees it
/// whole (here, an order with no items, which it names).
fn check_reads_one_moment_without_waiting_for_a_sale_being_written(mut shop: TestShop) {
    stock(&mut shop);
    place(&mut shop, &["MUG-1:1"]);
    let mut writer = Writer::begin(&shop);
    writer.run(&format!(
        "INSERT INTO orders (customer_id, status, created_at, subtotal_cents, discount_cents, total_cents)
         VALUES (1, 'pending', '{}', 0, 0, 0)",
        if shop.server().is_some() {
            "2026-03-01 12:00:00"
        } else {
            "2026-03-01T12:00:00.000000Z"
        }
    ));
    let report = shop.check().unwrap();
    assert!(report.is_ok(), "{:#?}", report.problems);
    assert_eq!(report.orders, 1);
    writer.run("COMMIT");
    let report = shop.check().unwrap();
    assert_eq!(report.orders, 2);
    assert!(
        listed(&report).contains(&"totals: order 2 has no items".to_string()),
        "{:#?}",
        report.problems
    );
}

/// Another tool's connection, in a transaction of its own.
enum Writer {
    Server(::mysql::Conn),
    File(rusqlite::Connection),
}

impl Writer {
    fn begin(shop: &TestShop) -> Writer {
        let mut writer = match shop.database() {
            Database::Server(server) => Writer::Server(server.connect()),
            Database::File(path) => Writer::File(rusqlite::Connection::open(path).unwrap()),
        };
        writer.run(match writer {
            Writer::Server(_) => "START TRANSACTION",
            Writer::File(_) => "BEGIN IMMEDIATE",
        });
        writer
    }

    fn run(&mut self, sql: &str) {
        match self {
            Writer::Server(conn) => conn.query_drop(sql).unwrap(),
            Writer::File(conn) => conn.execute_batch(sql).unwrap(),
        }
    }
}

/// Orders a second counter places while checks run on the first.
const SALES_MEANWHILE: usize = 40;

/// Every check made while another counter sells reads one moment: each
/// sale is in all of its parts or in none (a part that saw a later moment
/// than another would find a sale's order without its ledger, or the
/// stock without its move).
fn checks_made_while_a_counter_sells_are_always_sound(mut shop: TestShop) {
    stock(&mut shop);
    let mut counter = shop.open_another().unwrap();
    let seller = std::thread::spawn(move || {
        for minute in 0..SALES_MEANWHILE {
            counter
                .place_order(&new_order(1, &["4006381333931:1"]), at(minute as i64))
                .unwrap();
        }
    });
    let mut checks = 0;
    while checks == 0 || !seller.is_finished() {
        let report = shop.check().unwrap();
        assert!(report.is_ok(), "{:#?}", report.problems);
        assert_eq!(report.stock_moves, 2 + report.orders);
        checks += 1;
    }
    seller.join().unwrap();
    let report = shop.check().unwrap();
    assert!(report.is_ok() && report.orders == SALES_MEANWHILE as i64);
}

contract_suite!(
    check_passes_a_sound_shop_and_counts_what_it_read,
    check_names_every_broken_order_product_and_timeline,
    check_names_a_row_that_refers_to_a_missing_one,
    check_takes_the_moves_of_a_line_whose_order_is_missing_as_its_own,
    check_names_a_ledger_that_adds_up_past_the_largest_number,
    check_names_every_stored_time_that_is_not_a_time,
    check_names_text_that_is_not_utf8_where_it_can_be_stored,
    check_reads_one_moment_without_waiting_for_a_sale_being_written,
    checks_made_while_a_counter_sells_are_always_sound,
);

// ---- from the command line, on a server database ---------------------------

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn check_from_the_command_line_on_a_server_database() {
    let database = TestDatabase::create();
    for args in common::cli::STOCKING {
        database.shopdesk(args).ok();
    }
    database
        .shopdesk(&["order", "place", "--customer", "1", "MUG-1:2"])
        .ok();
    let sound = database.shopdesk(&["check"]).ok();
    assert!(
        sound.stdout.contains(&format!(
            "{} is sound: 1 order, 2 products and 3 stock moves checked",
            database.url()
        )),
        "{}",
        sound.stdout
    );
    database.tamper("UPDATE order_items SET line_total_cents = 1 WHERE order_id = 1");
    let broken = database.shopdesk(&["--json", "check"]);
    assert_eq!(broken.code, 1, "{}{}", broken.stdout, broken.stderr);
    let records = broken.json_lines();
    assert_eq!(records[0]["kind"], "integrity", "{records:?}");
    assert_eq!(
        records[1]["problem"], "order 1: a line of 2 × $12.50 says $0.01",
        "{records:?}"
    );
    assert_eq!(records.last().unwrap()["sound"], false);
    assert!(broken.stderr.contains("is not sound"), "{}", broken.stderr);
}
