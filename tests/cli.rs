//! The command line as a user runs it: the built binary on a temporary
//! database, checking what it prints, its JSON and its exit codes.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::cli::{Run, Shop, finish, shopdesk};
use serde_json::Value;

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    keys
}

#[test]
fn customers_are_added_listed_searched_and_edited() {
    let shop = Shop::new();
    let added = shop
        .json(&[
            "customer",
            "add",
            "--name",
            "Ann Lee",
            "--email",
            "ann@example.com",
            "--phone",
            "+1 (555) 010-2030",
        ])
        .ok();
    let ann = added.json();
    assert_eq!(keys(&ann), ["created_at", "email", "id", "name", "phone"]);
    assert_eq!(ann["name"], "Ann Lee");
    assert_eq!(ann["phone"], "+1 (555) 010-2030");
    shop.run(&[
        "customer",
        "add",
        "--name",
        "Bob Ray",
        "--email",
        "bob@example.com",
    ])
    .ok();

    let human = shop.run(&["customer", "list"]).ok().stdout;
    assert!(
        human.contains("Ann Lee") && human.contains("Bob Ray") && human.contains("EMAIL"),
        "{human}"
    );
    let found = shop
        .json(&["customer", "list", "--search", "5550102"])
        .ok()
        .json_lines();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["email"], "ann@example.com");
    let none = shop.run(&["customer", "list", "--search", "nobody"]).ok();
    assert!(
        none.stdout.contains("No customer matches"),
        "{}",
        none.stdout
    );

    let edited = shop
        .json(&[
            "customer",
            "edit",
            "1",
            "--phone",
            "",
            "--name",
            "Ann Lee-Ray",
        ])
        .ok()
        .json();
    assert_eq!(edited["name"], "Ann Lee-Ray");
    assert_eq!(edited["phone"], Value::Null);
    assert_eq!(
        shop.json(&["customer", "list", "--limit", "1"])
            .ok()
            .json_lines()
            .len(),
        1
    );
}

#[test]
fn bad_customer_input_is_refused_with_a_specific_message() {
    let shop = Shop::stocked();
    shop.run(&[
        "customer",
        "add",
        "--name",
        "Ann Two",
        "--email",
        "ANN@example.com",
    ])
    .refused("already used by customer 1");
    shop.run(&["customer", "add", "--name", "X", "--email", "not-an-email"])
        .refused("has no @");
    shop.run(&[
        "customer",
        "add",
        "--name",
        "   ",
        "--email",
        "x@example.com",
    ])
    .refused("name is required");
    shop.run(&[
        "customer",
        "add",
        "--name",
        &"x".repeat(101),
        "--email",
        "x@example.com",
    ])
    .refused("at most 100");
    shop.run(&[
        "customer",
        "add",
        "--name",
        "X",
        "--email",
        "x@example.com",
        "--phone",
        "call me",
    ])
    .refused("phone");
    shop.run(&["customer", "edit", "1"])
        .refused("nothing to change");
    shop.run(&["customer", "edit", "77", "--name", "X"])
        .refused("no customer with id 77");
    assert_eq!(
        shop.json(&["customer", "list"]).ok().json_lines().len(),
        2,
        "nothing was added to Ann and Walk-in"
    );
}

#[test]
fn a_customer_needs_an_email_or_a_phone_and_a_shared_phone_takes_a_flag() {
    let shop = Shop::stocked();
    let add = |args: &[&str]| {
        let mut all = vec!["customer", "add"];
        all.extend(args);
        shop.run(&all)
    };
    add(&["--name", "Nobody"])
        .refused("--email or --phone: give an email or a phone number, or both");
    add(&["--name", "Nobody", "--email", "", "--phone", " "])
        .refused("give an email or a phone number, or both");

    // Ann Lee (customer 1) has 555-0102: the same digits are refused,
    // naming her and the flag, and nothing is written.
    add(&["--name", "Bo Lee", "--phone", "(555) 01-02"]).refused(
        "Ann Lee (customer 1) already has the phone number 555-0102; \
         add --shared-phone to register the number anyway",
    );
    let bo = add(&[
        "--name",
        "Bo Lee",
        "--phone",
        "(555) 01-02",
        "--shared-phone",
    ])
    .ok()
    .stdout;
    assert!(
        bo.starts_with("Registered customer 2: Bo Lee, phone (555) 01-02, since "),
        "no email, no gap: {bo}"
    );
    let shown = shop.json(&["customer", "show", "2"]).ok().json();
    assert_eq!(shown["email"], Value::Null, "{shown}");
    let found = shop
        .json(&["customer", "list", "--search", "bo lee"])
        .ok()
        .json_lines();
    assert_eq!(found, [shown]);
    let listed = shop
        .run(&["customer", "list", "--search", "5550102"])
        .ok()
        .stdout;
    assert!(
        listed.contains("Ann Lee") && listed.contains("Bo Lee"),
        "{listed}"
    );

    // An email or a phone goes only while the other stays.
    shop.run(&["customer", "edit", "2", "--phone", ""]).refused(
        "customer 2 would have neither an email nor a phone number: \
         give an email or a phone number, or both",
    );
    shop.run(&["customer", "edit", "1", "--email", ""]).ok();
    shop.run(&["customer", "edit", "1", "--phone", ""])
        .refused("customer 1 would have neither an email nor a phone number");
    let cy = add(&["--name", "Cy", "--email", "cy@example.com"]).ok();
    assert!(
        cy.stdout.contains("Cy <cy@example.com>, since"),
        "{}",
        cy.stdout
    );
    shop.run(&["customer", "edit", "3", "--phone", "5550102"])
        .refused("Ann Lee (customer 1) already has the phone number 555-0102");
    shop.run(&[
        "customer",
        "edit",
        "3",
        "--phone",
        "5550102",
        "--shared-phone",
        "--email",
        "",
    ])
    .ok();
    // Ann's address is free again.
    add(&["--name", "Ann Again", "--email", "ANN@example.com"]).ok();

    // Orders, their receipts and check take them in their stride.
    let order = shop
        .run(&["order", "place", "--customer", "2", "MUG-1"])
        .ok()
        .stdout;
    assert!(order.contains("Bo Lee (customer 2)"), "{order}");
    let receipt = shop.run(&["order", "receipt", "1"]).ok().stdout;
    assert!(receipt.contains("Customer: Bo Lee"), "{receipt}");
    shop.run(&["check"]).ok();
}

