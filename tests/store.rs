//! The store through its public API: every rule of placing orders, stock,
//! statuses, search and paging, as contract tests that every backend
//! passes (each on a fresh shop: `contract_suite!` at the end), and how
//! SQLite files are opened, refused and upgraded, and a history page's
//! query plan on each backend.

mod common;

use std::fs;

use common::server::TestDatabase;
use common::*;
use rusqlite::Connection;
use shopdesk::domain::customer::{CustomerChanges, Email, Phone, SharedPhone};
use shopdesk::domain::order::{BULK_DISCOUNT, OrderFilter, Status};
use shopdesk::domain::product::{ProductChanges, Restock, Stock};
use shopdesk::domain::text::Name;
use shopdesk::domain::{Cents, Error as Rule, Shortage};
use shopdesk::store::mysql::MysqlStore;
use shopdesk::store::sqlite::SqliteStore;
use shopdesk::store::{Error, LATEST_VERSION, Shop};

fn rule(error: Error) -> Rule {
    match error {
        Error::Rule(rule) => rule,
        other => panic!("expected a rule violation, got {other:?}"),
    }
}

// ---- opening databases ----------------------------------------------------

#[test]
fn a_new_database_is_created_with_the_latest_schema_and_safe_settings() {
    let shop = new_store();
    let conn = Connection::open(shop.path()).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, LATEST_VERSION);
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(shop.path()).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "only the owner may read the shop's data"
        );
    }
}

#[test]
fn an_empty_file_is_initialised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    fs::write(&path, b"").unwrap();
    let mut store = SqliteStore::open(&path).unwrap();
    add_customer(&mut store, "Ann Lee", "ann@example.com", "");
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.search_customers("ann", 10).unwrap().len(),
        1,
        "data survives reopening"
    );
}

fn assert_refused_untouched(path: &std::path::Path, expect: impl Fn(&Error) -> bool) {
    let before = common::untouched::FilesBeside::of(path);
    let error = SqliteStore::open(path).err().expect("must be refused");
    assert!(expect(&error), "unexpected error: {error:?}");
    assert!(error.to_string().contains("untouched"), "{error}");
    before.assert_unchanged();
}

#[test]
fn a_database_from_a_newer_shopdesk_is_refused_and_left_untouched() {
    let shop = new_store();
    let path = shop.path().to_path_buf();
    drop(shop.store);
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
        .unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    assert_refused_untouched(&path, |e| {
        matches!(e, Error::DatabaseTooNew { found, supported, .. }
            if *found == LATEST_VERSION + 1 && *supported == LATEST_VERSION)
    });
    let message = SqliteStore::open(&path).err().unwrap().to_string();
    assert!(message.contains("newer shopdesk"), "{message}");
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi');")
        .unwrap();
    drop(conn);
    assert_refused_untouched(&path, |e| matches!(e, Error::ForeignDatabase { .. }));
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    fs::write(&path, "these are my notes, not a database\n".repeat(200)).unwrap();
    assert_refused_untouched(&path, |e| matches!(e, Error::NotADatabase { .. }));
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = SqliteStore::open(&dir.path().join("no/such/folder/shop.db"))
        .err()
        .unwrap();
    assert!(matches!(error, Error::CannotOpen { .. }), "{error:?}");
}

// ---- customers ------------------------------------------------------------

fn emails_are_unique_ignoring_case(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let again = shop.add_customer(
        &new_customer("Ann Other", "ANN@Example.com", ""),
        SharedPhone::Refuse,
        at(1),
    );
    assert_eq!(
        rule(again.unwrap_err()),
        Rule::EmailTaken {
            email: "ANN@Example.com".into(),
            customer: ann.id
        }
    );
    assert_eq!(shop.search_customers("ann", 10).unwrap().len(), 1);
}

fn editing_a_customer_changes_only_what_was_given(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    let bob = add_customer(&mut shop, "Bob Ray", "bob@example.com", "");
    let edited = shop
        .edit_customer(
            ann.id,
            &CustomerChanges {
                name: Some(Name::parse("name", "Ann Lee-Ray").unwrap()),
                ..Default::default()
            },
            SharedPhone::Refuse,
        )
        .unwrap();
    assert_eq!(edited.name, "Ann Lee-Ray");
    assert_eq!(edited.email.as_deref(), Some("ann@example.com"));
    assert_eq!(edited.phone.as_deref(), Some("555-0102"));

    let taken = shop.edit_customer(
        ann.id,
        &CustomerChanges {
            email: Some(Email::parse_optional("Bob@example.com").unwrap()),
            ..Default::default()
        },
        SharedPhone::Refuse,
    );
    assert!(
        matches!(rule(taken.unwrap_err()), Rule::EmailTaken { customer, .. } if customer == bob.id)
    );
    // Changing the case of one's own email is not a conflict.
    let recased = shop
        .edit_customer(
            ann.id,
            &CustomerChanges {
                email: Some(Email::parse_optional("Ann@Example.com").unwrap()),
                phone: Some(None),
                ..Default::default()
            },
            SharedPhone::Refuse,
        )
        .unwrap();
    assert_eq!(recased.email.as_deref(), Some("Ann@Example.com"));
    assert_eq!(recased.phone, None);
    assert_eq!(
        rule(
            shop.edit_customer(999, &CustomerChanges::default(), SharedPhone::Refuse)
                .unwrap_err()
        ),
        Rule::CustomerNotFound(999)
    );
}

