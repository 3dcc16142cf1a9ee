//! Idempotent checkout: every sale carries a sale id made before it is
//! sent, and a sale sent again (its answer lost to a timeout or a dropped
//! connection) gets the order first placed with it, never a second one.
//! In the store, on the command line (`order place --sale-id`) and at the
//! counter, where a refused or failed checkout keeps the sale's id for the
//! next Enter: contract tests, run on every backend by `contract_suite!` at
//! the end, but for a database busy as SQLite is.

mod common;

use std::sync::{Arc, Barrier};

use common::cli::Shop as CliShop;
use common::harness::Harness;
use common::*;
use serde_json::Value;
use shopdesk::app::{Action, Command, Effect, Popup, Refusal, update};
use shopdesk::domain::customer::WALK_IN_ID;
use shopdesk::domain::order::{NewOrder, Order, Payment, PaymentMethod, SaleId};
use shopdesk::domain::product::ProductChanges;
use shopdesk::domain::{Cents, Error as Rule};
use shopdesk::store::{Error, Shop};
use shopdesk::tui::effects;

fn sale_id(text: &str) -> SaleId {
    SaleId::parse(text).unwrap()
}

/// An order of `items` for `customer_id`, sent with sale id `id`.
fn sale(id: &str, customer_id: i64, items: &[&str]) -> NewOrder {
    NewOrder {
        sale_id: Some(sale_id(id)),
        ..new_order(customer_id, items)
    }
}

/// What a sale can change: how many orders there are, and every product's
/// stock and ledger length.
fn shop_state(shop: &dyn Shop) -> (usize, Vec<(i64, usize)>) {
    let products = shop.search_products("", 100).unwrap();
    let stock = products
        .iter()
        .map(|p| (p.stock, shop.stock_moves(p.id).unwrap().len()))
        .collect();
    (count_orders(shop), stock)
}

fn cash(total: Cents) -> Payment {
    Payment {
        method: PaymentMethod::Cash,
        tendered: Some(total),
    }
}

// ---- the store ---------------------------------------------------------

fn a_sale_sent_again_gets_the_order_first_placed_with_its_id(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "MUG", "Blue mug", "12.50", 5);
    add_product(&mut shop, "PEN", "Red pen", "1.99", 50);
    let first = sale("till-1.0001", ann.id, &["MUG:2", "PEN"]);
    let placed = shop.place_order(&first, at(1)).unwrap();
    assert_eq!(placed.sale_id, Some(sale_id("till-1.0001")));
    assert_eq!(shop.order(placed.id).unwrap(), placed, "stored with its id");
    let after_first = shop_state(&*shop);

    // Sent again later, its items written another way: the same order.
    let again = sale("till-1.0001", ann.id, &["PEN:1", "MUG", "1*mug"]);
    assert_eq!(shop.place_order(&again, at(5)).unwrap(), placed);
    assert_eq!(shop_state(&*shop), after_first, "nothing written again");
    assert_eq!(shop.product("MUG").unwrap().stock, 3, "stock taken once");
    assert_eq!(shop.order_events(placed.id).unwrap().len(), 1);

    // Whatever the shop is now: the order stands as it was placed.
    let mug = shop.product("MUG").unwrap();
    let dearer = ProductChanges {
        price: Some(Cents::new(2000)),
        ..Default::default()
    };
    shop.edit_product(mug.id, &dearer, at(6)).unwrap();
    shop.set_product_active(mug.id, false, at(6)).unwrap();
    assert_eq!(shop.place_order(&again, at(7)).unwrap(), placed);
    assert_eq!(count_orders(&*shop), 1);

    // Another sale id is another sale; orders without one never collide.
    shop.set_product_active(mug.id, true, at(8)).unwrap();
    let next = shop
        .place_order(&sale("till-1.0002", ann.id, &["MUG:2", "PEN"]), at(9))
        .unwrap();
    assert_ne!(next.id, placed.id);
    for _ in 0..2 {
        shop.place_order(&new_order(ann.id, &["PEN"]), at(10))
            .unwrap();
    }
    assert_eq!(count_orders(&*shop), 4);
    assert!(shop.check().unwrap().is_ok());
}

