//! How the counter's fields take keys, as a cashier types them: a choice
//! in a field is selected whole on arrival, Enter follows one rule on the
//! customer field and on the scan line, and the receipt beside the next
//! sale names what was placed. The tests taking a `TestShop` run on every
//! backend (`contract_suite!` at the end); the one about drawing alone runs
//! on SQLite: no backend changes what is drawn.

mod common;

use common::harness::{Harness, form};
use common::*;
use ratatui::style::Modifier;
use shopdesk::app::state::EntryFocus;
use shopdesk::domain::customer::WALK_IN_ID;
use shopdesk::tui::theme::Theme;

/// The counter at 80×24 on `shop`, stocked as the small shop.
fn counter(mut shop: TestShop) -> Harness {
    stock_small_shop(&mut shop);
    let mut h = Harness::on(shop);
    h.keys("<F4>");
    h
}

fn customer_field(h: &Harness) -> &shopdesk::app::text_field::TextField {
    &h.state.order_entry.customer_input
}

fn chosen_customer(h: &Harness) -> Option<i64> {
    h.state.order_entry.customer.as_ref().map(|c| c.id)
}

/// Whether the cell at column `x`, row `y` is drawn in reverse video.
fn reversed_at(h: &Harness, x: u16, y: u16) -> bool {
    let backend = h.backend();
    backend.buffer()[(x, y)]
        .modifier
        .contains(Modifier::REVERSED)
}

/// The customer field's first character, at 80×24.
const CUSTOMER_TEXT: (u16, u16) = (1, 2);

fn back_in_the_customer_field_the_choice_is_selected_and_typing_replaces_it(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>");
    assert_eq!(chosen_customer(&h), Some(WALK_IN_ID));
    assert_eq!(h.state.order_entry.focus, EntryFocus::Scan);
    h.keys("<S-Tab>");
    assert_eq!(h.state.order_entry.focus, EntryFocus::Customer);
    assert_eq!(customer_field(&h).value(), "Walk-in");
    assert!(customer_field(&h).is_selected_whole());
    h.keys("5550102");
    assert_eq!(
        customer_field(&h).value(),
        "5550102",
        "the first key replaced Walk-in, the others followed it"
    );
    assert_eq!(chosen_customer(&h), None, "typing drops the choice");
    h.keys("<Enter>");
    assert_eq!(chosen_customer(&h), Some(1), "Ann Lee, by her phone");

    // Tab (not only Shift-Tab) arrives too; Backspace clears the choice.
    h.keys("<Tab>");
    assert!(customer_field(&h).is_selected_whole());
    h.keys("<BS>");
    assert_eq!(customer_field(&h).value(), "");
    assert_eq!(chosen_customer(&h), None);
}

fn an_arrow_drops_the_selection_to_edit_the_choice_where_it_is(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter><Tab>");
    assert!(customer_field(&h).is_selected_whole());
    h.keys("<Home>");
    assert!(!customer_field(&h).is_selected_whole());
    assert_eq!(chosen_customer(&h), Some(WALK_IN_ID), "moving keeps it");
    h.keys("x");
    assert_eq!(customer_field(&h).value(), "xWalk-in");
    // Edited, it is typed text: arriving again selects nothing.
    h.keys("<Tab><Tab>");
    assert!(!customer_field(&h).is_selected_whole());
}

#[test]
fn the_selection_is_drawn_in_reverse_video_also_without_color() {
    for theme in [
        Theme::default(),
        Theme::for_terminal(Some("1".as_ref()), None),
    ] {
        let mut h = counter(contract::sqlite());
        h.theme = theme;
        h.keys("<Enter>");
        let (x, y) = CUSTOMER_TEXT;
        assert!(h.screen().lines().nth(2).unwrap().contains("│Walk-in"));
        assert!(!reversed_at(&h, x, y), "no selection without the cursor");
        h.keys("<Tab>");
        assert!(reversed_at(&h, x, y), "{theme:?}");
        h.keys("<End>");
        assert!(!reversed_at(&h, x, y), "{theme:?}");
    }
}

