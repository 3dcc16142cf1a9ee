//! `cargo bench`: shopdesk's speed on a big shop, each figure next to a
//! floor measured in the same run on the same database.
//!
//! The first run builds the benchmark database (100,000 customers, 100,000
//! products, 1,000,000 orders) under `target/shopdesk-bench/`; later runs
//! reuse it. `SHOPDESK_BENCH_DB=path` picks another file. The floor is the
//! least work that could do the job: hand-written rusqlite with prepared
//! statements and the same pragmas, using no shopdesk code.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use shopdesk::app::{Action, AppState, Command as AppCommand, Screen, keys};
use shopdesk::demo::{self, DemoSize};
use shopdesk::domain::order::{ItemSpec, Quantity};
use shopdesk::domain::product::ProductRef;
use shopdesk::domain::product::Restock;
use shopdesk::store::{NewOrder, OrderFilter, Store};
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

/// One line of the table.
struct Measured {
    operation: String,
    median: Duration,
    p99: Duration,
    floor: Option<Duration>,
    target: String,
    met: Option<bool>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(position) = args.iter().position(|a| a == "--child") {
        child(&args[position + 1], Path::new(&args[position + 2]));
        return;
    }
    let (db, demo_time) = bench_db();
    let mut table = Vec::new();
    if let Some(seconds) = demo_time {
        table.push(Measured {
            operation: "shopdesk demo at benchmark size (2 cores)".into(),
            median: seconds,
            p99: seconds,
            floor: None,
            target: "≤ 30 s".into(),
            met: Some(seconds <= Duration::from_secs(30)),
        });
    }
    place_orders(&db, true, &mut table);
    place_orders(&db, false, &mut table);
    searches(&db, &mut table);
    sku_lookups(&db, &mut table);
    history_pages(&db, &mut table);
    streaming_memory(&db, &mut table);
    app_keys(&db, &mut table);
    print(&table);
}

/// The benchmark database: built once (and timed), reused afterwards.
fn bench_db() -> (PathBuf, Option<Duration>) {
    let path = std::env::var_os("SHOPDESK_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shopdesk-bench/bench.db")
        });
    if path.exists() {
        return (path, None);
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    eprintln!("building the benchmark database at {} …", path.display());
    let started = Instant::now();
    let mut store = Store::open(&path).unwrap();
    demo::fill(&mut store, BENCH_SIZE, Utc::now()).unwrap();
    let took = started.elapsed();
    eprintln!("built in {:.1} s", took.as_secs_f64());
    (path, Some(took))
}

fn stats(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn time<T>(work: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let result = work();
    (started.elapsed(), result)
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
    let mut store = Store::open(db).unwrap();
    for sku in &skus {
        let id = store.product(sku).unwrap().id;
        store
            .restock(id, Restock::add(100_000).unwrap(), Utc::now())
            .unwrap();
    }
    skus
}

fn place_orders(db: &Path, durable: bool, table: &mut Vec<Measured>) {
    let rounds = if durable { 200 } else { 2_000 };
    let skus = well_stocked_skus(db, 30);
    let mut store = Store::open(db).unwrap();
    if !durable {
        store.without_durability_for_benchmarks().unwrap();
    }
    let mut floor = open_floor(db, durable);
    let mut ours = Vec::with_capacity(rounds);
    let mut theirs = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let lines: Vec<&String> = (0..3)
            .map(|i| &skus[(round * 3 + i) % skus.len()])
            .collect();
        let order = NewOrder {
            customer_id: 2 + (round as i64 % 1000),
            items: lines
                .iter()
                .map(|sku| ItemSpec {
                    product: ProductRef::Sku(sku.to_string()),
                    quantity: Quantity::new(1 + (round as i64 % 3)).unwrap(),
                })
                .collect(),
            note: String::new(),
        };
        ours.push(time(|| store.place_order(&order, Utc::now()).unwrap()).0);
        theirs.push(
            time(|| {
                floor_place_order(
                    &mut floor,
                    order.customer_id,
                    &lines,
                    1 + (round as i64 % 3),
                )
            })
            .0,
        );
    }
    let (median, p99) = stats(&mut ours);
    let (floor_median, _) = stats(&mut theirs);
    let limit = if durable { 1.3 } else { 2.0 };
    table.push(Measured {
        operation: format!(
            "place an order of 3 lines ({})",
            if durable {
                "synchronous=FULL"
            } else {
                "synchronous=OFF"
            }
        ),
        median,
        p99,
        floor: Some(floor_median),
        target: format!("≤ {limit} × floor"),
        met: Some(median.as_secs_f64() <= limit * floor_median.as_secs_f64()),
    });
}

