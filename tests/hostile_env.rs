//! Several counters on one database, a database locked too long, a full
//! disk, a damaged file and one that cannot be written: each refuses
//! plainly, keeps the cart and half-writes nothing. Counters selling the
//! same units run on every backend (`contract_suite!` at the end); the
//! rest is how SQLite's file is locked, filled, damaged or read-only, and
//! runs on SQLite.

mod common;

use std::process::Command;

use common::cli::{Shop, shopdesk};
use common::harness::Harness;
use common::*;
use rusqlite::Connection;
use shopdesk::app::Popup;

const MUG: &str = "4006381333931";

/// On `shop`, Ann (customer 1) and 10,000 mugs; in the app at 120×40, a
/// Walk-in sale of two mugs at checkout.
fn counter<S: AsShop>(mut shop: S) -> Harness<S> {
    add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    add_product(&mut shop, MUG, "Blue mug", "12.50", 10_000);
    let mut h = Harness::sized(120, 40, shop);
    // A Walk-in sale with two mugs, at checkout.
    h.keys("<F4><Enter>")
        .keys(&format!("2*{MUG}<Enter><Enter>"));
    assert!(matches!(h.state.popup, Some(Popup::Checkout(_))));
    h
}

/// How long a counter must have waited for a busy database before giving
/// up: the README promises about 5 seconds (written here, not read from the
/// code, so that shortening the wait fails this test).
fn waited_long_enough(waited: std::time::Duration) -> bool {
    waited >= std::time::Duration::from_millis(4_500)
}

fn cart_units<S: AsShop>(h: &Harness<S>) -> i64 {
    h.state
        .order_entry
        .cart
        .iter()
        .map(|line| line.quantity.get())
        .sum()
}

#[test]
fn a_sale_that_finds_the_database_busy_says_so_and_keeps_the_cart() {
    let mut h = counter(new_store());
    // Another counter holds the write lock for longer than the busy timeout.
    let blocker = Connection::open(h.shop.path()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    h.keys("<Enter>");
    let waited = started.elapsed();
    assert!(waited_long_enough(waited), "gave up after {waited:?}");
    assert!(h.is_error());
    assert!(
        h.message().contains("another counter is saving; try again"),
        "{}",
        h.message()
    );
    assert_eq!(cart_units(&h), 2, "the cart is kept");
    assert_eq!(count_orders(&h.shop), 0);

    blocker.execute_batch("ROLLBACK").unwrap();
    h.keys("<Enter><Enter>");
    assert_eq!(count_orders(&h.shop), 1, "trying again sells");
    assert_eq!(h.shop.order(1).unwrap().item_count(), 2);
}

fn another_counter_selling_the_last_units_first_refuses_this_sale_and_keeps_its_cart(
    shop: TestShop,
) {
    let mut h = counter(shop);
    h.shop
        .restock(
            1,
            shopdesk::domain::product::Restock::Set(
                shopdesk::domain::product::Stock::new(3).unwrap(),
            ),
            at(0),
        )
        .unwrap();
    // The second counter: its own connection to the same shop.
    let mut other = h.shop.open_another().unwrap();
    other
        .place_order(&new_order(1, &[&format!("{MUG}:2")]), at(1))
        .unwrap();
    h.keys("<Enter>");
    assert!(h.is_error());
    assert!(h.message().contains("not enough stock"), "{}", h.message());
    assert_eq!(cart_units(&h), 2, "the cart is kept");
    assert_eq!(count_orders(&h.shop), 1, "only the other counter's sale");
    assert_eq!(h.shop.product(MUG).unwrap().stock, 1);
}

#[test]
fn the_command_line_waits_for_a_busy_database_then_says_so() {
    let shop = Shop::stocked();
    let blocker = Connection::open(shop.db()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    // A temporary failure: a script may try again.
    shop.run(&["order", "place", "--customer", "1", "MUG-1"])
        .temporary("another counter is saving; try again");
    let waited = started.elapsed();
    assert!(waited_long_enough(waited), "gave up after {waited:?}");
    // Reading goes on while another counter writes.
    shop.run(&["product", "list"]).ok();
    blocker.execute_batch("ROLLBACK").unwrap();
    shop.run(&["order", "place", "--customer", "1", "MUG-1"])
        .ok();
}

#[test]
fn a_full_disk_refuses_the_sale_whole_and_keeps_the_cart() {
    let mut h = counter(new_store());
    // The disk has room for what the database holds now, and no more.
    let pages = h.shop.size_in_pages().unwrap();
    h.shop.limit_size_in_pages(pages).unwrap();
    let mut sold = 0;
    // Sales fill the free space left in the pages; one finally needs more.
    loop {
        h.keys("<Enter>");
        if h.is_error() {
            break;
        }
        sold += 1;
        assert!(sold < 10_000, "the size limit never bit");
        h.keys(&format!("2*{MUG}<Enter><Enter>"));
    }
    assert!(h.message().contains("the disk is full"), "{}", h.message());
    assert_eq!(cart_units(&h), 2, "the cart is kept");
    assert_eq!(count_orders(&h.shop), sold, "nothing half-written");
    let report = h.shop.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);

    // Room again (space freed on the disk): the same cart sells.
    h.shop.limit_size_in_pages(pages * 10).unwrap();
    h.keys("<Enter><Enter>");
    assert_eq!(count_orders(&h.shop), sold + 1, "{}", h.message());
}

#[test]
fn after_damage_is_reported_nothing_more_is_written() {
    let mut shop = new_store();
    add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, MUG, "Blue mug", "12.50", 10);
    let error = shop.note_failure(shopdesk::store::Error::Damaged);
    assert!(error.to_string().contains("restore your latest backup"));
    let refused = shop.place_order(&new_order(1, &[MUG]), at(0)).unwrap_err();
    assert!(matches!(refused, shopdesk::store::Error::Damaged));
    assert_eq!(count_orders(&shop), 0);
    // Reading what is still readable goes on.
    assert_eq!(shop.product(MUG).unwrap().stock, 10);
}

