//! The demo shop on every backend (contract tests, each on a fresh shop):
//! a load passes `check` and counts once as a change to what is searched;
//! a load dropped before its end leaves the shop as it was. Then the same
//! seed makes the same shop on the server as in SQLite, and `demo` from
//! the command line on a server database, killed in the middle of its load
//! included.

mod common;

use std::time::{Duration, Instant};

use ::mysql::prelude::Queryable;
use common::cli::shopdesk;
use common::server::TestDatabase;
use common::*;
use shopdesk::demo::{self, DemoSize};
use shopdesk::domain::Cents;
use shopdesk::domain::order::{Order, OrderEvent, OrderFilter, OrderItem, Status, Totals};
use shopdesk::domain::product::{NewProduct, Sku, Stock};
use shopdesk::domain::text::Name;
use shopdesk::store::Shop;
use shopdesk::store::mysql::MysqlStore;

/// A demo shop small enough for a test, with sales canceled and shipped.
const SMALL: DemoSize = DemoSize {
    customers: 60,
    products: 40,
    orders: 600,
    seed: 5,
};

/// How many changes to what is searched in `table` the shop has counted.
fn search_changes(shop: &TestShop, table: &str) -> i64 {
    shop.read_number(&format!(
        "SELECT changes FROM search_changes WHERE table_name = '{table}'"
    ))
}

fn a_demo_shop_passes_check_and_its_load_counts_once_as_a_change(mut shop: TestShop) {
    let before = ["customers", "products"].map(|table| search_changes(&shop, table));
    demo::fill(&mut *shop, SMALL, at(0)).unwrap();
    let after = ["customers", "products"].map(|table| search_changes(&shop, table));
    assert_eq!(after, before.map(|changes| changes + 1));
    let report = shop.check().unwrap();
    assert!(report.is_ok(), "{:#?}", report.problems);
    assert_eq!((report.orders, report.products), (600, 40));
    assert_eq!(
        report.stock_moves,
        shop.read_number("SELECT COUNT(*) FROM stock_moves")
    );
    // The demo's history holds cancels, whose units came back through the
    // ledger, and orders further along.
    for status in [Status::Canceled, Status::Shipped, Status::Delivered] {
        let filter = OrderFilter {
            status: Some(status),
            ..OrderFilter::default()
        };
        assert!(shop.orders(filter).next().is_some(), "no {status:?} order");
    }
    // Its rows are keyed for searching as any others are.
    let found = shop.search_customers("example", 100).unwrap();
    assert_eq!(found.len(), SMALL.customers - count_phone_only(&shop));
}

/// The demo's customers who gave a phone number and no email.
fn count_phone_only(shop: &TestShop) -> usize {
    shop.read_number("SELECT COUNT(*) FROM customers WHERE id <> 0 AND email IS NULL") as usize
}

/// More rows of a kind than one of the loader's statements takes: some
/// reach the server before the load is dropped.
const PAST_ONE_INSERT: usize = 4_001;

fn a_demo_load_dropped_before_its_end_leaves_the_shop_as_it_was(mut shop: TestShop) {
    let before = search_changes(&shop, "products");
    {
        let mut loader = shop.demo_loader().unwrap();
        let customer = loader
            .add_customer(&new_customer("Ann Lee", "ann@example.com", ""), at(0))
            .unwrap();
        let mut product = 0;
        for index in 0..PAST_ONE_INSERT {
            product = loader.add_product(&mug(index), true, at(0)).unwrap();
        }
        let sale = one_mug_sold(customer, product);
        for _ in 0..PAST_ONE_INSERT {
            loader
                .add_order(&sale, &[OrderEvent::placed(at(1))])
                .unwrap();
        }
        // Dropped here, as a load that fails is: never finished.
    }
    assert_empty_and_sound(&*shop);
    assert_eq!(search_changes(&shop, "products"), before);
    // A demo loads afterwards as into any empty shop, its ids from 1.
    demo::fill(&mut *shop, SMALL, at(0)).unwrap();
    assert!(shop.check().unwrap().is_ok());
    assert!(shop.product_by_id(1).is_ok() && shop.order(1).is_ok());
}

/// `shop` holds nothing (but Walk-in), and `check` passes on it.
#[track_caller]
fn assert_empty_and_sound(shop: &dyn Shop) {
    assert!(shop.is_empty().unwrap());
    let report = shop.check().unwrap();
    assert!(report.is_ok(), "{:#?}", report.problems);
    assert_eq!(
        (report.orders, report.products, report.stock_moves),
        (0, 0, 0)
    );
}

/// A mug of its own for each `index`, 10 in stock.
fn mug(index: usize) -> NewProduct {
    NewProduct {
        sku: Sku::parse(&format!("MUG-{index}")).unwrap(),
        name: Name::parse("name", "Blue mug").unwrap(),
        price: Cents::new(1250),
        stock: Stock::new(10).unwrap(),
        details: String::new(),
    }
}

