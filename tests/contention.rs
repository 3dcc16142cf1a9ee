//! Counters at once on one database. Eight counters selling a small stock
//! all end with a sale or "out of stock", never "busy", and the shelf, the
//! orders and the ledger add up; a sale killed inside its transaction
//! leaves nothing half-written and holds nothing locked (contract tests,
//! run on every backend by `contract_suite!` at the end). On a server,
//! where rows are locked one by one, a sale that lost to another
//! transaction's lock is tried again and goes through; only one that keeps
//! losing is refused as busy, having written nothing.

mod common;

use std::process::Stdio;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use ::mysql::TxOpts;
use ::mysql::prelude::Queryable;
use common::server::TestDatabase;
use common::*;
use shopdesk::domain::Error as Rule;
use shopdesk::domain::order::Order;
use shopdesk::domain::product::MoveReason;
use shopdesk::store::mysql::MysqlStore;
use shopdesk::store::{Error, Shop};

/// How long a test waits for another process or connection to get where
/// it is going: generous, as machines running tests are often busy.
const PATIENCE: Duration = Duration::from_secs(60);

/// How often a test looks again. The server lists the transactions that
/// wait from a copy it makes again only when it was last read more than
/// 0.1 s before: looked at more often, it never changes.
const POLL: Duration = Duration::from_millis(200);

/// Waits until `reached` says so, polling; fails after [`PATIENCE`].
#[track_caller]
fn wait_until(what: &str, mut reached: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !reached() {
        assert!(Instant::now() < deadline, "waited too long for {what}");
        thread::sleep(POLL);
    }
}

/// The product's stock, and whether its ledger sums to it with seqs
/// 1, 2, 3… and no gap, and how many of its moves were sales.
fn stock_and_ledger(shop: &dyn Shop, product_id: i64) -> (i64, usize) {
    let stock = shop.product_by_id(product_id).unwrap().stock;
    let moves = shop.stock_moves(product_id).unwrap();
    let seqs: Vec<i64> = moves.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (1..=moves.len() as i64).collect::<Vec<_>>());
    assert_eq!(moves.iter().map(|m| m.delta).sum::<i64>(), stock);
    let sales = moves.iter().filter(|m| m.reason == MoveReason::Sale);
    (stock, sales.count())
}

// ---- every backend ---------------------------------------------------------

fn eight_counters_selling_a_small_stock_all_sell_or_hear_out_of_stock_and_it_adds_up(
    mut shop: TestShop,
) {
    const COUNTERS: usize = 8;
    const MUGS: i64 = 20;
    const PENS: i64 = 1_000;
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG", "Blue mug", "5", MUGS);
    let pen = add_product(&mut shop, "PEN", "Red pen", "1", PENS);
    let start = Arc::new(Barrier::new(COUNTERS));
    let counters: Vec<_> = (0..COUNTERS)
        .map(|counter| {
            // Each counter its own connection to the one database; half of
            // them name the products the other way round.
            let mut store = shop.open_another().unwrap();
            let start = Arc::clone(&start);
            let items = match counter % 2 {
                0 => ["MUG:3", "PEN:1"],
                _ => ["PEN:1", "MUG:3"],
            };
            thread::spawn(move || {
                start.wait();
                let mut sold = 0;
                loop {
                    match store.place_order(&new_order(ann.id, &items), at(1)) {
                        Ok(_) => sold += 1,
                        Err(Error::Rule(Rule::OutOfStock(_))) => return sold,
                        Err(other) => panic!("counter {counter}: {other}"),
                    }
                }
            })
        })
        .collect();
    let sold: i64 = counters.into_iter().map(|c| c.join().unwrap()).sum();
    let (mugs, mug_sales) = stock_and_ledger(&*shop, mug.id);
    let (pens, pen_sales) = stock_and_ledger(&*shop, pen.id);
    assert_eq!(mugs + 3 * sold, MUGS, "every mug sold once, no more");
    assert_eq!(mugs, MUGS % 3, "sold until less than a sale was left");
    assert_eq!(pens + sold, PENS);
    assert_eq!((mug_sales, pen_sales), (sold as usize, sold as usize));
    assert_eq!(count_orders(&shop), sold as usize);
}

fn a_sale_killed_inside_its_transaction_leaves_nothing_half_written(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG", "Blue mug", "5", 10);
    let before = (count_orders(&shop), stock_and_ledger(&*shop, mug.id));
    let dir = tempfile::tempdir().unwrap();
    let paused = dir.path().join("paused");
    // The command places its sale, then waits before the commit
    // (debug builds only: `SHOPDESK_TEST_PAUSE_BEFORE_COMMIT`), where it
    // is killed: its connection to the database simply ends.
    let mut seller = cli::shopdesk()
        .arg("--db")
        .arg(shop.name())
        .args(["order", "place", "--customer", &ann.id.to_string(), "MUG:4"])
        .env("SHOPDESK_TEST_PAUSE_BEFORE_COMMIT", &paused)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the sale to pause before its commit", || {
        let ended = seller.try_wait().unwrap();
        assert!(ended.is_none(), "the seller ended first: {ended:?}");
        paused.exists()
    });
    seller.kill().unwrap();
    seller.wait().unwrap();

    assert_eq!(
        (count_orders(&shop), stock_and_ledger(&*shop, mug.id)),
        before,
        "nothing of the killed sale was kept"
    );
    // Nor is anything left locked: the next sale of the mug goes through.
    let order = shop
        .place_order(&new_order(ann.id, &["MUG:4"]), at(2))
        .unwrap();
    assert_eq!(shop.order(order.id).unwrap(), order);
    assert_eq!(stock_and_ledger(&*shop, mug.id), (6, 1));
}

