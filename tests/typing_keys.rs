//! Keys that type never change data: where a text field has the cursor,
//! every key it takes as text (characters, and tui-input's editing keys)
//! goes into it; actions use keys that never type. Also the hint line:
//! hints are whole, the least important dropped first, then "F1 more".
//! The tests taking a `TestShop` run on every backend (`contract_suite!`
//! at the end); the walk over the key table and the hint line's drawing
//! run on SQLite: no backend changes what a key does or what is drawn.

mod common;

use common::harness::{Harness, parse_keys, question};
use common::*;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shopdesk::app::keys::{self, Field, KEYS};
use shopdesk::app::{Action, Popup, Screen};
use shopdesk::domain::order::Status;
use tui_input::InputRequest;
use tui_input::backend::crossterm::to_input_request;

/// The app at 80×24 on `shop`, stocked as the small shop, with Ann's
/// orders 1 (two mugs) and 2 (a pen).
fn stocked(mut shop: TestShop) -> Harness {
    stock_small_shop(&mut shop);
    shop.place_order(&new_order(1, &["MUG-1:2"]), at(1))
        .unwrap();
    shop.place_order(&new_order(1, &["PEN-1:1"]), at(2))
        .unwrap();
    Harness::on(shop)
}

fn typing_on_products_searches_and_changes_no_product(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F3>");
    let before = h.shop.search_products("", 10).unwrap();
    h.keys("erasers<Enter>");
    assert_eq!(h.state.products.search.value(), "erasers");
    assert!(h.state.popup.is_none(), "{:?}", h.state.popup);
    assert_eq!(h.shop.search_products("", 10).unwrap(), before);
    // Esc clears the search and the whole list comes back.
    h.keys("<Esc>");
    assert_eq!(h.state.products.search.value(), "");
    assert_eq!(h.state.products.list.rows.len(), 2);
}

fn typing_on_customers_searches_and_opens_no_form(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F2>dan");
    assert_eq!(h.state.customers.search.value(), "dan");
    assert!(h.state.popup.is_none(), "{:?}", h.state.popup);
    let rows: Vec<&str> = h
        .state
        .customers
        .list
        .rows
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(rows, ["Dana Cole"]);
}

/// Back on Customers or Products, the search left there is selected
/// whole: the next name typed is a new search, not added to the old one.
fn a_search_left_on_a_screen_is_replaced_by_the_next_one_typed(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F2>ann<F4><Esc><F2>");
    assert_eq!(h.state.customers.search.value(), "ann");
    assert!(h.state.customers.search.is_selected_whole());
    assert_eq!(h.state.customers.list.rows.len(), 1, "still what it found");
    h.keys("dana");
    assert_eq!(h.state.customers.search.value(), "dana");
    assert_eq!(h.state.customers.list.rows[0].name, "Dana Cole");

    h.keys("<F3>red<F2><F3>");
    assert!(h.state.products.search.is_selected_whole());
    h.keys("mug");
    assert_eq!(h.state.products.search.value(), "mug");
    // An arrow keeps the old search to edit it.
    h.keys("<F2><F3><End>s");
    assert_eq!(h.state.products.search.value(), "mugs");
}

fn the_list_moves_while_the_search_field_keeps_the_cursor(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F3><Down>");
    assert_eq!(h.state.products.list.selected, 1);
    h.keys("p");
    assert_eq!(
        h.state.products.search.value(),
        "p",
        "the field still types"
    );
}

fn actions_on_customers_and_products_are_ctrl_keys(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F2><C-n>");
    assert!(matches!(h.state.popup, Some(Popup::Form(_))), "Ctrl-N: new");
    h.keys("<Esc>ann<C-d>");
    match &h.state.popup {
        Some(Popup::Form(form)) => assert_eq!(form.title, "Edit customer 1"),
        other => panic!("Ctrl-D edits: {other:?}"),
    }
    h.keys("<Esc><C-o>");
    assert_eq!(h.state.screen, Screen::OrderEntry, "Ctrl-O: new order");
    assert_eq!(h.state.order_entry.customer.as_ref().unwrap().id, 1);

    h.keys("<F3>mug<Enter>");
    match &h.state.popup {
        Some(Popup::Form(form)) => {
            assert!(form.title.starts_with("Edit Blue mug"), "{}", form.title)
        }
        other => panic!("Enter edits the product: {other:?}"),
    }
    h.keys("<Esc><C-r>5<Enter>");
    assert_eq!(
        h.shop.product("MUG-1").unwrap().stock,
        23,
        "Ctrl-R restocks"
    );
    h.keys("<C-x>");
    assert!(question(&h).starts_with("Archive Blue mug"));
    h.keys("<Enter>");
    assert!(!h.shop.product("MUG-1").unwrap().active, "Ctrl-X archives");
}

