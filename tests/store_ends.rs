//! Reading lists upwards from their end (End, and scrolling up from
//! there), and finding records exactly (Enter at the counter), through the
//! store's public interface: contract tests, run on every backend.

mod common;

use common::*;
use shopdesk::domain::customer::{SharedPhone, WALK_IN_ID};
use shopdesk::domain::order::{OrderFilter, Status};
use shopdesk::store::RowsBefore;

/// Every row of a list read upwards a page at a time with `read` (from
/// the end, then before the top row of the page read last), in the list's
/// order; checks that only the last page read reaches the start.
fn read_up<T: Clone>(read: impl Fn(Option<&T>) -> RowsBefore<T>) -> Vec<T> {
    let mut rows: Vec<T> = Vec::new();
    let mut before: Option<T> = None;
    loop {
        let page = read(before.as_ref());
        let at_start = page.at_start;
        before = page.rows.first().cloned();
        rows.splice(..0, page.rows);
        if at_start {
            return rows;
        }
        assert!(before.is_some(), "a page short of the start has rows");
    }
}

/// Every row read down a page at a time with `first` and `after`.
fn read_down<T: Clone>(first: impl Fn() -> Vec<T>, after: impl Fn(&T) -> Vec<T>) -> Vec<T> {
    let mut rows = Vec::new();
    let mut page = first();
    while let Some(last) = page.last().cloned() {
        rows.extend(page);
        page = after(&last);
    }
    rows
}

/// Customers whose names tie, differ in case and accents, and phones one
/// of which holds another's digits (Ann and Bob share a number, registered
/// anyway, as a couple would be).
fn add_customers(shop: &mut TestShop) {
    for (name, email, phone) in [
        ("Ann Lee", "ann@example.com", "555-0102"),
        ("ann lee", "ann2@example.com", ""),
        ("Ánna Berg", "anna@example.org", "555-01029"),
        ("Bob Stone", "bob@example.com", "555 0102"),
        ("Dana Cole", "dana@example.com", ""),
        ("Eve Ann", "eve@example.com", ""),
        ("Joanna Roe", "jo@example.com", "+1 555 0199"),
        ("Zed Ann", "zed@example.com", ""),
    ] {
        shop.add_customer(&new_customer(name, email, phone), SharedPhone::Allow, at(0))
            .unwrap();
    }
}

fn customers_read_up_from_the_end_are_the_list_read_down(mut shop: TestShop) {
    add_customers(&mut shop);
    for text in ["", "ann", "555", "5550102", "example", "zzz"] {
        // Pages longer than the exact matches, as the app's are.
        for limit in [3, 4, 100] {
            let down = read_down(
                || shop.search_customers(text, limit).unwrap(),
                |last| shop.search_customers_after(text, last, limit).unwrap(),
            );
            let up = read_up(|before| {
                let page = shop.search_customers_before(text, before, limit).unwrap();
                assert!(
                    page.rows.len() <= limit + 2,
                    "{text:?}: a page, and exact matches"
                );
                page
            });
            let names = |rows: &[shopdesk::domain::customer::Customer]| {
                rows.iter().map(|c| c.name.clone()).collect::<Vec<_>>()
            };
            assert_eq!(names(&up), names(&down), "{text:?} by {limit}");
        }
    }
}

fn the_last_page_of_a_search_holds_its_last_rows_and_exact_matches_stay_on_top(mut shop: TestShop) {
    add_customers(&mut shop);
    let last = shop.search_customers_before("ann", None, 2).unwrap();
    let names: Vec<_> = last.rows.iter().map(|c| c.name.as_str()).collect();
    // SQLite's NOCASE order, which folds ASCII letters only.
    assert_eq!(names, ["Zed Ann", "Ánna Berg"], "by name, the last two");
    assert!(!last.at_start);
    // The phone 555-0102 is Ann's and Bob's exactly (by digits): they top
    // the list, and come with the page that reaches its start.
    let whole = shop.search_customers_before("555-0102", None, 100).unwrap();
    let names: Vec<_> = whole.rows.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Ann Lee", "Bob Stone", "Ánna Berg"]);
    assert!(whole.at_start);
}

