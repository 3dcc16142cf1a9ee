//! Orders: pricing, quantities, line merging and the status life cycle.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use super::money::Currency;
use super::product::{CountCorrection, Product, ProductRef, check_count_corrections, shortages};
use super::text::{MAX_NOTE_CHARS, parse_free_text};
use super::{Cents, Error};

/// The most units of one product on one order line.
pub const MAX_LINE_QUANTITY: i64 = 9_999;

/// The bulk discount: orders with more than `more_than_items` items in total
/// (summed over all lines) get `percent`% off the subtotal. One place for
/// both numbers, ready to become settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkDiscount {
    pub more_than_items: i64,
    pub percent: i64,
}

pub const BULK_DISCOUNT: BulkDiscount = BulkDiscount {
    more_than_items: 10,
    percent: 10,
};

impl BulkDiscount {
    pub fn applies_to(self, item_count: i64) -> bool {
        item_count > self.more_than_items
    }

    /// How the discount line reads on screen and on paper.
    pub fn label(self) -> String {
        format!(
            "{}% off: more than {} items",
            self.percent, self.more_than_items
        )
    }
}

/// An order's money: `total = subtotal - discount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    #[serde(rename = "subtotal_cents")]
    pub subtotal: Cents,
    #[serde(rename = "discount_cents")]
    pub discount: Cents,
    #[serde(rename = "total_cents")]
    pub total: Cents,
}

/// Prices an order from its lines' `(unit price, quantity)`: the subtotal is
/// the sum of unit price × quantity, and the bulk discount comes off the
/// whole subtotal (never per line), rounded half away from zero.
pub fn price_order(lines: impl IntoIterator<Item = (Cents, Quantity)>) -> Result<Totals, Error> {
    let mut subtotal = Cents::ZERO;
    let mut item_count: i64 = 0;
    for (unit_price, quantity) in lines {
        subtotal = subtotal.checked_add(unit_price.checked_mul(quantity.get())?)?;
        item_count = item_count.saturating_add(quantity.get());
    }
    let discount = if BULK_DISCOUNT.applies_to(item_count) {
        subtotal.percent_rounded(BULK_DISCOUNT.percent)
    } else {
        Cents::ZERO
    };
    Ok(Totals {
        subtotal,
        discount,
        total: subtotal.checked_sub(discount)?,
    })
}

/// How many units of a product a line holds: 1 to [`MAX_LINE_QUANTITY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(i64);

impl Quantity {
    pub fn new(units: i64) -> Result<Quantity, Error> {
        if (1..=MAX_LINE_QUANTITY).contains(&units) {
            Ok(Quantity(units))
        } else {
            Err(Error::QuantityOutOfRange {
                given: units,
                max: MAX_LINE_QUANTITY,
            })
        }
    }

