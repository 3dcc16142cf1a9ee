//! Products: the catalog and its stock.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::order::Quantity;
use super::text::Name;
use super::{Cents, Error, Shortage};

const MAX_SKU_CHARS: usize = 64;
/// The most units of one product a shop can hold; keeps stock arithmetic far
/// from overflow.
pub const MAX_STOCK: i64 = 999_999_999;

/// A product in the catalog. Archived products (`active == false`) stay in
/// order history but cannot be sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    #[serde(rename = "price_cents")]
    pub price: Cents,
    pub stock: i64,
    pub details: String,
    pub active: bool,
    #[serde(skip)]
    pub created_at: DateTime<Utc>,
    #[serde(skip)]
    pub updated_at: DateTime<Utc>,
}

/// A product about to be added, every field already valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    pub sku: Sku,
    pub name: Name,
    pub price: Cents,
    pub stock: Stock,
    pub details: String,
}

/// Changes to a product; `None` leaves a field as it is. Stock changes go
/// through [`Restock`] so that they can be told apart from edits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductChanges {
    pub name: Option<Name>,
    pub price: Option<Cents>,
    pub details: Option<String>,
}

impl ProductChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.price.is_none() && self.details.is_none()
    }
}

/// A product code: a scanned barcode or the shop's own code. Unique ignoring
/// case, so a code typed in lower case still finds its product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sku(String);

impl Sku {
    /// Refuses spaces, `:` and `*`, which separate the code from the
    /// quantity in `SKU:QTY` and `QTY*SKU`, and anything outside printable
    /// ASCII, which no scanner sends.
    pub fn parse(text: &str) -> Result<Sku, Error> {
        let sku = text.trim();
        if sku.is_empty() {
            return Err(Error::Required { field: "SKU" });
        }
        let invalid = |reason| Error::SkuInvalid {
            sku: sku.to_string(),
            reason,
        };
        if sku.chars().count() > MAX_SKU_CHARS {
            return Err(invalid("it is longer than 64 characters"));
        }
        if sku.chars().any(char::is_whitespace) {
            return Err(invalid("it contains a space"));
        }
        if sku.contains([':', '*']) {
            return Err(invalid(": and * separate a code from its quantity"));
        }
        if !sku.chars().all(|c| c.is_ascii_graphic()) {
            return Err(invalid("use letters A-Z, digits and punctuation only"));
        }
        Ok(Sku(sku.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Written before a product's id, so that digits are never taken for a SKU.
const ID_PREFIX: &str = "id:";
/// Written before a SKU, so that digits are never taken for an id.
const SKU_PREFIX: &str = "sku:";

/// How a product is named on the command line (PRODUCT, and inside ITEM):
/// `id:12` is always the product with id 12, `sku:12` always the product
/// with SKU 12 (any case for the prefixes and the SKU), and anything else
/// is [`ProductRef::Bare`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductRef {
    Id(i64),
    Sku(String),
    /// A SKU, or, when it is all digits, maybe an id: see [`pick_product`].
    Bare(String),
}

impl ProductRef {
    /// Reads a product reference as typed. Refuses `id:` without a number,
    /// `sku:` without a valid SKU, and empty text.
    pub fn parse(text: &str) -> Result<ProductRef, Error> {
        let text = text.trim();
        let invalid = || Error::ProductRefInvalid(text.to_string());
        if let Some(id) = strip_prefix_any_case(text, ID_PREFIX) {
            return ProductRef::digits_as_id(id.trim())
                .map(ProductRef::Id)
                .ok_or_else(invalid);
        }
        if let Some(sku) = strip_prefix_any_case(text, SKU_PREFIX) {
            return Sku::parse(sku).map(|sku| ProductRef::Sku(sku.0));
        }
        if text.is_empty() || text.contains([':', '*']) {
            return Err(invalid());
        }
        Ok(ProductRef::Bare(text.to_string()))
    }

    /// How many bytes of `text` an `id:` or `sku:` prefix takes: ITEM
    /// looks for its quantity's `:` after it.
    pub fn prefix_len(text: &str) -> usize {
        [ID_PREFIX, SKU_PREFIX]
            .into_iter()
            .find(|prefix| strip_prefix_any_case(text, prefix).is_some())
            .map_or(0, str::len)
    }

    /// What [`pick_product`] may look this up by: its id, its SKU, or, for
    /// bare text, its SKU and the id its digits could be. A store that
    /// reads several products at once reads every row these name.
    pub fn lookups(&self) -> (Option<i64>, Option<&str>) {
        match self {
            ProductRef::Id(id) => (Some(*id), None),
            ProductRef::Sku(sku) => (None, Some(sku)),
            ProductRef::Bare(text) => (ProductRef::digits_as_id(text), Some(text)),
        }
    }

    /// The id `text` names when it is all digits (no sign, no spaces) and
    /// fits one: after `id:`, or what bare digits could also be.
    fn digits_as_id(text: &str) -> Option<i64> {
        match text.bytes().all(|b| b.is_ascii_digit()) {
            true => text.parse().ok(),
            false => None,
        }
    }
}

impl std::fmt::Display for ProductRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProductRef::Id(id) => write!(f, "{ID_PREFIX}{id}"),
            ProductRef::Sku(sku) => write!(f, "{SKU_PREFIX}{sku}"),
            ProductRef::Bare(text) => f.write_str(text),
        }
    }
}

