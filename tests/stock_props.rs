//! Property tests over the real store against a model of the shop kept
//! here, independently of shopdesk's code: whatever mix of orders (valid
//! ones, and ones refused for stock, an archived or an unknown product),
//! shipments, cancellations, restocks and archiving happens, every outcome
//! is the one the model predicts (an order placed with the model's
//! totals, or the exact refusal), stock is conserved and the stock ledger
//! balances. A contract test: every backend is held to the same model.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use shopdesk::domain::Cents;
use shopdesk::domain::Error as Rule;
use shopdesk::domain::error::Shortage;
use shopdesk::domain::order::{ItemSpec, NewOrder, Order, Quantity, Status};
use shopdesk::domain::product::{ProductRef, Restock};
use shopdesk::store::{Error, Shop};

const PRODUCTS: usize = 4;
/// Every product starts with at least this many units, so the first
/// order (lines of at most [`FIRST_ORDER_MAX_UNITS`], at most
/// [`FIRST_ORDER_MAX_LINES`] of them) always fits: each case places at
/// least one order.
const MIN_STOCK: i64 = 8;
const FIRST_ORDER_MAX_LINES: usize = 3;
const FIRST_ORDER_MAX_UNITS: i64 = 2;
/// A line naming this index names no product at all.
const UNKNOWN: usize = PRODUCTS;
const UNKNOWN_SKU: &str = "NOPE-9";

/// The pricing rule as the README states it, written again here: more
/// than 10 items take 10% off the subtotal, rounded half up.
fn model_totals(lines: &[(i64, i64)]) -> (i64, i64, i64) {
    let subtotal: i64 = lines.iter().map(|(price, units)| price * units).sum();
    let items: i64 = lines.iter().map(|(_, units)| units).sum();
    let discount = if items > 10 {
        (subtotal * 10 + 50) / 100
    } else {
        0
    };
    (subtotal, discount, subtotal - discount)
}

/// The status moves the README allows, written again here.
fn model_move(from: Status, to: Status) -> bool {
    matches!(
        (from, to),
        (Status::Pending, Status::Shipped)
            | (Status::Pending, Status::Canceled)
            | (Status::Shipped, Status::Delivered)
    )
}

#[derive(Debug, Clone)]
enum Op {
    /// Lines of (product index, or [`UNKNOWN`]; quantity).
    Place(Vec<(usize, i64)>),
    Move(usize, Status),
    Restock(usize, i64),
    Archive(usize, bool),
}

fn lines(max_lines: usize, max_units: i64) -> impl Strategy<Value = Vec<(usize, i64)>> {
    prop::collection::vec((0..PRODUCTS, 1..=max_units), 1..=max_lines)
}

fn op() -> impl Strategy<Value = Op> {
    let status = prop_oneof![
        Just(Status::Shipped),
        Just(Status::Delivered),
        Just(Status::Canceled),
        Just(Status::Pending),
    ];
    prop_oneof![
        6 => lines(4, 7).prop_map(Op::Place),
        // An order with a line for a product that does not exist.
        1 => (lines(3, 3), any::<prop::sample::Index>()).prop_map(|(mut lines, at)| {
            let at = at.index(lines.len() + 1);
            lines.insert(at, (UNKNOWN, 1));
            Op::Place(lines)
        }),
        4 => (any::<usize>(), status).prop_map(|(order, to)| Op::Move(order, to)),
        1 => (0..PRODUCTS, 1i64..30).prop_map(|(product, units)| Op::Restock(product, units)),
        1 => (0..PRODUCTS, any::<bool>()).prop_map(|(product, active)| Op::Archive(product, active)),
    ]
}

/// The ops of one case: a first order that always fits, then any mix.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    (
        lines(FIRST_ORDER_MAX_LINES, FIRST_ORDER_MAX_UNITS),
        prop::collection::vec(op(), 1..24),
    )
        .prop_map(|(first, rest)| std::iter::once(Op::Place(first)).chain(rest).collect())
}

struct ModelProduct {
    id: i64,
    sku: String,
    name: String,
    price: i64,
    stock: i64,
    active: bool,
    /// Units that came in: the first stock plus every restock.
    received: i64,
}

struct ModelOrder {
    id: i64,
    status: Status,
    /// (product index, units), merged, in order of first appearance.
    lines: Vec<(usize, i64)>,
    totals: (i64, i64, i64),
}

struct Model {
    products: Vec<ModelProduct>,
    orders: Vec<ModelOrder>,
}