fn products_read_up_from_the_end_are_the_list_read_down(mut shop: TestShop) {
    for (sku, name) in [
        ("MUG-1", "Blue mug"),
        ("MUG-10", "Mug rack"),
        ("PAP-A4", "Copy paper"),
        ("PAD-1", "Note pad"),
        ("mug", "Zebra mug"),
        ("CUP-1", "Tea cup"),
    ] {
        add_product(&mut shop, sku, name, "1.00", 1);
    }
    for text in ["", "mug", "MUG-1", "pa", "zzz"] {
        for limit in [2, 3, 5] {
            let down = read_down(
                || shop.search_products(text, limit).unwrap(),
                |last| shop.search_products_after(text, last, limit).unwrap(),
            );
            let up = read_up(|before| shop.search_products_before(text, before, limit).unwrap());
            let skus = |rows: &[shopdesk::domain::product::Product]| {
                rows.iter().map(|p| p.sku.clone()).collect::<Vec<_>>()
            };
            assert_eq!(skus(&up), skus(&down), "{text:?} by {limit}");
        }
    }
}

fn orders_read_up_from_the_oldest_are_the_history_newest_first(mut shop: TestShop) {
    stock_small_shop(&mut shop);
    add_product(&mut shop, "CUP-1", "Tea cup", "4.00", 100);
    // Orders at equal times too: the keyset goes on by id.
    for minute in 0..23 {
        let customer = if minute % 3 == 0 { 1 } else { WALK_IN_ID };
        let order = new_order(customer, &["CUP-1:1"]);
        shop.place_order(&order, at(minute / 2)).unwrap();
    }
    shop.set_order_status(4, Status::Shipped, "", at(30))
        .unwrap();
    let filters = [
        OrderFilter::default(),
        OrderFilter {
            customer_id: Some(1),
            status: None,
        },
        OrderFilter {
            customer_id: None,
            status: Some(Status::Shipped),
        },
    ];
    for filter in filters {
        let down: Vec<i64> = shop.orders(filter).map(|o| o.unwrap().id).collect();
        for limit in [1, 4, 100] {
            let up = read_up(|before| shop.orders_page_before(filter, before, limit).unwrap());
            let up: Vec<i64> = up.iter().map(|o| o.id).collect();
            assert_eq!(up, down, "{filter:?} by {limit}");
        }
        let last = shop.orders_page_before(filter, None, 1).unwrap();
        assert_eq!(last.rows[0].id, *down.last().unwrap(), "the oldest");
    }
    let none = shop.orders_page_before(
        OrderFilter {
            customer_id: Some(2),
            status: None,
        },
        None,
        10,
    );
    let none = none.unwrap();
    assert!(none.rows.is_empty() && none.at_start);
}

fn customers_by_contact_finds_an_exact_email_or_phone_only(mut shop: TestShop) {
    add_customers(&mut shop);
    let names = |text: &str| -> Vec<String> {
        let found = shop.customers_by_contact(text).unwrap();
        found.into_iter().map(|c| c.name).collect()
    };
    assert_eq!(names("ANN@example.com"), ["Ann Lee"], "email in any case");
    assert_eq!(names(" 5550102 "), ["Ann Lee", "Bob Stone"], "phone digits");
    assert_eq!(names("+1 (555) 0199"), ["Joanna Roe"]);
    assert!(names("555").is_empty(), "part of a number is not exact");
    assert!(names("ann").is_empty(), "nor is a name");
    assert!(names("").is_empty());
}

contract_suite!(
    customers_read_up_from_the_end_are_the_list_read_down,
    the_last_page_of_a_search_holds_its_last_rows_and_exact_matches_stay_on_top,
    products_read_up_from_the_end_are_the_list_read_down,
    orders_read_up_from_the_oldest_are_the_history_newest_first,
    customers_by_contact_finds_an_exact_email_or_phone_only,
);