    /// Reads a quantity as typed; empty means one.
    pub fn parse(text: &str) -> Result<Quantity, Error> {
        match text.trim() {
            "" => Ok(Quantity(1)),
            typed => Quantity::new(super::error::parse_whole_number(typed)?),
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// One item as written on the command line or a scan line: `MUG-1:2`,
/// `2*MUG-1`, or `MUG-1` for one unit; the product may be written `id:12`
/// or `sku:12` (`id:12:3`, `3*sku:12`), see [`ProductRef`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSpec {
    pub product: ProductRef,
    pub quantity: Quantity,
}

impl FromStr for ItemSpec {
    type Err = Error;

    fn from_str(text: &str) -> Result<ItemSpec, Error> {
        let text = text.trim();
        let invalid = || Error::ItemInvalid(text.to_string());
        let (product, quantity) = if let Some((quantity, product)) = text.split_once('*') {
            (product, quantity)
        } else {
            // The `:` of `id:` or `sku:` is part of the product, not the
            // start of its quantity.
            let prefix = ProductRef::prefix_len(text);
            match text[prefix..].rsplit_once(':') {
                Some((value, quantity)) => (&text[..prefix + value.len()], quantity),
                None => (text, "1"),
            }
        };
        let product = ProductRef::parse(product).map_err(|error| match error {
            Error::ProductRefInvalid(_) => invalid(),
            other => other,
        })?;
        let units: i64 = quantity.trim().parse().map_err(|_| invalid())?;
        Ok(ItemSpec {
            product,
            quantity: Quantity::new(units)?,
        })
    }
}

/// The most characters a sale id has.
pub const MAX_SALE_ID_CHARS: usize = 64;

/// A sale's own id, made by whoever sends the sale before sending it (the
/// app: a random UUID; a script: its `--sale-id`) and stored unique with
/// the order placed, so that a checkout sent again (its answer lost to a
/// timeout or a dropped connection) finds that order instead of placing a
/// second one. 1 to [`MAX_SALE_ID_CHARS`] characters, each an ASCII
/// letter, a digit, `.`, `_` or `-`: safe in a URL, a file name and a log
/// line, and the same in every database's collation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SaleId(String);

impl SaleId {
    /// Reads a sale id as given (spaces around it are not part of it).
    /// Refuses an empty one, a longer one and any other character, saying
    /// what a sale id is.
    pub fn parse(text: &str) -> Result<SaleId, Error> {
        let sale_id = text.trim();
        let invalid = |reason: String| Error::SaleIdInvalid {
            sale_id: sale_id.to_string(),
            reason,
        };
        if sale_id.is_empty() {
            return Err(invalid("is empty".to_string()));
        }
        let length = sale_id.chars().count();
        if length > MAX_SALE_ID_CHARS {
            return Err(invalid(format!("has {length} characters")));
        }
        match sale_id.chars().find(|&c| !is_sale_id_char(c)) {
            Some(other) => Err(invalid(format!(
                "contains “{}”",
                super::text::quote(other.encode_utf8(&mut [0; 4]))
            ))),
            None => Ok(SaleId(sale_id.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The characters of a sale id: those a URL, a file name and every
/// database's collation leave as they are.
fn is_sale_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

impl fmt::Display for SaleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for SaleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// An order as asked for: whose, which items, and an optional note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub customer_id: i64,
    pub items: Vec<ItemSpec>,
    pub note: String,
    /// Counts the cashier confirmed correcting to sell what the shelf has
    /// but the stock does not ("sell anyway" at the counter): empty for
    /// every other order, which is refused out of stock instead.
    pub count_corrections: Vec<CountCorrection>,
    /// The sale's own id ([`SaleId`]), which every edge that places an
    /// order gives it; `None` only for orders loaded in bulk (the demo
    /// shop's).
    pub sale_id: Option<SaleId>,
}

/// Decides a sale sent again with the sale id of `placed`, an order
/// already stored (the answer to the first sending was lost): the same
/// sale, that is the same customer and items that come to exactly
/// `placed`'s lines once merged (each naming one of its products, as
/// [`ProductRef::find_in`] reads it, their quantities adding up to its
/// line's), is answered with `placed` as it stands (`Ok`: nothing is
/// written, whatever the stock or the prices are now); anything else is
/// refused naming the order ([`Error::SaleIdUsed`]). The note and how the
/// sale is paid are not compared: they do not make it another sale.
pub fn check_retried_sale(order: &NewOrder, placed: &Order) -> Result<(), Error> {
    if order.customer_id == placed.customer_id && asks_for_the_lines_of(&order.items, placed) {
        return Ok(());
    }
    Err(Error::SaleIdUsed {
        sale_id: order
            .sale_id
            .as_ref()
            .map_or_else(String::new, SaleId::to_string),
        order_id: placed.id,
    })
}

/// Whether `items` come to exactly the lines of `placed`, merged.
fn asks_for_the_lines_of(items: &[ItemSpec], placed: &Order) -> bool {
    let products: Vec<(i64, &str)> = placed
        .items
        .iter()
        .map(|line| (line.product_id, line.sku.as_str()))
        .collect();
    let mut asked = vec![0_i64; products.len()];
    for item in items {
        let Some(line) = item.product.find_in(&products) else {
            return false;
        };
        asked[line] = asked[line].saturating_add(item.quantity.get());
    }
    placed
        .items
        .iter()
        .zip(asked)
        .all(|(line, units)| line.quantity == units)
}

/// Which orders to list. The default is every order of the shop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub customer_id: Option<i64>,
    pub status: Option<Status>,
}

/// Merges lines that `same` says are for one product into the first of
/// them, keeping the order in which products first appear. A merged
/// quantity must still fit on one line.
pub fn merge_lines<T>(
    lines: impl IntoIterator<Item = (T, Quantity)>,
    same: impl Fn(&T, &T) -> bool,
) -> Result<Vec<(T, Quantity)>, Error> {
    let mut merged: Vec<(T, Quantity)> = Vec::new();
    for (product, quantity) in lines {
        match merged.iter_mut().find(|(first, _)| same(first, &product)) {
            Some((_, existing)) => *existing = Quantity::new(existing.0 + quantity.0)?,
            None => merged.push((product, quantity)),
        }
    }
    if merged.is_empty() {
        return Err(Error::OrderEmpty);
    }
    Ok(merged)
}

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Pending,
    Shipped,
    Delivered,
    Canceled,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Shipped,
        Status::Delivered,
        Status::Canceled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Shipped => "shipped",
            Status::Delivered => "delivered",
            Status::Canceled => "canceled",
        }
    }

    /// The statuses an order in this status may move to; empty when final.
    pub fn next_allowed(self) -> &'static [Status] {
        match self {
            Status::Pending => &[Status::Shipped, Status::Canceled],
            Status::Shipped => &[Status::Delivered],
            Status::Delivered | Status::Canceled => &[],
        }
    }

    /// Checks that order `order` may move from `self` to `to`.
    pub fn check_transition(self, order: i64, to: Status) -> Result<(), Error> {
        if self == to {
            return Err(Error::StatusUnchanged {
                order,
                status: self,
            });
        }
        if self.next_allowed().contains(&to) {
            Ok(())
        } else {
            Err(Error::TransitionNotAllowed {
                order,
                from: self,
                to,
            })
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Status {
    type Err = Error;

    /// Accepts any case and the British spelling "cancelled".
    fn from_str(text: &str) -> Result<Status, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "pending" => Ok(Status::Pending),
            "shipped" => Ok(Status::Shipped),
            "delivered" => Ok(Status::Delivered),
            "canceled" | "cancelled" => Ok(Status::Canceled),
            _ => Err(Error::StatusUnknown(text.trim().to_string())),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// How a counter sale was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentMethod {
    Cash,
    Card,
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Other => "other",
        }
    }
}

impl fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for PaymentMethod {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl FromStr for PaymentMethod {
    type Err = Error;

    fn from_str(text: &str) -> Result<PaymentMethod, Error> {
        let wanted = text.trim().to_ascii_lowercase();
        PaymentMethod::ALL
            .into_iter()
            .find(|method| method.as_str() == wanted)
            .ok_or_else(|| Error::PaymentMethodUnknown(text.trim().to_string()))
    }
}

/// The payment of a counter sale: its method and, for cash, what was
/// handed over when the cashier typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub method: PaymentMethod,
    #[serde(rename = "tendered_cents")]
    pub tendered: Option<Cents>,
}

impl Payment {
    /// Checks a payment against the total it pays: an amount tendered is
    /// for cash only and must cover the total (a refusal names both amounts
    /// in `currency`).
    pub fn new(
        method: PaymentMethod,
        tendered: Option<Cents>,
        total: Cents,
        currency: &Currency,
    ) -> Result<Payment, Error> {
        match tendered {
            Some(_) if method != PaymentMethod::Cash => Err(Error::TenderedNotCash),
            Some(tendered) if tendered < total => Err(Error::TenderedTooLittle {
                tendered: currency.amount(tendered),
                total: currency.amount(total),
            }),
            _ => Ok(Payment { method, tendered }),
        }
    }

    /// The change due, when an amount was tendered.
    pub fn change(&self, total: Cents) -> Option<Cents> {
        self.tendered
            .and_then(|tendered| tendered.checked_sub(total).ok())
    }
}

/// A placed order with its lines as sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub status: Status,
    #[serde(serialize_with = "super::timestamp::serialize")]
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub totals: Totals,
    pub note: String,
    pub items: Vec<OrderItem>,
    /// Set for counter sales only.
    pub payment: Option<Payment>,
    /// The id the sale was sent with ([`SaleId`]); `None` for orders
    /// placed before sales had one, and for the demo shop's.
    pub sale_id: Option<SaleId>,
}

impl Order {
    /// Units across all lines, which is what the bulk discount counts.
    /// Stops at the largest number rather than overflow: a stored order
    /// may hold any quantity another tool wrote (`check` names it).
    pub fn item_count(&self) -> i64 {
        self.items
            .iter()
            .fold(0, |count: i64, item| count.saturating_add(item.quantity))
    }
}

/// A sale put aside at the counter, as it is now: its customer and
/// products are read afresh, so a price change shows when it is resumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkedSale {
    pub id: i64,
    pub customer: super::customer::Customer,
    pub parked_at: DateTime<Utc>,
    pub lines: Vec<(super::product::Product, Quantity)>,
    /// The sale's id ([`SaleId`]), when checkout had made it before the
    /// sale was parked: the sale may have been placed already (its answer
    /// lost), and resuming it keeps the id, so that its checkout finds that
    /// order instead of placing a second one. `None` for a sale never taken
    /// to checkout.
    pub sale_id: Option<SaleId>,
}

