//! The MariaDB rows: shopdesk on a server database over loopback, each
//! figure beside a floor written with the `mysql` crate (no shopdesk code)
//! doing the same work on the same server and data, and 16 concurrent
//! sellers beside the origin's Flask stack on the same server
//! ([`super::origin`]).
//!
//! The benchmark database is `shopdesk_bench` on the machine's MariaDB
//! ([`DEFAULT_URL`]; `SHOPDESK_BENCH_MYSQL_URL` names another, the password
//! taken as shopdesk takes it), filled once by `shopdesk demo` at benchmark
//! size and reused, as the SQLite file is. Without a server to reach, the
//! rows say so and the rest of the table is measured.

use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Timelike, Utc};
use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder, Row, TxOpts, Value};
use shopdesk::demo;
use shopdesk::domain::order::Order;
use shopdesk::domain::product::Restock;
use shopdesk::sale_ids::new_sale_id;
use shopdesk::start::server_password;
use shopdesk::store::Shop;
use shopdesk::store::mysql::{MysqlStore, ServerUrl};

use super::origin::{Origin, WORKERS};
use super::sellers::{SELLERS, Shapes, Sold, sell_concurrently};
use super::{
    BENCH_SIZE, FloorOrder, LONG_HISTORY_CUSTOMER, MIN_P99_SAMPLES, Measured, PAGE, Searched,
    Shell, Timing, demo_row, history_rows, keystrokes, one_shot_row, order_row, phone_like_digits,
    place_order_rounds, run_counting_lines, search_rows, thousands,
};

/// The benchmark's server database unless `SHOPDESK_BENCH_MYSQL_URL` names
/// another: the machine's MariaDB, over loopback.
const DEFAULT_URL: &str = "mysql://root@127.0.0.1:3306/shopdesk_bench";
const URL_VARIABLE: &str = "SHOPDESK_BENCH_MYSQL_URL";
/// The targets on MariaDB.
const DEMO_LIMIT: Duration = Duration::from_secs(120);
const HISTORY_PAGE_LIMIT: Duration = Duration::from_millis(5);
const ORDER_LIMIT: f64 = 1.3;
const CONCURRENT_LIMIT: f64 = 20.0;
/// The MariaDB client: the floor of a search as a whole process.
const MARIADB_SHELL: &str = "/usr/bin/mariadb";
/// The products sold in the benchmark, each kept at this much stock at
/// least (restocked, through its ledger, by the first run that finds it
/// lower): enough for a great many runs.
const SOLD_PRODUCTS: usize = 10_000;
const STOCKED_AT_LEAST: i64 = 10_000;
const RESTOCK_UNITS: i64 = 100_000;
/// The concurrent sellers' turns: each side sells for [`TURN`], the two
/// sides taking turns [`TURNS`] times, which one goes first alternating,
/// so that both meet the disk's slow and fast moments alike.
const TURNS: usize = 3;
const TURN: Duration = Duration::from_secs(5);

/// The server the rows are measured on, and the benchmark's database.
pub(crate) struct Server {
    pub url: ServerUrl,
    pub password: Option<String>,
}

impl Server {
    /// A connection of a floor's own (no shopdesk code) to `database`, or
    /// to the server alone.
    pub fn connect(&self, database: Option<&str>) -> Result<Conn, String> {
        let opts = OptsBuilder::new()
            .ip_or_hostname(Some(self.url.host.clone()))
            .tcp_port(self.url.port)
            .user(Some(self.url.user.clone()))
            .pass(self.password.clone())
            .db_name(database.map(str::to_string))
            .prefer_socket(false)
            .tcp_connect_timeout(Some(Duration::from_secs(5)))
            // As shopdesk's sessions: every DATETIME in UTC.
            .init(vec!["SET SESSION time_zone = '+00:00'".to_string()]);
        Conn::new(opts).map_err(|error| format!("cannot connect to {}: {error}", self.url))
    }

    /// A connection to the benchmark's database.
    fn bench_conn(&self) -> Conn {
        self.connect(Some(&self.url.database)).unwrap()
    }