/// `shop` stocked as the small shop, with orders 1 and 2, pending.
fn two_orders(mut shop: TestShop) -> Harness {
    stock_small_shop(&mut shop);
    for _ in 0..2 {
        let order = new_order(WALK_IN_ID, &["MUG-1:1"]);
        shop.place_order(&order, at(1)).unwrap();
    }
    Harness::sized(80, 24, shop)
}

fn the_order_shown_on_order_status_is_selected_and_the_next_number_replaces_it(shop: TestShop) {
    let mut h = two_orders(shop);
    h.keys("<F6>1<Enter>");
    let number = |h: &Harness| h.state.order_status.number.clone();
    assert!(number(&h).is_selected_whole());
    assert!(reversed_at(&h, 1, 2), "{}", h.screen());
    h.keys("x");
    assert_eq!(
        number(&h).value(),
        "1",
        "a letter is no digit: nothing changes"
    );
    assert!(number(&h).is_selected_whole());
    h.keys("2");
    assert_eq!(number(&h).value(), "2");
    h.keys("<Enter>");
    assert_eq!(h.state.order_status.order.as_ref().unwrap().id, 2);
    h.keys("<BS>");
    assert_eq!(number(&h).value(), "", "Backspace clears the shown number");
    // Back on the screen, the order shown is selected again.
    h.keys("2<Enter><F5><F6>");
    assert!(number(&h).is_selected_whole());
}

/// `shop` stocked as the small shop, with records that share parts of their names and
/// codes: MUG-10 and Mug rack beside MUG-1, two papers' worth of "pa",
/// a product with digits in its name, and Annie, whose name holds "Ann"
/// and whose phone holds Ann's number.
fn counter_with_lookalikes(mut shop: TestShop) -> Harness {
    stock_small_shop(&mut shop);
    add_product(&mut shop, "MUG-10", "Mug rack", "20.00", 5);
    add_product(&mut shop, "PAP-A4", "Copy paper", "5.00", 50);
    add_product(&mut shop, "PAD-1", "Note pad", "2.00", 50);
    add_product(&mut shop, "PACK-100", "Pack of 100 clips", "3.00", 50);
    add_customer(&mut shop, "Annie Berg", "annie@example.org", "555-01029");
    let mut h = Harness::sized(80, 24, shop);
    h.keys("<F4>");
    h
}

fn cart(h: &Harness) -> Vec<(String, i64)> {
    let lines = &h.state.order_entry.cart;
    lines
        .iter()
        .map(|line| (line.product.sku.clone(), line.quantity.get()))
        .collect()
}

fn scan_line(h: &Harness) -> &str {
    h.state.order_entry.scan.value()
}

/// The title of the suggestions popup, as drawn.
fn popup_title(h: &Harness) -> String {
    let screen = h.screen();
    let line = screen
        .lines()
        .find(|line| line.contains(" for “"))
        .unwrap_or_else(|| panic!("no suggestions popup:\n{screen}"));
    line.trim_matches(|c| c != '┌' && c != '┐').to_string()
}

fn on_the_scan_line_an_exact_code_wins_over_its_lookalikes(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    h.keys("<Enter>MUG-1");
    assert_eq!(h.state.order_entry.product_matches.list.rows.len(), 2);
    h.keys("<Enter>");
    assert_eq!(cart(&h), [("MUG-1".to_string(), 1)]);
    h.keys("2*mug-10<Enter>");
    assert_eq!(cart(&h)[1], ("MUG-10".to_string(), 2), "in any case");
    assert_eq!(h.bells, 0);
}

fn on_the_scan_line_a_name_one_product_matches_is_taken(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    h.keys("<Enter>paper<Enter>");
    assert_eq!(cart(&h), [("PAP-A4".to_string(), 1)]);
    assert_eq!(scan_line(&h), "", "ready for the next scan");
    h.keys("3*clips<Enter>");
    assert_eq!(cart(&h)[1], ("PACK-100".to_string(), 3));
}

