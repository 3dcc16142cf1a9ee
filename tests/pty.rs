//! The real binary in a pseudo-terminal, driven as a person would: keys
//! written to the terminal, the screen read back through a terminal
//! emulator, and the database checked afterwards. Every wait polls for
//! text with a generous timeout; nothing sleeps a fixed time. On SQLite:
//! what the app does with a shop is tested on every backend through the
//! same key table and effect runner without a terminal (tests/app_flow.rs
//! and the others taking a `TestShop`); here, what the terminal shows.

mod common;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use common::pty::{App, CTRL_N, CTRL_Q, F3, F4, F5, F10, TIMEOUT};
use portable_pty::CommandBuilder;
use shopdesk::domain::order::Status;
use shopdesk::store::Shop as _;
use shopdesk::store::sqlite::SqliteStore;

#[test]
fn a_first_day_at_the_shop_through_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let mut app = App::start(&db, 24, 80);
    app.wait_for("Walk-in");

    app.type_and_wait(CTRL_N, "New customer");
    app.type_and_wait(
        "Ann Lee\tann@example.com\t555-0102\r",
        "Customer 1 saved: Ann Lee",
    );

    app.type_and_wait(F3, "No products yet");
    app.type_and_wait(CTRL_N, "New product");
    app.type_and_wait("MUG-1\tBlue mug\t12.50\t20\r", "Product 1 saved");
    app.type_and_wait(CTRL_N, "New product");
    app.type_and_wait("PEN-1\tRed pen\t1.99\t50\r", "Product 2 saved");
    // Letters typed on Products search (after Ctrl-U empties it: the
    // field's own key); none of them is a command.
    app.type_and_wait("\x15erasers\r", "No product matches “erasers”");

    app.type_and_wait(F4, "Enter alone: Walk-in");
    app.type_and_wait("ann", "555-0102");
    app.type_and_wait("\r", "Customer 1: ann@example.com");
    app.type_and_wait("2*mug-1\r", "Blue mug (MUG-1)");
    app.type_and_wait("9*pen-1\r", "10% off: more than 10 items");
    app.wait_for("11 items");
    app.type_and_wait(F10, "Checkout");
    app.wait_for("$38.62");
    // Paid later: the order waits to be shipped.
    app.type_and_wait("l", "Not paid now");
    app.type_and_wait("\r", "Order 1 placed for Ann Lee");

    app.type_and_wait(F5, "Orders of the whole shop");
    app.wait_for("pending");
    app.type_and_wait("\r", "Next: s shipped  c canceled");
    app.type_and_wait("s", "Mark order 1 shipped?");
    app.type_and_wait("\r", "Order 1 is now shipped.");
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());

    let store = SqliteStore::open(&db).unwrap();
    let order = store.order(1).unwrap();
    assert_eq!(order.status, Status::Shipped);
    assert_eq!(order.totals.total.get(), 3862);
    assert_eq!(store.product("MUG-1").unwrap().stock, 18);
    assert_eq!(store.product("PEN-1").unwrap().stock, 41);
    assert_eq!(
        store.customer(1).unwrap().phone.as_deref(),
        Some("555-0102")
    );
}

#[test]
fn a_barcode_scanner_burst_is_taken_whole_and_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let codes = [
        "4006381333931",
        "5012345678900",
        "4006381333948",
        "7622210449283",
        "9780201379624",
    ];
    {
        let mut store = SqliteStore::open(&db).unwrap();
        for (index, code) in codes.iter().enumerate() {
            let product = shopdesk::domain::product::NewProduct {
                sku: shopdesk::domain::product::Sku::parse(code).unwrap(),
                name: shopdesk::domain::text::Name::parse("name", &format!("Item {index}"))
                    .unwrap(),
                price: shopdesk::domain::Cents::new(100 * (index as i64 + 1)),
                stock: shopdesk::domain::product::Stock::new(100).unwrap(),
                details: String::new(),
            };
            store.add_product(&product, chrono::Utc::now()).unwrap();
        }
    }
    let mut app = App::start(&db, 24, 80);
    app.wait_for("Walk-in");
    app.type_and_wait(F4, "Enter alone: Walk-in");
    app.type_and_wait("\r", "Customer: Walk-in");
    // 100 scans, each code and Enter, written at once with no pause.
    let scans: Vec<&str> = (0..100)
        .map(|i| codes[(i * 7 + i / 3) % codes.len()])
        .collect();
    let burst: String = scans.iter().map(|code| format!("{code}\r")).collect();
    app.send(&burst);
    app.wait_for("100 items");
    app.type_and_wait("\r", "Checkout");
    app.type_and_wait("\r", "Sale 1 done");
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());

    let store = SqliteStore::open(&db).unwrap();
    let order = store.order(1).unwrap();
    assert_eq!(order.status, Status::Delivered);
    for code in codes {
        let scanned = scans.iter().filter(|s| **s == code).count() as i64;
        let sold = order
            .items
            .iter()
            .find(|item| item.sku == code)
            .map_or(0, |item| item.quantity);
        assert_eq!(sold, scanned, "{code}");
    }
    assert_eq!(order.item_count(), 100);
}