fn a_sale_id_used_for_another_sale_is_refused_naming_its_order_and_nothing_is_written(
    mut shop: TestShop,
) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let dana = add_customer(&mut shop, "Dana Cole", "dana@example.com", "");
    add_product(&mut shop, "MUG", "Blue mug", "12.50", 5);
    add_product(&mut shop, "PEN", "Red pen", "1.99", 50);
    let placed = shop
        .place_order(&sale("s-1", ann.id, &["MUG:2", "PEN"]), at(1))
        .unwrap();
    let before = shop_state(&*shop);
    for other in [
        sale("s-1", ann.id, &["MUG:3", "PEN"]),
        sale("s-1", ann.id, &["MUG:2"]),
        sale("s-1", ann.id, &["MUG:2", "PEN", "PEN"]),
        sale("s-1", dana.id, &["MUG:2", "PEN"]),
    ] {
        let refused = shop.place_order(&other, at(2)).unwrap_err();
        let Error::Rule(rule) = refused else {
            panic!("expected a rule, got {refused:?}")
        };
        assert_eq!(
            rule,
            Rule::SaleIdUsed {
                sale_id: "s-1".into(),
                order_id: placed.id
            },
            "{other:?}"
        );
        assert!(
            rule.to_string().starts_with(&format!(
                "sale id s-1 was already used for order {}",
                placed.id
            )),
            "{rule}"
        );
        assert_eq!(shop_state(&*shop), before, "nothing written");
    }
    // The refusal comes first, even for a sale that could not be placed.
    let short = sale("s-1", ann.id, &["MUG:9"]);
    assert!(matches!(
        shop.place_order(&short, at(3)),
        Err(Error::Rule(Rule::SaleIdUsed { .. }))
    ));
    assert_eq!(shop.order(placed.id).unwrap(), placed);
}

fn eight_counters_sending_one_sale_at_once_place_it_once(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "MUG", "Blue mug", "12.50", 100);
    const COUNTERS: usize = 8;
    let start = Arc::new(Barrier::new(COUNTERS));
    let counters: Vec<_> = (0..COUNTERS)
        .map(|_| {
            // Each counter its own connection to the one database.
            let mut counter = shop.open_another().unwrap();
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                let order = sale("lost-answer-1", ann.id, &["MUG:3"]);
                start.wait();
                counter.place_order(&order, at(1)).unwrap()
            })
        })
        .collect();
    let answers: Vec<Order> = counters.into_iter().map(|c| c.join().unwrap()).collect();
    assert!(
        answers.iter().all(|answer| *answer == answers[0]),
        "every counter gets the one order: {answers:?}"
    );
    assert_eq!(count_orders(&*shop), 1);
    assert_eq!(shop.product("MUG").unwrap().stock, 97, "stock taken once");
    assert_eq!(shop.order(answers[0].id).unwrap(), answers[0]);
    assert!(shop.check().unwrap().is_ok());
}

fn a_counter_sale_sent_again_gets_the_sale_first_placed(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG", "Blue mug", "12.50", 2);
    let first = sale("till-2.0007", WALK_IN_ID, &["MUG:2"]);
    let total = shop.price_order(&first).unwrap().total;
    let placed = shop
        .place_counter_sale(&first, cash(total), total, at(1))
        .unwrap();
    let after_first = shop_state(&*shop);

    // Sent again once the shelf is empty and the price has changed: the
    // sale first placed, as it was paid, at the total it was placed at.
    let dearer = ProductChanges {
        price: Some(Cents::new(1500)),
        ..Default::default()
    };
    shop.edit_product(mug.id, &dearer, at(2)).unwrap();
    let again = shop
        .place_counter_sale(&first, cash(total), total, at(3))
        .unwrap();
    assert_eq!(again, placed);
    assert_eq!(again.payment, Some(cash(Cents::new(2500))));
    assert_eq!(shop_state(&*shop), after_first, "nothing written again");

    // Other items under its id: refused, naming the sale.
    let other = sale("till-2.0007", WALK_IN_ID, &["MUG:1"]);
    let refused = shop
        .place_counter_sale(&other, cash(total), total, at(4))
        .unwrap_err();
    assert!(
        matches!(refused, Error::Rule(Rule::SaleIdUsed { order_id, .. }) if order_id == placed.id),
        "{refused:?}"
    );
}

