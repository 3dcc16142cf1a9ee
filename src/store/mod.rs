//! The storage seam: the shop's operations as one interface, [`Shop`],
//! speaking domain types, and its backends, each in a folder of its own
//! (`sqlite/`: the only code that knows SQL). The edges (the command line,
//! the terminal app, the demo loader, the coming web server) hold a
//! `Box<dyn Shop>` chosen when the `--db` value is read, and never a
//! backend's type, connection or error.
//!
//! The shop's rules are decided once, in the domain, before or inside a
//! backend's transaction: a backend reads, asks the domain's rule, and
//! writes. A new backend implements [`Shop`] (and [`DemoLoader`]), maps
//! its own errors to [`Error`] in one place, and joins the contract suite
//! (its module in `contract_suite!`, `tests/common/contract.rs`), whose
//! tests every backend passes alike.

mod check;
pub mod copy;
#[cfg(debug_assertions)]
mod crash_test;
mod delegate;
mod demo;
mod error;
mod history;
pub mod mysql;
mod parked;
mod sale;
mod search;
pub mod sqlite;
pub mod tables;

use std::any::Any;

use chrono::{DateTime, Utc};

use crate::domain::Cents;
use crate::domain::customer::{Customer, CustomerChanges, NewCustomer, SharedPhone};
use crate::domain::order::{
    NewOrder, Order, OrderEvent, OrderFilter, ParkedSale, Payment, Quantity, SaleId, Status, Totals,
};
use crate::domain::product::{NewProduct, Product, ProductChanges, Restock, StockMove};
use crate::domain::settings::{Setting, Settings};

pub use check::{CheckReport, MAX_LISTED_PROBLEMS, Problem, ProblemKind};
pub use error::Error;
pub use sqlite::LATEST_VERSION;

pub type Result<T> = std::result::Result<T, Error>;

/// Rows of a list read upwards, from a row of it or from its very end
/// (what End shows, read without reading the rows above): in the list's
/// order, and whether they reach its start (no row is above them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsBefore<T> {
    pub rows: Vec<T>,
    pub at_start: bool,
}

/// A long read (a history of any length), a page at a time: an error is
/// yielded once and ends it. It borrows the shop it reads, never a
/// backend's connection type.
pub type OrderStream<'s> = Box<dyn Iterator<Item = Result<Order>> + 's>;

/// The shop's operations, whatever holds the data. Object-safe: the edges
/// hold a `Box<dyn Shop>` chosen at run time by the `--db` value (a file
/// today; a server's address next), so a backend is added by implementing
/// this, not by a match in every caller.
///
/// Every write is one transaction, whole or not at all; every refusal is
/// an [`Error`] with one class. A backend that meets damage stops writing
/// ([`Error::Damaged`] for every write after it).
pub trait Shop: Send {
    // ---- the database itself ---------------------------------------------

    /// The database as the user named it, for messages.
    fn name(&self) -> String;

    /// A second connection to the same shop, for work done beside this
    /// one (the app's searches as you type, on a thread of their own).
    fn open_another(&self) -> Result<Box<dyn Shop>>;

    /// Closes the connection; an error says what was left behind (nothing
    /// is lost).
    fn close(self: Box<Self>) -> Result<()>;

    /// The database's schema version ([`LATEST_VERSION`] once upgraded).
    fn schema_version(&self) -> Result<i64>;

    /// Whether the shop was opened for reading alone: every write says why
    /// not.
    fn is_read_only(&self) -> bool;

    /// Reads the whole database and reports every row that breaks a rule
    /// (see [`ProblemKind`]); damage that stops a part from reading is a
    /// problem, not an error.
    fn check(&self) -> Result<CheckReport>;

    // ---- settings ---------------------------------------------------------

    /// The settings in force: what was set, defaults for the rest.
    fn settings(&self) -> Result<Settings>;

    /// Changes a setting; `value` must be checked with
    /// [`Setting::parse_value`] first.
    fn set_setting(&mut self, setting: Setting, value: &str) -> Result<Settings>;

    /// The print command an upgrade removed from this database, if it has
    /// not been shown yet: forgotten as it is returned (by the first
    /// counter that can write), so that it is shown once.
    fn take_removed_receipt_command(&mut self) -> Result<Option<String>>;

    // ---- customers --------------------------------------------------------

    /// Registers a customer. Refuses an email another customer has,
    /// ignoring case and accents, and, unless `shared` allows it, a phone
    /// number another customer has ([`crate::domain::Error::PhoneTaken`]):
    /// both decided inside the write.
    fn add_customer(
        &mut self,
        new: &NewCustomer,
        shared: SharedPhone,
        now: DateTime<Utc>,
    ) -> Result<Customer>;

    /// The customer with this id, or `CustomerNotFound`.
    fn customer(&self, id: i64) -> Result<Customer>;

