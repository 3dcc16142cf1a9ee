//! The rules at their edges: stock never leaves 0 to 999,999,999 whatever
//! moves it, and emails are unique ignoring case and accents in every
//! script. Through the store and through the command line.

mod common;

use common::cli::Shop;
use common::*;
use rusqlite::Connection;
use shopdesk::domain::order::Status;
use shopdesk::domain::product::{MAX_STOCK, Restock, Stock};
use shopdesk::domain::{Error as Rule, Shortage};
use shopdesk::store::{Error, Store};

fn rule(error: Error) -> Rule {
    match error {
        Error::Rule(rule) => rule,
        other => panic!("expected a rule violation, got {other:?}"),
    }
}

/// Writes `sql` as another SQLite tool would, past the CHECKs.
fn tamper(path: &std::path::Path, sql: &str) {
    Connection::open(path)
        .unwrap()
        .execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {sql}"))
        .unwrap();
}

fn ledger_len(store: &Store, product_id: i64) -> usize {
    store.stock_moves(product_id).unwrap().len()
}

// ---- stock bounds -----------------------------------------------------------

#[test]
fn canceling_never_lifts_stock_past_the_maximum_and_writes_nothing() {
    let mut shop = new_store();
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", 10_000);
    let order = shop
        .place_order(&new_order(ann.id, &["MUG-1:9999"]), at(1))
        .unwrap();
    shop.restock(mug.id, Restock::Set(Stock::new(MAX_STOCK).unwrap()), at(2))
        .unwrap();
    let moves = ledger_len(&shop, mug.id);

    let refused = rule(
        shop.set_order_status(order.id, Status::Canceled, "", at(3))
            .unwrap_err(),
    );
    assert_eq!(
        refused,
        Rule::StockLimit {
            product_id: mug.id,
            sku: "MUG-1".into(),
            name: "Blue mug".into(),
            stock: MAX_STOCK,
            delta: 9999,
        }
    );
    assert!(
        refused.to_string().contains("Blue mug (MUG-1)"),
        "{refused}"
    );
    assert_eq!(shop.product_by_id(mug.id).unwrap().stock, MAX_STOCK);
    assert_eq!(shop.order(order.id).unwrap().status, Status::Pending);
    assert_eq!(shop.order_events(order.id).unwrap().len(), 1);
    assert_eq!(ledger_len(&shop, mug.id), moves, "no ledger row written");
    assert!(shop.check().unwrap().is_ok());
}

#[test]
fn adding_stock_past_the_maximum_is_refused_naming_the_product() {
    let mut shop = new_store();
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", MAX_STOCK - 1);
    let refused = rule(
        shop.restock(mug.id, Restock::add(2).unwrap(), at(1))
            .unwrap_err(),
    );
    assert_eq!(
        refused,
        Rule::StockLimit {
            product_id: mug.id,
            sku: "MUG-1".into(),
            name: "Blue mug".into(),
            stock: MAX_STOCK - 1,
            delta: 2,
        }
    );
    assert_eq!(shop.product_by_id(mug.id).unwrap().stock, MAX_STOCK - 1);
    assert_eq!(ledger_len(&shop, mug.id), 1);
    // Up to the maximum itself is fine.
    let full = shop
        .restock(mug.id, Restock::add(1).unwrap(), at(2))
        .unwrap();
    assert_eq!(full.stock, MAX_STOCK);
}