#[test]
fn products_are_managed_from_the_command_line() {
    let shop = Shop::stocked();
    let mug = shop.json(&["product", "show", "mug-1"]).ok().json();
    assert_eq!(
        keys(&mug),
        [
            "active",
            "details",
            "id",
            "name",
            "price_cents",
            "sku",
            "stock"
        ]
    );
    assert_eq!(
        (
            mug["price_cents"].as_i64(),
            mug["stock"].as_i64(),
            mug["active"].as_bool()
        ),
        (Some(1250), Some(20), Some(true))
    );

    let restocked = shop
        .json(&["product", "restock", "MUG-1", "--add", "5"])
        .ok()
        .json();
    assert_eq!(restocked["stock"], 25);
    let counted = shop
        .json(&["product", "restock", "1", "--set", "7"])
        .ok()
        .json();
    assert_eq!(counted["stock"], 7, "an id works where no SKU matches");
    let edited = shop
        .json(&[
            "product",
            "edit",
            "MUG-1",
            "--price",
            "13",
            "--details",
            "Holds 350 ml",
        ])
        .ok()
        .json();
    assert_eq!(
        (edited["price_cents"].as_i64(), edited["details"].as_str()),
        (Some(1300), Some("Holds 350 ml"))
    );

    let archived = shop.json(&["product", "archive", "MUG-1"]).ok().json();
    assert_eq!(archived["active"], false);
    shop.run(&["order", "place", "--customer", "1", "MUG-1:1"])
        .refused("archived");
    let listed = shop.run(&["product", "list"]).ok().stdout;
    assert!(listed.contains("archived"), "{listed}");
    assert_eq!(
        shop.json(&["product", "unarchive", "MUG-1"]).ok().json()["active"],
        true
    );
    shop.run(&["order", "place", "--customer", "1", "MUG-1:1"])
        .ok();

    let found = shop
        .json(&["product", "list", "--search", "red"])
        .ok()
        .json_lines();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["sku"], "4006381333931");
}

/// Product 1 is MUG-1 and product 2 the pen (`Shop::stocked`); product 3
/// has the SKU `1`: the digits `1` are one product's SKU and another's id.
fn shop_with_a_sku_that_is_another_products_id() -> Shop {
    let shop = Shop::stocked();
    let coded = shop
        .json(&[
            "product",
            "add",
            "--sku",
            "1",
            "--name",
            "Coded one",
            "--price",
            "3",
            "--stock",
            "10",
        ])
        .ok()
        .json();
    assert_eq!(coded["id"], 3);
    shop
}

