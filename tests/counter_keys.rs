//! How the counter's fields take keys, as a cashier types them: a choice
//! in a field is selected whole on arrival, Enter follows one rule on the
//! customer field and on the scan line, and the receipt beside the next
//! sale names what was placed.

mod common;

use common::harness::Harness;
use common::*;
use ratatui::style::Modifier;
use shopdesk::app::state::EntryFocus;
use shopdesk::domain::customer::WALK_IN_ID;
use shopdesk::tui::theme::Theme;

fn counter() -> Harness {
    let mut h = Harness::sized(80, 24, small_shop());
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

#[test]
fn back_in_the_customer_field_the_choice_is_selected_and_typing_replaces_it() {
    let mut h = counter();
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

#[test]
fn an_arrow_drops_the_selection_to_edit_the_choice_where_it_is() {
    let mut h = counter();
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
        let mut h = counter();
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

#[test]
fn the_order_shown_on_order_status_is_selected_and_the_next_number_replaces_it() {
    let mut shop = small_shop();
    for _ in 0..2 {
        let order = new_order(WALK_IN_ID, &["MUG-1:1"]);
        shop.place_order(&order, at(1)).unwrap();
    }
    let mut h = Harness::sized(80, 24, shop);
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