#[test]
fn a_damaged_database_stops_the_counter_selling_and_says_what_to_do_in_full() {
    let mut h = counter(new_store());
    // What the effect runner does when SQLite reports damage.
    h.shop.note_failure(shopdesk::store::Error::Damaged);
    h.keys("<Enter>");
    assert!(h.is_error());
    assert_eq!(cart_units(&h), 2, "the cart is kept");
    assert_eq!(count_orders(&h.shop), 0);
    // The whole message fits on an 80×24 screen, wrapped, not cut.
    let screen = h.screen_sized(80, 24).replace('\n', " ");
    let words: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("restore your latest backup (see the README, \"Your data is safe\")"),
        "{}",
        h.screen_sized(80, 24)
    );
}

fn run_as_ordinary_user(shop: &Shop, args: &[&str]) -> std::process::Output {
    let argv = shopdesk_as_ordinary_user();
    Command::new(&argv[0])
        .args(&argv[1..])
        .env("TZ", "UTC")
        .env_remove("SHOPDESK_DB")
        .arg("--db")
        .arg(shop.db())
        .args(args)
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_read_only_database_or_folder_is_read_and_every_write_says_why_not() {
    use std::os::unix::fs::PermissionsExt;
    let shop = Shop::stocked();
    let folder = shop.dir.path();
    hand_to_ordinary_user(&[folder, &shop.db()]);
    let before = std::fs::read(shop.db()).unwrap();
    let run = |args: &[&str]| run_as_ordinary_user(&shop, args);
    for (file_mode, folder_mode) in [(0o444, 0o755), (0o644, 0o555), (0o444, 0o555)] {
        for stale in ["shop.db-wal", "shop.db-shm"] {
            let _ = std::fs::remove_file(folder.join(stale));
        }
        std::fs::set_permissions(shop.db(), PermissionsExt::from_mode(file_mode)).unwrap();
        std::fs::set_permissions(folder, PermissionsExt::from_mode(folder_mode)).unwrap();

        let listed = run(&["product", "list"]);
        let stdout = String::from_utf8_lossy(&listed.stdout);
        assert!(
            listed.status.success(),
            "{file_mode:o}/{folder_mode:o}: {listed:?}"
        );
        assert!(stdout.contains("Blue mug"), "{stdout}");

        let placed = run(&["order", "place", "--customer", "1", "MUG-1"]);
        let stderr = String::from_utf8_lossy(&placed.stderr);
        assert_eq!(placed.status.code(), Some(1), "{placed:?}");
        assert!(stderr.contains("cannot be written"), "{stderr}");
        std::fs::set_permissions(folder, PermissionsExt::from_mode(0o755)).unwrap();
    }
    assert_eq!(
        std::fs::read(shop.db()).unwrap(),
        before,
        "the file is untouched"
    );
}

fn four_counters_selling_the_last_units_never_oversell(shop: Shop) {
    const STOCK: i64 = 60;
    const COUNTERS: usize = 4;
    const SALES_EACH: usize = 12;
    let shop = shop.stock();
    shop.run(&["product", "restock", "MUG-1", "--set", &STOCK.to_string()])
        .ok();
    let db = shop.db_arg();
    let counters: Vec<_> = (0..COUNTERS)
        .map(|counter| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut sold = 0;
                for sale in 0..SALES_EACH {
                    let units = 1 + (counter + sale) % 3;
                    let output = shopdesk()
                        .arg("--db")
                        .arg(&db)
                        .args(["order", "place", "--customer", "1"])
                        .arg(format!("MUG-1:{units}"))
                        .arg("4006381333931:1")
                        .output()
                        .unwrap();
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    match output.status.code() {
                        Some(0) => sold += units as i64,
                        Some(1) => {
                            assert!(stderr.contains("Blue mug"), "a refusal says why: {stderr}")
                        }
                        Some(75) => assert!(
                            stderr.contains("another counter"),
                            "a busy database says so: {stderr}"
                        ),
                        _ => panic!("{output:?}"),
                    }
                }
                sold
            })
        })
        .collect();
    let sold: i64 = counters.into_iter().map(|c| c.join().unwrap()).sum();

    let orders = shop.json(&["order", "list"]).ok().json_lines();
    let in_orders: i64 = orders
        .iter()
        .flat_map(|order| order["items"].as_array().unwrap())
        .filter(|item| item["sku"] == "MUG-1")
        .map(|item| item["quantity"].as_i64().unwrap())
        .sum();
    let stock = shop.json(&["product", "show", "MUG-1"]).ok().json()["stock"]
        .as_i64()
        .unwrap();
    assert_eq!(in_orders, sold, "every sale reported is stored, no other");
    assert_eq!(stock, STOCK - sold, "stock is exact");
    assert!(stock >= 0);
    // More was asked for than there was: after the last refusal, less was
    // left than that sale wanted.
    assert!(stock < 3, "the stock was sold out: {stock} left");
    shop.run(&["check"]).ok();
}

