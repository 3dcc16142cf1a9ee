//! The two ways a search is answered find the same rows in the same order:
//! straight from the database (a one-shot search, reading no whole table)
//! and from a counter's in-memory copies, which are read again when what
//! is searched has changed on any connection, and only then. The tests of
//! behaviour through the storage interface are contract tests (every
//! backend: `contract_suite!` at the end); those that count changes in
//! SQLite's own table run on SQLite.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use shopdesk::domain::customer::{Customer, CustomerChanges, SharedPhone};
use shopdesk::domain::product::{Product, ProductChanges, Restock};
use shopdesk::domain::text::Name;
use shopdesk::store::{RowsBefore, Shop};

/// Another connection to the same shop that searches its in-memory
/// copies, as a counter's searcher does.
fn with_copies(shop: &dyn Shop) -> Box<dyn Shop> {
    let mut other = shop.open_another().unwrap();
    let copies = other.read_search_copies().unwrap();
    other.search_from_copies(copies);
    other
}

fn customer_ids(found: Vec<Customer>) -> Vec<i64> {
    found.into_iter().map(|c| c.id).collect()
}

fn product_ids(found: Vec<Product>) -> Vec<i64> {
    found.into_iter().map(|p| p.id).collect()
}

/// The ids of every page of a search, up to `most` pages: `first`, then
/// what `after` reads after the last row of each page.
fn pages<T>(
    first: Vec<T>,
    after: impl Fn(&T) -> Vec<T>,
    id: impl Fn(&T) -> i64,
    most: usize,
) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut page = first;
    while !page.is_empty() && pages.len() < most {
        let next = after(page.last().unwrap());
        pages.push(page.iter().map(&id).collect());
        page = next;
    }
    pages
}

/// The ids of every page of a search read upwards from its end, up to
/// `most` pages, in the list's order: `before(None)` (End), then the page
/// before the first row of each, until one reaches the start.
fn pages_up<T>(
    before: impl Fn(Option<&T>) -> RowsBefore<T>,
    id: impl Fn(&T) -> i64,
    most: usize,
) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut page = before(None);
    while pages.len() < most {
        pages.push(page.rows.iter().map(&id).collect());
        if page.at_start || page.rows.is_empty() {
            break;
        }
        page = before(page.rows.first());
    }
    pages.reverse();
    pages
}

/// The pages of a customer search, `limit` rows each, up to `most`.
fn customer_pages(store: &dyn Shop, text: &str, limit: usize, most: usize) -> Vec<Vec<i64>> {
    let first = store.search_customers(text, limit).unwrap();
    let after = |last: &Customer| store.search_customers_after(text, last, limit).unwrap();
    pages(first, after, |c| c.id, most)
}

/// The pages of a customer search read upwards from its end.
fn customer_pages_up(store: &dyn Shop, text: &str, limit: usize, most: usize) -> Vec<Vec<i64>> {
    let before = |row: Option<&Customer>| store.search_customers_before(text, row, limit).unwrap();
    pages_up(before, |c| c.id, most)
}

/// The pages of a product search, `limit` rows each, up to `most`.
fn product_pages(store: &dyn Shop, text: &str, limit: usize, most: usize) -> Vec<Vec<i64>> {
    let first = store.search_products(text, limit).unwrap();
    let after = |last: &Product| store.search_products_after(text, last, limit).unwrap();
    pages(first, after, |p| p.id, most)
}

/// The pages of a product search read upwards from its end.
fn product_pages_up(store: &dyn Shop, text: &str, limit: usize, most: usize) -> Vec<Vec<i64>> {
    let before = |row: Option<&Product>| store.search_products_before(text, row, limit).unwrap();
    pages_up(before, |p| p.id, most)
}

/// How many changes the store has counted to what is searched in `table`,
/// read by hand.
fn search_changes(shop: &TestShop, table: &str) -> i64 {
    shop.by_hand(&format!(
        "SELECT changes FROM search_changes WHERE table_name = '{table}'"
    ))
    .unwrap()
}

