//! `cargo bench`: shopdesk's speed on a big shop, each figure next to a
//! floor measured in the same run on the same database.
//!
//! The first run builds the benchmark database (100,000 customers, 100,000
//! products, 1,000,000 orders) under `target/shopdesk-bench/`; later runs
//! reuse it. `SHOPDESK_BENCH_DB=path` picks another file. The floor is the
//! least work that could do the same job: hand-written rusqlite with
//! prepared statements and the same pragmas, using no shopdesk code, on the
//! same data, with the same result, timed the same way (set-up outside the
//! timing for both, each sample of shopdesk and of its floor taken in turn,
//! which one goes first alternating, so both meet the same cache state).
//!
//! A p99 is only given from at least [`MIN_P99_SAMPLES`] samples; a row
//! that is one run says so. A measurement that fails (a child process that
//! crashes, a floor that finds other rows) is shown as failed and makes
//! `cargo bench` exit non-zero.
//!
//! The MariaDB rows (`mariadb.rs`) measure the same on a server database,
//! their floors written with the `mysql` crate, and 16 concurrent sellers
//! against the origin's Flask stack (`origin.rs`); without a server they
//! say so and the rest runs.

mod mariadb;
mod origin;
mod sellers;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params, params_from_iter};
use shopdesk::app::list::PAGE_ROWS;
use shopdesk::app::{Action, AppState, Command as AppCommand, Effect, ListQuery, Screen, keys};
use shopdesk::demo::{self, DemoSize};
use shopdesk::domain::order::{ItemSpec, NewOrder, Order, OrderFilter, Quantity};
use shopdesk::domain::product::ProductRef;
use shopdesk::domain::product::Restock;
use shopdesk::domain::timestamp::UTC_MICROS_FORMAT;
use shopdesk::sale_ids::new_sale_id;
use shopdesk::store::Shop;
use shopdesk::store::sqlite::SqliteStore;
use shopdesk::tui::effects::SearchRunner;
use shopdesk::tui::searcher::Searcher;
use shopdesk::tui::theme::Theme;
use shopdesk::tui::{effects, screens};

const BENCH_SIZE: DemoSize = DemoSize {
    customers: 100_000,
    products: 100_000,
    orders: 1_000_000,
    seed: 1,
};
/// The demo's best customer: one order in 20, 50,000 at benchmark size.
const LONG_HISTORY_CUSTOMER: i64 = 1;
const PAGE: usize = 50;
/// A 99th percentile of fewer samples is mostly the one slowest sample.
const MIN_P99_SAMPLES: usize = 1_000;
/// A search floor may find another number of rows than shopdesk (accents
/// folded by shopdesk, not by LIKE) in at most one keystroke in this many.
const MAX_DIFFERING_SEARCHES_IN: usize = 20;

/// One line of the table.
struct Measured {
    operation: String,
    timing: Timing,
    floor: Option<Duration>,
    target: String,
    met: Option<bool>,
}

impl Measured {
    /// A row whose target is a p99 of at most `limit` (neither met nor
    /// missed without a p99).
    fn p99_within(operation: String, timing: Timing, floor: Duration, limit: Duration) -> Measured {
        Measured {
            operation,
            met: timing.p99().map(|p99| p99 <= limit),
            timing,
            floor: Some(floor),
            target: format!("p99 ≤ {} ms", limit.as_micros() as f64 / 1000.0),
        }
    }
}

/// What a row's figures are.
enum Timing {
    /// `samples` timings: their median and, from enough of them, p99.
    Sampled {
        median: Duration,
        p99: Option<Duration>,
        samples: usize,
    },
    /// One run, timed once.
    Single(Duration),
    /// No time: the row is a size.
    Untimed,
    /// Work done per second by shopdesk and by its floor (more is better).
    Rate {
        ours: f64,
        floor: f64,
        unit: &'static str,
    },
    /// Not measured, and why: nothing to measure on here (no server), which
    /// is not a failure of shopdesk's.
    Skipped(String),
    /// The measurement could not be made: why.
    Failed(String),
}

impl Timing {
    fn sampled(samples: &mut [Duration]) -> Timing {
        let (median, p99) = stats(samples);
        Timing::Sampled {
            median,
            p99,
            samples: samples.len(),
        }
    }

    fn median(&self) -> Option<Duration> {
        match self {
            Timing::Sampled { median, .. } => Some(*median),
            Timing::Single(took) => Some(*took),
            Timing::Untimed | Timing::Rate { .. } | Timing::Skipped(_) | Timing::Failed(_) => None,
        }
    }