#[test]
fn id_and_sku_prefixes_say_which_product_and_bare_digits_naming_two_are_refused() {
    let shop = shop_with_a_sku_that_is_another_products_id();
    let stock =
        |product: &str| shop.json(&["product", "show", product]).ok().json()["stock"].clone();
    for command in [
        &["product", "archive", "1"][..],
        &["product", "show", "1"],
        &["product", "restock", "1", "--add", "1"],
        &["order", "place", "--customer", "1", "1:2"],
        &["order", "place", "--customer", "1", "2*1"],
    ] {
        shop.run(command).refused(
            "“1” is both the SKU of product 3 (Coded one) and the id of product 1 (Blue mug): \
             write sku:1 for the first or id:1 for the second",
        );
    }
    assert_eq!(
        (stock("id:1"), stock("sku:1")),
        (20.into(), 10.into()),
        "nothing changed"
    );

    let archived = shop.json(&["product", "archive", "id:1"]).ok().json();
    assert_eq!(
        (&archived["id"], &archived["active"]),
        (&1.into(), &false.into())
    );
    shop.json(&["product", "unarchive", "ID:1"]).ok();
    assert_eq!(
        shop.json(&["product", "show", "sku:1"]).ok().json()["id"],
        3
    );
    let order = shop
        .json(&[
            "order",
            "place",
            "--customer",
            "1",
            "id:1:2",
            "3*sku:1",
            "sku:MUG-1",
            "id:2",
        ])
        .ok()
        .json();
    let lines: Vec<(i64, i64)> = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["product_id"].as_i64().unwrap(),
                item["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [(1, 3), (3, 3), (2, 1)]);
    assert_eq!((stock("id:1"), stock("sku:1")), (17.into(), 7.into()));

    // Digits that are only an id, or only a SKU, still find their product.
    assert_eq!(shop.json(&["product", "show", "2"]).ok().json()["id"], 2);
    shop.run(&["product", "show", "id:9"])
        .refused("no product with id 9");
    shop.run(&["product", "show", "sku:9"])
        .refused("no product with SKU “9”");
    shop.run(&["product", "show", "id:x"])
        .refused("write its SKU, sku:CODE or id:NUMBER");
    shop.run(&["order", "place", "--customer", "1", "id:x:2"])
        .refused("is not an item");
    // A long reference is quoted as a short excerpt, like any input.
    for long in [
        format!("id:{}", "x".repeat(200)),
        format!("sku:{}", "X".repeat(64)),
    ] {
        let run = shop.run(&["product", "show", &long]);
        let run = run.refused("…");
        assert!(run.stderr.chars().count() < 150, "{}", run.stderr);
    }
}

#[test]
fn bad_product_input_is_refused_with_a_specific_message() {
    let shop = Shop::stocked();
    let add = |sku: &str, price: &str, stock: &str| {
        shop.run(&[
            "product", "add", "--sku", sku, "--name", "Thing", "--price", price, "--stock", stock,
        ])
    };
    add("mug-1", "1", "1").refused("already used by product 1");
    add("NEW", "-1", "1").refused("cannot be negative");
    add("NEW", "1.9999", "1").refused("at most two decimals");
    add("NEW", "abc", "1").refused("not an amount");
    add("NEW", "1,000.50", "1").refused("write 1000.50 or 1000,50");
    add("NEW", "100000000000", "1").refused("too large");
    add("NEW", "1", "-5").refused("stock must be between 0");
    add("NEW ONE", "1", "1").refused("space");
    shop.run(&["product", "restock", "MUG-1", "--add", "0"])
        .refused("between 1");
    shop.run(&["product", "restock", "NOPE", "--add", "1"])
        .refused("no product with SKU or id “NOPE”");
    shop.run(&["product", "edit", "MUG-1"])
        .refused("nothing to change");
    assert_eq!(
        shop.json(&["product", "list"]).ok().json_lines().len(),
        2,
        "nothing was added"
    );
    // Both or neither of --add/--set is a usage error: clap's exit code 2.
    assert_eq!(shop.run(&["product", "restock", "MUG-1"]).code, 2);
    assert_eq!(
        shop.run(&["product", "restock", "MUG-1", "--add", "1", "--set", "2"])
            .code,
        2
    );
    assert_eq!(shop.run(&["product", "add", "--sku", "X"]).code, 2);
}

#[test]
fn an_order_of_several_items_gets_the_discount_above_ten_items() {
    let shop = Shop::stocked();
    let order = shop
        .json(&[
            "order",
            "place",
            "--customer",
            "1",
            "MUG-1:2",
            "4006381333931:9",
        ])
        .ok()
        .json();
    assert_eq!(
        keys(&order),
        [
            "created_at",
            "customer_id",
            "customer_name",
            "discount_cents",
            "id",
            "items",
            "note",
            "payment",
            "sale_id",
            "status",
            "subtotal_cents",
            "total_cents"
        ]
    );
    assert_eq!(order["status"], "pending");
    assert_eq!(
        (&order["customer_name"], &order["note"], &order["payment"]),
        (&"Ann Lee".into(), &"".into(), &Value::Null)
    );
    assert_eq!(order["subtotal_cents"], 2500 + 9 * 199);
    assert_eq!(
        order["discount_cents"], 429,
        "11 items: 10% of $42.91, rounded"
    );
    assert_eq!(order["total_cents"], 4291 - 429);
    let item = &order["items"][0];
    assert_eq!(
        keys(item),
        [
            "line_total_cents",
            "name",
            "product_id",
            "quantity",
            "sku",
            "unit_price_cents"
        ]
    );
    assert_eq!(
        (
            item["sku"].as_str(),
            item["quantity"].as_i64(),
            item["line_total_cents"].as_i64()
        ),
        (Some("MUG-1"), Some(2), Some(2500))
    );

    let ten = shop
        .json(&[
            "order",
            "place",
            "--customer",
            "1",
            "2*MUG-1",
            "MUG-1:3",
            "4006381333931:5",
        ])
        .ok()
        .json();
    assert_eq!(
        ten["items"].as_array().unwrap().len(),
        2,
        "lines of one product merge"
    );
    assert_eq!(ten["discount_cents"], 0, "exactly 10 items: no discount");

    let human = shop
        .run(&["order", "place", "--customer", "1", "4006381333931:11"])
        .ok()
        .stdout;
    assert!(
        human.contains("Placed order 3") && human.contains("10% off: more than 10 items"),
        "{human}"
    );
    assert!(
        human.contains("-$2.19") && human.contains("$19.70"),
        "{human}"
    );
    assert_eq!(
        shop.json(&["product", "show", "MUG-1"]).ok().json()["stock"],
        20 - 2 - 5
    );
}

#[test]
fn bad_orders_are_refused_and_write_nothing() {
    let shop = Shop::stocked();
    shop.run(&[
        "order",
        "place",
        "--customer",
        "1",
        "MUG-1:21",
        "4006381333931:101",
    ])
    .refused(
        "not enough stock: Blue mug: 20 in stock, 21 wanted; Red pen: 100 in stock, 101 wanted",
    );
    shop.run(&["order", "place", "--customer", "9", "MUG-1:1"])
        .refused("no customer with id 9");
    shop.run(&["order", "place", "--customer", "1", "MUG-1:0"])
        .refused("between 1 and 9999");
    shop.run(&["order", "place", "--customer", "1", "MUG-1:10000"])
        .refused("between 1 and 9999");
    shop.run(&["order", "place", "--customer", "1", "MUG-1:two"])
        .refused("is not an item");
    shop.run(&["order", "place", "--customer", "1", "MUG-1:1", "NOPE:1"])
        .refused("no product with SKU or id “NOPE”");
    assert_eq!(
        shop.run(&["order", "place", "--customer", "1"]).code,
        2,
        "no item is a usage error"
    );
    assert!(
        shop.run(&["order", "list"])
            .ok()
            .stdout
            .contains("No orders")
    );
    assert_eq!(
        shop.json(&["product", "show", "MUG-1"]).ok().json()["stock"],
        20
    );
}

#[test]
fn an_order_moves_through_its_statuses_and_refusals_name_the_way_forward() {
    let shop = Shop::stocked();
    shop.run(&["order", "place", "--customer", "1", "MUG-1:2"])
        .ok();
    shop.run(&["order", "status", "1", "delivered"])
        .refused("a pending order can only move to shipped or canceled");
    shop.run(&["order", "status", "1", "lost"])
        .refused("use pending, shipped, delivered or canceled");
    let shipped = shop
        .json(&["order", "status", "1", "shipped", "--note", "DHL 42"])
        .ok()
        .json();
    assert_eq!(shipped["status"], "shipped");
    shop.run(&["order", "status", "1", "pending"])
        .refused("a shipped order can only move to delivered");
    shop.run(&["order", "status", "1", "canceled"])
        .refused("can only move to delivered");
    let human = shop.run(&["order", "status", "1", "delivered"]).ok().stdout;
    assert!(human.contains("Order 1 is now delivered."), "{human}");
    shop.run(&["order", "status", "1", "canceled"])
        .refused("a delivered order is final");

    let show = shop.run(&["order", "show", "1"]).ok().stdout;
    for expected in [
        "placed (pending)",
        "shipped → delivered",
        "Blue mug (MUG-1)",
    ] {
        assert!(show.contains(expected), "missing {expected}:\n{show}");
    }
    assert!(
        show.lines()
            .any(|line| line.contains("pending → shipped") && line.ends_with("DHL 42")),
        "the shipping step with its note:\n{show}"
    );
    assert!(
        show.lines().all(|line| line == line.trim_end()),
        "a step without a note ends at its status, with no padding after it:\n{show:?}"
    );
    shop.run(&["order", "show", "99"])
        .refused("no order number 99");
}

#[test]
fn canceling_from_the_command_line_restores_stock() {
    let shop = Shop::stocked();
    shop.run(&["order", "place", "--customer", "1", "MUG-1:20"])
        .ok();
    assert_eq!(
        shop.json(&["product", "show", "MUG-1"]).ok().json()["stock"],
        0
    );
    let canceled = shop.run(&["order", "status", "1", "cancelled"]).ok().stdout;
    assert!(canceled.contains("Back in stock: 20 items."), "{canceled}");
    assert_eq!(
        shop.json(&["product", "show", "MUG-1"]).ok().json()["stock"],
        20
    );
    shop.run(&["order", "status", "1", "canceled"])
        .refused("already canceled");
    assert_eq!(
        shop.json(&["product", "show", "MUG-1"]).ok().json()["stock"],
        20
    );
}

#[test]
fn history_and_lists_show_newest_first_with_filters_and_limits() {
    let shop = Shop::stocked();
    shop.run(&[
        "customer",
        "add",
        "--name",
        "Bob Ray",
        "--email",
        "bob@example.com",
    ])
    .ok();
    for (customer, item) in [
        ("1", "MUG-1:1"),
        ("2", "MUG-1:2"),
        ("1", "4006381333931:3"),
        ("1", "MUG-1:4"),
    ] {
        shop.run(&["order", "place", "--customer", customer, item])
            .ok();
    }
    shop.run(&["order", "status", "3", "shipped"]).ok();
    let ids = |run: Run| -> Vec<i64> {
        run.json_lines()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(shop.json(&["order", "history", "1"]).ok()), [4, 3, 1]);
    assert_eq!(
        ids(shop.json(&["order", "history", "1", "--limit", "2"]).ok()),
        [4, 3]
    );
    assert_eq!(
        ids(shop
            .json(&["order", "history", "1", "--status", "shipped"])
            .ok()),
        [3]
    );
    assert_eq!(ids(shop.json(&["order", "list"]).ok()), [4, 3, 2, 1]);
    assert_eq!(
        ids(shop
            .json(&["order", "list", "--status", "pending", "--limit", "2"])
            .ok()),
        [4, 2]
    );
    shop.run(&["order", "history", "7"])
        .refused("no customer with id 7");
    shop.run(&["order", "list", "--status", "sent"])
        .refused("not a status");

    let human = shop.run(&["order", "history", "1"]).ok().stdout;
    let lines: Vec<&str> = human.lines().collect();
    assert_eq!(lines.len(), 6, "one line per order and per item:\n{human}");
    assert!(
        lines[0].contains("pending") && lines[0].contains("Ann Lee") && lines[0].contains("$50.00"),
        "{human}"
    );
    assert!(
        lines[1].contains("4 × Blue mug (MUG-1) @ $12.50 = $50.00"),
        "{human}"
    );
}

/// RFC 3339 in UTC with exactly six fractional digits:
/// `2026-11-25T16:29:10.123456Z`.
fn is_utc_micros(time: &Value) -> bool {
    let Some(text) = time.as_str() else {
        return false;
    };
    let shape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
    text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            'd' => c.is_ascii_digit(),
            s => c == s,
        })
        && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

