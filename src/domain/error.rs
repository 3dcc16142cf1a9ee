//! Every way a shop rule can refuse something, worded for the clerk.

use std::fmt;

use super::order::Status;
use super::text::quote;

/// A rule was broken. Each variant is specific enough for a caller to act on
/// (for example to put the message next to the right form field) and its
/// message is written for the person at the counter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("enter an amount, like 12.50")]
    AmountMissing,
    #[error("an amount cannot be negative")]
    AmountNegative,
    #[error("an amount has at most two decimals (cents), like 12.50")]
    AmountTooPrecise,
    #[error(
        "“{}”: no thousands separators; write 1000.50 or 1000,50",
        quote(.0)
    )]
    AmountGrouped(String),
    #[error(
        "“{}” is in another currency: this shop's is {currency}, like {} or 12.50",
        quote(.typed),
        .currency.format(super::Cents::new(1250))
    )]
    AmountOtherCurrency {
        typed: String,
        symbol: String,
        currency: super::money::Currency,
    },
    #[error("“{}” is not an amount; write it like 12.50", quote(.0))]
    AmountNotANumber(String),
    #[error("the amount is too large (at most {max})")]
    AmountTooLarge { max: super::money::Money },
    #[error("the total is too large to compute")]
    TotalOverflow,

    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("{field} is too long: {length} characters, at most {max}")]
    TooLong {
        field: &'static str,
        length: usize,
        max: usize,
    },
    #[error("“{}” is not an email address: {reason}", quote(.email))]
    EmailInvalid { email: String, reason: &'static str },
    #[error(
        "“{}” is not an email address: it contains U+{:04X}, an invisible or direction character",
        quote(.email),
        u32::from(*.character)
    )]
    EmailHiddenCharacter { email: String, character: char },
    #[error("{field} has no visible character")]
    NothingVisible { field: &'static str },
    /// A customer (but the Walk-in) needs a way to be reached.
    #[error("give an email or a phone number, or both")]
    ContactMissing,
    #[error("“{}” is not a phone number: {reason}", quote(.phone))]
    PhoneInvalid { phone: String, reason: &'static str },
    #[error("“{}” cannot be a SKU: {reason}", quote(.sku))]
    SkuInvalid { sku: String, reason: &'static str },

    #[error("“{}” is not a whole number", quote(.0))]
    NotAWholeNumber(String),
    #[error("a quantity must be between 1 and {max}, not {given}")]
    QuantityOutOfRange { given: i64, max: i64 },
    #[error("stock must be between 0 and {max}, not {given}")]
    StockOutOfRange { given: i64, max: i64 },
    #[error("“{}” is not an item; write PRODUCT:QTY (like MUG-1:2), 2*PRODUCT or just PRODUCT", quote(.0))]
    ItemInvalid(String),
    #[error("an order needs at least one item")]
    OrderEmpty,
    /// Short, as clap puts it after the value it echoes.
    #[error(
        "a sale id is 1 to {max} characters of A-Z a-z 0-9 . _ - (this one {reason})",
        max = super::order::MAX_SALE_ID_CHARS
    )]
    SaleIdInvalid { sale_id: String, reason: String },

    #[error("cash tendered ({tendered}) is less than the total ({total})")]
    TenderedTooLittle {
        tendered: super::money::Money,
        total: super::money::Money,
    },
    #[error("an amount tendered only goes with cash")]
    TenderedNotCash,
    #[error("“{}” is not a payment method; use cash, card or other", quote(.0))]
    PaymentMethodUnknown(String),
    #[error("prices changed since the items were added: the total is now {total}")]
    PricesChanged { total: super::money::Money },
    #[error("no parked sale number {0}")]
    ParkedSaleNotFound(i64),
    #[error("“{}” is not a setting; the settings are {names}", quote(.0), names = super::settings::Setting::names())]
    SettingUnknown(String),
    #[error(
        "{0} is no longer a shop setting: each counter sets its own, in its configuration file (shopdesk config set {0} VALUE)"
    )]
    SettingMovedToConfig(&'static str),
    #[error("“{}” is not a configuration key; the keys are {names}", quote(.0), names = super::config::ConfigKey::names())]
    ConfigKeyUnknown(String),
    #[error("{field} cannot contain control characters (line breaks, tabs, escapes)")]
    ControlCharacters { field: &'static str },
    #[error("“{}” cannot be the currency symbol: {reason}", quote(.symbol))]
    CurrencySymbolInvalid {
        symbol: String,
        reason: &'static str,
    },
    #[error("“{}” is not a status; use pending, shipped, delivered or canceled", quote(.0))]
    StatusUnknown(String),
    #[error("order {order} is already {status}")]
    StatusUnchanged { order: i64, status: Status },
    #[error("order {order} cannot go from {from} to {to}: {}", allowed_next(*.from))]
    TransitionNotAllowed {
        order: i64,
        from: Status,
        to: Status,
    },

    #[error("the Walk-in customer is built in and cannot be edited")]
    WalkInNotEditable,
    #[error("“{}” is not a customer id: give a number, or walk-in", quote(.0))]
    CustomerIdInvalid(String),
    #[error("no customer with id {0}")]
    CustomerNotFound(i64),
    #[error("no product with SKU or id “{}”", quote(.0))]
    ProductNotFound(String),
    #[error("no product with id {0}")]
    ProductIdNotFound(i64),
    #[error("no product with SKU “{}”", quote(.0))]
    SkuNotFound(String),
    #[error("“{}” names no product: write its SKU, sku:CODE or id:NUMBER", quote(.0))]
    ProductRefInvalid(String),
    #[error(
        "“{text}” is both the SKU of product {by_sku} ({by_sku_name}) and the id of product {by_id} ({by_id_name}): \
         write sku:{text} for the first or id:{text} for the second"
    )]
    ProductAmbiguous {
        text: String,
        by_sku: i64,
        by_sku_name: String,
        by_id: i64,
        by_id_name: String,
    },
    #[error("no order number {0}")]
    OrderNotFound(i64),
    #[error("{name} ({sku}) is archived and cannot be sold")]
    ProductArchived { sku: String, name: String },
    #[error("the email {email} is already used by customer {customer}")]
    EmailTaken { email: String, customer: i64 },
    /// Asked about rather than refused outright: see
    /// [`SharedPhone`](super::customer::SharedPhone).
    #[error("{name} (customer {customer}) already has the phone number {phone}")]
    PhoneTaken {
        phone: String,
        customer: i64,
        name: String,
    },
    #[error("the SKU {sku} is already used by product {product} ({name})")]
    SkuTaken {
        sku: String,
        product: i64,
        name: String,
    },
    /// A sale sent again with the sale id of an order already placed,
    /// but for another customer or other items: not the same sale, and
    /// that order stays as it was.
    #[error(
        "sale id {sale_id} was already used for order {order_id}, with another customer or other items; \
         order {order_id} stays as it was placed, and a different sale needs a sale id of its own"
    )]
    SaleIdUsed { sale_id: String, order_id: i64 },
    #[error("not enough stock: {}", Shortages(.0))]
    OutOfStock(Vec<Shortage>),
    /// The cashier confirmed selling beyond the count, but another counter
    /// sold or restocked before the sale was placed: the order's
    /// shortages now (none: every line is in stock now), to ask again.
    #[error("{}", StockChanged(.0))]
    StockChangedMeanwhile(Vec<Shortage>),
    /// A change that would leave a product's stock outside 0 to
    /// [`MAX_STOCK`](super::product::MAX_STOCK) (`stock` may already be
    /// outside, after a row was changed by hand).
    #[error(
        "{name} ({sku}): {stock} in stock, and {delta:+} would make {}; stock must stay between 0 and {}",
        i128::from(*.stock) + i128::from(*.delta),
        super::product::MAX_STOCK
    )]
    StockLimit {
        product_id: i64,
        sku: String,
        name: String,
        stock: i64,
        delta: i64,
    },
}