    fn p99(&self) -> Option<Duration> {
        match self {
            Timing::Sampled { p99, .. } => *p99,
            _ => None,
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|a| a == "--child") {
        child(&args[position + 1], Path::new(&args[position + 2]));
        return;
    }
    // `cargo bench -- sqlite` or `-- mariadb` measures one backend alone.
    let only = |backend: &str| {
        !args.iter().any(|a| a == "sqlite" || a == "mariadb") || args.iter().any(|a| a == backend)
    };
    let mut table = Vec::new();
    if only("sqlite") {
        sqlite_rows(&mut table);
    }
    if only("mariadb") {
        mariadb::measure(&mut table);
    }
    print(&table);
    let failed = table
        .iter()
        .filter(|row| matches!(row.timing, Timing::Failed(_)))
        .count();
    if failed > 0 {
        eprintln!("{failed} measurement(s) failed: see the table");
        std::process::exit(1);
    }
}

fn sqlite_rows(table: &mut Vec<Measured>) {
    let (db, demo_time) = bench_db();
    if let Some(took) = demo_time {
        table.push(demo_row(
            "shopdesk demo at benchmark size (2 cores)",
            took,
            Duration::from_secs(30),
        ));
    }
    place_orders(&db, true, table);
    place_orders(&db, false, table);
    searches(&db, table);
    one_shot_searches(&db, table);
    first_searches(&db, table);
    sku_lookups(&db, table);
    history_pages(&db, table);
    streaming_memory(&db, table);
    app_keys(&db, table);
}

/// The row of building the benchmark database with `shopdesk demo`.
fn demo_row(operation: &str, took: Duration, limit: Duration) -> Measured {
    Measured {
        operation: operation.into(),
        timing: Timing::Single(took),
        floor: None,
        target: format!("≤ {} s", limit.as_secs()),
        met: Some(took <= limit),
    }
}

/// The benchmark database: built once (and timed), reused afterwards.
fn bench_db() -> (PathBuf, Option<Duration>) {
    let path = std::env::var_os("SHOPDESK_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| bench_folder().join("bench.db"));
    if path.exists() {
        return (path, None);
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    eprintln!("building the benchmark database at {} …", path.display());
    let started = Instant::now();
    let mut store = SqliteStore::open(&path).unwrap();
    demo::fill(&mut store, BENCH_SIZE, Utc::now()).unwrap();
    let took = started.elapsed();
    eprintln!("built in {:.1} s", took.as_secs_f64());
    (path, Some(took))
}

/// Where the benchmark keeps what it builds once: the SQLite database,
/// the origin's Python environment.
fn bench_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shopdesk-bench")
}

/// The median and, from at least [`MIN_P99_SAMPLES`] samples, the 99th
/// percentile (nearest rank).
fn stats(samples: &mut [Duration]) -> (Duration, Option<Duration>) {
    samples.sort();
    let rank = |q: f64| ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
    let p99 = (samples.len() >= MIN_P99_SAMPLES).then(|| samples[rank(0.99)]);
    (samples[rank(0.5)], p99)
}

fn median(samples: &mut [Duration]) -> Duration {
    stats(samples).0
}

fn time<T>(work: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let result = work();
    (started.elapsed(), result)
}

/// Times shopdesk's work and its floor's on the same input, one after the
/// other, the floor first on odd rounds: neither always finds the cache
/// the other warmed.
fn time_both<A, B>(
    round: usize,
    ours: impl FnOnce() -> A,
    floor: impl FnOnce() -> B,
) -> ((Duration, A), (Duration, B)) {
    if round.is_multiple_of(2) {
        let a = time(ours);
        (a, time(floor))
    } else {
        let b = time(floor);
        (time(ours), b)
    }
}

/// `items` repeated in order until there are at least `count` of them.
fn at_least<T: Clone>(items: &[T], count: usize) -> Vec<T> {
    assert!(!items.is_empty(), "nothing to measure");
    items
        .iter()
        .cycle()
        .take(count.max(items.len()))
        .cloned()
        .collect()
}

fn open_floor(db: &Path, durable: bool) -> Connection {
    let conn = Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", if durable { "FULL" } else { "OFF" })
        .unwrap();
    conn
}

/// SKUs of products with plenty of stock, for orders that never run short.
fn well_stocked_skus(db: &Path, count: usize) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut statement = conn
        .prepare("SELECT sku FROM products WHERE active = 1 AND stock >= 100 ORDER BY id LIMIT ?1")
        .unwrap();
    let skus: Vec<String> = statement
        .query_map([count as i64], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(statement);
    drop(conn);
    // Stock for every round of the benchmark, through the ledger like any
    // restock, so the benchmark database stays sound.
    let mut store = SqliteStore::open(db).unwrap();
    for sku in &skus {
        let id = store.product(sku).unwrap().id;
        store
            .restock(id, Restock::add(100_000).unwrap(), Utc::now())
            .unwrap();
    }
    skus
}

fn place_orders(db: &Path, durable: bool, table: &mut Vec<Measured>) {
    let rounds = if durable {
        MIN_P99_SAMPLES
    } else {
        2 * MIN_P99_SAMPLES
    };
    let skus = well_stocked_skus(db, 30);
    let mut store = SqliteStore::open(db).unwrap();
    if !durable {
        store.without_durability_for_benchmarks().unwrap();
    }
    let mut floor = open_floor(db, durable);
    let (ours, theirs) = place_order_rounds(
        rounds,
        &skus,
        &mut |order| {
            store.place_order(order, Utc::now()).unwrap();
        },
        &mut |order| floor_place_order(&mut floor, order),
    );
    let (label, limit) = if durable {
        ("synchronous=FULL", 1.3)
    } else {
        ("synchronous=OFF", 2.0)
    };
    table.push(order_row(
        format!("place an order of 3 lines ({label})"),
        ours,
        theirs,
        limit,
    ));
}

/// An order as a floor places it: the customer, its lines (a SKU and
/// how many), and a sale id of its own.
struct FloorOrder<'a> {
    customer: i64,
    lines: Vec<(&'a String, i64)>,
    sale_id: String,
}

impl FloorOrder<'_> {
    /// The same order as shopdesk is given it.
    fn new_order(&self) -> NewOrder {
        NewOrder {
            customer_id: self.customer,
            items: (self.lines.iter())
                .map(|(sku, quantity)| ItemSpec {
                    product: ProductRef::Sku(sku.to_string()),
                    quantity: Quantity::new(*quantity).unwrap(),
                })
                .collect(),
            note: String::new(),
            count_corrections: Vec::new(),
            // As every sale is sent: with an id of its own, which the
            // floor looks up and stores too.
            sale_id: Some(new_sale_id().unwrap()),
        }
    }
}

/// Places `rounds` orders of 3 lines, taken in turn from `skus`, with
/// shopdesk (`ours`) and the same orders with its floor, each round timed
/// in turn; returns shopdesk's times and the floor's.
fn place_order_rounds(
    rounds: usize,
    skus: &[String],
    ours: &mut dyn FnMut(&NewOrder),
    floor: &mut dyn FnMut(&FloorOrder<'_>),
) -> (Vec<Duration>, Vec<Duration>) {
    let mut times = Vec::with_capacity(rounds);
    let mut floor_times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let quantity = 1 + (round as i64 % 3);
        let floor_order = FloorOrder {
            customer: 2 + (round as i64 % 1000),
            lines: (0..3)
                .map(|i| (&skus[(round * 3 + i) % skus.len()], quantity))
                .collect(),
            sale_id: new_sale_id().unwrap().as_str().to_string(),
        };
        let order = floor_order.new_order();
        let ((took, _), (floor_took, _)) =
            time_both(round, || ours(&order), || floor(&floor_order));
        times.push(took);
        floor_times.push(floor_took);
    }
    (times, floor_times)
}

/// The row of placing orders: met when shopdesk's median is at most
/// `limit` times the floor's.
fn order_row(
    operation: String,
    mut ours: Vec<Duration>,
    mut theirs: Vec<Duration>,
    limit: f64,
) -> Measured {
    let timing = Timing::sampled(&mut ours);
    let floor_median = median(&mut theirs);
    Measured {
        operation,
        met: timing
            .median()
            .map(|m| m.as_secs_f64() <= limit * floor_median.as_secs_f64()),
        timing,
        floor: Some(floor_median),
        target: format!("≤ {limit} × floor"),
    }
}

/// Placing the same order by hand: the same reads, checks and rows.
fn floor_place_order(conn: &mut Connection, order: &FloorOrder<'_>) {
    let FloorOrder {
        customer,
        ref lines,
        ref sale_id,
    } = *order;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    let placed: Option<i64> = tx
        .prepare_cached("SELECT id FROM orders WHERE sale_id = ?1")
        .unwrap()
        .query_row([sale_id], |row| row.get(0))
        .optional()
        .unwrap();
    assert!(placed.is_none());
    let found: Option<i64> = tx
        .prepare_cached("SELECT id FROM customers WHERE id = ?1")
        .unwrap()
        .query_row([customer], |row| row.get(0))
        .optional()
        .unwrap();
    assert!(found.is_some());
    let mut sold = Vec::new();
    for &(sku, quantity) in lines {
        let (id, name, price): (i64, String, i64) = tx
            .prepare_cached(
                "SELECT id, name, price_cents FROM products WHERE sku = ?1 AND active = 1",
            )
            .unwrap()
            .query_row([sku.as_str()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .unwrap();
        let changed = tx
            .prepare_cached("UPDATE products SET stock = stock - ?1 WHERE id = ?2 AND stock >= ?1")
            .unwrap()
            .execute(params![quantity, id])
            .unwrap();
        assert_eq!(changed, 1);
        sold.push((id, sku.to_string(), name, price, quantity));
    }
    let subtotal: i64 = sold.iter().map(|l| l.3 * l.4).sum();
    let now = Utc::now().format(UTC_MICROS_FORMAT).to_string();
    tx.prepare_cached(
        "INSERT INTO orders (customer_id, status, created_at, subtotal_cents, discount_cents, total_cents, note, sale_id)
         VALUES (?1, 'pending', ?2, ?3, 0, ?3, '', ?4)",
    )
    .unwrap()
    .execute(params![customer, now, subtotal, sale_id])
    .unwrap();
    let order = tx.last_insert_rowid();
    for (line_no, (id, sku, name, price, quantity)) in sold.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO order_items (order_id, product_id, line_no, sku, name, quantity, unit_price_cents, line_total_cents)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .unwrap()
        .execute(params![order, id, line_no as i64 + 1, sku, name, quantity, price, price * quantity])
        .unwrap();
        tx.prepare_cached(
            "INSERT INTO stock_moves (product_id, seq, delta, reason, order_id, at)
             VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM stock_moves WHERE product_id = ?1),
                     ?2, 'sale', ?3, ?4)",
        )
        .unwrap()
        .execute(params![id, -quantity, order, now])
        .unwrap();
    }
    tx.prepare_cached(
        "INSERT INTO order_events (order_id, seq, from_status, to_status, at, note) VALUES (?1, 1, NULL, 'pending', ?2, 'order placed')",
    )
    .unwrap()
    .execute(params![order, now])
    .unwrap();
    tx.commit().unwrap();
}