#[test]
fn one_order_prints_one_created_at_everywhere_with_six_fractional_digits() {
    let shop = Shop::stocked();
    let placed = shop
        .json(&["order", "place", "--customer", "1", "MUG-1:2"])
        .ok()
        .json();
    let created_at = &placed["created_at"];
    assert!(is_utc_micros(created_at), "{created_at}");
    for command in [
        &["order", "show", "1"][..],
        &["order", "history", "1"],
        &["order", "list"],
        &["order", "status", "1", "shipped"],
    ] {
        let order = shop.json(command).ok().json();
        assert_eq!(&order["created_at"], created_at, "{command:?}");
    }
    let customer = shop.json(&["customer", "show", "1"]).ok().json();
    assert!(is_utc_micros(&customer["created_at"]), "{customer}");
    for stock_move in shop.json(&["product", "moves", "MUG-1"]).ok().json_lines() {
        assert!(is_utc_micros(&stock_move["at"]), "{stock_move}");
    }
}

/// Changes the database behind shopdesk's back, as another tool could.
fn tamper(shop: &Shop, sql: &str) {
    rusqlite::Connection::open(shop.db())
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

/// One record of each kind `--json` prints, under the README's name for it:
/// from a stocked shop with order 1 (two blue mugs), a tiny demo shop, and
/// a shop whose stock was changed by hand (for check's problems).
fn one_record_of_each_kind() -> (Shop, Vec<(&'static str, Value)>) {
    let shop = Shop::stocked();
    let order = shop
        .json(&["order", "place", "--customer", "1", "MUG-1:2"])
        .ok()
        .json();
    let shown = shop.json(&["order", "show", "1"]).ok().json();
    let sale = shop
        .json(&[
            "order",
            "place",
            "--customer",
            "walk-in",
            "MUG-1",
            "--paid",
            "cash",
        ])
        .ok()
        .json();
    let backup_file = shop.dir.path().join("copy.db");
    let config_file = shop.dir.path().join("config.toml");
    let backup = shop
        .json(&["backup", backup_file.to_str().unwrap()])
        .ok()
        .json();
    let copy_file = shop.dir.path().join("moved.db");
    let copy = shop
        .json(&[
            "copy",
            shop.db().to_str().unwrap(),
            copy_file.to_str().unwrap(),
        ])
        .ok()
        .json();
    let demo = Shop::new()
        .json(&[
            "demo",
            "--customers",
            "3",
            "--products",
            "4",
            "--orders",
            "5",
        ])
        .ok()
        .json();
    let broken = Shop::stocked();
    tamper(&broken, "UPDATE products SET stock = 7");
    let check = broken.json(&["check"]).json_lines();
    let records = vec![
        (
            "customer",
            shop.json(&["customer", "show", "1"]).ok().json(),
        ),
        (
            "product",
            shop.json(&["product", "show", "MUG-1"]).ok().json(),
        ),
        ("order item", order["items"][0].clone()),
        ("payment", sale["payment"].clone()),
        ("order", order),
        ("timeline step", shown["timeline"][0].clone()),
        ("order with its timeline", shown),
        ("receipt", shop.json(&["order", "receipt", "1"]).ok().json()),
        (
            "stock move",
            shop.json(&["product", "moves", "MUG-1"]).ok().json_lines()[0].clone(),
        ),
        (
            "setting",
            shop.json(&["settings"]).ok().json_lines()[0].clone(),
        ),
        (
            "configuration key",
            shop.json(&["--config", config_file.to_str().unwrap(), "config"])
                .ok()
                .json_lines()[0]
                .clone(),
        ),
        ("problem", check[0].clone()),
        ("check summary", check.last().unwrap().clone()),
        ("backup", backup),
        ("copy", copy),
        ("demo", demo),
    ];
    (shop, records)
}

#[test]
fn every_command_prints_whole_json_records_in_json_mode() {
    let (shop, records) = one_record_of_each_kind();
    let record = |name: &str| &records.iter().find(|(kind, _)| *kind == name).unwrap().1;
    let receipt = record("receipt");
    assert_eq!(receipt["order_id"], 1);
    let text = receipt["receipt"].as_str().unwrap();
    assert!(
        text.contains("Blue mug") && text.contains("$25.00"),
        "{text}"
    );
    let timeline = record("order with its timeline")["timeline"]
        .as_array()
        .unwrap();
    assert_eq!(timeline.len(), 1, "{timeline:?}");
    assert_eq!(timeline[0]["to"], "pending");
    let backup = record("backup");
    let target = shop.dir.path().join("copy.db");
    assert_eq!(backup["backup"], target.to_str().unwrap());
    assert_eq!(
        backup["bytes"].as_u64(),
        Some(std::fs::metadata(&target).unwrap().len())
    );
    let copy = record("copy");
    assert_eq!(
        copy["to"],
        shop.dir.path().join("moved.db").to_str().unwrap()
    );
    assert_eq!(
        (&copy["tables"]["customers"], &copy["tables"]["orders"]),
        (&2.into(), &2.into()),
        "Walk-in and Ann; the two orders"
    );
    let tables = copy["tables"].as_object().unwrap();
    let rows: u64 = tables.values().map(|rows| rows.as_u64().unwrap()).sum();
    assert_eq!(copy["rows"].as_u64(), Some(rows));
    let demo = record("demo");
    assert_eq!(
        (&demo["customers"], &demo["orders"]),
        (&3.into(), &5.into())
    );

    let check = shop.json(&["check"]).ok().json();
    assert_eq!(
        (&check["sound"], &check["problems"], &check["orders"]),
        (&Value::Bool(true), &Value::from(0), &Value::from(2))
    );
    assert_eq!(
        (&check["products"], &check["stock_moves"]),
        (&2.into(), &4.into()),
        "two products added, two sales"
    );
    assert_eq!(shop.json(&["settings"]).ok().json_lines().len(), 2);
}

#[test]
fn check_in_json_mode_lists_each_problem_then_the_summary_and_fails() {
    let shop = Shop::stocked();
    tamper(
        &shop,
        "UPDATE products SET stock = stock + 1 WHERE sku = 'MUG-1'",
    );
    let run = shop.json(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let records = run.json_lines();
    assert_eq!(records.len(), 2, "{}", run.stdout);
    assert_eq!(keys(&records[0]), ["kind", "problem"]);
    assert_eq!(records[0]["kind"], "ledger");
    assert_eq!(
        (&records[1]["sound"], &records[1]["problems"]),
        (&Value::Bool(false), &Value::from(1))
    );
}

#[cfg(unix)]
#[test]
fn a_backup_whose_name_is_not_utf8_still_prints_one_whole_record() {
    use std::os::unix::ffi::OsStrExt;
    let shop = Shop::stocked();
    let name = std::ffi::OsStr::from_bytes(b"copy-\xff.db");
    let target = shop.dir.path().join(name);
    let run = finish(
        shopdesk()
            .arg("--db")
            .arg(shop.db())
            .args(["--json", "backup"])
            .arg(&target)
            .output()
            .unwrap(),
    )
    .ok();
    let backup = run.json();
    assert!(
        backup["backup"]
            .as_str()
            .unwrap()
            .ends_with("copy-\u{fffd}.db"),
        "{backup}"
    );
    assert!(target.exists());
}

/// The README's table of JSON records: each record's name (its first
/// column up to the parenthesis) and its fields, sorted.
fn readme_json_fields() -> Vec<(String, Vec<String>)> {
    let readme = common::readme();
    let table = readme
        .split("| record | fields |")
        .nth(1)
        .expect("the README has a table of JSON records");
    table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = cells[1].split(" (").next().unwrap().to_string();
            let mut fields: Vec<String> = cells[2]
                .trim_matches('`')
                .split(", ")
                .map(str::to_string)
                .collect();
            fields.sort();
            (name, fields)
        })
        .collect()
}

#[test]
fn the_readme_lists_exactly_the_fields_each_json_record_prints() {
    let (_shop, records) = one_record_of_each_kind();
    let mut printed: Vec<(String, Vec<String>)> = records
        .iter()
        .map(|(name, record)| {
            let fields = keys(record).into_iter().map(str::to_string).collect();
            (name.to_string(), fields)
        })
        .collect();
    let mut documented = readme_json_fields();
    printed.sort();
    documented.sort();
    assert_eq!(
        documented, printed,
        "README (left) against the output (right)"
    );
}

/// Every command with `--limit`, as it is written after the command.
const LIMITED_COMMANDS: [&[&str]; 5] = [
    &["customer", "list"],
    &["product", "list"],
    &["product", "moves", "MUG-1"],
    &["order", "history", "1"],
    &["order", "list"],
];

#[test]
fn a_limit_outside_one_to_a_million_is_a_usage_error_naming_the_range() {
    let shop = Shop::stocked();
    for command in LIMITED_COMMANDS {
        for limit in ["0", "-1", "1000001", "9223372036854775808", "ten"] {
            let mut args = command.to_vec();
            args.extend(["--limit", limit]);
            let run = shop.run(&args);
            assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
            assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
            assert!(
                run.stderr.contains("from 1 to 1,000,000"),
                "{args:?}: {}",
                run.stderr
            );
        }
        for limit in ["1", "1000000"] {
            let mut args = command.to_vec();
            args.extend(["--limit", limit]);
            shop.run(&args).ok();
        }
    }
}

#[test]
fn the_database_comes_from_the_environment_when_no_flag_names_it() {
    let shop = Shop::new();
    let run = finish(
        shopdesk()
            .env("SHOPDESK_DB", shop.db())
            .args([
                "customer",
                "add",
                "--name",
                "Ann",
                "--email",
                "ann@example.com",
            ])
            .output()
            .unwrap(),
    )
    .ok();
    assert!(run.stdout.contains("Registered customer 1"));
    assert_eq!(shop.json(&["customer", "list"]).ok().json_lines().len(), 2);
}

#[test]
fn the_default_database_lives_in_the_data_folder() {
    let home = tempfile::tempdir().unwrap();
    let run = finish(
        shopdesk()
            .env("HOME", home.path())
            .env_remove("XDG_DATA_HOME")
            .args(["customer", "list"])
            .output()
            .unwrap(),
    )
    .ok();
    assert!(run.stdout.contains("Walk-in"), "{}", run.stdout);
    let db = home.path().join(".local/share/shopdesk/shopdesk.db");
    assert!(db.exists(), "expected {}", db.display());
}

#[test]
fn a_file_that_is_not_a_shopdesk_database_is_refused_untouched() {
    let shop = Shop::new();
    let notes = b"my shopping list\n".repeat(100);
    std::fs::write(shop.db(), &notes).unwrap();
    let before = common::untouched::FilesBeside::of(&shop.db());
    shop.run(&["customer", "list"])
        .refused("is not a shopdesk database");
    before.assert_unchanged();
}

#[test]
fn without_a_terminal_the_app_says_what_to_use_instead() {
    let shop = Shop::new();
    shop.run(&[]).refused("needs a terminal");
    let piped = shop.run(&[]);
    assert!(piped.stderr.contains("shopdesk --help"), "{}", piped.stderr);
}

#[test]
fn demo_sizes_beyond_their_bounds_are_usage_errors_naming_the_range() {
    for (option, bound) in [
        ("--customers", "1000000"),
        ("--products", "1000000"),
        ("--orders", "10000000"),
    ] {
        let shop = Shop::new();
        let run = shop.run(&["demo", option, "99999999999"]);
        assert_eq!(run.code, 2, "{option}: {}", run.stderr);
        assert!(run.stderr.contains(bound), "{option}: {}", run.stderr);
        assert!(!shop.db().exists(), "{option}: nothing made");
    }
}

#[test]
fn demo_makes_the_same_shop_from_the_same_seed_and_only_into_an_empty_database() {
    let first = Shop::new();
    let second = Shop::new();
    let args = [
        "demo",
        "--customers",
        "30",
        "--products",
        "20",
        "--orders",
        "400",
        "--seed",
        "7",
    ];
    let made = first.run(&args).ok();
    assert!(
        made.stdout
            .contains("30 customers, 20 products, 400 orders"),
        "{}",
        made.stdout
    );
    second.run(&args).ok();
    let orders = |shop: &Shop| shop.json(&["order", "list", "--limit", "1000"]).ok().stdout;
    assert_eq!(orders(&first), orders(&second));
    let listed = first
        .json(&["order", "list", "--limit", "1000"])
        .ok()
        .json_lines();
    assert_eq!(listed.len(), 400);
    for status in ["pending", "shipped", "delivered", "canceled"] {
        assert!(
            listed.iter().any(|o| o["status"] == status),
            "no {status} order in the demo"
        );
    }
    let customers = first
        .json(&["customer", "list", "--limit", "100"])
        .ok()
        .json_lines();
    assert_eq!(customers.len(), 31, "30 and the Walk-in customer");
    assert!(
        customers
            .iter()
            .any(|c| !c["name"].as_str().unwrap().is_ascii()),
        "some names have non-ASCII letters"
    );
    let best = first.json(&["order", "history", "1"]).ok().json_lines();
    assert!(
        best.len() >= 400 / 20,
        "customer 1 has a long history: {}",
        best.len()
    );
    // The load set its triggers and indexes aside: all of them are back.
    let conn = rusqlite::Connection::open(first.db()).unwrap();
    // It skipped CHECKs and foreign keys for speed: the data obeys them.
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
    let mut statement = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger')
             AND name NOT LIKE 'sqlite%' ORDER BY name",
        )
        .unwrap();
    let names: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        names,
        [
            "customers_by_email_key",
            "customers_by_name",
            "customers_by_phone",
            "customers_search_delete",
            "customers_search_insert",
            "customers_search_update",
            "customers_without_email_key",
            "orders_by_customer",
            "orders_by_sale_id",
            "orders_by_status",
            "orders_by_time",
            "products_by_name",
            "products_search_delete",
            "products_search_insert",
            "products_search_update",
        ]
    );
    // Its stock came through the ledger like any shop's.
    first.run(&["check"]).ok();
    first.run(&args).refused("already holds data");
    first
        .run(&["demo", "--orders", "0"])
        .refused("already holds data");
    Shop::new()
        .run(&["demo", "--products", "0", "--orders", "5"])
        .refused("at least one customer and one product");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    /// More than a pipe holds, so the writer really finds it closed.
    const PIPE_BUFFER: usize = 64 * 1024;
    let shop = Shop::new();
    shop.run(&[
        "demo",
        "--customers",
        "5",
        "--products",
        "5",
        "--orders",
        "3000",
    ])
    .ok();
    // The whole shop, and one customer's history streamed without a limit
    // (`shopdesk order history 1 | head -1`).
    for args in [
        &["order", "list", "--limit", "3000"][..],
        &["order", "history", "1"],
    ] {
        let whole = shop.run(args).ok().stdout;
        assert!(whole.len() > PIPE_BUFFER, "{args:?}: {} bytes", whole.len());
        let mut child = shopdesk()
            .arg("--db")
            .arg(shop.db())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is gone now, like `| head -1`.
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            Some(first.as_str()),
            whole.split_inclusive('\n').next(),
            "{args:?}: the first line, whole"
        );
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert!(
            output.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn hostile_text_is_stored_as_given_and_printed_harmlessly() {
    let shop = Shop::new();
    let name = "Eve \u{1b}[2J\u{202e}'; DROP TABLE customers; --";
    shop.run(&[
        "customer",
        "add",
        "--name",
        name,
        "--email",
        "eve@example.com",
    ])
    .ok();
    let listed = shop.run(&["customer", "list"]).ok().stdout;
    assert!(
        !listed.contains('\u{1b}') && !listed.contains('\u{202e}'),
        "{listed:?}"
    );
    assert!(
        listed.contains("DROP TABLE"),
        "SQL-looking text is just text"
    );
    assert_eq!(
        shop.json(&["customer", "show", "1"]).ok().json()["name"],
        name,
        "stored as given"
    );
}

#[test]
fn counter_sales_receipts_and_settings_from_the_command_line() {
    let shop = Shop::stocked();
    let sale = shop
        .json(&[
            "order",
            "place",
            "--customer",
            "walk-in",
            "MUG-1:2",
            "4006381333931:9",
            "--paid",
            "cash",
            "--tendered",
            "50",
        ])
        .ok()
        .json();
    assert_eq!(
        (sale["status"].as_str(), sale["customer_id"].as_i64()),
        (Some("delivered"), Some(0))
    );
    assert_eq!(sale["customer_name"], "Walk-in");
    assert_eq!(
        sale["payment"],
        serde_json::json!({"method": "cash", "tendered_cents": 5000}),
        "JSON keeps what the human output shows"
    );
    let receipt = shop.run(&["order", "receipt", "1"]).ok().stdout;
    for expected in [
        "shopdesk",
        "Order 1",
        "Customer: Walk-in",
        "TOTAL                               $38.62",
        "Change                              $11.38",
    ] {
        assert!(receipt.contains(expected), "missing {expected}:\n{receipt}");
    }
    assert!(
        receipt.lines().all(|line| line.chars().count() <= 42),
        "{receipt}"
    );

    shop.run(&["settings", "set", "shop_name", "Corner Shop"])
        .ok();
    shop.run(&["settings", "set", "currency_symbol", "€"]).ok();
    let settings = shop.json(&["settings"]).ok().json_lines();
    assert_eq!(settings[0]["key"], "shop_name");
    assert_eq!(settings[0]["value"], "Corner Shop");
    let receipt = shop.run(&["order", "receipt", "1"]).ok().stdout;
    assert!(
        receipt.contains("Corner Shop") && receipt.contains("€38.62"),
        "{receipt}"
    );

    shop.run(&["settings", "set", "colour", "red"])
        .refused("not a setting");
    shop.run(&["settings", "set", "currency_symbol", ""])
        .refused("currency symbol is required");
    shop.run(&[
        "order",
        "place",
        "--customer",
        "walk-in",
        "MUG-1",
        "--paid",
        "card",
        "--tendered",
        "20",
    ])
    .refused("only goes with cash");
    shop.run(&[
        "order",
        "place",
        "--customer",
        "walk-in",
        "MUG-1",
        "--paid",
        "cash",
        "--tendered",
        "1",
    ])
    .refused("less than the total");
    shop.run(&[
        "order",
        "place",
        "--customer",
        "walk-in",
        "MUG-1",
        "--paid",
        "cheque",
    ])
    .refused("not a payment method");
    shop.run(&["order", "place", "--customer", "nobody", "MUG-1"])
        .refused("not a customer id");
    shop.run(&["order", "receipt", "9"])
        .refused("no order number 9");
    shop.run(&["customer", "edit", "0", "--name", "X"])
        .refused("built in and cannot be edited");
    let listed = shop.run(&["customer", "list"]).ok().stdout;
    assert!(
        listed.contains("Walk-in") && listed.contains("built-in"),
        "{listed}"
    );
    // A note where an email would be is not put in angle brackets like one.
    let shown = shop.run(&["customer", "show", "0"]).ok().stdout;
    assert!(
        shown.starts_with("Customer 0: Walk-in (built-in, no email), since "),
        "{shown}"
    );
}

/// The README's first session after `common::cli::STOCKING`, command by
/// command as it is written there.
const FIRST_SESSION_AFTER_STOCKING: [&[&str]; 5] = [
    &[
        "order",
        "place",
        "--customer",
        "1",
        "MUG-1:2",
        "4006381333931:9",
    ],
    &["order", "history", "1"],
    &["order", "status", "1", "shipped", "--note", "DHL 00340434"],
    &["order", "status", "1", "delivered"],
    &["order", "show", "1"],
];

/// `text` with every UUID (a sale id made for the order) written as one:
/// each order gets a new one.
fn without_uuids(text: &str) -> String {
    const SHAPE: &str = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let is_uuid = rest.get(..SHAPE.len()).is_some_and(|head| {
            head.bytes().zip(SHAPE.bytes()).all(|(got, want)| {
                if want == b'-' {
                    got == b'-'
                } else {
                    got.is_ascii_hexdigit()
                }
            })
        });
        let taken = if is_uuid {
            SHAPE.len()
        } else {
            rest.chars().next().map_or(1, char::len_utf8)
        };
        out.push_str(if is_uuid { SHAPE } else { &rest[..taken] });
        rest = &rest[taken..];
    }
    out
}