impl ParkedSale {
    pub fn item_count(&self) -> i64 {
        self.lines.iter().map(|(_, quantity)| quantity.get()).sum()
    }
}

/// One line of an order, frozen as sold: later price or name changes to the
/// product do not touch it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderItem {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    #[serde(rename = "unit_price_cents")]
    pub unit_price: Cents,
    #[serde(rename = "line_total_cents")]
    pub line_total: Cents,
}

impl OrderItem {
    /// A line selling `quantity` of a product at `unit_price`.
    pub fn new(
        product_id: i64,
        sku: &str,
        name: &str,
        unit_price: Cents,
        quantity: Quantity,
    ) -> Result<OrderItem, Error> {
        Ok(OrderItem {
            product_id,
            sku: sku.to_string(),
            name: name.to_string(),
            quantity: quantity.get(),
            unit_price,
            line_total: unit_price.checked_mul(quantity.get())?,
        })
    }
}

/// One step of an order's timeline. The first event has no `from`: it is the
/// order being placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderEvent {
    pub from: Option<Status>,
    pub to: Status,
    #[serde(serialize_with = "super::timestamp::serialize")]
    pub at: DateTime<Utc>,
    pub note: String,
}

impl OrderEvent {
    /// The first event of every order: it was placed, and is pending.
    pub fn placed(at: DateTime<Utc>) -> OrderEvent {
        OrderEvent {
            from: None,
            to: Status::Pending,
            at,
            note: "order placed".to_string(),
        }
    }

