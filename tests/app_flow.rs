//! The app driven by keys, without a terminal: each test presses keys
//! through the real key table and effect runner, then checks the state
//! and what was stored.
//!
//! The tests taking a `TestShop` run on every backend (`contract_suite!`
//! at the end). Those about the key table alone (Alt+digits, the help)
//! run on SQLite: no backend changes what a key does.

mod common;

use common::harness::{Harness, form, question};
use common::*;
use shopdesk::app::{Action, Popup, Screen, keys};
use shopdesk::domain::Cents;
use shopdesk::domain::order::Status;

/// `shop` with Ann and Bob (customers 1 and 2), a mug at $12.50 × 20, a
/// pen at $1.99 × 100 and a tea cup at $4.00 × 1, in the app at 80×24.
fn stocked(mut shop: TestShop) -> Harness {
    add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    add_customer(&mut shop, "Bob Ray", "bob@example.com", "");
    add_product(&mut shop, "MUG-1", "Blue mug", "12.50", 20);
    add_product(&mut shop, "PEN-1", "Red pen", "1.99", 100);
    add_product(&mut shop, "CUP-1", "Tea cup", "4.00", 1);
    Harness::on(shop)
}

fn registering_a_customer_in_the_form_selects_them_in_the_list(shop: TestShop) {
    let mut h = Harness::on(shop);
    let screen = h.screen();
    assert!(
        screen.contains("Walk-in") && screen.contains("(built-in, no email)"),
        "{screen}"
    );
    h.keys("<C-n>Nora Quist<Tab>nora@example.com<Tab>+1 555 0100<Enter>");
    assert!(h.state.popup.is_none(), "the form closes on success");
    assert!(
        h.message().contains("Customer 1 saved: Nora Quist"),
        "{}",
        h.message()
    );
    let selected = h
        .state
        .customers
        .list
        .selected_row()
        .expect("the new customer is selected");
    assert_eq!(
        (selected.name.as_str(), selected.phone.as_deref()),
        ("Nora Quist", Some("+1 555 0100"))
    );
    assert_eq!(
        h.shop.search_customers("", 10).unwrap().len(),
        2,
        "Nora and Walk-in"
    );
}

fn a_failed_submit_keeps_everything_typed_and_shows_the_error_at_its_field(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<C-n>Nora<Tab>nora-at-example<Tab>555 0100<Enter>");
    let f = form(&h);
    assert_eq!(f.value(shopdesk::app::form::FieldId::Name), "Nora");
    assert_eq!(f.value(shopdesk::app::form::FieldId::Phone), "555 0100");
    let email = &f.fields[1];
    assert!(
        email.error.as_deref().unwrap().contains("has no @"),
        "{:?}",
        email.error
    );
    assert_eq!(f.focus, 1, "the cursor goes to the field in error");
    assert_eq!(
        h.shop.search_customers("", 10).unwrap().len(),
        3,
        "nothing stored"
    );

    // The store's refusal (a taken email) lands at the email field too.
    h.keys("<C-u>ANN@example.com<Enter>");
    let email = &form(&h).fields[1];
    assert!(
        email
            .error
            .as_deref()
            .unwrap()
            .contains("already used by customer 1"),
        "{:?}",
        email.error
    );
    assert_eq!(form(&h).value(shopdesk::app::form::FieldId::Name), "Nora");

    h.keys("<End>")
        .keys(&"<BS>".repeat(20))
        .keys("nora@example.com<Enter>");
    assert!(h.state.popup.is_none());
    assert_eq!(h.shop.search_customers("", 10).unwrap().len(), 4);
    let screen = h.screen();
    assert!(screen.contains("Customer 3 saved: Nora"), "{screen}");
}

fn editing_a_customer_starts_from_their_details(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<C-d>");
    assert_eq!(
        form(&h).value(shopdesk::app::form::FieldId::Email),
        "ann@example.com"
    );
    h.keys("<Tab><Tab>")
        .keys(&"<BS>".repeat(12))
        .keys("<Enter>");
    assert_eq!(
        h.shop.customer(1).unwrap().phone,
        None,
        "the phone was emptied"
    );
    h.keys("<C-d><Esc>");
    assert!(h.state.popup.is_none());
    assert_eq!(h.message(), "Nothing was saved.");
}

