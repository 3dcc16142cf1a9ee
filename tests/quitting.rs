//! However the app ends, the database file alone holds everything: every
//! connection the app opened (its own, the searcher's) is closed before it
//! exits, so SQLite merges its `-wal` log into the file and removes the log
//! and its `-shm` index, as the commands do. The README promises that the
//! file can be copied while no shopdesk runs. SQLite only: it is about
//! SQLite's file and its side files.

mod common;

use std::path::Path;

use common::pty::{App, CTRL_Q, F4};
use shopdesk::store::Shop as _;
use shopdesk::store::sqlite::SqliteStore;

/// How many times each way out is tried: closing too early lost the race
/// about one quit in three, so one try proves little.
const ROUNDS: usize = 3;

/// How the app is told to end.
#[derive(Debug, Clone, Copy)]
enum WayOut {
    CtrlQ,
    Signal(&'static str),
    /// A bug: the test switch makes the app panic.
    Panic,
}

const PANIC_KEY: &str = "~";

/// How many mugs the shop starts with.
const MUGS: i64 = 100;

/// Starts the app, types searches at the counter as a cashier does, sells
/// two mugs (sale number `sale`) and ends the app `way`.
fn sell_and_end(db: &Path, sale: i64, way: WayOut) {
    let mut app = App::start_with(db, 24, 80, &[("SHOPDESK_TEST_PANIC_KEY", PANIC_KEY)]);
    app.wait_for("Walk-in");
    app.type_and_wait(F4, "Enter alone: Walk-in");
    // Searches as you type: the customer field, then the scan line.
    app.send("wal");
    app.type_and_wait("\r", "Scan");
    app.type_and_wait("blue", "Blue mug");
    app.send("\x7f\x7f\x7f\x7f");
    app.type_and_wait("2*MUG-1\r", "2 items");
    app.type_and_wait("\r", "Checkout");
    app.type_and_wait("\r", &format!("Sale {sale} done"));
    match way {
        WayOut::CtrlQ => app.send(CTRL_Q),
        WayOut::Signal(name) => app.signal(name),
        WayOut::Panic => app.send(PANIC_KEY),
    }
    let status = app.wait_for_exit();
    assert_eq!(
        status.success(),
        !matches!(way, WayOut::Panic),
        "{way:?}: {status:?}"
    );
}

/// Fails unless `db` stands alone and, copied without anything beside it,
/// holds sale `sale` and the stock it left.
#[track_caller]
fn assert_file_alone_holds_sale(db: &Path, sale: i64, after: &str) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = db.as_os_str().to_os_string();
        side.push(suffix);
        assert!(
            !Path::new(&side).exists(),
            "after {after}, sale {sale}: {} is still there",
            Path::new(&side).display()
        );
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("copy.db");
    std::fs::copy(db, &copy).unwrap();
    let store = SqliteStore::open_unchanged(&copy).unwrap();
    let order = store
        .order(sale)
        .unwrap_or_else(|error| panic!("after {after}: the file alone lacks sale {sale}: {error}"));
    assert_eq!(order.item_count(), 2, "after {after}");
    assert_eq!(
        store.product("MUG-1").unwrap().stock,
        MUGS - 2 * sale,
        "after {after}: the stock the last sale left"
    );
}

#[test]
fn after_every_way_out_the_database_file_alone_holds_the_last_sale() {
    let (_dir, db) = common::shop_file_with_a_mug(MUGS);
    let ways = [
        WayOut::CtrlQ,
        WayOut::Signal("TERM"),
        WayOut::Signal("HUP"),
        WayOut::Signal("INT"),
        WayOut::Panic,
    ];
    let mut sale = 0;
    for _ in 0..ROUNDS {
        for way in ways {
            sale += 1;
            sell_and_end(&db, sale, way);
            assert_file_alone_holds_sale(&db, sale, &format!("{way:?}"));
        }
    }
}

/// The app's connections are opened while others have the file open (the
/// searcher's beside the app's own, a second counter's): opening then reads
/// the file first on a connection that must leave the log alone, and the
/// connection kept must still merge the log when it is the last to close.
#[test]
fn a_store_opened_beside_another_merges_the_log_when_it_closes_last() {
    for later_closes_last in [true, false] {
        let (_dir, db) = common::shop_file_with_a_mug(MUGS);
        let earlier = SqliteStore::open(&db).unwrap();
        let mut later = SqliteStore::open(&db).unwrap();
        later
            .place_order(&common::new_order(0, &["MUG-1:2"]), common::at(1))
            .unwrap();
        if later_closes_last {
            earlier.close().unwrap();
            later.close().unwrap();
        } else {
            later.close().unwrap();
            earlier.close().unwrap();
        }
        let order = if later_closes_last {
            "the other first"
        } else {
            "the other last"
        };
        assert_file_alone_holds_sale(&db, 1, &format!("closing {order}"));
    }
}