impl Model {
    /// What placing `lines` must give: the merged lines, or the refusal.
    fn place(&self, lines: &[(usize, i64)]) -> Result<Vec<(usize, i64)>, Rule> {
        for &(index, _) in lines {
            let Some(product) = self.products.get(index) else {
                return Err(Rule::ProductNotFound(UNKNOWN_SKU.into()));
            };
            if !product.active {
                return Err(Rule::ProductArchived {
                    sku: product.sku.clone(),
                    name: product.name.clone(),
                });
            }
        }
        let mut merged: Vec<(usize, i64)> = Vec::new();
        for &(index, units) in lines {
            match merged.iter_mut().find(|(first, _)| *first == index) {
                Some((_, total)) => *total += units,
                None => merged.push((index, units)),
            }
        }
        let shortages: Vec<Shortage> = merged
            .iter()
            .map(|&(index, wanted)| (&self.products[index], wanted))
            .filter(|(product, wanted)| *wanted > product.stock)
            .map(|(product, wanted)| Shortage {
                product_id: product.id,
                name: product.name.clone(),
                in_stock: product.stock,
                wanted,
            })
            .collect();
        if shortages.is_empty() {
            Ok(merged)
        } else {
            Err(Rule::OutOfStock(shortages))
        }
    }
}

fn item_specs(model: &Model, lines: &[(usize, i64)]) -> Vec<ItemSpec> {
    lines
        .iter()
        .map(|&(index, units)| ItemSpec {
            // Written as a clerk types a SKU on the command line.
            product: ProductRef::Bare(
                model
                    .products
                    .get(index)
                    .map_or(UNKNOWN_SKU.to_string(), |p| p.sku.clone()),
            ),
            quantity: Quantity::new(units).unwrap(),
        })
        .collect()
}

/// The refusal `result` must be, or a failure naming what came instead.
fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, Error>,
    expected: &Rule,
) -> Result<(), TestCaseError> {
    match result {
        Err(Error::Rule(rule)) => prop_assert_eq!(&rule, expected),
        other => prop_assert!(false, "expected {:?}, got {:?}", expected, other),
    }
    Ok(())
}

/// The stored order is the model's: items, prices, totals and status.
fn assert_order_matches(
    order: &Order,
    model: &Model,
    expected: &ModelOrder,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(order.id, expected.id);
    prop_assert_eq!(
        order.status,
        expected.status,
        "status of order {}",
        order.id
    );
    let items: Vec<(i64, i64, i64, i64)> = order
        .items
        .iter()
        .map(|item| {
            (
                item.product_id,
                item.quantity,
                item.unit_price.get(),
                item.line_total.get(),
            )
        })
        .collect();
    let model_items: Vec<(i64, i64, i64, i64)> = expected
        .lines
        .iter()
        .map(|&(index, units)| {
            let product = &model.products[index];
            // Prices never change in these cases: the sale's price is
            // the product's.
            (product.id, units, product.price, units * product.price)
        })
        .collect();
    prop_assert_eq!(items, model_items, "items of order {}", order.id);
    let (subtotal, discount, total) = expected.totals;
    prop_assert_eq!(
        (
            order.totals.subtotal,
            order.totals.discount,
            order.totals.total
        ),
        (
            Cents::new(subtotal),
            Cents::new(discount),
            Cents::new(total)
        ),
        "totals of order {}",
        order.id
    );
    Ok(())
}

/// Stock, archive state and ledger of every product are the model's, and
/// what came in equals what is on the shelf plus what orders that are not
/// canceled hold.
fn assert_products_match(store: &dyn Shop, model: &Model) -> Result<(), TestCaseError> {
    for (index, expected) in model.products.iter().enumerate() {
        let product = store.product(&expected.sku).unwrap();
        prop_assert_eq!(product.stock, expected.stock, "stock of {}", expected.sku);
        prop_assert_eq!(
            product.active,
            expected.active,
            "archive state of {}",
            expected.sku
        );
        let ledger: i64 = store
            .stock_moves(product.id)
            .unwrap()
            .iter()
            .map(|m| m.delta)
            .sum();
        prop_assert_eq!(
            ledger,
            product.stock,
            "the ledger of {} balances",
            expected.sku
        );
        let held: i64 = model
            .orders
            .iter()
            .filter(|order| order.status != Status::Canceled)
            .flat_map(|order| &order.lines)
            .filter(|(line_product, _)| *line_product == index)
            .map(|(_, units)| units)
            .sum();
        prop_assert_eq!(
            expected.received,
            product.stock + held,
            "stock of {} conserved",
            expected.sku
        );
    }
    Ok(())
}