fn digits_on_order_status_go_to_the_order_number_at_once(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F6>1<Enter>");
    assert_eq!(h.state.order_status.order.as_ref().unwrap().id, 1);
    h.keys("2<Enter>");
    assert_eq!(
        h.state.order_status.order.as_ref().unwrap().id,
        2,
        "no / needed: a digit after a found order starts a new number"
    );
    h.keys("<BS>1");
    assert_eq!(
        h.state.order_status.number.value(),
        "1",
        "editing keys edit"
    );
    h.keys("<Esc>");
    assert_eq!(h.state.order_status.number.value(), "", "Esc clears it");
}

fn every_status_change_asks_first_in_one_key(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F6>1<Enter>s");
    assert!(
        question(&h).contains("Mark order 1 shipped?"),
        "{}",
        question(&h)
    );
    assert_eq!(h.shop.order(1).unwrap().status, Status::Pending);
    let screen = h.screen();
    assert!(screen.contains("Enter yes    Esc no"), "{screen}");
    h.keys("<Esc>");
    assert_eq!(
        h.shop.order(1).unwrap().status,
        Status::Pending,
        "Esc keeps it"
    );
    h.keys("s<Enter>");
    assert_eq!(h.shop.order(1).unwrap().status, Status::Shipped);
    h.keys("d");
    assert!(question(&h).contains("Mark order 1 delivered?"));
    assert_eq!(h.shop.order(1).unwrap().status, Status::Shipped);
    h.keys("<Enter>");
    assert_eq!(h.shop.order(1).unwrap().status, Status::Delivered);
}

fn the_cart_is_entered_with_arrows_and_typing_returns_to_the_scan_line(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F4><Enter>MUG-1<Enter>+");
    assert_eq!(
        h.state.order_entry.scan.value(),
        "+",
        "+ on the scan line is text"
    );
    assert!(!sale_title_reversed(&h), "the scan line has the cursor");
    h.keys("<Esc><Up>");
    assert!(sale_title_reversed(&h), "the cart shows it has the cursor");
    h.keys("+");
    assert_eq!(
        h.state.order_entry.cart[0].quantity.get(),
        2,
        "+ in the cart"
    );
    h.keys("PEN-1<Enter>");
    assert_eq!(
        h.state.order_entry.cart.len(),
        2,
        "typing went to the scan line"
    );
    h.keys("<Up><Del><Del><C-z>");
    assert_eq!(h.state.order_entry.cart.len(), 1);
    assert!(
        !h.state.order_entry_in_cart(),
        "with the cart emptied, the scan line has the cursor again"
    );
}

/// Whether the Sale box's title is drawn reversed: the mark of the box
/// with the cursor.
fn sale_title_reversed(h: &Harness) -> bool {
    let backend = h.backend();
    let screen = h.screen();
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains(" Sale "))
        .expect("the Sale box");
    let x = line[..line.find(" Sale ").unwrap()].chars().count() + 1;
    backend.buffer()[(x as u16, y as u16)]
        .modifier
        .contains(ratatui::style::Modifier::REVERSED)
}

/// The keys a field takes as its own: what tui-input does with them.
fn edits(field: Field, key: KeyEvent) -> bool {
    match to_input_request(&Event::Key(key)) {
        None => false,
        Some(InputRequest::InsertChar(c)) => field.takes(c),
        Some(_) => true,
    }
}

/// Every key the table binds, every printable character, and the Ctrl and
/// Alt keys and arrows tui-input knows.
fn candidate_keys() -> Vec<KeyEvent> {
    let mut candidates: Vec<KeyEvent> = KEYS
        .iter()
        .map(|b| KeyEvent::new(b.code, b.modifiers))
        .collect();
    for c in ' '..='~' {
        candidates.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    for c in 'a'..='z' {
        candidates.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        candidates.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT));
        candidates.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::META));
    }
    for code in [
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Backspace,
        KeyCode::Delete,
    ] {
        for modifiers in [KeyModifiers::NONE, KeyModifiers::CONTROL, KeyModifiers::ALT] {
            candidates.push(KeyEvent::new(code, modifiers));
        }
    }
    let mut unique: Vec<KeyEvent> = Vec::new();
    for key in candidates {
        if !unique.contains(&key) {
            unique.push(key);
        }
    }
    unique
}

/// Key strings that reach each state a screen or popup can be in.
const STATES: &[&str] = &[
    "<F2>",
    "<F2>ann",
    "<F2><C-n>",
    "<F3>",
    "<F3>mug",
    "<F3><C-n>",
    "<F3><C-r>",
    "<F4>",
    "<F4>an",
    "<F4><Enter>",
    "<F4><Enter>MUG-1<Enter>",
    "<F4><Enter>MUG-1<Enter><Up>",
    "<F4><Enter>mu",
    "<F4><Enter>MUG-1<Enter><F10>",
    "<F5>",
    "<F6>",
    "<F6>1<Enter>",
    "<F6>1<Enter>s",
    "<F1>",
];