// ---- the command line --------------------------------------------------

/// `order place` for Ann (customer 1) of `items`, with `--sale-id` when
/// given, as JSON.
fn place(shop: &CliShop, sale_id: Option<&str>, items: &[&str]) -> common::cli::Run {
    let mut args = vec!["order", "place", "--customer", "1"];
    if let Some(sale_id) = sale_id {
        args.extend(["--sale-id", sale_id]);
    }
    args.extend(items);
    shop.json(&args)
}

fn orders_listed(shop: &CliShop) -> Vec<Value> {
    shop.json(&["order", "list"]).ok().json_lines()
}

fn a_script_that_places_an_order_again_with_its_sale_id_gets_the_first_one(shop: CliShop) {
    let shop = shop.stock();
    let first = place(
        &shop,
        Some("nightly-2026-03-01"),
        &["MUG-1:2", "4006381333931"],
    )
    .ok()
    .json();
    assert_eq!(first["sale_id"], "nightly-2026-03-01");
    // Again (the first answer lost), the items written another way: the
    // order first placed, exit 0.
    let again = place(&shop, Some("nightly-2026-03-01"), &["id:2", "2*mug-1"])
        .ok()
        .json();
    assert_eq!(again, first);
    assert_eq!(orders_listed(&shop).len(), 1);
    let mug = shop.json(&["product", "show", "MUG-1"]).ok().json();
    assert_eq!(mug["stock"], 18, "stock taken once");

    // A counter sale the same way.
    let paid = [
        "order",
        "place",
        "--customer",
        "walk-in",
        "--paid",
        "card",
        "--sale-id",
        "till-9.1",
        "MUG-1",
    ];
    let sale = shop.json(&paid).ok().json();
    assert_eq!(shop.json(&paid).ok().json(), sale);
    assert_eq!(orders_listed(&shop).len(), 2);

    // For people, `order show` says which id the order was placed with.
    let shown = shop.run(&["order", "show", "1"]).ok().stdout;
    assert!(
        shown.contains("\n  Sale id: nightly-2026-03-01\nTimeline:\n"),
        "{shown}"
    );
}

fn a_sale_id_used_for_another_order_is_refused_naming_the_order(shop: CliShop) {
    let shop = shop.stock();
    place(&shop, Some("s-1"), &["MUG-1:2"]).ok();
    place(&shop, Some("s-1"), &["MUG-1:3"]).refused(
        "error: sale id s-1 was already used for order 1, with another customer or other items; \
         order 1 stays as it was placed",
    );
    let other_customer = shop.json(&[
        "order",
        "place",
        "--customer",
        "walk-in",
        "--sale-id",
        "s-1",
        "MUG-1:2",
    ]);
    other_customer.refused("sale id s-1 was already used for order 1");
    assert_eq!(orders_listed(&shop).len(), 1);
    let mug = shop.json(&["product", "show", "MUG-1"]).ok().json();
    assert_eq!(mug["stock"], 18, "nothing more taken");
}