/// Every prefix (1-8 characters) of `words`: what typing them sends.
fn keystrokes(words: &[String]) -> Vec<String> {
    words
        .iter()
        .flat_map(|word| {
            (1..=word.chars().count().min(8)).map(move |n| word.chars().take(n).collect())
        })
        .collect()
}

/// `count` written with thousands separators, for the table's labels:
/// the figures of the database measured, not of the benchmark's size.
fn count_of(db: &Path, sql: &str) -> String {
    thousands(
        Connection::open(db)
            .unwrap()
            .query_row(sql, [], |row| row.get(0))
            .unwrap(),
    )
}

/// `count` written with thousands separators.
fn thousands(count: i64) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn sample_words(db: &Path, sql: &str) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut statement = conn.prepare(sql).unwrap();
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// What a search floor does, by hand: the exact matches first (SKU, or
/// email and phone digits), then every row holding the text in any of the
/// searched columns, in name order, up to a page: the rows shopdesk shows,
/// read whole. Returns their ids.
struct SearchFloor<'c> {
    exact: rusqlite::CachedStatement<'c>,
    page: rusqlite::CachedStatement<'c>,
}

impl SearchFloor<'_> {
    fn run(&mut self, text: &str) -> Vec<i64> {
        // Phone digits only for text that could be a phone number, as
        // shopdesk does (NULL matches nothing).
        let digits = phone_like_digits(text);
        let exact = [Some(text.to_string()), digits.clone()];
        let like = [Some(format!("%{text}%")), digits.map(|d| format!("%{d}%"))];
        // The product statements have no digits parameter.
        let count = self.exact.parameter_count();
        let mut ids: Vec<i64> = self
            .exact
            .query_map(params_from_iter(&exact[..count]), |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let count = self.page.parameter_count();
        let rest = self
            .page
            .query_map(params_from_iter(&like[..count]), read_whole_row)
            .unwrap()
            .map(Result::unwrap);
        for id in rest {
            if ids.len() == PAGE {
                break;
            }
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }
}

/// Reads every column of a row, as shopdesk's row mapping does; returns
/// the id (the first column).
fn read_whole_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<i64> {
    for column in 1..row.as_ref().column_count() {
        std::hint::black_box(row.get_ref(column)?);
    }
    row.get(0)
}

/// The digits of `text` when it could be (part of) a phone number.
fn phone_like_digits(text: &str) -> Option<String> {
    let text = text.trim();
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()./xX".contains(c));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (phone_like && !digits.is_empty()).then_some(digits)
}

/// As a counter's searcher searches: in its in-memory copies.
fn store_with_copies(db: &Path) -> SqliteStore {
    let mut store = SqliteStore::open(db).unwrap();
    let copies = store.read_search_copies().unwrap();
    store.search_from_copies(copies);
    store
}

/// Words drawn from the catalog: one word of every 500th product.
fn product_words(db: &Path) -> Vec<String> {
    sample_words(
        db,
        "SELECT substr(name, 1, instr(name || ' ', ' ') - 1) FROM products WHERE id % 500 = 17 LIMIT 200",
    )
}

fn searches(db: &Path, table: &mut Vec<Measured>) {
    let store = store_with_copies(db);
    let floor = open_floor(db, true);
    // A name, an email or phone digits of every 500th customer: a third each
    // (the name of one who gave no email).
    let customer_words = sample_words(
        db,
        "SELECT CASE id % 3 WHEN 0 THEN name WHEN 1 THEN coalesce(email, name) ELSE phone_digits END
         FROM customers WHERE id % 500 = 23 AND phone_digits <> '' LIMIT 200",
    );
    let mut product_floor = SearchFloor {
        exact: floor
            .prepare_cached("SELECT id FROM products WHERE sku = ?1")
            .unwrap(),
        page: floor
            .prepare_cached(
                "SELECT * FROM products WHERE sku LIKE ?1 OR name LIKE ?1 ORDER BY name, id LIMIT 100",
            )
            .unwrap(),
    };
    let mut customer_floor = SearchFloor {
        exact: floor
            .prepare_cached(
                "SELECT id FROM customers WHERE email = ?1
                 UNION ALL SELECT id FROM customers WHERE phone_digits = ?2",
            )
            .unwrap(),
        page: floor
            .prepare_cached(
                "SELECT * FROM customers WHERE name LIKE ?1 OR email LIKE ?1 OR phone_digits LIKE ?2
                 ORDER BY name, id LIMIT 100",
            )
            .unwrap(),
    };
    let searched = Searched {
        prefix: "",
        products: count_of(db, "SELECT count(*) FROM products"),
        customers: count_of(db, "SELECT count(*) FROM customers"),
        product_words: product_words(db),
        customer_words,
    };
    search_rows(
        &store,
        &searched,
        &mut |text| product_floor.run(text),
        &mut |text| customer_floor.run(text),
        table,
    );
}

/// What the search rows search, and in how many rows.
struct Searched {
    /// What the rows' labels begin with (the backend, if not SQLite).
    prefix: &'static str,
    products: String,
    customers: String,
    product_words: Vec<String>,
    customer_words: Vec<String>,
}

/// The rows of searching as you type on `store` (searching its in-memory
/// copies), products then customers, each keystroke beside its floor.
fn search_rows(
    store: &dyn Shop,
    searched: &Searched,
    product_floor: &mut dyn FnMut(&str) -> Vec<i64>,
    customer_floor: &mut dyn FnMut(&str) -> Vec<i64>,
    table: &mut Vec<Measured>,
) {
    let Searched {
        prefix,
        products,
        customers,
        ..
    } = searched;
    table.push(search_row(
        &format!("{prefix}product search (SKU, name), {products} products, first 50"),
        &searched.product_words,
        &|text| {
            let found = store.search_products(text, PAGE).unwrap();
            found.iter().map(|p| p.id).collect()
        },
        product_floor,
    ));
    table.push(search_row(
        &format!(
            "{prefix}customer search (name, email, phone digits), {customers} customers, first 50"
        ),
        &searched.customer_words,
        &|text| {
            let found = store.search_customers(text, PAGE).unwrap();
            found.iter().map(|c| c.id).collect()
        },
        customer_floor,
    ));
}

/// Every keystroke typing `words` searched by shopdesk (`ours`) and by its
/// floor, in turn; both return the ids they found.
fn search_row(
    label: &str,
    words: &[String],
    ours: &dyn Fn(&str) -> Vec<i64>,
    floor: &mut dyn FnMut(&str) -> Vec<i64>,
) -> Measured {
    let mut samples = Vec::new();
    let mut floors = Vec::new();
    let mut differ = Vec::new();
    for (round, text) in at_least(&keystrokes(words), MIN_P99_SAMPLES)
        .iter()
        .enumerate()
    {
        let ((took, found), (floor_took, floor_found)) =
            time_both(round, || ours(text), || floor(text));
        samples.push(took);
        floors.push(floor_took);
        // The same work: the same rows (accents aside, which LIKE
        // does not fold: those differ in order, not in number).
        if found.len() != floor_found.len() {
            differ.push(text.clone());
        }
    }
    // A few may differ by accents; more means the floor does other work.
    let timing = if differ.len() <= samples.len() / MAX_DIFFERING_SEARCHES_IN {
        Timing::sampled(&mut samples)
    } else {
        Timing::Failed(format!(
            "the floor found another number of rows for {} keystrokes, like {:?}",
            differ.len(),
            &differ[..differ.len().min(3)]
        ))
    };
    let differing = match differ.len() {
        0 => String::new(),
        n => format!("; {n} found other rows by accents, which LIKE does not fold"),
    };
    Measured::p99_within(
        format!(
            "{label}, per keystroke ({} keystrokes{differing})",
            samples.len()
        ),
        timing,
        median(&mut floors),
        Duration::from_millis(5),
    )
}

/// The sqlite3 shell: the floor of a search as a whole process.
const SQLITE3_SHELL: &str = "/usr/bin/sqlite3";
/// A one-shot search as a whole process, and the app's first search.
const FIRST_SEARCH_LIMIT: Duration = Duration::from_millis(20);

/// How long a whole process took and how many lines it printed (one per
/// row found), or why it failed.
type ProcessRun = Result<(Duration, usize), String>;

/// Runs `program` with `args` (see [`ProcessRun`]).
fn run_counting_lines(program: &str, args: &[&str]) -> ProcessRun {
    let (took, output) = time(|| Command::new(program).args(args).output());
    let output = output.map_err(|err| format!("{program}: cannot start: {err}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("");
        return Err(format!("{program} {}: {last}", output.status));
    }
    Ok((
        took,
        output
            .stdout
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count(),
    ))
}

/// `shopdesk product list --search TEXT` as a whole process (the release
/// binary: opening the database, the search, the output), for the texts
/// the keystroke rows type, beside the sqlite3 shell answering the same
/// `LIKE` on SKU or name (in name order, 50 rows, read whole) as a whole
/// process too, on the same database, in turn.
fn one_shot_searches(db: &Path, table: &mut Vec<Measured>) {
    let db_arg = db.to_str().unwrap();
    let products = count_of(db, "SELECT count(*) FROM products");
    let shell = |text: &str| {
        let like = format!("%{}%", text.replace('\'', "''"));
        let sql = format!(
            "SELECT * FROM products WHERE sku LIKE '{like}' OR name LIKE '{like}' ORDER BY name, id LIMIT 50"
        );
        run_counting_lines(SQLITE3_SHELL, &[db_arg, &sql])
    };
    let floor = match Path::new(SQLITE3_SHELL).exists() {
        true => Ok(Shell {
            name: "the sqlite3 shell",
            run: &shell,
        }),
        false => Err(format!("no sqlite3 shell at {SQLITE3_SHELL}")),
    };
    table.push(one_shot_row(
        format!(
            "one-shot product search as a whole process (shopdesk product list --search), {products} products, first 50"
        ),
        db_arg,
        &keystrokes(&product_words(db)),
        floor,
    ));
}

/// A database's own shell answering a search's `LIKE` as a whole process:
/// the floor of a one-shot search. `run` returns its time and the rows it
/// printed.
struct Shell<'a> {
    name: &'static str,
    run: &'a dyn Fn(&str) -> ProcessRun,
}

/// `shopdesk --db DB product list --json --search TEXT` for each of
/// `texts` (at least [`MIN_P99_SAMPLES`] of them, repeated if need be)
/// beside `floor`, the database's shell (or why there is none), in turn.
fn one_shot_row(
    operation: String,
    db: &str,
    texts: &[String],
    floor: Result<Shell<'_>, String>,
) -> Measured {
    let shopdesk = env!("CARGO_BIN_EXE_shopdesk");
    let target = format!("p99 ≤ {} ms", FIRST_SEARCH_LIMIT.as_millis());
    let ours = |text: &str| {
        let args = ["--db", db, "product", "list", "--json", "--search", text];
        run_counting_lines(shopdesk, &args)
    };
    let mut samples = Vec::new();
    let mut floors = Vec::new();
    let mut differ = 0;
    let mut failed = None;
    for (round, text) in at_least(texts, MIN_P99_SAMPLES).iter().enumerate() {
        let shell = floor.as_ref().ok();
        let ((_, found), (_, floor_found)) = time_both(
            round,
            || ours(text),
            || shell.map(|shell| (shell.run)(text)),
        );
        match (found, floor_found.transpose()) {
            (Ok((took, rows)), Ok(floor)) => {
                samples.push(took);
                if let Some((floor_took, floor_rows)) = floor {
                    floors.push(floor_took);
                    // Accents aside (LIKE does not fold them), the same rows.
                    differ += usize::from(rows != floor_rows);
                }
            }
            (Err(why), _) | (_, Err(why)) => {
                failed = Some(why);
                break;
            }
        }
    }
    let timing = match failed {
        Some(why) => Timing::Failed(why),
        None if differ > samples.len() / MAX_DIFFERING_SEARCHES_IN => Timing::Failed(format!(
            "{} found another number of rows for {differ} texts",
            floor.as_ref().map_or("the floor", |shell| shell.name)
        )),
        None => Timing::sampled(&mut samples),
    };
    let operation = match (&floor, differ) {
        (Err(why), _) => format!("{operation}; no floor: {why}"),
        (Ok(shell), 0) => format!(
            "{operation}; floor: {}'s LIKE as a whole process",
            shell.name
        ),
        (Ok(shell), n) => format!(
            "{operation}; floor: {}'s LIKE as a whole process ({n} found other rows by accents, which LIKE does not fold)",
            shell.name
        ),
    };
    Measured {
        operation,
        met: timing.p99().map(|p99| p99 <= FIRST_SEARCH_LIMIT),
        timing,
        floor: (!floors.is_empty()).then(|| median(&mut floors)),
        target,
    }
}

/// The app's first search after start-up: the searcher started as the app
/// starts it, its in-memory copies being read meanwhile on a thread of
/// their own, and at once one search as typed into the product list,
/// timed from the request to its answer. Each sample starts a new
/// searcher (and waits, untimed, for its copies to be read before the
/// next). The floor opens a connection and reads the same page with LIKE.
fn first_searches(db: &Path, table: &mut Vec<Measured>) {
    const STARTS: usize = 200;
    let texts = keystrokes(&product_words(db));
    let mut app_store = SqliteStore::open(db).unwrap();
    let floor_sql = format!(
        "SELECT * FROM products WHERE sku LIKE ?1 OR name LIKE ?1 ORDER BY name, id LIMIT {PAGE_ROWS}"
    );
    let mut samples = Vec::new();
    let mut floors = Vec::new();
    let mut failed = None;
    for round in 0..STARTS {
        // Texts of every length, spread over the words.
        let text = texts[round * 7 % texts.len()].clone();
        let mut searcher = Searcher::start(app_store.open_another().unwrap());
        let request = Effect::LoadProducts(ListQuery {
            text: text.clone(),
            at: shopdesk::app::list::PageAt::First,
            generation: 1,
        });
        let ((took, answers), (floor_took, _)) = time_both(
            round,
            || {
                searcher.start(&mut app_store, vec![request]);
                searcher.answers(true)
            },
            || {
                let conn = open_floor(db, true);
                let rows = conn
                    .prepare(&floor_sql)
                    .unwrap()
                    .query_map([format!("%{text}%")], read_whole_row)
                    .unwrap()
                    .count();
                std::hint::black_box(rows)
            },
        );
        drop(searcher);
        match answers.as_slice() {
            [Action::ProductsLoaded { page, .. }] if !page.rows.is_empty() => {
                samples.push(took);
                floors.push(floor_took);
            }
            other => {
                failed = Some(format!("no products for {text:?}: {other:?}"));
                break;
            }
        }
    }
    let slowest = samples.iter().max().copied().unwrap_or_default();
    let timing = match failed {
        Some(why) => Timing::Failed(why),
        None => Timing::sampled(&mut samples),
    };
    table.push(Measured {
        operation: format!(
            "the app's first search after start-up, answered while its copies are read ({STARTS} starts, slowest {:.3} ms)",
            slowest.as_secs_f64() * 1000.0
        ),
        met: timing.median().map(|median| median <= FIRST_SEARCH_LIMIT),
        timing,
        floor: Some(median(&mut floors)),
        target: format!("median ≤ {} ms", FIRST_SEARCH_LIMIT.as_millis()),
    });
}

fn sku_lookups(db: &Path, table: &mut Vec<Measured>) {
    let store = SqliteStore::open(db).unwrap();
    let floor = open_floor(db, true);
    let skus = sample_words(db, "SELECT sku FROM products WHERE id % 97 = 0");
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    // The whole product, as shopdesk reads it.
    let mut statement = floor
        .prepare("SELECT * FROM products WHERE sku = ?1")
        .unwrap();
    for (round, sku) in at_least(&skus, MIN_P99_SAMPLES).iter().enumerate() {
        let ((took, _), (floor_took, _)) = time_both(
            round,
            || store.product_by_sku(sku).unwrap(),
            || statement.query_row([sku], read_whole_row).unwrap(),
        );
        ours.push(took);
        theirs.push(floor_took);
    }
    let timing = Timing::sampled(&mut ours);
    table.push(Measured::p99_within(
        format!(
            "SKU lookup on scan ({} codes, {} lookups)",
            skus.len(),
            ours.len()
        ),
        timing,
        median(&mut theirs),
        Duration::from_micros(200),
    ));
}

fn history_pages(db: &Path, table: &mut Vec<Measured>) {
    let store = SqliteStore::open(db).unwrap();
    let floor = open_floor(db, true);
    history_rows(
        &store,
        "",
        Duration::from_millis(3),
        &mut |after| {
            let (at, id) = match after {
                Some(order) => (
                    order.created_at.format(UTC_MICROS_FORMAT).to_string(),
                    order.id,
                ),
                None => ("9999".to_string(), i64::MAX),
            };
            floor_history_page(&floor, LONG_HISTORY_CUSTOMER, &at, id)
        },
        table,
    );
}

/// The rows of reading the long history a page at a time on `store`
/// (their labels beginning with `prefix`): the first page and any later
/// one beside `floor` (which reads the page after an order, or the first,
/// and returns how many orders it holds), each p99 within `limit`, and
/// the deepest full page against page 1.
fn history_rows(
    store: &dyn Shop,
    prefix: &str,
    limit: Duration,
    floor: &mut dyn FnMut(Option<&Order>) -> usize,
    table: &mut Vec<Measured>,
) {
    let filter = OrderFilter {
        customer_id: Some(LONG_HISTORY_CUSTOMER),
        status: None,
    };
    // Walk every page once to know where each starts.
    let mut starts = vec![None];
    let mut page = store.orders_page(filter, None, PAGE).unwrap();
    while page.len() == PAGE {
        let last = page.last().cloned();
        page = store.orders_page(filter, last.as_ref(), PAGE).unwrap();
        starts.push(last);
    }
    let pages = starts.len();
    // The deepest page holding a full 50 orders, so that it is compared
    // with page 1 for the same work (the last page may hold a few).
    let deepest_full = if page.len() == PAGE || pages == 1 {
        pages
    } else {
        pages - 1
    };
    let deep_start = starts[deepest_full - 1].clone();
    let deep_len = store
        .orders_page(filter, deep_start.as_ref(), PAGE)
        .unwrap()
        .len();
    let first_len = store.orders_page(filter, None, PAGE).unwrap().len();
    assert_eq!(
        deep_len, first_len,
        "page {deepest_full} and page 1 hold as many orders"
    );
    let (mut first, mut first_floor) = (Vec::new(), Vec::new());
    let (mut any, mut any_floor) = (Vec::new(), Vec::new());
    let mut deep = Vec::new();
    for round in 0..MIN_P99_SAMPLES {
        let some = starts[(round * 37) % pages].as_ref();
        let ((took, ours), (floor_took, theirs)) = time_both(
            round,
            || store.orders_page(filter, None, PAGE).unwrap().len(),
            || floor(None),
        );
        assert_eq!(ours, theirs, "page 1: the floor reads the same orders");
        first.push(took);
        first_floor.push(floor_took);
        let ((took, ours), (floor_took, theirs)) = time_both(
            round,
            || store.orders_page(filter, some, PAGE).unwrap().len(),
            || floor(some),
        );
        assert_eq!(ours, theirs, "the floor reads the same orders");
        any.push(took);
        any_floor.push(floor_took);
        deep.push(
            time(|| {
                store
                    .orders_page(filter, deep_start.as_ref(), PAGE)
                    .unwrap()
            })
            .0,
        );
    }
    let first_median = Some(median(&mut first));
    for (operation, samples, floors) in [
        (
            format!("{prefix}history, first page of 50 ({pages} pages)"),
            &mut first,
            &mut first_floor,
        ),
        (
            format!("{prefix}history, any later page (of {pages})"),
            &mut any,
            &mut any_floor,
        ),
    ] {
        table.push(Measured::p99_within(
            operation,
            Timing::sampled(samples),
            median(floors),
            limit,
        ));
    }
    let deep = Timing::sampled(&mut deep);
    table.push(Measured {
        operation: format!(
            "{prefix}history, page {deepest_full} (the deepest full page) against page 1: 50 orders each"
        ),
        met: deep
            .median()
            .zip(first_median)
            .map(|(deep, first)| deep.as_secs_f64() <= 1.5 * first.as_secs_f64()),
        timing: deep,
        floor: first_median,
        target: "≤ 1.5 × page 1".into(),
    });
}

/// One page of a customer's history by hand: the same orders and lines,
/// every column read. Returns how many orders it holds.
fn floor_history_page(conn: &Connection, customer: i64, at: &str, id: i64) -> usize {
    let mut orders = conn
        .prepare_cached(
            "SELECT o.id, o.customer_id, c.name, o.status, o.created_at, o.subtotal_cents, o.discount_cents,
                    o.total_cents, o.note, o.payment_method, o.tendered_cents
             FROM orders o JOIN customers c ON c.id = o.customer_id
             WHERE o.customer_id = ?1 AND (o.created_at, o.id) < (?2, ?3)
             ORDER BY o.created_at DESC, o.id DESC LIMIT 50",
        )
        .unwrap();
    let mut items = conn
        .prepare_cached(
            "SELECT product_id, sku, name, quantity, unit_price_cents, line_total_cents
             FROM order_items WHERE order_id = ?1 ORDER BY line_no",
        )
        .unwrap();
    let ids: Vec<i64> = orders
        .query_map(params![customer, at, id], read_whole_row)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for order in &ids {
        let lines = items
            .query_map([order], read_whole_row)
            .unwrap()
            .map(Result::unwrap)
            .count();
        std::hint::black_box(lines);
    }
    ids.len()
}

/// The floor of drawing: the finished frame's cells copied into the
/// terminal's buffer, then drawn (the same diff and output as shopdesk's
/// draw), with no widget logic.
fn draw_copy(terminal: &mut Terminal<TestBackend>, finished: &Buffer) {
    terminal
        .draw(|frame| {
            frame
                .buffer_mut()
                .content
                .clone_from_slice(&finished.content)
        })
        .unwrap();
}

/// Runs `mode` of this benchmark in a process of its own; returns how long
/// it took and the KiB it printed, or why it failed: a crash or a missing
/// figure is a failed measurement, never 0 KB.
fn run_child(mode: &str, db: &Path) -> Result<(Duration, u64), String> {
    let started = Instant::now();
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--child", mode])
        .arg(db)
        .output()
        .map_err(|err| format!("{mode}: cannot start: {err}"))?;
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("");
        return Err(format!("{mode}: the child {}: {last}", output.status));
    }
    match stdout.trim().parse::<u64>() {
        Ok(kb) if kb > 0 => Ok((took, kb)),
        _ => Err(format!("{mode}: no memory figure in {:?}", stdout.trim())),
    }
}