fn a_customer_may_have_a_phone_and_no_email_and_is_found_by_name_and_digits(mut shop: TestShop) {
    let cam = add_customer(&mut shop, "Cam Ortiz", "", "+1 (555) 010-7788");
    assert_eq!(
        (cam.email.as_deref(), cam.phone.as_deref()),
        (None, Some("+1 (555) 010-7788"))
    );
    assert_eq!(shop.customer(cam.id).unwrap(), cam);
    for text in ["ortiz", "5550107788", "010-77", "CAM"] {
        assert_eq!(found_names(&*shop, text), ["Cam Ortiz"], "{text}");
    }
    // Their empty email is no one's address: a second one like them is fine.
    add_customer(&mut shop, "Dee Ortiz", "", "555-0199");
    assert!(shop.check().unwrap().is_ok());
}

fn changes(email: Option<&str>, phone: Option<&str>) -> CustomerChanges {
    CustomerChanges {
        email: email.map(|e| Email::parse_optional(e).unwrap()),
        phone: phone.map(|p| Phone::parse_optional(p).unwrap()),
        ..Default::default()
    }
}

fn an_email_or_a_phone_is_removed_only_while_the_other_is_left(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    let edit = |shop: &mut TestShop, email, phone| {
        shop.edit_customer(ann.id, &changes(email, phone), SharedPhone::Refuse)
    };
    let without_email = edit(&mut shop, Some(""), None).unwrap();
    assert_eq!(
        (without_email.email, without_email.phone.as_deref()),
        (None, Some("555-0102"))
    );
    // The last way to reach her stays, whichever is asked to go.
    assert_eq!(
        rule(edit(&mut shop, None, Some("")).unwrap_err()),
        Rule::ContactMissing
    );
    assert_eq!(
        rule(edit(&mut shop, Some(""), Some("")).unwrap_err()),
        Rule::ContactMissing
    );
    assert_eq!(
        shop.customer(ann.id).unwrap().phone.as_deref(),
        Some("555-0102")
    );
    // Swapping one for the other in one edit is fine.
    let swapped = edit(&mut shop, Some("ann@example.com"), Some("")).unwrap();
    assert_eq!(
        (swapped.email.as_deref(), swapped.phone),
        (Some("ann@example.com"), None)
    );
    let back = edit(&mut shop, Some(""), Some("555-0102")).unwrap();
    assert_eq!(
        (back.email, back.phone.as_deref()),
        (None, Some("555-0102"))
    );
    assert!(shop.check().unwrap().is_ok());
}

fn a_removed_email_is_free_for_another_customer(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    shop.edit_customer(ann.id, &changes(Some(""), None), SharedPhone::Refuse)
        .unwrap();
    let again = add_customer(&mut shop, "Ann Lee-Ray", "ANN@example.com", "");
    assert_eq!(again.email.as_deref(), Some("ANN@example.com"));
    assert!(shop.check().unwrap().is_ok());
}

fn a_phone_number_another_customer_has_is_registered_only_when_allowed(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    let taken = Rule::PhoneTaken {
        phone: "555-0102".into(),
        customer: ann.id,
        name: "Ann Lee".into(),
    };
    // The same digits written another way are the same number.
    let bo = new_customer("Bo Lee", "", "(555) 01-02");
    assert_eq!(
        rule(
            shop.add_customer(&bo, SharedPhone::Refuse, at(1))
                .unwrap_err()
        ),
        taken
    );
    assert_eq!(
        found_names(&*shop, "lee"),
        ["Ann Lee"],
        "nothing was written"
    );
    let bo = shop.add_customer(&bo, SharedPhone::Allow, at(1)).unwrap();
    assert_eq!(bo.phone.as_deref(), Some("(555) 01-02"));

    // An edit to another's number asks the same; keeping one's own
    // number (shared or not) asks nothing.
    let cy = add_customer(&mut shop, "Cy Lee", "cy@example.com", "");
    assert_eq!(
        rule(
            shop.edit_customer(cy.id, &changes(None, Some("5550102")), SharedPhone::Refuse)
                .unwrap_err()
        ),
        taken
    );
    let renamed = CustomerChanges {
        name: Some(Name::parse("name", "Bo Lee-Ray").unwrap()),
        ..changes(Some(""), Some("555 0102"))
    };
    let bo = shop
        .edit_customer(bo.id, &renamed, SharedPhone::Refuse)
        .unwrap();
    assert_eq!(bo.phone.as_deref(), Some("555 0102"));
    assert!(shop.check().unwrap().is_ok());
}

fn a_phone_number_registered_on_another_counter_meanwhile_is_asked_about(mut shop: TestShop) {
    let mut other_counter = shop.open_another().unwrap();
    // This counter has read the customers before the other registers Ann.
    assert!(shop.search_customers("555", 10).unwrap().is_empty());
    let ann = other_counter
        .add_customer(
            &new_customer("Ann Lee", "", "555-0102"),
            SharedPhone::Refuse,
            at(0),
        )
        .unwrap();
    let refused = shop
        .add_customer(
            &new_customer("Ann L.", "", "5550102"),
            SharedPhone::Refuse,
            at(1),
        )
        .unwrap_err();
    assert!(
        matches!(rule(refused), Rule::PhoneTaken { customer, .. } if customer == ann.id),
        "the check is made inside the write, against what is stored now"
    );
}

