//! The shop's currency everywhere: a shop that sells in euros sees `€` on
//! every command's output, screen and receipt, never `$`; amounts are typed
//! with its symbol or none, with a decimal dot or comma, and another
//! currency's symbol is refused. The tests taking a shop run on every
//! backend (`contract_suite!` at the end); the one about how amounts are
//! drawn runs on SQLite: no backend changes what is drawn.

mod common;

use common::cli::{Run, Shop};
use common::harness::Harness;
use common::*;
use shopdesk::app::{Action, Command, Popup, Screen};
use shopdesk::domain::Cents;
use shopdesk::domain::customer::WALK_IN_ID;
use shopdesk::domain::settings::Setting;
use shopdesk::tui::effects;

/// Every command that shows an amount, in a € shop, typed as a cashier in
/// a decimal-comma country would.
const EURO_COMMANDS: &[&[&str]] = &[
    &[
        "product", "add", "--sku", "CUP-1", "--name", "Tea cup", "--price", "€4,00", "--stock", "9",
    ],
    &["product", "edit", "CUP-1", "--price", "4,5"],
    &["product", "restock", "CUP-1", "--add", "1"],
    &["product", "show", "CUP-1"],
    &["product", "list"],
    &["product", "moves", "CUP-1"],
    &["product", "archive", "CUP-1"],
    &["product", "unarchive", "CUP-1"],
    &[
        "order",
        "place",
        "--customer",
        "1",
        "2*MUG-1",
        "9*4006381333931",
    ],
    &["order", "show", "2"],
    &["order", "list"],
    &["order", "history", "1"],
    &["order", "status", "2", "shipped"],
    &["order", "receipt", "1"],
];

/// A Walk-in buys a mug in cash, handing over `tendered`.
fn cash_sale(shop: &Shop, tendered: &str) -> Run {
    let mut args: Vec<&str> = "order place --customer walk-in MUG-1 --paid cash --tendered"
        .split(' ')
        .collect();
    args.push(tendered);
    shop.run(&args)
}

fn every_command_shows_the_shops_currency_and_never_a_dollar(shop: Shop) {
    let shop = shop.stock();
    shop.run(&["settings", "set", "currency_symbol", "€"]).ok();
    let sale = cash_sale(&shop, "€ 20,00").ok().stdout;
    assert!(sale.contains("€12.50") && !sale.contains('$'), "{sale}");
    for args in EURO_COMMANDS {
        let out = shop.run(args).ok().stdout;
        assert!(
            out.contains('€') && !out.contains('$'),
            "shopdesk {}:\n{out}",
            args.join(" ")
        );
    }
    let place = shop.run(&["order", "show", "1"]).ok().stdout;
    assert!(place.contains("€20.00, change €7.50"), "{place}");
    // JSON stays in cents, whatever the currency.
    let cup = shop.json(&["product", "show", "CUP-1"]).ok().json();
    assert_eq!(cup["price_cents"], 450);
}

fn amounts_typed_in_another_currency_or_with_thousands_are_refused(shop: Shop) {
    let shop = shop.stock();
    shop.run(&["settings", "set", "currency_symbol", "€"]).ok();
    shop.run(&["product", "edit", "MUG-1", "--price", "$2.50"])
        .refused("“$2.50” is in another currency: this shop's is €, like €12.50 or 12.50");
    for grouped in ["1,000", "1.000", "1.000,50", "1,000.50"] {
        shop.run(&["product", "edit", "MUG-1", "--price", grouped])
            .refused("write 1000.50 or 1000,50");
    }
    cash_sale(&shop, "10,00").refused("cash tendered (€10.00) is less than the total (€12.50)");
    cash_sale(&shop, "$20").refused("another currency");
    let mug = shop.json(&["product", "show", "MUG-1"]).ok().json();
    assert_eq!(mug["price_cents"], 1250, "nothing refused was saved");
}

/// The app on `shop` made a € shop with a mug at 12.50.
fn euro_app(mut shop: TestShop) -> Harness {
    shop.set_setting(Setting::CurrencySymbol, "€").unwrap();
    add_product(&mut shop, "MUG-1", "Blue mug", "12.50", 20);
    Harness::on(shop)
}

fn the_app_reads_the_shops_currency_at_start_and_when_it_changes(shop: TestShop) {
    let mut h = euro_app(shop);
    assert_eq!(h.state.currency.symbol(), "€");
    h.shop.set_setting(Setting::CurrencySymbol, "CHF").unwrap();
    h.keys("<F3>");
    assert!(h.screen().contains("CHF 12.50"), "{}", h.screen());
    // The big total keeps a letter symbol whole beside its block digits.
    h.keys("<F4><Enter>mug-1<Enter>");
    let screen = h.screen();
    let total_panel: Vec<&str> = screen.lines().skip(1).take(4).collect();
    assert!(
        total_panel.iter().any(|row| row.contains(" CHF ")),
        "{}",
        total_panel.join("\n")
    );
}