/// Peak memory of streaming the whole long history, against reading one
/// page, each in a process of its own: one run each.
fn streaming_memory(db: &Path, table: &mut Vec<Measured>) {
    let measured = run_child("page", db).and_then(|page| Ok((page, run_child("stream", db)?)));
    let orders = count_of(
        db,
        &format!("SELECT count(*) FROM orders WHERE customer_id = {LONG_HISTORY_CUSTOMER}"),
    );
    let target = "≤ 5 MB above one page".to_string();
    table.push(match measured {
        // A memory row: one page is the baseline of its memory, not a
        // floor for its time (it does a fiftieth of the work).
        Ok(((_, page_kb), (stream_time, stream_kb))) => {
            let extra_kb = stream_kb.saturating_sub(page_kb);
            Measured {
                operation: format!(
                    "stream a {orders}-order history (single run): peak RSS {:.1} MB vs one page {:.1} MB (+{:.1} MB)",
                    stream_kb as f64 / 1024.0,
                    page_kb as f64 / 1024.0,
                    extra_kb as f64 / 1024.0
                ),
                timing: Timing::Single(stream_time),
                floor: None,
                target,
                met: Some(extra_kb <= 5 * 1024),
            }
        }
        Err(why) => Measured {
            operation: format!("stream a {orders}-order history: peak RSS"),
            timing: Timing::Failed(why),
            floor: None,
            target,
            met: None,
        },
    });
}

