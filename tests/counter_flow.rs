//! The counter (F4) driven by keys, without a terminal: Walk-in sales,
//! scans and multipliers, suggestions, the cart keys, undo, void, checkout
//! with and without cash tendered, changed prices, parking and resuming,
//! receipts. Every test runs on every backend (`contract_suite!` at the
//! end).

mod common;

use common::harness::{Harness, cart, form, question};
use common::*;
use shopdesk::app::state::EntryFocus;
use shopdesk::app::{AppState, Popup};
use shopdesk::domain::Cents;
use shopdesk::domain::customer::WALK_IN_ID;
use shopdesk::domain::order::{PaymentMethod, Status};
use shopdesk::domain::product::ProductChanges;

const MUG: &str = "4006381333931";
const PEN: &str = "4006381333948";

/// `shop` with Ann (customer 1), a mug at $12.50 × 20, a pen at $1.99 ×
/// 100 and a tea cup at $4.00 × 1, in the app at 120×40 on the counter.
fn counter(mut shop: TestShop) -> Harness {
    add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    add_product(&mut shop, MUG, "Blue mug", "12.50", 20);
    add_product(&mut shop, PEN, "Red pen", "1.99", 100);
    add_product(&mut shop, "CUP-1", "Tea cup", "4.00", 1);
    let mut h = Harness::sized(120, 40, shop);
    h.keys("<F4>");
    h
}

fn scan(code: &str) -> String {
    format!("{code}<Enter>")
}

fn a_walk_in_sale_in_a_handful_of_keys(shop: TestShop) {
    let mut h = counter(shop);
    assert_eq!(
        h.state.order_entry.focus,
        EntryFocus::Customer,
        "F4 opens a new sale at the customer field"
    );
    // F4 (above), Enter, three scans, Enter, Enter.
    h.keys("<Enter>");
    assert_eq!(
        h.state.order_entry.customer.as_ref().unwrap().id,
        WALK_IN_ID
    );
    assert_eq!(h.state.order_entry.focus, EntryFocus::Scan);
    h.keys(&scan(MUG)).keys(&scan(PEN)).keys(&scan("CUP-1"));
    h.keys("<Enter>");
    assert!(
        matches!(h.state.popup, Some(Popup::Checkout(_))),
        "Enter on the empty scan line opens checkout"
    );
    h.keys("<Enter>");
    let order = h.shop.order(1).unwrap();
    assert_eq!(
        order.status,
        Status::Delivered,
        "a counter sale is born delivered"
    );
    assert_eq!(order.customer_id, WALK_IN_ID);
    assert_eq!(
        order.payment.unwrap().method,
        PaymentMethod::Cash,
        "cash by default"
    );
    assert_eq!(order.totals.total, Cents::new(1250 + 199 + 400));
    assert_eq!(
        h.shop.order_events(1).unwrap()[0].note,
        "sold at the counter"
    );

    // The receipt is shown beside a new Walk-in sale, cursor on the scan line.
    let entry = &h.state.order_entry;
    assert!(
        entry
            .last_receipt
            .as_ref()
            .unwrap()
            .text
            .contains("Order 1")
    );
    assert_eq!(entry.customer.as_ref().unwrap().id, WALK_IN_ID);
    assert_eq!(entry.focus, EntryFocus::Scan);
    assert!(entry.cart.is_empty());
    let screen = h.screen();
    assert!(
        screen.contains("Receipt of sale 1") && screen.contains("TOTAL"),
        "{screen}"
    );
    h.keys(&scan(MUG));
    assert_eq!(
        cart(&h),
        [(MUG.to_string(), 1)],
        "the next scan goes straight into the new sale"
    );
}