/// An order of one `product` for `customer`, placed at `at(1)`.
fn one_mug_sold(customer: i64, product: i64) -> Order {
    Order {
        id: 0,
        customer_id: customer,
        customer_name: "Ann Lee".into(),
        status: Status::Pending,
        created_at: at(1),
        totals: Totals {
            subtotal: Cents::new(1250),
            discount: Cents::new(0),
            total: Cents::new(1250),
        },
        note: String::new(),
        items: vec![OrderItem {
            product_id: product,
            sku: "MUG-0".into(),
            name: "Blue mug".into(),
            quantity: 1,
            unit_price: Cents::new(1250),
            line_total: Cents::new(1250),
        }],
        payment: None,
        sale_id: None,
    }
}

contract_suite!(
    a_demo_shop_passes_check_and_its_load_counts_once_as_a_change,
    a_demo_load_dropped_before_its_end_leaves_the_shop_as_it_was,
);

// ---- the server against SQLite ---------------------------------------------

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn the_same_seed_makes_the_same_shop_on_the_server_as_in_sqlite() {
    let mut file = common::contract::sqlite();
    let mut server = common::contract::mysql();
    for shop in [&mut file, &mut server] {
        demo::fill(&mut **shop, SMALL, at(0)).unwrap();
    }
    let orders = |shop: &TestShop| -> Vec<Order> {
        shop.orders(OrderFilter::default())
            .map(Result::unwrap)
            .collect()
    };
    let (file_orders, server_orders) = (orders(&file), orders(&server));
    assert_eq!(file_orders.len(), SMALL.orders);
    assert_eq!(file_orders, server_orders);
    for order in &file_orders {
        assert_eq!(
            file.order_events(order.id).unwrap(),
            server.order_events(order.id).unwrap()
        );
    }
    for id in 1..=SMALL.products as i64 {
        assert_eq!(
            file.product_by_id(id).unwrap(),
            server.product_by_id(id).unwrap()
        );
        assert_eq!(
            file.stock_moves(id).unwrap(),
            server.stock_moves(id).unwrap()
        );
    }
    // Walk-in (0) was made with each database, at its own time.
    for id in 1..=SMALL.customers as i64 {
        assert_eq!(file.customer(id).unwrap(), server.customer(id).unwrap());
    }
    let customers = |shop: &TestShop, text: &str| -> Vec<i64> {
        let found = shop.search_customers(text, 100).unwrap();
        found.iter().map(|customer| customer.id).collect()
    };
    for text in ["", "a", "example.org", "mug"] {
        assert_eq!(customers(&file, text), customers(&server, text));
        assert_eq!(
            file.search_products(text, 100).unwrap(),
            server.search_products(text, 100).unwrap()
        );
    }
}

// ---- from the command line, on a server database ---------------------------

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn demo_then_check_from_the_command_line_on_a_server_database() {
    let database = TestDatabase::create();
    let size = ["--customers", "30", "--products", "20", "--orders", "300"];
    let made = database.shopdesk(&[&["demo"][..], &size].concat()).ok();
    assert!(
        made.stdout.contains(&format!(
            "Demo shop ready in {}: 30 customers, 20 products, 300 orders",
            database.url()
        )),
        "{}",
        made.stdout
    );
    let checked = database.shopdesk(&["check"]).ok();
    assert!(
        checked.stdout.contains("is sound: 300 orders, 20 products"),
        "{}",
        checked.stdout
    );
    database.shopdesk(&["demo"]).refused("already holds data");
    let history = database.shopdesk(&["--json", "order", "history", "1"]).ok();
    assert!(!history.json_lines().is_empty());
}

/// Orders enough that the load is surely still running when it is killed.
const NEVER_DONE_IN_TIME: &str = "2000000";
/// How long the test waits for something the load should do in well
/// under a second (not a measure: a guard against waiting forever).
const PATIENCE: Duration = Duration::from_secs(120);

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_demo_load_killed_in_the_middle_leaves_the_server_database_empty() {
    let database = TestDatabase::create();
    let mut load = shopdesk()
        .arg("--db")
        .arg(database.url().to_string())
        .args(["demo", "--orders", NEVER_DONE_IN_TIME])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Until the load is seen sending rows into its transaction. (Not
    // INNODB_TRX's row count: a bulk insert into an empty table keeps one
    // undo record for the table, and the server may not list or count it.)
    let mut watcher = database.connect();
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = load.try_wait().unwrap() {
            panic!(
                "the load ended by itself ({status}): {:?}",
                load.wait_with_output()
            );
        }
        let inserting: Option<i64> = watcher
            .exec_first(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST
                 WHERE DB = ? AND INFO LIKE 'INSERT INTO order%'",
                (&database.url().database,),
            )
            .unwrap();
        if inserting.is_some_and(|loads| loads > 0) {
            break;
        }
        assert!(Instant::now() < deadline, "the load wrote nothing");
        std::thread::sleep(Duration::from_millis(20));
    }
    load.kill().unwrap();
    load.wait().unwrap();
    // The server takes the load back when its client goes away.
    let shop = MysqlStore::open(database.url(), None).unwrap();
    assert_empty_and_sound(&shop);
    drop(shop);
    database.shopdesk(&["demo", "--orders", "50"]).ok();
    let orders = database
        .shopdesk(&["--json", "order", "list", "--limit", "100"])
        .ok();
    assert_eq!(orders.json_lines().len(), 50);
}
