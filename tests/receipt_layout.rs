//! Receipts at their extremes: the longest amounts, a three-character
//! currency symbol, the longest names and codes. No amount is ever cut, no
//! line is wider than the paper, the end is always printed, and a currency
//! symbol stored by an older shopdesk that breaks today's rule never
//! reaches the paper. The tests taking a `Shop` (a symbol stored, or
//! refused) run on every backend (`contract_suite!` at the end); a
//! receipt's layout is drawn from an order alone, on SQLite.

mod common;

use common::cli::Shop;
use common::*;
use shopdesk::domain::Currency;
use shopdesk::domain::customer::WALK_IN_ID;
use shopdesk::domain::order::{Order, Payment, PaymentMethod};
use shopdesk::domain::settings::Setting;
use shopdesk::receipt::{RECEIPT_WIDTH, receipt};
use unicode_width::UnicodeWidthStr;

/// Every amount the receipt of `order` shows, written with `symbol`.
fn amounts(order: &Order, symbol: &str) -> Vec<String> {
    let currency = Currency::parse(symbol).unwrap();
    let mut amounts = Vec::new();
    for item in &order.items {
        amounts.push(currency.format(item.unit_price));
        amounts.push(currency.format(item.line_total));
    }
    amounts.push(currency.format(order.totals.subtotal));
    amounts.push(format!("-{}", currency.format(order.totals.discount)));
    amounts.push(currency.format(order.totals.total));
    amounts
}

#[track_caller]
fn assert_laid_out(text: &str, order: &Order, symbol: &str) {
    for line in text.lines() {
        assert!(
            line.width() <= RECEIPT_WIDTH,
            "{} columns: {line}\n{text}",
            line.width()
        );
    }
    for amount in amounts(order, symbol) {
        assert!(
            text.lines()
                .any(|line| line.contains(&format!(" {amount}"))),
            "{amount} is not printed whole:\n{text}"
        );
    }
    assert_eq!(
        text.lines().last().map(str::trim),
        Some("Thank you!"),
        "{text}"
    );
}

#[test]
fn the_longest_amounts_with_a_three_character_symbol_are_never_cut() {
    let mut shop = new_store();
    let long_sku = "X".repeat(64);
    add_product(&mut shop, &long_sku, "Gold bar", "99999999.99", 100_000);
    add_product(&mut shop, "MUG-1", "Blue mug", "99999999.99", 100_000);
    let symbol = "CHF";
    let settings = shop.set_setting(Setting::CurrencySymbol, symbol).unwrap();
    let order = shop
        .place_order(
            &new_order(WALK_IN_ID, &[&format!("{long_sku}:9999"), "MUG-1:9999"]),
            at(1),
        )
        .unwrap();
    let text = receipt(&order, &settings, "2026-03-01 12:01");
    assert_laid_out(&text, &order, symbol);
    let code: String = text
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with('X'))
        .collect();
    assert_eq!(
        code, long_sku,
        "a code wider than the paper continues:\n{text}"
    );
}

#[test]
fn long_names_wrap_at_words_and_keep_every_word() {
    let mut shop = new_store();
    let name = "Red pen with a name far too long for the paper roll, and then some more words to fill a hundred";
    assert!(name.chars().count() <= 100);
    add_product(&mut shop, "PEN-1", name, "1.99", 50);
    let unbroken = "W".repeat(100);
    add_product(&mut shop, "WWW", &unbroken, "2", 50);
    let customer_name = "Maximiliane Alexandra Konstantinopolitanische Bartholomäus-Oberhuber";
    let customer = add_customer(&mut shop, customer_name, "max@example.com", "");
    let total_of = |shop: &mut TestStore, items: &[&str]| {
        shop.price_order(&new_order(customer.id, items))
            .unwrap()
            .total
    };
    let total = total_of(&mut shop, &["PEN-1:12", "WWW"]);
    let payment = Payment::new(PaymentMethod::Card, None, total, &Currency::default()).unwrap();
    let order = shop
        .place_counter_sale(
            &new_order(customer.id, &["PEN-1:12", "WWW"]),
            payment,
            total,
            at(1),
        )
        .unwrap();
    let settings = shop.settings().unwrap();
    let text = receipt(&order, &settings, "2026-03-01 12:01");
    assert_laid_out(&text, &order, "$");
    let words: Vec<&str> = text.split_whitespace().collect();
    for word in name.split(' ').chain(customer_name.split(' ')) {
        assert!(words.contains(&word), "“{word}” is printed whole:\n{text}");
    }
    let unbroken_printed: String = text.lines().filter(|line| line.starts_with('W')).collect();
    assert_eq!(
        unbroken_printed, unbroken,
        "a word wider than the paper continues on the next line"
    );
}

fn a_bad_currency_symbol_stored_by_an_older_version_never_reaches_a_receipt(shop: Shop) {
    let shop = shop.stock();
    shop.run(&["order", "place", "--customer", "1", "MUG-1"])
        .ok();
    let stored = "\u{1b}[2J€€€€";
    shop.tamper(&format!(
        "DELETE FROM settings WHERE `key` = 'currency_symbol';
         INSERT INTO settings (`key`, value) VALUES ('currency_symbol', '{stored}')"
    ));

    let printed = shop.run(&["order", "receipt", "1"]).ok().stdout;
    assert!(
        printed.contains("TOTAL") && printed.contains("$12.50"),
        "{printed}"
    );
    assert!(
        !printed.contains('€') && !printed.contains('␛'),
        "{printed}"
    );

    let settings = shop.run(&["settings"]).ok().stdout;
    let line = settings
        .lines()
        .find(|line| line.starts_with("currency_symbol"))
        .unwrap();
    assert!(
        line.contains("$")
            && line.contains("cannot be the currency symbol")
            && line.contains("␛[2J€€€€"),
        "the settings say which value is set aside and why: {line}"
    );
    assert!(!settings.contains('\u{1b}'), "{settings:?}");

    shop.run(&["settings", "set", "currency_symbol", "€"]).ok();
    let printed = shop.run(&["order", "receipt", "1"]).ok().stdout;
    assert!(printed.contains("€12.50"), "{printed}");
}

fn bad_currency_symbols_are_refused_from_the_command_line(shop: Shop) {
    for bad in ["\u{1b}[2J", "EURO", "1$", "$-", "a b"] {
        shop.run(&["settings", "set", "currency_symbol", bad])
            .refused("cannot be the currency symbol");
    }
    let settings = shop.json(&["settings"]).ok().json_lines();
    assert!(
        settings
            .iter()
            .any(|record| record["key"] == "currency_symbol" && record["value"] == "$"),
        "nothing was stored: {settings:?}"
    );
}

contract_suite!(
    a_bad_currency_symbol_stored_by_an_older_version_never_reaches_a_receipt,
    bad_currency_symbols_are_refused_from_the_command_line,
);