/// The names of the first customers a search for `text` finds.
fn found_names(shop: &dyn Shop, text: &str) -> Vec<String> {
    shop.search_customers(text, 10)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

fn searches_ignore_case_and_accents_however_they_are_written_in_every_latin_script(
    mut shop: TestShop,
) {
    for (name, email) in [
        ("José Núñez", "jose@example.org"),
        ("Ștefan Țurcanu", "stefan@example.ro"),
        ("Nguyễn Văn Đức", "nguyen@example.vn"),
        ("Ørsted Ħal", "orsted@example.dk"),
        ("Zoë Straße", "zoe@example.de"),
        // Typed with combining accents, as some keyboards and pastes do.
        ("Rene\u{301}e Mu\u{308}ller", "renee@example.de"),
    ] {
        add_customer(&mut shop, name, email, "");
    }
    let names = |text: &str| found_names(&*shop, text);
    for (typed, found) in [
        ("jose\u{301}", "José Núñez"),
        ("NU\u{303}N", "José Núñez"),
        ("stefan", "Ștefan Țurcanu"),
        ("turcanu", "Ștefan Țurcanu"),
        ("nguyen", "Nguyễn Văn Đức"),
        ("duc", "Nguyễn Văn Đức"),
        ("orsted hal", "Ørsted Ħal"),
        ("renee", "Rene\u{301}e Mu\u{308}ller"),
        ("renée", "Rene\u{301}e Mu\u{308}ller"),
        ("MÜLLER", "Rene\u{301}e Mu\u{308}ller"),
        // Case as Unicode folds it whole, as emails are compared.
        ("strasse", "Zoë Straße"),
        ("STRASSE", "Zoë Straße"),
    ] {
        assert_eq!(names(typed), [found], "searching {typed:?}");
    }
}

fn customers_are_found_by_name_email_or_phone_digits(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "+1 (555) 010-2030");
    let jose = add_customer(&mut shop, "José Núñez", "jose@example.org", "0171 555 999");
    add_customer(&mut shop, "Bob Ray", "bob@shop.example", "");
    let names = |text: &str| found_names(&*shop, text);
    assert_eq!(names("lee"), ["Ann Lee"]);
    assert_eq!(names("RA"), ["Bob Ray"], "1-2 characters search too");
    assert_eq!(names("example.org"), ["José Núñez"]);
    assert_eq!(
        names("555 0102"),
        ["Ann Lee"],
        "phone digits ignore punctuation"
    );
    assert_eq!(names("(555) 010-2030"), ["Ann Lee"]);
    assert_eq!(names("NÚÑ"), ["José Núñez"]);
    assert_eq!(
        names("nun"),
        ["José Núñez"],
        "accents are optional in a search"
    );
    assert_eq!(
        names(""),
        ["Ann Lee", "Bob Ray", "José Núñez", "Walk-in"],
        "no text lists everyone by name"
    );
    assert!(names("zzz").is_empty());
    // Search syntax in user text is just text: it finds what holds it
    // literally (only "jose@example.org" holds "or"), nothing else.
    assert_eq!(names("OR"), ["José Núñez"]);
    for hostile in [
        "\"",
        "a\"b",
        "*",
        "-x",
        "NEAR(",
        "%",
        "_",
        "'; DROP TABLE customers; --",
    ] {
        assert!(names(hostile).is_empty(), "{hostile}");
    }
    assert_eq!(shop.search_customers("", 10).unwrap().len(), 4);
    // An exact phone number comes first even when names sort before it.
    let exact = shop.search_customers("0171555999", 10).unwrap();
    assert_eq!(exact[0].id, jose.id);
    assert_eq!(
        shop.search_customers("ann@example.com", 10).unwrap()[0].id,
        ann.id
    );
}

// ---- products -------------------------------------------------------------

fn skus_are_unique_ignoring_case_and_digits_naming_two_products_are_refused(mut shop: TestShop) {
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "12.50", 5);
    let coded = add_product(&mut shop, "1", "Product coded 1", "1", 1);
    assert_ne!(
        coded.id, 1,
        "the test needs the SKU '1' on a product whose id is not 1"
    );
    let again = shop.add_product(
        &shopdesk::domain::product::NewProduct {
            sku: shopdesk::domain::product::Sku::parse("mug-1").unwrap(),
            name: Name::parse("name", "Other").unwrap(),
            price: Cents::ZERO,
            stock: Stock::new(0).unwrap(),
            details: String::new(),
        },
        at(1),
    );
    assert!(
        matches!(rule(again.unwrap_err()), Rule::SkuTaken { product, .. } if product == mug.id)
    );
    assert_eq!(
        shop.product("mug-1").unwrap().id,
        mug.id,
        "SKUs match in any case"
    );
    assert_eq!(
        rule(shop.product("1").unwrap_err()),
        Rule::ProductAmbiguous {
            text: "1".into(),
            by_sku: coded.id,
            by_sku_name: "Product coded 1".into(),
            by_id: mug.id,
            by_id_name: "Blue mug".into(),
        },
        "digits that are one product's SKU and another's id name neither"
    );
    assert_eq!(shop.product("sku:1").unwrap().id, coded.id);
    assert_eq!(shop.product("id:1").unwrap().id, mug.id);
    assert_eq!(
        shop.product_by_sku("1").unwrap().map(|p| p.id),
        Some(coded.id),
        "a scan finds the exact SKU"
    );
    let refused = shop.place_order(&new_order(0, &["1:1"]), at(2));
    assert!(
        matches!(rule(refused.unwrap_err()), Rule::ProductAmbiguous { .. }),
        "an item naming two products sells neither"
    );
    assert_eq!(
        shop.product(&coded.id.to_string()).unwrap().id,
        coded.id,
        "digits that are no SKU are an id"
    );
    assert_eq!(
        rule(shop.product("NOPE").unwrap_err()),
        Rule::ProductNotFound("NOPE".into())
    );
    assert_eq!(
        rule(shop.product("999").unwrap_err()),
        Rule::ProductNotFound("999".into())
    );
}

