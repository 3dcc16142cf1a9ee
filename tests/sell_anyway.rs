//! Selling what the shelf has but the count does not: at checkout, a sale
//! refused out of stock asks whether to sell anyway and correct the count.
//! Yes raises each short product's stock by exactly the units short (a
//! `count` move with a note) in the sale's own transaction, then the sale
//! takes them: the stock ends at 0 and the ledger balances. Figures that
//! another counter changed meanwhile are asked again; the command line
//! keeps refusing.

mod common;

use common::harness::{Harness, cart, question};
use common::*;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use shopdesk::app::Popup;
use shopdesk::domain::order::{NewOrder, PaymentMethod, Status};
use shopdesk::domain::product::{CountCorrection, MoveReason, Restock};
use shopdesk::domain::{Cents, Error as Rule, Shortage};
use shopdesk::store::sqlite::SqliteStore;
use shopdesk::store::{Error, Shop};

const NOTE_OF_ORDER_1: &str = "sold at the counter beyond the count, in order 1";

/// Ann (customer 1); a tea cup none of which the count says is left, a
/// blue mug with one left, and plenty of red pens.
fn shop() -> TestStore {
    let mut shop = new_store();
    stock_shelves(&mut shop);
    shop
}

/// Ann, no tea cups, one blue mug and a hundred red pens.
fn stock_shelves(shop: &mut (impl AsShop + ?Sized)) {
    add_customer(shop, "Ann Lee", "ann@example.com", "555-0102");
    add_product(shop, "CUP-1", "Tea cup", "4.00", 0);
    add_product(shop, "MUG-1", "Blue mug", "12.50", 1);
    add_product(shop, "PEN-1", "Red pen", "1.99", 100);
}

/// The counter at 80×24, at checkout of two cups, three mugs and a pen,
/// refused out of stock: the question is asked.
fn asked() -> Harness {
    let mut h = Harness::sized(80, 24, shop());
    h.keys("<F4><Enter>2*cup-1<Enter>3*mug-1<Enter>pen-1<Enter><Enter><Enter>");
    h
}

fn checkout(h: &Harness) -> &shopdesk::app::state::Checkout {
    match &h.state.popup {
        Some(Popup::Checkout(checkout)) => checkout,
        other => panic!("no checkout but {other:?}; status line: {}", h.message()),
    }
}

fn stock(store: &(impl AsShop + ?Sized), sku: &str) -> i64 {
    store.shop().product(sku).unwrap().stock
}

/// A product's ledger as (change, reason, order, note).
fn ledger(
    store: &(impl AsShop + ?Sized),
    sku: &str,
) -> Vec<(i64, MoveReason, Option<i64>, String)> {
    let store = store.shop();
    let product = store.product(sku).unwrap();
    store
        .stock_moves(product.id)
        .unwrap()
        .into_iter()
        .map(|m| (m.delta, m.reason, m.order_id, m.note))
        .collect()
}

