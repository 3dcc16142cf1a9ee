//! Databases made by earlier versions of shopdesk open and upgrade. Each
//! schema version leaves a fixture under tests/fixtures/ made by the
//! shopdesk of that version; every fixture must open with this one.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use rusqlite::Connection;
use shopdesk::domain::Error as Rule;
use shopdesk::domain::customer::{CustomerChanges, Email, SharedPhone};
use shopdesk::domain::order::{OrderFilter, SaleId};
use shopdesk::store::sqlite::SqliteStore;
use shopdesk::store::{Error as StoreError, LATEST_VERSION, Shop};

fn fixtures() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "db"))
        .collect();
    found.sort();
    found
}

/// SQL without comments and with white space folded: `ALTER TABLE ... ADD
/// COLUMN` splices the new column into the stored text without the layout
/// (or the comments) of schema.sql.
fn normalize(sql: &str) -> String {
    let without_comments: Vec<&str> = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect();
    let folded = without_comments
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    folded
        .replace(" ,", ",")
        .replace(" )", ")")
        .replace("( ", "(")
}

/// The schema as SQLite reports it, without its own statistics tables.
fn schema(path: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = Connection::open(path).unwrap();
    let mut statement = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite%' ORDER BY type, name")
        .unwrap();
    statement
        .query_map([], |row| {
            let sql: Option<String> = row.get(2)?;
            Ok((row.get(0)?, row.get(1)?, sql.as_deref().map(normalize)))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn there_is_a_fixture_for_every_version_before_this_one() {
    // The current version's own fixture is made when the schema next changes.
    // Each read on a copy: opening a committed fixture in place may write
    // side files into the source tree, and fails for a user who cannot.
    let dir = tempfile::tempdir().unwrap();
    let versions: Vec<i64> = fixtures()
        .iter()
        .map(|fixture| {
            let copy = dir.path().join(fixture.file_name().unwrap());
            std::fs::copy(fixture, &copy).unwrap();
            common::user_version(&copy)
        })
        .collect();
    let expected: Vec<i64> = (1..LATEST_VERSION).collect();
    assert!(
        expected.iter().all(|v| versions.contains(v)),
        "fixtures hold versions {versions:?}; add one made by each version in {expected:?}"
    );
}

#[test]
fn every_fixture_upgrades_to_the_schema_of_a_new_database() {
    let fresh = new_store();
    let expected = schema(fresh.path());
    for fixture in fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        std::fs::copy(&fixture, &path).unwrap();
        let before_customers: Vec<(i64, String, Option<String>)> = {
            let conn = Connection::open(&path).unwrap();
            let mut statement = conn
                .prepare("SELECT id, name, email FROM customers")
                .unwrap();
            statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };

        let mut store =
            SqliteStore::open(&path).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
        let report = store.check().unwrap();
        let problems: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            problems,
            problems_kept_by(&fixture),
            "{} upgrades to a sound database, but for what it already held",
            fixture.display(),
        );
        assert_eq!(common::user_version(&path), LATEST_VERSION);
        assert_eq!(
            schema(&path),
            expected,
            "{} upgrades to the fresh schema",
            fixture.display()
        );

        // Everything it held is still there and usable.
        for (id, name, email) in before_customers {
            let customer = store.customer(id).unwrap();
            assert_eq!(
                (customer.name, customer.email),
                (name, email),
                "customer {id}"
            );
        }
        assert!(
            store.customer(0).unwrap().is_walk_in(),
            "the Walk-in customer is there"
        );
        let orders: Vec<_> = store
            .orders(OrderFilter::default())
            .map(Result::unwrap)
            .collect();
        assert!(!orders.is_empty());
        assert!(orders.iter().all(|order| !order.items.is_empty()));
        assert!(!store.order_events(orders[0].id).unwrap().is_empty());
        let zoe = store.search_customers("zoe", 5).unwrap();
        assert_eq!(zoe[0].name, "Zoë Ünal", "non-ASCII text survives");
        let product = store.search_products("", 1).unwrap().remove(0);
        store
            .restock(
                product.id,
                shopdesk::domain::product::Restock::add(5).unwrap(),
                at(0),
            )
            .unwrap();
        store
            .place_order(
                &new_order(zoe[0].id, &[&format!("{}:1", product.sku)]),
                at(1),
            )
            .unwrap();
    }
}

/// What `check` finds in a fixture once upgraded: rows it already held that
/// a later version's rules would refuse, kept by the upgrade.
fn problems_kept_by(fixture: &Path) -> Vec<&'static str> {
    if fixture.ends_with("shopdesk-v3.db") {
        V3_EMAILS_THAT_COLLIDE.to_vec()
    } else {
        Vec::new()
    }
}