fn scans_add_one_merge_lines_and_take_a_multiplier(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>")
        .keys(&scan(MUG))
        .keys(&scan(MUG))
        .keys(&scan(&format!("5*{PEN}")));
    assert_eq!(cart(&h), [(MUG.to_string(), 2), (PEN.to_string(), 5)]);
    h.keys(&scan("cup-1"));
    assert_eq!(cart(&h).len(), 3, "codes match in any case");
    h.keys(&scan("0*CUP-1"));
    assert!(
        h.message().contains("between 1 and 9999"),
        "{}",
        h.message()
    );
    assert_eq!(
        h.state.order_entry.scan.value(),
        "",
        "the scan line clears for the next scan"
    );
}

fn unknown_codes_and_archived_products_beep_and_change_nothing(shop: TestShop) {
    let mut h = counter(shop);
    let cup = h.shop.product("CUP-1").unwrap();
    h.shop.set_product_active(cup.id, false, at(1)).unwrap();
    h.keys("<Enter>").keys(&scan(MUG));
    let before = cart(&h);
    h.keys(&scan("9999999999999"));
    assert_eq!(h.bells, 1);
    assert!(
        h.is_error() && h.message().contains("Unknown code “9999999999999”"),
        "{}",
        h.message()
    );
    assert_eq!(h.state.order_entry.scan.value(), "");
    h.keys(&scan("CUP-1"));
    assert_eq!(h.bells, 2);
    assert!(h.message().contains("archived"), "{}", h.message());
    assert_eq!(cart(&h), before, "nothing else changed");
}

fn letters_suggest_by_name_and_arrows_choose_among_them(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>red");
    let names: Vec<_> = h
        .state
        .order_entry
        .product_matches
        .list
        .rows
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["Red pen"]);
    h.keys("<Esc>red<Down><Enter>");
    assert_eq!(
        cart(&h),
        [(PEN.to_string(), 1)],
        "↓ moves into the suggestions, Enter adds"
    );
    h.keys("3*mug<Down><Enter>");
    assert_eq!(
        cart(&h)[1],
        (MUG.to_string(), 3),
        "a multiplier works with suggestions too"
    );
    // Digits are a barcode: no search letter by letter.
    h.keys("400638");
    assert!(h.state.order_entry.product_matches.list.rows.is_empty());
}

fn bursts_of_keys_are_taken_in_order_with_searches_held_back(shop: TestShop) {
    let mut h = counter(shop);
    let cup = h.shop.product("CUP-1").unwrap().id;
    h.shop
        .restock(
            cup,
            shopdesk::domain::product::Restock::add(50).unwrap(),
            at(1),
        )
        .unwrap();
    // A scanner's burst: lettered codes and digits, each with its Enter.
    h.burst(&format!(
        "<Enter>CUP-1<Enter>{MUG}<Enter>cup-1<Enter>3*{PEN}<Enter>"
    ));
    assert_eq!(
        cart(&h),
        [
            ("CUP-1".to_string(), 2),
            (MUG.to_string(), 1),
            (PEN.to_string(), 3)
        ]
    );
    // Typed letters, then ↓ in the same burst: the search runs before ↓.
    h.burst("red<Down><Enter>");
    assert_eq!(cart(&h)[2], (PEN.to_string(), 4));
    h.burst("<S-Tab><Esc>ann<Down><Enter>");
    assert_eq!(
        h.state.order_entry.customer.as_ref().unwrap().name,
        "Ann Lee"
    );
}

fn the_cart_keys_work_on_an_empty_scan_line_and_are_characters_otherwise(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>").keys(&scan(MUG)).keys(&scan(PEN));
    h.keys("<Up>+++");
    assert_eq!(
        cart(&h)[0],
        (MUG.to_string(), 4),
        "↑ selects a line, + adds one"
    );
    h.keys("-");
    assert_eq!(cart(&h)[0].1, 3);
    h.keys("<Down><Del>");
    assert_eq!(
        cart(&h),
        [(MUG.to_string(), 3)],
        "Del removes the selected line"
    );
    h.keys("A+B");
    assert_eq!(
        h.state.order_entry.scan.value(),
        "A+B",
        "once typed, + is part of the code"
    );
    h.keys("<Esc>");
    assert_eq!(h.state.order_entry.scan.value(), "");
    h.keys("<C-z>");
    assert_eq!(
        cart(&h),
        [(MUG.to_string(), 3), (PEN.to_string(), 1)],
        "Ctrl-Z brings the removed line back"
    );
    h.keys("<C-z>");
    assert_eq!(cart(&h)[0].1, 4);
    h.keys("<F9>n");
    assert_eq!(cart(&h).len(), 2, "void asks first");
    h.keys("<F9>y");
    assert!(cart(&h).is_empty());
}

