//! The rules at their edges: stock never leaves 0 to 999,999,999 whatever
//! moves it, and emails are unique ignoring case and accents in every
//! script. Through the store (contract tests, run on every backend, rows
//! written by hand included) and through the command line.

mod common;

use common::cli::Shop;
use common::*;
use rusqlite::Connection;
use shopdesk::domain::customer::{CustomerChanges, Email, SharedPhone};
use shopdesk::domain::order::Status;
use shopdesk::domain::product::{MAX_STOCK, Restock, Stock};
use shopdesk::domain::{Error as Rule, Shortage};
use shopdesk::store::Error;

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

/// The refusal of moving `delta` units of the Blue mug (MUG-1).
fn mug_limit(product_id: i64, stock: i64, delta: i64) -> Rule {
    Rule::StockLimit {
        product_id,
        sku: "MUG-1".into(),
        name: "Blue mug".into(),
        stock,
        delta,
    }
}

fn ledger_len(store: &(impl AsShop + ?Sized), product_id: i64) -> usize {
    store.shop().stock_moves(product_id).unwrap().len()
}

// ---- stock bounds -----------------------------------------------------------

fn canceling_never_lifts_stock_past_the_maximum_and_writes_nothing(mut shop: TestShop) {
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
    assert_eq!(refused, mug_limit(mug.id, MAX_STOCK, 9999));
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

fn adding_stock_past_the_maximum_is_refused_naming_the_product(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", MAX_STOCK - 1);
    let refused = rule(
        shop.restock(mug.id, Restock::add(2).unwrap(), at(1))
            .unwrap_err(),
    );
    assert_eq!(refused, mug_limit(mug.id, MAX_STOCK - 1, 2));
    assert_eq!(shop.product_by_id(mug.id).unwrap().stock, MAX_STOCK - 1);
    assert_eq!(ledger_len(&shop, mug.id), 1);
    // Up to the maximum itself is fine.
    let full = shop
        .restock(mug.id, Restock::add(1).unwrap(), at(2))
        .unwrap();
    assert_eq!(full.stock, MAX_STOCK);
}

fn a_stock_changed_by_hand_past_the_bounds_moves_only_back_inside_them(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", 5);
    shop.by_hand(&format!(
        "UPDATE products SET stock = {} WHERE id = {}",
        MAX_STOCK + 5,
        mug.id
    ));

    // Selling one would still leave more than a product can hold.
    let refused = rule(
        shop.place_order(&new_order(ann.id, &["MUG-1:1"]), at(1))
            .unwrap_err(),
    );
    assert_eq!(refused, mug_limit(mug.id, MAX_STOCK + 5, -1));
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

fn a_stock_changed_by_hand_to_the_largest_number_is_refused_without_overflowing(
    mut shop: TestShop,
) {
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", 5);
    shop.by_hand(&format!(
        "UPDATE products SET stock = {} WHERE id = {}",
        i64::MAX,
        mug.id
    ));
    // Adding one more would overflow the sum itself: still the rule's
    // refusal, not the database's.
    let refused = rule(
        shop.restock(mug.id, Restock::add(1).unwrap(), at(1))
            .unwrap_err(),
    );
    assert_eq!(refused, mug_limit(mug.id, i64::MAX, 1));
    assert_eq!(shop.product_by_id(mug.id).unwrap().stock, i64::MAX);
    assert_eq!(ledger_len(&shop, mug.id), 1);
    let counted = shop
        .restock(mug.id, Restock::Set(Stock::new(3).unwrap()), at(2))
        .unwrap();
    assert_eq!(counted.stock, 3);
}

#[test]
fn in_the_app_a_restock_past_the_maximum_is_refused_next_to_the_units() {
    let mut shop = new_store();
    add_product(&mut shop, "MUG-1", "Blue mug", "1", MAX_STOCK - 1);
    let mut h = harness::Harness::sized(80, 24, shop);
    h.keys("<F3><C-r>5<Enter>");
    let form = match &h.state.popup {
        Some(shopdesk::app::Popup::Form(form)) => form,
        other => panic!("the form stays open: {other:?}"),
    };
    let units = &form.fields[0];
    assert_eq!(units.id, shopdesk::app::form::FieldId::AddUnits);
    let error = units.error.as_deref().unwrap_or_default();
    assert!(error.contains("Blue mug (MUG-1)"), "{error:?}");
    assert_eq!(h.shop.product("MUG-1").unwrap().stock, MAX_STOCK - 1);
}

fn a_short_sale_still_names_every_short_line(mut shop: TestShop) {
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

fn check_names_every_product_whose_stock_is_outside_the_bounds(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", 5);
    let pen = add_product(&mut shop, "PEN", "Red pen", "1", 5);
    // Ledgers changed to agree, so only the bounds are wrong.
    shop.tamper(&format!(
        "UPDATE products SET stock = {above} WHERE id = {mug};
         UPDATE stock_moves SET delta = {above} WHERE product_id = {mug};
         UPDATE products SET stock = -3 WHERE id = {pen};
         UPDATE stock_moves SET delta = -3 WHERE product_id = {pen};",
        above = MAX_STOCK + 1,
        mug = mug.id,
        pen = pen.id,
    ));
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

#[test]
fn the_demo_shop_never_takes_a_ledger_outside_the_bounds() {
    // Seeds whose shop once sold units a product did not have yet (an
    // early sale canceled late, on a nearly empty shelf).
    for seed in ["1", "3"] {
        let shop = Shop::new();
        shop.run(&["demo", "--seed", seed]).ok();
        let conn = Connection::open(shop.db()).unwrap();
        let mut statement = conn
            .prepare(
                "SELECT product_id, seq, balance FROM (
                     SELECT product_id, seq,
                            sum(delta) OVER (PARTITION BY product_id ORDER BY seq) AS balance
                     FROM stock_moves)
                 WHERE balance NOT BETWEEN 0 AND ?1",
            )
            .unwrap();
        let outside: Vec<(i64, i64, i64)> = statement
            .query_map([MAX_STOCK], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(outside, [], "seed {seed}: (product, move, balance)");
        shop.run(&["check"]).ok();
    }
}

// ---- email keys and invisible text --------------------------------------------

fn register(store: &mut (impl AsShop + ?Sized), name: &str, email: &str) -> Result<i64, Error> {
    let new = new_customer(name, email, "");
    store
        .shop_mut()
        .add_customer(&new, SharedPhone::Refuse, at(0))
        .map(|customer| customer.id)
}

fn emails_collide_ignoring_case_and_accents_in_any_script(mut shop: TestShop) {
    let pairs = [
        ("Ünal@example.de", "ünal@example.de"),
        ("straße@example.de", "STRASSE@example.de"),
        ("jos\u{e9}@example.org", "jose\u{301}@example.org"),
        ("ΣΊΣΥΦΟΣ@example.gr", "σίσυφος@example.gr"),
    ];
    for (first, second) in pairs {
        let holder = register(&mut shop, "First", first).unwrap();
        assert_eq!(
            rule(register(&mut shop, "Second", second).unwrap_err()),
            Rule::EmailTaken {
                email: second.into(),
                customer: holder
            },
            "{first} / {second}"
        );
    }
    // Different letters stay different.
    register(&mut shop, "Plain", "jose@example.org").unwrap();
    register(&mut shop, "Strase", "strase@example.de").unwrap();
}

fn an_edit_to_an_email_someone_has_ignoring_accents_is_refused(mut shop: TestShop) {
    let ann = register(&mut shop, "Ann", "ünal@example.de").unwrap();
    let bob = register(&mut shop, "Bob", "bob@example.de").unwrap();
    let changes = CustomerChanges {
        email: Some(Email::parse_optional("ÜNAL@example.de").unwrap()),
        ..Default::default()
    };
    assert_eq!(
        rule(
            shop.edit_customer(bob, &changes, SharedPhone::Refuse)
                .unwrap_err()
        ),
        Rule::EmailTaken {
            email: "ÜNAL@example.de".into(),
            customer: ann
        }
    );
    // A customer may change the case of their own email.
    let edited = shop
        .edit_customer(ann, &changes, SharedPhone::Refuse)
        .unwrap();
    assert_eq!(edited.email.as_deref(), Some("ÜNAL@example.de"));
    assert!(shop.check().unwrap().is_ok());
}

fn check_names_an_email_with_a_hidden_character_written_by_hand(mut shop: TestShop) {
    let eve = register(&mut shop, "Eve", "eve@example.com").unwrap();
    shop.tamper(&format!(
        "UPDATE customers SET email = 'eve\u{200b}@example.com' WHERE id = {eve}"
    ));
    let report = shop.check().unwrap();
    let problems: Vec<(&str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.kind.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                "email",
                "customer 1: “eve\u{200b}@example.com” is not an email address: \
                 it contains U+200B, an invisible or direction character"
            ),
            (
                "email",
                "customer 1: its email key is not the key of its email"
            ),
        ]
    );
}

fn an_exact_email_is_found_first_ignoring_case_and_accents(mut shop: TestShop) {
    register(&mut shop, "Aaron", "zünal@example.de").unwrap();
    let zed = register(&mut shop, "Zed", "ünal@example.de").unwrap();
    let found = shop.search_customers("ÜNAL@example.de", 10).unwrap();
    let ids: Vec<i64> = found.iter().map(|c| c.id).collect();
    assert_eq!(ids[0], zed, "the exact email comes first: {found:?}");
    let decomposed = shop.search_customers("u\u{308}nal@example.de", 10).unwrap();
    assert_eq!(decomposed[0].id, zed);
}

#[test]
fn from_the_command_line_emails_and_names_are_refused_with_the_reason() {
    let shop = Shop::new();
    shop.run(&[
        "customer",
        "add",
        "--name",
        "Ünal",
        "--email",
        "Ünal@example.de",
    ])
    .ok();
    let add =
        |name: &str, email: &str| shop.run(&["customer", "add", "--name", name, "--email", email]);
    add("Ece", "ünal@example.de").refused("already used by customer 1");
    add("Eve", "eve\u{200b}@example.com").refused("U+200B");
    add("Eve", "\u{202e}moc.elpmaxe@eve").refused("U+202E");
    add("\u{200b}\u{2060}\u{3164}", "ghost@example.com").refused("name has no visible character");
    shop.run(&[
        "product", "add", "--sku", "X1", "--name", "\u{feff}", "--price", "1", "--stock", "1",
    ])
    .refused("--name: name has no visible character");
    let customers = shop.json(&["customer", "list"]).ok().json_lines();
    assert_eq!(customers.len(), 2, "Walk-in and Ünal: {customers:?}");
}

#[test]
fn the_shops_and_the_counters_names_need_a_visible_character_too() {
    let shop = Shop::new();
    let config = shop.dir.path().join("config.toml");
    for invisible in [
        "\u{200b}",
        "\u{00ad}\u{00ad}",
        "\u{feff}",
        "\u{2060}\u{3164}",
    ] {
        shop.run(&["settings", "set", "shop_name", invisible])
            .refused("shop name has no visible character");
        shop.run(&[
            "--config",
            config.to_str().unwrap(),
            "config",
            "set",
            "counter_name",
            invisible,
        ])
        .refused("counter_name has no visible character");
    }
    assert!(!config.exists(), "nothing written");
    let settings = shop.json(&["settings"]).ok().json_lines();
    assert_eq!(settings[0]["value"], "shopdesk", "{settings:?}");
}
#[test]
fn the_database_itself_refuses_a_customer_nobody_can_reach() {
    let store = new_store();
    let conn = Connection::open(store.path()).unwrap();
    let insert = |sql: &str| conn.execute(sql, []).map_err(|e| e.to_string());
    let refused = insert(
        "INSERT INTO customers (name, created_at) VALUES ('Nobody', '2026-03-01T12:00:00.000000Z')",
    );
    assert!(refused.unwrap_err().contains("CHECK constraint failed"));
    let refused = insert("UPDATE customers SET phone = '555', phone_digits = '555' WHERE id = 0");
    assert!(
        refused.unwrap_err().contains("CHECK constraint failed"),
        "the Walk-in customer has neither"
    );
    insert(
        "INSERT INTO customers (name, phone, phone_digits, created_at)
         VALUES ('Cam', '555-0102', '5550102', '2026-03-01T12:00:00.000000Z')",
    )
    .unwrap();
}

fn check_names_customers_nobody_can_reach_written_by_hand(mut shop: TestShop) {
    let cam = add_customer(&mut shop, "Cam", "", "555-0102").id;
    shop.tamper(&format!(
        "UPDATE customers SET phone = NULL, phone_digits = '' WHERE id = {cam};
         UPDATE customers SET phone = '555', phone_digits = '555' WHERE id = 0"
    ));
    let report = shop.check().unwrap();
    let contact: Vec<&str> = report
        .problems
        .iter()
        .filter(|p| p.kind.as_str() == "contact")
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(
        contact,
        [
            "customer 0, the built-in Walk-in, has an email or a phone number; it must have neither",
            "customer 1 has neither an email nor a phone number",
        ]
    );
    // SQLite's own check finds the broken CHECK too, as damage to the
    // rows; the server's schema cannot hold this rule as a CHECK (see
    // schema.mysql.sql), so there only `contact` names them.
    let integrity = report
        .problems
        .iter()
        .any(|p| p.kind.as_str() == "integrity");
    assert_eq!(integrity, shop.server().is_none(), "{:?}", report.problems);
}

contract_suite!(
    canceling_never_lifts_stock_past_the_maximum_and_writes_nothing,
    a_stock_changed_by_hand_past_the_bounds_moves_only_back_inside_them,
    a_stock_changed_by_hand_to_the_largest_number_is_refused_without_overflowing,
    adding_stock_past_the_maximum_is_refused_naming_the_product,
    a_short_sale_still_names_every_short_line,
    emails_collide_ignoring_case_and_accents_in_any_script,
    an_edit_to_an_email_someone_has_ignoring_accents_is_refused,
    an_exact_email_is_found_first_ignoring_case_and_accents,
    check_names_every_product_whose_stock_is_outside_the_bounds,
    check_names_an_email_with_a_hidden_character_written_by_hand,
    check_names_customers_nobody_can_reach_written_by_hand,
);