    /// Applies `changes` to customer `id`: never the built-in Walk-in; an
    /// email or a phone number must be left; a new email must be nobody
    /// else's; a new phone number another customer has needs `shared`.
    fn edit_customer(
        &mut self,
        id: i64,
        changes: &CustomerChanges,
        shared: SharedPhone,
    ) -> Result<Customer>;

    /// Customers whose name, email or phone digits contain `text`,
    /// ignoring case and accents; an exact email or phone first, then by
    /// name. Empty text lists everyone by name. The first page of `limit`.
    fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<Customer>>;

    /// The page of the same search that follows `after`.
    fn search_customers_after(
        &self,
        text: &str,
        after: &Customer,
        limit: usize,
    ) -> Result<Vec<Customer>>;

    /// The page of the same search that ends just before `before`, or at
    /// the very end of the list (`None`: End).
    fn search_customers_before(
        &self,
        text: &str,
        before: Option<&Customer>,
        limit: usize,
    ) -> Result<RowsBefore<Customer>>;

    /// The customers whose email, or phone number (by its digits), is
    /// exactly `text`: whom Enter takes at once at the counter.
    fn customers_by_contact(&self, text: &str) -> Result<Vec<Customer>>;

    // ---- products ---------------------------------------------------------

    /// Adds a product. Refuses a SKU in use, in any case, archived
    /// products included.
    fn add_product(&mut self, new: &NewProduct, now: DateTime<Utc>) -> Result<Product>;

    /// The product a clerk means by `product` as typed on the command line
    /// (`id:12`, `sku:12`, a SKU, or digits no SKU has as an id).
    fn product(&self, product: &str) -> Result<Product>;

    /// The product with exactly this SKU (any case), if any: what a scan
    /// finds (digits are never taken as an id).
    fn product_by_sku(&self, sku: &str) -> Result<Option<Product>>;

    /// The product with this id.
    fn product_by_id(&self, id: i64) -> Result<Product>;

    /// Changes a product's name, price or details; orders already placed
    /// keep what they were sold at.
    fn edit_product(
        &mut self,
        id: i64,
        changes: &ProductChanges,
        now: DateTime<Utc>,
    ) -> Result<Product>;

    /// Adds to or sets a product's stock, writing the change to its ledger.
    fn restock(&mut self, id: i64, restock: Restock, now: DateTime<Utc>) -> Result<Product>;

    /// Archives (`active = false`) or brings back a product.
    fn set_product_active(&mut self, id: i64, active: bool, now: DateTime<Utc>) -> Result<Product>;

    /// Products whose SKU or name contains `text`, ignoring case and
    /// accents; an exact SKU first, then by name; archived ones included.
    /// The first page of `limit`.
    fn search_products(&self, text: &str, limit: usize) -> Result<Vec<Product>>;

    /// The page of the same search that follows `after`.
    fn search_products_after(
        &self,
        text: &str,
        after: &Product,
        limit: usize,
    ) -> Result<Vec<Product>>;

    /// The page of the same search that ends just before `before`, or at
    /// the very end (`None`).
    fn search_products_before(
        &self,
        text: &str,
        before: Option<&Product>,
        limit: usize,
    ) -> Result<RowsBefore<Product>>;

    /// Every change of the product's stock, oldest first, each with the
    /// stock it left.
    fn stock_moves(&self, product_id: i64) -> Result<Vec<StockMove>>;

    // ---- orders -----------------------------------------------------------

    /// Places an order (`pending`) in one transaction, or refuses it whole
    /// (every short line named); two counters never sell the same last
    /// unit. With count corrections confirmed, see
    /// [`crate::domain::product::check_count_corrections`].
    ///
    /// Idempotent by the order's sale id: a sale sent again (its answer
    /// lost) gets the order first placed with the id back, as it stands
    /// and with nothing written, even when several connections send it at
    /// once; with other content it is refused naming that order (see
    /// [`crate::domain::order::check_retried_sale`]). The same holds for
    /// [`Shop::place_counter_sale`].
    fn place_order(&mut self, order: &NewOrder, now: DateTime<Utc>) -> Result<Order>;

    /// Places a counter sale, paid at once and born `delivered`; refuses
    /// it with `PricesChanged` when its total is not `expected_total`.
    fn place_counter_sale(
        &mut self,
        order: &NewOrder,
        payment: Payment,
        expected_total: Cents,
        now: DateTime<Utc>,
    ) -> Result<Order>;

    /// What `order` would cost now, by the rules of placing it (stock
    /// unchecked).
    fn price_order(&self, order: &NewOrder) -> Result<Totals>;