fn run_op(shop: &mut dyn Shop, model: &mut Model, op: Op, step: i64) -> Result<(), TestCaseError> {
    let when = at(step);
    match op {
        Op::Place(lines) => {
            let order = NewOrder {
                customer_id: 1,
                items: item_specs(model, &lines),
                note: String::new(),
                count_corrections: Vec::new(),
                sale_id: None,
            };
            let result = shop.place_order(&order, when);
            match model.place(&lines) {
                Ok(merged) => {
                    let placed = match result {
                        Ok(placed) => placed,
                        Err(err) => {
                            return Err(TestCaseError::fail(format!("{lines:?} refused: {err}")));
                        }
                    };
                    let priced: Vec<(i64, i64)> = merged
                        .iter()
                        .map(|&(i, units)| (model.products[i].price, units))
                        .collect();
                    for &(index, units) in &merged {
                        model.products[index].stock -= units;
                    }
                    let expected = ModelOrder {
                        id: placed.id,
                        status: Status::Pending,
                        lines: merged,
                        totals: model_totals(&priced),
                    };
                    assert_order_matches(&placed, model, &expected)?;
                    model.orders.push(expected);
                }
                Err(refusal) => assert_refused(result, &refusal)?,
            }
        }
        Op::Move(pick, to) => {
            if model.orders.is_empty() {
                unreachable!("the first op always places an order");
            }
            let index = pick % model.orders.len();
            let (id, from) = (model.orders[index].id, model.orders[index].status);
            let result = shop.set_order_status(id, to, "", when);
            if from == to {
                assert_refused(
                    result,
                    &Rule::StatusUnchanged {
                        order: id,
                        status: from,
                    },
                )?;
            } else if !model_move(from, to) {
                assert_refused(
                    result,
                    &Rule::TransitionNotAllowed {
                        order: id,
                        from,
                        to,
                    },
                )?;
            } else {
                let moved = result
                    .map_err(|err| TestCaseError::fail(format!("{from} → {to} refused: {err}")))?;
                if to == Status::Canceled {
                    for &(product, units) in &model.orders[index].lines {
                        model.products[product].stock += units;
                    }
                }
                model.orders[index].status = to;
                assert_order_matches(&moved, model, &model.orders[index])?;
            }
        }
        Op::Restock(index, units) => {
            let id = model.products[index].id;
            let restocked = shop.restock(id, Restock::Add(units), when).unwrap();
            model.products[index].stock += units;
            model.products[index].received += units;
            prop_assert_eq!(restocked.stock, model.products[index].stock);
        }
        Op::Archive(index, active) => {
            let id = model.products[index].id;
            let product = shop.set_product_active(id, active, when).unwrap();
            model.products[index].active = active;
            prop_assert_eq!(product.active, active);
        }
    }
    Ok(())
}

/// Random steps on a fresh shop of the backend each case, checked against
/// the model; a failure is shrunk to the smallest case and kept in no file
/// (the repository keeps no regression file).
fn every_sale_and_refusal_is_the_models_and_stock_is_conserved(backend: TestShop) {
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let cases = (
        prop::collection::vec(MIN_STOCK..40, PRODUCTS),
        prop::collection::vec(0i64..5_000, PRODUCTS),
        ops(),
    );
    let outcome = TestRunner::new(config).run(&cases, |(stocks, prices, ops)| {
        let mut fresh = backend.fresh();
        let shop: &mut dyn Shop = &mut *fresh;
        let customer = add_customer(shop, "Ann Lee", "ann@example.com", "");
        prop_assert_eq!(customer.id, 1);
        let mut model = Model {
            products: Vec::new(),
            orders: Vec::new(),
        };
        for (index, (stock, price)) in stocks.iter().zip(&prices).enumerate() {
            let sku = format!("SKU-{index}");
            let name = format!("Product {index}");
            let price_text = format!("{}.{:02}", price / 100, price % 100);
            let product = add_product(shop, &sku, &name, &price_text, *stock);
            model.products.push(ModelProduct {
                id: product.id,
                sku,
                name,
                price: *price,
                stock: *stock,
                active: true,
                received: *stock,
            });
        }
        for (step, op) in ops.into_iter().enumerate() {
            run_op(shop, &mut model, op, step as i64)?;
            assert_products_match(shop, &model)?;
        }
        prop_assert!(!model.orders.is_empty(), "the first order always fits");
        for expected in &model.orders {
            assert_order_matches(&shop.order(expected.id).unwrap(), &model, expected)?;
        }
        prop_assert_eq!(
            count_orders(shop),
            model.orders.len(),
            "only the model's orders were stored"
        );
        let report = shop.check().unwrap();
        prop_assert!(report.is_ok(), "check finds {:?}", report.problems);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

contract_suite!(every_sale_and_refusal_is_the_models_and_stock_is_conserved);