/// The v3 fixture's customers 3 and 4 (`Ünal`, `ünal`), 5 and 6 (`straße`,
/// `STRASSE`) and 7 and 8 (`josé` with é as one and as two code points);
/// customer 9 (`jose`) is another address.
const V3_EMAILS_THAT_COLLIDE: [&str; 3] = [
    "customers 3 and 4 have the same email ignoring case and accents",
    "customers 5 and 6 have the same email ignoring case and accents",
    "customers 7 and 8 have the same email ignoring case and accents",
];

/// A copy of the fixture made by version `version`, not yet opened.
fn copy_of_fixture(version: i64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/shopdesk-v{version}.db"));
    std::fs::copy(fixture, &path).unwrap();
    (dir, path)
}

fn v3_upgraded() -> (tempfile::TempDir, PathBuf, SqliteStore) {
    let (dir, path) = copy_of_fixture(3);
    let store = SqliteStore::open(&path).unwrap();
    (dir, path, store)
}

fn email_keys(path: &Path) -> Vec<(i64, Option<String>)> {
    query_pairs(path, "SELECT id, email_key FROM customers ORDER BY id")
}

#[test]
fn the_upgrade_to_v4_keys_every_email_and_keeps_customers_whose_emails_now_collide() {
    let (_dir, path, store) = v3_upgraded();
    let key = |text: &str| Some(text.to_string());
    assert_eq!(
        email_keys(&path),
        [
            (0, None),
            (1, key("ada@example.com")),
            (2, key("zoe@example.com")),
            (3, key("\u{fc}nal@example.de")),
            (4, None),
            (5, key("strasse@example.de")),
            (6, None),
            (7, key("jos\u{e9}@example.org")),
            (8, None),
            (9, key("jose@example.org")),
        ]
    );
    let report = store.check().unwrap();
    assert!(report.problems.iter().all(|p| p.kind.as_str() == "email"));
    let problems: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(problems, V3_EMAILS_THAT_COLLIDE);
    // Both customers of each pair are there, with their emails as typed.
    assert_eq!(
        store.customer(4).unwrap().email.as_deref(),
        Some("ünal@example.de")
    );
    assert_eq!(
        store.customer(6).unwrap().email.as_deref(),
        Some("STRASSE@example.de")
    );
}

#[test]
fn after_the_upgrade_a_colliding_email_stays_taken_until_every_customer_with_it_has_another() {
    let (_dir, path, mut store) = v3_upgraded();
    let email = |text: &str| CustomerChanges {
        email: Some(Email::parse_optional(text).unwrap()),
        ..Default::default()
    };
    let taken_by = |result: Result<shopdesk::domain::customer::Customer, StoreError>| match result {
        Err(StoreError::Rule(Rule::EmailTaken { customer, .. })) => customer,
        other => panic!("expected EmailTaken, got {other:?}"),
    };
    // Customer 4 keeps no key: editing it needs an email nobody has.
    assert_eq!(
        taken_by(store.edit_customer(4, &email("ünal@example.de"), SharedPhone::Refuse)),
        3
    );
    assert_eq!(
        taken_by(store.edit_customer(4, &email("ÜNAL@EXAMPLE.DE"), SharedPhone::Refuse)),
        3
    );
    // Nor may customer 3 take customer 4's email as typed.
    assert_eq!(
        taken_by(store.edit_customer(3, &email("ünal@example.de"), SharedPhone::Refuse)),
        4
    );
    store
        .edit_customer(4, &email("ece@example.de"), SharedPhone::Refuse)
        .unwrap();
    assert_eq!(email_keys(&path)[4], (4, Some("ece@example.de".into())));

    // Once customer 5 leaves straße, customer 6 holds the address, so it
    // stays taken.
    store
        .edit_customer(5, &email("max@example.de"), SharedPhone::Refuse)
        .unwrap();
    assert_eq!(email_keys(&path)[6], (6, Some("strasse@example.de".into())));
    let new = new_customer("Another Max", "Straße@example.de", "");
    assert_eq!(
        taken_by(store.add_customer(&new, SharedPhone::Refuse, at(0))),
        6
    );

    let report = store.check().unwrap();
    let problems: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        problems,
        [V3_EMAILS_THAT_COLLIDE[2]],
        "only josé's pair is left"
    );
}

