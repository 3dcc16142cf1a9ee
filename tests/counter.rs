//! Counter sales in the store and on the command line: the Walk-in
//! customer, payments, prices read again, parked sales, settings and
//! receipts (compared with the golden files in tests/receipts/). The
//! store's part is contract tests, run on every backend (`contract_suite!`
//! at the end).

mod common;

use std::path::Path;

use common::*;
use shopdesk::domain::customer::{SharedPhone, WALK_IN_ID};
use shopdesk::domain::order::{Payment, PaymentMethod, Quantity, Status};
use shopdesk::domain::product::ProductChanges;
use shopdesk::domain::settings::Setting;
use shopdesk::domain::{Cents, Currency, Error as Rule};
use shopdesk::receipt::receipt;
use shopdesk::store::Error;

fn dollars() -> Currency {
    Currency::default()
}

fn cash(tendered: Option<&str>, total: Cents) -> Payment {
    Payment::new(
        PaymentMethod::Cash,
        tendered.map(|t| Cents::parse(t, &dollars()).unwrap()),
        total,
        &dollars(),
    )
    .unwrap()
}

fn rule(error: Error) -> Rule {
    match error {
        Error::Rule(rule) => rule,
        other => panic!("expected a rule, got {other:?}"),
    }
}

fn a_counter_sale_is_born_delivered_with_its_payment(mut shop: TestShop) {
    add_product(&mut shop, "MUG", "Blue mug", "12.50", 5);
    let sale = new_order(WALK_IN_ID, &["MUG:2"]);
    let total = shop.price_order(&sale).unwrap().total;
    assert_eq!(total, Cents::new(2500));
    let order = shop
        .place_counter_sale(&sale, cash(Some("30"), total), total, at(1))
        .unwrap();
    assert_eq!(order.status, Status::Delivered);
    assert_eq!(order.customer_name, "Walk-in");
    let stored = shop.order(order.id).unwrap();
    assert_eq!(stored.payment, Some(cash(Some("30"), total)));
    assert_eq!(stored.payment.unwrap().change(total), Some(Cents::new(500)));
    let events = shop.order_events(order.id).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].from, events[0].to, events[0].note.as_str()),
        (None, Status::Delivered, "sold at the counter")
    );
    assert_eq!(shop.product("MUG").unwrap().stock, 3);
    assert!(
        matches!(
            shop.set_order_status(order.id, Status::Canceled, "", at(2)),
            Err(Error::Rule(Rule::TransitionNotAllowed {
                from: Status::Delivered,
                to: Status::Canceled,
                ..
            }))
        ),
        "delivered is final"
    );
}

fn a_price_change_since_the_scan_refuses_the_sale_and_names_the_new_total(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG", "Blue mug", "10", 5);
    let sale = new_order(WALK_IN_ID, &["MUG:1"]);
    let shown = shop.price_order(&sale).unwrap().total;
    let changes = ProductChanges {
        price: Some(Cents::new(1200)),
        ..Default::default()
    };
    shop.edit_product(mug.id, &changes, at(1)).unwrap();
    let refused = shop
        .place_counter_sale(&sale, cash(None, shown), shown, at(2))
        .unwrap_err();
    assert_eq!(
        rule(refused),
        Rule::PricesChanged {
            total: dollars().amount(Cents::new(1200))
        }
    );
    assert_eq!(count_orders(&shop), 0);
    assert_eq!(shop.product("MUG").unwrap().stock, 5, "nothing was taken");
    let order = shop
        .place_counter_sale(&sale, cash(None, Cents::new(1200)), Cents::new(1200), at(3))
        .unwrap();
    assert_eq!(order.totals.total, Cents::new(1200));
}

