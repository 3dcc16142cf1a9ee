//! The storage interface as the SQLite backend answers it: each operation
//! is the backend's own (in the file of its table), and every failure
//! passes [`SqliteStore::stop_writing_after`] on its way out, so that
//! damage met anywhere stops all writing.

// A method here whose backend twin was renamed or removed would call
// itself through the trait: refused outright, not only warned about.
#![deny(unconditional_recursion)]

use chrono::{DateTime, Utc};

use super::{Result, RowsBefore, SqliteStore, Writes};
use crate::domain::Cents;
use crate::domain::customer::{Customer, CustomerChanges, NewCustomer, SharedPhone};
use crate::domain::order::{
    NewOrder, Order, OrderEvent, OrderFilter, ParkedSale, Payment, Placing, Quantity, Status,
    Totals,
};
use crate::domain::product::{NewProduct, Product, ProductChanges, Restock, StockMove};
use crate::domain::settings::{Setting, Settings};
use crate::store::copy::TableWriter;
use crate::store::{CheckReport, DemoLoader, OrderStream, SearchCopies, Shop};

/// An operation's result, its failure noted by the store it came from.
trait Noted {
    fn noted(self, store: &SqliteStore) -> Self;
}

impl<T> Noted for Result<T> {
    fn noted(self, store: &SqliteStore) -> Self {
        self.map_err(|error| store.stop_writing_after(error))
    }
}

impl Shop for SqliteStore {
    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn open_another(&self) -> Result<Box<dyn Shop>> {
        Ok(Box::new(SqliteStore::open(&self.path)?))
    }

    fn close(self: Box<Self>) -> Result<()> {
        SqliteStore::close(*self)
    }

