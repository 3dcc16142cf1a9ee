//! Nothing on screen is cut senselessly: key hints are shown whole or not
//! at all, the help shows every key whole (or says there are more), the
//! receipt beside the next sale never loses its end without a sign, and a
//! name too long for its column ends with `…`. On SQLite: drawing depends
//! on the app's state alone, and the backends give the same screens
//! (tests/snapshots.rs).

mod common;

use std::collections::HashSet;

use common::harness::Harness;
use common::*;
use shopdesk::app::keys;
use shopdesk::domain::money::Currency;
use shopdesk::store::sqlite::SqliteStore;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn seeded(store: &mut SqliteStore) {
    add_customer(store, "Ann Lee", "ann@example.com", "555-0102");
    add_product(store, "MUG-1", "Blue mug", "12.50", 20);
    add_product(store, "CUP-1", "Tea cup", "4.00", 5);
}

/// The app after `keys`, at `width` × `height`.
fn after(keys: &str, width: u16, height: u16) -> Harness<TestStore> {
    let mut shop = new_store();
    seeded(&mut shop);
    let mut h = Harness::sized(width, height, shop);
    h.keys(keys);
    h
}

/// The key sequences of the snapshot screens that show many hints.
const HINTED: [&str; 6] = [
    "<F4><Enter>mug-1<Enter><Enter>20<Enter>",
    "<F4><Enter>mug-1<Enter>mug-1<Enter><Enter>30",
    "<F4>ann<Enter>2*mug-1<Enter>3*cup-1<Enter>",
    "<F4>ann<Enter>e",
    "<F3>",
    "<F2>",
];

#[test]
fn key_hints_are_shown_whole_or_not_at_all() {
    for keys_typed in HINTED {
        for (width, height) in SIZES {
            let h = after(keys_typed, width, height);
            let screen = h.screen();
            // All hints start with "F1 keys"; when some were dropped, the
            // line ends with "F1 more" instead.
            let hints = screen
                .lines()
                .map(str::trim_end)
                .find(|line| line.starts_with("F1 keys") || line.ends_with("F1 more"))
                .unwrap_or_else(|| panic!("no hints:\n{screen}"));
            let hints = hints.trim_end_matches("F1 more").trim_end();
            let helps: Vec<&str> = keys::bindings_for(&h.state)
                .iter()
                .map(|binding| binding.help)
                .collect();
            assert!(
                hints == "F1 keys"
                    || hints.is_empty()
                    || helps.iter().any(|help| hints.ends_with(help)),
                "{keys_typed} at {width}×{height}: the hints end mid-hint: “{hints}”"
            );
        }
    }
}

/// The text inside the help popup, row by row (its frame found by its
/// corners).
fn help_popup(screen: &str) -> Vec<String> {
    let rows: Vec<Vec<char>> = screen.lines().map(|line| line.chars().collect()).collect();
    let top = rows
        .iter()
        .position(|row| row.iter().collect::<String>().contains("┌ Keys:"))
        .unwrap_or_else(|| panic!("no help:\n{screen}"));
    let left = rows[top]
        .windows(2)
        .position(|pair| pair == ['┌', ' '])
        .unwrap();
    let right = left
        + 1
        + rows[top][left + 1..]
            .iter()
            .position(|&c| c == '┐')
            .unwrap();
    rows[top + 1..]
        .iter()
        .take_while(|row| row[left] != '└')
        .map(|row| row[left + 1..right].iter().collect())
        .collect()
}