// ---- on a server -----------------------------------------------------------

/// A server shop with Ann and ten mugs whose statements give up waiting
/// for a lock after a second, and a connection of another program to its
/// database.
fn server_shop_with_a_mug() -> (TestDatabase, MysqlStore, ::mysql::Conn) {
    let (database, store, other) = server_shop_with_a_mug_and_its_own_lock_wait();
    store.wait_for_locks_at_most(1).unwrap();
    (database, store, other)
}

/// As [`server_shop_with_a_mug`], waiting for locks as the store does.
fn server_shop_with_a_mug_and_its_own_lock_wait() -> (TestDatabase, MysqlStore, ::mysql::Conn) {
    let database = TestDatabase::create();
    let mut store = MysqlStore::open(database.url(), None).unwrap();
    add_customer(
        &mut store as &mut dyn Shop,
        "Ann Lee",
        "ann@example.com",
        "",
    );
    add_product(&mut store as &mut dyn Shop, "MUG", "Blue mug", "5", 10);
    let other = database.connect();
    (database, store, other)
}

/// A transaction of `other`'s holding the mug's row locked until it ends.
fn lock_the_mug(other: &mut ::mysql::Conn) -> ::mysql::Transaction<'_> {
    let mut holding = other.start_transaction(TxOpts::default()).unwrap();
    holding
        .query_drop("SELECT id FROM products WHERE id = 1 FOR UPDATE")
        .unwrap();
    holding
}

/// The waits for a lock in `conn`'s database going on now, as the server
/// lists them: each transaction's id and when it began to wait (a
/// transaction tried again is another one, and waits from another moment).
/// Other tests' databases wait too, on the same server.
fn waiting(conn: &mut impl Queryable) -> Vec<String> {
    conn.query(
        "SELECT CONCAT(t.trx_id, ' from ', t.trx_wait_started) FROM information_schema.innodb_trx t
         JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
         WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()",
    )
    .unwrap()
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn on_a_server_a_sale_that_lost_to_a_lock_is_tried_again_and_goes_through() {
    let (_database, mut store, mut other) = server_shop_with_a_mug();
    let mut holding = lock_the_mug(&mut other);
    let seller = thread::spawn(move || store.place_order(&new_order(1, &["MUG:4"]), at(1)));
    let mut first_try = Vec::new();
    wait_until("the sale to wait for the mug", || {
        first_try = waiting(&mut holding);
        !first_try.is_empty()
    });
    // The first try gives up; the lock is let go once a second one waits.
    wait_until("the sale to be tried again", || {
        let now = waiting(&mut holding);
        !now.is_empty() && now != first_try
    });
    holding.rollback().unwrap();
    let order = seller.join().unwrap().unwrap();
    assert_eq!(order.items[0].quantity, 4);
    let stock: Option<i64> = other
        .query_first("SELECT stock FROM products WHERE sku = 'MUG'")
        .unwrap();
    assert_eq!(stock, Some(6));
}

/// Every try of the sale `store` places while `holding` keeps the mug
/// locked, as the server listed each one waiting, and the sale's answer.
fn tries_while_locked(
    mut store: MysqlStore,
    holding: &mut ::mysql::Transaction<'_>,
) -> (Vec<String>, MysqlStore, Result<Order, Error>) {
    let seller = thread::spawn(move || {
        let answer = store.place_order(&new_order(1, &["MUG:4"]), at(1));
        (store, answer)
    });
    let mut tries: Vec<String> = Vec::new();
    while !seller.is_finished() {
        for waiting in waiting(holding) {
            if !tries.contains(&waiting) {
                tries.push(waiting);
            }
        }
        thread::sleep(POLL);
    }
    let (store, answer) = seller.join().unwrap();
    (tries, store, answer)
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn on_a_server_a_sale_that_waited_out_the_whole_lock_wait_is_tried_once_more_then_refused() {
    // The store's own lock wait (5 s): a clerk hears "busy" after two
    // tries (about 10 s), not after five (25 s).
    let (_database, store, mut other) = server_shop_with_a_mug_and_its_own_lock_wait();
    let mut holding = lock_the_mug(&mut other);
    let (tries, store, refused) = tries_while_locked(store, &mut holding);
    holding.rollback().unwrap();
    assert!(matches!(refused, Err(Error::Busy)), "{refused:?}");
    assert_eq!(tries.len(), 2, "two tries: {tries:?}");
    assert_eq!(count_orders(&store as &dyn Shop), 0);
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn on_a_server_a_sale_that_keeps_losing_to_a_lock_is_refused_as_busy_having_written_nothing() {
    let (_database, store, mut other) = server_shop_with_a_mug();
    let mut holding = lock_the_mug(&mut other);
    let (tries, store, refused) = tries_while_locked(store, &mut holding);
    holding.rollback().unwrap();
    let refused = refused.unwrap_err();
    assert!(matches!(refused, Error::Busy), "{refused:?}");
    assert_eq!(
        refused.to_string(),
        "the database is busy: another counter is saving; try again"
    );
    assert!(tries.len() > 1, "tried more than once: {tries:?}");
    assert_eq!(count_orders(&store as &dyn Shop), 0);
    assert_eq!(stock_and_ledger(&store, 1), (10, 0));
}

contract_suite!(
    eight_counters_selling_a_small_stock_all_sell_or_hear_out_of_stock_and_it_adds_up,
    a_sale_killed_inside_its_transaction_leaves_nothing_half_written,
);