fn a_customer_is_registered_with_a_phone_alone_but_not_with_neither(shop: TestShop) {
    use shopdesk::app::form::FieldId;
    let mut h = Harness::on(shop);
    h.keys("<C-n>Cam Ortiz<Enter>");
    let email = &form(&h).fields[1];
    assert_eq!(
        email.error.as_deref(),
        Some("give an email or a phone number, or both")
    );
    assert_eq!(form(&h).focus, 1, "the cursor goes to the email");
    assert_eq!(
        h.shop.search_customers("", 10).unwrap().len(),
        1,
        "nothing stored"
    );

    h.keys("<Tab>+1 (555) 010-7788<Enter>");
    assert!(h.state.popup.is_none(), "{:?}", h.state.popup);
    let cam = h.shop.customer(1).unwrap();
    assert_eq!(
        (cam.email.as_deref(), cam.phone.as_deref()),
        (None, Some("+1 (555) 010-7788"))
    );
    let row = h
        .screen()
        .lines()
        .find(|line| line.contains("Cam Ortiz"))
        .unwrap()
        .to_string();
    assert!(
        row.contains("Cam Ortiz")
            && row.contains("+1 (555) 010-7788")
            && !row.contains("(built-in"),
        "an empty email column: {row}"
    );
    // Found by name and by digits; editing keeps the shared-number question
    // out of the way of a customer's own number.
    h.keys("5550107788");
    assert_eq!(h.state.customers.list.selected_row().unwrap().id, 1);
    h.keys("<C-d>");
    assert_eq!(form(&h).value(FieldId::Email), "");
    h.keys("<Tab>cam@example.com<Tab><C-u><Enter>");
    assert!(h.state.popup.is_none(), "{:?}", h.state.popup);
    let cam = h.shop.customer(1).unwrap();
    assert_eq!(
        (cam.email.as_deref(), cam.phone),
        (Some("cam@example.com"), None),
        "swapped the phone for an email"
    );
}

fn a_phone_number_another_customer_has_is_asked_about_over_the_form(shop: TestShop) {
    use shopdesk::app::form::FieldId;
    let mut h = stocked(shop);
    h.keys("<C-n>Bo Lee<Tab><Tab>(555) 0102<Enter>");
    assert_eq!(question(&h), "Ann Lee has this number: register anyway?");
    assert!(
        matches!(&h.state.popup, Some(Popup::Confirm { behind: Some(form), .. })
            if matches!(**form, Popup::Form(_))),
        "asked over the form, which comes back after"
    );
    let screen = h.screen();
    assert!(screen.contains("register anyway?"), "{screen}");
    assert_eq!(
        h.shop.search_customers("", 10).unwrap().len(),
        3,
        "nothing stored yet"
    );

    // Esc: back to the form, as typed, the reason beside the phone.
    h.keys("<Esc>");
    let f = form(&h);
    assert_eq!(
        (f.value(FieldId::Name), f.value(FieldId::Phone)),
        ("Bo Lee", "(555) 0102")
    );
    assert_eq!(
        f.fields[2].error.as_deref(),
        Some("Ann Lee (customer 1) already has the phone number 555-0102")
    );
    assert_eq!(h.shop.search_customers("", 10).unwrap().len(), 3);

    // Enter saves again, and Enter answers yes.
    h.keys("<Enter><Enter>");
    assert!(h.state.popup.is_none(), "{:?}", h.state.popup);
    assert_eq!(h.message(), "Customer 3 saved: Bo Lee");
    let sharing: Vec<String> = h
        .shop
        .search_customers("5550102", 10)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(sharing, ["Ann Lee", "Bo Lee"]);

    // An edit to another's number asks the same way.
    h.keys("<Esc>bob<C-d><Tab><Tab>555-0102<Enter>");
    assert_eq!(question(&h), "Ann Lee has this number: save anyway?");
    h.keys("<Enter>");
    assert_eq!(
        h.shop.customer(2).unwrap().phone.as_deref(),
        Some("555-0102")
    );
}