#[test]
fn the_help_shows_every_key_whole_or_says_there_are_more() {
    for (screen_key, screen) in [
        ("<F2>", shopdesk::app::Screen::Customers),
        ("<F3>", shopdesk::app::Screen::Products),
        ("<F4>", shopdesk::app::Screen::OrderEntry),
        ("<F5>", shopdesk::app::Screen::History),
        ("<F6>", shopdesk::app::Screen::OrderStatus),
    ] {
        for (width, height) in SIZES {
            let h = after(&format!("{screen_key}<F1>"), width, height);
            let popup = help_popup(&h.screen()).join("\n");
            let bindings = keys::help_bindings(screen);
            let mut known: HashSet<String> = HashSet::new();
            for binding in &bindings {
                let label = keys::key_label(binding);
                let words = binding
                    .help
                    .split_whitespace()
                    .chain(label.split_whitespace())
                    .chain(keys::context_label(binding.context).split_whitespace());
                known.extend(words.map(str::to_string));
                known.extend(
                    keys::context_label(binding.context)
                        .split_whitespace()
                        .map(|w| format!("{w}:")),
                );
            }
            let more = popup.contains("more keys");
            for word in popup.split_whitespace() {
                assert!(
                    known.contains(word) || more,
                    "{screen_key} at {width}×{height}: “{word}” is cut:\n{popup}"
                );
            }
            if !more {
                let shown: HashSet<&str> = popup.split_whitespace().collect();
                for binding in &bindings {
                    for word in binding.help.split_whitespace() {
                        assert!(
                            shown.contains(word),
                            "{screen_key} at {width}×{height}: “{}” is missing:\n{popup}",
                            binding.help
                        );
                    }
                }
            }
        }
    }
}

/// History moves with Home and End as well as Ctrl-Home and Ctrl-End
/// (no field has the cursor there): help lists both, not one for the
/// other because they do the same.
#[test]
fn the_help_lists_a_key_and_its_ctrl_form_apart() {
    for (width, height) in SIZES {
        let h = after("<F5><F1>", width, height);
        let popup = help_popup(&h.screen()).join("\n");
        let keys: HashSet<&str> = popup.split_whitespace().collect();
        for key in ["Home", "End", "Ctrl-Home", "Ctrl-End"] {
            assert!(keys.contains(key), "{width}×{height}: no {key}:\n{popup}");
        }
    }
}

#[test]
fn the_receipt_beside_the_next_sale_keeps_its_end_or_says_what_is_hidden() {
    for (width, height) in SIZES {
        let h = after(
            "<F4><Enter>mug-1<Enter>cup-1<Enter><Enter>20<Enter>",
            width,
            height,
        );
        let screen = h.screen();
        assert!(screen.contains("Thank you!"), "{width}×{height}:\n{screen}");
        assert!(
            screen.contains("Customer: Walk-in   ") || screen.contains("above"),
            "the receipt's top is shown, or the border says it is hidden:\n{screen}"
        );
        assert!(
            screen.contains("TOTAL") && screen.contains("Change"),
            "{screen}"
        );
    }
}

#[test]
fn a_name_too_long_for_its_column_ends_with_an_ellipsis() {
    let long = "Extraordinarily long ceramic coffee mug with a handle";
    for (keys_typed, needle) in [
        ("<F3>", "Extraordinarily"),
        ("<F4><Enter>long-1<Enter>", "Extraordinarily"),
    ] {
        let mut shop = new_store();
        add_product(&mut shop, "LONG-1", long, "3", 5);
        add_customer(&mut shop, long, "long@example.com", "");
        let mut h = Harness::sized(80, 24, shop);
        h.keys(keys_typed);
        let screen = h.screen();
        let line = screen
            .lines()
            .find(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("{keys_typed}: no name:\n{screen}"));
        if !line.contains(long) {
            assert!(
                line.contains('…'),
                "{keys_typed}: cut without a sign: {line}"
            );
        }
    }
}

/// The rows of the total's box (the counter's top right corner, 30
/// columns wide under the tab bar), as drawn.
fn total_box(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip(1)
        .take(6)
        .map(|line| line.chars().rev().take(30).collect())
        .collect()
}

/// The customer's matches drop down over the scan line, beside the
/// total: the box the cashier and the customer read stays whole.
#[test]
fn the_total_stays_whole_beside_the_customers_matches() {
    for (width, height) in SIZES {
        let mut h = after("<F4>ann<Enter>2*mug-1<Enter><S-Tab>", width, height);
        let before = total_box(&h.screen());
        assert!(before[0].contains("LATOT"), "{}", h.screen());
        h.keys("ann");
        let screen = h.screen();
        assert!(screen.contains("1 match for “ann”"), "{screen}");
        assert_eq!(
            total_box(&screen),
            before,
            "{width}×{height}: the total's box lost rows:\n{screen}"
        );
    }
}