fn products_are_found_by_sku_or_name_exact_sku_first(mut shop: TestShop) {
    add_product(&mut shop, "MUG-10", "Aardvark mug", "1", 1);
    add_product(&mut shop, "MUG-1", "Zebra mug", "1", 1);
    add_product(&mut shop, "PEN", "Red pen", "1", 1);
    let skus = |text: &str| -> Vec<String> {
        shop.search_products(text, 10)
            .unwrap()
            .into_iter()
            .map(|p| p.sku)
            .collect()
    };
    assert_eq!(
        skus("mug-1"),
        ["MUG-1", "MUG-10"],
        "the exact SKU first, then by name"
    );
    assert_eq!(skus("MUG"), ["MUG-10", "MUG-1"]);
    assert_eq!(skus("red"), ["PEN"]);
    assert_eq!(skus("en"), ["PEN"]);
    assert_eq!(skus("").len(), 3);
    assert_eq!(
        shop.search_products("", 2).unwrap().len(),
        2,
        "the limit holds"
    );
}

fn any_limit_is_bound_never_pasted_into_the_sql(mut shop: TestShop) {
    add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "MUG-1", "Blue mug", "1", 1);
    // Past i64::MAX, a limit written into the SQL text reads as a real
    // number and SQLite refuses it ("datatype mismatch").
    for limit in [usize::MAX, i64::MAX as usize + 1] {
        assert_eq!(shop.search_products("", limit).unwrap().len(), 1);
        assert_eq!(shop.search_products("mug", limit).unwrap().len(), 1);
        assert_eq!(shop.search_customers("", limit).unwrap().len(), 2);
    }
}

fn restock_adds_or_sets_and_archiving_stops_sales(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG", "Blue mug", "10", 3);
    assert_eq!(
        shop.restock(mug.id, Restock::add(4).unwrap(), at(1))
            .unwrap()
            .stock,
        7
    );
    assert_eq!(
        shop.restock(mug.id, Restock::Set(Stock::new(2).unwrap()), at(2))
            .unwrap()
            .stock,
        2
    );
    let archived = shop.set_product_active(mug.id, false, at(3)).unwrap();
    assert!(!archived.active);
    assert_eq!(
        rule(
            shop.place_order(&new_order(ann.id, &["MUG:1"]), at(4))
                .unwrap_err()
        ),
        Rule::ProductArchived {
            sku: "MUG".into(),
            name: "Blue mug".into()
        }
    );
    assert_eq!(
        shop.search_products("mug", 10).unwrap()[0].id,
        mug.id,
        "archived products are still listed"
    );
    shop.set_product_active(mug.id, true, at(5)).unwrap();
    let sold = shop
        .place_order(&new_order(ann.id, &["MUG:1"]), at(6))
        .unwrap();
    assert_eq!(
        (sold.items[0].product_id, sold.items[0].quantity),
        (mug.id, 1)
    );
    assert_eq!(shop.product("MUG").unwrap().stock, 1);
}

fn editing_a_price_leaves_past_orders_as_sold(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG", "Blue mug", "10", 5);
    let order = shop
        .place_order(&new_order(ann.id, &["MUG:2"]), at(1))
        .unwrap();
    let changes = ProductChanges {
        name: Some(Name::parse("name", "Navy mug").unwrap()),
        price: Some(Cents::new(9900)),
        details: Some("Now navy".into()),
    };
    let edited = shop.edit_product(mug.id, &changes, at(2)).unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.price),
        ("Navy mug", Cents::new(9900))
    );
    let stored = shop.order(order.id).unwrap();
    assert_eq!(stored.items[0].name, "Blue mug");
    assert_eq!(stored.items[0].unit_price, Cents::new(1000));
    assert_eq!(stored.totals.total, Cents::new(2000));
}

// ---- placing orders -------------------------------------------------------

fn a_placed_order_is_returned_as_it_was_stored_to_the_microsecond(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "MUG", "Blue mug", "12.50", 20);
    // The clock gives nanoseconds; the database keeps microseconds.
    let now = at(1) + chrono::Duration::nanoseconds(123_456_789);
    let placed = shop
        .place_order(&new_order(ann.id, &["MUG:2"]), now)
        .unwrap();
    assert_eq!(placed, shop.order(placed.id).unwrap());
    assert_eq!(
        placed.created_at,
        at(1) + chrono::Duration::microseconds(123_456)
    );
}

