//! Small things of the counter screen (F4), through the keys a cashier
//! presses: which receipt is shown and printed, the tendered amount in
//! checkout, the change due after a sale, and messages about cart lines.
//! Every test runs on every backend (`contract_suite!` at the end).

mod common;

use common::harness::Harness;
use common::*;
use shopdesk::app::Popup;
use shopdesk::domain::Cents;
use shopdesk::domain::order::{Payment, PaymentMethod};

const MUG: &str = "4006381333931";

/// The counter at 120×40 on `shop` with a mug at $12.50 × 20 and a tea
/// cup at $4.00 × 1, a Walk-in sale begun.
fn counter(mut shop: TestShop) -> Harness {
    add_product(&mut shop, MUG, "Blue mug", "12.50", 20);
    add_product(&mut shop, "CUP-1", "Tea cup", "4.00", 1);
    let mut h = Harness::sized(120, 40, shop);
    h.keys("<F4><Enter>");
    h
}

fn the_receipt_shown_and_printed_is_the_last_order_placed_even_pay_later(shop: TestShop) {
    let mut h = counter(shop);
    let printed = h.folder.path().join("printed.txt");
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

fn cycling_the_payment_method_keeps_the_amount_tendered(shop: TestShop) {
    let mut h = counter(shop);
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

fn the_change_due_shows_large_until_the_next_scan(shop: TestShop) {
    let mut h = counter(shop);
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

fn a_sale_without_an_amount_tendered_has_no_change_to_show(shop: TestShop) {
    let mut h = counter(shop);
    h.keys(&format!("{MUG}<Enter><Enter>k<Enter>"));
    assert_eq!(h.state.order_entry.change_due, None);
    assert!(total_box_title(&h).starts_with(" TOTAL "), "{}", h.screen());
}

const CUP_SHORT: &str = "Tea cup: 2 in the cart, 1 in stock.";

fn a_note_about_a_cart_line_goes_with_the_line(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("CUP-1<Enter>CUP-1<Enter>");
    assert_eq!(h.message(), CUP_SHORT);
    h.keys("<Up><Del>");
    assert!(h.state.order_entry.cart.is_empty());
    assert_eq!(h.message(), "", "the line is gone, so is its note");
}

fn a_note_about_a_cart_line_follows_its_quantity(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("CUP-1<Enter>CUP-1<Enter>");
    h.keys("<Up>-");
    assert_eq!(h.message(), "", "one cup is in stock: nothing to say");
    h.keys("+");
    assert_eq!(h.message(), CUP_SHORT);
    assert!(h.is_error());
}

fn deleting_another_line_still_names_the_line_short_of_stock(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("2*CUP-1<Enter>");
    h.keys(&format!("{MUG}<Enter>"));
    assert_eq!(h.message(), CUP_SHORT, "the cart is still short of cups");
    h.keys("<Down><Del>");
    assert_eq!(h.message(), CUP_SHORT);
}

fn undo_says_so_and_names_a_line_short_of_stock_it_brings_back(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("2*CUP-1<Enter><Up><Del><C-z>");
    assert_eq!(
        h.message(),
        format!("The last change to the cart was undone. {CUP_SHORT}")
    );
}

fn digits_typed_while_the_cash_field_is_hidden_go_nowhere(shop: TestShop) {
    let mut h = counter(shop);
    h.keys(&format!("{MUG}<Enter><Enter>k5"));
    assert_eq!(tendered(&h), "", "no cash field shows while card is chosen");
    h.keys("c");
    assert!(
        h.screen().contains("Type what was handed over"),
        "{}",
        h.screen()
    );
}

fn checkout_says_what_enter_places_a_sale_or_an_order_to_ship(shop: TestShop) {
    let mut h = counter(shop);
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

contract_suite!(
    the_receipt_shown_and_printed_is_the_last_order_placed_even_pay_later,
    cycling_the_payment_method_keeps_the_amount_tendered,
    the_change_due_shows_large_until_the_next_scan,
    a_sale_without_an_amount_tendered_has_no_change_to_show,
    a_note_about_a_cart_line_goes_with_the_line,
    a_note_about_a_cart_line_follows_its_quantity,
    deleting_another_line_still_names_the_line_short_of_stock,
    undo_says_so_and_names_a_line_short_of_stock_it_brings_back,
    digits_typed_while_the_cash_field_is_hidden_go_nowhere,
    checkout_says_what_enter_places_a_sale_or_an_order_to_ship,
);