/// What kind of refusal an error is: every error of the domain and of the
/// store has exactly one class, and each edge turns the class into what it
/// shows in one place (the app's message, the command line's exit code,
/// the web API's status), whatever the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// What was given breaks a rule (an amount, a name, an email, an item):
    /// correct it. Nothing was written.
    Invalid,
    /// What was named does not exist (a customer, a product, an order).
    NotFound,
    /// The shop as it is now refuses it: out of stock, a status that
    /// cannot move so, an email, phone number or SKU already taken, an
    /// archived product, a price changed since it was shown, the built-in
    /// Walk-in customer. Nothing was written.
    Conflict,
    /// The database is busy (another counter is saving) or cannot be
    /// reached: nothing was written, or, for a sale that is retried, the
    /// outcome is not known. Try again.
    Unavailable,
    /// The database is damaged, or holds a value no rule allows: restore a
    /// backup, or find the row with `shopdesk check`.
    Damaged,
    /// The database cannot be used for this: not shopdesk's, from a newer
    /// shopdesk, not a file, cannot be opened or written (read-only, a
    /// full disk), or it failed in a way of its own. Nothing was written.
    Refused,
}

impl Error {
    /// The class of this refusal (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        use ErrorClass::{Conflict, Invalid, NotFound};
        match self {
            Error::AmountMissing
            | Error::AmountNegative
            | Error::AmountTooPrecise
            | Error::AmountGrouped(_)
            | Error::AmountOtherCurrency { .. }
            | Error::AmountNotANumber(_)
            | Error::AmountTooLarge { .. }
            | Error::TotalOverflow
            | Error::Required { .. }
            | Error::TooLong { .. }
            | Error::EmailInvalid { .. }
            | Error::EmailHiddenCharacter { .. }
            | Error::NothingVisible { .. }
            | Error::ContactMissing
            | Error::PhoneInvalid { .. }
            | Error::SkuInvalid { .. }
            | Error::NotAWholeNumber(_)
            | Error::QuantityOutOfRange { .. }
            | Error::StockOutOfRange { .. }
            | Error::ItemInvalid(_)
            | Error::OrderEmpty
            | Error::SaleIdInvalid { .. }
            | Error::TenderedTooLittle { .. }
            | Error::TenderedNotCash
            | Error::PaymentMethodUnknown(_)
            | Error::SettingUnknown(_)
            | Error::SettingMovedToConfig(_)
            | Error::ConfigKeyUnknown(_)
            | Error::ControlCharacters { .. }
            | Error::CurrencySymbolInvalid { .. }
            | Error::StatusUnknown(_)
            | Error::CustomerIdInvalid(_)
            | Error::ProductRefInvalid(_)
            // Digits that name two products: the user writes which.
            | Error::ProductAmbiguous { .. } => Invalid,
            Error::ParkedSaleNotFound(_)
            | Error::CustomerNotFound(_)
            | Error::ProductNotFound(_)
            | Error::ProductIdNotFound(_)
            | Error::SkuNotFound(_)
            | Error::OrderNotFound(_) => NotFound,
            Error::PricesChanged { .. }
            | Error::StatusUnchanged { .. }
            | Error::TransitionNotAllowed { .. }
            | Error::WalkInNotEditable
            | Error::ProductArchived { .. }
            | Error::EmailTaken { .. }
            | Error::PhoneTaken { .. }
            | Error::SkuTaken { .. }
            | Error::SaleIdUsed { .. }
            | Error::OutOfStock(_)
            | Error::StockChangedMeanwhile(_)
            | Error::StockLimit { .. } => Conflict,
        }
    }
}