fn an_order_of_several_items_is_priced_merged_and_takes_stock(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG", "Blue mug", "12.50", 20);
    let pen = add_product(&mut shop, "PEN", "Red pen", "1.99", 50);
    let order = shop
        .place_order(
            &new_order(
                ann.id,
                &["MUG:2", "PEN:3", "mug:1", &format!("{}:1", pen.id)],
            ),
            at(1),
        )
        .unwrap();
    assert_eq!(order.items.len(), 2, "lines of one product are merged");
    assert_eq!(
        (order.items[0].sku.as_str(), order.items[0].quantity),
        ("MUG", 3)
    );
    assert_eq!(
        (order.items[1].sku.as_str(), order.items[1].quantity),
        ("PEN", 4)
    );
    assert_eq!(order.items[1].line_total, Cents::new(796));
    assert_eq!(order.totals.subtotal, Cents::new(3750 + 796));
    assert_eq!(order.totals.discount, Cents::ZERO, "7 items: no discount");
    assert_eq!(order.status, Status::Pending);
    assert_eq!(shop.product("MUG").unwrap().stock, 17);
    assert_eq!(shop.product("PEN").unwrap().stock, 46);
    assert_eq!(
        shop.order(order.id).unwrap(),
        order,
        "what was returned is what was stored"
    );
    let events = shop.order_events(order.id).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].from, events[0].to, events[0].at),
        (None, Status::Pending, at(1))
    );
    let _ = mug;
}

fn more_than_ten_items_get_ten_percent_off_the_whole_order(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "A", "Apple", "0.35", 100);
    add_product(&mut shop, "B", "Bread", "2.49", 100);
    let ten = shop
        .place_order(&new_order(ann.id, &["A:5", "B:5"]), at(1))
        .unwrap();
    assert_eq!(ten.totals.discount, Cents::ZERO);
    let eleven = shop
        .place_order(&new_order(ann.id, &["A:6", "B:5"]), at(2))
        .unwrap();
    // 6 × 0.35 + 5 × 2.49 = 14.55; 10% = 1.455, rounded half away = 1.46.
    assert_eq!(eleven.totals.subtotal, Cents::new(1455));
    assert_eq!(eleven.totals.discount, Cents::new(146));
    assert_eq!(eleven.totals.total, Cents::new(1309));
    assert!(BULK_DISCOUNT.applies_to(11) && !BULK_DISCOUNT.applies_to(10));
}

fn a_refused_order_changes_nothing(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG", "Blue mug", "10", 2);
    let pen = add_product(&mut shop, "PEN", "Red pen", "1", 100);
    let cup = add_product(&mut shop, "CUP", "Tea cup", "3", 0);
    let snapshot = |shop: &dyn Shop| {
        (
            count_orders(shop),
            shop.search_products("", 10)
                .unwrap()
                .iter()
                .map(|p| p.stock)
                .collect::<Vec<_>>(),
        )
    };
    let before = snapshot(&*shop);

    // Enough pens, too few mugs and cups: both shortages are named.
    let error = shop
        .place_order(&new_order(ann.id, &["PEN:5", "MUG:5", "CUP:1"]), at(1))
        .unwrap_err();
    assert_eq!(
        rule(error),
        Rule::OutOfStock(vec![
            Shortage {
                product_id: mug.id,
                name: "Blue mug".into(),
                in_stock: 2,
                wanted: 5
            },
            Shortage {
                product_id: cup.id,
                name: "Tea cup".into(),
                in_stock: 0,
                wanted: 1
            },
        ])
    );
    let message = shop
        .place_order(&new_order(ann.id, &["MUG:5", "CUP:1"]), at(1))
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "not enough stock: Blue mug: 2 in stock, 5 wanted; Tea cup: 0 in stock, 1 wanted"
    );

    // Merged lines are checked as one: 2 + 1 mugs is more than the shelf.
    assert!(matches!(
        rule(
            shop.place_order(&new_order(ann.id, &["MUG:2", "MUG:1"]), at(1))
                .unwrap_err()
        ),
        Rule::OutOfStock(_)
    ));
    assert_eq!(
        rule(
            shop.place_order(&new_order(ann.id, &["PEN:1", "NOPE:1"]), at(1))
                .unwrap_err()
        ),
        Rule::ProductNotFound("NOPE".into())
    );
    assert_eq!(
        rule(
            shop.place_order(&new_order(999, &["PEN:1"]), at(1))
                .unwrap_err()
        ),
        Rule::CustomerNotFound(999)
    );
    assert_eq!(
        rule(
            shop.place_order(&new_order(ann.id, &[]), at(1))
                .unwrap_err()
        ),
        Rule::OrderEmpty
    );
    assert!(matches!(
        rule(
            shop.place_order(&new_order(ann.id, &["PEN:9999", "PEN:1"]), at(1))
                .unwrap_err()
        ),
        Rule::QuantityOutOfRange { given: 10_000, .. }
    ));
    assert_eq!(
        snapshot(&*shop),
        before,
        "no order and no stock change after refusals"
    );
    let _ = pen;
}

