//! Small things of the counter screen (F4), through the keys a cashier
//! presses: which receipt is shown and printed, the tendered amount in
//! checkout, the change due after a sale, and messages about cart lines.

mod common;

use common::harness::Harness;
use common::*;
use shopdesk::app::Popup;
use shopdesk::domain::Cents;
use shopdesk::domain::order::{Payment, PaymentMethod};

const MUG: &str = "4006381333931";

fn counter() -> Harness {
    let mut shop = new_store();
    add_product(&mut shop, MUG, "Blue mug", "12.50", 20);
    add_product(&mut shop, "CUP-1", "Tea cup", "4.00", 1);
    let mut h = Harness::sized(120, 40, shop);
    h.keys("<F4><Enter>");
    h
}

#[test]
fn the_receipt_shown_and_printed_is_the_last_order_placed_even_pay_later() {
    let mut h = counter();
    let printed = h.shop.dir.path().join("printed.txt");
    h.state.receipt_command = Some(format!("cat > '{}'", printed.display()));
    // Sale 1 paid now, order 2 placed to pay later.
    h.keys(&format!("{MUG}<Enter><Enter><Enter>"));
    h.keys("<Enter>CUP-1<Enter><Enter>l<Enter>");
    assert!(h.message().contains("Order 2 placed"), "{}", h.message());
    let screen = h.screen();
    assert!(
        screen.contains("Order 2 — waiting to be shipped"),
        "{screen}"
    );
    h.keys("<C-p>");
    let paper = std::fs::read_to_string(&printed).unwrap();
    assert!(
        paper.contains("Order 2") && paper.contains("Tea cup"),
        "{paper}"
    );
}

fn tendered(h: &Harness) -> String {
    let Some(Popup::Checkout(checkout)) = &h.state.popup else {
        panic!("no checkout")
    };
    checkout.tendered.value().to_string()
}

#[test]
fn cycling_the_payment_method_keeps_the_amount_tendered() {
    let mut h = counter();
    h.keys(&format!("{MUG}<Enter><Enter>50"));
    h.keys("<Tab>");
    assert_eq!(tendered(&h), "50", "kept while card is chosen");
    h.keys("<Tab><Tab><Tab>");
    assert_eq!(tendered(&h), "50", "back at cash after a full turn");
    assert!(h.screen().contains("Change due: $37.50"), "{}", h.screen());
    // Card chosen after typing cash: the amount is not part of a card payment.
    h.keys("<Tab><Enter>");
    let order = h.shop.order(1).unwrap();
    assert_eq!(
        order.payment,
        Some(Payment {
            method: PaymentMethod::Card,
            tendered: None
        })
    );
}

fn total_box_title(h: &Harness) -> String {
    let screen = h.screen();
    let top = screen.lines().nth(1).unwrap_or_default().to_string();
    top.rsplit('┌').next().unwrap_or_default().to_string()
}

#[test]
fn the_change_due_shows_large_until_the_next_scan() {
    let mut h = counter();
    h.keys(&format!("{MUG}<Enter><Enter>50<Enter>"));
    assert_eq!(h.state.order_entry.change_due, Some(Cents::new(3750)));
    assert!(
        total_box_title(&h).starts_with(" CHANGE "),
        "{}",
        h.screen()
    );
    assert!(h.screen().contains("change due"), "{}", h.screen());
    h.keys("CUP-1<Enter>");
    assert_eq!(h.state.order_entry.change_due, None);
    assert!(total_box_title(&h).starts_with(" TOTAL "), "{}", h.screen());
    assert!(!h.screen().contains("change due"), "{}", h.screen());
}

#[test]
fn a_sale_without_an_amount_tendered_has_no_change_to_show() {
    let mut h = counter();
    h.keys(&format!("{MUG}<Enter><Enter>k<Enter>"));
    assert_eq!(h.state.order_entry.change_due, None);
    assert!(total_box_title(&h).starts_with(" TOTAL "), "{}", h.screen());
}

const CUP_SHORT: &str = "Tea cup: 2 in the cart, 1 in stock.";

#[test]
fn a_note_about_a_cart_line_goes_with_the_line() {
    let mut h = counter();
    h.keys("CUP-1<Enter>CUP-1<Enter>");
    assert_eq!(h.message(), CUP_SHORT);
    h.keys("<Up><Del>");
    assert!(h.state.order_entry.cart.is_empty());
    assert_eq!(h.message(), "", "the line is gone, so is its note");
}

#[test]
fn a_note_about_a_cart_line_follows_its_quantity() {
    let mut h = counter();
    h.keys("CUP-1<Enter>CUP-1<Enter>");
    h.keys("<Up>-");
    assert_eq!(h.message(), "", "one cup is in stock: nothing to say");
    h.keys("+");
    assert_eq!(h.message(), CUP_SHORT);
    assert!(h.is_error());
}

#[test]
fn deleting_another_line_still_names_the_line_short_of_stock() {
    let mut h = counter();
    h.keys("2*CUP-1<Enter>");
    h.keys(&format!("{MUG}<Enter>"));
    assert_eq!(h.message(), CUP_SHORT, "the cart is still short of cups");
    h.keys("<Down><Del>");
    assert_eq!(h.message(), CUP_SHORT);
}

#[test]
fn undo_says_so_and_names_a_line_short_of_stock_it_brings_back() {
    let mut h = counter();
    h.keys("2*CUP-1<Enter><Up><Del><C-z>");
    assert_eq!(
        h.message(),
        format!("The last change to the cart was undone. {CUP_SHORT}")
    );
}

#[test]
fn digits_typed_while_the_cash_field_is_hidden_go_nowhere() {
    let mut h = counter();
    h.keys(&format!("{MUG}<Enter><Enter>k5"));
    assert_eq!(tendered(&h), "", "no cash field shows while card is chosen");
    h.keys("c");
    assert!(
        h.screen().contains("Type what was handed over"),
        "{}",
        h.screen()
    );
}

#[test]
fn checkout_says_what_enter_places_a_sale_or_an_order_to_ship() {
    let mut h = counter();
    h.keys(&format!("{MUG}<Enter><Enter>"));
    assert!(
        h.screen().contains("Enter places the sale"),
        "{}",
        h.screen()
    );
    h.keys("l");
    let screen = h.screen();
    assert!(
        screen.contains("Enter places the order to ship"),
        "{screen}"
    );
    assert!(!screen.contains("places the sale"), "{screen}");
}