#[test]
fn a_small_terminal_gets_one_line_and_a_resize_redraws_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::start(&dir.path().join("shop.db"), 20, 60);
    app.wait_for("Please enlarge the terminal to at least 80×24 (now 60×20)");
    app.resize(24, 80);
    app.wait_for("Walk-in");
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());
}

/// A shop with a mug.
fn sale_in_progress_shop(db: &Path) -> SqliteStore {
    let mut store = SqliteStore::open(db).unwrap();
    store
        .add_product(
            &shopdesk::domain::product::NewProduct {
                sku: shopdesk::domain::product::Sku::parse("MUG-1").unwrap(),
                name: shopdesk::domain::text::Name::parse("name", "Blue mug").unwrap(),
                price: shopdesk::domain::Cents::new(1250),
                stock: shopdesk::domain::product::Stock::new(20).unwrap(),
                details: String::new(),
            },
            chrono::Utc::now(),
        )
        .unwrap();
    store
}

/// The shop with a mug, and the app at the counter with 3 mugs in the cart.
fn sale_in_progress(db: &Path, env: &[(&str, &str)]) -> App {
    drop(sale_in_progress_shop(db));
    let mut app = App::start_with(db, 24, 80, env);
    app.wait_for("Walk-in");
    app.type_and_wait(F4, "Enter alone: Walk-in");
    app.type_and_wait("\r", "Scan");
    app.type_and_wait("3*MUG-1\r", "3 items");
    app
}

#[test]
fn a_customer_new_to_the_shop_is_registered_at_the_counter_and_buys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    drop(sale_in_progress_shop(&db));
    let mut app = App::start(&db, 24, 80);
    app.wait_for("Walk-in");
    app.type_and_wait(F4, "Enter alone: Walk-in");
    app.type_and_wait("Zed Zimmer\r", "Ctrl-N registers them");
    app.type_and_wait(CTRL_N, "Register a customer");
    app.type_and_wait("555 0199\r", "registered: Zed Zimmer");
    app.wait_for("Customer 1: 555 0199");
    app.type_and_wait("2*MUG-1\r", "2 items");
    app.type_and_wait("\r", "Checkout");
    app.type_and_wait("\r", "Sale 1 done");
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());

    let store = SqliteStore::open(&db).unwrap();
    let zed = store.customer(store.order(1).unwrap().customer_id).unwrap();
    assert_eq!(
        (zed.name.as_str(), zed.email, zed.phone.as_deref()),
        ("Zed Zimmer", None, Some("555 0199"))
    );
}

/// The parked sales' lines: (product id, quantity).
fn parked_lines(db: &Path) -> Vec<(i64, i64)> {
    SqliteStore::open(db)
        .unwrap()
        .parked_sales()
        .unwrap()
        .iter()
        .flat_map(|sale| sale.lines.iter().map(|(p, q)| (p.id, q.get())))
        .collect()
}

#[test]
fn a_close_signal_parks_the_sale_and_restores_the_terminal() {
    for signal in ["TERM", "HUP", "INT"] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("shop.db");
        let mut app = sale_in_progress(&db, &[]);
        assert!(app.in_alternate_screen());
        app.signal(signal);
        app.wait_for("Sale parked as number 1");
        app.wait_for_exit();
        assert!(!app.in_alternate_screen(), "SIG{signal}: terminal restored");
        assert_eq!(parked_lines(&db), [(1, 3)], "SIG{signal}");
        assert_eq!(
            SqliteStore::open(&db)
                .unwrap()
                .product("MUG-1")
                .unwrap()
                .stock,
            20
        );
    }
}