// ---- statuses -------------------------------------------------------------

fn an_order_moves_pending_shipped_delivered_and_no_further(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "MUG", "Blue mug", "10", 5);
    let order = shop
        .place_order(&new_order(ann.id, &["MUG:1"]), at(1))
        .unwrap();
    let refused = shop
        .set_order_status(order.id, Status::Delivered, "", at(2))
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        format!(
            "order {} cannot go from pending to delivered: a pending order can only move to shipped or canceled",
            order.id
        )
    );
    assert_eq!(
        shop.set_order_status(order.id, Status::Shipped, "DHL 123", at(3))
            .unwrap()
            .status,
        Status::Shipped
    );
    for (refused, expected) in [
        (
            Status::Pending,
            Rule::TransitionNotAllowed {
                order: order.id,
                from: Status::Shipped,
                to: Status::Pending,
            },
        ),
        (
            Status::Canceled,
            Rule::TransitionNotAllowed {
                order: order.id,
                from: Status::Shipped,
                to: Status::Canceled,
            },
        ),
        (
            Status::Shipped,
            Rule::StatusUnchanged {
                order: order.id,
                status: Status::Shipped,
            },
        ),
    ] {
        let error = shop
            .set_order_status(order.id, refused, "", at(4))
            .unwrap_err();
        assert_eq!(rule(error), expected, "shipped -> {refused}");
    }
    assert_eq!(
        shop.set_order_status(order.id, Status::Delivered, "", at(5))
            .unwrap()
            .status,
        Status::Delivered
    );
    for status in Status::ALL {
        let expected = if status == Status::Delivered {
            Rule::StatusUnchanged {
                order: order.id,
                status,
            }
        } else {
            Rule::TransitionNotAllowed {
                order: order.id,
                from: Status::Delivered,
                to: status,
            }
        };
        let error = shop
            .set_order_status(order.id, status, "", at(6))
            .unwrap_err();
        assert_eq!(rule(error), expected, "delivered is final");
    }
    let timeline: Vec<_> = shop
        .order_events(order.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.from, e.to, e.at, e.note))
        .collect();
    assert_eq!(
        timeline,
        [
            (None, Status::Pending, at(1), "order placed".to_string()),
            (
                Some(Status::Pending),
                Status::Shipped,
                at(3),
                "DHL 123".to_string()
            ),
            (
                Some(Status::Shipped),
                Status::Delivered,
                at(5),
                String::new()
            ),
        ]
    );
    assert_eq!(
        rule(
            shop.set_order_status(4242, Status::Shipped, "", at(7))
                .unwrap_err()
        ),
        Rule::OrderNotFound(4242)
    );
}

fn canceling_puts_the_items_back_exactly_once(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "MUG", "Blue mug", "10", 5);
    add_product(&mut shop, "PEN", "Red pen", "1", 5);
    let order = shop
        .place_order(&new_order(ann.id, &["MUG:2", "PEN:5"]), at(1))
        .unwrap();
    assert_eq!(shop.product("PEN").unwrap().stock, 0);
    shop.set_order_status(order.id, Status::Canceled, "changed her mind", at(2))
        .unwrap();
    assert_eq!(shop.product("MUG").unwrap().stock, 5);
    assert_eq!(shop.product("PEN").unwrap().stock, 5);
    assert!(matches!(
        rule(
            shop.set_order_status(order.id, Status::Canceled, "", at(3))
                .unwrap_err()
        ),
        Rule::StatusUnchanged { .. }
    ));
    assert_eq!(
        shop.product("MUG").unwrap().stock,
        5,
        "a second cancel restores nothing"
    );
    let shipped = shop
        .place_order(&new_order(ann.id, &["MUG:1"]), at(4))
        .unwrap();
    shop.set_order_status(shipped.id, Status::Shipped, "", at(5))
        .unwrap();
    assert_eq!(
        rule(
            shop.set_order_status(shipped.id, Status::Canceled, "", at(6))
                .unwrap_err()
        ),
        Rule::TransitionNotAllowed {
            order: shipped.id,
            from: Status::Shipped,
            to: Status::Canceled,
        },
        "a shipped order cannot be canceled"
    );
    assert_eq!(shop.product("MUG").unwrap().stock, 4);
}

// ---- history and paging ---------------------------------------------------

fn history_is_newest_first_in_keyset_pages_and_streams_everything(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let bob = add_customer(&mut shop, "Bob Ray", "bob@example.com", "");
    add_product(&mut shop, "MUG", "Blue mug", "1", 1000);
    let mut ann_orders = Vec::new();
    for minute in 0..25 {
        // Pairs share a timestamp: the id breaks the tie.
        let when = at(minute / 2);
        ann_orders.push(
            shop.place_order(&new_order(ann.id, &["MUG:1"]), when)
                .unwrap()
                .id,
        );
        shop.place_order(&new_order(bob.id, &["MUG:2"]), when)
            .unwrap();
    }
    ann_orders.reverse();
    let filter = OrderFilter {
        customer_id: Some(ann.id),
        status: None,
    };

    let mut paged = Vec::new();
    let mut last = None;
    loop {
        let page = shop.orders_page(filter, last.as_ref(), 7).unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 7);
        paged.extend(page.iter().map(|o| o.id));
        last = page.last().cloned();
    }
    assert_eq!(paged, ann_orders, "pages join up with no gap and no repeat");

    let streamed: Vec<i64> = shop.orders(filter).map(|o| o.unwrap().id).collect();
    assert_eq!(streamed, ann_orders);
    assert!(
        shop.orders(filter).all(|o| o.unwrap().items.len() == 1),
        "orders stream with their items"
    );
    assert_eq!(count_orders(&shop), 50, "the whole shop");

    shop.set_order_status(ann_orders[3], Status::Canceled, "", at(100))
        .unwrap();
    let canceled: Vec<i64> = shop
        .orders(OrderFilter {
            customer_id: Some(ann.id),
            status: Some(Status::Canceled),
        })
        .map(|o| o.unwrap().id)
        .collect();
    assert_eq!(canceled, [ann_orders[3]]);
}