fn on_the_scan_line_unknown_digits_ring_and_clear_for_the_next_scan(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    // 100 is in a product's name, but digits are a scan: never taken for it.
    h.keys("<Enter>100<Enter>");
    assert_eq!(h.bells, 1);
    assert!(h.is_error(), "{}", h.message());
    assert!(
        h.message().contains("Unknown code “100”"),
        "{}",
        h.message()
    );
    assert_eq!(scan_line(&h), "");
    assert!(cart(&h).is_empty());
}

fn on_the_scan_line_other_text_opens_the_matches_and_keeps_the_text(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    h.keys("<Enter>pa<Enter>");
    let entry = &h.state.order_entry;
    assert!(entry.product_matches.entered, "the cashier is in the list");
    assert_eq!(scan_line(&h), "pa");
    assert!(cart(&h).is_empty());
    assert_eq!(h.bells, 0);
    assert!(
        popup_title(&h).starts_with("┌ 3 matches for “pa” "),
        "{}",
        h.screen()
    );
    assert!(h.screen().contains("↑↓ choose · Enter take · Esc back"));
    // Esc goes back to the field, the text kept; ↓ goes in again.
    h.keys("<Esc>");
    assert!(!h.state.order_entry.product_matches.entered);
    assert_eq!(scan_line(&h), "pa");
    h.keys("<Down><Down><Enter>");
    assert_eq!(
        cart(&h),
        [("PAD-1".to_string(), 1)],
        "the second match by name (Copy paper, Note pad, Pack of 100 clips)"
    );

    // Text nothing matches is said, rung, and kept to be corrected.
    h.keys("zzz<Enter>");
    assert_eq!(h.bells, 1);
    assert!(
        h.message().contains("No product matches “zzz”"),
        "{}",
        h.message()
    );
    assert_eq!(scan_line(&h), "zzz");
}

fn in_the_customer_field_an_exact_phone_or_email_wins(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    // Annie's number holds Ann's digits; Ann's number is hers exactly.
    h.keys("555-0102<Enter>");
    assert_eq!(chosen_customer(&h), Some(1));
    h.keys("<S-Tab>5550102<Enter>");
    assert_eq!(chosen_customer(&h), Some(1), "compared by its digits");
    h.keys("<S-Tab>ANNIE@example.org<Enter>");
    assert_eq!(
        customer_name(&h),
        "Annie Berg",
        "an email in any case, though the name search finds only her too"
    );
    h.keys("<S-Tab>ann@example.com<Enter>");
    assert_eq!(chosen_customer(&h), Some(1));
}

fn customer_name(h: &Harness) -> String {
    let customer = h.state.order_entry.customer.as_ref();
    customer.map(|c| c.name.clone()).unwrap_or_default()
}

fn in_the_customer_field_a_name_one_customer_matches_is_taken(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    h.keys("cole<Enter>");
    assert_eq!(customer_name(&h), "Dana Cole");
    assert_eq!(h.state.order_entry.focus, EntryFocus::Scan);
    // From a scanner's burst too: Enter looks the text up itself.
    h.burst("<S-Tab>berg<Enter>");
    assert_eq!(customer_name(&h), "Annie Berg");
}

fn in_the_customer_field_unknown_digits_ring_and_clear(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    h.keys("555<Enter>");
    assert_eq!(h.bells, 1);
    assert!(
        h.message().contains("Unknown code “555”"),
        "{}",
        h.message()
    );
    assert_eq!(customer_field(&h).value(), "");
    assert_eq!(chosen_customer(&h), None);
}

fn in_the_customer_field_other_text_opens_the_matches_and_keeps_the_text(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    h.keys("ann<Enter>");
    assert_eq!(chosen_customer(&h), None, "two match: none is taken");
    assert!(h.state.order_entry.customer_matches.entered);
    assert_eq!(customer_field(&h).value(), "ann");
    assert!(
        popup_title(&h).starts_with("┌ 2 matches for “ann” "),
        "{}",
        h.screen()
    );
    h.keys("<Down><Enter>");
    assert_eq!(customer_name(&h), "Annie Berg");

    h.keys("<S-Tab>zzz<Enter>");
    assert_eq!(h.bells, 1);
    assert!(
        h.message().contains("No customer matches “zzz”"),
        "{}",
        h.message()
    );
    assert_eq!(customer_field(&h).value(), "zzz");
}