/// Runs in a process of its own; prints its peak RSS in KiB.
fn child(mode: &str, db: &Path) {
    let store = SqliteStore::open(db).unwrap();
    let filter = OrderFilter {
        customer_id: Some(LONG_HISTORY_CUSTOMER),
        status: None,
    };
    let count = match mode {
        "stream" => store
            .orders(filter)
            .map(|order| order.unwrap().items.len())
            .sum(),
        "browse" => {
            let mut state = AppState::new(120, 40);
            let mut store = store;
            // Searching as the app's searcher does, in its copies.
            let copies = store.read_search_copies().unwrap();
            store.search_from_copies(copies);
            run_keys(&mut state, &mut store, &session_keys());
            state.customers.list.rows.len()
        }
        "page" => store.orders_page(filter, None, PAGE).unwrap().len(),
        other => panic!("no child mode {other}"),
    };
    std::hint::black_box(count);
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = if mode == "browse" { "VmRSS:" } else { "VmHWM:" };
    let kb = status
        .lines()
        .find(|line| line.starts_with(field))
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    println!("{kb}");
}

/// A recorded session of typical keys: screen switches, searches,
/// scrolling, scans, checkout.
fn session_keys() -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let text = |keys: &mut Vec<KeyEvent>, text: &str| {
        keys.extend(text.chars().map(|c| plain(KeyCode::Char(c))))
    };
    keys.push(plain(KeyCode::F(2)));
    keys.push(plain(KeyCode::Char('/')));
    text(&mut keys, "ada ab");
    keys.push(plain(KeyCode::Esc));
    keys.extend([
        plain(KeyCode::PageDown),
        plain(KeyCode::PageDown),
        plain(KeyCode::Down),
        plain(KeyCode::Up),
    ]);
    keys.push(plain(KeyCode::F(3)));
    keys.push(plain(KeyCode::Char('/')));
    text(&mut keys, "blue mug");
    keys.push(plain(KeyCode::Esc));
    keys.extend((0..10).map(|_| plain(KeyCode::PageDown)));
    keys.push(plain(KeyCode::F(4)));
    keys.push(plain(KeyCode::Enter));
    for code in [
        "5000000001170",
        "5000000000807",
        "5000000001170",
        "5000000000784",
    ] {
        text(&mut keys, code);
        keys.push(plain(KeyCode::Enter));
    }
    text(&mut keys, "teal");
    keys.push(plain(KeyCode::Down));
    keys.push(plain(KeyCode::Enter));
    keys.push(plain(KeyCode::F(5)));
    keys.extend((0..10).map(|_| plain(KeyCode::PageDown)));
    keys.push(plain(KeyCode::Char('s')));
    keys.push(plain(KeyCode::Enter));
    keys.push(plain(KeyCode::F(6)));
    keys.push(plain(KeyCode::F(2)));
    keys.push(plain(KeyCode::Enter));
    keys.extend((0..20).map(|_| plain(KeyCode::PageDown)));
    keys
}