    /// A store on the benchmark's database, as a counter opens it.
    fn store(&self) -> MysqlStore {
        MysqlStore::open(&self.url, self.password.as_deref()).unwrap()
    }
}

/// Measures every MariaDB row into `table`.
pub(crate) fn measure(table: &mut Vec<Measured>) {
    let url = std::env::var(URL_VARIABLE).unwrap_or_else(|_| DEFAULT_URL.to_string());
    let server = Server {
        url: ServerUrl::parse(&url).unwrap_or_else(|error| panic!("{URL_VARIABLE}: {error}")),
        password: server_password(None).unwrap(),
    };
    let demo_time = match bench_database(&server) {
        Ok(demo_time) => demo_time,
        Err(why) => {
            table.push(Measured {
                operation:
                    "MariaDB rows (placing orders, 16 concurrent sellers, searches, history, demo)"
                        .into(),
                timing: Timing::Skipped(why),
                floor: None,
                target: "–".into(),
                met: None,
            });
            return;
        }
    };
    if let Some(took) = demo_time {
        table.push(demo_row(
            "MariaDB: shopdesk demo at benchmark size (2 cores, the server on the same machine)",
            took,
            DEMO_LIMIT,
        ));
    }
    let products = stocked_products(&server);
    place_orders(&server, &products, table);
    concurrent_sellers(&server, &products, table);
    searches(&server, table);
    one_shot_searches(&server, table);
    history_pages(&server, table);
}

/// Makes the benchmark's database if the server has none, and fills it
/// with `shopdesk demo` at benchmark size if it is empty, returning how
/// long that took; or why there is no server to measure on.
fn bench_database(server: &Server) -> Result<Option<Duration>, String> {
    let mut conn = server
        .connect(None)
        .map_err(|why| format!("no server: {why}"))?;
    // The name can only be quoted, not bound; the URL's rules allow no
    // backquote in it (letters, digits, _ - $).
    conn.query_drop(format!(
        "CREATE DATABASE IF NOT EXISTS `{}`",
        server.url.database
    ))
    .unwrap();
    let mut store = server.store();
    if !store.is_empty().unwrap() {
        return Ok(None);
    }
    eprintln!("building the MariaDB benchmark database {} …", server.url);
    let started = Instant::now();
    demo::fill(&mut store, BENCH_SIZE, Utc::now()).unwrap();
    let took = started.elapsed();
    eprintln!("built in {:.1} s", took.as_secs_f64());
    Ok(Some(took))
}

/// The ids and SKUs of the first [`SOLD_PRODUCTS`] products for sale,
/// each restocked (through the store, its ledger written as any restock's)
/// by the first run that finds it short of [`STOCKED_AT_LEAST`], by the
/// sellers' threads at once.
fn stocked_products(server: &Server) -> Vec<(i64, String)> {
    let products: Vec<(i64, String, i64)> = server
        .bench_conn()
        .exec(
            "SELECT id, sku, stock FROM products WHERE active = 1 ORDER BY id LIMIT ?",
            (SOLD_PRODUCTS,),
        )
        .unwrap();
    let short: Vec<i64> = (products.iter())
        .filter(|(_, _, stock)| *stock < STOCKED_AT_LEAST)
        .map(|(id, _, _)| *id)
        .collect();
    if !short.is_empty() {
        eprintln!("restocking {} products for the MariaDB rows …", short.len());
    }
    thread::scope(|scope| {
        for chunk in short.chunks(short.len().div_ceil(SELLERS).max(1)) {
            scope.spawn(move || {
                let mut store = server.store();
                for &id in chunk {
                    let add = Restock::add(RESTOCK_UNITS).unwrap();
                    store.restock(id, add, Utc::now()).unwrap();
                }
            });
        }
    });
    products.into_iter().map(|(id, sku, _)| (id, sku)).collect()
}