/// Pieces of names: the same letters in other cases, with accents written
/// as one character or as a letter and combining marks, letters that fold
/// to two (ß) or lose a stroke (ł, ø), other scripts, digits, and `a`s
/// that make some texts common.
const PIECES: &[&str] = &[
    "ann",
    "Ann",
    "ÅNN",
    "jose",
    "José",
    "JOSÉ",
    "Jose\u{301}",
    "núñez",
    "NUNEZ",
    "Straße",
    "STRASSE",
    "strasse",
    "Ștefan",
    "ştefan",
    "Łukasz",
    "lukasz",
    "Ørsted",
    "orsted",
    "Nguyễn",
    "nguyen",
    "a",
    "aa",
    "A",
    "b",
    "ab",
    "ba",
    "é",
    "e\u{301}",
    "李",
    "Ω",
    "ω",
    "7",
    "42",
    "-",
    "'",
    "*",
    "?",
    "[a]",
    "%",
    "_",
    "\"",
];

fn name_from(pieces: &[usize], spaced: &[bool]) -> String {
    let mut name = String::new();
    for (index, &piece) in pieces.iter().enumerate() {
        if index > 0 && spaced[index % spaced.len()] {
            name.push(' ');
        }
        name.push_str(PIECES[piece % PIECES.len()]);
    }
    name
}

/// What a clerk might type: a piece of a stored name or SKU in another
/// case, a text made of pieces, or phone-like digits.
fn texts(names: Vec<String>) -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(0..PIECES.len(), 1..3);
    let spaced = prop::collection::vec(any::<bool>(), 1..3);
    prop_oneof![
        (
            0..names.len(),
            any::<prop::sample::Index>(),
            1..6usize,
            any::<bool>()
        )
            .prop_map(move |(which, start, length, upper)| {
                let chars: Vec<char> = names[which].chars().collect();
                let start = start.index(chars.len());
                let piece: String = chars[start..].iter().take(length).collect();
                if upper {
                    piece.to_uppercase()
                } else {
                    piece.to_lowercase()
                }
            }),
        (pieces, spaced).prop_map(|(pieces, spaced)| name_from(&pieces, &spaced)),
        prop::sample::select(vec!["55", "555 01", "(555)", "0101", "+1 5", "4b", "x"])
            .prop_map(str::to_string),
    ]
}

/// A shop of customers and products named from [`PIECES`], and texts to
/// search it for.
fn shops() -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
    let name = (
        prop::collection::vec(0..PIECES.len(), 1..4),
        prop::collection::vec(any::<bool>(), 1..4),
    )
        .prop_map(|(pieces, spaced)| name_from(&pieces, &spaced).trim().to_string())
        .prop_filter("a name", |name| Name::parse("name", name).is_ok());
    prop::collection::vec(name, 1..14).prop_flat_map(|names| {
        let texts = prop::collection::vec(texts(names.clone()), 1..8);
        (Just(names), texts)
    })
}

