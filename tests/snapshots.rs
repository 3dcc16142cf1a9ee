//! What each screen looks like, at 80×24 and 120×40: render snapshots of
//! the app's state with ratatui's TestBackend, compared with the committed
//! files in tests/snapshots/. Times are filtered out: they depend on the
//! machine's time zone.
//!
//! The screens that show the shop's rows are drawn on every backend
//! (`contract_suite!` at the end) and compared with the same files: a
//! backend that lists, sorts or shows a row otherwise fails there. The
//! help and a terminal too small show none, and are drawn on SQLite.

mod common;

use common::harness::Harness;
use common::*;
use shopdesk::domain::settings::Setting;
use shopdesk::store::Shop;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn seeded(store: &mut dyn Shop) {
    add_customer(store, "Ann Lee", "ann@example.com", "555-0102");
    add_customer(store, "José Núñez", "jose@example.org", "+34 600 123 456");
    add_customer(store, "李小龙", "li@example.cn", "");
    add_customer(store, "Eve \u{1b}[31mRed\u{202e}", "eve@example.com", "");
    add_product(store, "MUG-1", "Blue mug", "12.50", 20);
    add_product(store, "4006381333931", "Red pen", "1.99", 100);
    add_product(store, "CUP-1", "Tea cup", "4.00", 1);
    store
        .place_order(&new_order(1, &["MUG-1:2", "4006381333931:9"]), at(10))
        .unwrap();
    store
        .place_order(&new_order(2, &["CUP-1:1"]), at(20))
        .unwrap();
}

fn assert_screens(backend: &TestShop, name: &str, keys: &str, seed: bool) {
    assert_screens_in(backend, name, keys, seed, None);
}

/// As [`assert_screens`], in a shop whose currency is `symbol` (when
/// given): then no amount on the screen may show the default `$`.
fn assert_screens_in(backend: &TestShop, name: &str, keys: &str, seed: bool, symbol: Option<&str>) {
    for (width, height) in SIZES {
        let mut shop = backend.fresh();
        if let Some(symbol) = symbol {
            shop.set_setting(Setting::CurrencySymbol, symbol).unwrap();
        }
        if seed {
            seeded(&mut *shop);
        }
        let mut h = Harness::sized(width, height, shop);
        h.keys(keys);
        if let Some(symbol) = symbol {
            let screen = h.screen();
            assert!(
                !screen.contains('$') && screen.contains(symbol),
                "{name} at {width}×{height} shows $ or no {symbol}:\n{screen}"
            );
        }
        let mut settings = insta::Settings::clone_current();
        settings.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "YYYY-MM-DD hh:mm");
        settings.bind(|| insta::assert_snapshot!(format!("{name}_{width}x{height}"), h.backend()));
    }
}

fn customers(backend: TestShop) {
    assert_screens(&backend, "customers", "", true);
}

fn customers_empty(backend: TestShop) {
    assert_screens(&backend, "customers_empty", "", false);
}

fn customer_form_with_an_error(backend: TestShop) {
    assert_screens(
        &backend,
        "customer_form_error",
        "<C-n>Nora<Tab>nora-at-example<Enter>",
        true,
    );
}

fn counter_registration_form(backend: TestShop) {
    // A name no customer has, then Ctrl-N: the short form, name in place.
    assert_screens(
        &backend,
        "counter_registration",
        "<F4>Zed Zimmer<Enter><C-n>",
        true,
    );
}

fn products(backend: TestShop) {
    assert_screens(&backend, "products", "<F3>", true);
}

fn products_empty(backend: TestShop) {
    assert_screens(&backend, "products_empty", "<F3>", false);
}

fn new_order_with_a_discount(backend: TestShop) {
    assert_screens(
        &backend,
        "new_order",
        "<F4>ann<Enter>2*mug-1<Enter>9*4006381333931<Enter>3*cup-1<Enter>",
        true,
    );
}

fn new_order_suggestions(backend: TestShop) {
    assert_screens(&backend, "new_order_suggestions", "<F4>ann<Enter>e", true);
}

/// Enter on a name several customers match offers them, titled as the
/// scan line's suggestions are.
fn new_order_customer_matches(backend: TestShop) {
    assert_screens(
        &backend,
        "new_order_customer_matches",
        "<F4>ex<Enter>",
        true,
    );
}

fn checkout_with_cash_tendered(backend: TestShop) {
    assert_screens(
        &backend,
        "checkout",
        "<F4><Enter>mug-1<Enter>mug-1<Enter><Enter>30",
        true,
    );
}

fn selling_beyond_the_count_asks_first(backend: TestShop) {
    // The seeded shop sold its one tea cup: the count says none is left.
    assert_screens(
        &backend,
        "sell_anyway",
        "<F4><Enter>2*cup-1<Enter>mug-1<Enter><Enter>50<Enter>",
        true,
    );
}