fn the_discount_appears_with_the_eleventh_item_and_a_hint_from_the_eighth(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>").keys(&scan(&format!("7*{PEN}")));
    assert!(!h.screen().contains("more items → 10% off"));
    h.keys(&scan(PEN));
    assert!(
        h.screen().contains("3 more items → 10% off"),
        "{}",
        h.screen()
    );
    h.keys(&scan(PEN)).keys(&scan(PEN));
    assert!(h.screen().contains("1 more item → 10% off"));
    h.keys(&scan(PEN));
    let screen = h.screen();
    assert!(
        screen.contains("10% off: more than 10 items  -$2.19"),
        "{screen}"
    );
    assert_eq!(
        shopdesk::app::totals(&h.state.order_entry).unwrap().total,
        Cents::new(1970)
    );
}

fn checkout_takes_cash_with_change_card_or_a_later_shipping(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>")
        .keys(&scan(&format!("2*{MUG}")))
        .keys("<Enter>30");
    let Some(Popup::Checkout(checkout)) = &h.state.popup else {
        panic!("no checkout")
    };
    assert_eq!(
        shopdesk::app::change_due(checkout, &h.state.currency),
        Some(Ok(Cents::new(500)))
    );
    assert!(h.screen().contains("Change due: $5.00"));
    h.keys("<Esc>");
    assert!(
        h.state.popup.is_none() && cart(&h).len() == 1,
        "Esc returns to the cart untouched"
    );

    h.keys("<Enter>20<Enter>");
    assert!(
        h.message().contains("less than the total"),
        "{}",
        h.message()
    );
    assert!(
        matches!(h.state.popup, Some(Popup::Checkout(_))),
        "checkout stays open"
    );
    h.keys("<BS><BS>50<Enter>");
    let cash = h.shop.order(1).unwrap();
    assert_eq!(cash.payment.unwrap().tendered, Some(Cents::new(5000)));
    assert!(h.message().contains("Change: $25.00"), "{}", h.message());

    h.keys(&scan(PEN)).keys("<F10>k<Enter>");
    assert_eq!(
        h.shop.order(2).unwrap().payment.unwrap().method,
        PaymentMethod::Card
    );

    h.keys("<S-Tab><Esc>ann<Enter>")
        .keys(&scan(PEN))
        .keys("<Enter>l<Enter>");
    let later = h.shop.order(3).unwrap();
    assert_eq!(
        (later.status, later.payment, later.customer_id),
        (Status::Pending, None, 1),
        "pay later keeps the pending flow"
    );
}

fn a_price_changed_since_the_scan_is_shown_and_asked_again(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>").keys(&scan(MUG)).keys("<Enter>");
    let mug = h.shop.product(MUG).unwrap();
    let changes = ProductChanges {
        price: Some(Cents::new(1500)),
        ..Default::default()
    };
    h.shop.edit_product(mug.id, &changes, at(1)).unwrap();
    h.keys("<Enter>");
    assert_eq!(count_orders(&h.shop), 0, "not placed at the old price");
    let Some(Popup::Checkout(checkout)) = &h.state.popup else {
        panic!("checkout closed")
    };
    assert_eq!(
        checkout.totals.total,
        Cents::new(1500),
        "checkout shows the new total"
    );
    assert!(
        h.message().contains("the total is now $15.00"),
        "{}",
        h.message()
    );
    h.keys("<Enter>");
    assert_eq!(h.shop.order(1).unwrap().totals.total, Cents::new(1500));
}