/// The app on `shop` made a € shop ([`euro_app`]) after typing a new
/// product, Tea cup at `price`, in the new-product form (opened by its
/// command: its key is the key table's).
fn add_cup_at(shop: TestShop, price: &str) -> Harness {
    let mut h = euro_app(shop);
    h.keys("<F3>");
    effects::dispatch(&mut h.state, &mut *h.shop, Action::Command(Command::New));
    assert!(
        matches!(h.state.popup, Some(Popup::Form(_))),
        "a form opens"
    );
    // The stock field may hold a 0 to replace.
    h.keys(&format!("CUP-1<Tab>Tea cup<Tab>{price}<Tab><BS>5<Enter>"));
    h
}

fn a_price_typed_with_the_shops_symbol_and_a_decimal_comma_is_saved(shop: TestShop) {
    let h = add_cup_at(shop, "€2,50");
    let cup = h.shop.product("CUP-1").unwrap();
    assert_eq!(cup.price, Cents::new(250), "{}", h.screen());
}

fn a_price_in_another_currency_is_refused_next_to_its_field(shop: TestShop) {
    let h = add_cup_at(shop, "$2.50");
    assert!(h.shop.product("CUP-1").is_err(), "nothing saved");
    assert!(h.screen().contains("another currency"), "{}", h.screen());
}

fn cash_tendered_with_a_decimal_comma_gives_the_change_in_the_shops_currency(shop: TestShop) {
    let mut h = euro_app(shop);
    h.keys("<F4><Enter>mug-1<Enter><Enter>€20,00");
    assert!(h.screen().contains("Change due: €7.50"), "{}", h.screen());
    h.keys("<Enter>");
    assert_eq!(h.state.screen, Screen::OrderEntry);
    assert_eq!(h.message(), "Sale 1 done: €12.50. Change: €7.50.");
    let receipt = &h.state.order_entry.last_receipt.as_ref().unwrap().text;
    assert!(
        receipt.contains("€20.00") && !receipt.contains('$'),
        "{receipt}"
    );
}

/// A symbol of three letters takes room the `$` columns did not have: the
/// amount columns grow by it, and no amount is cut.
#[test]
fn a_longer_symbol_widens_the_amount_columns_instead_of_cutting_amounts() {
    let mut shop = contract::sqlite();
    shop.set_setting(Setting::CurrencySymbol, "CHF").unwrap();
    add_product(&mut shop, "LAMP", "Heavy-duty lamp", "149.95", 20);
    shop.place_order(&new_order(WALK_IN_ID, &["LAMP:10"]), at(1))
        .unwrap();
    let mut h = Harness::sized(80, 24, shop);
    let shows = |h: &Harness, amounts: &[&str]| {
        let screen = h.screen();
        for amount in amounts {
            assert!(screen.contains(amount), "{amount} is cut:\n{screen}");
        }
    };
    h.keys("<F3>");
    shows(&h, &["CHF 149.95"]);
    h.keys("<F5>");
    shows(&h, &["CHF 1499.50"]);
    h.keys("<F6>1<Enter>");
    shows(&h, &["× CHF 149.95", "CHF 1499.50"]);
    h.keys("<F4><Enter>10*lamp<Enter>");
    shows(&h, &["× CHF 149.95", "CHF 1499.50"]);
}

/// `check` names the amounts of a broken total in the shop's currency.
fn check_names_amounts_in_the_shops_currency(shop: Shop) {
    let shop = shop.stock();
    shop.run(&["settings", "set", "currency_symbol", "€"]).ok();
    shop.run(&["order", "place", "--customer", "1", "MUG-1"])
        .ok();
    shop.tamper("UPDATE orders SET subtotal_cents = 1, total_cents = 1 WHERE id = 1");
    let run = shop.run(&["check"]);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("subtotal €0.01") && said.contains("€12.50") && !said.contains('$'),
        "{said}"
    );
}

contract_suite!(
    every_command_shows_the_shops_currency_and_never_a_dollar,
    amounts_typed_in_another_currency_or_with_thousands_are_refused,
    check_names_amounts_in_the_shops_currency,
    the_app_reads_the_shops_currency_at_start_and_when_it_changes,
    a_price_typed_with_the_shops_symbol_and_a_decimal_comma_is_saved,
    a_price_in_another_currency_is_refused_next_to_its_field,
    cash_tendered_with_a_decimal_comma_gives_the_change_in_the_shops_currency,
);
