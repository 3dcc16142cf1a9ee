//! `shopdesk demo`: a realistic, deterministic shop to try shopdesk on, or,
//! scaled up, to benchmark it.
//!
//! Same size and seed give the same shop (times are laid out back from the
//! start of the current UTC day). Every row goes through the domain types and
//! pricing, so demo data obeys the same rules as real sales.

use chrono::{DateTime, Duration, DurationRound, Utc};

use crate::domain::customer::{Contact, Email, NewCustomer, Phone};
use crate::domain::order::{
    Order, OrderEvent, OrderItem, Quantity, Status, merge_lines, price_order,
};
use crate::domain::product::{NewProduct, Sku, Stock};
use crate::domain::text::Name;
use crate::domain::{Cents, Error};
use crate::store::{self, DemoLoader, Shop};

const FIRST_NAMES: &str = include_str!("../assets/first_names.txt");
const LAST_NAMES: &str = include_str!("../assets/last_names.txt");
const ADJECTIVES: &str = include_str!("../assets/product_adjectives.txt");
const COLORS: &str = include_str!("../assets/product_colors.txt");
/// `Noun|min_cents-max_cents` per line.
const NOUNS: &str = include_str!("../assets/product_nouns.txt");

/// Orders are spread over this many days up to the start of today.
const HISTORY_DAYS: i64 = 730;
/// Every n-th order belongs to the shop's best customer (customer 1): at a
/// million orders that is the 50,000-order history the benchmarks read.
const BEST_CUSTOMER_EVERY: usize = 20;
/// Customers 2..=this share another n-th of the orders: long histories.
const REGULAR_CUSTOMERS: usize = 10;
/// Of the customers who give a phone number, one in this many gives no email.
const PHONE_ONLY_EVERY: usize = 10;
const ARCHIVED_PERCENT: u64 = 2;
const SHOP_CODE_PERCENT: u64 = 25;
const OUT_OF_STOCK_PERCENT: u64 = 5;
const MAX_DEMO_STOCK: u64 = 250;
/// GS1 prefix of the made-up EAN-13 barcodes.
const BARCODE_PREFIX: u64 = 50;

/// The most customers a demo shop may have: ten times the benchmark's,
/// and far below what would not fit in memory (their ids are kept).
pub const MAX_DEMO_CUSTOMERS: u64 = 1_000_000;
/// The most products: the catalog is kept in memory while orders are made.
pub const MAX_DEMO_PRODUCTS: u64 = 1_000_000;
/// The most orders: ten times the benchmark's.
pub const MAX_DEMO_ORDERS: u64 = 10_000_000;

/// How big a shop to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    pub customers: usize,
    pub products: usize,
    pub orders: usize,
    pub seed: u64,
}

impl Default for DemoSize {
    /// A small shop to look around in.
    fn default() -> DemoSize {
        DemoSize {
            customers: 250,
            products: 150,
            orders: 3_000,
            seed: 1,
        }
    }
}

