//! Counters writing at once, each on its own connection to one shop: of
//! two that register the same email, phone number or SKU, or resume the
//! same parked sale, at the same moment, one wins and the others get the
//! rule's refusal naming the winner, never a database error. Contract
//! tests, run on every backend (`contract_suite!` at the end); on SQLite
//! the write lock queues them, on a server the rows do.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use common::*;
use shopdesk::domain::customer::{SharedPhone, WALK_IN_ID};
use shopdesk::domain::order::Quantity;
use shopdesk::domain::product::{NewProduct, Sku, Stock};
use shopdesk::domain::text::Name;
use shopdesk::domain::{Cents, Error as Rule};
use shopdesk::store::{Error, Shop};

/// How many counters race in each test.
const COUNTERS: usize = 4;

/// Runs `write` on `COUNTERS` connections of their own to `shop`'s
/// database, all let go at once, and returns what each got, in counter
/// order.
fn race<T: Send + 'static>(
    shop: &TestShop,
    write: impl Fn(usize, &mut dyn Shop) -> Result<T, Error> + Send + Sync + 'static,
) -> Vec<Result<T, Error>> {
    let start = Arc::new(Barrier::new(COUNTERS));
    let write = Arc::new(write);
    let counters: Vec<_> = (0..COUNTERS)
        .map(|counter| {
            let mut connection = shop.open_another().unwrap();
            let (start, write) = (Arc::clone(&start), Arc::clone(&write));
            thread::spawn(move || {
                start.wait();
                write(counter, &mut *connection)
            })
        })
        .collect();
    counters
        .into_iter()
        .map(|counter| counter.join().unwrap())
        .collect()
}

/// The one success among `results`, and the refusals of the others, each
/// of which must be a rule's.
fn one_winner<T>(results: Vec<Result<T, Error>>) -> (T, Vec<Rule>) {
    let mut winners = Vec::new();
    let mut refusals = Vec::new();
    for result in results {
        match result {
            Ok(won) => winners.push(won),
            Err(Error::Rule(rule)) => refusals.push(rule),
            Err(other) => panic!("a database error, not a rule's refusal: {other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one counter wins");
    (winners.remove(0), refusals)
}

fn one_email_registered_at_once_on_several_counters_is_registered_once(shop: TestShop) {
    let results = race(&shop, |counter, shop| {
        // The same address, written differently on each counter.
        let email = ["ann@example.com", "ANN@example.com", "Ann@Example.com"][counter % 3];
        shop.add_customer(
            &new_customer(&format!("Ann {counter}"), email, ""),
            SharedPhone::Refuse,
            at(0),
        )
    });
    let (ann, refusals) = one_winner(results);
    for refusal in refusals {
        assert!(
            matches!(&refusal, Rule::EmailTaken { customer, .. } if *customer == ann.id),
            "{refusal:?}"
        );
    }
    assert_eq!(shop.search_customers("example.com", 10).unwrap(), [ann]);
}

fn one_phone_number_given_at_once_on_several_counters_is_asked_about(shop: TestShop) {
    let results = race(&shop, |counter, shop| {
        let phone = ["555 0102", "555-0102", "(555) 0102"][counter % 3];
        shop.add_customer(
            &new_customer(&format!("Bea {counter}"), "", phone),
            SharedPhone::Refuse,
            at(0),
        )
    });
    let (bea, refusals) = one_winner(results);
    for refusal in refusals {
        assert!(
            matches!(&refusal, Rule::PhoneTaken { customer, .. } if *customer == bea.id),
            "{refusal:?}"
        );
    }
    assert_eq!(shop.customers_by_contact("5550102").unwrap(), [bea]);
}

fn one_sku_added_at_once_on_several_counters_is_added_once(shop: TestShop) {
    let results = race(&shop, |counter, shop| {
        let sku = ["MUG-1", "mug-1", "Mug-1"][counter % 3];
        let new = NewProduct {
            sku: Sku::parse(sku).unwrap(),
            name: Name::parse("name", &format!("Mug {counter}")).unwrap(),
            price: Cents::new(100),
            stock: Stock::new(5).unwrap(),
            details: String::new(),
        };
        shop.add_product(&new, at(0))
    });
    let (mug, refusals) = one_winner(results);
    for refusal in refusals {
        assert!(
            matches!(&refusal, Rule::SkuTaken { product, .. } if *product == mug.id),
            "{refusal:?}"
        );
    }
    assert_eq!(shop.product_by_sku("MUG-1").unwrap(), Some(mug));
}

fn one_parked_sale_resumed_at_once_on_several_counters_is_resumed_once(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "10", 5);
    let q = Quantity::new(2).unwrap();
    let parked = shop
        .park_sale(WALK_IN_ID, &[(mug.id, q)], None, at(1))
        .unwrap();
    let (sale, refusals) = one_winner(race(&shop, move |_, shop| shop.resume_parked_sale(parked)));
    assert_eq!((sale.id, sale.lines.len()), (parked, 1));
    assert_eq!(
        refusals,
        vec![Rule::ParkedSaleNotFound(parked); COUNTERS - 1]
    );
    assert!(shop.parked_sales().unwrap().is_empty());
}

contract_suite!(
    one_email_registered_at_once_on_several_counters_is_registered_once,
    one_phone_number_given_at_once_on_several_counters_is_asked_about,
    one_sku_added_at_once_on_several_counters_is_added_once,
    one_parked_sale_resumed_at_once_on_several_counters_is_resumed_once,
);