#[test]
fn payments_are_checked() {
    let total = Cents::new(1000);
    assert_eq!(
        Payment::new(
            PaymentMethod::Cash,
            Some(Cents::new(999)),
            total,
            &dollars()
        ),
        Err(Rule::TenderedTooLittle {
            tendered: dollars().amount(Cents::new(999)),
            total: dollars().amount(total)
        })
    );
    assert_eq!(
        Payment::new(PaymentMethod::Card, Some(total), total, &dollars()),
        Err(Rule::TenderedNotCash)
    );
    assert_eq!(
        Payment::new(PaymentMethod::Card, None, total, &dollars()).map(|p| (p.method, p.tendered)),
        Ok((PaymentMethod::Card, None))
    );
    assert_eq!("CARD".parse::<PaymentMethod>(), Ok(PaymentMethod::Card));
    assert_eq!(
        "cheque".parse::<PaymentMethod>(),
        Err(Rule::PaymentMethodUnknown("cheque".into()))
    );
}

fn the_walk_in_customer_is_built_in(mut shop: TestShop) {
    let walk_in = shop.customer(WALK_IN_ID).unwrap();
    assert!(walk_in.is_walk_in());
    assert_eq!(
        (walk_in.name.as_str(), walk_in.email.as_deref()),
        ("Walk-in", None)
    );
    let edit = shopdesk::domain::customer::CustomerChanges {
        name: Some(shopdesk::domain::text::Name::parse("name", "X").unwrap()),
        ..Default::default()
    };
    assert_eq!(
        rule(
            shop.edit_customer(WALK_IN_ID, &edit, SharedPhone::Refuse)
                .unwrap_err()
        ),
        Rule::WalkInNotEditable
    );
    assert_eq!(
        shop.search_customers("walk", 5).unwrap()[0].id,
        WALK_IN_ID,
        "it can be found"
    );
}

fn parked_sales_survive_and_reserve_no_stock(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG", "Blue mug", "10", 5);
    let pen = add_product(&mut shop, "PEN", "Red pen", "1", 5);
    let q = |n| Quantity::new(n).unwrap();
    let id = shop
        .park_sale(WALK_IN_ID, &[(mug.id, q(2)), (pen.id, q(5))], None, at(1))
        .unwrap();
    assert_eq!(
        shop.product("PEN").unwrap().stock,
        5,
        "parking reserves no stock"
    );
    assert_eq!(shop.parked_sales().unwrap()[0].id, id);
    // A restart: a connection of its own, sharing nothing with the first.
    let mut shop = shop.open_another().unwrap();
    let parked = shop.parked_sales().unwrap();
    assert_eq!(parked.len(), 1, "parked sales survive a restart");
    assert_eq!(parked[0].item_count(), 7);
    assert_eq!(parked[0].customer.name, "Walk-in");
    let resumed = shop.resume_parked_sale(parked[0].id).unwrap();
    assert_eq!(resumed.lines.len(), 2);
    assert!(
        shop.parked_sales().unwrap().is_empty(),
        "resuming takes it out"
    );
    assert_eq!(
        rule(shop.resume_parked_sale(resumed.id).unwrap_err()),
        Rule::ParkedSaleNotFound(resumed.id)
    );
}

fn a_parked_sale_another_tool_broke_leaves_the_others_resumable(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG", "Blue mug", "10", 5);
    let pen = add_product(&mut shop, "PEN", "Red pen", "1", 5);
    let q = |n| Quantity::new(n).unwrap();
    let kept = shop
        .park_sale(WALK_IN_ID, &[(mug.id, q(1))], None, at(1))
        .unwrap();
    shop.park_sale(ann.id, &[(mug.id, q(1))], None, at(2))
        .unwrap();
    shop.park_sale(WALK_IN_ID, &[(pen.id, q(1))], None, at(3))
        .unwrap();
    let zero = shop
        .park_sale(WALK_IN_ID, &[(mug.id, q(2))], None, at(4))
        .unwrap();
    shop.by_hand(&format!(
        "DELETE FROM customers WHERE id = {};
         DELETE FROM products WHERE id = {};
         UPDATE parked_lines SET quantity = 0 WHERE parked_id = {zero}",
        ann.id, pen.id
    ));

    let parked = shop.parked_sales().unwrap();
    let ids: Vec<i64> = parked.iter().map(|sale| sale.id).collect();
    assert_eq!(ids, [kept], "the readable one is listed");
    assert_eq!(shop.resume_parked_sale(kept).unwrap().lines.len(), 1);
}