fn the_receipt_beside_the_next_sale(backend: TestShop) {
    assert_screens(
        &backend,
        "after_sale",
        "<F4><Enter>mug-1<Enter><Enter>20<Enter>",
        true,
    );
}

/// After an order placed to pay later, the panel calls it an order.
fn the_receipt_of_an_order_to_ship_beside_the_next_sale(backend: TestShop) {
    assert_screens(
        &backend,
        "after_order_to_ship",
        "<F4>ann<Enter>mug-1<Enter><Enter>l<Enter>",
        true,
    );
}

fn parked_sales(backend: TestShop) {
    assert_screens(
        &backend,
        "parked",
        "<F4><Enter>mug-1<Enter><F8>ann<Enter>cup-1<Enter><F8><F8>",
        true,
    );
}

fn history(backend: TestShop) {
    assert_screens(&backend, "history", "<F5>", true);
}

fn history_empty(backend: TestShop) {
    assert_screens(&backend, "history_empty", "<F5>", false);
}

fn order_status(backend: TestShop) {
    assert_screens(&backend, "order_status", "<F6>1<Enter>s<Enter>", true);
}

fn order_status_empty(backend: TestShop) {
    assert_screens(&backend, "order_status_empty", "<F6>", false);
}

#[test]
fn help() {
    assert_screens(&contract::sqlite(), "help", "<F3><F1>", true);
}

#[test]
fn help_at_the_counter() {
    // The screen with the most keys: at 80×24 its help needs two columns.
    assert_screens(&contract::sqlite(), "help_new_order", "<F4><F1>", true);
}

#[test]
fn too_small() {
    let mut h = Harness::sized(60, 15, new_store());
    h.keys("");
    insta::assert_snapshot!("too_small_60x15", h.backend());
}

/// The screens the README pictures, each a committed snapshot at 80×24.
const SHOWN_IN_THE_README: [&str; 4] = [
    "customers_80x24",
    "order_status_80x24",
    "after_sale_80x24",
    "sell_anyway_80x24",
];

/// A snapshot's screen as plain text: each quoted row (insta may add a
/// note after the closing quote), without trailing spaces or empty last rows.
fn screen_of_snapshot(snapshot: &str) -> String {
    let body = snapshot.splitn(3, "---\n").nth(2).unwrap();
    let rows: Vec<&str> = body
        .lines()
        .filter_map(|line| line.strip_prefix('"'))
        .map(|row| row[..row.find('"').unwrap()].trim_end())
        .collect();
    let last = rows.iter().rposition(|row| !row.is_empty()).unwrap();
    rows[..=last].join("\n")
}

/// The README's pictures of screens are the committed snapshots, times
/// aside: a screen that changes must change in the README too.
#[test]
fn the_readme_pictures_each_screen_as_it_is_drawn() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = without_times(&readme());
    for name in SHOWN_IN_THE_README {
        let snapshot =
            std::fs::read_to_string(format!("{root}/tests/snapshots/snapshots__{name}.snap"))
                .unwrap();
        let screen = screen_of_snapshot(&snapshot);
        assert!(
            readme.contains(&format!("```\n{screen}\n```")),
            "the README does not show {name} as drawn:\n{screen}"
        );
    }
}

/// Every screen that shows amounts, in a shop that sells in euros: the
/// shop's symbol everywhere, typed amounts with a decimal comma.
fn screens_with_amounts_in_a_euro_shop(backend: TestShop) {
    for (name, keys) in [
        ("euro_products", "<F3>"),
        (
            "euro_new_order",
            "<F4>ann<Enter>2*mug-1<Enter>9*4006381333931<Enter>3*cup-1<Enter>",
        ),
        ("euro_suggestions", "<F4>ann<Enter>e"),
        (
            "euro_checkout",
            "<F4><Enter>mug-1<Enter>mug-1<Enter><Enter>€30,00",
        ),
        (
            "euro_after_sale",
            "<F4><Enter>mug-1<Enter><Enter>20,5<Enter>",
        ),
        (
            "euro_parked",
            "<F4><Enter>mug-1<Enter><F8>ann<Enter>cup-1<Enter><F8><F8>",
        ),
        ("euro_history", "<F5>"),
        ("euro_order_status", "<F6>1<Enter>"),
    ] {
        assert_screens_in(&backend, name, keys, true, Some("€"));
    }
}

contract_suite!(
    customers,
    customers_empty,
    customer_form_with_an_error,
    counter_registration_form,
    products,
    products_empty,
    new_order_with_a_discount,
    new_order_suggestions,
    new_order_customer_matches,
    checkout_with_cash_tendered,
    selling_beyond_the_count_asks_first,
    the_receipt_beside_the_next_sale,
    the_receipt_of_an_order_to_ship_beside_the_next_sale,
    parked_sales,
    history,
    history_empty,
    order_status,
    order_status_empty,
    screens_with_amounts_in_a_euro_shop,
);