/// For random names with accents and cases, and random texts, the
/// database and the copies find the same rows in the same order, page
/// after page (exact matches first), down from the start and up from the
/// end, for customers and products: a fresh shop of the backend each case.
fn the_database_and_the_copies_find_the_same_rows_in_the_same_order(backend: TestShop) {
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let outcome = TestRunner::new(config).run(&(shops(), 1..5usize), |((names, texts), limit)| {
        let mut fresh = backend.fresh();
        let shop: &mut dyn Shop = &mut *fresh;
        for (index, name) in names.iter().enumerate() {
            let phone = if index % 2 == 0 {
                format!("555 01{index:02}")
            } else {
                String::new()
            };
            add_customer(
                shop,
                name,
                &format!("c{index}@{}.example", index % 3),
                &phone,
            );
            add_product(shop, &format!("AB-{index}"), name, "1", 1);
        }
        let copies = with_copies(shop);
        let copies = &*copies;
        for text in &texts {
            let from_database = customer_pages(shop, text, limit, usize::MAX);
            prop_assert_eq!(
                &from_database,
                &customer_pages(copies, text, limit, usize::MAX),
                "customers, {:?}",
                text
            );
            let whole = customer_ids(shop.search_customers(text, usize::MAX).unwrap());
            prop_assert_eq!(
                from_database.concat(),
                whole.clone(),
                "customers, {:?}, pages against one",
                text
            );
            let up = customer_pages_up(shop, text, limit, usize::MAX);
            prop_assert_eq!(
                &up,
                &customer_pages_up(copies, text, limit, usize::MAX),
                "customers up, {:?}",
                text
            );
            prop_assert_eq!(
                up.concat(),
                whole,
                "customers up, {:?}, pages against one",
                text
            );
            let from_database = product_pages(shop, text, limit, usize::MAX);
            prop_assert_eq!(
                &from_database,
                &product_pages(copies, text, limit, usize::MAX),
                "products, {:?}",
                text
            );
            let up = product_pages_up(shop, text, limit, usize::MAX);
            prop_assert_eq!(
                &up,
                &product_pages_up(copies, text, limit, usize::MAX),
                "products up, {:?}",
                text
            );
            prop_assert_eq!(
                up.concat(),
                from_database.concat(),
                "products up, {:?}, pages against down",
                text
            );
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// A demo shop big enough that every way a database search goes is taken:
/// rare text, read by id among the few rows holding its trigrams; common
/// text whose page is among the first rows of the name index; common text
/// further down; text common enough (`500`, in most barcodes; `example`,
/// in every email) that the walk goes on however far; and 1-2 characters.
/// Every way finds what the copies find.
fn every_way_through_the_database_finds_what_the_copies_find(mut shop: TestShop) {
    let size = shopdesk::demo::DemoSize {
        customers: 9_000,
        products: 12_000,
        orders: 10,
        seed: 7,
    };
    shopdesk::demo::fill(&mut *shop, size, at(0)).unwrap();
    let copies = with_copies(&*shop);
    let (shop, copies) = (&*shop, &*copies);
    // Enough pages to go past the first rows of the name index.
    const PAGES: usize = 8;
    let common = shop.search_products("500", usize::MAX).unwrap();
    assert!(common.len() > 8_000, "{} rows hold “500”", common.len());
    for text in [
        "500",
        "0000",
        "oar",
        "board",
        "OAK BOARD",
        "white",
        "yellow",
        "bo",
        "b",
        "zzq",
        "q",
        "amber",
        "e",
    ] {
        assert_eq!(
            product_pages(shop, text, 50, PAGES),
            product_pages(copies, text, 50, PAGES),
            "products, {text:?}"
        );
        assert_eq!(
            product_pages_up(shop, text, 50, PAGES),
            product_pages_up(copies, text, 50, PAGES),
            "products up from the end, {text:?}"
        );
    }
    for text in ["example", "an", "ann", "5", "555", "0", "zzq", "e", "ward"] {
        assert_eq!(
            customer_pages(shop, text, 50, PAGES),
            customer_pages(copies, text, 50, PAGES),
            "customers, {text:?}"
        );
        assert_eq!(
            customer_pages_up(shop, text, 50, PAGES),
            customer_pages_up(copies, text, 50, PAGES),
            "customers up from the end, {text:?}"
        );
    }
}

fn copies_see_what_other_counters_change_in_what_is_searched(mut shop: TestShop) {
    add_customer(&mut *shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut *shop, "MUG-1", "Blue mug", "1", 5);
    let counter = with_copies(&*shop);
    let names = |text: &str| -> Vec<String> {
        counter
            .search_customers(text, 10)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(names("lee"), ["Ann Lee"]);
    let bea = add_customer(&mut *shop, "Bea Leeds", "bea@example.com", "555 0199");
    assert_eq!(names("lee"), ["Ann Lee", "Bea Leeds"], "a new customer");
    assert_eq!(names("0199"), ["Bea Leeds"], "a new customer's phone");
    let rename = CustomerChanges {
        name: Some(Name::parse("name", "Bea Moss").unwrap()),
        ..Default::default()
    };
    shop.edit_customer(bea.id, &rename, SharedPhone::Refuse)
        .unwrap();
    assert_eq!(names("lee"), ["Ann Lee"], "a renamed customer");
    assert_eq!(names("moss"), ["Bea Moss"]);
    let products = |text: &str| product_ids(counter.search_products(text, 10).unwrap());
    assert_eq!(products("blue"), [mug.id]);
    let cup = add_product(&mut *shop, "CUP-1", "Blue cup", "1", 5);
    assert_eq!(products("blue"), [cup.id, mug.id], "a new product");
    let rename = ProductChanges {
        name: Some(Name::parse("name", "Green mug").unwrap()),
        ..Default::default()
    };
    shop.edit_product(mug.id, &rename, at(1)).unwrap();
    assert_eq!(products("blue"), [cup.id], "a renamed product");
    assert_eq!(products("green"), [mug.id]);
}

fn only_changes_to_what_is_searched_are_counted(mut shop: TestShop) {
    let ann = add_customer(&mut shop, "Ann Lee", "ann@example.com", "");
    let mug = add_product(&mut shop, "MUG-1", "Blue mug", "1", 5);
    let counts = |shop: &TestShop| {
        (
            search_changes(shop, "customers"),
            search_changes(shop, "products"),
        )
    };
    let before = counts(&shop);
    // Sales, restocks, prices, archiving and statuses change no search
    // key: the copies need not be read again.
    let order = shop
        .place_order(&new_order(ann.id, &["MUG-1:2"]), at(1))
        .unwrap();
    shop.set_order_status(
        order.id,
        shopdesk::domain::order::Status::Canceled,
        "",
        at(2),
    )
    .unwrap();
    shop.restock(mug.id, Restock::add(3).unwrap(), at(3))
        .unwrap();
    let price = ProductChanges {
        price: Some(shopdesk::domain::Cents::new(250)),
        details: Some("Stoneware".into()),
        ..Default::default()
    };
    shop.edit_product(mug.id, &price, at(4)).unwrap();
    shop.set_product_active(mug.id, false, at(5)).unwrap();
    assert_eq!(counts(&shop), before);
    // A copy read before all that is still current, and shows the rows as
    // they are now.
    let counter = with_copies(&*shop);
    assert_eq!(counter.search_products("blue", 1).unwrap()[0].stock, 8);
    add_product(&mut shop, "CUP-1", "Blue cup", "1", 5);
    assert_eq!(counts(&shop), (before.0, before.1 + 1));
    let phone = CustomerChanges {
        phone: Some(shopdesk::domain::customer::Phone::parse_optional("555 0102").unwrap()),
        ..Default::default()
    };
    shop.edit_customer(ann.id, &phone, SharedPhone::Refuse)
        .unwrap();
    assert_eq!(counts(&shop), (before.0 + 1, before.1 + 1));
    assert_eq!(
        customer_ids(counter.search_customers("0102", 5).unwrap()),
        [ann.id]
    );
}

fn a_demo_load_is_counted_once_and_found_by_copies_read_before_it(mut shop: TestShop) {
    let counter = with_copies(&*shop);
    assert!(counter.search_products("a", 5).unwrap().is_empty());
    let before = search_changes(&shop, "products");
    shopdesk::demo::fill(&mut *shop, shopdesk::demo::DemoSize::default(), at(0)).unwrap();
    assert_eq!(search_changes(&shop, "products"), before + 1);
    let pages = product_pages(&*counter, "a", 50, usize::MAX);
    assert!(!pages.is_empty());
    assert_eq!(pages, product_pages(&*shop, "a", 50, usize::MAX));
}

contract_suite!(
    the_database_and_the_copies_find_the_same_rows_in_the_same_order,
    only_changes_to_what_is_searched_are_counted,
    a_demo_load_is_counted_once_and_found_by_copies_read_before_it,
    every_way_through_the_database_finds_what_the_copies_find,
    copies_see_what_other_counters_change_in_what_is_searched,
);