/// Presses `keys`, drawing a 120×40 frame after each; returns each key's
/// time from press to drawn frame, and its floor's: the same frame copied
/// into a terminal that showed the same frame before.
fn run_keys(
    state: &mut AppState,
    store: &mut SqliteStore,
    keys: &[KeyEvent],
) -> (Vec<Duration>, Vec<Duration>) {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut plain = Terminal::new(TestBackend::new(120, 40)).unwrap();
    keys.iter()
        .map(|key| {
            let ours = time(|| {
                if let Some(action) = keys::action_for(state, *key) {
                    effects::dispatch(state, store, action);
                }
                terminal
                    .draw(|frame| screens::render(frame, state, Theme::default()))
                    .unwrap();
            })
            .0;
            let finished = terminal.backend().buffer().clone();
            (ours, time(|| draw_copy(&mut plain, &finished)).0)
        })
        .unzip()
}

/// A 120×40 app on `store`, opened on `screen`.
fn app_on(store: &mut SqliteStore, screen: Screen) -> AppState {
    let mut state = AppState::new(120, 40);
    effects::dispatch(&mut state, store, Action::Command(AppCommand::Open(screen)));
    state
}

/// The first screen as the app opens it: the store opened, the customer
/// list read and drawn on a new terminal.
fn start_app(db: &Path) -> Terminal<TestBackend> {
    let mut store = SqliteStore::open(db).unwrap();
    let state = app_on(&mut store, Screen::Customers);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|frame| screens::render(frame, &state, Theme::default()))
        .unwrap();
    terminal
}