/// More sales parked than the popup has rows for: the one selected is
/// always in view, ↓ to the last and ↑ back to the first.
#[test]
fn the_selected_parked_sale_stays_in_view() {
    let parked = 30;
    for (width, height) in SIZES {
        let h = &mut after("<F4>", width, height);
        for _ in 0..parked {
            h.keys("<Enter>mug-1<Enter><F8>");
        }
        h.keys("<F8>");
        let selected_row = |h: &Harness<TestStore>| match &h.state.popup {
            Some(shopdesk::app::Popup::Parked(list)) => list.rows[list.selected].id,
            other => panic!("no parked sales but {other:?}"),
        };
        for step in 0..parked + 2 {
            let id = selected_row(h);
            let screen = h.screen();
            assert!(
                screen
                    .lines()
                    .any(|line| line.contains(&format!("│{id:<5} "))),
                "{width}×{height}, {step} down: sale {id} is selected out of view:\n{screen}"
            );
            h.keys("<Down>");
        }
        // At 80×24, 20 rows: the border says which are in view.
        let note = if height == 24 {
            " 11-30 of 30 "
        } else {
            "Parked"
        };
        assert!(h.screen().contains(note), "{}", h.screen());
        h.keys(&"<Up>".repeat(parked));
        assert_eq!(selected_row(h), 1);
        assert!(h.screen().contains("│1     "), "{}", h.screen());
    }
}

/// The screens with a table of amounts or counts: the cart, an order in
/// Order status, the whole shop's history and the parked sales; each
/// with a heading found in its table's heading row.
const NUMBER_TABLES: [(&str, &str); 4] = [
    ("<F4>ann<Enter>2*mug-1<Enter>3*cup-1<Enter>", "Qty"),
    (
        "<F4>ann<Enter>2*mug-1<Enter><Enter><Enter><F6>1<Enter>",
        "Qty",
    ),
    ("<F4>ann<Enter>2*mug-1<Enter><Enter><Enter><F5>", "Items"),
    ("<F4>ann<Enter>2*mug-1<Enter>cup-1<Enter><F8><F8>", "Items"),
];

/// Each number column's heading ends where its numbers end, as in a
/// printed table: a heading at the left of a right-aligned column would
/// sit over nothing, its numbers under the next heading's gap.
#[test]
fn headings_of_number_columns_end_where_their_numbers_end() {
    for (keys_typed, marker) in NUMBER_TABLES {
        for (width, height) in SIZES {
            let screen = after(keys_typed, width, height).screen();
            let rows: Vec<Vec<char>> = screen.lines().map(|line| line.chars().collect()).collect();
            let heading = rows
                .iter()
                .position(|row| row.iter().collect::<String>().contains(marker))
                .unwrap_or_else(|| panic!("{keys_typed}: no table:\n{screen}"));
            let line = &rows[heading + 1];
            let text: String = rows[heading].iter().collect();
            let mut checked = 0;
            for word in ["Qty", "Price", "Unit", "Line", "Items", "Total"] {
                let Some(start) = text.find(word) else {
                    continue;
                };
                checked += 1;
                let end = text[..start].chars().count() + word.chars().count();
                assert!(
                    line[end - 1] != ' ' && matches!(line[end], ' ' | '│'),
                    "{keys_typed} at {width}×{height}: “{word}” does not end over its numbers:\n{}\n{}",
                    text,
                    line.iter().collect::<String>()
                );
            }
            assert!(checked >= 2, "{keys_typed}: no number headings in “{text}”");
        }
    }
}

/// The line of `screen` that holds `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no “{needle}”:\n{screen}"))
}