fn place_orders(server: &Server, products: &[(i64, String)], table: &mut Vec<Measured>) {
    let skus: Vec<String> = products
        .iter()
        .take(30)
        .map(|(_, sku)| sku.clone())
        .collect();
    let mut store = server.store();
    let mut floor = server.bench_conn();
    let (ours, theirs) = place_order_rounds(
        MIN_P99_SAMPLES,
        &skus,
        &mut |order| {
            store.place_order(order, Utc::now()).unwrap();
        },
        &mut |order| floor_place_order(&mut floor, order).unwrap(),
    );
    table.push(order_row(
        "MariaDB: place an order of 3 lines over loopback (durable commits); floor: the mysql crate".into(),
        ours,
        theirs,
        ORDER_LIMIT,
    ));
}

/// Placing the same order by hand with the `mysql` crate (its prepared
/// statements cached, as shopdesk's are): the same reads, checks and rows
/// in one transaction, each kind of row in one statement, products locked
/// in id order (as shopdesk's, so that concurrent sales queue rather than
/// deadlock). A refusal says why.
fn floor_place_order(conn: &mut Conn, order: &FloorOrder<'_>) -> mysql::Result<()> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    let placed: Option<i64> =
        tx.exec_first("SELECT id FROM orders WHERE sale_id = ?", (&order.sale_id,))?;
    assert!(placed.is_none());
    let found: Option<i64> =
        tx.exec_first("SELECT id FROM customers WHERE id = ?", (order.customer,))?;
    assert!(found.is_some());
    let skus: Vec<String> = (order.lines.iter())
        .map(|(sku, _)| sku.to_ascii_lowercase())
        .collect();
    let products: Vec<(i64, String, String, i64)> = tx.exec(
        format!(
            "SELECT id, sku, name, price_cents FROM products
             WHERE sku_nocase IN ({}) AND active = 1 ORDER BY id",
            placeholders(skus.len())
        ),
        skus,
    )?;
    assert_eq!(products.len(), order.lines.len());
    let quantity_of = |sku: &str| {
        let line = order
            .lines
            .iter()
            .find(|(each, _)| each.eq_ignore_ascii_case(sku));
        line.map_or(0, |(_, quantity)| *quantity)
    };
    let mut subtotal = 0;
    let mut items: Vec<Value> = Vec::new();
    let mut moves: Vec<Value> = Vec::new();
    for (id, sku, _, price) in &products {
        let quantity = quantity_of(sku);
        let changed = tx
            .exec_iter(
                "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?",
                (quantity, id, quantity),
            )?
            .affected_rows();
        assert_eq!(changed, 1);
        subtotal += price * quantity;
    }
    let now = datetime(Utc::now());
    tx.exec_drop(
        "INSERT INTO orders (customer_id, status, created_at, subtotal_cents, discount_cents,
                             total_cents, note, sale_id)
         VALUES (?, 'pending', ?, ?, 0, ?, '', ?)",
        (order.customer, &now, subtotal, subtotal, &order.sale_id),
    )?;
    let order_id = tx.last_insert_id().unwrap_or_default();
    let ids: Vec<i64> = products.iter().map(|product| product.0).collect();
    // Each product's ledger numbered on from its latest row, read as
    // committed (a locking read), as another sale may have added one
    // since this transaction's snapshot.
    let latest: Vec<(i64, i64)> = tx.exec(
        format!(
            "SELECT product_id, MAX(seq) FROM stock_moves WHERE product_id IN ({})
             GROUP BY product_id LOCK IN SHARE MODE",
            placeholders(ids.len())
        ),
        &ids,
    )?;
    for (line_no, (id, sku, name, price)) in (1_i64..).zip(&products) {
        let quantity = quantity_of(sku);
        items.extend([
            order_id.into(),
            (*id).into(),
            line_no.into(),
            sku.into(),
            name.into(),
            quantity.into(),
            (*price).into(),
            (price * quantity).into(),
        ]);
        let seq = latest
            .iter()
            .find(|(product, _)| product == id)
            .map_or(0, |l| l.1);
        moves.extend([
            (*id).into(),
            (seq + 1).into(),
            (-quantity).into(),
            "sale".into(),
            order_id.into(),
            now.clone(),
        ]);
    }
    tx.exec_drop(
        format!(
            "INSERT INTO order_items (order_id, product_id, line_no, sku, name, quantity,
                                      unit_price_cents, line_total_cents) VALUES {}",
            rows_of(products.len(), 8)
        ),
        items,
    )?;
    tx.exec_drop(
        format!(
            "INSERT INTO stock_moves (product_id, seq, delta, reason, order_id, at) VALUES {}",
            rows_of(products.len(), 6)
        ),
        moves,
    )?;
    tx.exec_drop(
        "INSERT INTO order_events (order_id, seq, from_status, to_status, at, note)
         VALUES (?, 1, NULL, 'pending', ?, 'order placed')",
        (order_id, &now),
    )?;
    tx.commit()
}