/// Overwrites every page whose b-tree belongs to `table` (the table and
/// its indexes, found by their root pages) with garbage, in a closed file
/// whose log has been folded in: real damage, not an injected error.
fn wreck_pages_of(db: &std::path::Path, table: &str) -> Vec<u32> {
    use std::io::{Seek, SeekFrom, Write};
    let conn = Connection::open(db).unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    let page_size: u64 = conn
        .pragma_query_value(None, "page_size", |row| row.get::<_, i64>(0))
        .unwrap()
        .try_into()
        .unwrap();
    let mut statement = conn
        .prepare("SELECT rootpage FROM sqlite_schema WHERE tbl_name = ?1 AND rootpage > 1")
        .unwrap();
    let pages: Vec<u32> = statement
        .query_map([table], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(statement);
    drop(conn);
    let mut file = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    for page in &pages {
        file.seek(SeekFrom::Start((u64::from(*page) - 1) * page_size))
            .unwrap();
        file.write_all(&vec![0x5a; page_size as usize]).unwrap();
    }
    pages
}

/// The main file's bytes and its log's length (no log: 0).
fn file_and_log(db: &std::path::Path) -> (Vec<u8>, u64) {
    let log = std::path::PathBuf::from(format!("{}-wal", db.display()));
    let log_len = std::fs::metadata(log).map_or(0, |m| m.len());
    (std::fs::read(db).unwrap(), log_len)
}

#[test]
fn a_sale_on_a_file_with_wrecked_pages_is_refused_as_damaged_and_writes_nothing() {
    // Products are read before the sale writes anything; the stock ledger
    // is written last, after the order's rows, which must be undone.
    // (In the app, wrecked products already refuse the scan: no cart.)
    for (table, cart) in [("products", 0), ("stock_moves", 2)] {
        let shop = Shop::stocked();
        let db = shop.db();
        let pages = wreck_pages_of(&db, table);
        assert!(!pages.is_empty(), "{table} has pages");
        let before = file_and_log(&db);
        assert_eq!(before.1, 0, "the log was folded in before the damage");

        shop.run(&["order", "place", "--customer", "1", "MUG-1:2"])
            .refused("the database file is damaged, so shopdesk stopped writing to it");
        let after = file_and_log(&db);
        assert!(
            after.0 == before.0,
            "{table}: the damaged file was written to"
        );
        assert_eq!(
            after.1, 0,
            "{table}: the log holds nothing of the refused sale"
        );

        // The counter in the app says the same and keeps what it has.
        let store = shopdesk::store::sqlite::SqliteStore::open(&db).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut h = Harness::sized(120, 40, TestStore { store, dir });
        h.keys("<F4><Enter>").keys("2*MUG-1<Enter><Enter><Enter>");
        assert!(h.is_error(), "{table}: {}", h.message());
        assert!(h.message().contains("damaged"), "{table}: {}", h.message());
        assert_eq!(cart_units(&h), cart, "{table}: the cart is kept");
        drop(h);
        let after = file_and_log(&db);
        assert!(
            after.0 == before.0,
            "{table}: the app wrote to the damaged file"
        );
        assert_eq!(after.1, 0, "{table}: the app's log holds nothing");
    }
}

contract_suite!(
    another_counter_selling_the_last_units_first_refuses_this_sale_and_keeps_its_cart,
    four_counters_selling_the_last_units_never_oversell,
);