/// A shop with the highest price and stock the rules allow, and an order
/// of the most units of it: the largest amounts anything shows.
fn gold_shop() -> (TestStore, shopdesk::domain::order::Order) {
    let mut shop = new_store();
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "GOLD-1", "Gold bar", "99999999.99", 999_999_999);
    let order = shop
        .place_order(&new_order(ann.id, &["GOLD-1:9999"]), at(1))
        .unwrap();
    (shop, order)
}

#[test]
fn the_largest_amounts_and_counts_the_rules_allow_are_never_cut() {
    for (width, height) in SIZES {
        let (shop, order) = gold_shop();
        let total = Currency::default().format(order.totals.total);
        let line_total = Currency::default().format(order.items[0].line_total);
        let mut h = Harness::sized(width, height, shop);
        let screens = [
            ("<F3>", "GOLD-1", vec!["$99999999.99", "999990000"]),
            ("<F5>w", "Ann Lee", vec![total.as_str(), "9999"]),
            (
                "<F6>1<Enter>",
                "Gold bar",
                vec![line_total.as_str(), "9999"],
            ),
            (
                "<Esc><F4>ann<Enter>9999*gold-1<Enter>",
                "Gold bar",
                vec![line_total.as_str()],
            ),
            // Parked, then the parked sales listed.
            ("<F8><F8>", "│1 ", vec![total.as_str()]),
        ];
        for (keys_typed, row, numbers) in screens {
            h.keys(keys_typed);
            let screen = h.screen();
            let line = line_with(&screen, row);
            for number in numbers {
                let whole = line
                    .split(|c: char| c.is_whitespace() || c == '│' || c == '×')
                    .any(|word| word == number);
                assert!(
                    whole,
                    "{keys_typed} at {width}×{height}: “{number}” cut in: {line}\n{screen}"
                );
            }
        }
    }
}

#[test]
fn a_long_name_or_email_in_a_screens_heading_ends_with_an_ellipsis() {
    // As long as the rules allow: 100 characters, and a long email.
    let name = format!("Maximiliana{}", " Josefina".repeat(9));
    assert_eq!(name.chars().count(), 92);
    let email = format!("{}@example.com", "maximiliana.josefina".repeat(4));
    let mut shop = new_store();
    let customer = add_customer(&mut shop, &name, &email, "");
    add_product(&mut shop, "MUG-1", "Blue mug", "12.50", 20);
    shop.place_order(&new_order(customer.id, &["MUG-1:1"]), at(1))
        .unwrap();
    let mut h = Harness::sized(80, 24, shop);
    for (keys_typed, start) in [
        ("<F2>maximiliana<Enter>", "Maximiliana"),
        ("<F6>1<Enter>", "Maximiliana"),
        ("<F4>maximiliana<Enter>", "Customer 1:"),
    ] {
        h.keys(keys_typed);
        let screen = h.screen();
        line_with(&screen, start);
        let whole = if start == "Maximiliana" {
            &name
        } else {
            &email
        };
        // Every line with the name or email holds it whole or with a `…`.
        for line in screen.lines().filter(|line| line.contains(start)) {
            assert!(
                line.contains(whole.as_str()) || line.contains('…'),
                "{keys_typed}: cut without a sign: {line}\n{screen}"
            );
        }
    }
}

#[test]
fn a_long_question_is_asked_whole_with_its_answers() {
    let name = format!("Extraordinarily{}", " long ceramic mug".repeat(5));
    let sku = "X".repeat(64);
    let mut shop = new_store();
    add_product(&mut shop, &sku, &name, "3", 5);
    let mut h = Harness::sized(80, 24, shop);
    h.keys("<F3><C-x>");
    let screen = h.screen();
    assert!(
        matches!(h.state.popup, Some(shopdesk::app::Popup::Confirm { .. })),
        "{screen}"
    );
    for shown in ["Archive", "XXXXXXX)?", "sold."] {
        assert!(screen.contains(shown), "“{shown}” is missing:\n{screen}");
    }
    // The answers inside the popup itself, not only among the key hints.
    assert!(
        screen
            .lines()
            .any(|line| line.contains("│Enter yes    Esc no")),
        "the answers are missing:\n{screen}"
    );
}