/// `count` placeholders, for a list of bound values.
fn placeholders(count: usize) -> String {
    vec!["?"; count].join(", ")
}

/// `rows` rows of `columns` placeholders, for a multi-row `VALUES`.
fn rows_of(rows: usize, columns: usize) -> String {
    vec![format!("({})", placeholders(columns)); rows].join(", ")
}

/// A time as a `DATETIME(6)` value, to the microsecond.
fn datetime(at: DateTime<Utc>) -> Value {
    Value::Date(
        at.year() as u16,
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
        at.timestamp_subsec_micros(),
    )
}

/// [`SELLERS`] sellers placing orders at once through shopdesk's store
/// interface (a thread and a `MysqlStore` each), beside the same with the
/// hand-written floor (a thread and a connection each) and the origin's
/// Flask stack on the same server driven by as many HTTP clients, in
/// turns: orders placed per second each, of the same shapes.
fn concurrent_sellers(server: &Server, products: &[(i64, String)], table: &mut Vec<Measured>) {
    let skus: Vec<&String> = products.iter().map(|(_, sku)| sku).collect();
    let customers: i64 = server
        .bench_conn()
        .query_first("SELECT MAX(id) FROM customers")
        .unwrap()
        .unwrap();
    // Each seller's next order, as shopdesk's floor is given it.
    let next_order = |shapes: &mut Shapes| {
        let (customer, lines) = shapes.order(1..=customers, &skus);
        FloorOrder {
            customer,
            lines: lines.to_vec(),
            sale_id: new_sale_id().unwrap().as_str().to_string(),
        }
    };
    let operation = format!(
        "MariaDB: {SELLERS} concurrent sellers, orders of 3 lines (3 of {} products, 1-3 each), \
         {TURNS} turns of {} s: shopdesk's store interface ({SELLERS} threads, a MysqlStore each; \
         its web API is the next issue) against the origin's Flask stack (gunicorn -w {WORKERS}, \
         {SELLERS} HTTP clients over loopback)",
        skus.len(),
        TURN.as_secs()
    );
    let target = format!("≥ {CONCURRENT_LIMIT} × origin");
    let origin = match Origin::start(server) {
        Ok(origin) => origin,
        Err(why) => {
            table.push(Measured {
                operation,
                timing: Timing::Skipped(format!("no origin stack to compare with: {why}")),
                floor: None,
                target,
                met: Some(false),
            });
            return;
        }
    };
    let shopdesk = || {
        sell_concurrently(TURN, &|| server.store(), &|store, shapes| {
            let order = next_order(shapes).new_order();
            store
                .place_order(&order, Utc::now())
                .map(drop)
                .map_err(|e| e.to_string())
        })
    };
    let floor = || {
        sell_concurrently(TURN, &|| server.bench_conn(), &|conn, shapes| {
            floor_place_order(conn, &next_order(shapes)).map_err(|e| e.to_string())
        })
    };
    let flask = || sell_concurrently(TURN, &|| (), &|(), shapes| origin.place(shapes));
    let sides: [&dyn Fn() -> Sold; 3] = [&shopdesk, &floor, &flask];
    let mut sold: [Sold; 3] = Default::default();
    // Each side goes first in a turn of its own.
    for turn in 0..TURNS {
        for side in (0..sides.len()).map(|side| (side + turn) % sides.len()) {
            sold[side].add(sides[side]());
        }
    }
    drop(origin);
    let [ours, floor, theirs] = sold;
    let timing = match (ours.failure(), floor.failure(), theirs.failure()) {
        (Some(why), _, _) => Timing::Failed(format!("shopdesk: {why}")),
        (_, Some(why), _) => Timing::Failed(format!("the floor: {why}")),
        (_, _, Some(why)) => Timing::Failed(format!("the origin: {why}")),
        (None, None, None) => Timing::Rate {
            ours: ours.per_second(),
            floor: theirs.per_second(),
            unit: "orders/s",
        },
    };
    table.push(Measured {
        operation: format!(
            "{operation}: {} and {} orders placed; the mysql crate's floor with {SELLERS} threads: \
             {:.1} orders/s",
            ours.placed,
            theirs.placed,
            floor.per_second()
        ),
        met: Some(ours.per_second() >= CONCURRENT_LIMIT * theirs.per_second()),
        timing,
        floor: None,
        target,
    });
}

