//! The storage interface as the MariaDB/MySQL backend answers it: each
//! operation is the backend's own (in the file of its table), and every
//! failure passes [`MysqlStore::after_failure`] on its way out, so that a
//! server gone away is named and connected to again on the next operation.

// A method here whose backend twin was renamed or removed would call
// itself through the trait: refused outright, not only warned about.
#![deny(unconditional_recursion)]

use chrono::{DateTime, Utc};

use super::{MysqlStore, Result};
use crate::domain::Cents;
use crate::domain::customer::{Customer, CustomerChanges, NewCustomer, SharedPhone};
use crate::domain::order::{
    NewOrder, Order, OrderEvent, OrderFilter, ParkedSale, Payment, Placing, Quantity, Status,
    Totals,
};
use crate::domain::product::{NewProduct, Product, ProductChanges, Restock, StockMove};
use crate::domain::settings::{Setting, Settings};
use crate::store::copy::TableWriter;
use crate::store::{CheckReport, DemoLoader, OrderStream, RowsBefore, SearchCopies, Shop};

/// An operation's result, its failure noted by the store it came from.
trait Noted {
    fn noted(self, store: &MysqlStore) -> Self;
}

impl<T> Noted for Result<T> {
    fn noted(self, store: &MysqlStore) -> Self {
        self.map_err(|error| store.after_failure(error))
    }
}

impl Shop for MysqlStore {
    fn name(&self) -> String {
        self.url.to_string()
    }

    fn open_another(&self) -> Result<Box<dyn Shop>> {
        let another = MysqlStore::open(&self.url, self.password.as_deref())?;
        Ok(Box::new(another.answering_within(self.answer_deadline)?))
    }

    fn close(self: Box<Self>) -> Result<()> {
        // Dropping the connection tells the server goodbye; nothing of a
        // committed sale waits on this machine.
        drop(self);
        Ok(())
    }

    fn schema_version(&self) -> Result<i64> {
        MysqlStore::schema_version(self).noted(self)
    }

    fn is_read_only(&self) -> bool {
        false
    }

    fn check(&self) -> Result<CheckReport> {
        MysqlStore::check(self).noted(self)
    }

    fn settings(&self) -> Result<Settings> {
        MysqlStore::settings(self).noted(self)
    }

    fn set_setting(&mut self, setting: Setting, value: &str) -> Result<Settings> {
        MysqlStore::set_setting(self, setting, value).noted(self)
    }

    fn take_removed_receipt_command(&mut self) -> Result<Option<String>> {
        MysqlStore::take_removed_receipt_command(self).noted(self)
    }

    fn add_customer(
        &mut self,
        new: &NewCustomer,
        shared: SharedPhone,
        now: DateTime<Utc>,
    ) -> Result<Customer> {
        MysqlStore::add_customer(self, new, shared, now).noted(self)
    }

    fn customer(&self, id: i64) -> Result<Customer> {
        MysqlStore::customer(self, id).noted(self)
    }

    fn edit_customer(
        &mut self,
        id: i64,
        changes: &CustomerChanges,
        shared: SharedPhone,
    ) -> Result<Customer> {
        MysqlStore::edit_customer(self, id, changes, shared).noted(self)
    }

    fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<Customer>> {
        MysqlStore::search_customers(self, text, limit).noted(self)
    }

    fn search_customers_after(
        &self,
        text: &str,
        after: &Customer,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        MysqlStore::search_customers_after(self, text, after, limit).noted(self)
    }

    fn search_customers_before(
        &self,
        text: &str,
        before: Option<&Customer>,
        limit: usize,
    ) -> Result<RowsBefore<Customer>> {
        MysqlStore::search_customers_before(self, text, before, limit).noted(self)
    }

    fn customers_by_contact(&self, text: &str) -> Result<Vec<Customer>> {
        MysqlStore::customers_by_contact(self, text).noted(self)
    }

    fn add_product(&mut self, new: &NewProduct, now: DateTime<Utc>) -> Result<Product> {
        MysqlStore::add_product(self, new, now).noted(self)
    }

    fn product(&self, product: &str) -> Result<Product> {
        MysqlStore::product(self, product).noted(self)
    }

    fn product_by_sku(&self, sku: &str) -> Result<Option<Product>> {
        MysqlStore::product_by_sku(self, sku).noted(self)
    }