fn strip_prefix_any_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// How a product reference is looked up: `find_sku` and `find_id` are the
/// store's lookups (exact SKU in any case, id). `id:` and `sku:` look in
/// one place only; bare text is a SKU, or an id when it is all digits and
/// no SKU has them, and is refused when it is one product's SKU and
/// another product's id, naming both and how to write each.
pub fn pick_product<E: From<Error>>(
    product: &ProductRef,
    find_sku: impl Fn(&str) -> Result<Option<Product>, E>,
    find_id: impl Fn(i64) -> Result<Option<Product>, E>,
) -> Result<Product, E> {
    let found = match product {
        ProductRef::Id(id) => find_id(*id)?.ok_or(Error::ProductIdNotFound(*id)),
        ProductRef::Sku(sku) => find_sku(sku)?.ok_or_else(|| Error::SkuNotFound(sku.clone())),
        ProductRef::Bare(text) => {
            let by_sku = find_sku(text)?;
            let by_id = match ProductRef::digits_as_id(text) {
                Some(id) => find_id(id)?,
                None => None,
            };
            match (by_sku, by_id) {
                (Some(by_sku), Some(by_id)) if by_sku.id != by_id.id => {
                    Err(Error::ProductAmbiguous {
                        text: text.clone(),
                        by_sku: by_sku.id,
                        by_sku_name: by_sku.name,
                        by_id: by_id.id,
                        by_id_name: by_id.name,
                    })
                }
                (Some(found), _) | (None, Some(found)) => Ok(found),
                (None, None) => Err(Error::ProductNotFound(text.clone())),
            }
        }
    };
    Ok(found?)
}

impl ProductRef {
    /// Which of `products` (each its id and SKU, as an order's lines keep
    /// them) this names, the way [`pick_product`] picks: `id:` by id,
    /// `sku:` by SKU in any case, bare text by SKU first, else by its
    /// digits as an id. `None`: it names none of them.
    pub fn find_in(&self, products: &[(i64, &str)]) -> Option<usize> {
        let by_id = |id: i64| products.iter().position(|&(each, _)| each == id);
        let by_sku = |sku: &str| {
            products
                .iter()
                .position(|(_, each)| each.eq_ignore_ascii_case(sku))
        };
        match self {
            ProductRef::Id(id) => by_id(*id),
            ProductRef::Sku(sku) => by_sku(sku),
            ProductRef::Bare(text) => {
                by_sku(text).or_else(|| ProductRef::digits_as_id(text).and_then(by_id))
            }
        }
    }
}

/// A count of units on the shelf, 0 to [`MAX_STOCK`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stock(i64);