/// Fills an empty store with a demo shop. Refuses a store that holds
/// anything, so demo data never mixes with a real shop's.
pub fn fill(store: &mut dyn Shop, size: DemoSize, now: DateTime<Utc>) -> Result<(), DemoError> {
    if size.orders > 0 && (size.customers == 0 || size.products == 0) {
        return Err(DemoError::NothingToOrder);
    }
    if !store.is_empty()? {
        return Err(DemoError::NotEmpty);
    }
    let today = now.duration_trunc(Duration::days(1)).unwrap_or(now);
    let words = Words::parse();
    let mut rng = Rng::new(size.seed);
    let mut loader = store.demo_loader()?;
    let history_start = today - Duration::days(HISTORY_DAYS);
    let customers = add_customers(
        &mut *loader,
        &words,
        &mut rng,
        size.customers,
        history_start,
    )?;
    let catalog = add_products(&mut *loader, &words, &mut rng, size.products, history_start)?;
    let span = (history_start, today);
    add_orders(&mut *loader, rng, &customers, &catalog, size.orders, span)?;
    loader.finish()?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already holds data; demo fills only an empty one (try --db demo.db)")]
    NotEmpty,
    #[error("orders need at least one customer and one product")]
    NothingToOrder,
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl DemoError {
    /// The class of this refusal (see [`crate::domain::ErrorClass`]).
    pub fn class(&self) -> crate::domain::ErrorClass {
        match self {
            // A shop with data in it is not to be mixed with a demo.
            DemoError::NotEmpty => crate::domain::ErrorClass::Conflict,
            DemoError::NothingToOrder => crate::domain::ErrorClass::Invalid,
            DemoError::Store(error) => error.class(),
        }
    }
}

impl From<Error> for DemoError {
    fn from(error: Error) -> DemoError {
        DemoError::Store(error.into())
    }
}

struct Words {
    first_names: Vec<&'static str>,
    last_names: Vec<&'static str>,
    adjectives: Vec<&'static str>,
    colors: Vec<&'static str>,
    nouns: Vec<(&'static str, u64, u64)>,
}

impl Words {
    fn parse() -> Words {
        let lines = |text: &'static str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect()
        };
        Words {
            first_names: lines(FIRST_NAMES),
            last_names: lines(LAST_NAMES),
            adjectives: lines(ADJECTIVES),
            colors: lines(COLORS),
            nouns: NOUNS.lines().filter_map(parse_noun).collect(),
        }
    }
}

fn parse_noun(line: &'static str) -> Option<(&'static str, u64, u64)> {
    let (noun, range) = line.split_once('|')?;
    let (low, high) = range.split_once('-')?;
    Some((
        noun.trim(),
        low.trim().parse().ok()?,
        high.trim().parse().ok()?,
    ))
}

/// Adds `count` customers who joined in the year before `before`; returns
/// their ids, oldest first.
fn add_customers(
    loader: &mut dyn DemoLoader,
    words: &Words,
    rng: &mut Rng,
    count: usize,
    before: DateTime<Utc>,
) -> Result<Vec<i64>, DemoError> {
    let mut ids = Vec::with_capacity(count);
    for index in 0..count {
        let first = rng.pick(&words.first_names);
        let last = rng.pick(&words.last_names);
        let name = Name::parse("name", &format!("{first} {last}"))?;
        // The running number keeps every email unique.
        let email = Email::parse(&format!(
            "{}.{}{}@{}",
            ascii_fold(first),
            ascii_fold(last),
            index + 1,
            rng.pick(&["example.com", "example.org", "mail.example.net"])
        ))?;
        let phone = match rng.below(5) {
            0 => None,
            1 => Some(format!(
                "+1 (555) {:03}-{:04}",
                rng.below(1000),
                rng.below(10_000)
            )),
            2 => Some(format!("555-{:04}", rng.below(10_000))),
            _ => Some(format!(
                "0{} {:07}",
                100 + rng.below(900),
                rng.below(10_000_000)
            )),
        };
        let phone = Phone::parse_optional(phone.as_deref().unwrap_or(""))?;
        // One in ten of those who gave a phone number gave no email (drawn
        // from the running number, so the same seed makes the same shop).
        let email =
            (phone.is_none() || index % PHONE_ONLY_EVERY != PHONE_ONLY_EVERY - 1).then_some(email);
        let contact = Contact::new(email, phone)?;
        let joined = before - Duration::minutes(rng.below(365 * 24 * 60) as i64);
        ids.push(loader.add_customer(&NewCustomer { name, contact }, joined)?);
    }
    Ok(ids)
}

/// What an order line needs to know about a product.
struct CatalogEntry {
    id: i64,
    sku: String,
    name: String,
    price: Cents,
}

fn add_products(
    loader: &mut dyn DemoLoader,
    words: &Words,
    rng: &mut Rng,
    count: usize,
    before: DateTime<Utc>,
) -> Result<Vec<CatalogEntry>, DemoError> {
    let mut catalog = Vec::with_capacity(count);
    for index in 0..count as u64 {
        let &(noun, low, high) = rng.pick(&words.nouns);
        let name = format!(
            "{} {} {}",
            rng.pick(&words.colors),
            rng.pick(&words.adjectives),
            noun
        );
        let sku = if rng.chance(SHOP_CODE_PERCENT) {
            let code: String = noun
                .chars()
                .filter(char::is_ascii_alphabetic)
                .take(3)
                .collect();
            format!("{}-{:05}", code.to_ascii_uppercase(), index + 1)
        } else {
            ean13(BARCODE_PREFIX * 10_000_000_000 + index)
        };
        // Shop prices end in .49, .95 or .99.
        let whole_units = (low + rng.below(high - low + 1)) / 100;
        let price = Cents::new((whole_units * 100 + *rng.pick(&[49, 95, 99])) as i64);
        let stock = if rng.chance(OUT_OF_STOCK_PERCENT) {
            0
        } else {
            rng.below(MAX_DEMO_STOCK + 1)
        };
        let product = NewProduct {
            sku: Sku::parse(&sku)?,
            name: Name::parse("product name", &name)?,
            price,
            stock: Stock::new(stock as i64)?,
            details: format!(
                "{noun} in {}. Demo product {}.",
                name.to_lowercase(),
                index + 1
            ),
        };
        let added = before - Duration::minutes(rng.below(365 * 24 * 60) as i64);
        let active = !rng.chance(ARCHIVED_PERCENT);
        let id = loader.add_product(&product, active, added)?;
        catalog.push(CatalogEntry {
            id,
            sku,
            name,
            price,
        });
    }
    Ok(catalog)
}

/// Adds `count` orders spread over `(start, end)`, oldest first. A second
/// thread makes the orders while this one writes them: on two cores the
/// load takes the time of the writing alone.
fn add_orders(
    loader: &mut dyn DemoLoader,
    rng: Rng,
    customers: &[i64],
    catalog: &[CatalogEntry],
    count: usize,
    span: (DateTime<Utc>, DateTime<Utc>),
) -> Result<(), DemoError> {
    std::thread::scope(|scope| {
        let (sender, receiver) =
            std::sync::mpsc::sync_channel::<Result<Vec<DemoOrder>, Error>>(ORDER_BATCHES_AHEAD);
        scope.spawn(move || {
            let mut rng = rng;
            let mut batch = Vec::with_capacity(ORDER_BATCH);
            for index in 0..count {
                match make_order(&mut rng, index, count, customers, catalog, span) {
                    Ok(order) => batch.push(order),
                    Err(error) => {
                        let _ = sender.send(Err(error));
                        return;
                    }
                }
                // A send fails only when the writer stopped on an error.
                if batch.len() == ORDER_BATCH
                    && sender.send(Ok(std::mem::take(&mut batch))).is_err()
                {
                    return;
                }
            }
            let _ = sender.send(Ok(batch));
        });
        for batch in receiver {
            for (order, events) in batch? {
                loader.add_order(&order, &events)?;
            }
        }
        Ok(())
    })
}

/// An order and its timeline, ready to be written.
type DemoOrder = (Order, Vec<OrderEvent>);
const ORDER_BATCH: usize = 2_000;
const ORDER_BATCHES_AHEAD: usize = 4;

/// Order number `index` of `count`, placed at its share of `(start, end)`.
fn make_order(
    rng: &mut Rng,
    index: usize,
    count: usize,
    customers: &[i64],
    catalog: &[CatalogEntry],
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Result<DemoOrder, Error> {
    let span_ms = (end - start).num_milliseconds().max(1) as u64;
    let step_ms = (span_ms / count.max(1) as u64).max(1);
    // Evenly spread with jitter, so order ids rise with time as in a real shop.
    let offset = (index as u64 * span_ms) / count as u64 + rng.below(step_ms);
    let placed = start + Duration::milliseconds(offset.min(span_ms - 1) as i64);
    let customer_id = pick_customer(rng, index, customers);
    let lines = pick_lines(rng, catalog)?;
    let items = lines
        .iter()
        .map(|(e, quantity)| OrderItem::new(e.id, &e.sku, &e.name, e.price, *quantity))
        .collect::<Result<Vec<_>, Error>>()?;
    let totals = price_order(
        lines
            .iter()
            .map(|(entry, quantity)| (entry.price, *quantity)),
    )?;
    let events = timeline(rng, placed, end);
    let order = Order {
        id: 0,
        customer_id,
        customer_name: String::new(),
        status: events.last().map_or(Status::Pending, |event| event.to),
        created_at: placed,
        totals,
        note: String::new(),
        items,
        payment: None,
        // Loaded in bulk, never sent by a client: no sale to send again.
        sale_id: None,
    };
    Ok((order, events))
}

/// The best customer (the first) gets every n-th order, the next few
/// regulars another n-th, and everyone shares the rest.
fn pick_customer(rng: &mut Rng, index: usize, customers: &[i64]) -> i64 {
    let regulars = &customers[..REGULAR_CUSTOMERS.min(customers.len())];
    match index % BEST_CUSTOMER_EVERY {
        0 => customers[0],
        1 if regulars.len() > 1 => *rng.pick(&regulars[1..]),
        _ => *rng.pick(customers),
    }
}

fn pick_lines<'c>(
    rng: &mut Rng,
    catalog: &'c [CatalogEntry],
) -> Result<Vec<(&'c CatalogEntry, Quantity)>, Error> {
    let line_count = *rng.pick(&[1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5]);
    let picks = (0..line_count).map(|_| {
        let units = match rng.below(100) {
            0..60 => 1,
            60..85 => 2,
            85..95 => 3,
            _ => 4 + rng.below(9) as i64,
        };
        Quantity::new(units).map(|quantity| (rng.pick(catalog), quantity))
    });
    let picks = picks.collect::<Result<Vec<_>, _>>()?;
    merge_lines(picks, |a, b| a.id == b.id)
}

/// The status history of an order placed at `placed`, as it would have
/// happened by `now`: older orders have mostly been delivered.
fn timeline(rng: &mut Rng, placed: DateTime<Utc>, now: DateTime<Utc>) -> Vec<OrderEvent> {
    let age = now - placed;
    let roll = rng.below(100);
    let path: &[(Status, &str)] = match age.num_days() {
        0..2 => match roll {
            0..55 => &[],
            55..85 => &[(Status::Shipped, "shipped")],
            85..95 => &[(Status::Canceled, "canceled at the customer's request")],
            _ => &[
                (Status::Shipped, "shipped"),
                (Status::Delivered, "delivered"),
            ],
        },
        2..10 => match roll {
            0..10 => &[],
            10..50 => &[(Status::Shipped, "shipped")],
            50..90 => &[
                (Status::Shipped, "shipped"),
                (Status::Delivered, "delivered"),
            ],
            _ => &[(Status::Canceled, "canceled: out of stock at the supplier")],
        },
        _ => match roll {
            0..88 => &[
                (Status::Shipped, "shipped"),
                (Status::Delivered, "delivered"),
            ],
            88..97 => &[(Status::Canceled, "canceled at the customer's request")],
            97..99 => &[(Status::Shipped, "shipped")],
            _ => &[],
        },
    };
    let mut events = vec![OrderEvent::placed(placed)];
    let mut at = placed;
    for &(to, note) in path {
        // Each step takes 2 hours to 4 days, but never runs past `now`.
        let remaining = (now - at).num_minutes().max(1) as u64;
        let delay = (120 + rng.below(4 * 24 * 60)).min(remaining / 2);
        at += Duration::minutes(delay as i64);
        let from = events.last().map(|event| event.to);
        events.push(OrderEvent {
            from,
            to,
            at,
            note: note.to_string(),
        });
    }
    events
}

/// A valid EAN-13 for a 12-digit number: the check digit brings the sum of
/// the digits, weighted 1, 3, 1, 3… from the left, to a multiple of 10.
fn ean13(body: u64) -> String {
    let digits = format!("{body:012}");
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(position, digit)| u32::from(digit - b'0') * if position % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// Folds the accented letters of the word lists to ASCII for email addresses.
fn ascii_fold(word: &str) -> String {
    word.chars()
        .filter_map(|c| {
            let folded = match c {
                'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'ě' => 'e',
                'í' | 'ì' | 'î' | 'ï' | 'ı' => 'i',
                'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ç' | 'č' => 'c',
                'ñ' => 'n',
                'ł' | 'Ł' => 'l',
                'ř' => 'r',
                'š' => 's',
                'ž' => 'z',
                'ý' => 'y',
                'Ø' => 'o',
                'É' => 'e',
                c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
                _ => return None,
            };
            Some(folded)
        })
        .collect()
}

/// SplitMix64: small, fast and fully determined by its seed, so a seed makes
/// the same shop on every machine and every version of Rust.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barcodes_carry_a_valid_check_digit() {
        assert_eq!(ean13(400_638_133_393), "4006381333931");
        assert_eq!(ean13(0), "0000000000000");
    }

    #[test]
    fn names_fold_to_ascii_emails() {
        assert_eq!(ascii_fold("Łukasz"), "lukasz");
        assert_eq!(ascii_fold("Van der Berg"), "vanderberg");
        assert_eq!(ascii_fold("O'Brien"), "obrien");
        let words = Words::parse();
        for name in words.first_names.iter().chain(&words.last_names) {
            assert!(!ascii_fold(name).is_empty(), "{name} folds to nothing");
        }
    }

    #[test]
    fn every_noun_line_parses() {
        assert_eq!(Words::parse().nouns.len(), NOUNS.lines().count());
    }
}