fn after_a_pay_later_order_the_panel_calls_it_an_order_and_prints_it(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>MUG-1<Enter><Enter><Enter>");
    let sale = h.screen();
    assert!(sale.contains("Receipt of sale 1 — Ctrl-P prints"), "{sale}");

    h.keys("<S-Tab>cole<Enter>PEN-1<Enter><Enter>l<Enter>");
    assert!(
        h.message().contains("Order 2 placed") && h.message().contains("waits to be shipped"),
        "{}",
        h.message()
    );
    let screen = h.screen();
    assert!(
        screen.contains("┌ Order 2 — waiting to be shipped ─"),
        "{screen}"
    );
    assert!(!screen.contains("sale 2"), "{screen}");
    assert!(
        screen.contains("Order 2"),
        "its receipt is shown:\n{screen}"
    );
    // The receipt shown is the one printed.
    h.keys("<C-p>");
    let file = h.folder.path().join("receipts/ORDER-2.txt");
    assert!(h.message().contains("ORDER-2.txt"), "{}", h.message());
    assert!(std::fs::read_to_string(file).unwrap().contains("Dana Cole"));

    // The next sale paid at once is a sale again.
    h.keys("<Enter>MUG-1<Enter><Enter><Enter>");
    assert!(h.screen().contains("Receipt of sale 3"), "{}", h.screen());
}

fn after_a_pay_later_order_the_next_scan_starts_the_next_sale(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<S-Tab>cole<Enter>PEN-1<Enter><Enter>l<Enter>");
    assert!(h.message().contains("Order 1 placed"), "{}", h.message());
    assert_eq!(h.state.order_entry.focus, EntryFocus::Scan);
    assert_eq!(chosen_customer(&h), Some(WALK_IN_ID));
    let screen = h.screen();
    assert!(
        screen.contains("┌ Order 1 — waiting to be shipped") && screen.contains("Scan: code"),
        "the order's receipt beside a new Walk-in sale:\n{screen}"
    );
    h.keys("MUG-1<Enter>");
    assert_eq!(cart(&h), [("MUG-1".to_string(), 1)], "{}", h.screen());
    assert_eq!(h.bells, 0);
}

/// A message describes what is on screen or goes: a refusal of what was
/// typed in a field goes once that field takes a record or shows its
/// matches; a note about the cart stays while it holds.
fn a_refusal_of_what_was_typed_goes_once_the_field_is_settled(shop: TestShop) {
    let mut h = counter_with_lookalikes(shop);
    h.keys("zzz<Enter>");
    assert!(h.message().contains("No customer matches “zzz”"));
    h.keys("<BS><BS><BS>ann<Enter>");
    assert!(popup_title(&h).contains("“ann”"), "{}", h.screen());
    assert_eq!(h.message(), "", "the matches shown, “zzz” is gone");
    h.keys("<Esc><BS><BS><BS>0000<Enter>");
    assert!(h.message().contains("Unknown code “0000”"));
    h.keys("dana<Enter>");
    assert_eq!(customer_name(&h), "Dana Cole");
    assert_eq!(h.message(), "", "a customer chosen, the refusal is gone");

    h.keys("999<Enter>");
    assert!(h.message().contains("Unknown code “999”"));
    h.keys("pa<Enter>");
    assert!(popup_title(&h).contains("“pa”"), "{}", h.screen());
    assert_eq!(h.message(), "", "the matches shown, “999” is gone");
    h.keys("<Esc><Esc>*<Enter>");
    assert!(h.message().contains("no code after the *"));
    h.keys("MUG-1<Enter>");
    assert_eq!(h.message(), "", "a product added, the refusal is gone");

    // A choice still missing is said until it is made.
    h.keys("<S-Tab><BS><Tab><Enter>");
    assert!(h.message().contains("Choose the customer first"));
    h.keys("<Enter>");
    assert_eq!(chosen_customer(&h), Some(WALK_IN_ID));
    assert_eq!(h.message(), "");
}