/// Searching as you type on a MariaDB store, in its in-memory copies, beside
/// `LIKE` on the server.
fn searches(server: &Server, table: &mut Vec<Measured>) {
    let mut store = server.store();
    let copies = store.read_search_copies().unwrap();
    store.search_from_copies(copies);
    let mut conn = server.bench_conn();
    let searched = Searched {
        prefix: "MariaDB: ",
        products: count(&mut conn, "SELECT COUNT(*) FROM products"),
        customers: count(&mut conn, "SELECT COUNT(*) FROM customers"),
        product_words: product_words(&mut conn),
        // A name, an email or phone digits of every 500th customer: a
        // third each (the name of one who gave no email).
        customer_words: conn
            .query(
                "SELECT CASE id % 3 WHEN 0 THEN name WHEN 1 THEN COALESCE(email, name)
                        ELSE phone_digits END
                 FROM customers WHERE id % 500 = 23 AND phone_digits <> '' ORDER BY id LIMIT 200",
            )
            .unwrap(),
    };
    let mut floor = server.bench_conn();
    let mut product_floor =
        |text: &str| {
            let folded = text.to_ascii_lowercase();
            let like = format!("%{folded}%");
            floor_search(
            &mut floor,
            ("SELECT id FROM products WHERE sku_nocase = ?", vec![folded.into()]),
            (
                "SELECT id, sku, name, price_cents, stock, details, active, created_at, updated_at
                 FROM products WHERE sku_nocase LIKE ? OR name_nocase LIKE ?
                 ORDER BY name_nocase, id LIMIT 100",
                vec![like.clone().into(), like.into()],
            ),
        )
        };
    let mut floor = server.bench_conn();
    let mut customer_floor = |text: &str| {
        let folded = text.to_ascii_lowercase();
        let like = format!("%{folded}%");
        // Phone digits only for text that could be a phone number, as
        // shopdesk does (NULL matches nothing).
        let digits = phone_like_digits(text);
        let digits_like = digits.as_ref().map(|d| format!("%{d}%"));
        floor_search(
            &mut floor,
            (
                "SELECT id FROM customers WHERE email_nocase = ?
                 UNION ALL SELECT id FROM customers WHERE phone_digits = ?",
                vec![folded.into(), digits.into()],
            ),
            (
                "SELECT id, name, email, phone, phone_digits, created_at FROM customers
                 WHERE name_nocase LIKE ? OR email_nocase LIKE ? OR phone_digits LIKE ?
                 ORDER BY name_nocase, id LIMIT 100",
                vec![like.clone().into(), like.into(), digits_like.into()],
            ),
        )
    };
    search_rows(
        &store,
        &searched,
        &mut product_floor,
        &mut customer_floor,
        table,
    );
}