    /// Moves an order to `to` if its status allows; canceling puts its
    /// items back in stock, exactly once.
    fn set_order_status(
        &mut self,
        order_id: i64,
        to: Status,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Order>;

    /// The order with this number, with its items.
    fn order(&self, order_id: i64) -> Result<Order>;

    /// The order's status changes, oldest first.
    fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>>;

    /// One page of orders, newest first, after `after` (`None`: the first
    /// page); page 1,000 costs what page 1 does.
    fn orders_page(
        &self,
        filter: OrderFilter,
        after: Option<&Order>,
        limit: usize,
    ) -> Result<Vec<Order>>;

    /// The page just above `before` (newer), or the oldest orders (`None`:
    /// End), newest first as the list shows them.
    fn orders_page_before(
        &self,
        filter: OrderFilter,
        before: Option<&Order>,
        limit: usize,
    ) -> Result<RowsBefore<Order>>;

    /// Every order matching `filter`, newest first, a page in memory at a
    /// time.
    fn orders(&self, filter: OrderFilter) -> OrderStream<'_>;

    // ---- parked sales -----------------------------------------------------

    /// Stores a cart to finish later, with its sale id if checkout had
    /// made one (resuming gives it back, so the sale is placed once); it
    /// holds no stock.
    fn park_sale(
        &mut self,
        customer_id: i64,
        lines: &[(i64, Quantity)],
        sale_id: Option<&SaleId>,
        now: DateTime<Utc>,
    ) -> Result<i64>;

    /// The parked sales, oldest first, as their customers and products are
    /// now; one another tool broke is left out.
    fn parked_sales(&self) -> Result<Vec<ParkedSale>>;

    /// Takes a parked sale back out, in one transaction: two counters
    /// cannot both resume it.
    fn resume_parked_sale(&mut self, id: i64) -> Result<ParkedSale>;

    // ---- bulk loading -----------------------------------------------------

    /// Whether the shop holds no customers (but Walk-in), products or
    /// orders.
    fn is_empty(&self) -> Result<bool>;

    /// Starts a bulk load of rows already valid and priced by the domain
    /// (the demo shop): nothing is kept unless [`DemoLoader::finish`] is
    /// called.
    fn demo_loader(&mut self) -> Result<Box<dyn DemoLoader + '_>>;

    // ---- searching as you type --------------------------------------------

    /// Reads what is searched (every customer's and product's searched
    /// text) into memory, for [`Shop::search_from_copies`] on another
    /// connection to the same shop: the one search operation that reads
    /// whole tables, so the app does it on a connection and thread of its
    /// own while its first searches are answered from the database.
    fn read_search_copies(&self) -> Result<SearchCopies>;

    /// From now on this shop's searches look in `copies` (read by
    /// [`Shop::read_search_copies`] on any connection to the same shop),
    /// which it reads again whenever what is searched has changed since,
    /// on any connection: a search as you type then scans memory. Until
    /// then, and on a shop never given copies (a one-shot search), every
    /// search is answered from the database, reading no whole table; both
    /// ways find the same rows in the same order.
    fn search_from_copies(&mut self, copies: SearchCopies);

    // ---- copying ------------------------------------------------------------

    /// Reads every row of every table ([`tables::TABLES`], in their order,
    /// each in key order) in one consistent snapshot, handing each table's
    /// rows to `into` as they are read, for `shopdesk copy` and the backup
    /// of a server database: counters go on selling meanwhile.
    fn copy_rows(&self, into: &mut dyn copy::TableWriter) -> Result<()>;
}

/// What a backend keeps in memory to search as you type (see
/// [`Shop::read_search_copies`]): its own, opaque to the edges, which only
/// carry it from the connection that read it to the one that searches.
pub struct SearchCopies(Box<dyn Any + Send>);

impl SearchCopies {
    /// A backend's copies, to be carried.
    fn new(copies: impl Any + Send) -> SearchCopies {
        SearchCopies(Box::new(copies))
    }

    /// The copies as the backend that reads them as `T` left them: `None`
    /// if another backend read them (never, as a shop's connections are
    /// all of its backend).
    fn into_backends<T: Any>(self) -> Option<T> {
        self.0.downcast().ok().map(|copies| *copies)
    }
}

/// A bulk load in progress (see [`Shop::demo_loader`]): fast, and kept
/// whole or not at all.
pub trait DemoLoader {
    /// Inserts a customer registered at `at`; returns its id.
    fn add_customer(&mut self, customer: &NewCustomer, at: DateTime<Utc>) -> Result<i64>;

    /// Inserts a product added at `at`; returns its id.
    fn add_product(&mut self, product: &NewProduct, active: bool, at: DateTime<Utc>)
    -> Result<i64>;

    /// Inserts an order as it stands (its id is ignored) with its whole
    /// timeline; returns the new order's id.
    fn add_order(&mut self, order: &Order, events: &[OrderEvent]) -> Result<i64>;

    /// Writes what is left (the stock ledger, the indexes) and keeps it all.
    fn finish(self: Box<Self>) -> Result<()>;
}