fn order_status_says_nothing_of_an_order_no_longer_shown(shop: TestShop) {
    let mut h = two_orders(shop);
    h.keys("<F6>99<Enter>");
    assert!(h.is_error(), "{}", h.message());
    h.keys("<BS><BS>1<Enter>");
    assert_eq!(h.state.order_status.order.as_ref().unwrap().id, 1);
    assert_eq!(h.message(), "", "order 1 shown, “no order 99” is gone");
    h.keys("s<Enter>");
    assert!(
        h.message().contains("Order 1 is now shipped"),
        "{}",
        h.message()
    );
    h.keys("2<Enter>");
    assert_eq!(h.state.order_status.order.as_ref().unwrap().id, 2);
    assert_eq!(h.message(), "", "order 2 shown: order 1's news is gone");
}

/// The cursor left in the cart, the counter is opened again (F4, or
/// Ctrl-O on a customer): it is on the scan line, where `+` is typed,
/// not in the cart, where `+` adds one more.
fn back_on_the_counter_the_cursor_is_on_the_scan_line_not_in_the_cart(shop: TestShop) {
    for back in ["<F3><F4>", "<F2><C-o>"] {
        let mut h = counter(shop.fresh());
        h.keys("<Enter>MUG-1<Enter><Up>");
        assert!(h.state.order_entry_in_cart());
        h.keys(back).keys("+");
        assert!(!h.state.order_entry_in_cart(), "{back}");
        assert_eq!(cart(&h), [("MUG-1".to_string(), 1)], "{back}");
        assert_eq!(scan_line(&h), "+", "{back}");
    }
}

fn a_phone_number_no_customer_has_is_still_there_for_ctrl_n_to_register(shop: TestShop) {
    use shopdesk::app::form::FieldId;
    let mut h = counter_with_lookalikes(shop);
    h.keys("5550199<Enter>");
    assert!(
        h.message().contains("Ctrl-N registers it"),
        "{}",
        h.message()
    );
    assert_eq!(customer_field(&h).value(), "", "cleared for the next scan");
    h.keys("<C-n>");
    assert_eq!(
        form(&h).value(FieldId::Phone),
        "5550199",
        "nothing typed is lost"
    );
    // Esc, then something else typed: the number is forgotten.
    h.keys("<Esc>ann<C-u><C-n>");
    assert_eq!(form(&h).value(FieldId::Phone), "");
}

contract_suite!(
    back_in_the_customer_field_the_choice_is_selected_and_typing_replaces_it,
    an_arrow_drops_the_selection_to_edit_the_choice_where_it_is,
    the_order_shown_on_order_status_is_selected_and_the_next_number_replaces_it,
    on_the_scan_line_an_exact_code_wins_over_its_lookalikes,
    on_the_scan_line_a_name_one_product_matches_is_taken,
    on_the_scan_line_unknown_digits_ring_and_clear_for_the_next_scan,
    on_the_scan_line_other_text_opens_the_matches_and_keeps_the_text,
    in_the_customer_field_an_exact_phone_or_email_wins,
    in_the_customer_field_a_name_one_customer_matches_is_taken,
    in_the_customer_field_unknown_digits_ring_and_clear,
    in_the_customer_field_other_text_opens_the_matches_and_keeps_the_text,
    after_a_pay_later_order_the_panel_calls_it_an_order_and_prints_it,
    after_a_pay_later_order_the_next_scan_starts_the_next_sale,
    a_refusal_of_what_was_typed_goes_once_the_field_is_settled,
    order_status_says_nothing_of_an_order_no_longer_shown,
    back_on_the_counter_the_cursor_is_on_the_scan_line_not_in_the_cart,
    a_phone_number_no_customer_has_is_still_there_for_ctrl_n_to_register,
);