/// A search by hand (see `SearchFloor`): the exact matches, then the
/// page's rows read whole, up to [`PAGE`] ids in all.
fn floor_search(
    conn: &mut Conn,
    (exact, exact_values): (&str, Vec<Value>),
    (page, page_values): (&str, Vec<Value>),
) -> Vec<i64> {
    let mut ids: Vec<i64> = conn.exec(exact, exact_values).unwrap();
    let rows: Vec<Row> = conn.exec(page, page_values).unwrap();
    for row in rows {
        let id: i64 = row.get(0).unwrap();
        if ids.len() == PAGE {
            break;
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn count(conn: &mut Conn, sql: &str) -> String {
    thousands(conn.query_first(sql).unwrap().unwrap())
}

/// Words drawn from the catalog: one word of every 500th product.
fn product_words(conn: &mut Conn) -> Vec<String> {
    conn.query(
        "SELECT SUBSTRING_INDEX(name, ' ', 1) FROM products WHERE id % 500 = 17 ORDER BY id LIMIT 200",
    )
    .unwrap()
}

/// `shopdesk product list --search` as a whole process on the server
/// database, beside the MariaDB client answering the same `LIKE` (ASCII
/// case folded, as SQLite's) as a whole process, in turn.
fn one_shot_searches(server: &Server, table: &mut Vec<Measured>) {
    let mut conn = server.bench_conn();
    let products = count(&mut conn, "SELECT COUNT(*) FROM products");
    let texts = keystrokes(&product_words(&mut conn));
    let port = server.url.port.to_string();
    let url = server.url.to_string();
    let shell = |text: &str| {
        // The client's own quoting: a backslash escapes in its strings.
        let folded = text
            .to_ascii_lowercase()
            .replace('\\', "\\\\")
            .replace('\'', "''");
        let sql = format!(
            "SELECT id, sku, name, price_cents, stock, details, active, created_at, updated_at
             FROM products WHERE sku_nocase LIKE '%{folded}%' OR name_nocase LIKE '%{folded}%'
             ORDER BY name_nocase, id LIMIT 50"
        );
        let args = [
            "--host",
            &server.url.host,
            "--port",
            &port,
            "--user",
            &server.url.user,
            "--batch",
            "--skip-column-names",
            "--execute",
            &sql,
            &server.url.database,
        ];
        run_counting_lines(MARIADB_SHELL, &args)
    };
    let floor = match std::path::Path::new(MARIADB_SHELL).exists() {
        true => Ok(Shell {
            name: "the mariadb client",
            run: &shell,
        }),
        false => Err(format!("no MariaDB client at {MARIADB_SHELL}")),
    };
    table.push(one_shot_row(
        format!(
            "MariaDB: one-shot product search as a whole process (shopdesk --db mysql://… product list --search), {products} products, first 50"
        ),
        &url,
        &texts,
        floor,
    ));
}

fn history_pages(server: &Server, table: &mut Vec<Measured>) {
    let store = server.store();
    let mut floor = server.bench_conn();
    history_rows(
        &store,
        "MariaDB: ",
        HISTORY_PAGE_LIMIT,
        &mut |after| floor_history_page(&mut floor, after),
        table,
    );
}

/// One page of the long history by hand: the same orders and lines, every
/// column read, the lines of the page's orders in one statement.
fn floor_history_page(conn: &mut Conn, after: Option<&Order>) -> usize {
    let (at, id) = match after {
        Some(order) => (datetime(order.created_at), order.id),
        None => (Value::Date(9999, 12, 31, 23, 59, 59, 999_999), i64::MAX),
    };
    let orders: Vec<Row> = conn
        .exec(
            "SELECT o.id, o.customer_id, c.name, o.status, o.created_at, o.subtotal_cents,
                    o.discount_cents, o.total_cents, o.note, o.payment_method, o.tendered_cents,
                    o.sale_id
             FROM orders o JOIN customers c ON c.id = o.customer_id
             WHERE o.customer_id = ? AND (o.created_at < ? OR (o.created_at = ? AND o.id < ?))
             ORDER BY o.created_at DESC, o.id DESC LIMIT 50",
            (LONG_HISTORY_CUSTOMER, at.clone(), at, id),
        )
        .unwrap();
    let ids: Vec<i64> = orders.iter().map(|row| row.get(0).unwrap()).collect();
    if !ids.is_empty() {
        let lines: Vec<Row> = conn
            .exec(
                format!(
                    "SELECT order_id, product_id, sku, name, quantity, unit_price_cents,
                            line_total_cents
                     FROM order_items WHERE order_id IN ({}) ORDER BY order_id, line_no",
                    placeholders(ids.len())
                ),
                &ids,
            )
            .unwrap();
        std::hint::black_box(lines);
    }
    std::hint::black_box(orders);
    ids.len()
}