fn search_as_you_type_and_letters_in_the_search_are_text(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("bo");
    let names: Vec<_> = h
        .state
        .customers
        .list
        .rows
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(names, ["Bob Ray"]);
    h.keys("<BS><BS>jk");
    assert_eq!(
        h.state.customers.search.value(),
        "jk",
        "j and k are typed: the search field always has the cursor"
    );
    h.keys("<Esc><Down>");
    assert_eq!(
        h.state.customers.search.value(),
        "",
        "Esc clears the search"
    );
    assert_eq!(h.state.customers.list.selected, 1, "↓ moves down");
    h.keys("<Up>");
    assert_eq!(h.state.customers.list.selected, 0);
    h.keys("0102");
    assert_eq!(
        h.state.customers.list.rows[0].name, "Ann Lee",
        "phone digits find a customer"
    );
}

fn long_lists_read_more_pages_as_the_selection_moves_down(mut shop: TestShop) {
    for i in 0..250 {
        add_customer(
            &mut shop,
            &format!("Customer {i:03}"),
            &format!("c{i}@example.com"),
            "",
        );
    }
    let mut h = Harness::on(shop);
    assert_eq!(h.state.customers.list.rows.len(), 100, "one page at first");
    h.keys(&"<PgDn>".repeat(15));
    assert_eq!(
        h.state.customers.list.rows.len(),
        251,
        "and the Walk-in customer"
    );
    h.keys("<C-End><Up>");
    assert_eq!(
        h.state.customers.list.selected_row().unwrap().name,
        "Customer 249"
    );
    let screen = h.screen();
    assert!(
        screen.contains("Customer 249") && screen.contains("Walk-in"),
        "the window follows the selection:\n{screen}"
    );
    h.keys("<C-Home>");
    assert!(h.screen().contains("Customer 000"));
}

fn products_are_added_restocked_and_archived_with_a_confirmation(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F3><C-n>LAMP-1<Tab>Desk lamp<Tab>39.90<Tab>3<Enter>");
    assert_eq!(h.shop.product("LAMP-1").unwrap().price, Cents::new(3990));
    assert_eq!(h.state.products.list.selected_row().unwrap().sku, "LAMP-1");

    h.keys("<C-r>5<Enter>");
    assert_eq!(h.shop.product("LAMP-1").unwrap().stock, 8);
    h.keys("<C-r><Tab>2<Enter>");
    assert_eq!(h.shop.product("LAMP-1").unwrap().stock, 2);
    h.keys("<C-r>1<Tab>1<Enter>");
    assert!(
        form(&h).fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("one of the two")
    );
    h.keys("<Esc>");

    h.keys("<C-x>");
    assert!(matches!(h.state.popup, Some(Popup::Confirm { .. })));
    h.keys("<Esc>");
    assert!(
        h.shop.product("LAMP-1").unwrap().active,
        "no: nothing happens"
    );
    h.keys("<C-x><Enter>");
    assert!(!h.shop.product("LAMP-1").unwrap().active);
    assert!(h.screen().contains("archived"));
    h.keys("<C-x>");
    assert!(
        h.shop.product("LAMP-1").unwrap().active,
        "unarchiving needs no confirmation"
    );

    h.keys("<C-n>MUG-1<Tab>Other<Tab>1<Tab>1<Enter>");
    let sku = &form(&h).fields[0];
    assert!(
        sku.error
            .as_deref()
            .unwrap()
            .contains("already used by product 1"),
        "{:?}",
        sku.error
    );
}

fn history_status_filter_and_moving_an_order_through_its_statuses(shop: TestShop) {
    let mut h = stocked(shop);
    for items in [&["MUG-1:2"][..], &["PEN-1:3"], &["MUG-1:1", "PEN-1:1"]] {
        h.shop.place_order(&new_order(1, items), at(1)).unwrap();
    }
    h.shop
        .place_order(&new_order(2, &["CUP-1:1"]), at(2))
        .unwrap();

    h.keys("<Enter>");
    assert_eq!(h.state.screen, Screen::History);
    assert_eq!(h.state.history.list.rows.len(), 3, "Ann's orders only");
    assert!(h.screen().contains("Orders of Ann Lee"));
    h.keys("w");
    assert_eq!(h.state.history.list.rows.len(), 4, "the whole shop");
    assert_eq!(h.state.history.list.rows[0].id, 4, "newest first");

    h.keys("j<Enter>");
    assert_eq!(h.state.screen, Screen::OrderStatus);
    assert_eq!(h.state.order_status.order.as_ref().unwrap().id, 3);
    assert!(
        !keys::available(&h.state, shopdesk::app::Command::Deliver),
        "only allowed moves are offered"
    );
    h.keys("d");
    assert_eq!(
        h.shop.order(3).unwrap().status,
        Status::Pending,
        "d does nothing for a pending order"
    );
    h.keys("s");
    assert_eq!(
        h.shop.order(3).unwrap().status,
        Status::Pending,
        "s asks first"
    );
    h.keys("<Enter>");
    assert_eq!(h.shop.order(3).unwrap().status, Status::Shipped);
    assert!(h.message().contains("Order 3 is now shipped."));
    h.keys("c");
    assert!(h.state.popup.is_none(), "a shipped order offers no cancel");
    h.keys("d<Enter>");
    assert_eq!(h.shop.order(3).unwrap().status, Status::Delivered);
    let screen = h.screen();
    assert!(
        screen.contains("pending → shipped") && screen.contains("shipped → delivered"),
        "{screen}"
    );
    assert!(screen.contains("none: this order is final"), "{screen}");

    h.keys("<Esc>");
    assert_eq!(
        h.state.screen,
        Screen::History,
        "Esc goes back to where the order was opened"
    );
    h.keys("s");
    assert_eq!(h.state.history.status, Some(Status::Pending));
    assert_eq!(h.state.history.list.rows.len(), 3);
}