fn a_sale_id_that_breaks_the_rule_is_a_usage_error(shop: CliShop) {
    let shop = shop.stock();
    let too_long = "x".repeat(65);
    for (bad, why) in [
        ("till 1", "(this one contains “ ”)"),
        ("", "(this one is empty)"),
        (too_long.as_str(), "(this one has 65 characters)"),
        ("sale/1", "(this one contains “/”)"),
    ] {
        let run = place(&shop, Some(bad), &["MUG-1"]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        assert!(
            run.stderr.contains(&format!(
                "a sale id is 1 to 64 characters of A-Z a-z 0-9 . _ - {why}"
            )),
            "{bad}: {}",
            run.stderr
        );
    }
    assert!(orders_listed(&shop).is_empty());
}

fn without_a_sale_id_each_order_gets_a_new_one(shop: CliShop) {
    let shop = shop.stock();
    let ids: Vec<String> = (0..2)
        .map(|_| {
            place(&shop, None, &["MUG-1"]).ok().json()["sale_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        let uuid = uuid::Uuid::parse_str(id).unwrap();
        assert_eq!(uuid.get_version_num(), 4, "{id}");
    }
    assert_eq!(orders_listed(&shop).len(), 2);
}

// ---- the counter -------------------------------------------------------

const MUG: &str = "4006381333931";

/// On `shop`, a Walk-in sale of two mugs (20 in stock) at the counter,
/// checkout open.
fn at_checkout(mut shop: TestShop) -> Harness {
    add_product(&mut shop, MUG, "Blue mug", "12.50", 20);
    let mut h = Harness::sized(120, 40, shop);
    h.keys("<F4><Enter>")
        .keys(&format!("2*{MUG}<Enter><Enter>"));
    assert!(matches!(h.state.popup, Some(Popup::Checkout(_))));
    h
}

/// The sale [`at_checkout`] holds, as the counter sends it with `id`.
fn as_sent(id: &SaleId) -> NewOrder {
    sale(id.as_str(), WALK_IN_ID, &["id:1:2"])
}

/// The id of the sale in progress at the counter.
fn sale_in_progress(h: &Harness) -> SaleId {
    h.state
        .order_entry
        .sale_id
        .clone()
        .expect("the sale has its id")
}

fn a_refused_checkout_and_the_second_enter_send_the_same_sale_id_and_the_next_sale_another(
    shop: TestShop,
) {
    let mut h = at_checkout(shop);
    let id = sale_in_progress(&h);
    // Refused: the price changed since the scan. The sale keeps its id.
    let mug = h.shop.product(MUG).unwrap();
    let dearer = ProductChanges {
        price: Some(Cents::new(1500)),
        ..Default::default()
    };
    h.shop.edit_product(mug.id, &dearer, at(1)).unwrap();
    h.keys("<Enter>");
    assert_eq!(count_orders(&h.shop), 0, "{}", h.message());
    assert_eq!(sale_in_progress(&h), id);
    // Closing checkout and opening it again keeps it too.
    h.keys("<Esc><Enter>");
    assert_eq!(sale_in_progress(&h), id);
    h.keys("<Enter>");
    let placed = h.shop.order(1).unwrap();
    assert_eq!(placed.sale_id, Some(id.clone()), "{}", h.message());

    // The next sale starts without one and gets its own at checkout.
    assert_eq!(h.state.order_entry.sale_id, None);
    h.keys(&format!("{MUG}<Enter><Enter>"));
    let next = sale_in_progress(&h);
    assert_ne!(next, id);
    h.keys("<Enter>");
    assert_eq!(h.shop.order(2).unwrap().sale_id, Some(next));
}

/// Busy as SQLite is: another connection holds the file's write lock (a
/// server's locks and its retries are `tests/contention.rs`'s).
#[test]
fn a_busy_database_keeps_the_sale_id_for_the_second_enter() {
    let mut h = at_checkout(contract::sqlite());
    let id = sale_in_progress(&h);
    let blocker = rusqlite::Connection::open(h.shop.db_arg()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    h.keys("<Enter>");
    assert!(h.message().contains("try again"), "{}", h.message());
    assert_eq!(sale_in_progress(&h), id);
    blocker.execute_batch("ROLLBACK").unwrap();
    h.keys("<Enter>");
    assert_eq!(h.shop.order(1).unwrap().sale_id, Some(id));
}

fn a_sale_placed_before_its_answer_was_lost_is_found_by_the_second_enter_not_placed_again(
    shop: TestShop,
) {
    let mut h = at_checkout(shop);
    let id = sale_in_progress(&h);
    // The first Enter's sale reached the database, its answer did not (a
    // lost connection): as if another connection had placed it.
    let order = as_sent(&id);
    let total = h.shop.price_order(&order).unwrap().total;
    let first = h
        .shop
        .open_another()
        .unwrap()
        .place_counter_sale(&order, cash(total), total, at(1))
        .unwrap();
    h.keys("<Enter>");
    assert!(
        h.message().contains(&format!("Sale {} done", first.id)),
        "{}",
        h.message()
    );
    assert_eq!(count_orders(&h.shop), 1);
    assert_eq!(h.shop.product(MUG).unwrap().stock, 18, "stock taken once");
    assert_eq!(h.state.order_entry.sale_id, None, "a new sale begins");
}

fn a_cart_changed_after_its_sale_was_placed_is_told_and_voiding_starts_a_new_sale(shop: TestShop) {
    let mut h = at_checkout(shop);
    let id = sale_in_progress(&h);
    let first = h.shop.place_order(&as_sent(&id), at(1)).unwrap();
    // One more mug scanned, then Enter: not the sale placed.
    h.keys(&format!("<Esc>{MUG}<Enter><Enter><Enter>"));
    assert!(
        h.message().contains(&format!(
            "This sale was already placed as order {}",
            first.id
        )),
        "{}",
        h.message()
    );
    assert_eq!(count_orders(&h.shop), 1);
    assert_eq!(sale_in_progress(&h), id, "still the same sale");
    // Voided: the next sale is a new one.
    h.keys("<Esc><F9>y");
    assert_eq!(h.state.order_entry.sale_id, None);
    h.keys(&format!("<Enter>{MUG}<Enter><Enter>"));
    assert_ne!(sale_in_progress(&h), id);
    h.keys("<Enter>");
    assert_eq!(count_orders(&h.shop), 2);
}

// ---- parked sales --------------------------------------------------------

fn a_parked_sale_keeps_its_sale_id_and_one_never_taken_to_checkout_has_none(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG", "Blue mug", "12.50", 5);
    let two = shopdesk::domain::order::Quantity::new(2).unwrap();
    let with_id = shop
        .park_sale(
            WALK_IN_ID,
            &[(mug.id, two)],
            Some(&sale_id("till-1.0007")),
            at(1),
        )
        .unwrap();
    let without = shop
        .park_sale(WALK_IN_ID, &[(mug.id, two)], None, at(2))
        .unwrap();
    let listed: Vec<(i64, Option<SaleId>)> = shop
        .parked_sales()
        .unwrap()
        .into_iter()
        .map(|sale| (sale.id, sale.sale_id))
        .collect();
    assert_eq!(
        listed,
        [(with_id, Some(sale_id("till-1.0007"))), (without, None)]
    );
    let resumed = shop.resume_parked_sale(with_id).unwrap();
    assert_eq!(resumed.sale_id, Some(sale_id("till-1.0007")));
    assert_eq!(shop.resume_parked_sale(without).unwrap().sale_id, None);
    assert!(shop.check().unwrap().is_ok());
}

fn a_sale_parked_at_the_counter_is_resumed_with_its_sale_id_and_placed_with_it(shop: TestShop) {
    let mut h = at_checkout(shop);
    let id = sale_in_progress(&h);
    // Checkout closed, the sale parked: the next sale starts without an id.
    h.keys("<Esc><F8>");
    assert!(h.message().starts_with("Sale parked"), "{}", h.message());
    assert_eq!(h.state.order_entry.sale_id, None);
    assert_eq!(h.shop.parked_sales().unwrap()[0].sale_id, Some(id.clone()));
    // Resumed (F8 lists, Enter takes it): its id is back, and checkout
    // sends the sale with it, placed once as a new order.
    h.keys("<F8><Enter>");
    assert_eq!(sale_in_progress(&h), id, "{}", h.message());
    h.keys("<Enter><Enter>");
    let placed = h.shop.order(1).unwrap();
    assert_eq!(placed.sale_id, Some(id), "{}", h.message());
    assert!(
        h.message().starts_with(&format!("Sale {} done", placed.id)),
        "{}",
        h.message()
    );
    assert!(h.shop.parked_sales().unwrap().is_empty());

    // A sale parked before checkout ever opened has no id, and gets one
    // at its checkout.
    h.keys(&format!("{MUG}<Enter><F8><F8><Enter>"));
    assert_eq!(h.state.order_entry.sale_id, None, "{}", h.message());
    h.keys("<Enter>");
    assert_ne!(sale_in_progress(&h), placed.sale_id.clone().unwrap());
}

/// The answer to the checkout of the sale [`at_checkout`] holds is lost:
/// the sale is placed (as the counter sends it, through the app's own
/// effect runner), and the app hears that the server was away.
fn placed_but_answer_lost(h: &mut Harness) {
    let enter = common::harness::parse_keys("<Enter>")[0];
    let submit = shopdesk::app::keys::action_for(&h.state, enter).unwrap();
    assert!(
        matches!(submit, Action::Command(Command::Submit)),
        "{submit:?}"
    );
    let asked = update(&mut h.state, submit);
    assert!(
        matches!(asked.as_slice(), [Effect::PlaceCounterSale { .. }]),
        "{asked:?}"
    );
    for effect in asked {
        let answer = effects::run(&mut *h.shop, effect);
        assert!(
            matches!(answer, Some(Action::SaleCompleted(_))),
            "{answer:?}"
        );
    }
    let away = "cannot reach the database server at db.example.com:3306";
    update(
        &mut h.state,
        Action::Refused(Refusal {
            rule: None,
            server_away: Some(away.to_string()),
            message: format!("{away}: try again"),
        }),
    );
    assert!(h.message().contains("the sale is kept"), "{}", h.message());
}

fn a_sale_placed_whose_answer_was_lost_then_parked_and_resumed_is_found_not_placed_again(
    shop: TestShop,
) {
    let mut h = at_checkout(shop);
    let id = sale_in_progress(&h);
    placed_but_answer_lost(&mut h);
    assert_eq!(count_orders(&h.shop), 1);
    let placed = h.shop.order(1).unwrap();
    let after_first = shop_state(&*h.shop);
    // The cashier parks it (not knowing it was placed), then resumes it.
    h.keys("<Esc><F8>");
    assert_eq!(h.shop.parked_sales().unwrap()[0].sale_id, Some(id.clone()));
    h.keys("<F8><Enter>");
    assert_eq!(sale_in_progress(&h), id);
    // Enter, Enter: checkout finds the order placed with its id.
    h.keys("<Enter><Enter>");
    assert_eq!(
        h.message(),
        format!(
            "This sale had already been placed as order {0}, before it was parked (the answer to its checkout was lost): it was not placed again. Order {0} stands as placed then (F6 Order status shows it).",
            placed.id
        )
    );
    assert_eq!(
        shop_state(&*h.shop),
        after_first,
        "one order, stock taken once"
    );
    assert_eq!(h.shop.product(MUG).unwrap().stock, 18);
    assert!(
        h.shop.parked_sales().unwrap().is_empty(),
        "the parked sale is gone"
    );
    assert_eq!(h.state.order_entry.sale_id, None, "a new sale begins");
    assert_eq!(h.state.order_entry.parked_at, None);
}

contract_suite!(
    a_sale_sent_again_gets_the_order_first_placed_with_its_id,
    a_sale_id_used_for_another_sale_is_refused_naming_its_order_and_nothing_is_written,
    eight_counters_sending_one_sale_at_once_place_it_once,
    a_counter_sale_sent_again_gets_the_sale_first_placed,
    a_script_that_places_an_order_again_with_its_sale_id_gets_the_first_one,
    a_sale_id_used_for_another_order_is_refused_naming_the_order,
    a_sale_id_that_breaks_the_rule_is_a_usage_error,
    without_a_sale_id_each_order_gets_a_new_one,
    a_refused_checkout_and_the_second_enter_send_the_same_sale_id_and_the_next_sale_another,
    a_sale_placed_before_its_answer_was_lost_is_found_by_the_second_enter_not_placed_again,
    a_cart_changed_after_its_sale_was_placed_is_told_and_voiding_starts_a_new_sale,
    a_parked_sale_keeps_its_sale_id_and_one_never_taken_to_checkout_has_none,
    a_sale_parked_at_the_counter_is_resumed_with_its_sale_id_and_placed_with_it,
    a_sale_placed_whose_answer_was_lost_then_parked_and_resumed_is_found_not_placed_again,
);