#[track_caller]
fn assert_sound(store: &(impl AsShop + ?Sized)) {
    let report = store.shop().check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn a_sale_short_of_the_count_asks_and_sells_anyway_leaving_the_stock_at_0() {
    let mut h = Harness::sized(80, 24, shop());
    h.keys("<F4><Enter>2*cup-1<Enter>3*mug-1<Enter>pen-1<Enter><Enter>50<Enter>");
    let asked = question(&h);
    for line in [
        "Tea cup: 0 in stock, 2 wanted (2 short)",
        "Blue mug: 1 in stock, 3 wanted (2 short)",
        "Sell anyway and correct the count?",
    ] {
        assert!(asked.contains(line), "{asked}");
    }
    assert!(!asked.contains("Red pen"), "only the short lines: {asked}");
    assert!(h.is_error() && h.message().starts_with("not enough stock: Tea cup"));
    assert!(h.bells > 0, "the refusal rings");
    assert_eq!(count_orders(&h.shop), 0, "nothing is sold before yes");

    h.keys("<Enter>");
    let order = h.shop.order(1).unwrap();
    assert_eq!(order.status, Status::Delivered);
    let payment = order.payment.unwrap();
    assert_eq!(
        (payment.method, payment.tendered),
        (PaymentMethod::Cash, Some(Cents::new(5000))),
        "the amount tendered was kept"
    );
    // 2 × 4.00 + 3 × 12.50 + 1.99 = 47.49: 2.51 back, shown large.
    assert_eq!(h.state.order_entry.change_due, Some(Cents::new(251)));
    assert!(h.message().contains("Sale 1 done"), "{}", h.message());
    assert!(h.state.popup.is_none() && h.state.order_entry.cart.is_empty());

    let shop = &h.shop;
    assert_eq!(
        (
            stock(shop, "CUP-1"),
            stock(shop, "MUG-1"),
            stock(shop, "PEN-1")
        ),
        (0, 0, 99)
    );
    let note = NOTE_OF_ORDER_1.to_string();
    assert_eq!(
        ledger(shop, "MUG-1"),
        [
            (1, MoveReason::Initial, None, String::new()),
            (2, MoveReason::Count, None, note.clone()),
            (-3, MoveReason::Sale, Some(1), String::new()),
        ]
    );
    assert_eq!(
        ledger(shop, "CUP-1")[1..],
        [
            (2, MoveReason::Count, None, note),
            (-2, MoveReason::Sale, Some(1), String::new()),
        ]
    );
    assert_eq!(
        ledger(shop, "PEN-1")[1..],
        [(-1, MoveReason::Sale, Some(1), String::new())],
        "a line in stock is not corrected"
    );
    assert_sound(shop);
}

#[test]
fn esc_keeps_the_cart_the_way_to_pay_and_the_amount_typed() {
    let mut h = Harness::sized(80, 24, shop());
    h.keys("<F4><Enter>2*cup-1<Enter><Enter>20<Enter>");
    question(&h);
    h.keys("<Esc>");
    let back = checkout(&h);
    assert_eq!(
        (back.method, back.tendered.value()),
        (Some(PaymentMethod::Cash), "20"),
        "checkout as it was"
    );
    assert!(h.message().contains("not enough stock"), "{}", h.message());
    assert_eq!(cart(&h), [("CUP-1".to_string(), 2)]);
    assert_eq!(count_orders(&h.shop), 0);
    assert_eq!(ledger(&h.shop, "CUP-1").len(), 1, "nothing written");

    // Asked again by card, declined again: still card, the cash typed kept.
    h.keys("k<Enter>");
    question(&h);
    h.keys("n");
    assert_eq!(checkout(&h).method, Some(PaymentMethod::Card));
    assert_eq!(checkout(&h).tendered.value(), "20");
    // Esc from checkout is back at the cart, untouched.
    h.keys("<Esc>");
    assert!(h.state.popup.is_none());
    assert_eq!(cart(&h), [("CUP-1".to_string(), 2)]);

    h.keys("<Enter>k<Enter>y");
    let payment = h.shop.order(1).unwrap().payment.unwrap();
    assert_eq!(
        (payment.method, payment.tendered),
        (PaymentMethod::Card, None)
    );
    assert_eq!(stock(&h.shop, "CUP-1"), 0);
    assert_sound(&h.shop);
}

/// The counter asked about three mugs (one in stock), and a second
/// counter on the same shop.
fn three_mugs_asked() -> (Harness, SqliteStore) {
    let mut h = Harness::sized(80, 24, shop());
    h.keys("<F4><Enter>3*mug-1<Enter><Enter><Enter>");
    assert!(question(&h).contains("Blue mug: 1 in stock, 3 wanted (2 short)"));
    let other = SqliteStore::open(h.shop.path()).unwrap();
    (h, other)
}

#[test]
fn another_counter_selling_meanwhile_asks_again_with_the_new_figures() {
    let (mut h, mut other) = three_mugs_asked();
    // The second counter sells the one mug the count had.
    other
        .place_order(&new_order(1, &["MUG-1:1"]), at(1))
        .unwrap();
    let moves_before = ledger(&h.shop, "MUG-1");

    h.keys("<Enter>");
    let again = question(&h);
    assert!(again.contains("The stock changed meanwhile"), "{again}");
    assert!(
        again.contains("Blue mug: 0 in stock, 3 wanted (3 short)"),
        "{again}"
    );
    assert!(
        h.message().starts_with("the stock changed meanwhile"),
        "{}",
        h.message()
    );
    assert_eq!(count_orders(&h.shop), 1, "only the other counter's sale");
    assert_eq!(ledger(&h.shop, "MUG-1"), moves_before, "nothing written");

    h.keys("<Enter>");
    assert_eq!(h.shop.order(2).unwrap().items[0].quantity, 3);
    assert_eq!(stock(&h.shop, "MUG-1"), 0);
    assert_eq!(
        ledger(&h.shop, "MUG-1")[2..],
        [
            (
                3,
                MoveReason::Count,
                None,
                "sold at the counter beyond the count, in order 2".to_string()
            ),
            (-3, MoveReason::Sale, Some(2), String::new()),
        ]
    );
    assert_sound(&h.shop);
}

#[test]
fn restocked_meanwhile_the_sale_goes_ahead_as_it_is_on_the_next_enter() {
    let (mut h, mut other) = three_mugs_asked();
    let mug = h.shop.product("MUG-1").unwrap();
    other
        .restock(mug.id, Restock::add(10).unwrap(), at(1))
        .unwrap();

    h.keys("<Enter>");
    checkout(&h);
    assert!(
        h.message()
            .ends_with("every item is in stock now; Enter places the sale."),
        "{}",
        h.message()
    );
    assert_eq!(count_orders(&h.shop), 0);

    h.keys("<Enter>");
    assert_eq!(count_orders(&h.shop), 1, "{}", h.message());
    assert_eq!(stock(&h.shop, "MUG-1"), 8);
    assert!(
        ledger(&h.shop, "MUG-1")
            .iter()
            .all(|(_, reason, _, _)| *reason != MoveReason::Count),
        "no count was corrected"
    );
    assert_sound(&h.shop);
}

#[test]
fn an_order_to_pay_later_sells_beyond_the_count_too() {
    let mut h = Harness::sized(80, 24, shop());
    h.keys("<F4>ann<Enter>2*cup-1<Enter><Enter>l<Enter>");
    question(&h);
    h.keys("<Enter>");
    let order = h.shop.order(1).unwrap();
    assert_eq!((order.status, order.customer_id), (Status::Pending, 1));
    assert!(
        h.message().contains("Order 1 placed for Ann Lee"),
        "{}",
        h.message()
    );
    assert_eq!(stock(&h.shop, "CUP-1"), 0);
    assert_sound(&h.shop);
}

#[test]
fn the_question_fits_the_smallest_screen_however_many_lines_are_short() {
    let mut shop = new_store();
    let mut keys = "<F4><Enter>".to_string();
    for n in 1..=9 {
        add_product(
            &mut shop,
            &format!("CUP-{n}"),
            &format!("Tea cup {n}"),
            "4",
            0,
        );
        keys.push_str(&format!("cup-{n}<Enter>"));
    }
    let mut h = Harness::sized(80, 24, shop);
    h.keys(&keys).keys("<Enter><Enter>");
    let asked = question(&h);
    assert!(
        asked.contains("Tea cup 6: 0 in stock, 1 wanted (1 short)"),
        "{asked}"
    );
    assert!(!asked.contains("Tea cup 7:"), "{asked}");
    assert!(
        asked.contains("and 3 more, named on the status line"),
        "{asked}"
    );
    let screen = h.screen();
    assert!(screen.contains("Enter yes"), "the answers show:\n{screen}");
    assert!(
        screen.contains("Sell anyway and correct the count?") && screen.contains("│at 0."),
        "the question is whole:\n{screen}"
    );

    h.keys("<Enter>");
    let items = &h.shop.order(1).unwrap().items;
    assert_eq!(items.len(), 9, "every short line was corrected and sold");
    assert_sound(&h.shop);
}

#[test]
fn the_ledger_shows_the_note_and_the_command_line_keeps_refusing() {
    let mut h = asked();
    h.keys("<Enter>");
    let db = h.shop.path().to_path_buf();
    let run = |args: &[&str]| {
        common::cli::finish(
            common::cli::shopdesk()
                .arg("--db")
                .arg(&db)
                .args(args)
                .output()
                .unwrap(),
        )
    };

    let table = run(&["product", "moves", "MUG-1"]).ok().stdout;
    assert!(
        table.contains(&format!("counted: {NOTE_OF_ORDER_1}")),
        "{table}"
    );
    let json = run(&["--json", "product", "moves", "MUG-1"])
        .ok()
        .json_lines();
    let notes: Vec<&str> = json.iter().map(|m| m["note"].as_str().unwrap()).collect();
    assert_eq!(notes, ["", NOTE_OF_ORDER_1, ""]);
    assert!(run(&["check"]).ok().stdout.contains("is sound"));

    // A script has no one to ask: out of stock is refused, as ever.
    run(&["order", "place", "--customer", "walk-in", "CUP-1:2"])
        .refused("not enough stock: Tea cup: 0 in stock, 2 wanted");
    assert_eq!(count_orders(&h.shop), 1);
    assert_eq!(ledger(&h.shop, "CUP-1").len(), 3);
}

/// A sale of the shop's cup, mug and pen: `cups` and `mugs` of them.
fn sale(cups: i64, mugs: i64, corrections: Vec<CountCorrection>) -> NewOrder {
    NewOrder {
        count_corrections: corrections,
        ..new_order(
            1,
            &[&format!("CUP-1:{cups}"), &format!("MUG-1:{mugs}"), "PEN-1"],
        )
    }
}

fn refused_short(result: Result<shopdesk::domain::order::Order, Error>) -> Vec<Shortage> {
    match result {
        Err(Error::Rule(Rule::OutOfStock(short))) => short,
        other => panic!("expected out of stock, got {other:?}"),
    }
}

fn corrections_that_are_no_longer_right_are_refused_whole_with_the_figures_of_now(
    mut shop: TestShop,
) {
    stock_shelves(&mut shop);
    let seen = refused_short(shop.place_order(&sale(2, 3, Vec::new()), at(0)));
    let confirmed = CountCorrection::for_shortages(&seen);
    let moves = shop.check().unwrap().stock_moves;

    // Only some of the lines short confirmed: the others would be sold
    // beyond a count no one looked at.
    let partial = shop.place_order(&sale(2, 3, confirmed[..1].to_vec()), at(1));
    assert!(
        matches!(&partial, Err(Error::Rule(Rule::StockChangedMeanwhile(now))) if *now == seen),
        "{partial:?}"
    );
    // A correction for a product the order does not hold.
    let pen = shop.product("PEN-1").unwrap();
    let stray = CountCorrection {
        product_id: pen.id,
        units_short: 1,
    };
    let mut with_stray = confirmed.clone();
    with_stray.push(stray);
    assert!(matches!(
        shop.place_order(&sale(2, 3, with_stray), at(1)),
        Err(Error::Rule(Rule::StockChangedMeanwhile(_)))
    ));

    // Another counter sold the last mug.
    shop.place_order(&new_order(1, &["MUG-1"]), at(2)).unwrap();
    let moves = moves + 1;
    let refused = shop.place_order(&sale(2, 3, confirmed.clone()), at(3));
    let Err(Error::Rule(Rule::StockChangedMeanwhile(now))) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(
        now.iter()
            .map(|s| (s.name.as_str(), s.in_stock, s.wanted))
            .collect::<Vec<_>>(),
        [("Tea cup", 0, 2), ("Blue mug", 0, 3)]
    );
    assert_eq!(count_orders(&shop), 1, "nothing written");
    assert_eq!(shop.check().unwrap().stock_moves, moves);
    assert_eq!((stock(&shop, "MUG-1"), stock(&shop, "PEN-1")), (0, 100));

    // The new figures, confirmed, sell.
    let order = shop
        .place_order(&sale(2, 3, CountCorrection::for_shortages(&now)), at(4))
        .unwrap();
    assert_eq!(order.id, 2);
    assert_eq!((stock(&shop, "CUP-1"), stock(&shop, "MUG-1")), (0, 0));
    assert_eq!(shop.check().unwrap().stock_moves, moves + 2 + 3);
    assert_sound(&shop);
}

/// What another counter does between the question and the answer.
#[derive(Debug, Clone, Copy)]
enum Meanwhile {
    Nothing,
    /// Sells this many of product `index` (as many as it has, at most).
    Sells(usize, i64),
    Restocks(usize, i64),
}

const SKUS: [&str; 3] = ["CUP-1", "MUG-1", "PEN-1"];

/// The lines short for `wanted` units of each product from `stocks`, as
/// (product index, in stock, wanted): the rule written again here.
fn model_short(stocks: &[i64; 3], wanted: &[i64; 3]) -> Vec<(usize, i64, i64)> {
    (0..3)
        .filter(|&i| wanted[i] > stocks[i])
        .map(|i| (i, stocks[i], wanted[i]))
        .collect()
}

fn shortage_figures(store: &dyn Shop, short: &[Shortage]) -> Vec<(usize, i64, i64)> {
    short
        .iter()
        .map(|s| {
            let sku = store.product_by_id(s.product_id).unwrap().sku;
            let index = SKUS.iter().position(|known| *known == sku).unwrap();
            (index, s.in_stock, s.wanted)
        })
        .collect()
}

fn stocks_of(store: &dyn Shop) -> [i64; 3] {
    SKUS.map(|sku| stock(store, sku))
}

fn order_of(wanted: &[i64; 3], corrections: Vec<CountCorrection>) -> NewOrder {
    let items: Vec<String> = (0..3)
        .map(|i| format!("{}:{}", SKUS[i], wanted[i]))
        .collect();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    NewOrder {
        count_corrections: corrections,
        ..new_order(1, &items)
    }
}

fn meanwhile() -> impl Strategy<Value = Meanwhile> {
    prop_oneof![
        Just(Meanwhile::Nothing),
        (0..3usize, 1..4i64).prop_map(|(i, n)| Meanwhile::Sells(i, n)),
        (0..3usize, 1..4i64).prop_map(|(i, n)| Meanwhile::Restocks(i, n)),
    ]
}

/// Whatever the stocks, the cart and what another counter does in
/// between: a sale beyond the count ends with each corrected stock at 0,
/// or is refused whole with exactly the figures of now and then sells once
/// they are confirmed; the ledger always sums to the stock and `check`
/// passes. On a fresh shop of the backend each case; a failure is shrunk
/// to the smallest case and kept in no file.
fn selling_beyond_the_count_always_balances_the_ledger(backend: TestShop) {
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let cases = (
        prop::array::uniform3(0..4i64),
        prop::array::uniform3(1..6i64),
        meanwhile(),
    );
    let outcome = TestRunner::new(config).run(&cases, |(start, wanted, between)| {
        let mut fresh = backend.fresh();
        let shop: &mut dyn Shop = &mut *fresh;
        add_customer(shop, "Ann Lee", "ann@example.com", "");
        for (sku, units) in SKUS.iter().zip(start) {
            add_product(shop, sku, sku, "1", units);
        }
        let first = shop.place_order(&order_of(&wanted, Vec::new()), at(0));
        let expected_short = model_short(&start, &wanted);
        let seen = match first {
            Ok(_) => {
                prop_assert!(expected_short.is_empty());
                assert_sound(shop);
                return Ok(());
            }
            Err(Error::Rule(Rule::OutOfStock(seen))) => seen,
            Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
        };
        prop_assert_eq!(shortage_figures(shop, &seen), expected_short.clone());

        let mut stocks = start;
        match between {
            Meanwhile::Nothing => {}
            Meanwhile::Sells(i, n) => {
                let n = n.min(stocks[i]);
                if n > 0 {
                    let line = format!("{}:{n}", SKUS[i]);
                    shop.place_order(&new_order(1, &[&line]), at(1)).unwrap();
                    stocks[i] -= n;
                }
            }
            Meanwhile::Restocks(i, n) => {
                let id = shop.product(SKUS[i]).unwrap().id;
                shop.restock(id, Restock::add(n).unwrap(), at(1)).unwrap();
                stocks[i] += n;
            }
        }
        let orders = count_orders(shop);
        let moves = shop.check().unwrap().stock_moves;
        let confirmed = CountCorrection::for_shortages(&seen);
        let short_now = model_short(&stocks, &wanted);
        let placed = match shop.place_order(&order_of(&wanted, confirmed), at(2)) {
            Ok(placed) => {
                prop_assert_eq!(&short_now, &expected_short, "sold on old figures");
                placed
            }
            Err(Error::Rule(Rule::StockChangedMeanwhile(now))) => {
                prop_assert_ne!(&short_now, &expected_short);
                prop_assert_eq!(shortage_figures(shop, &now), short_now.clone());
                prop_assert_eq!(stocks_of(shop), stocks, "nothing written");
                prop_assert_eq!(count_orders(shop), orders);
                prop_assert_eq!(shop.check().unwrap().stock_moves, moves);
                // Asked again, the cashier confirms the figures of now.
                let again = CountCorrection::for_shortages(&now);
                shop.place_order(&order_of(&wanted, again), at(3)).unwrap()
            }
            Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
        };
        prop_assert_eq!(placed.items.len(), 3);
        let after: [i64; 3] = std::array::from_fn(|i| (stocks[i] - wanted[i]).max(0));
        prop_assert_eq!(stocks_of(shop), after, "short lines end at 0");
        for sku in SKUS {
            let sum: i64 = ledger(shop, sku).iter().map(|(delta, ..)| delta).sum();
            prop_assert_eq!(sum, stock(shop, sku), "{}'s ledger", sku);
        }
        assert_sound(shop);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

#[test]
fn a_scan_over_the_question_does_not_answer_it() {
    let mut h = asked();
    // The next customer's item scanned while the question is open: its
    // Enter must not sell beyond the count.
    h.keys("4006381333931<Enter>");
    assert_eq!(count_orders(&h.shop), 0, "a scan's Enter is not a yes");
    assert!(question(&h).contains("Sell anyway"), "the question stays");
    assert!(
        h.is_error()
            && h.message()
                .contains("“4006381333931” was typed while a question was open"),
        "{}",
        h.message()
    );
    // A lower-case code with a y in it answers nothing either.
    h.keys("my-1<Enter>");
    assert_eq!(count_orders(&h.shop), 0);
    // The answer itself still works.
    h.keys("<Enter>");
    assert_eq!(count_orders(&h.shop), 1);
    assert_sound(&h.shop);
}

contract_suite!(
    corrections_that_are_no_longer_right_are_refused_whole_with_the_figures_of_now,
    selling_beyond_the_count_always_balances_the_ledger,
);
