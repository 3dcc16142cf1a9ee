//! The storage interface's operations that every backend answers the same
//! way: each by the backend's own method of the same name, its failure
//! noted by the backend on the way out (`Noted`, in each backend's
//! `shop.rs`). What differs by backend (naming the database, opening
//! another connection, closing, the demo loader) stays in its `shop.rs`.

/// Writes, inside a backend's `impl Shop`, every operation answered by
/// the backend's inherent method of the same name with its failure noted:
/// `$backend` is the backend's type. Where it is used, [`names`] must be
/// in scope (`use crate::store::delegate::names::*`), and a `Noted` trait
/// giving `.noted(self)`.
macro_rules! operations_answered_by_backend {
    ($backend:ident) => {
        fn check(&self) -> Result<CheckReport> {
            $backend::check(self).noted(self)
        }

        fn settings(&self) -> Result<Settings> {
            $backend::settings(self).noted(self)
        }

        fn set_setting(&mut self, setting: Setting, value: &str) -> Result<Settings> {
            $backend::set_setting(self, setting, value).noted(self)
        }

        fn take_removed_receipt_command(&mut self) -> Result<Option<String>> {
            $backend::take_removed_receipt_command(self).noted(self)
        }

        fn add_customer(
            &mut self,
            new: &NewCustomer,
            shared: SharedPhone,
            now: DateTime<Utc>,
        ) -> Result<Customer> {
            $backend::add_customer(self, new, shared, now).noted(self)
        }

        fn customer(&self, id: i64) -> Result<Customer> {
            $backend::customer(self, id).noted(self)
        }

        fn edit_customer(
            &mut self,
            id: i64,
            changes: &CustomerChanges,
            shared: SharedPhone,
        ) -> Result<Customer> {
            $backend::edit_customer(self, id, changes, shared).noted(self)
        }

        fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<Customer>> {
            $backend::search_customers(self, text, limit).noted(self)
        }

        fn search_customers_after(
            &self,
            text: &str,
            after: &Customer,
            limit: usize,
        ) -> Result<Vec<Customer>> {
            $backend::search_customers_after(self, text, after, limit).noted(self)
        }

        fn search_customers_before(
            &self,
            text: &str,
            before: Option<&Customer>,
            limit: usize,
        ) -> Result<RowsBefore<Customer>> {
            $backend::search_customers_before(self, text, before, limit).noted(self)
        }

        fn customers_by_contact(&self, text: &str) -> Result<Vec<Customer>> {
            $backend::customers_by_contact(self, text).noted(self)
        }

        fn add_product(&mut self, new: &NewProduct, now: DateTime<Utc>) -> Result<Product> {
            $backend::add_product(self, new, now).noted(self)
        }

        fn product(&self, product: &str) -> Result<Product> {
            $backend::product(self, product).noted(self)
        }

        fn product_by_sku(&self, sku: &str) -> Result<Option<Product>> {
            $backend::product_by_sku(self, sku).noted(self)
        }

        fn product_by_id(&self, id: i64) -> Result<Product> {
            $backend::product_by_id(self, id).noted(self)
        }

        fn edit_product(
            &mut self,
            id: i64,
            changes: &ProductChanges,
            now: DateTime<Utc>,
        ) -> Result<Product> {
            $backend::edit_product(self, id, changes, now).noted(self)
        }

        fn restock(&mut self, id: i64, restock: Restock, now: DateTime<Utc>) -> Result<Product> {
            $backend::restock(self, id, restock, now).noted(self)
        }

        fn set_product_active(
            &mut self,
            id: i64,
            active: bool,
            now: DateTime<Utc>,
        ) -> Result<Product> {
            $backend::set_product_active(self, id, active, now).noted(self)
        }

        fn search_products(&self, text: &str, limit: usize) -> Result<Vec<Product>> {
            $backend::search_products(self, text, limit).noted(self)
        }

        fn search_products_after(
            &self,
            text: &str,
            after: &Product,
            limit: usize,
        ) -> Result<Vec<Product>> {
            $backend::search_products_after(self, text, after, limit).noted(self)
        }

        fn search_products_before(
            &self,
            text: &str,
            before: Option<&Product>,
            limit: usize,
        ) -> Result<RowsBefore<Product>> {
            $backend::search_products_before(self, text, before, limit).noted(self)
        }

        fn stock_moves(&self, product_id: i64) -> Result<Vec<StockMove>> {
            $backend::stock_moves(self, product_id).noted(self)
        }

        fn place_order(&mut self, order: &NewOrder, now: DateTime<Utc>) -> Result<Order> {
            $backend::place(self, order, Placing::ToShip, now).noted(self)
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
            $backend::place(self, order, placing, now).noted(self)
        }

        fn price_order(&self, order: &NewOrder) -> Result<Totals> {
            $backend::price_order(self, order).noted(self)
        }

        fn set_order_status(
            &mut self,
            order_id: i64,
            to: Status,
            note: &str,
            now: DateTime<Utc>,
        ) -> Result<Order> {
            $backend::set_order_status(self, order_id, to, note, now).noted(self)
        }

        fn order(&self, order_id: i64) -> Result<Order> {
            $backend::order(self, order_id).noted(self)
        }

        fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>> {
            $backend::order_events(self, order_id).noted(self)
        }

        fn orders_page(
            &self,
            filter: OrderFilter,
            after: Option<&Order>,
            limit: usize,
        ) -> Result<Vec<Order>> {
            $backend::orders_page(self, filter, after, limit).noted(self)
        }

        fn orders_page_before(
            &self,
            filter: OrderFilter,
            before: Option<&Order>,
            limit: usize,
        ) -> Result<RowsBefore<Order>> {
            $backend::orders_page_before(self, filter, before, limit).noted(self)
        }

        fn orders(&self, filter: OrderFilter) -> OrderStream<'_> {
            Box::new($backend::orders(self, filter).map(|order| order.noted(self)))
        }

        fn park_sale(
            &mut self,
            customer_id: i64,
            lines: &[(i64, Quantity)],
            sale_id: Option<&SaleId>,
            now: DateTime<Utc>,
        ) -> Result<i64> {
            $backend::park_sale(self, customer_id, lines, sale_id, now).noted(self)
        }

        fn parked_sales(&self) -> Result<Vec<ParkedSale>> {
            $backend::parked_sales(self).noted(self)
        }

        fn resume_parked_sale(&mut self, id: i64) -> Result<ParkedSale> {
            $backend::resume_parked_sale(self, id).noted(self)
        }

        fn is_empty(&self) -> Result<bool> {
            $backend::is_empty(self).noted(self)
        }

        fn read_search_copies(&self) -> Result<SearchCopies> {
            $backend::read_search_copies(self)
                .map(SearchCopies::new)
                .noted(self)
        }

        fn search_from_copies(&mut self, copies: SearchCopies) {
            // Copies only this backend reads: any others would be ignored, and
            // searches answered from the database.
            if let Some(copies) = copies.into_backends() {
                $backend::search_from_copies(self, copies);
            }
        }

        fn copy_rows(&self, into: &mut dyn TableWriter) -> Result<()> {
            $backend::copy_rows(self, into).noted(self)
        }
    };
}

pub(super) use operations_answered_by_backend;

/// The names the operations' signatures use.
pub(super) mod names {
    pub use chrono::{DateTime, Utc};

    pub use crate::domain::Cents;
    pub use crate::domain::customer::{Customer, CustomerChanges, NewCustomer, SharedPhone};
    pub use crate::domain::order::{
        NewOrder, Order, OrderEvent, OrderFilter, ParkedSale, Payment, Placing, Quantity, SaleId,
        Status, Totals,
    };
    pub use crate::domain::product::{NewProduct, Product, ProductChanges, Restock, StockMove};
    pub use crate::domain::settings::{Setting, Settings};
    pub use crate::store::copy::TableWriter;
    pub use crate::store::{CheckReport, OrderStream, Result, RowsBefore, SearchCopies};
}