/// One product an order wants more of than the shelf holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortage {
    pub product_id: i64,
    pub name: String,
    pub in_stock: i64,
    pub wanted: i64,
}

impl Shortage {
    /// The units wanted beyond the stock.
    pub fn units_short(&self) -> i64 {
        self.wanted.saturating_sub(self.in_stock)
    }
}

impl fmt::Display for Shortage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} in stock, {} wanted",
            self.name, self.in_stock, self.wanted
        )
    }
}

/// Reads a count as typed: digits, maybe a sign, spaces around.
pub fn parse_whole_number(text: &str) -> Result<i64, Error> {
    let trimmed = text.trim();
    trimmed
        .parse()
        .map_err(|_| Error::NotAWholeNumber(trimmed.to_string()))
}

struct Shortages<'a>(&'a [Shortage]);

impl fmt::Display for Shortages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, shortage) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{shortage}")?;
        }
        Ok(())
    }
}

struct StockChanged<'a>(&'a [Shortage]);

impl fmt::Display for StockChanged<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the stock changed meanwhile (another counter sold or restocked): ")?;
        match self.0 {
            [] => f.write_str("every item is in stock now"),
            short => write!(f, "not enough stock: {}", Shortages(short)),
        }
    }
}

fn allowed_next(from: Status) -> String {
    let next: Vec<&str> = from.next_allowed().iter().map(|s| s.as_str()).collect();
    match next.as_slice() {
        [] => format!("a {from} order is final"),
        [only] => format!("a {from} order can only move to {only}"),
        [first, second] => format!("a {from} order can only move to {first} or {second}"),
        more => format!("a {from} order can only move to {}", more.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::Status;

    #[test]
    fn each_refusal_has_its_class() {
        let shortage = Shortage {
            product_id: 1,
            name: "Blue mug".to_string(),
            in_stock: 1,
            wanted: 2,
        };
        for (error, class) in [
            (Error::AmountNegative, ErrorClass::Invalid),
            (Error::ContactMissing, ErrorClass::Invalid),
            (Error::OrderEmpty, ErrorClass::Invalid),
            (Error::CustomerNotFound(3), ErrorClass::NotFound),
            (Error::OrderNotFound(3), ErrorClass::NotFound),
            (Error::ParkedSaleNotFound(3), ErrorClass::NotFound),
            (
                Error::OutOfStock(vec![shortage.clone()]),
                ErrorClass::Conflict,
            ),
            (
                Error::StockChangedMeanwhile(vec![shortage]),
                ErrorClass::Conflict,
            ),
            (
                Error::TransitionNotAllowed {
                    order: 1,
                    from: Status::Shipped,
                    to: Status::Pending,
                },
                ErrorClass::Conflict,
            ),
            (
                Error::EmailTaken {
                    email: "ann@example.com".to_string(),
                    customer: 1,
                },
                ErrorClass::Conflict,
            ),
            (
                Error::PhoneTaken {
                    phone: "555-0102".to_string(),
                    customer: 1,
                    name: "Ann Lee".to_string(),
                },
                ErrorClass::Conflict,
            ),
            (Error::WalkInNotEditable, ErrorClass::Conflict),
            (
                Error::SaleIdInvalid {
                    sale_id: "a b".to_string(),
                    reason: "contains “ ”".to_string(),
                },
                ErrorClass::Invalid,
            ),
            (
                Error::SaleIdUsed {
                    sale_id: "till-2.1041".to_string(),
                    order_id: 7,
                },
                ErrorClass::Conflict,
            ),
        ] {
            assert_eq!(error.class(), class, "{error}");
        }
    }
}