    /// The first and only event of a counter sale: paid and handed over at
    /// once, the only way an order is born delivered.
    pub fn sold_at_the_counter(at: DateTime<Utc>) -> OrderEvent {
        OrderEvent {
            from: None,
            to: Status::Delivered,
            at,
            note: "sold at the counter".to_string(),
        }
    }
}

/// A note on an order, or on a step of its timeline: free text (line
/// breaks and all), at most [`MAX_NOTE_CHARS`] characters. Checked before
/// anything is read.
pub fn parse_note(text: &str) -> Result<String, Error> {
    parse_free_text("note", text, MAX_NOTE_CHARS)
}

impl NewOrder {
    /// The order's note, checked ([`parse_note`]).
    pub fn checked_note(&self) -> Result<String, Error> {
        parse_note(&self.note)
    }
}

/// The lines of `order` with their products as `read` finds them now:
/// every product known and for sale (an archived product stays in the
/// history but cannot be sold), lines of one product merged. The items
/// are read one after another and the first refusal stops, so every
/// backend refuses the same order the same way.
pub fn sellable_lines<E: From<Error>>(
    order: &NewOrder,
    mut read: impl FnMut(&ProductRef) -> Result<Product, E>,
) -> Result<Vec<(Product, Quantity)>, E> {
    let mut resolved = Vec::with_capacity(order.items.len());
    for item in &order.items {
        let product = read(&item.product)?;
        if !product.active {
            return Err(Error::ProductArchived {
                sku: product.sku,
                name: product.name,
            }
            .into());
        }
        resolved.push(product);
    }
    let quantities = order.items.iter().map(|item| item.quantity);
    Ok(merge_lines(
        resolved.into_iter().zip(quantities),
        |a, b| a.id == b.id,
    )?)
}

/// What `lines` cost by the pricing rules ([`price_order`]).
pub fn price_lines(lines: &[(Product, Quantity)]) -> Result<Totals, Error> {
    price_order(
        lines
            .iter()
            .map(|(product, quantity)| (product.price, *quantity)),
    )
}

/// How an order is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placing {
    /// To be paid later and shipped: born `pending`.
    ToShip,
    /// A counter sale, paid and handed over at once: born `delivered`,
    /// at the total the customer was shown.
    AtTheCounter {
        payment: Payment,
        expected_total: Cents,
    },
}

/// An order as the shop's rules decide it, from what a backend read in the
/// transaction that writes it: what to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPlan {
    pub status: Status,
    pub first_event: OrderEvent,
    pub payment: Option<Payment>,
    pub totals: Totals,
    /// The lines as sold (SKU, name and price kept as they are now).
    pub items: Vec<OrderItem>,
}

/// Decides an order from its sellable `lines` (their stock as read under
/// the write lock): the count corrections the cashier confirmed must be
/// exactly those the lines call for now
/// ([`check_count_corrections`](super::product::check_count_corrections));
/// it is priced by the rules; a counter sale must come to the total the
/// customer was shown ([`Error::PricesChanged`] otherwise: the counter asks
/// again) and its payment must fit it. Amounts in messages are in
/// `currency`. The stock is taken by the write itself, which refuses
/// every short line.
pub fn plan_order(
    order: &NewOrder,
    lines: &[(Product, Quantity)],
    placing: Placing,
    currency: &Currency,
    now: DateTime<Utc>,
) -> Result<OrderPlan, Error> {
    check_count_corrections(
        &order.count_corrections,
        shortages(lines.iter().map(|(product, quantity)| (product, *quantity))),
    )?;
    let totals = price_lines(lines)?;
    let (status, first_event, payment) = match placing {
        Placing::ToShip => (Status::Pending, OrderEvent::placed(now), None),
        Placing::AtTheCounter { expected_total, .. } if expected_total != totals.total => {
            return Err(Error::PricesChanged {
                total: currency.amount(totals.total),
            });
        }
        Placing::AtTheCounter { payment, .. } => {
            let payment = Payment::new(payment.method, payment.tendered, totals.total, currency)?;
            (
                Status::Delivered,
                OrderEvent::sold_at_the_counter(now),
                Some(payment),
            )
        }
    };
    let items = lines
        .iter()
        .map(|(p, quantity)| OrderItem::new(p.id, &p.sku, &p.name, p.price, *quantity))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(OrderPlan {
        status,
        first_event,
        payment,
        totals,
        items,
    })
}

/// A status change as the rules decide it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The step of the timeline that records it.
    pub event: OrderEvent,
    /// What goes back on the shelf, `(product id, units)`: a canceled
    /// order's items, exactly once (a canceled order never moves again).
    pub back_in_stock: Vec<(i64, i64)>,
}