    fn schema_version(&self) -> Result<i64> {
        let version = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0));
        Ok(version?)
    }

    fn is_read_only(&self) -> bool {
        self.writes.get() == Writes::ReadOnly
    }

    fn check(&self) -> Result<CheckReport> {
        SqliteStore::check(self).noted(self)
    }

    fn settings(&self) -> Result<Settings> {
        SqliteStore::settings(self).noted(self)
    }

    fn set_setting(&mut self, setting: Setting, value: &str) -> Result<Settings> {
        SqliteStore::set_setting(self, setting, value).noted(self)
    }

    fn take_removed_receipt_command(&mut self) -> Result<Option<String>> {
        SqliteStore::take_removed_receipt_command(self).noted(self)
    }

    fn add_customer(
        &mut self,
        new: &NewCustomer,
        shared: SharedPhone,
        now: DateTime<Utc>,
    ) -> Result<Customer> {
        SqliteStore::add_customer(self, new, shared, now).noted(self)
    }

    fn customer(&self, id: i64) -> Result<Customer> {
        SqliteStore::customer(self, id).noted(self)
    }

    fn edit_customer(
        &mut self,
        id: i64,
        changes: &CustomerChanges,
        shared: SharedPhone,
    ) -> Result<Customer> {
        SqliteStore::edit_customer(self, id, changes, shared).noted(self)
    }

    fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<Customer>> {
        SqliteStore::search_customers(self, text, limit).noted(self)
    }

    fn search_customers_after(
        &self,
        text: &str,
        after: &Customer,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        SqliteStore::search_customers_after(self, text, after, limit).noted(self)
    }

    fn search_customers_before(
        &self,
        text: &str,
        before: Option<&Customer>,
        limit: usize,
    ) -> Result<RowsBefore<Customer>> {
        SqliteStore::search_customers_before(self, text, before, limit).noted(self)
    }

    fn customers_by_contact(&self, text: &str) -> Result<Vec<Customer>> {
        SqliteStore::customers_by_contact(self, text).noted(self)
    }

    fn add_product(&mut self, new: &NewProduct, now: DateTime<Utc>) -> Result<Product> {
        SqliteStore::add_product(self, new, now).noted(self)
    }

    fn product(&self, product: &str) -> Result<Product> {
        SqliteStore::product(self, product).noted(self)
    }

    fn product_by_sku(&self, sku: &str) -> Result<Option<Product>> {
        SqliteStore::product_by_sku(self, sku).noted(self)
    }

    fn product_by_id(&self, id: i64) -> Result<Product> {
        SqliteStore::product_by_id(self, id).noted(self)
    }

    fn edit_product(
        &mut self,
        id: i64,
        changes: &ProductChanges,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        SqliteStore::edit_product(self, id, changes, now).noted(self)
    }

    fn restock(&mut self, id: i64, restock: Restock, now: DateTime<Utc>) -> Result<Product> {
        SqliteStore::restock(self, id, restock, now).noted(self)
    }

    fn set_product_active(&mut self, id: i64, active: bool, now: DateTime<Utc>) -> Result<Product> {
        SqliteStore::set_product_active(self, id, active, now).noted(self)
    }

    fn search_products(&self, text: &str, limit: usize) -> Result<Vec<Product>> {
        SqliteStore::search_products(self, text, limit).noted(self)
    }

    fn search_products_after(
        &self,
        text: &str,
        after: &Product,
        limit: usize,
    ) -> Result<Vec<Product>> {
        SqliteStore::search_products_after(self, text, after, limit).noted(self)
    }

    fn search_products_before(
        &self,
        text: &str,
        before: Option<&Product>,
        limit: usize,
    ) -> Result<RowsBefore<Product>> {
        SqliteStore::search_products_before(self, text, before, limit).noted(self)
    }

    fn stock_moves(&self, product_id: i64) -> Result<Vec<StockMove>> {
        SqliteStore::stock_moves(self, product_id).noted(self)
    }

    fn place_order(&mut self, order: &NewOrder, now: DateTime<Utc>) -> Result<Order> {
        SqliteStore::place(self, order, Placing::ToShip, now).noted(self)
    }

    fn place_counter_sale(
        &mut self,
        order: &NewOrder,
        payment: Payment,
        expected_total: Cents,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        let placing = Placing::AtTheCounter {
            payment,
            expected_total,
        };
        SqliteStore::place(self, order, placing, now).noted(self)
    }

    fn price_order(&self, order: &NewOrder) -> Result<Totals> {
        SqliteStore::price_order(self, order).noted(self)
    }

    fn set_order_status(
        &mut self,
        order_id: i64,
        to: Status,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        SqliteStore::set_order_status(self, order_id, to, note, now).noted(self)
    }

    fn order(&self, order_id: i64) -> Result<Order> {
        SqliteStore::order(self, order_id).noted(self)
    }

    fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>> {
        SqliteStore::order_events(self, order_id).noted(self)
    }

    fn orders_page(
        &self,
        filter: OrderFilter,
        after: Option<&Order>,
        limit: usize,
    ) -> Result<Vec<Order>> {
        SqliteStore::orders_page(self, filter, after, limit).noted(self)
    }

    fn orders_page_before(
        &self,
        filter: OrderFilter,
        before: Option<&Order>,
        limit: usize,
    ) -> Result<RowsBefore<Order>> {
        SqliteStore::orders_page_before(self, filter, before, limit).noted(self)
    }

    fn orders(&self, filter: OrderFilter) -> OrderStream<'_> {
        Box::new(SqliteStore::orders(self, filter).map(|order| order.noted(self)))
    }

    fn park_sale(
        &mut self,
        customer_id: i64,
        lines: &[(i64, Quantity)],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        SqliteStore::park_sale(self, customer_id, lines, now).noted(self)
    }

    fn parked_sales(&self) -> Result<Vec<ParkedSale>> {
        SqliteStore::parked_sales(self).noted(self)
    }

    fn resume_parked_sale(&mut self, id: i64) -> Result<ParkedSale> {
        SqliteStore::resume_parked_sale(self, id).noted(self)
    }

    fn is_empty(&self) -> Result<bool> {
        SqliteStore::is_empty(self).noted(self)
    }

    fn demo_loader(&mut self) -> Result<Box<dyn DemoLoader + '_>> {
        match SqliteStore::demo_loader(self) {
            Ok(loader) => Ok(Box::new(loader)),
            Err(error) => Err(self.stop_writing_after(error)),
        }
    }

    fn read_search_copies(&self) -> Result<SearchCopies> {
        SqliteStore::read_search_copies(self)
            .map(SearchCopies::new)
            .noted(self)
    }

    fn search_from_copies(&mut self, copies: SearchCopies) {
        // Copies only this backend reads: any others would be ignored, and
        // searches answered from the database.
        if let Some(copies) = copies.into_backends() {
            SqliteStore::search_from_copies(self, copies);
        }
    }

    fn copy_rows(&self, into: &mut dyn TableWriter) -> Result<()> {
        SqliteStore::copy_rows(self, into).noted(self)
    }
}
