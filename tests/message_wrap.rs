//! Nothing a user must read is cut: a field's error, the checkout's
//! refusal of too little cash and its pay-later note wrap within their box
//! at every terminal size, and the box grows to hold them. On SQLite:
//! drawing depends on the app's state alone, and the backends give the
//! same screens (tests/snapshots.rs).

mod common;

use common::harness::Harness;
use common::*;
use shopdesk::app::Popup;
use shopdesk::display::safe_text;
use shopdesk::domain::Shortage;

const SIZES: [(u16, u16); 3] = [(80, 24), (100, 30), (160, 50)];

fn seeded(width: u16, height: u16) -> Harness<TestStore> {
    let mut shop = new_store();
    add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    add_product(&mut shop, "MUG-1", "Blue mug", "12.50", 20);
    Harness::sized(width, height, shop)
}

/// The screen's text with frame sides and runs of spaces as one space, so
/// text wrapped over several rows of a box reads as one line.
fn joined(screen: &str) -> String {
    collapsed(&screen.replace('│', " "))
}

fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_shown_whole(h: &Harness<TestStore>, text: &str, what: &str) {
    let screen = h.screen();
    assert!(
        joined(&screen).contains(&collapsed(text)),
        "{what} at {}×{} is not shown whole: “{text}”\n{screen}",
        h.state.width,
        h.state.height
    );
}

#[test]
fn a_field_error_wraps_within_the_form() {
    for (width, height) in SIZES {
        let mut h = seeded(width, height);
        h.keys("<F2><C-n>Ann Other<Tab>ann@example<Tab>555 0199<Enter>");
        let Some(Popup::Form(form)) = &h.state.popup else {
            panic!("no form")
        };
        let error = form.fields[1].error.clone().expect("an email error");
        assert!(
            error.len() > 70,
            "the error is long enough to wrap: {error}"
        );
        assert_shown_whole(&h, &safe_text(&error), "the email error");
    }
}

#[test]
fn too_little_cash_is_refused_in_words_shown_whole() {
    for (width, height) in SIZES {
        let mut h = seeded(width, height);
        h.keys("<F4><Enter>mug-1<Enter>mug-1<Enter><Enter>20");
        let Some(Popup::Checkout(checkout)) = &h.state.popup else {
            panic!("no checkout")
        };
        let refused = shopdesk::app::change_due(checkout, &h.state.currency)
            .expect("cash typed")
            .expect_err("too little");
        assert_shown_whole(&h, &refused.to_string(), "the refusal");
    }
}

#[test]
fn the_pay_later_note_is_shown_whole() {
    for (width, height) in SIZES {
        let mut h = seeded(width, height);
        h.keys("<F4><Enter>mug-1<Enter><Enter>l");
        assert_shown_whole(
            &h,
            "Not paid now: the order is placed as pending, to be shipped.",
            "the pay-later note",
        );
    }
}

#[test]
fn a_form_error_of_no_field_wraps_at_the_foot_of_the_form() {
    // A store refusal that names no field, long enough for three rows of
    // the widest form.
    let long = "the shop could not save this customer because another counter \
                changed the same record a moment ago; close the form, find \
                the customer again and repeat the change";
    for (width, height) in SIZES {
        let mut h = seeded(width, height);
        h.keys("<F2><C-n>Ann Other");
        let Some(Popup::Form(form)) = &mut h.state.popup else {
            panic!("no form")
        };
        form.refuse(None, long);
        assert_shown_whole(&h, long, "the form's own error");
    }
}

/// The refusal of a sale of `products` products the shelf no longer has,
/// naming each one, as the store returns it.
fn out_of_stock(products: i64) -> String {
    let shortages = (1..=products)
        .map(|id| Shortage {
            product_id: id,
            name: format!("Stoneware mug in colour {id}"),
            in_stock: 0,
            wanted: 2,
        })
        .collect();
    shopdesk::domain::Error::OutOfStock(shortages).to_string()
}

#[test]
fn a_long_refusal_on_the_status_line_is_shown_whole() {
    let refusal = out_of_stock(12);
    for (width, height) in SIZES {
        let mut h = seeded(width, height);
        h.keys("<F4>");
        h.state.warn(refusal.clone());
        assert_shown_whole(&h, &refusal, "the out-of-stock refusal");
    }
}

#[test]
fn a_refusal_longer_than_half_the_screen_shows_its_cut() {
    let refusal = out_of_stock(100);
    let mut h = seeded(80, 24);
    h.keys("<F4>");
    h.state.warn(refusal);
    let screen = h.screen();
    let rows: Vec<&str> = screen.lines().collect();
    assert!(
        rows[rows.len() - 12].starts_with("✗ not enough stock: Stoneware mug in colour 1:"),
        "the refusal starts half way down:\n{screen}"
    );
    assert!(
        rows[rows.len() - 1].trim_end().ends_with('…'),
        "its last row shows it goes on:\n{screen}"
    );
    assert!(
        rows[rows.len() - 13].trim_end().ends_with("F1 more"),
        "the hints stay above it:\n{screen}"
    );
}