fn settings_have_defaults_and_can_be_changed(mut shop: TestShop) {
    let settings = shop.settings().unwrap();
    assert_eq!(
        (settings.shop_name.as_str(), settings.currency.symbol()),
        ("shopdesk", "$")
    );
    shop.set_setting(Setting::ShopName, "Corner Shop").unwrap();
    let settings = shop.set_setting(Setting::CurrencySymbol, "€").unwrap();
    assert_eq!(
        (settings.shop_name.as_str(), settings.currency.symbol()),
        ("Corner Shop", "€")
    );
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/receipts")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {}", path.display()));
    assert_eq!(actual, expected, "receipt differs from {}", path.display());
    assert!(
        actual.lines().all(|line| line.chars().count() <= 42),
        "42 columns at most:\n{actual}"
    );
}

fn receipts_match_their_golden_files(mut shop: TestShop) {
    add_product(&mut shop, "4006381333931", "Blue mug", "12.50", 50);
    add_product(
        &mut shop,
        "PEN-1",
        "Red pen with a name far too long for the paper roll",
        "1.99",
        50,
    );
    add_product(
        &mut shop,
        "TEA",
        "Tea \u{1b}[1m bold\u{202e} tin",
        "4.00",
        50,
    );
    let sale = new_order(WALK_IN_ID, &["4006381333931:2", "PEN-1:9"]);
    let total = shop.price_order(&sale).unwrap().total;
    let cash_sale = shop
        .place_counter_sale(&sale, cash(Some("50"), total), total, at(1))
        .unwrap();
    let settings = shop.settings().unwrap();
    golden(
        "cash_with_change.txt",
        &receipt(&cash_sale, &settings, "2026-03-01 12:01"),
    );

    let sale = new_order(WALK_IN_ID, &["TEA:1"]);
    let total = shop.price_order(&sale).unwrap().total;
    let card = Payment::new(PaymentMethod::Card, None, total, &dollars()).unwrap();
    let card_sale = shop.place_counter_sale(&sale, card, total, at(2)).unwrap();
    shop.set_setting(Setting::ShopName, "Corner Shop").unwrap();
    let settings = shop.set_setting(Setting::CurrencySymbol, "€").unwrap();
    golden(
        "card_euro.txt",
        &receipt(&card_sale, &settings, "2026-03-01 12:02"),
    );

    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let pending = shop
        .place_order(&new_order(ann.id, &["PEN-1:1"]), at(3))
        .unwrap();
    golden(
        "pending_order.txt",
        &receipt(&pending, &settings, "2026-03-01 12:03"),
    );

    // A customer reached by phone alone: the receipt names them as any.
    let cam = add_customer(&mut shop, "Cam Ortiz", "", "555-0177");
    let sale = new_order(cam.id, &["TEA:2"]);
    let total = shop.price_order(&sale).unwrap().total;
    let card = Payment::new(PaymentMethod::Card, None, total, &settings.currency).unwrap();
    let phone_only = shop.place_counter_sale(&sale, card, total, at(4)).unwrap();
    golden(
        "phone_only_customer.txt",
        &receipt(&phone_only, &settings, "2026-03-01 12:04"),
    );
}

contract_suite!(
    a_counter_sale_is_born_delivered_with_its_payment,
    a_price_change_since_the_scan_refuses_the_sale_and_names_the_new_total,
    the_walk_in_customer_is_built_in,
    parked_sales_survive_and_reserve_no_stock,
    a_parked_sale_another_tool_broke_leaves_the_others_resumable,
    settings_have_defaults_and_can_be_changed,
    receipts_match_their_golden_files,
);