impl Stock {
    pub fn new(units: i64) -> Result<Stock, Error> {
        if (0..=MAX_STOCK).contains(&units) {
            Ok(Stock(units))
        } else {
            Err(Error::StockOutOfRange {
                given: units,
                max: MAX_STOCK,
            })
        }
    }

    /// Reads a stock count as typed.
    pub fn parse(text: &str) -> Result<Stock, Error> {
        Stock::new(super::error::parse_whole_number(text)?)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A stock correction: goods arrived (`Add`) or the shelf was counted (`Set`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restock {
    Add(i64),
    Set(Stock),
}

impl Restock {
    /// `Add` takes at least one unit: adding nothing is surely a typo.
    pub fn add(units: i64) -> Result<Restock, Error> {
        if (1..=MAX_STOCK).contains(&units) {
            Ok(Restock::Add(units))
        } else {
            Err(Error::QuantityOutOfRange {
                given: units,
                max: MAX_STOCK,
            })
        }
    }

    /// The units this correction moves from `current`: what arrived, or
    /// the difference the count found. Whether the result is allowed is
    /// [`stock_after`]'s to say, as for every change of stock.
    pub fn delta(self, current: i64) -> i64 {
        match self {
            Restock::Add(units) => units,
            Restock::Set(stock) => stock.get().saturating_sub(current),
        }
    }

    /// Why the ledger says the stock changed: goods arrived, or a count.
    pub fn reason(self) -> MoveReason {
        match self {
            Restock::Add(_) => MoveReason::Restock,
            Restock::Set(_) => MoveReason::Count,
        }
    }
}

/// Why moving `delta` units of `product` was refused, once a store's
/// conditional update has refused it and `product` is read again as the
/// update saw it: [`stock_after`]'s refusal; should the rule and the
/// update ever disagree, the update's refusal stands, as a
/// [`Error::StockLimit`].
pub fn stock_change_refusal(product: &Product, delta: i64) -> Error {
    stock_after(product, delta)
        .err()
        .unwrap_or_else(|| stock_limit(product, delta))
}

/// The stock `product` is left with when `delta` units move (a sale takes
/// them, a cancel or a restock gives them): the one rule every change of
/// stock obeys. A sale that takes more than the shelf holds is
/// [`Error::OutOfStock`]; any other change that would leave the stock
/// outside 0 to [`MAX_STOCK`] (including one that starts outside, after a
/// row was changed by hand) is [`Error::StockLimit`], naming the product.
pub fn stock_after(product: &Product, delta: i64) -> Result<Stock, Error> {
    let after = product.stock.checked_add(delta);
    match after.map(Stock::new) {
        Some(Ok(stock)) => Ok(stock),
        Some(Err(_)) if delta < 0 && after < Some(0) => Err(Error::OutOfStock(vec![Shortage {
            product_id: product.id,
            name: product.name.clone(),
            in_stock: product.stock,
            wanted: delta.saturating_neg(),
        }])),
        _ => Err(stock_limit(product, delta)),
    }
}

/// The lines whose quantity is more than their product's stock, as
/// [`stock_after`] refuses them: what a sale of `lines` would be refused
/// for, in line order.
pub fn shortages<'a>(lines: impl IntoIterator<Item = (&'a Product, Quantity)>) -> Vec<Shortage> {
    lines
        .into_iter()
        .filter_map(
            |(product, quantity)| match stock_after(product, -quantity.get()) {
                Err(Error::OutOfStock(short)) => Some(short),
                _ => None,
            },
        )
        .flatten()
        .collect()
}

/// Units of a product the cashier chose to sell although the stock said
/// the shelf had fewer: the shelf had them, so the count was wrong. The
/// sale raises the stock by exactly `units_short` (a `count` move with
/// [`counted_short_note`]) before it takes them, so the stock ends at 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CountCorrection {
    pub product_id: i64,
    pub units_short: i64,
}