#[test]
fn a_bug_parks_the_sale_restores_the_terminal_and_says_where_its_report_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let mut app = sale_in_progress(&db, &[("SHOPDESK_TEST_PANIC_KEY", "~")]);
    app.send("~");
    app.wait_for("Sale parked as number 1");
    let status = app.wait_for_exit();
    assert!(!status.success());
    assert!(!app.in_alternate_screen());
    let log = dir.path().join("shopdesk-panic.log");
    // The message wraps at 80 columns: look for the file's name alone.
    app.wait_for("internal error");
    app.wait_for("shopdesk-panic.log");
    let report = std::fs::read_to_string(&log).unwrap();
    assert!(report.contains("the test switch was pressed"), "{report}");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&log).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "the panic report is the owner's alone");
    assert_eq!(parked_lines(&db), [(1, 3)]);
}

#[test]
fn hostile_names_reach_the_terminal_as_visible_text_in_aligned_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let mut store = SqliteStore::open(&db).unwrap();
    let hostile = [
        // Sets the window title and clears the screen.
        "Eve \u{1b}]0;pwned\u{7}\u{1b}[2J",
        // Reverses what follows. (Shown as U+FFFD, which real terminals
        // draw one column wide but vt100 drops: no alignment check here.)
        "Mallory \u{202e}evil",
        "李小龙 王小明 张伟 刘洋",
        &"Long".repeat(25),
    ];
    for (n, name) in hostile.iter().enumerate() {
        store
            .add_customer(
                &common::new_customer(name, &format!("c{n}@example.com"), ""),
                shopdesk::domain::customer::SharedPhone::Refuse,
                chrono::Utc::now(),
            )
            .unwrap();
    }
    drop(store);
    let mut app = App::start(&db, 24, 80);
    app.wait_for("c3@example.com");
    {
        let screen = app.screen.0.lock().unwrap();
        let raw = &screen.raw;
        let contains = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
        assert!(
            !contains(b"\x1b]0;pwned"),
            "the title escape reached the terminal"
        );
        assert!(
            !contains("\u{202e}".as_bytes()),
            "the RTL override reached the terminal"
        );
        let shown = screen.parser.screen();
        let rows: Vec<String> = shown.rows(0, 80).collect();
        for name_part in ["Eve ␛]0;pwned␇␛[2J", "李小龙", "LongLong"] {
            let row = rows
                .iter()
                .position(|row| row.contains(name_part))
                .unwrap_or_else(|| panic!("“{name_part}” not shown:\n{}", rows.join("\n")));
            let last = shown.cell(row as u16, 79).unwrap().contents();
            assert_eq!(last, "│", "row {row} keeps its right border: {}", rows[row]);
        }
    }
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());
}

#[cfg(unix)]
#[test]
fn a_read_only_database_opens_for_looking_up_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    drop(sale_in_progress_shop(&db));
    common::hand_to_ordinary_user(&[dir.path(), db.as_path()]);
    std::fs::set_permissions(&db, PermissionsExt::from_mode(0o444)).unwrap();
    std::fs::set_permissions(dir.path(), PermissionsExt::from_mode(0o555)).unwrap();
    let argv = common::shopdesk_as_ordinary_user();
    let command = CommandBuilder::from_argv(argv.iter().map(Into::into).collect());
    let mut app = App::start_command(command, &db, 24, 80, &[]);
    app.wait_for("cannot be written");
    app.type_and_wait(F3, "Blue mug");
    app.type_and_wait(CTRL_N, "New product");
    app.type_and_wait("PEN-1\tRed pen\t1.99\t50\r", "cannot be written");
    // Esc and the next key in one read would reach the app as one key.
    app.type_and_wait("\x1b", "Ctrl-N new product");
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());
    std::fs::set_permissions(dir.path(), PermissionsExt::from_mode(0o755)).unwrap();
}