#[test]
fn no_key_a_field_takes_as_text_is_bound_where_that_field_has_the_cursor() {
    let candidates = candidate_keys();
    let mut bound_while_typing = Vec::new();
    let mut fields_seen = Vec::new();
    for keys_to_state in STATES {
        let mut h = stocked(contract::sqlite());
        h.keys(keys_to_state);
        let Some(field) = h.state.field_with_cursor() else {
            continue;
        };
        fields_seen.push(field);
        for key in &candidates {
            if !edits(field, *key) {
                continue;
            }
            if let Some(Action::Command(command)) = keys::action_for(&h.state, *key) {
                bound_while_typing.push(format!("{keys_to_state}: {key:?} → {command:?}"));
            }
        }
    }
    assert!(
        [Field::FreeText, Field::Digits, Field::Amount]
            .iter()
            .all(|f| fields_seen.contains(f)),
        "the walk reaches every kind of field: {fields_seen:?}"
    );
    assert!(
        bound_while_typing.is_empty(),
        "keys that type are bound to actions:\n{}",
        bound_while_typing.join("\n")
    );
}

#[test]
fn the_walk_catches_a_letter_bound_where_text_is_typed() {
    // The check above must be able to fail: a printable letter edits a
    // free-text field, and a digit edits an order number.
    let letter = parse_keys("n")[0];
    assert!(edits(Field::FreeText, letter));
    assert!(!edits(Field::Digits, letter));
    assert!(edits(Field::Digits, parse_keys("7")[0]));
    assert!(edits(Field::FreeText, parse_keys("<C-u>")[0]));
    assert!(!edits(Field::FreeText, parse_keys("<C-n>")[0]));
}

/// The hint line: the row above the (one-row) message line.
fn hint_line(h: &Harness, width: u16) -> String {
    let screen = h.screen_sized(width, 24);
    let rows: Vec<&str> = screen.lines().collect();
    rows[rows.len() - 2].trim_end().to_string()
}

#[test]
fn hints_that_do_not_fit_are_dropped_whole_least_important_first() {
    let mut h = stocked(contract::sqlite());
    h.keys("<F4><Enter>MUG-1<Enter>");
    h.state.message = None;
    let wide = hint_line(&h, 200);
    assert!(wide.starts_with("F1 keys"), "{wide}");
    assert!(!wide.contains("F1 more"), "{wide}");
    let narrow = hint_line(&h, 80);
    assert!(narrow.ends_with("F1 more"), "{narrow}");
    assert!(
        narrow.contains("F10 checkout") && narrow.contains("Enter add (empty: checkout)"),
        "the most important stay: {narrow}"
    );
    assert!(
        !narrow.contains("Esc clear"),
        "the least important go first: {narrow}"
    );
    // Every hint shown is a whole key and help from the table.
    let helps: Vec<String> = keys::bindings_for(&h.state)
        .iter()
        .map(|b| format!("{} {}", keys::short_key_label(b), b.help))
        .collect();
    for hint in narrow
        .trim_end_matches("F1 more")
        .split("  ")
        .filter(|s| !s.is_empty())
    {
        assert!(
            helps.contains(&hint.to_string()),
            "{hint:?} is not whole: {narrow}"
        );
    }
}

/// Esc is offered on the counter only when it has something to leave or
/// clear: on an empty field it would do nothing.
#[test]
fn esc_is_offered_on_the_counter_only_when_it_does_something() {
    let mut h = stocked(contract::sqlite());
    let offered = |h: &Harness| hint_line(h, 200).contains("Esc back / clear");
    h.keys("<F4>");
    assert!(!offered(&h), "{}", hint_line(&h, 200));
    h.keys("d");
    assert!(offered(&h), "text to clear");
    h.keys("<BS><Enter>");
    assert_eq!(h.state.order_entry.customer_input.value(), "Walk-in");
    assert!(!offered(&h), "an empty scan line: {}", hint_line(&h, 200));
    h.keys("mug");
    assert!(offered(&h), "text to clear");
    h.keys("-1<Enter><Up>");
    assert!(h.state.order_entry_in_cart());
    assert!(offered(&h), "the cart to leave");
    h.keys("<Esc>");
    assert!(!offered(&h), "{}", hint_line(&h, 200));
    h.keys("<S-Tab>");
    assert!(offered(&h), "Walk-in to clear");
}

contract_suite!(
    typing_on_products_searches_and_changes_no_product,
    typing_on_customers_searches_and_opens_no_form,
    a_search_left_on_a_screen_is_replaced_by_the_next_one_typed,
    the_list_moves_while_the_search_field_keeps_the_cursor,
    actions_on_customers_and_products_are_ctrl_keys,
    digits_on_order_status_go_to_the_order_number_at_once,
    every_status_change_asks_first_in_one_key,
    the_cart_is_entered_with_arrows_and_typing_returns_to_the_scan_line,
);