fn a_sale_short_of_stock_keeps_the_cart_exactly(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>").keys(&scan("2*CUP-1"));
    assert!(
        h.message().contains("2 in the cart, 1 in stock"),
        "{}",
        h.message()
    );
    assert!(h.screen().contains("1 left"));
    h.keys("<Enter><Enter>");
    assert!(
        h.message()
            .contains("not enough stock: Tea cup: 1 in stock, 2 wanted"),
        "{}",
        h.message()
    );
    assert_eq!(cart(&h), [("CUP-1".to_string(), 2)]);
    assert_eq!(count_orders(&h.shop), 0);
}

fn parked_sales_resume_after_a_restart_of_the_app(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("ann<Enter>")
        .keys(&scan(MUG))
        .keys(&scan(&format!("3*{PEN}")))
        .keys("<F8>");
    assert!(
        h.message().contains("parked as number 1"),
        "{}",
        h.message()
    );
    assert!(
        h.state.order_entry.cart.is_empty(),
        "the counter is free for the next customer"
    );
    assert_eq!(
        h.shop.product(PEN).unwrap().stock,
        100,
        "parking reserves no stock"
    );

    // A new app on the same database: the parked sale is still there.
    h.state = AppState::new(120, 40);
    h.keys("<F4><F8>");
    let Some(Popup::Parked(list)) = &h.state.popup else {
        panic!("no parked list: {}", h.message())
    };
    assert_eq!(list.rows.len(), 1);
    h.keys("<Enter>");
    assert_eq!(
        h.state.order_entry.customer.as_ref().unwrap().name,
        "Ann Lee"
    );
    assert_eq!(cart(&h), [(MUG.to_string(), 1), (PEN.to_string(), 3)]);
    assert!(h.shop.parked_sales().unwrap().is_empty());
    h.keys("<F8>");
    h.keys("<F8>");
    assert!(matches!(h.state.popup, Some(Popup::Parked(_))));
    h.keys("<Esc><F9>");
    assert!(h.state.popup.is_none(), "F9 on an empty sale does nothing");
}

fn quitting_with_a_sale_in_progress_parks_it(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>").keys(&scan(MUG)).keys("<C-q>");
    assert!(h.state.quit);
    assert!(h.message().contains("parked"), "{}", h.message());
    assert!(
        h.state
            .farewell
            .as_deref()
            .unwrap()
            .contains("parked as number 1"),
        "said after the app closes"
    );
    assert_eq!(h.shop.parked_sales().unwrap()[0].lines.len(), 1);
}

fn shutting_down_at_checkout_parks_the_sale_whatever_is_open(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>")
        .keys(&scan(MUG))
        .keys(&scan(PEN))
        .keys("<Enter>");
    assert!(matches!(h.state.popup, Some(Popup::Checkout(_))));
    // What a signal or a caught panic makes the event loop do.
    shopdesk::tui::effects::dispatch(&mut h.state, &mut *h.shop, shopdesk::app::Action::Shutdown);
    assert!(h.state.quit);
    assert_eq!(h.shop.parked_sales().unwrap()[0].lines.len(), 2);
    assert_eq!(count_orders(&h.shop), 0, "nothing sold");
}

fn product_text_that_looks_like_shell_never_runs(mut shop: TestShop) {
    let dir = tempfile::tempdir().unwrap();
    let pwned = dir.path().join("pwned");
    let name = format!("Mug $(touch {0}) `touch {0}`; touch {0}", pwned.display());
    add_product(&mut shop, "EVIL-1", &name[..name.len().min(100)], "1.00", 5);
    let printed = dir.path().join("printed.txt");
    let mut h = Harness::sized(120, 40, shop);
    h.state.receipt_command = Some(format!("cat > '{}'", printed.display()));
    h.keys("<F4><Enter>")
        .keys(&scan("EVIL-1"))
        .keys("<Enter><Enter><C-p>");
    let paper = std::fs::read_to_string(&printed).unwrap();
    assert!(paper.contains("$(touch"), "printed as text: {paper}");
    assert!(!pwned.exists(), "the name was run as a command");
}