/// A shop with one order of the mug, placed before the app starts.
fn shop_with_an_order(db: &Path) {
    let mut store = sale_in_progress_shop(db);
    let order = shopdesk::domain::order::NewOrder {
        customer_id: 0,
        items: vec!["MUG-1:2".parse().unwrap()],
        note: String::new(),
        count_corrections: Vec::new(),
        sale_id: None,
    };
    store.place_order(&order, chrono::Utc::now()).unwrap();
}

/// The app on a shop with one order, in `dir`, whose configuration (set
/// as a user does) prints with `command`; `env` is passed on to the app.
/// Returns once the app has started printing the order's receipt.
fn printing_with(dir: &Path, command: &str, env: &[(&str, &str)]) -> App {
    let db = dir.join("shop.db");
    shop_with_an_order(&db);
    let config = dir.join("config.toml");
    let set = common::cli::shopdesk()
        .arg("--config")
        .arg(&config)
        .args(["config", "set", "receipt_command", command])
        .output()
        .unwrap();
    assert!(set.status.success(), "{set:?}");
    let config = config.display().to_string();
    let mut env = env.to_vec();
    env.push(("SHOPDESK_CONFIG", &config));
    let mut app = App::start_with(&db, 24, 80, &env);
    app.wait_for("Walk-in");
    app.type_and_wait(F5, "Orders of the whole shop");
    app.type_and_wait("\x10", "Printing the receipt of order 1…");
    app
}

#[test]
fn a_stuck_printer_never_holds_up_a_key_and_sees_only_what_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("env.txt");
    let paper = dir.path().join("paper.txt");
    let go = dir.path().join("go");
    // The printer takes the receipt, then hangs until the test lets it go.
    let command = format!(
        "env > '{}'; cat > '{}'; while [ ! -e '{}' ]; do sleep 0.05; done",
        seen.display(),
        paper.display(),
        go.display()
    );
    let secret = [("SHOPDESK_SECRET_OF_THE_SHOP", "not for the printer")];
    let mut app = printing_with(dir.path(), &command, &secret);
    // While the printer hangs, the app answers keys.
    app.type_and_wait(F3, "Blue mug");
    std::fs::write(&go, b"").unwrap();
    app.wait_for("Receipt of order 1 sent to the printer.");
    assert!(
        std::fs::read_to_string(&paper)
            .unwrap()
            .contains("Blue mug")
    );
    let seen = std::fs::read_to_string(&seen).unwrap();
    assert!(!seen.contains("SHOPDESK"), "the printer saw:\n{seen}");
    assert!(seen.contains("PATH="), "the printer saw:\n{seen}");
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());
}

#[test]
fn a_print_command_found_in_an_old_database_is_shown_once_and_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shopdesk-v3.db");
    std::fs::copy(fixture, &db).unwrap();
    let config = dir.path().join("config.toml").display().to_string();
    let env = [("SHOPDESK_CONFIG", config.as_str())];

    let mut app = App::start_with(&db, 24, 80, &env);
    app.wait_for("This database had the print command 'lp -d receipts'");
    app.wait_for("shopdesk config set receipt_command 'lp -d receipts'");
    // Without a command of this counter's own, receipts go to files.
    app.type_and_wait(F5, "Orders of the whole shop");
    app.type_and_wait("\x10", "written to");
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());

    let mut again = App::start_with(&db, 24, 80, &env);
    again.wait_for("Walk-in");
    assert!(
        !again.contents().contains("print command"),
        "said once:\n{}",
        again.contents()
    );
    again.send(CTRL_Q);
    assert!(again.wait_for_exit().success());
}

#[test]
fn closing_the_app_stops_a_print_command_that_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    // Never ends by itself: only a stop can end it.
    let command = format!(
        "echo $$ > '{}'; while true; do sleep 0.05; done",
        pid_file.display()
    );
    let mut app = printing_with(dir.path(), &command, &[]);
    let deadline = Instant::now() + TIMEOUT;
    while !pid_file.exists() {
        assert!(Instant::now() < deadline, "the print command never started");
        thread::sleep(Duration::from_millis(20));
    }
    app.send(CTRL_Q);
    assert!(app.wait_for_exit().success());
    common::assert_ends(&pid_file);
}
