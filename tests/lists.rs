//! The Customers and Products lists and the tab bar, as an owner uses
//! them: messages say what happened, saving returns to the whole list,
//! a new product's stock types cleanly, and parked sales stay in sight.
//! Every test runs on every backend (`contract_suite!` at the end).

mod common;

use common::harness::Harness;
use common::*;
use shopdesk::app::Popup;
use shopdesk::app::form::FieldId;
use shopdesk::domain::customer::WALK_IN_ID;
use shopdesk::domain::order::Quantity;

/// `shop` stocked as the small shop and a tea cup at $4.00 × 7, in the
/// app at 80×24.
fn stocked(mut shop: TestShop) -> Harness {
    stock_small_shop(&mut shop);
    add_product(&mut shop, "CUP-1", "Tea cup", "4.00", 7);
    Harness::sized(80, 24, shop)
}

fn product_skus(h: &Harness) -> Vec<String> {
    let rows = &h.state.products.list.rows;
    rows.iter().map(|p| p.sku.clone()).collect()
}

fn customer_names(h: &Harness) -> Vec<String> {
    let rows = &h.state.customers.list.rows;
    rows.iter().map(|c| c.name.clone()).collect()
}

fn archiving_and_unarchiving_say_what_happened(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F3>PEN<C-x><Enter>");
    let archived = h.message();
    assert!(
        archived.contains("archived") && archived.contains("no longer be sold"),
        "{archived}"
    );
    assert!(!archived.contains("saved"), "{archived}");
    h.keys("<C-x>");
    let unarchived = h.message();
    assert!(
        unarchived.contains("unarchived: it can be sold again"),
        "{unarchived}"
    );
    assert!(!unarchived.contains("saved"), "{unarchived}");
}

fn a_new_products_stock_is_typed_without_a_leading_zero(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F3><C-n>LAMP-1<Tab>Desk lamp<Tab>39.90<Tab>50");
    match &h.state.popup {
        Some(Popup::Form(form)) => assert_eq!(form.value(FieldId::Stock), "50"),
        other => panic!("expected the new product form, got {other:?}"),
    }
    h.keys("<Enter>");
    assert_eq!(h.shop.product("LAMP-1").unwrap().stock, 50);
    // Left empty, the stock is the placeholder's 0.
    h.keys("<C-n>LAMP-2<Tab>Floor lamp<Tab>59.90<Enter>");
    assert_eq!(h.shop.product("LAMP-2").unwrap().stock, 0);
    // The default shows inside the empty Stock box.
    h.keys("<C-n>");
    let screen = h.screen();
    let lines: Vec<&str> = screen.lines().collect();
    let label = lines.iter().position(|l| l.contains(" Stock ")).unwrap();
    assert!(lines[label + 1].contains("│0 "), "{screen}");
}

fn saving_a_product_returns_to_the_whole_list_with_it_selected(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F3>mug<C-n>LAMP-1<Tab>Desk lamp<Tab>39.90<Tab>3<Enter>");
    assert_eq!(h.state.products.search.value(), "", "the search is cleared");
    assert_eq!(product_skus(&h).len(), 4, "{:?}", product_skus(&h));
    assert_eq!(h.state.products.list.selected_row().unwrap().sku, "LAMP-1");
    // Editing one further down keeps it selected in the whole list.
    h.keys("pen<C-d><Enter>");
    assert_eq!(h.state.products.search.value(), "");
    assert_eq!(product_skus(&h).len(), 4);
    assert_eq!(h.state.products.list.selected_row().unwrap().sku, "PEN-1");
}

fn saving_a_customer_returns_to_the_whole_list_with_them_selected(shop: TestShop) {
    let mut h = stocked(shop);
    h.keys("<F2>dana<C-n>Nora Quist<Tab>nora@example.com<Tab>555 0100<Enter>");
    assert_eq!(h.state.customers.search.value(), "");
    let names = customer_names(&h);
    assert!(names.len() >= 3, "{names:?}");
    assert_eq!(
        h.state.customers.list.selected_row().unwrap().name,
        "Nora Quist"
    );
}

fn the_tab_bar_counts_parked_sales_from_the_start(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "12.50", 20);
    let one = Quantity::new(1).unwrap();
    shop.park_sale(WALK_IN_ID, &[(mug.id, one)], None, at(1))
        .unwrap();
    shop.park_sale(WALK_IN_ID, &[(mug.id, one)], None, at(2))
        .unwrap();
    // As after a restart: the app starts on a shop with two parked sales.
    let mut h = Harness::sized(120, 40, shop);
    assert!(h.screen().contains("(2 parked)"), "{}", h.screen());
    // Parking one more here counts it; resuming one counts it off.
    h.keys("<F4><Enter>MUG-1<Enter><F8>");
    assert!(h.screen().contains("(3 parked)"), "{}", h.screen());
    h.keys("<F8><Enter>");
    assert!(h.screen().contains("(2 parked)"), "{}", h.screen());
    // At 80 columns every tab stays whole beside the count.
    let narrow = h.screen_sized(80, 24);
    let tabs = narrow.lines().next().unwrap();
    assert!(
        tabs.contains("(2 parked)") && tabs.contains("F6 Order status"),
        "{tabs}"
    );
}

fn the_tab_bar_says_nothing_of_parking_when_nothing_is_parked(shop: TestShop) {
    let h = stocked(shop);
    assert!(!h.screen().contains("parked"), "{}", h.screen());
}

fn a_saved_product_beyond_the_first_page_is_still_found_and_selected(mut shop: TestShop) {
    for n in 0..130 {
        add_product(
            &mut shop,
            &format!("IT-{n:03}"),
            &format!("Item {n:03}"),
            "1.00",
            1,
        );
    }
    let mut h = Harness::sized(80, 24, shop);
    h.keys("<F3>Item 125<C-d><Enter>");
    assert_eq!(h.state.products.search.value(), "");
    assert!(product_skus(&h).len() > 100, "the next page was read");
    assert_eq!(h.state.products.list.selected_row().unwrap().sku, "IT-125");
    assert!(h.screen().contains("Item 125"), "{}", h.screen());
}

contract_suite!(
    archiving_and_unarchiving_say_what_happened,
    a_new_products_stock_is_typed_without_a_leading_zero,
    saving_a_product_returns_to_the_whole_list_with_it_selected,
    saving_a_customer_returns_to_the_whole_list_with_them_selected,
    the_tab_bar_counts_parked_sales_from_the_start,
    the_tab_bar_says_nothing_of_parking_when_nothing_is_parked,
    a_saved_product_beyond_the_first_page_is_still_found_and_selected,
);