impl CountCorrection {
    /// The correction each shortage calls for.
    pub fn for_shortages(shortages: &[Shortage]) -> Vec<CountCorrection> {
        shortages
            .iter()
            .map(|shortage| CountCorrection {
                product_id: shortage.product_id,
                units_short: shortage.units_short(),
            })
            .collect()
    }
}

/// Whether the corrections the cashier confirmed are exactly those the
/// order's shortages call for now (`short_now`, read in the sale's own
/// transaction). None confirmed is an ordinary sale: nothing to compare
/// (a shortage refuses it out of stock). Otherwise a correction that is
/// no longer right, or a line short now that none was confirmed for
/// (another counter sold or restocked in between), is
/// [`Error::StockChangedMeanwhile`] with the figures of now: the cashier
/// is asked again, never corrected for units they did not see.
pub fn check_count_corrections(
    confirmed: &[CountCorrection],
    short_now: Vec<Shortage>,
) -> Result<(), Error> {
    if confirmed.is_empty() {
        return Ok(());
    }
    let mut wanted = confirmed.to_vec();
    let mut needed = CountCorrection::for_shortages(&short_now);
    wanted.sort_unstable();
    needed.sort_unstable();
    if wanted == needed {
        Ok(())
    } else {
        Err(Error::StockChangedMeanwhile(short_now))
    }
}

/// The ledger's note on a count raised so that the shelf's units could be
/// sold: it names the sale, whose own move follows it.
pub fn counted_short_note(order_id: i64) -> String {
    format!("sold at the counter beyond the count, in order {order_id}")
}

/// [`Error::StockLimit`] for moving `delta` units of `product`.
pub fn stock_limit(product: &Product, delta: i64) -> Error {
    Error::StockLimit {
        product_id: product.id,
        sku: product.sku.clone(),
        name: product.name.clone(),
        stock: product.stock,
        delta,
    }
}

/// Why a product's stock changed: each change is one row of its ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MoveReason {
    /// The stock the product was added with.
    Initial,
    /// Goods that arrived.
    Restock,
    /// The stock set to what was counted on the shelf.
    Count,
    Sale,
    /// A canceled order's items back on the shelf.
    Cancel,
    /// What a product's stock went through before its database kept a
    /// ledger, apart from its orders' sales and cancels (which have rows of
    /// their own): the stock it was added with, restocks and counts.
    Opening,
}

impl MoveReason {
    pub const ALL: [MoveReason; 6] = [
        MoveReason::Initial,
        MoveReason::Restock,
        MoveReason::Count,
        MoveReason::Sale,
        MoveReason::Cancel,
        MoveReason::Opening,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MoveReason::Initial => "initial",
            MoveReason::Restock => "restock",
            MoveReason::Count => "count",
            MoveReason::Sale => "sale",
            MoveReason::Cancel => "cancel",
            MoveReason::Opening => "opening",
        }
    }

    /// In words, for people.
    pub fn describe(self) -> &'static str {
        match self {
            MoveReason::Initial => "added to the catalog",
            MoveReason::Restock => "restocked",
            MoveReason::Count => "counted",
            MoveReason::Sale => "sold",
            MoveReason::Cancel => "order canceled",
            MoveReason::Opening => "before the ledger (added, restocks, counts)",
        }
    }

    pub fn from_db(text: &str) -> Option<MoveReason> {
        MoveReason::ALL
            .into_iter()
            .find(|reason| reason.as_str() == text)
    }
}

/// One change of a product's stock, with the stock it left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StockMove {
    pub product_id: i64,
    /// 1 for the product's first move, then 2, 3, ...
    pub seq: i64,
    pub delta: i64,
    pub reason: MoveReason,
    /// The sale or the canceled order, for those reasons.
    pub order_id: Option<i64>,
    /// What the reason alone does not say (empty for most moves): see
    /// [`counted_short_note`].
    pub note: String,
    #[serde(serialize_with = "super::timestamp::serialize")]
    pub at: DateTime<Utc>,
    /// The stock after this move: the sum of the ledger up to here.
    pub balance: i64,
}

