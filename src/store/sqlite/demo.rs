//! Bulk loading for `shopdesk demo`: the same tables, written fast.
//!
//! The rows come from the caller already valid and priced by the domain;
//! this only inserts them in one transaction with prepared statements.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::bulk::{SEARCH_TABLES, SetAside};
use super::orders::{insert_event, insert_items};
use super::search::count_change;
use super::time::DbTime;
use super::{DEFAULT_CACHE_SIZE, Result, SqliteStore};
use crate::domain::customer::{Email, NewCustomer, Phone};
use crate::domain::order::{Order, OrderEvent};
use crate::domain::product::NewProduct;
use crate::store::DemoLoader;
use crate::store::demo::DemoLedger;
use crate::store::search::{customer_search_key, product_search_key};

/// Writes demo data in one transaction; nothing is kept unless
/// [`DemoLoader::finish`] is called.
pub(super) struct Loader<'s> {
    conn: &'s Connection,
    /// The triggers and indexes set aside during the load, made again at
    /// its end (see [`SqliteStore::demo_loader`]); `None` once they are.
    set_aside: Option<SetAside>,
    /// The stock ledger, written at the end of the load.
    ledger: DemoLedger,
    finished: bool,
}

const BULK_CACHE_KIB: i64 = 256 * 1024;

impl SqliteStore {
    /// Whether the database holds no customers, products or orders.
    pub(super) fn is_empty(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM customers WHERE id <> 0)
                AND NOT EXISTS (SELECT 1 FROM products)
                AND NOT EXISTS (SELECT 1 FROM orders)",
            [],
            |row| row.get(0),
        )?)
    }

    /// Starts a bulk load. Demo data can be made again at will, so the load
    /// trades durability for speed until it finishes. The search triggers
    /// and the orders' indexes are set aside for the load (see `bulk.rs`).
    pub(super) fn demo_loader(&self) -> Result<Loader<'_>> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // The journal mode stays WAL: leaving it needs every other
        // connection gone, and SQLite would refuse at once, without waiting,
        // while any counter merely has the shop open.
        // Every row the loader writes refers to ids it was just given by the
        // same transaction, and comes through the domain's types and
        // pricing: checking each reference and CHECK again only costs time
        // (a test runs integrity_check, which checks them, on demo data).
        self.conn.pragma_update(None, "foreign_keys", false)?;
        self.conn
            .pragma_update(None, "ignore_check_constraints", true)?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut loader = Loader {
            conn: &self.conn,
            set_aside: None,
            ledger: DemoLedger::default(),
            finished: false,
        };
        loader.set_aside = Some(SetAside::for_bulk_load(&self.conn)?);
        Ok(loader)
    }
}

impl DemoLoader for Loader<'_> {
    fn add_customer(&mut self, customer: &NewCustomer, at: DateTime<Utc>) -> Result<i64> {
        let (email, phone) = (customer.contact.email(), customer.contact.phone());
        self.conn
            .prepare_cached(
                "INSERT INTO customers (name, email, email_key, phone, phone_digits, created_at, search_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                customer.name.as_str(),
                email.map(Email::as_str),
                email.map(Email::key),
                phone.map(Phone::as_str),
                phone.map(Phone::digits).unwrap_or_default(),
                DbTime(at),
                customer_search_key(customer.name.as_str(), email.map(Email::as_str)),
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    fn add_product(
        &mut self,
        product: &NewProduct,
        active: bool,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO products (sku, name, price_cents, stock, details, active, created_at, updated_at, search_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            )?
            .execute(params![
                product.sku.as_str(),
                product.name.as_str(),
                product.price.get(),
                product.stock.get(),
                product.details,
                active,
                DbTime(at),
                product_search_key(product.name.as_str(), product.sku.as_str()),
            ])?;
        let product_id = self.conn.last_insert_rowid();
        self.ledger.add_product(product_id, product.stock.get(), at);
        Ok(product_id)
    }

    fn add_order(&mut self, order: &Order, events: &[OrderEvent]) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO orders (customer_id, status, created_at, subtotal_cents, discount_cents, total_cents, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                order.customer_id,
                order.status.as_str(),
                DbTime(order.created_at),
                order.totals.subtotal.get(),
                order.totals.discount.get(),
                order.totals.total.get(),
                order.note,
            ])?;
        let order_id = self.conn.last_insert_rowid();
        insert_items(self.conn, order_id, &order.items)?;
        for (seq, event) in (1..).zip(events) {
            insert_event(self.conn, order_id, seq, event)?;
        }
        self.ledger.add_order(order_id, order, events);
        Ok(order_id)
    }

    /// Writes the stock ledger, builds the search indexes, puts the
    /// triggers and indexes back, counts the load as one change to what is
    /// searched, refreshes the query planner's statistics and commits.
    fn finish(mut self: Box<Self>) -> Result<()> {
        self.write_ledger()?;
        for table in SEARCH_TABLES {
            count_change(self.conn, table)?;
        }
        if let Some(set_aside) = self.set_aside.take() {
            set_aside.make_again(self.conn)?;
        }
        self.conn.execute_batch("COMMIT")?;
        self.finished = true;
        Ok(())
    }
}

impl Loader<'_> {
    /// Writes each product's ledger (see [`DemoLedger::into_products`]),
    /// correcting the stock of a product that had to be added with more.
    fn write_ledger(&mut self) -> Result<()> {
        let mut insert = self.conn.prepare(
            "INSERT INTO stock_moves (product_id, seq, delta, reason, order_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for product in std::mem::take(&mut self.ledger).into_products() {
            let product = product?;
            if product.stock.get() != product.planned {
                self.conn
                    .prepare_cached("UPDATE products SET stock = ?1 WHERE id = ?2")?
                    .execute(params![product.stock.get(), product.product_id])?;
            }
            for m in product.moves {
                insert.execute(params![
                    product.product_id,
                    m.seq,
                    m.delta,
                    m.reason.as_str(),
                    m.order_id,
                    DbTime(m.at)
                ])?;
            }
        }
        Ok(())
    }
}

impl Drop for Loader<'_> {
    /// Rolls back an unfinished load and restores the connection's settings.
    fn drop(&mut self) {
        // Errors here can only repeat one already returned to the caller.
        if !self.finished {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let _ = self.conn.pragma_update(None, "synchronous", "FULL");
        let _ = self
            .conn
            .pragma_update(None, "cache_size", DEFAULT_CACHE_SIZE);
        let _ = self.conn.pragma_update(None, "temp_store", "DEFAULT");
        let _ = self.conn.pragma_update(None, "foreign_keys", true);
        let _ = self
            .conn
            .pragma_update(None, "ignore_check_constraints", false);
    }
}
