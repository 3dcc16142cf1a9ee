//! End goes to the true end of a long list, not to the last row read so
//! far, and Home back to its start: History (End, Home), Customers and
//! Products (Ctrl-End, Ctrl-Home, as their search field has the cursor),
//! on a shop with more rows than a page. Every test runs on every backend
//! (`contract_suite!` at the end).

mod common;

use chrono::Utc;
use common::harness::Harness;
use common::*;
use shopdesk::app::list::{PAGE_ROWS, WINDOW_ROWS};
use shopdesk::demo::{self, DemoSize};
use shopdesk::store::Shop;

/// The app at 80×24 on `shop` filled with 1,000 orders, 300 customers and
/// 250 products: each list is longer than a page.
fn big_shop(mut shop: TestShop) -> Harness {
    let size = DemoSize {
        customers: 300,
        products: 250,
        orders: 1_000,
        seed: 7,
    };
    demo::fill(&mut *shop, size, Utc::now()).unwrap();
    Harness::on(shop)
}

/// Every product's id in the list's order, read a page at a time from the
/// start (the store's own forward reading, not the list's).
fn product_ids(store: &dyn Shop, text: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut page = store.search_products(text, PAGE_ROWS).unwrap();
    while let Some(last) = page.last().cloned() {
        ids.extend(page.iter().map(|p| p.id));
        page = store.search_products_after(text, &last, PAGE_ROWS).unwrap();
    }
    ids
}

fn customer_ids(store: &dyn Shop) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut page = store.search_customers("", PAGE_ROWS).unwrap();
    while let Some(last) = page.last().cloned() {
        ids.extend(page.iter().map(|c| c.id));
        page = store.search_customers_after("", &last, PAGE_ROWS).unwrap();
    }
    ids
}

/// Every order's id, newest first, as the store reads them.
fn order_ids(h: &Harness) -> Vec<i64> {
    h.shop
        .orders(Default::default())
        .map(|order| order.unwrap().id)
        .collect()
}

fn selected_order(h: &Harness) -> i64 {
    h.state.history.list.selected_row().unwrap().id
}

fn selected_product(h: &Harness) -> i64 {
    h.state.products.list.selected_row().unwrap().id
}

fn end_in_history_shows_the_oldest_order_and_home_the_newest(shop: TestShop) {
    let mut h = big_shop(shop);
    let orders = order_ids(&h);
    assert_eq!(orders.len(), 1_000);
    h.keys("<F5>");
    assert_eq!(h.state.history.list.rows.len(), PAGE_ROWS, "one page read");
    h.keys("<End>");
    assert_eq!(selected_order(&h), orders[999], "the oldest order");
    let list = &h.state.history.list;
    assert_eq!(list.selected, list.rows.len() - 1, "the last row");
    // Drawn as the list's bottom row, above its border, the hints and
    // the message.
    let screen = h.screen();
    let lines: Vec<&str> = screen.lines().collect();
    let bottom_row = lines[lines.len() - 4];
    assert!(
        bottom_row.starts_with(&format!("│{:>8} ", orders[999])),
        "{screen}"
    );
    h.keys("<Up>");
    assert_eq!(selected_order(&h), orders[998], "the one before");
    // Up through the pages above the end, read as they are reached.
    h.keys(&"<PgUp>".repeat(30));
    let page = h.state.list_rows();
    assert_eq!(selected_order(&h), orders[998 - 30 * page]);
    assert!(h.state.history.list.rows.len() <= WINDOW_ROWS);
    h.keys("<Home>");
    assert_eq!(selected_order(&h), orders[0], "the newest");
    h.keys("k");
    assert_eq!(selected_order(&h), orders[0]);
    h.keys("<End><Home><Down>");
    assert_eq!(selected_order(&h), orders[1]);
}

/// A clerk going through orders: one opened from History, then Esc (or
/// F4 and F5 again) is back on the same order, pages deep; left at the
/// top, History opens at the top, the orders placed meanwhile first.
fn history_keeps_the_order_it_was_left_on(shop: TestShop) {
    let mut h = big_shop(shop);
    let orders = order_ids(&h);
    h.keys("<F5>");
    h.keys(&"<PgDn>".repeat(15));
    let deep = selected_order(&h);
    assert!(orders.iter().position(|&id| id == deep).unwrap() > PAGE_ROWS);
    h.keys("<Enter>");
    assert_eq!(h.state.order_status.order.as_ref().unwrap().id, deep);
    h.keys("<Esc>");
    assert_eq!(selected_order(&h), deep, "Esc from the order");
    assert!(
        h.screen().contains(&format!("│{deep:>8} ")),
        "{}",
        h.screen()
    );
    h.keys("<F4><F5>");
    assert_eq!(selected_order(&h), deep, "F5 again");

    // The shop's newest order is sold at the counter meanwhile.
    h.keys("<Home><F4><Enter><Esc><Esc>");
    let sku = h.shop.search_products("", 1).unwrap()[0].sku.clone();
    h.keys(&format!("{sku}<Enter><Enter><Enter><F5>"));
    let newest = h
        .shop
        .orders(Default::default())
        .next()
        .unwrap()
        .unwrap()
        .id;
    assert!(newest > orders[0], "{}", h.message());
    assert_eq!(selected_order(&h), newest, "at the top, the newest first");

    // Another customer's orders start at their top.
    h.keys("<PgDn><F2><Enter>");
    let list = &h.state.history.list;
    assert_eq!((list.selected, list.offset), (0, 0));
}

fn ctrl_end_on_products_shows_the_last_product_also_of_a_search(shop: TestShop) {
    let mut h = big_shop(shop);
    let all = product_ids(&*h.shop, "");
    assert_eq!(all.len(), 250);
    h.keys("<F3><C-End>");
    assert_eq!(selected_product(&h), all[249], "the last product by name");
    h.keys("<Up>");
    assert_eq!(selected_product(&h), all[248]);
    h.keys("<C-Home>");
    assert_eq!(selected_product(&h), all[0]);

    // Within a search, the last of its matches.
    let search = "e";
    let matching = product_ids(&*h.shop, search);
    assert!(matching.len() > PAGE_ROWS, "{} match", matching.len());
    h.keys(&format!("{search}<C-End>"));
    assert_eq!(selected_product(&h), *matching.last().unwrap());
    h.keys("<Up>");
    assert_eq!(selected_product(&h), matching[matching.len() - 2]);
    h.keys("<C-Home>");
    assert_eq!(selected_product(&h), matching[0]);
    assert_eq!(h.state.products.search.value(), search, "the search stays");
}

fn ctrl_end_on_customers_then_scrolling_up_reads_the_pages_above(shop: TestShop) {
    let mut h = big_shop(shop);
    let all = customer_ids(&*h.shop);
    let last = all.len() - 1;
    h.keys("<F2><C-End>");
    let selected = |h: &Harness| h.state.customers.list.selected_row().unwrap().id;
    assert_eq!(selected(&h), all[last], "the last customer by name");
    // Up past the first page read from the end: the one above is read.
    h.keys(&"<Up>".repeat(PAGE_ROWS + 5));
    assert_eq!(selected(&h), all[last - PAGE_ROWS - 5]);
    h.keys("<C-Home>");
    assert_eq!(selected(&h), all[0]);
}

contract_suite!(
    end_in_history_shows_the_oldest_order_and_home_the_newest,
    history_keeps_the_order_it_was_left_on,
    ctrl_end_on_products_shows_the_last_product_also_of_a_search,
    ctrl_end_on_customers_then_scrolling_up_reads_the_pages_above,
);