#[test]
fn a_stock_changed_by_hand_past_the_bounds_moves_only_back_inside_them() {
    let mut shop = new_store();
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", 5);
    let path = shop.path().to_path_buf();
    tamper(
        &path,
        &format!(
            "UPDATE products SET stock = {} WHERE id = {}",
            MAX_STOCK + 5,
            mug.id
        ),
    );

    // Selling one would still leave more than a product can hold.
    let refused = rule(
        shop.place_order(&new_order(ann.id, &["MUG-1:1"]), at(1))
            .unwrap_err(),
    );
    assert_eq!(
        refused,
        Rule::StockLimit {
            product_id: mug.id,
            sku: "MUG-1".into(),
            name: "Blue mug".into(),
            stock: MAX_STOCK + 5,
            delta: -1,
        }
    );
    assert_eq!(count_orders(&shop), 0);
    assert!(matches!(
        rule(
            shop.restock(mug.id, Restock::add(1).unwrap(), at(2))
                .unwrap_err()
        ),
        Rule::StockLimit { .. }
    ));
    // Counting the shelf brings it back, through the ledger.
    let counted = shop
        .restock(mug.id, Restock::Set(Stock::new(7).unwrap()), at(3))
        .unwrap();
    assert_eq!(counted.stock, 7);
    let last = shop.stock_moves(mug.id).unwrap().pop().unwrap();
    assert_eq!(last.delta, 7 - (MAX_STOCK + 5));
}

#[test]
fn a_short_sale_still_names_every_short_line() {
    let mut shop = new_store();
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", 1);
    let pen = add_product(&mut shop, "PEN", "Red pen", "1", 0);
    assert_eq!(
        rule(
            shop.place_order(&new_order(ann.id, &["MUG-1:2", "PEN:1"]), at(1))
                .unwrap_err()
        ),
        Rule::OutOfStock(vec![
            Shortage {
                product_id: mug.id,
                name: "Blue mug".into(),
                in_stock: 1,
                wanted: 2
            },
            Shortage {
                product_id: pen.id,
                name: "Red pen".into(),
                in_stock: 0,
                wanted: 1
            },
        ])
    );
}

#[test]
fn check_names_every_product_whose_stock_is_outside_the_bounds() {
    let mut shop = new_store();
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", 5);
    let pen = add_product(&mut shop, "PEN", "Red pen", "1", 5);
    let path = shop.path().to_path_buf();
    // Ledgers changed to agree, so only the bounds are wrong.
    tamper(
        &path,
        &format!(
            "UPDATE products SET stock = {above} WHERE id = {mug};
             UPDATE stock_moves SET delta = {above} WHERE product_id = {mug};
             UPDATE products SET stock = -3 WHERE id = {pen};
             UPDATE stock_moves SET delta = -3 WHERE product_id = {pen};",
            above = MAX_STOCK + 1,
            mug = mug.id,
            pen = pen.id,
        ),
    );
    let report = shop.check().unwrap();
    let stock_problems: Vec<&str> = report
        .problems
        .iter()
        .filter(|p| p.kind.as_str() == "stock")
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(
        stock_problems,
        [
            format!(
                "product {} (MUG-1): stock 1000000000 is outside 0 to 999999999",
                mug.id
            ),
            format!(
                "product {} (PEN): stock -3 is outside 0 to 999999999",
                pen.id
            ),
        ]
    );
}

#[test]
fn from_the_command_line_a_cancel_past_the_maximum_is_refused_and_check_finds_stock_out_of_bounds()
{
    let shop = Shop::stocked();
    shop.run(&["product", "restock", "MUG-1", "--add", "9979"])
        .ok();
    shop.run(&["order", "place", "--customer", "1", "MUG-1:9999"])
        .ok();
    shop.run(&["product", "restock", "MUG-1", "--set", "999999999"])
        .ok();
    shop.run(&["order", "status", "1", "canceled"])
        .refused("Blue mug (MUG-1)");
    let mug = shop.json(&["product", "show", "MUG-1"]).ok().json();
    assert_eq!(mug["stock"], 999_999_999);
    let order = shop.json(&["order", "show", "1"]).ok().json();
    assert_eq!(order["status"], "pending");
    shop.run(&["product", "restock", "MUG-1", "--add", "1"])
        .refused("Blue mug (MUG-1)");
    shop.run(&["check"]).ok();

    tamper(
        &shop.db(),
        "UPDATE products SET stock = stock + 1 WHERE sku = 'MUG-1';
         UPDATE stock_moves SET delta = delta + 1 WHERE product_id = 1 AND seq = 1;",
    );
    let run = shop.run(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("product 1 (MUG-1): stock 1000000000 is outside 0 to 999999999"),
        "{}",
        run.stdout
    );
}