/// Decides moving `order` (as read under the write lock) to `to`, with its
/// checked `note`: only the moves its status allows
/// ([`Status::check_transition`]).
pub fn plan_status_change(
    order: &Order,
    to: Status,
    note: String,
    now: DateTime<Utc>,
) -> Result<StatusChange, Error> {
    order.status.check_transition(order.id, to)?;
    let back_in_stock = match to {
        Status::Canceled => order
            .items
            .iter()
            .map(|item| (item.product_id, item.quantity))
            .collect(),
        _ => Vec::new(),
    };
    Ok(StatusChange {
        event: OrderEvent {
            from: Some(order.status),
            to,
            at: now,
            note,
        },
        back_in_stock,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn qty(units: i64) -> Quantity {
        Quantity::new(units).unwrap()
    }

    #[test]
    fn ten_items_pay_full_price_eleven_get_ten_percent_off() {
        let ten = price_order([(Cents::new(1000), qty(10))]).unwrap();
        assert_eq!(ten.discount, Cents::ZERO);
        assert_eq!(ten.total, Cents::new(10_000));
        let eleven = price_order([(Cents::new(1000), qty(6)), (Cents::new(1000), qty(5))]).unwrap();
        assert_eq!(eleven.subtotal, Cents::new(11_000));
        assert_eq!(eleven.discount, Cents::new(1_100));
        assert_eq!(eleven.total, Cents::new(9_900));
    }

    #[test]
    fn discount_is_taken_off_the_subtotal_not_per_line() {
        // Per line, 10% of 5 cents rounds to 1 cent each, 11 cents in all;
        // on the 55-cent subtotal it is 5.5, rounded half away to 6 cents.
        let lines = (0..11).map(|_| (Cents::new(5), qty(1)));
        let totals = price_order(lines).unwrap();
        assert_eq!(totals.subtotal, Cents::new(55));
        assert_eq!(totals.discount, Cents::new(6));
        assert_eq!(totals.total, Cents::new(49));
    }

    #[test]
    fn item_specs_accept_the_three_forms() {
        let spec = |text: &str| text.parse::<ItemSpec>();
        assert_eq!(
            spec("MUG-1:3").unwrap(),
            ItemSpec {
                product: ProductRef::Bare("MUG-1".into()),
                quantity: qty(3)
            }
        );
        assert_eq!(
            spec("3*MUG-1").unwrap(),
            ItemSpec {
                product: ProductRef::Bare("MUG-1".into()),
                quantity: qty(3)
            }
        );
        assert_eq!(
            spec(" 17 ").unwrap(),
            ItemSpec {
                product: ProductRef::Bare("17".into()),
                quantity: qty(1)
            }
        );
        assert_eq!(
            spec("MUG:0"),
            Err(Error::QuantityOutOfRange {
                given: 0,
                max: MAX_LINE_QUANTITY
            })
        );
        assert!(matches!(
            spec("MUG:-2"),
            Err(Error::QuantityOutOfRange { .. })
        ));
        assert!(matches!(
            spec("MUG:10000"),
            Err(Error::QuantityOutOfRange { .. })
        ));
        for bad in [
            "MUG:two",
            ":3",
            "",
            "MUG:",
            "a:b:c",
            "2*",
            "2*3*MUG",
            "MUG:99999999999999999999",
            "id:x:3",
            "id:",
            "3*id:",
        ] {
            assert!(
                matches!(spec(bad), Err(Error::ItemInvalid(_))),
                "{bad}: {:?}",
                spec(bad)
            );
        }
    }

    #[test]
    fn items_name_their_product_by_id_or_sku_with_a_prefix() {
        let spec = |text: &str| text.parse::<ItemSpec>().unwrap();
        let item = |product, units| ItemSpec {
            product,
            quantity: qty(units),
        };
        assert_eq!(spec("id:12"), item(ProductRef::Id(12), 1));
        assert_eq!(spec("id:12:3"), item(ProductRef::Id(12), 3));
        assert_eq!(spec("3*id:12"), item(ProductRef::Id(12), 3));
        assert_eq!(spec("ID:12 : 3"), item(ProductRef::Id(12), 3));
        assert_eq!(spec("sku:12"), item(ProductRef::Sku("12".into()), 1));
        assert_eq!(spec("3*sku:12"), item(ProductRef::Sku("12".into()), 3));
        assert_eq!(
            spec("Sku:MUG-1:2"),
            item(ProductRef::Sku("MUG-1".into()), 2)
        );
        // A SKU spelled like a prefix is still reachable with one.
        assert_eq!(spec("sku:id:2"), item(ProductRef::Sku("id".into()), 2));
        assert_eq!(spec("12:3"), item(ProductRef::Bare("12".into()), 3));
    }

    #[test]
    fn merging_sums_lines_of_one_product_in_first_seen_order() {
        let same = |a: &i64, b: &i64| a == b;
        let merged = merge_lines([(7, qty(1)), (3, qty(2)), (7, qty(4))], same).unwrap();
        assert_eq!(merged, vec![(7, qty(5)), (3, qty(2))]);
        assert_eq!(
            merge_lines([(7, qty(9_000)), (7, qty(1_000))], same),
            Err(Error::QuantityOutOfRange {
                given: 10_000,
                max: MAX_LINE_QUANTITY
            })
        );
        assert_eq!(merge_lines([], same), Err(Error::OrderEmpty));
    }

    #[test]
    fn status_table() {
        use Status::*;
        let allowed = [
            (Pending, Shipped),
            (Pending, Canceled),
            (Shipped, Delivered),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                let result = from.check_transition(1, to);
                assert_eq!(
                    result.is_ok(),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn refusals_name_the_allowed_next_statuses() {
        let message =
            |from: Status, to: Status| from.check_transition(42, to).unwrap_err().to_string();
        assert_eq!(
            message(Status::Shipped, Status::Pending),
            "order 42 cannot go from shipped to pending: a shipped order can only move to delivered"
        );
        assert_eq!(
            message(Status::Pending, Status::Delivered),
            "order 42 cannot go from pending to delivered: a pending order can only move to shipped or canceled"
        );
        assert_eq!(
            message(Status::Canceled, Status::Pending),
            "order 42 cannot go from canceled to pending: a canceled order is final"
        );
        assert_eq!(
            message(Status::Shipped, Status::Shipped),
            "order 42 is already shipped"
        );
    }

    #[test]
    fn statuses_parse_leniently_and_refuse_the_rest() {
        assert_eq!("Shipped".parse(), Ok(Status::Shipped));
        assert_eq!("cancelled".parse(), Ok(Status::Canceled));
        assert_eq!(
            "lost".parse::<Status>(),
            Err(Error::StatusUnknown("lost".into()))
        );
    }

    proptest! {
        #[test]
        fn pricing_obeys_its_rules(lines in prop::collection::vec((0i64..=1_000_000, 1i64..=50), 1..12)) {
            let totals = price_order(lines.iter().map(|&(price, units)| (Cents::new(price), qty(units)))).unwrap();
            let subtotal: i64 = lines.iter().map(|(price, units)| price * units).sum();
            let items: i64 = lines.iter().map(|(_, units)| units).sum();
            prop_assert_eq!(totals.subtotal, Cents::new(subtotal));
            prop_assert_eq!(totals.total.get(), totals.subtotal.get() - totals.discount.get());
            if items > 10 {
                // 10% rounded half away from zero, in exact integer arithmetic.
                prop_assert_eq!(totals.discount.get(), (subtotal * 10 + 50) / 100);
            } else {
                prop_assert_eq!(totals.discount, Cents::ZERO);
            }
        }

        #[test]
        fn items_read_both_ways_to_the_same_line(sku in "[A-Za-z0-9./-]{1,16}", units in 1..=MAX_LINE_QUANTITY) {
            // `id:3` and `sku:3` are product references, not quantities.
            prop_assume!(!["id", "sku"].iter().any(|word| sku.eq_ignore_ascii_case(word)));
            for typed in [format!("{sku}:{units}"), format!("{units}*{sku}"), format!(" {sku} : {units} ")] {
                let spec: ItemSpec = typed.parse().unwrap();
                prop_assert_eq!(&spec.product, &ProductRef::Bare(sku.clone()));
                prop_assert_eq!(spec.quantity.get(), units);
            }
            prop_assert_eq!(sku.parse::<ItemSpec>().unwrap().quantity.get(), 1);
        }

        #[test]
        fn item_parse_never_panics_on_any_text(text in any::<String>()) {
            let _ = text.parse::<ItemSpec>();
        }

        #[test]
        fn item_parse_never_panics(text in "\\PC{0,20}") {
            if let Ok(spec) = text.parse::<ItemSpec>() {
                prop_assert!(!spec.product.to_string().is_empty());
                prop_assert!((1..=MAX_LINE_QUANTITY).contains(&spec.quantity.get()));
            }
        }
    }

    /// Product `id` at $1.00 with `stock` units, for sale or archived.
    fn product(id: i64, stock: i64, active: bool) -> Product {
        let time = DateTime::<Utc>::UNIX_EPOCH;
        Product {
            id,
            sku: format!("SKU-{id}"),
            name: format!("Product {id}"),
            price: Cents::new(100),
            stock,
            details: String::new(),
            active,
            created_at: time,
            updated_at: time,
        }
    }

    fn new_order(items: &[&str]) -> NewOrder {
        NewOrder {
            customer_id: 1,
            items: items.iter().map(|item| item.parse().unwrap()).collect(),
            note: String::new(),
            count_corrections: Vec::new(),
            sale_id: None,
        }
    }

    /// Reads `id:N` as product N, from `shelf`.
    fn reader(shelf: &[Product]) -> impl FnMut(&ProductRef) -> Result<Product, Error> + '_ {
        |reference| match reference {
            ProductRef::Id(id) => shelf
                .iter()
                .find(|product| product.id == *id)
                .cloned()
                .ok_or(Error::ProductIdNotFound(*id)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_first_unknown_or_archived_item_refuses_the_order_and_lines_merge() {
        let shelf = [product(1, 5, true), product(2, 5, false)];
        let refused = sellable_lines(&new_order(&["id:2", "id:3"]), reader(&shelf));
        assert_eq!(
            refused,
            Err(Error::ProductArchived {
                sku: "SKU-2".into(),
                name: "Product 2".into()
            })
        );
        let refused = sellable_lines(&new_order(&["id:3", "id:2"]), reader(&shelf));
        assert_eq!(refused, Err(Error::ProductIdNotFound(3)));
        let lines = sellable_lines(&new_order(&["id:1:2", "id:1:3"]), reader(&shelf)).unwrap();
        assert_eq!(lines, vec![(shelf[0].clone(), qty(5))]);
    }

    #[test]
    fn a_counter_sale_at_another_total_is_asked_again_and_a_payment_must_fit() {
        let lines = vec![(product(1, 5, true), qty(2))];
        let order = new_order(&["id:1:2"]);
        let currency = Currency::default();
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let cash = |tendered: i64, expected_total: i64| Placing::AtTheCounter {
            payment: Payment {
                method: PaymentMethod::Cash,
                tendered: Some(Cents::new(tendered)),
            },
            expected_total: Cents::new(expected_total),
        };
        let changed = plan_order(&order, &lines, cash(500, 150), &currency, at);
        assert_eq!(
            changed,
            Err(Error::PricesChanged {
                total: currency.amount(Cents::new(200))
            })
        );
        let short = plan_order(&order, &lines, cash(150, 200), &currency, at);
        assert!(
            matches!(short, Err(Error::TenderedTooLittle { .. })),
            "{short:?}"
        );
        let sale = plan_order(&order, &lines, cash(500, 200), &currency, at).unwrap();
        assert_eq!(sale.status, Status::Delivered);
        assert_eq!(sale.first_event, OrderEvent::sold_at_the_counter(at));
        assert_eq!(sale.items[0].line_total, Cents::new(200));
        let later = plan_order(&order, &lines, Placing::ToShip, &currency, at).unwrap();
        assert_eq!((later.status, later.payment), (Status::Pending, None));
    }

    #[test]
    fn corrections_must_be_exactly_what_the_lines_are_short_now() {
        let lines = vec![(product(1, 1, true), qty(3))];
        let mut order = new_order(&["id:1:3"]);
        order.count_corrections = vec![CountCorrection {
            product_id: 1,
            units_short: 1,
        }];
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let stale = plan_order(&order, &lines, Placing::ToShip, &Currency::default(), at);
        assert!(
            matches!(stale, Err(Error::StockChangedMeanwhile(_))),
            "{stale:?}"
        );
        order.count_corrections[0].units_short = 2;
        assert!(plan_order(&order, &lines, Placing::ToShip, &Currency::default(), at).is_ok());
    }

    #[test]
    fn a_cancel_gives_every_item_back_and_other_moves_give_nothing() {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let item = OrderItem::new(4, "SKU-4", "Product 4", Cents::new(100), qty(3)).unwrap();
        let order = Order {
            id: 9,
            customer_id: 1,
            customer_name: "Ann".into(),
            status: Status::Pending,
            created_at: at,
            totals: price_order([(Cents::new(100), qty(3))]).unwrap(),
            note: String::new(),
            items: vec![item],
            payment: None,
            sale_id: None,
        };
        let cancel = plan_status_change(&order, Status::Canceled, "gone".into(), at).unwrap();
        assert_eq!(cancel.back_in_stock, vec![(4, 3)]);
        assert_eq!(cancel.event.from, Some(Status::Pending));
        let ship = plan_status_change(&order, Status::Shipped, String::new(), at).unwrap();
        assert!(ship.back_in_stock.is_empty());
        assert!(plan_status_change(&order, Status::Delivered, String::new(), at).is_err());
        assert!(matches!(
            parse_note(&"x".repeat(501)),
            Err(Error::TooLong { .. })
        ));
    }

    #[test]
    fn a_sale_id_is_1_to_64_letters_digits_dots_underscores_and_hyphens() {
        for good in [
            "a",
            "0b6c5f0e-8d2a-4c1e-9a57-2f4d8e1b7c90",
            "till-2.sale_1041",
            &"x".repeat(64),
        ] {
            assert_eq!(SaleId::parse(good).unwrap().as_str(), good);
        }
        assert_eq!(
            SaleId::parse("  A.1  ").unwrap().as_str(),
            "A.1",
            "spaces around are not part of it"
        );
        let refused = |text: &str| SaleId::parse(text).unwrap_err().to_string();
        let rule = "a sale id is 1 to 64 characters of A-Z a-z 0-9 . _ -";
        assert_eq!(refused("  "), format!("{rule} (this one is empty)"));
        assert_eq!(
            refused(&"x".repeat(65)),
            format!("{rule} (this one has 65 characters)")
        );
        assert_eq!(refused("a b"), format!("{rule} (this one contains “ ”)"));
        assert_eq!(refused("sale/1"), format!("{rule} (this one contains “/”)"));
        assert!(refused("café").ends_with("contains “é”)"));
        assert!(
            refused("a\u{1b}[2J").ends_with("contains “␛”)"),
            "shown safely"
        );
        assert_eq!(
            SaleId::parse(" a b "),
            Err(Error::SaleIdInvalid {
                sale_id: "a b".into(),
                reason: "contains “ ”".into()
            })
        );
    }

    proptest! {
        #[test]
        fn every_id_of_the_allowed_characters_is_taken_as_it_is(text in "[A-Za-z0-9._-]{1,64}") {
            let sale_id = SaleId::parse(&text).unwrap();
            prop_assert_eq!(sale_id.as_str(), text.as_str());
            prop_assert_eq!(sale_id.to_string(), text);
        }

        #[test]
        fn a_sale_id_is_never_longer_than_64_or_of_other_characters(text in any::<String>()) {
            match SaleId::parse(&text) {
                Ok(sale_id) => {
                    prop_assert!((1..=MAX_SALE_ID_CHARS).contains(&sale_id.as_str().len()));
                    prop_assert!(sale_id.as_str().chars().all(is_sale_id_char));
                }
                Err(error) => {
                    let invalid = matches!(error, Error::SaleIdInvalid { .. });
                    prop_assert!(invalid, "{}", error);
                }
            }
        }
    }

    /// Order 9 for customer 1: 3 of product 4 (SKU-4) and 1 of product 12
    /// (SKU-12), placed with sale id `till-1`.
    fn placed_order() -> Order {
        let line = |id: i64, units| {
            OrderItem::new(
                id,
                &format!("SKU-{id}"),
                "A product",
                Cents::new(100),
                qty(units),
            )
            .unwrap()
        };
        Order {
            id: 9,
            customer_id: 1,
            customer_name: "Ann".into(),
            status: Status::Pending,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            totals: price_order([(Cents::new(100), qty(4))]).unwrap(),
            note: String::new(),
            items: vec![line(4, 3), line(12, 1)],
            payment: None,
            sale_id: Some(SaleId::parse("till-1").unwrap()),
        }
    }

    #[test]
    fn the_same_sale_sent_again_is_the_same_customer_and_lines_however_written() {
        let placed = placed_order();
        let again = |customer_id: i64, items: &[&str]| NewOrder {
            customer_id,
            sale_id: Some(SaleId::parse("till-1").unwrap()),
            ..new_order(items)
        };
        for same in [
            &["id:4:3", "id:12"][..],
            &["id:12", "id:4:3"],
            &["SKU-4:2", "sku:sku-12", "id:4"],
            &["4:3", "12"],
            &["2*SKU-4", "id:12", "1*sku-4"],
        ] {
            assert_eq!(
                check_retried_sale(&again(1, same), &placed),
                Ok(()),
                "{same:?}"
            );
        }
        let error = Error::SaleIdUsed {
            sale_id: "till-1".into(),
            order_id: 9,
        };
        let used = Err(error.clone());
        for other in [
            &["id:4:3"][..],
            &["id:4:3", "id:12:2"],
            &["id:4:3", "id:12", "id:13"],
            &["id:4:2", "id:12", "id:7"],
            &["SKU-4:3", "SKU-13"],
        ] {
            assert_eq!(
                check_retried_sale(&again(1, other), &placed),
                used,
                "{other:?}"
            );
        }
        assert_eq!(
            check_retried_sale(&again(2, &["id:4:3", "id:12"]), &placed),
            used,
            "another customer"
        );
        assert_eq!(
            error.to_string(),
            "sale id till-1 was already used for order 9, with another customer or other items; \
             order 9 stays as it was placed, and a different sale needs a sale id of its own"
        );
    }

    #[test]
    fn bare_text_names_a_line_by_its_sku_before_its_id() {
        let lines = [(12, "MUG-1"), (3, "12")];
        assert_eq!(ProductRef::Bare("12".into()).find_in(&lines), Some(1));
        assert_eq!(ProductRef::Bare("3".into()).find_in(&lines), Some(1));
        assert_eq!(ProductRef::Id(12).find_in(&lines), Some(0));
        assert_eq!(ProductRef::Sku("mug-1".into()).find_in(&lines), Some(0));
        assert_eq!(ProductRef::Sku("3".into()).find_in(&lines), None);
        assert_eq!(ProductRef::Bare("7".into()).find_in(&lines), None);
    }
}