#[test]
fn a_canceled_order_without_its_cancel_event_still_upgrades_and_check_names_it() {
    let (_dir, path) = copy_of_fixture(2);
    // Order 2 of the fixture is canceled; lose the event that says so.
    Connection::open(&path)
        .unwrap()
        .execute(
            "DELETE FROM order_events WHERE order_id = 2 AND to_status = 'canceled'",
            [],
        )
        .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    let report = store.check().unwrap();
    let problems: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        problems,
        ["order 2 is canceled, but its last event left it pending"]
    );
}

#[test]
fn the_upgrade_to_v5_keys_every_customer_and_product_for_search() {
    let (_dir, path) = copy_of_fixture(4);
    // Beside the fixture's own, customers and products with names in other
    // scripts and accents written both ways, written as the v4 store
    // wrote them.
    let v4 = Connection::open(&path).unwrap();
    for (id, name, email, phone, digits) in [
        (4, "Ștefan Țurcanu", "stefan@example.ro", None, ""),
        (
            5,
            "Nguyễn Văn Đức",
            "nguyen@example.vn",
            Some("(028) 3822 1234"),
            "02838221234",
        ),
        (6, "Max Straße", "STRASSE@example.de", None, ""),
        (
            7,
            "Rene\u{301}e Mu\u{308}ller",
            "renee@example.de",
            None,
            "",
        ),
        (8, "Łukasz Ørsted", "lukasz@example.pl", None, ""),
    ] {
        v4.execute(
            "INSERT INTO customers (id, name, email, email_key, phone, phone_digits, created_at)
             VALUES (?1, ?2, ?3, lower(?3), ?4, ?5, '2026-03-01T12:00:00.000000Z')",
            rusqlite::params![id, name, email, phone, digits],
        )
        .unwrap();
    }
    for (id, sku, name) in [
        (5, "CREME-1", "Crème brûlée dish"),
        (6, "CAFE-2", "Café au lait bowl"),
        (7, "SMOR-3", "Smørrebrød board"),
    ] {
        v4.execute(
            "INSERT INTO products (id, sku, name, price_cents, stock, created_at, updated_at)
             VALUES (?1, ?2, ?3, 100, 0, '2026-03-01T12:00:00.000000Z',
                     '2026-03-01T12:00:00.000000Z')",
            rusqlite::params![id, sku, name],
        )
        .unwrap();
    }
    drop(v4);
    let store = SqliteStore::open(&path).unwrap();
    let mut copies = store.open_another().unwrap();
    copies.search_from_copies(copies.read_search_copies().unwrap());
    for searching in [&store as &dyn Shop, &*copies] {
        let customers = |text: &str| -> Vec<String> {
            let found = searching.search_customers(text, 5).unwrap();
            found.into_iter().map(|c| c.name).collect()
        };
        assert_eq!(customers("lukasz orsted"), ["Łukasz Ørsted"]);
        assert_eq!(customers("STRASSE"), ["Max Straße"]);
        assert_eq!(customers("renee mu"), ["Rene\u{301}e Mu\u{308}ller"]);
        assert_eq!(customers("stefan t"), ["Ștefan Țurcanu"]);
        assert_eq!(customers("van duc"), ["Nguyễn Văn Đức"]);
        assert_eq!(customers("jose@"), ["José Núñez"], "emails too");
        assert_eq!(customers("3822 12"), ["Nguyễn Văn Đức"], "phones too");
        assert_eq!(customers("walk"), ["Walk-in"]);
        let products = |text: &str| -> Vec<String> {
            let found = searching.search_products(text, 5).unwrap();
            found.into_iter().map(|p| p.name).collect()
        };
        assert_eq!(products("creme brulee"), ["Crème brûlée dish"]);
        assert_eq!(products("SMORREBROD"), ["Smørrebrød board"]);
        assert_eq!(products("cafe-2"), ["Café au lait bowl"], "SKUs too");
        assert_eq!(products("blue MUG"), ["Blue mug"]);
    }
    let counted: Vec<(String, i64)> = query_pairs(
        &path,
        "SELECT table_name, changes FROM search_changes ORDER BY table_name",
    );
    assert_eq!(
        counted,
        [("customers".to_string(), 1), ("products".to_string(), 1)],
        "the upgrade's keys are one change to each table"
    );
}

