//! Power cuts and crashes: processes placing orders, canceling and
//! restocking are killed (SIGKILL) over and over on one database: half of
//! them certainly inside an open write transaction, paused before its
//! commit; the others at a random moment up to a few milliseconds after
//! the write took the lock (in its updates, its commit or its exit, never
//! in start-up). After every kill the database is whole: SQLite's integrity
//! check passes, the write is either wholly undone or wholly done (the
//! counts equal those before it, or those of the same write run to its end
//! on a copy), every committed order is complete and the stock ledger
//! balances. SQLite only: it is about SQLite's file and its journal (a
//! server's clients killed inside a transaction: tests/contention.rs).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::cli::{Shop, shopdesk};
use rusqlite::Connection;

/// Kills in a row; `SHOPDESK_CRASH_KILLS` asks for more.
const DEFAULT_KILLS: usize = 100;
/// Every other kill waits until the write is paused before its commit.
const PAUSED_EVERY: usize = 2;
/// The others land up to this long after the write took the lock, or up
/// to what the same write took unkilled, if that is longer.
const MAX_DELAY_MICROS: u64 = 1_500;

/// A small deterministic random source, so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// What must not change when a write is killed before it commits.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    orders: i64,
    events: i64,
    stock: i64,
    moves: i64,
}

fn counts(db: &Path) -> Counts {
    let conn = Connection::open(db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    Counts {
        orders: count("SELECT count(*) FROM orders"),
        events: count("SELECT count(*) FROM order_events"),
        stock: count("SELECT coalesce(sum(stock), 0) FROM products"),
        moves: count("SELECT count(*) FROM stock_moves"),
    }
}

fn integrity(db: &Path) -> String {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

/// One write drawn at random: an order, a cancel or a restock, as the
/// arguments of a shopdesk command.
fn draw_write(dice: &mut Dice) -> Vec<String> {
    let products = ["MUG-1", "4006381333931"];
    match dice.below(4) {
        0 | 1 => {
            let mut args: Vec<String> = ["order", "place", "--customer", "1"]
                .map(String::from)
                .to_vec();
            for product in products.iter().take(1 + dice.below(2) as usize) {
                args.push(format!("{product}:{}", 1 + dice.below(12)));
            }
            args
        }
        2 => vec![
            "order".into(),
            "status".into(),
            (1 + dice.below(20)).to_string(),
            "canceled".into(),
        ],
        _ => vec![
            "product".into(),
            "restock".into(),
            products[dice.below(2) as usize].into(),
            "--add".into(),
            (1 + dice.below(50)).to_string(),
        ],
    }
}

/// The write `args` by a fresh process; `marker` is the test switch
/// (`SHOPDESK_TEST_...`) and the file it creates.
fn start_write(db: &Path, args: &[String], marker: (&str, &Path)) -> Child {
    shopdesk()
        .arg("--db")
        .arg(db)
        .args(args)
        .env(marker.0, marker.1)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// What `db` holds once the write `args` has run to its end, found by
/// running it, unkilled, on a copy of the file and its log, and how long
/// that run took as a whole process.
fn counts_after(db: &Path, args: &[String], scratch: &Path) -> (Counts, Duration) {
    let copy = scratch.join("copy.db");
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", db.display()));
        let to = PathBuf::from(format!("{}{suffix}", copy.display()));
        let _ = std::fs::remove_file(&to);
        if from.exists() {
            std::fs::copy(&from, &to).unwrap();
        }
    }
    let started = Instant::now();
    shopdesk()
        .arg("--db")
        .arg(&copy)
        .args(args)
        .output()
        .unwrap();
    (counts(&copy), started.elapsed())
}

/// Whether the write reached its marker (false: it ended first, refused
/// before it began to write).
fn wait_for(marker: &Path, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if marker.exists() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return marker.exists();
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("the write never reached its marker");
}

#[test]
// The test switches exist in debug builds only.
#[cfg_attr(not(debug_assertions), ignore)]
fn killed_writers_never_leave_a_broken_or_half_written_database() {
    let kills = std::env::var("SHOPDESK_CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_KILLS);
    let shop = Shop::stocked();
    shop.run(&["product", "restock", "MUG-1", "--set", "5000"])
        .ok();
    shop.run(&["product", "restock", "4006381333931", "--set", "5000"])
        .ok();
    let db = shop.db();
    let first = counts(&db);
    let marker = shop.dir.path().join("marker");
    let scratch = tempfile::tempdir().unwrap();
    let mut dice = Dice(7);
    let (mut kill, mut undone, mut done, mut alive) = (0, 0, 0, 0);
    while kill < kills {
        let paused = kill % PAUSED_EVERY == 0;
        let args = draw_write(&mut dice);
        let before = counts(&db);
        let (after, took) = counts_after(&db, &args, scratch.path());
        let _ = std::fs::remove_file(&marker);
        let switch = if paused {
            "SHOPDESK_TEST_PAUSE_BEFORE_COMMIT"
        } else {
            "SHOPDESK_TEST_MARK_WRITE_BEGUN"
        };
        let mut child = start_write(&db, &args, (switch, &marker));
        if !wait_for(&marker, &mut child) {
            continue; // refused before writing: draw another write
        }
        if !paused {
            // Somewhere in the work: the updates, the commit, or the exit.
            // The range grows with what the same write took unkilled, so a
            // loaded machine (a slower write) still sees kills land after
            // the commit as well as before it.
            let took = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
            std::thread::sleep(Duration::from_micros(
                dice.below(MAX_DELAY_MICROS.max(took)),
            ));
        }
        alive += usize::from(!paused && child.try_wait().unwrap().is_none());
        child.kill().unwrap();
        child.wait().unwrap();
        kill += 1;

        assert_eq!(integrity(&db), "ok", "after kill {kill}");
        let now = counts(&db);
        if paused {
            assert_eq!(
                now, before,
                "kill {kill} inside a write left part of it behind"
            );
        } else {
            // A kill anywhere leaves the write undone or done, never half.
            assert!(
                now == before || now == after,
                "kill {kill} of {args:?} left {now:?}: neither {before:?} nor {after:?}"
            );
            undone += usize::from(now == before && before != after);
            done += usize::from(now == after && before != after);
        }
        // Complete orders (items, totals, first event), timelines and a
        // balanced ledger, by the same check a shop runs.
        let checked = shop.run(&["check"]);
        assert_eq!(
            checked.code, 0,
            "after kill {kill}:\n{}{}",
            checked.stdout, checked.stderr
        );
    }
    eprintln!(
        "{kills} kills: half inside a paused write; of the others, {alive} found the writer at work, \
         {undone} undid a write, {done} let it finish"
    );
    assert!(alive > 0, "no kill found a writer still at work");
    assert!(
        counts(&db).orders > first.orders,
        "some writes got through between the kills"
    );
}