/// Placing the same order by hand: the same reads, checks and rows.
fn floor_place_order(conn: &mut Connection, customer: i64, skus: &[&String], quantity: i64) {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    let found: Option<i64> = tx
        .prepare_cached("SELECT id FROM customers WHERE id = ?1")
        .unwrap()
        .query_row([customer], |row| row.get(0))
        .optional()
        .unwrap();
    assert!(found.is_some());
    let mut lines = Vec::new();
    for sku in skus {
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
        lines.push((id, sku.to_string(), name, price));
    }
    let subtotal: i64 = lines.iter().map(|l| l.3 * quantity).sum();
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    tx.prepare_cached(
        "INSERT INTO orders (customer_id, status, created_at, subtotal_cents, discount_cents, total_cents, note)
         VALUES (?1, 'pending', ?2, ?3, 0, ?3, '')",
    )
    .unwrap()
    .execute(params![customer, now, subtotal])
    .unwrap();
    let order = tx.last_insert_rowid();
    for (line_no, (id, sku, name, price)) in lines.iter().enumerate() {
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

fn sample_words(db: &Path, sql: &str) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let mut statement = conn.prepare(sql).unwrap();
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn searches(db: &Path, table: &mut Vec<Measured>) {
    let store = Store::open(db).unwrap();
    let floor = open_floor(db, true);
    // 20 words drawn from the catalog: one word of every 5,000th product.
    let product_words = sample_words(
        db,
        "SELECT substr(name, 1, instr(name || ' ', ' ') - 1) FROM products WHERE id % 5000 = 17 LIMIT 20",
    );
    let customer_words = sample_words(
        db,
        "SELECT CASE id % 3 WHEN 0 THEN name WHEN 1 THEN email ELSE phone_digits END
         FROM customers WHERE id % 5000 = 23 AND phone_digits <> '' LIMIT 20",
    );
    let mut measure = |label: &str, words: &[String], ours: &dyn Fn(&str), floor_sql: &str| {
        let mut samples = Vec::new();
        let mut floors = Vec::new();
        let mut statement = floor.prepare(floor_sql).unwrap();
        for text in keystrokes(words) {
            samples.push(time(|| ours(&text)).0);
            let pattern = format!("%{text}%");
            floors.push(time(|| statement.query_map([&pattern], |_| Ok(())).unwrap().count()).0);
        }
        let (median, p99) = stats(&mut samples);
        let (floor_median, _) = stats(&mut floors);
        table.push(Measured {
            operation: format!("{label}, per keystroke ({} keystrokes)", samples.len()),
            median,
            p99,
            floor: Some(floor_median),
            target: "p99 ≤ 5 ms".into(),
            met: Some(p99 <= Duration::from_millis(5)),
        });
    };
    measure(
        "product search, 100,000 products, first 50",
        &product_words,
        &|text| {
            store.search_products(text, PAGE).unwrap();
        },
        "SELECT id FROM products WHERE name LIKE ?1 LIMIT 50",
    );
    measure(
        "customer search (name, email, phone digits), 100,000 customers",
        &customer_words,
        &|text| {
            store.search_customers(text, PAGE).unwrap();
        },
        "SELECT id FROM customers WHERE name LIKE ?1 LIMIT 50",
    );
}

fn sku_lookups(db: &Path, table: &mut Vec<Measured>) {
    let store = Store::open(db).unwrap();
    let floor = open_floor(db, true);
    let skus = sample_words(db, "SELECT sku FROM products WHERE id % 97 = 0");
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut statement = floor
        .prepare("SELECT id, sku, name, price_cents, stock FROM products WHERE sku = ?1")
        .unwrap();
    for sku in &skus {
        ours.push(time(|| store.product_by_sku(sku).unwrap()).0);
        theirs.push(
            time(|| {
                statement
                    .query_row([sku], |row| row.get::<_, i64>(0))
                    .unwrap()
            })
            .0,
        );
    }
    let (median, p99) = stats(&mut ours);
    let (floor_median, _) = stats(&mut theirs);
    table.push(Measured {
        operation: format!("SKU lookup on scan ({} codes)", skus.len()),
        median,
        p99,
        floor: Some(floor_median),
        target: "p99 ≤ 0.2 ms".into(),
        met: Some(p99 <= Duration::from_micros(200)),
    });
}

fn history_pages(db: &Path, table: &mut Vec<Measured>) {
    let store = Store::open(db).unwrap();
    let filter = OrderFilter {
        customer_id: Some(LONG_HISTORY_CUSTOMER),
        status: None,
    };
    // Walk every page once to know where page 1,000 starts.
    let mut starts = vec![None];
    let mut page = store.orders_page(filter, None, PAGE).unwrap();
    while page.len() == PAGE {
        let last = page.last().cloned();
        page = store.orders_page(filter, last.as_ref(), PAGE).unwrap();
        starts.push(last);
    }
    let pages = starts.len();
    let floor = open_floor(db, true);
    let cursor = |order: Option<&shopdesk::domain::order::Order>| match order {
        Some(order) => (
            order
                .created_at
                .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                .to_string(),
            order.id,
        ),
        None => ("9999".to_string(), i64::MAX),
    };
    let mut floors = Vec::new();
    let mut first = Vec::new();
    let mut deep = Vec::new();
    let mut any = Vec::new();
    for round in 0..100 {
        let some = starts[(round * 37) % pages].as_ref();
        let (at, id) = cursor(some);
        floors.push(time(|| floor_history_page(&floor, LONG_HISTORY_CUSTOMER, &at, id)).0);
        first.push(time(|| store.orders_page(filter, None, PAGE).unwrap()).0);
        let last_start = starts.last().unwrap().as_ref();
        deep.push(time(|| store.orders_page(filter, last_start, PAGE).unwrap()).0);
        any.push(time(|| store.orders_page(filter, some, PAGE).unwrap()).0);
    }
    let (floor_median, _) = stats(&mut floors);
    let (first_median, first_p99) = stats(&mut first);
    let (deep_median, deep_p99) = stats(&mut deep);
    let (any_median, any_p99) = stats(&mut any);
    table.push(Measured {
        operation: format!("history, first page of 50 ({pages} pages)"),
        median: first_median,
        p99: first_p99,
        floor: Some(floor_median),
        target: "≤ 3 ms".into(),
        met: Some(first_p99 <= Duration::from_millis(3)),
    });
    table.push(Measured {
        operation: format!("history, any later page (of {pages})"),
        median: any_median,
        p99: any_p99,
        floor: Some(floor_median),
        target: "≤ 3 ms".into(),
        met: Some(any_p99 <= Duration::from_millis(3)),
    });
    table.push(Measured {
        operation: format!("history, page {pages} against page 1"),
        median: deep_median,
        p99: deep_p99,
        floor: Some(first_median),
        target: "≤ 1.5 × page 1".into(),
        met: Some(deep_median.as_secs_f64() <= 1.5 * first_median.as_secs_f64()),
    });
}

/// One page of a customer's history by hand: the same orders and lines.
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
    let ids: Vec<(i64, String)> = orders
        .query_map(params![customer, at, id], |row| {
            Ok((row.get(0)?, row.get(2)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    ids.iter()
        .map(|(order, _)| {
            items
                .query_map([order], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                })
                .unwrap()
                .count()
        })
        .sum()
}

/// The floor of drawing: the same text put into a 120×40 buffer, no logic.
fn draw_text(terminal: &mut Terminal<TestBackend>, lines: &[String]) -> Duration {
    let text: Vec<ratatui::text::Line> = lines
        .iter()
        .map(|line| ratatui::text::Line::raw(line.as_str()))
        .collect();
    time(|| {
        terminal
            .draw(|frame| {
                frame.render_widget(ratatui::widgets::Paragraph::new(text.clone()), frame.area())
            })
            .unwrap();
    })
    .0
}

/// The text of a drawn frame, row by row.
fn frame_text(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// Peak memory of streaming the whole long history, against reading one
/// page, each in a process of its own.
fn streaming_memory(db: &Path, table: &mut Vec<Measured>) {
    let peak = |mode: &str| -> (Duration, u64) {
        let started = Instant::now();
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--child", mode])
            .arg(db)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        (started.elapsed(), text.trim().parse().unwrap_or(0))
    };
    let (page_time, page_kb) = peak("page");
    let (stream_time, stream_kb) = peak("stream");
    let extra_kb = stream_kb.saturating_sub(page_kb);
    table.push(Measured {
        operation: format!(
            "stream a 50,000-order history: peak RSS {:.1} MB vs one page {:.1} MB (+{:.1} MB)",
            stream_kb as f64 / 1024.0,
            page_kb as f64 / 1024.0,
            extra_kb as f64 / 1024.0
        ),
        median: stream_time,
        p99: stream_time,
        floor: Some(page_time),
        target: "≤ 5 MB above one page".into(),
        met: Some(extra_kb <= 5 * 1024),
    });
}

/// Runs in a process of its own; prints its peak RSS in KiB.
fn child(mode: &str, db: &Path) {
    let store = Store::open(db).unwrap();
    let filter = OrderFilter {
        customer_id: Some(LONG_HISTORY_CUSTOMER),
        status: None,
    };
    let mut count = 0usize;
    match mode {
        "stream" => {
            for order in store.orders(filter) {
                count += order.unwrap().items.len();
            }
        }
        "browse" => {
            let mut state = AppState::new(120, 40);
            let mut store = store;
            let _ = run_keys(&mut state, &mut store, &session_keys());
            count = state.customers.list.rows.len();
        }
        _ => count = store.orders_page(filter, None, PAGE).unwrap().len(),
    }
    std::hint::black_box(count);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = if mode == "browse" { "VmRSS:" } else { "VmHWM:" };
    let kb = status
        .lines()
        .find(|line| line.starts_with(field))
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or("0");
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
/// time from press to drawn frame.
fn run_keys(
    state: &mut AppState,
    store: &mut Store,
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
                    .draw(|frame| screens::render(frame, state))
                    .unwrap();
            })
            .0;
            (ours, draw_text(&mut plain, &frame_text(&terminal)))
        })
        .unzip()
}

fn app_keys(db: &Path, table: &mut Vec<Measured>) {
    // Start-up: open the database, read the first screen's list, draw it.
    let mut startups = Vec::new();
    for _ in 0..10 {
        startups.push(
            time(|| {
                let mut store = Store::open(db).unwrap();
                let mut state = AppState::new(120, 40);
                effects::dispatch(
                    &mut state,
                    &mut store,
                    Action::Command(AppCommand::Open(Screen::Customers)),
                );
                let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
                terminal
                    .draw(|frame| screens::render(frame, &state))
                    .unwrap();
            })
            .0,
        );
    }
    let mut plain = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut floors = Vec::new();
    for _ in 0..10 {
        floors.push(
            time(|| {
                let conn = open_floor(db, true);
                let names: Vec<String> = conn
                    .prepare(
                        "SELECT id, name, email, phone FROM customers ORDER BY name, id LIMIT 100",
                    )
                    .unwrap()
                    .query_map([], |row| {
                        Ok(format!(
                            "{} {} {:?}",
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, Option<String>>(2)?
                        ))
                    })
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                draw_text(&mut plain, &names);
            })
            .0,
        );
    }
    let (median, p99) = stats(&mut startups);
    let (floor_median, _) = stats(&mut floors);
    table.push(Measured {
        operation: "start the app to its first frame with content".into(),
        median,
        p99,
        floor: Some(floor_median),
        target: "≤ 50 ms".into(),
        met: Some(p99 <= Duration::from_millis(50)),
    });

    let mut store = Store::open(db).unwrap();
    let mut state = AppState::new(120, 40);
    effects::dispatch(
        &mut state,
        &mut store,
        Action::Command(AppCommand::Open(Screen::Customers)),
    );
    let keys = session_keys();
    let mut samples = Vec::new();
    let mut floors = Vec::new();
    for _ in 0..5 {
        let (ours, plain) = run_keys(&mut state, &mut store, &keys);
        samples.extend(ours);
        floors.extend(plain);
    }
    let (median, p99) = stats(&mut samples);
    let (floor_median, _) = stats(&mut floors);
    table.push(Measured {
        operation: format!(
            "one key press to its frame at 120x40 ({} presses)",
            samples.len()
        ),
        median,
        p99,
        floor: Some(floor_median),
        target: "p99 ≤ 8 ms".into(),
        met: Some(p99 <= Duration::from_millis(8)),
    });

    // 100 scans at once, as a scanner sends them, to the cart drawn.
    let mut state = AppState::new(120, 40);
    effects::dispatch(
        &mut state,
        &mut store,
        Action::Command(AppCommand::Open(Screen::OrderEntry)),
    );
    let skus = sample_words(
        db,
        "SELECT sku FROM products WHERE active = 1 AND id % 1000 = 3 LIMIT 20",
    );
    let mut burst = vec![KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)];
    for scan in 0..100 {
        burst.extend(
            skus[scan % skus.len()]
                .chars()
                .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
        burst.push(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let (took, _) = time(|| {
        // As the event loop takes keys that arrived together.
        effects::dispatch_events(
            &mut state,
            &mut store,
            burst,
            keys::action_for,
            &mut effects::InlineSearches::default(),
        );
        terminal
            .draw(|frame| screens::render(frame, &state))
            .unwrap();
    });
    assert_eq!(shopdesk::app::item_count(&state.order_entry), 100);
    let lookups = open_floor(db, true);
    let floor = time(|| {
        let mut lookup = lookups
            .prepare("SELECT id, name, price_cents FROM products WHERE sku = ?1")
            .unwrap();
        for scan in 0..100 {
            lookup
                .query_row([&skus[scan % skus.len()]], |row| row.get::<_, i64>(0))
                .unwrap();
        }
        let mut plain = Terminal::new(TestBackend::new(120, 40)).unwrap();
        draw_text(&mut plain, &frame_text(&terminal));
    })
    .0;
    table.push(Measured {
        operation: "100 scans in one burst to the cart drawn".into(),
        median: took,
        p99: took,
        floor: Some(floor),
        target: "≤ 100 ms".into(),
        met: Some(took <= Duration::from_millis(100)),
    });

    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--child", "browse"])
        .arg(db)
        .output()
        .unwrap();
    let kb: u64 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    table.push(Measured {
        operation: format!(
            "memory after browsing every screen: {:.1} MB RSS",
            kb as f64 / 1024.0
        ),
        median: Duration::ZERO,
        p99: Duration::ZERO,
        floor: None,
        target: "≤ 40 MB".into(),
        met: Some(kb <= 40 * 1024),
    });
}

fn print(table: &[Measured]) {
    let ms = |d: Duration| format!("{:.3} ms", d.as_secs_f64() * 1000.0);
    println!("| operation | median | p99 | floor (median) | ratio | target | met |");
    println!("|---|---|---|---|---|---|---|");
    for row in table {
        let (floor, ratio) = match row.floor {
            Some(floor) if !floor.is_zero() => (
                ms(floor),
                format!("{:.2}", row.median.as_secs_f64() / floor.as_secs_f64()),
            ),
            _ => ("–".to_string(), "–".to_string()),
        };
        let (median, p99) = if row.median.is_zero() {
            ("–".into(), "–".into())
        } else {
            (ms(row.median), ms(row.p99))
        };
        let met = match row.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "–",
        };
        println!(
            "| {} | {median} | {p99} | {floor} | {ratio} | {} | {met} |",
            row.operation, row.target
        );
    }
}