/// Refuses a new product's SKU when `holder`, the product found with it
/// (in any case, archived ones included), exists: a SKU names one product.
pub fn check_sku_free(sku: &Sku, holder: Option<Product>) -> Result<(), Error> {
    match holder {
        Some(holder) => Err(Error::SkuTaken {
            sku: sku.as_str().to_string(),
            product: holder.id,
            name: holder.name,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn skus_are_codes_without_separators() {
        assert_eq!(
            Sku::parse(" 4006381333931 ").unwrap().as_str(),
            "4006381333931"
        );
        assert_eq!(Sku::parse("MUG-BLUE/L").unwrap().as_str(), "MUG-BLUE/L");
        for bad in ["MUG 1", "MUG:1", "2*MUG", "MÜG", &"A".repeat(65)] {
            assert!(
                matches!(Sku::parse(bad), Err(Error::SkuInvalid { .. })),
                "{bad}"
            );
        }
        assert_eq!(Sku::parse(""), Err(Error::Required { field: "SKU" }));
    }

    #[test]
    fn product_references_say_id_or_sku_or_leave_it_to_the_catalog() {
        let parse = ProductRef::parse;
        assert_eq!(parse(" id:12 "), Ok(ProductRef::Id(12)));
        assert_eq!(parse("ID: 12"), Ok(ProductRef::Id(12)));
        assert_eq!(parse("sku:12"), Ok(ProductRef::Sku("12".into())));
        assert_eq!(parse("SKU:mug-1"), Ok(ProductRef::Sku("mug-1".into())));
        assert_eq!(parse("12"), Ok(ProductRef::Bare("12".into())));
        assert_eq!(parse("MUG-1"), Ok(ProductRef::Bare("MUG-1".into())));
        for bad in [
            "id:",
            "id:x",
            "id:-1",
            "id:99999999999999999999",
            "",
            "a:b",
            "2*x",
        ] {
            assert_eq!(
                parse(bad),
                Err(Error::ProductRefInvalid(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(parse("sku:"), Err(Error::Required { field: "SKU" }));
        for written in ["id:12", "sku:12", "MUG-1"] {
            assert_eq!(parse(written).unwrap().to_string(), written);
        }
    }

    fn product(id: i64, sku: &str) -> Product {
        Product {
            id,
            sku: sku.into(),
            name: format!("Product {id}"),
            price: Cents::ZERO,
            stock: 0,
            details: String::new(),
            active: true,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn bare_digits_naming_two_products_are_refused_and_prefixes_decide() {
        // Product 1 is MUG-1; product 3 has the SKU "1"; product 4 the SKU "4".
        let catalog = [product(1, "MUG-1"), product(3, "1"), product(4, "4")];
        let pick = |text: &str| {
            pick_product::<Error>(
                &ProductRef::parse(text).unwrap(),
                |sku| {
                    Ok(catalog
                        .iter()
                        .find(|p| p.sku.eq_ignore_ascii_case(sku))
                        .cloned())
                },
                |id| Ok(catalog.iter().find(|p| p.id == id).cloned()),
            )
            .map(|found| found.id)
        };
        assert_eq!(
            pick("1"),
            Err(Error::ProductAmbiguous {
                text: "1".into(),
                by_sku: 3,
                by_sku_name: "Product 3".into(),
                by_id: 1,
                by_id_name: "Product 1".into(),
            })
        );
        assert_eq!((pick("id:1"), pick("sku:1")), (Ok(1), Ok(3)));
        assert_eq!(
            (pick("mug-1"), pick("3")),
            (Ok(1), Ok(3)),
            "one product both ways"
        );
        assert_eq!(pick("id:3"), Ok(3));
        assert_eq!(pick("9"), Err(Error::ProductNotFound("9".into())));
        assert_eq!(pick("id:9"), Err(Error::ProductIdNotFound(9)));
        assert_eq!(pick("sku:MUG-1"), Ok(1));
        assert_eq!(pick("sku:3"), Err(Error::SkuNotFound("3".into())));
    }

    #[test]
    fn stock_stays_within_bounds() {
        let stock_out = |given| {
            Err(Error::StockOutOfRange {
                given,
                max: MAX_STOCK,
            })
        };
        let units_out = |given| {
            Err(Error::QuantityOutOfRange {
                given,
                max: MAX_STOCK,
            })
        };
        assert_eq!(Stock::new(-1), stock_out(-1));
        assert_eq!(Stock::new(MAX_STOCK + 1), stock_out(MAX_STOCK + 1));
        assert_eq!(Restock::add(5).unwrap().delta(3), 5);
        assert_eq!(Restock::add(0), units_out(0));
        assert_eq!(Restock::add(-2), units_out(-2));
        assert_eq!(Restock::Set(Stock::new(0).unwrap()).delta(40), -40);
        assert_eq!(
            Restock::Set(Stock::new(MAX_STOCK).unwrap()).delta(i64::MIN),
            i64::MAX
        );
    }

    fn mug(stock: i64) -> Product {
        let time = DateTime::<Utc>::UNIX_EPOCH;
        Product {
            id: 7,
            sku: "MUG-1".into(),
            name: "Blue mug".into(),
            price: Cents::new(100),
            stock,
            details: String::new(),
            active: true,
            created_at: time,
            updated_at: time,
        }
    }

    #[test]
    fn every_change_of_stock_stays_within_bounds() {
        assert_eq!(stock_after(&mug(3), 5), Stock::new(8));
        assert_eq!(stock_after(&mug(3), -3), Stock::new(0));
        assert_eq!(stock_after(&mug(MAX_STOCK - 1), 1), Stock::new(MAX_STOCK));
        let limit = |stock, delta| {
            Err(Error::StockLimit {
                product_id: 7,
                sku: "MUG-1".into(),
                name: "Blue mug".into(),
                stock,
                delta,
            })
        };
        assert_eq!(stock_after(&mug(MAX_STOCK), 1), limit(MAX_STOCK, 1));
        assert_eq!(stock_after(&mug(i64::MAX), 1), limit(i64::MAX, 1));
        assert_eq!(
            stock_after(&mug(MAX_STOCK + 9), -1),
            limit(MAX_STOCK + 9, -1)
        );
        assert_eq!(stock_after(&mug(-5), 2), limit(-5, 2));
        assert_eq!(
            stock_after(&mug(2), -3),
            Err(Error::OutOfStock(vec![Shortage {
                product_id: 7,
                name: "Blue mug".into(),
                in_stock: 2,
                wanted: 3
            }]))
        );
        assert_eq!(
            limit(MAX_STOCK, 9999).unwrap_err().to_string(),
            "Blue mug (MUG-1): 999999999 in stock, and +9999 would make 1000009998; \
             stock must stay between 0 and 999999999"
        );
    }

    fn short(product: &Product, wanted: i64) -> Shortage {
        Shortage {
            product_id: product.id,
            name: product.name.clone(),
            in_stock: product.stock,
            wanted,
        }
    }

    fn units(n: i64) -> Quantity {
        Quantity::new(n).unwrap()
    }

    #[test]
    fn the_lines_short_are_those_the_stock_cannot_cover_in_line_order() {
        let cup = Product {
            id: 3,
            name: "Tea cup".into(),
            ..mug(0)
        };
        let (mug, pen) = (mug(1), Product { id: 9, ..mug(5) });
        assert_eq!(
            shortages([(&cup, units(2)), (&pen, units(5)), (&mug, units(3))]),
            [short(&cup, 2), short(&mug, 3)],
            "the pen's 5 are all there"
        );
        assert_eq!(shortages([(&pen, units(1))]), []);
        assert_eq!(short(&mug, 3).units_short(), 2);
    }

    #[test]
    fn confirmed_corrections_stand_only_while_the_shortages_are_the_same() {
        let cup = Product { id: 3, ..mug(0) };
        let (empty_mug, mug) = (mug(0), mug(1));
        let seen = [short(&mug, 3), short(&cup, 2)];
        let confirmed = CountCorrection::for_shortages(&seen);
        assert_eq!(
            confirmed,
            [
                CountCorrection {
                    product_id: 7,
                    units_short: 2
                },
                CountCorrection {
                    product_id: 3,
                    units_short: 2
                }
            ]
        );
        // The same figures, in any order: the sale goes ahead.
        let reversed = vec![short(&cup, 2), short(&mug, 3)];
        assert_eq!(check_count_corrections(&confirmed, reversed), Ok(()));
        // An ordinary sale has nothing to compare.
        assert_eq!(check_count_corrections(&[], seen.to_vec()), Ok(()));
        // Another counter sold the last mug: asked again with the new figures.
        let sold_meanwhile = vec![short(&empty_mug, 3), short(&cup, 2)];
        assert_eq!(
            check_count_corrections(&confirmed, sold_meanwhile.clone()),
            Err(Error::StockChangedMeanwhile(sold_meanwhile))
        );
        // Only one of the lines confirmed is still short, or a line not
        // confirmed is short now.
        assert_eq!(
            check_count_corrections(&confirmed, vec![short(&cup, 2)]),
            Err(Error::StockChangedMeanwhile(vec![short(&cup, 2)]))
        );
        assert_eq!(
            check_count_corrections(&confirmed[..1], seen.to_vec()),
            Err(Error::StockChangedMeanwhile(seen.to_vec()))
        );
        // Restocked meanwhile: nothing is short, nothing to correct.
        let none = Error::StockChangedMeanwhile(Vec::new());
        assert_eq!(
            check_count_corrections(&confirmed, Vec::new()),
            Err(none.clone())
        );
        assert_eq!(
            none.to_string(),
            "the stock changed meanwhile (another counter sold or restocked): \
             every item is in stock now"
        );
    }

    #[test]
    fn a_corrected_count_names_its_sale() {
        assert_eq!(
            counted_short_note(12),
            "sold at the counter beyond the count, in order 12"
        );
    }

    /// Stocks near each bound and in between, and changes of any size
    /// around them: both sides of each bound are reached.
    fn stock_near_bounds() -> impl Strategy<Value = i64> {
        prop_oneof![
            -3_i64..=3,
            (MAX_STOCK - 3)..=(MAX_STOCK + 3),
            0..=MAX_STOCK,
            any::<i64>(),
        ]
    }

    proptest! {
        #[test]
        fn a_change_of_stock_is_allowed_exactly_when_it_ends_within_bounds(
            stock in stock_near_bounds(),
            delta in prop_oneof![-10_000_i64..=10_000, any::<i64>()],
        ) {
            let ends_at = i128::from(stock) + i128::from(delta);
            let within = (0..=i128::from(MAX_STOCK)).contains(&ends_at);
            match stock_after(&mug(stock), delta) {
                Ok(after) => {
                    prop_assert!(within);
                    prop_assert_eq!(i128::from(after.get()), ends_at);
                }
                Err(Error::OutOfStock(short)) => {
                    prop_assert!(!within && delta < 0 && ends_at < 0);
                    prop_assert_eq!(short[0].wanted, delta.saturating_neg());
                }
                Err(Error::StockLimit { stock: was, delta: asked, .. }) => {
                    prop_assert!(!within);
                    prop_assert_eq!((was, asked), (stock, delta));
                }
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn a_sku_in_use_is_refused_naming_its_product_and_a_restock_says_why() {
        let sku = Sku::parse("mug-1").unwrap();
        assert_eq!(check_sku_free(&sku, None), Ok(()));
        assert_eq!(
            check_sku_free(&sku, Some(mug(3))),
            Err(Error::SkuTaken {
                sku: "mug-1".into(),
                product: 7,
                name: "Blue mug".into()
            })
        );
        assert_eq!(Restock::add(2).unwrap().reason(), MoveReason::Restock);
        assert_eq!(
            Restock::Set(Stock::new(2).unwrap()).reason(),
            MoveReason::Count
        );
    }
}