/// The floor of start-up: a connection opened with the same pragmas, the
/// first 100 customers in name order read whole, and the same first frame
/// copied onto a new terminal.
fn start_floor(db: &Path, first_frame: &Buffer) {
    let conn = open_floor(db, true);
    let rows = conn
        .prepare("SELECT * FROM customers ORDER BY name, id LIMIT 100")
        .unwrap()
        .query_map([], read_whole_row)
        .unwrap()
        .map(Result::unwrap)
        .count();
    std::hint::black_box(rows);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw_copy(&mut terminal, first_frame);
}

fn app_keys(db: &Path, table: &mut Vec<Measured>) {
    let first_frame = start_app(db).backend().buffer().clone();
    let mut startups = Vec::new();
    let mut floors = Vec::new();
    for round in 0..MIN_P99_SAMPLES {
        let ((took, _), (floor_took, _)) =
            time_both(round, || start_app(db), || start_floor(db, &first_frame));
        startups.push(took);
        floors.push(floor_took);
    }
    let timing = Timing::sampled(&mut startups);
    table.push(Measured::p99_within(
        "start the app to its first frame with content".into(),
        timing,
        median(&mut floors),
        Duration::from_millis(50),
    ));

    // Its searches as you type look in copies, as the app's searcher does.
    let mut store = store_with_copies(db);
    let mut state = app_on(&mut store, Screen::Customers);
    let keys = at_least(&session_keys(), MIN_P99_SAMPLES);
    let (mut samples, mut floors) = run_keys(&mut state, &mut store, &keys);
    let timing = Timing::sampled(&mut samples);
    table.push(Measured::p99_within(
        format!(
            "one key press to its frame at 120x40 ({} presses)",
            samples.len()
        ),
        timing,
        median(&mut floors),
        Duration::from_millis(8),
    ));

    scan_bursts(db, &mut store, table);

    let target = "≤ 40 MB".to_string();
    table.push(match run_child("browse", db) {
        Ok((_, kb)) => Measured {
            operation: format!(
                "memory after browsing every screen: {:.1} MB RSS",
                kb as f64 / 1024.0
            ),
            timing: Timing::Untimed,
            floor: None,
            target,
            met: Some(kb <= 40 * 1024),
        },
        Err(why) => Measured {
            operation: "memory after browsing every screen".into(),
            timing: Timing::Failed(why),
            floor: None,
            target,
            met: None,
        },
    });
}