fn receipts_print_through_the_configured_command(shop: TestShop) {
    let mut h = counter(shop);
    let printed = h.folder.path().join("printed.txt");
    // The counter's own configuration, as the app is given it.
    h.state.receipt_command = Some(format!("cat > '{}'", printed.display()));
    h.keys("<Enter>")
        .keys(&scan(MUG))
        .keys("<Enter><Enter><C-p>");
    assert!(
        h.message().contains("sent to the printer"),
        "{}",
        h.message()
    );
    let paper = std::fs::read_to_string(&printed).unwrap();
    assert!(
        paper.contains("Order 1") && paper.contains("Blue mug"),
        "{paper}"
    );

    h.state.receipt_command = Some("exit 3".to_string());
    h.keys("<F5><C-p>");
    assert!(
        h.is_error() && h.message().contains("print command failed"),
        "{}",
        h.message()
    );

    h.state.receipt_command = None;
    h.keys("<F6>1<Enter><C-p>");
    let file = h.folder.path().join("receipts/ORDER-1.txt");
    assert!(h.message().contains("ORDER-1.txt"), "{}", h.message());
    assert!(std::fs::read_to_string(file).unwrap().contains("Blue mug"));
}

fn the_other_payment_is_stored_and_printed_as_other(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("<Enter>").keys(&scan(MUG)).keys("<Enter>o");
    let Some(Popup::Checkout(checkout)) = &h.state.popup else {
        panic!("no checkout")
    };
    assert_eq!(checkout.method, Some(PaymentMethod::Other));
    h.keys("<Enter>");
    let order = h.shop.order(1).unwrap();
    let payment = order.payment.unwrap();
    assert_eq!(
        (order.status, payment.method, payment.tendered),
        (Status::Delivered, PaymentMethod::Other, None)
    );
    assert!(h.screen().contains("Paid other"), "{}", h.screen());
    assert!(!h.screen().contains("Change"), "no change for other");
}

/// On `shop` as [`counter`] stocks it, a Walk-in sale of two mugs parked,
/// the counter empty again.
fn parked_two_mugs(shop: TestShop) -> Harness {
    let mut h = counter(shop);
    h.keys("<Enter>")
        .keys(&scan(&format!("2*{MUG}")))
        .keys("<F8>");
    assert!(
        h.message().contains("parked as number 1"),
        "{}",
        h.message()
    );
    h
}

fn resume_parked(h: &mut Harness) {
    h.keys("<F8>");
    assert!(matches!(h.state.popup, Some(Popup::Parked(_))));
    h.keys("<Enter>");
    assert_eq!(cart(h), [(MUG.to_string(), 2)], "the parked cart is back");
}

fn a_parked_sale_resumed_after_its_price_changed_is_priced_again(shop: TestShop) {
    let mut h = parked_two_mugs(shop);
    let mug = h.shop.product(MUG).unwrap();
    let changes = ProductChanges {
        price: Some(Cents::new(1500)),
        ..Default::default()
    };
    h.shop.edit_product(mug.id, &changes, at(1)).unwrap();
    resume_parked(&mut h);
    // Resuming reads the products as they are now: checkout shows the
    // new total, and the sale is placed at it, never at $12.50.
    h.keys("<Enter>");
    let Some(Popup::Checkout(checkout)) = &h.state.popup else {
        panic!("no checkout: {}", h.message())
    };
    assert_eq!(checkout.totals.total, Cents::new(3000));
    h.keys("<Enter>");
    assert_eq!(h.shop.order(1).unwrap().totals.total, Cents::new(3000));
}