fn history_streams_a_page_at_a_time_while_another_counter_writes(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "MUG", "Blue mug", "1", 1000);
    // More than two pages of a stream.
    let mut placed: Vec<i64> = (0..450)
        .map(|minute| {
            let order = new_order(ann.id, &["MUG:1"]);
            shop.place_order(&order, at(minute)).unwrap().id
        })
        .collect();
    placed.reverse();
    let oldest = placed[placed.len() - 1];
    let mut other = shop.open_another().unwrap();
    let mut streamed = Vec::new();
    for order in shop.orders(OrderFilter::default()) {
        let order = order.unwrap();
        if streamed.is_empty() {
            // Another counter sells, and cancels the oldest order, while
            // the first page is being handed out.
            other
                .place_order(&new_order(ann.id, &["MUG:1"]), at(1000))
                .unwrap();
            other
                .set_order_status(oldest, Status::Canceled, "", at(1001))
                .unwrap();
        }
        // Nothing is held open between pages: this shop reads too.
        assert_eq!(shop.order(order.id).unwrap().id, order.id);
        streamed.push((order.id, order.status));
    }
    let ids: Vec<i64> = streamed.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids, placed,
        "every order there when the stream began, once, newest first"
    );
    assert_eq!(
        streamed.last(),
        Some(&(oldest, Status::Canceled)),
        "a later page is read when it is reached, as it is then"
    );
}