    fn product_by_id(&self, id: i64) -> Result<Product> {
        MysqlStore::product_by_id(self, id).noted(self)
    }

    fn edit_product(
        &mut self,
        id: i64,
        changes: &ProductChanges,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        MysqlStore::edit_product(self, id, changes, now).noted(self)
    }

    fn restock(&mut self, id: i64, restock: Restock, now: DateTime<Utc>) -> Result<Product> {
        MysqlStore::restock(self, id, restock, now).noted(self)
    }

    fn set_product_active(&mut self, id: i64, active: bool, now: DateTime<Utc>) -> Result<Product> {
        MysqlStore::set_product_active(self, id, active, now).noted(self)
    }

    fn search_products(&self, text: &str, limit: usize) -> Result<Vec<Product>> {
        MysqlStore::search_products(self, text, limit).noted(self)
    }

    fn search_products_after(
        &self,
        text: &str,
        after: &Product,
        limit: usize,
    ) -> Result<Vec<Product>> {
        MysqlStore::search_products_after(self, text, after, limit).noted(self)
    }

    fn search_products_before(
        &self,
        text: &str,
        before: Option<&Product>,
        limit: usize,
    ) -> Result<RowsBefore<Product>> {
        MysqlStore::search_products_before(self, text, before, limit).noted(self)
    }

    fn stock_moves(&self, product_id: i64) -> Result<Vec<StockMove>> {
        MysqlStore::stock_moves(self, product_id).noted(self)
    }

    fn place_order(&mut self, order: &NewOrder, now: DateTime<Utc>) -> Result<Order> {
        MysqlStore::place(self, order, Placing::ToShip, now).noted(self)
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
        MysqlStore::place(self, order, placing, now).noted(self)
    }

    fn price_order(&self, order: &NewOrder) -> Result<Totals> {
        MysqlStore::price_order(self, order).noted(self)
    }

    fn set_order_status(
        &mut self,
        order_id: i64,
        to: Status,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        MysqlStore::set_order_status(self, order_id, to, note, now).noted(self)
    }

    fn order(&self, order_id: i64) -> Result<Order> {
        MysqlStore::order(self, order_id).noted(self)
    }

    fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>> {
        MysqlStore::order_events(self, order_id).noted(self)
    }

    fn orders_page(
        &self,
        filter: OrderFilter,
        after: Option<&Order>,
        limit: usize,
    ) -> Result<Vec<Order>> {
        MysqlStore::orders_page(self, filter, after, limit).noted(self)
    }

    fn orders_page_before(
        &self,
        filter: OrderFilter,
        before: Option<&Order>,
        limit: usize,
    ) -> Result<RowsBefore<Order>> {
        MysqlStore::orders_page_before(self, filter, before, limit).noted(self)
    }

    fn orders(&self, filter: OrderFilter) -> OrderStream<'_> {
        Box::new(MysqlStore::orders(self, filter).map(|order| order.noted(self)))
    }

    fn park_sale(
        &mut self,
        customer_id: i64,
        lines: &[(i64, Quantity)],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        MysqlStore::park_sale(self, customer_id, lines, now).noted(self)
    }

    fn parked_sales(&self) -> Result<Vec<ParkedSale>> {
        MysqlStore::parked_sales(self).noted(self)
    }

    fn resume_parked_sale(&mut self, id: i64) -> Result<ParkedSale> {
        MysqlStore::resume_parked_sale(self, id).noted(self)
    }

    fn is_empty(&self) -> Result<bool> {
        MysqlStore::is_empty(self).noted(self)
    }

    fn demo_loader(&mut self) -> Result<Box<dyn DemoLoader + '_>> {
        match MysqlStore::demo_loader(self) {
            Ok(loader) => Ok(Box::new(loader)),
            Err(error) => Err(self.after_failure(error)),
        }
    }

    fn read_search_copies(&self) -> Result<SearchCopies> {
        MysqlStore::read_search_copies(self)
            .map(SearchCopies::new)
            .noted(self)
    }

    fn search_from_copies(&mut self, copies: SearchCopies) {
        // Copies only this backend reads: any others would be ignored, and
        // searches answered from the database.
        if let Some(copies) = copies.into_backends() {
            MysqlStore::search_from_copies(self, copies);
        }
    }

    fn copy_rows(&self, into: &mut dyn TableWriter) -> Result<()> {
        MysqlStore::copy_rows(self, into).noted(self)
    }
}