fn canceling_asks_first_and_restores_the_stock(shop: TestShop) {
    let mut h = stocked(shop);
    h.shop
        .place_order(&new_order(1, &["MUG-1:5"]), at(1))
        .unwrap();
    h.keys("<F6>1<Enter>");
    assert_eq!(
        h.state.order_status.order.as_ref().unwrap().status,
        Status::Pending
    );
    h.keys("c");
    match &h.state.popup {
        Some(Popup::Confirm { question, .. }) => {
            assert!(question.contains("Back in stock: 5 items."), "{question}")
        }
        other => panic!("{other:?}"),
    }
    h.keys("<Esc>");
    assert_eq!(h.shop.order(1).unwrap().status, Status::Pending);
    h.keys("c<Enter>");
    assert_eq!(h.shop.order(1).unwrap().status, Status::Canceled);
    assert_eq!(h.shop.product("MUG-1").unwrap().stock, 20);
    assert!(
        h.message().contains("Back in stock: 5 items"),
        "{}",
        h.message()
    );

    h.keys("<Esc>99<Enter>");
    assert!(
        h.is_error() && h.message().contains("no order number 99"),
        "{}",
        h.message()
    );
    h.keys("abc");
    assert_eq!(
        h.state.order_status.number.value(),
        "99",
        "only digits are typed into an order number"
    );
}

#[test]
fn alt_digits_open_the_screens_like_f_keys() {
    let mut h = stocked(contract::sqlite());
    for (key, screen) in [
        ("<A-3>", Screen::Products),
        ("<A-4>", Screen::OrderEntry),
        ("<A-5>", Screen::History),
        ("<A-6>", Screen::OrderStatus),
        ("<A-2>", Screen::Customers),
    ] {
        h.keys(key);
        assert_eq!(h.state.screen, screen, "{key}");
    }
    // Also while typing in a field.
    h.keys("ann<A-3>");
    assert_eq!(h.state.screen, Screen::Products);
}

#[test]
fn help_lists_every_key_of_the_screen_from_the_key_table() {
    let mut h = stocked(contract::sqlite());
    for screen_key in ["<F2>", "<F3>", "<F4>", "<F5>", "<F6>"] {
        h.keys(screen_key);
        let bindings = keys::bindings_for(&h.state);
        h.keys("<F1>");
        assert!(matches!(h.state.popup, Some(Popup::Help)));
        // Tall enough for every line of help.
        let text = h.screen_sized(120, 60);
        for binding in bindings {
            assert!(
                text.contains(binding.help),
                "{screen_key}: help lacks “{}”:\n{text}",
                binding.help
            );
        }
        h.keys("<Esc>");
        assert!(h.state.popup.is_none());
    }
}

