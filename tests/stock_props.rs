//! Property tests over the real store: whatever mix of orders, shipments
//! and cancellations happens, stock is conserved, the stock ledger
//! balances and totals obey pricing.

mod common;

use common::*;
use proptest::prelude::*;
use shopdesk::domain::order::{Quantity, Status, price_order};
use shopdesk::store::Store;

#[derive(Debug, Clone)]
enum Op {
    /// Lines of (product index, quantity).
    Place(Vec<(usize, i64)>),
    Ship(usize),
    Deliver(usize),
    Cancel(usize),
}

const PRODUCTS: usize = 4;

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => prop::collection::vec((0..PRODUCTS, 1i64..8), 1..5).prop_map(Op::Place),
        1 => any::<usize>().prop_map(Op::Ship),
        1 => any::<usize>().prop_map(Op::Deliver),
        2 => any::<usize>().prop_map(Op::Cancel),
    ]
}

/// initial stock = current stock + units held by orders that are not canceled.
fn assert_conserved(store: &Store, skus: &[String], initial: &[i64]) -> Result<(), TestCaseError> {
    let orders: Vec<_> = store
        .orders(Default::default())
        .map(Result::unwrap)
        .collect();
    for (sku, initial) in skus.iter().zip(initial) {
        let product = store.product(sku).unwrap();
        let held: i64 = orders
            .iter()
            .filter(|order| order.status != Status::Canceled)
            .flat_map(|order| &order.items)
            .filter(|item| item.product_id == product.id)
            .map(|item| item.quantity)
            .sum();
        prop_assert!(product.stock >= 0);
        let ledger: i64 = store
            .stock_moves(product.id)
            .unwrap()
            .iter()
            .map(|m| m.delta)
            .sum();
        prop_assert_eq!(ledger, product.stock, "the ledger of {} balances", sku);
        prop_assert_eq!(
            *initial,
            product.stock + held,
            "stock of {} not conserved",
            sku
        );
    }
    for order in &orders {
        let lines = order
            .items
            .iter()
            .map(|item| (item.unit_price, Quantity::new(item.quantity).unwrap()));
        prop_assert_eq!(price_order(lines).unwrap(), order.totals);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn stock_is_conserved_through_orders_and_cancellations(
        stocks in prop::collection::vec(0i64..25, PRODUCTS),
        prices in prop::collection::vec(0i64..5_000, PRODUCTS),
        ops in prop::collection::vec(op(), 1..16),
    ) {
        let mut shop = new_store();
        let customer = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
        let skus: Vec<String> = (0..PRODUCTS).map(|i| format!("SKU-{i}")).collect();
        for ((sku, stock), price) in skus.iter().zip(&stocks).zip(&prices) {
            add_product(&mut shop, sku, sku, &format!("{}.{:02}", price / 100, price % 100), *stock);
        }
        let mut placed: Vec<i64> = Vec::new();
        for (step, op) in ops.into_iter().enumerate() {
            let when = at(step as i64);
            let pick = |index: usize| placed.get(index % placed.len().max(1)).copied();
            match op {
                Op::Place(lines) => {
                    let items: Vec<String> = lines.iter().map(|(p, q)| format!("{}:{q}", skus[*p])).collect();
                    let items: Vec<&str> = items.iter().map(String::as_str).collect();
                    if let Ok(order) = shop.place_order(&new_order(customer.id, &items), when) {
                        placed.push(order.id);
                    }
                }
                Op::Ship(index) => if let Some(id) = pick(index) { let _ = shop.set_order_status(id, Status::Shipped, "", when); },
                Op::Deliver(index) => if let Some(id) = pick(index) { let _ = shop.set_order_status(id, Status::Delivered, "", when); },
                Op::Cancel(index) => if let Some(id) = pick(index) { let _ = shop.set_order_status(id, Status::Canceled, "", when); },
            }
            assert_conserved(&shop, &skus, &stocks)?;
        }
        let report = shop.check().unwrap();
        prop_assert!(report.is_ok(), "check finds {:?}", report.problems);
    }
}