#[test]
fn history_pages_are_read_from_an_index_without_sorting() {
    let shop = new_store();
    for_each_history_filter(
        |filter| shop.orders_page_plan(filter).unwrap(),
        |plan, index| plan.contains(index),
        &["TEMP B-TREE"],
    );
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn on_a_server_history_pages_are_read_from_an_index_without_sorting() {
    let database = TestDatabase::create();
    let store = MysqlStore::open(database.url(), None).unwrap();
    for_each_history_filter(
        |filter| store.orders_page_plan(filter).unwrap(),
        // The orders' line comes first: `o key=INDEX Extra`.
        |plan, index| plan.starts_with(&format!("o key={index} ")),
        &["filesort", "temporary"],
    );
}

/// Checks the plan (`plan_of`: a backend's plan of the statement the
/// store itself runs for a page) of each filter of the history: read from
/// the index that holds its orders in order (`reads`), and never sorted
/// (none of the backend's words for a sort, `sorts`).
fn for_each_history_filter(
    plan_of: impl Fn(OrderFilter) -> String,
    reads: impl Fn(&str, &str) -> bool,
    sorts: &[&str],
) {
    let pending = Some(Status::Pending);
    for (customer_id, status, index) in [
        (Some(1), None, "orders_by_customer"),
        (None, None, "orders_by_time"),
        (None, pending, "orders_by_status"),
        (Some(1), pending, "orders_by_customer"),
    ] {
        let plan = plan_of(OrderFilter {
            customer_id,
            status,
        });
        let filter = format!("customer {customer_id:?}, status {status:?}");
        assert!(reads(&plan, index), "{filter}: not on {index}:\n{plan}");
        assert!(
            !sorts.iter().any(|sort| plan.contains(sort)),
            "{filter}: must not sort:\n{plan}"
        );
    }
}

// ---- several counters -----------------------------------------------------

fn counters_on_one_database_never_sell_the_same_unit_twice(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    add_product(&mut shop, "LAST", "Last units", "5", 12);

    let counters: Vec<_> = (0..4)
        .map(|_| {
            // Each counter its own connection to the one database.
            let mut store = shop.open_another().unwrap();
            std::thread::spawn(move || {
                let mut sold = 0;
                for _ in 0..6 {
                    match store.place_order(&new_order(ann.id, &["LAST:1"]), at(1)) {
                        Ok(_) => sold += 1,
                        Err(Error::Rule(Rule::OutOfStock(_))) => {}
                        Err(other) => panic!("unexpected: {other}"),
                    }
                }
                sold
            })
        })
        .collect();
    let sold: i64 = counters.into_iter().map(|c| c.join().unwrap()).sum();
    assert_eq!(sold, 12, "every unit sold once, no more");
    assert_eq!(shop.product("LAST").unwrap().stock, 0);
    assert_eq!(count_orders(&shop), 12);
}

fn phone_and_email_parsers_feed_the_store_as_typed(mut shop: TestShop) {
    let customer = add_customer(&mut shop, "  Ann Lee  ", " ann@example.com ", " 555 0102 ");
    assert_eq!(
        (customer.name.as_str(), customer.email_label()),
        ("Ann Lee", "ann@example.com")
    );
    assert_eq!(customer.phone.as_deref(), Some("555 0102"));
    assert!(Phone::parse_optional("").unwrap().is_none());
}

fn searches_continue_page_by_page_without_gaps_or_repeats(mut shop: TestShop) {
    for i in 0..23 {
        // One phone number for all: found all together by its digits.
        let customer = new_customer(
            &format!("Customer {:02}", 22 - i),
            &format!("c{i}@example.com"),
            "555-0100",
        );
        shop.add_customer(&customer, SharedPhone::Allow, at(0))
            .unwrap();
        add_product(
            &mut shop,
            &format!("SKU-{i}"),
            &format!("Mug {:02}", 22 - i),
            "1",
            1,
        );
    }
    for text in ["", "55", "555", "example", "c1@example.com"] {
        let mut seen: Vec<i64> = Vec::new();
        let mut page = shop.search_customers(text, 5).unwrap();
        while !page.is_empty() {
            seen.extend(page.iter().map(|c| c.id));
            page = shop
                .search_customers_after(text, page.last().unwrap(), 5)
                .unwrap();
        }
        let all: Vec<i64> = shop
            .search_customers(text, 100)
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(seen, all, "customers matching “{text}”");
    }
    for text in ["", "mu", "mug", "sku-1"] {
        let mut seen: Vec<i64> = Vec::new();
        let mut page = shop.search_products(text, 4).unwrap();
        while !page.is_empty() {
            seen.extend(page.iter().map(|p| p.id));
            page = shop
                .search_products_after(text, page.last().unwrap(), 4)
                .unwrap();
        }
        let all: Vec<i64> = shop
            .search_products(text, 100)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(seen, all, "products matching “{text}”");
    }
}

fn searches_see_changes_made_here_and_by_other_counters(mut shop: TestShop) {
    add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    assert_eq!(
        shop.search_customers("lee", 10).unwrap().len(),
        1,
        "a first search fills the cache"
    );
    let mut other_counter = shop.open_another().unwrap();
    add_customer(
        &mut other_counter,
        "Bea Leeds",
        "bea@example.com",
        "555 0199",
    );
    let names = |shop: &dyn Shop, text: &str| -> Vec<String> {
        shop.search_customers(text, 10)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(
        names(&*shop, "lee"),
        ["Ann Lee", "Bea Leeds"],
        "another connection's customer is found"
    );
    assert_eq!(names(&*shop, "0199"), ["Bea Leeds"]);
    let bea = shop.search_customers("bea", 1).unwrap().remove(0);
    other_counter
        .edit_customer(
            bea.id,
            &CustomerChanges {
                name: Some(Name::parse("name", "Bea Moss").unwrap()),
                ..Default::default()
            },
            SharedPhone::Refuse,
        )
        .unwrap();
    assert_eq!(
        names(&*shop, "lee"),
        ["Ann Lee"],
        "an edited name is searched as it is now"
    );
    assert_eq!(names(&*shop, "moss"), ["Bea Moss"]);
    let mug = add_product(&mut shop, "MUG", "Blue mug", "1", 5);
    assert_eq!(shop.search_products("blue", 10).unwrap()[0].id, mug.id);
    // A sale changes stock, not what is searched: the result shows the new stock.
    shop.place_order(&new_order(1, &["MUG:2"]), at(1)).unwrap();
    assert_eq!(shop.search_products("blue", 10).unwrap()[0].stock, 3);
}

contract_suite!(
    emails_are_unique_ignoring_case,
    editing_a_customer_changes_only_what_was_given,
    a_customer_may_have_a_phone_and_no_email_and_is_found_by_name_and_digits,
    an_email_or_a_phone_is_removed_only_while_the_other_is_left,
    a_removed_email_is_free_for_another_customer,
    a_phone_number_another_customer_has_is_registered_only_when_allowed,
    a_phone_number_registered_on_another_counter_meanwhile_is_asked_about,
    searches_ignore_case_and_accents_however_they_are_written_in_every_latin_script,
    customers_are_found_by_name_email_or_phone_digits,
    skus_are_unique_ignoring_case_and_digits_naming_two_products_are_refused,
    products_are_found_by_sku_or_name_exact_sku_first,
    any_limit_is_bound_never_pasted_into_the_sql,
    restock_adds_or_sets_and_archiving_stops_sales,
    editing_a_price_leaves_past_orders_as_sold,
    a_placed_order_is_returned_as_it_was_stored_to_the_microsecond,
    an_order_of_several_items_is_priced_merged_and_takes_stock,
    more_than_ten_items_get_ten_percent_off_the_whole_order,
    a_refused_order_changes_nothing,
    an_order_moves_pending_shipped_delivered_and_no_further,
    canceling_puts_the_items_back_exactly_once,
    history_is_newest_first_in_keyset_pages_and_streams_everything,
    history_streams_a_page_at_a_time_while_another_counter_writes,
    counters_on_one_database_never_sell_the_same_unit_twice,
    phone_and_email_parsers_feed_the_store_as_typed,
    searches_continue_page_by_page_without_gaps_or_repeats,
    searches_see_changes_made_here_and_by_other_counters,
);