#[test]
fn alt_digits_do_what_the_f_keys_do_on_every_screen() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    // Where the keys are pressed: each screen, text fields with the
    // cursor, and a counter with a sale (F8 parks, F9 voids, F10 checks out).
    let situations = [
        "",
        "<F3>",
        "<F3>mug",
        "<F4>",
        "<F4><Enter>MUG-1<Enter>",
        "<F5>",
        "<F6>1",
    ];
    let mut bound = [0usize; 10];
    for situation in situations {
        for n in 1u8..=10 {
            let digit = char::from(b'0' + n % 10);
            let mut by_f_key = stocked(contract::sqlite());
            let mut by_alt = stocked(contract::sqlite());
            by_f_key.keys(situation);
            by_alt.keys(situation);
            let f_key = KeyEvent::new(KeyCode::F(n), KeyModifiers::NONE);
            let alt = KeyEvent::new(KeyCode::Char(digit), KeyModifiers::ALT);
            let action = keys::action_for(&by_f_key.state, f_key);
            // An unbound F-key reaches the field as an edit that does
            // nothing; the outcomes below must then be equal too.
            if let Some(Action::Command(command)) = action {
                bound[usize::from(n - 1)] += 1;
                let by_alt = keys::action_for(&by_alt.state, alt);
                assert!(
                    matches!(by_alt, Some(Action::Command(alt)) if alt == command),
                    "{situation}: F{n} is {command:?}, Alt+{digit} is {by_alt:?}"
                );
            }
            by_f_key.press(f_key);
            by_alt.press(alt);
            let outcome = |h: &Harness| {
                let parked = h.shop.parked_sales().unwrap().len();
                (h.screen(), h.message(), count_orders(&h.shop), parked)
            };
            assert_eq!(
                outcome(&by_f_key),
                outcome(&by_alt),
                "{situation}: F{n} and Alt+{digit}"
            );
        }
    }
    // Every F-key of the key table was reached in some situation.
    for (index, times) in bound.iter().enumerate() {
        let n = u8::try_from(index + 1).unwrap();
        let in_table = keys::KEYS.iter().any(|b| b.code == KeyCode::F(n));
        assert_eq!(*times > 0, in_table, "F{n} reached: {times} times");
    }
}

/// The print effects among `effects`.
fn prints(effects: &[shopdesk::app::Effect]) -> usize {
    effects
        .iter()
        .filter(|effect| matches!(effect, shopdesk::app::Effect::Print(_)))
        .count()
}

#[test]
fn ctrl_p_again_while_a_receipt_is_printing_does_not_print_it_twice() {
    use shopdesk::app::{AppState, update};
    let mut state = AppState::new(80, 24);
    let ready = || Action::ReceiptReady {
        order_id: 7,
        receipt: "RECEIPT 7\n".to_string(),
    };
    assert_eq!(prints(&update(&mut state, ready())), 1);
    // The printer is slow; the cashier presses Ctrl-P again, twice.
    assert_eq!(prints(&update(&mut state, ready())), 0);
    assert_eq!(prints(&update(&mut state, ready())), 0);
    let said = state.message.as_ref().unwrap().text.clone();
    assert!(
        said.contains("order 7") && said.contains("still printing"),
        "{said}"
    );
    // Another order's receipt prints meanwhile.
    let other = Action::ReceiptReady {
        order_id: 8,
        receipt: "RECEIPT 8\n".to_string(),
    };
    assert_eq!(prints(&update(&mut state, other)), 1);
    // Once it has printed (or failed), it can be printed again.
    update(
        &mut state,
        Action::ReceiptPrinted {
            order_id: 7,
            outcome: Ok("Receipt of order 7 sent to the printer.".to_string()),
        },
    );
    assert_eq!(prints(&update(&mut state, ready())), 1);
    update(
        &mut state,
        Action::ReceiptPrinted {
            order_id: 7,
            outcome: Err("Receipt of order 7 not printed: no paper".to_string()),
        },
    );
    assert!(state.message.as_ref().unwrap().text.contains("no paper"));
    assert_eq!(prints(&update(&mut state, ready())), 1);
}

contract_suite!(
    registering_a_customer_in_the_form_selects_them_in_the_list,
    a_failed_submit_keeps_everything_typed_and_shows_the_error_at_its_field,
    editing_a_customer_starts_from_their_details,
    a_customer_is_registered_with_a_phone_alone_but_not_with_neither,
    a_phone_number_another_customer_has_is_asked_about_over_the_form,
    search_as_you_type_and_letters_in_the_search_are_text,
    long_lists_read_more_pages_as_the_selection_moves_down,
    products_are_added_restocked_and_archived_with_a_confirmation,
    history_status_filter_and_moving_an_order_through_its_statuses,
    canceling_asks_first_and_restores_the_stock,
);