/// 100 scans at once, as a scanner sends them, to the cart drawn; each
/// sample on a new sale and a new terminal, made before the timing starts.
fn scan_bursts(db: &Path, store: &mut SqliteStore, table: &mut Vec<Measured>) {
    const SCANS: usize = 100;
    let skus = sample_words(
        db,
        "SELECT sku FROM products WHERE active = 1 AND id % 1000 = 3 LIMIT 20",
    );
    let mut burst = vec![KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)];
    for scan in 0..SCANS {
        burst.extend(
            skus[scan % skus.len()]
                .chars()
                .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
        burst.push(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    }
    let floor = open_floor(db, true);
    let mut lookup = floor
        .prepare("SELECT * FROM products WHERE sku = ?1")
        .unwrap();
    let mut samples = Vec::new();
    let mut floors = Vec::new();
    for _ in 0..MIN_P99_SAMPLES {
        let mut state = app_on(store, Screen::OrderEntry);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let mut plain = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let burst = burst.clone();
        // The floor copies the frame shopdesk drew, so it goes second.
        let took = time(|| {
            // As the event loop takes keys that arrived together.
            effects::dispatch_events(
                &mut state,
                store,
                burst,
                keys::action_for,
                &mut effects::InlineSearches::default(),
            );
            terminal
                .draw(|frame| screens::render(frame, &state, Theme::default()))
                .unwrap();
        })
        .0;
        assert_eq!(shopdesk::app::item_count(&state.order_entry), SCANS as i64);
        let finished = terminal.backend().buffer().clone();
        let floor_took = time(|| {
            for scan in 0..SCANS {
                lookup
                    .query_row([&skus[scan % skus.len()]], read_whole_row)
                    .unwrap();
            }
            draw_copy(&mut plain, &finished);
        })
        .0;
        samples.push(took);
        floors.push(floor_took);
    }
    let timing = Timing::sampled(&mut samples);
    table.push(Measured::p99_within(
        format!("{SCANS} scans in one burst to the cart drawn"),
        timing,
        median(&mut floors),
        Duration::from_millis(100),
    ));
}

fn print(table: &[Measured]) {
    let ms = |d: Duration| format!("{:.3} ms", d.as_secs_f64() * 1000.0);
    println!("| operation | median | p99 | floor (median) | ratio | target | met |");
    println!("|---|---|---|---|---|---|---|");
    for row in table {
        let mut ratio = match (row.timing.median(), row.floor) {
            (Some(median), Some(floor)) if !floor.is_zero() => {
                format!("{:.2}", median.as_secs_f64() / floor.as_secs_f64())
            }
            _ => "–".to_string(),
        };
        let mut floor = row.floor.map_or("–".to_string(), ms);
        let (median, p99) = match &row.timing {
            // A rate is better the higher it is: its ratio is ours over
            // the floor's, said as such.
            Timing::Rate {
                ours,
                floor: theirs,
                unit,
            } => {
                floor = format!("{theirs:.1} {unit}");
                if *theirs > 0.0 {
                    ratio = format!("{:.1} × (rate)", ours / theirs);
                }
                (format!("{ours:.1} {unit}"), "–".into())
            }
            Timing::Sampled {
                median,
                p99: Some(p99),
                ..
            } => (ms(*median), ms(*p99)),
            Timing::Sampled {
                median, samples, ..
            } => (ms(*median), format!("– ({samples} samples)")),
            Timing::Single(took) => (format!("{} (single run)", ms(*took)), "–".into()),
            Timing::Untimed | Timing::Skipped(_) | Timing::Failed(_) => ("–".into(), "–".into()),
        };
        let met = match (&row.timing, row.met) {
            (Timing::Failed(why), _) => format!("FAILED: {why}"),
            (Timing::Skipped(why), _) => format!("skipped: {why}"),
            (_, Some(true)) => "yes".into(),
            (_, Some(false)) => "NO".into(),
            (_, None) => "–".into(),
        };
        println!(
            "| {} | {median} | {p99} | {floor} | {ratio} | {} | {met} |",
            row.operation, row.target
        );
    }
}