/// The first code block after `intro` in the README.
fn readme_block_after(readme: &str, intro: &str) -> String {
    let after = &readme[readme.find(intro).expect(intro) + intro.len()..];
    let start = after.find("```\n").unwrap() + "```\n".len();
    after[start..start + after[start..].find("```").unwrap()].to_string()
}

#[test]
fn the_readmes_first_session_prints_what_the_readme_shows() {
    let shop = Shop::stocked();
    let printed: Vec<String> = FIRST_SESSION_AFTER_STOCKING
        .iter()
        .map(|args| without_uuids(&common::without_times(&shop.run(args).ok().stdout)))
        .collect();
    let readme = without_uuids(&common::without_times(&common::readme()));
    assert_eq!(
        readme_block_after(&readme, "`order place` prints the order it placed:"),
        printed[0]
    );
    assert_eq!(
        readme_block_after(&readme, "and the last `order show 1`"),
        printed[4]
    );
}

#[test]
fn every_refusal_exits_with_1_and_a_usage_error_with_2() {
    let shop = Shop::stocked();
    // Invalid input, something not found, a conflict with the shop as it is.
    shop.run(&["order", "place", "--customer", "1", "MUG-1:0"])
        .refused("a quantity must be between 1 and 9999");
    shop.run(&["order", "show", "99"])
        .refused("no order number 99");
    shop.run(&["order", "place", "--customer", "1", "MUG-1:21"])
        .refused("not enough stock");
    // A database shopdesk refuses (exit 75 is for a busy one: see
    // tests/hostile_env.rs, which holds the write lock past the wait).
    let not_a_database = shop.dir.path().join("notes.txt");
    std::fs::write(
        &not_a_database,
        "not a database, but long enough to be read as one",
    )
    .unwrap();
    finish(
        shopdesk()
            .arg("--db")
            .arg(&not_a_database)
            .args(["product", "list"])
            .output()
            .unwrap(),
    )
    .refused("is not a shopdesk database");
    assert_eq!(shop.run(&["order", "show"]).code, 2);
}