#[test]
fn the_upgrade_to_v5_gives_every_earlier_stock_move_an_empty_note_and_takes_notes_after() {
    let (_dir, path) = copy_of_fixture(4);
    let moves_before: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM stock_moves", [], |row| row.get(0))
        .unwrap();
    let mut store = SqliteStore::open(&path).unwrap();
    let notes: Vec<(i64, String)> = query_pairs(
        &path,
        "SELECT count(*), note FROM stock_moves GROUP BY note",
    );
    assert_eq!(notes, [(moves_before, String::new())]);

    // The fixture's tea cup has 2 left; a sale of 3 corrects its count.
    let cup = store.product("CUP-1").unwrap();
    assert_eq!(cup.stock, 2);
    let short = match store.place_order(&new_order(1, &["CUP-1:3"]), at(0)) {
        Err(StoreError::Rule(Rule::OutOfStock(short))) => short,
        other => panic!("expected out of stock, got {other:?}"),
    };
    let order = shopdesk::domain::order::NewOrder {
        count_corrections: shopdesk::domain::product::CountCorrection::for_shortages(&short),
        ..new_order(1, &["CUP-1:3"])
    };
    let placed = store.place_order(&order, at(1)).unwrap();
    let moves = store.stock_moves(cup.id).unwrap();
    let count = &moves[moves.len() - 2];
    assert_eq!(
        (count.delta, count.note.clone()),
        (
            1,
            format!(
                "sold at the counter beyond the count, in order {}",
                placed.id
            )
        )
    );
    assert_eq!(store.product("CUP-1").unwrap().stock, 0);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn the_upgrade_to_v5_keeps_shared_phones_and_lets_a_customer_go_without_an_email() {
    let (_dir, path) = copy_of_fixture(4);
    // v4 let two customers register one number: Ann Lee, written as the
    // v4 store wrote her, shares Ada Lovelace's (555-0101).
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO customers (id, name, email, email_key, phone, phone_digits, created_at)
             VALUES (4, 'Ann Lee', 'ann@example.com', 'ann@example.com', '(555) 010-1',
                     '5550101', '2026-03-01T12:00:00.000000Z')",
        )
        .unwrap();
    let mut store = SqliteStore::open(&path).unwrap();
    // Kept, found together, and not a problem.
    let sharing: Vec<i64> = store
        .search_customers("5550101", 10)
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(sharing, [1, 4]);
    assert!(store.check().unwrap().is_ok());
    // Emails keep their keys: the address is still taken.
    let taken = store
        .add_customer(
            &new_customer("Ada L.", "ADA@example.com", ""),
            SharedPhone::Refuse,
            at(0),
        )
        .unwrap_err();
    assert!(matches!(
        taken,
        StoreError::Rule(Rule::EmailTaken { customer: 1, .. })
    ));
    // Ada may now drop her email: she keeps her phone.
    let ada = store
        .edit_customer(
            1,
            &CustomerChanges {
                email: Some(None),
                ..Default::default()
            },
            SharedPhone::Refuse,
        )
        .unwrap();
    assert_eq!((ada.email, ada.phone.as_deref()), (None, Some("555-0101")));
    assert_eq!(store.search_customers("lovelace", 5).unwrap()[0].id, 1);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn an_email_removed_from_the_first_of_a_colliding_pair_passes_its_key_on() {
    let (_dir, path, mut store) = v3_upgraded();
    // Customer 3 (Ünal@) holds the key that customer 4 (ünal@) shares.
    let phone_only = CustomerChanges {
        email: Some(None),
        phone: Some(shopdesk::domain::customer::Phone::parse_optional("555-0303").unwrap()),
        ..Default::default()
    };
    store
        .edit_customer(3, &phone_only, SharedPhone::Refuse)
        .unwrap();
    let keys = email_keys(&path);
    assert_eq!(keys[3], (3, None));
    assert_eq!(keys[4], (4, Some("\u{fc}nal@example.de".into())));
    let problems = check_messages(&store);
    assert_eq!(problems, V3_EMAILS_THAT_COLLIDE[1..]);
}

#[test]
fn the_upgrade_to_v6_leaves_earlier_orders_without_a_sale_id_and_keeps_new_ones_unique() {
    let (_dir, path) = copy_of_fixture(5);
    let mut store = SqliteStore::open(&path).unwrap();
    let orders: Vec<_> = store
        .orders(OrderFilter::default())
        .map(Result::unwrap)
        .collect();
    assert_eq!(orders.len(), 5);
    assert!(orders.iter().all(|order| order.sale_id.is_none()));

    // A sale sent twice after the upgrade is placed once.
    let sale = shopdesk::domain::order::NewOrder {
        sale_id: Some(SaleId::parse("till-1.0001").unwrap()),
        ..new_order(2, &["MUG-1:1"])
    };
    let placed = store.place_order(&sale, at(0)).unwrap();
    assert_eq!(store.place_order(&sale, at(1)).unwrap(), placed);
    assert_eq!(count_orders(&store), 6);
    assert!(store.check().unwrap().is_ok());

    // The schema holds the rule as a net under the store: another tool
    // can write neither a second order with the id nor an id of other
    // characters.
    let conn = Connection::open(&path).unwrap();
    for (sale_id, refused) in [
        ("till-1.0001", "UNIQUE constraint failed: orders.sale_id"),
        ("till 1", "CHECK constraint failed"),
        (&"x".repeat(65), "CHECK constraint failed"),
        ("", "CHECK constraint failed"),
    ] {
        let error = conn
            .execute("UPDATE orders SET sale_id = ?1 WHERE id = 1", [sale_id])
            .unwrap_err();
        assert!(error.to_string().contains(refused), "{sale_id}: {error}");
    }
}

#[test]
fn the_upgrade_to_v7_keeps_parked_sales_without_a_sale_id_and_parks_new_ones_with_theirs() {
    let (_dir, path) = copy_of_fixture(6);
    let mut store = SqliteStore::open(&path).unwrap();
    let parked: Vec<(i64, i64, Option<SaleId>)> = store
        .parked_sales()
        .unwrap()
        .into_iter()
        .map(|sale| (sale.id, sale.item_count(), sale.sale_id))
        .collect();
    assert_eq!(parked, [(1, 3, None), (2, 5, None)]);

    // A sale parked after the upgrade keeps its id, and resuming it
    // gives the id back.
    let id = SaleId::parse("till-1.0003").unwrap();
    let one = shopdesk::domain::order::Quantity::new(1).unwrap();
    let third = store.park_sale(0, &[(1, one)], Some(&id), at(0)).unwrap();
    assert_eq!(store.resume_parked_sale(third).unwrap().sale_id, Some(id));
    assert_eq!(store.resume_parked_sale(1).unwrap().sale_id, None);
    assert!(store.check().unwrap().is_ok());

    // The schema holds the rule of a sale id as a net under the store.
    let conn = Connection::open(&path).unwrap();
    for bad in ["till 1", &"x".repeat(65), ""] {
        let error = conn
            .execute("UPDATE parked_sales SET sale_id = ?1 WHERE id = 2", [bad])
            .unwrap_err();
        assert!(
            error.to_string().contains("CHECK constraint failed"),
            "{bad}: {error}"
        );
    }
}