fn a_parked_sale_resumed_after_its_stock_ran_short_is_refused_and_kept(shop: TestShop) {
    let mut h = parked_two_mugs(shop);
    let mug = h.shop.product(MUG).unwrap();
    h.shop
        .restock(
            mug.id,
            shopdesk::domain::product::Restock::Set(
                shopdesk::domain::product::Stock::new(1).unwrap(),
            ),
            at(1),
        )
        .unwrap();
    resume_parked(&mut h);
    h.keys("<Enter><Enter>");
    assert!(
        h.message()
            .contains("not enough stock: Blue mug: 1 in stock, 2 wanted"),
        "{}",
        h.message()
    );
    assert_eq!(count_orders(&h.shop), 0);
    assert_eq!(cart(&h), [(MUG.to_string(), 2)], "the cart is kept");
    assert_eq!(h.shop.product(MUG).unwrap().stock, 1);
}

fn a_parked_sale_resumed_after_its_product_was_archived_is_refused_and_kept(shop: TestShop) {
    let mut h = parked_two_mugs(shop);
    let mug = h.shop.product(MUG).unwrap();
    h.shop.set_product_active(mug.id, false, at(1)).unwrap();
    resume_parked(&mut h);
    h.keys("<Enter><Enter>");
    assert!(
        h.message().contains("Blue mug (4006381333931) is archived"),
        "{}",
        h.message()
    );
    assert_eq!(count_orders(&h.shop), 0);
    assert_eq!(cart(&h), [(MUG.to_string(), 2)], "the cart is kept");
    assert_eq!(h.shop.product(MUG).unwrap().stock, 20);
}

fn a_customer_new_to_the_shop_is_registered_from_the_counter_and_the_sale_is_theirs(
    shop: TestShop,
) {
    use shopdesk::app::form::FieldId;
    let mut h = counter(shop);
    h.keys("<Enter>").keys(&scan(MUG)).keys(&scan(PEN));
    // Back to the customer: the one the sale is for is someone new.
    h.keys("<S-Tab><C-u>Zed Zimmer<Enter>");
    assert_eq!(
        h.message(),
        "No customer matches “Zed Zimmer”: Ctrl-N registers them. \
         Esc clears the field; Enter alone sells to Walk-in."
    );
    assert!(
        h.screen().contains("Ctrl-N register a customer"),
        "{}",
        h.screen()
    );

    h.keys("<C-n>");
    let form = form(&h);
    assert_eq!(form.title, "Register a customer");
    let fields: Vec<FieldId> = form.fields.iter().map(|f| f.id).collect();
    assert_eq!(fields, [FieldId::Name, FieldId::Phone, FieldId::Email]);
    assert_eq!(form.value(FieldId::Name), "Zed Zimmer");
    assert_eq!(form.focus, 1, "the cursor waits in the phone field");
    assert!(
        !h.message().contains("No customer matches"),
        "the form answers what the message offered: {}",
        h.message()
    );

    // Letters are text in the form; Enter saves.
    h.keys("555 0199<Enter>");
    assert!(h.state.popup.is_none(), "{:?}", h.state.popup);
    let zed = h.state.order_entry.customer.clone().expect("Zed is chosen");
    assert_eq!(
        (
            zed.name.as_str(),
            zed.email.as_deref(),
            zed.phone.as_deref()
        ),
        ("Zed Zimmer", None, Some("555 0199"))
    );
    assert_eq!(h.shop.customer(zed.id).unwrap(), zed, "stored");
    assert_eq!(
        h.message(),
        format!(
            "Customer {} registered: Zed Zimmer. The sale is theirs.",
            zed.id
        )
    );
    assert_eq!(h.state.order_entry.focus, EntryFocus::Scan);
    assert_eq!(
        cart(&h),
        [(MUG.to_string(), 1), (PEN.to_string(), 1)],
        "the cart is untouched"
    );
    assert!(
        h.screen()
            .contains(&format!("Customer {}: 555 0199", zed.id))
    );

    h.keys("<Enter><Enter>");
    assert_eq!(h.shop.order(1).unwrap().customer_id, zed.id);
}

fn what_was_typed_goes_to_its_field_and_esc_returns_to_the_sale_keeping_it(shop: TestShop) {
    use shopdesk::app::form::FieldId;
    let mut h = counter(shop);
    for (typed, field, focus) in [
        ("(555) 01-99", FieldId::Phone, 0),
        ("zed@example.com", FieldId::Email, 0),
        ("Zed", FieldId::Name, 1),
        ("", FieldId::Name, 0),
    ] {
        h.keys("<Esc>").keys(typed).keys("<C-n>");
        let form = form(&h);
        assert_eq!(form.value(field), typed, "{typed:?}");
        let others: String = form
            .fields
            .iter()
            .filter(|f| f.id != field)
            .map(|f| f.input.value())
            .collect();
        assert_eq!(others, "", "{typed:?} goes to one field only");
        assert_eq!(form.focus, focus, "{typed:?}: the first empty field");
        h.keys("<Esc>");
        assert!(h.state.popup.is_none());
        assert_eq!(h.state.order_entry.customer_input.value(), typed);
        assert_eq!(h.state.order_entry.focus, EntryFocus::Customer);
    }
    assert_eq!(h.message(), "Nothing was saved.");
    assert_eq!(h.shop.search_customers("zed", 5).unwrap(), []);
}

fn registering_at_the_counter_asks_about_a_number_another_customer_has(shop: TestShop) {
    let mut h = counter(shop);
    h.keys("Ann Lee-Ray<C-n>5550102<Enter>");
    assert_eq!(question(&h), "Ann Lee has this number: register anyway?");
    h.keys("<Esc>");
    let registration = form(&h);
    assert_eq!(
        registration.value(shopdesk::app::form::FieldId::Phone),
        "5550102"
    );
    assert_eq!(
        h.shop.search_customers("", 10).unwrap().len(),
        2,
        "Ann, Walk-in"
    );

    // No email is needed, but not neither: the form says so.
    h.keys("<C-u><Enter>");
    assert_eq!(
        form(&h).fields[1].error.as_deref(),
        Some("give an email or a phone number, or both")
    );
    h.keys("5550102<Enter><Enter>");
    let chosen = h.state.order_entry.customer.clone().unwrap();
    assert_eq!(chosen.name, "Ann Lee-Ray");
    assert_eq!(h.shop.search_customers("5550102", 10).unwrap().len(), 2);
}

contract_suite!(
    a_walk_in_sale_in_a_handful_of_keys,
    scans_add_one_merge_lines_and_take_a_multiplier,
    unknown_codes_and_archived_products_beep_and_change_nothing,
    letters_suggest_by_name_and_arrows_choose_among_them,
    bursts_of_keys_are_taken_in_order_with_searches_held_back,
    the_cart_keys_work_on_an_empty_scan_line_and_are_characters_otherwise,
    the_discount_appears_with_the_eleventh_item_and_a_hint_from_the_eighth,
    checkout_takes_cash_with_change_card_or_a_later_shipping,
    a_price_changed_since_the_scan_is_shown_and_asked_again,
    a_sale_short_of_stock_keeps_the_cart_exactly,
    parked_sales_resume_after_a_restart_of_the_app,
    quitting_with_a_sale_in_progress_parks_it,
    shutting_down_at_checkout_parks_the_sale_whatever_is_open,
    product_text_that_looks_like_shell_never_runs,
    receipts_print_through_the_configured_command,
    the_other_payment_is_stored_and_printed_as_other,
    a_parked_sale_resumed_after_its_price_changed_is_priced_again,
    a_parked_sale_resumed_after_its_stock_ran_short_is_refused_and_kept,
    a_parked_sale_resumed_after_its_product_was_archived_is_refused_and_kept,
    a_customer_new_to_the_shop_is_registered_from_the_counter_and_the_sale_is_theirs,
    what_was_typed_goes_to_its_field_and_esc_returns_to_the_sale_keeping_it,
    registering_at_the_counter_asks_about_a_number_another_customer_has,
);
