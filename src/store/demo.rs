//! Bulk loading for `shopdesk demo`: the same tables, written fast.
//!
//! The rows come from the caller already valid and priced by the domain;
//! this only inserts them in one transaction with prepared statements.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::orders::{insert_event, insert_items};
use super::time::DbTime;
use super::{Result, Store};
use crate::domain::customer::NewCustomer;
use crate::domain::order::{Order, OrderEvent};
use crate::domain::product::NewProduct;

/// Writes demo data in one transaction; nothing is kept unless
/// [`DemoLoader::finish`] is called.
pub struct DemoLoader<'s> {
    conn: &'s Connection,
    finished: bool,
}

/// Rows sampled per index by the final ANALYZE: enough for the planner,
/// seconds instead of minutes at a million orders.
const ANALYSIS_LIMIT: i64 = 1000;
const BULK_CACHE_KIB: i64 = 256 * 1024;
/// SQLite's own default: a negative cache size is KiB, this is -2000.
const DEFAULT_CACHE_KIB: i64 = -2000;

impl Store {
    /// Whether the database holds no customers, products or orders.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM customers)
                AND NOT EXISTS (SELECT 1 FROM products)
                AND NOT EXISTS (SELECT 1 FROM orders)",
            [],
            |row| row.get(0),
        )?)
    }

    /// Starts a bulk load. Demo data can be made again at will, so the load
    /// trades durability for speed until it finishes.
    pub fn demo_loader(&mut self) -> Result<DemoLoader<'_>> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(DemoLoader {
            conn: &self.conn,
            finished: false,
        })
    }
}

impl DemoLoader<'_> {
    pub fn add_customer(&mut self, customer: &NewCustomer, at: DateTime<Utc>) -> Result<i64> {
        let phone = customer.phone.as_ref();
        self.conn
            .prepare_cached(
                "INSERT INTO customers (name, email, phone, phone_digits, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                customer.name.as_str(),
                customer.email.as_str(),
                phone.map(|p| p.as_str()),
                phone.map(|p| p.digits()).unwrap_or_default(),
                DbTime(at),
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn add_product(
        &mut self,
        product: &NewProduct,
        active: bool,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO products (sku, name, price_cents, stock, details, active, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?
            .execute(params![
                product.sku.as_str(),
                product.name.as_str(),
                product.price.get(),
                product.stock.get(),
                product.details,
                active,
                DbTime(at),
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Inserts an order as it stands (its id is ignored) with its whole
    /// timeline; returns the new order's id.
    pub fn add_order(&mut self, order: &Order, events: &[OrderEvent]) -> Result<i64> {
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
        Ok(order_id)
    }

    /// Commits everything, restores durable writes and refreshes the query
    /// planner's statistics for the new data.
    pub fn finish(mut self) -> Result<()> {
        self.conn
            .pragma_update(None, "analysis_limit", ANALYSIS_LIMIT)?;
        self.conn.execute_batch("ANALYZE; COMMIT")?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for DemoLoader<'_> {
    fn drop(&mut self) {
        // Errors here can only repeat one already returned to the caller.
        if !self.finished {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        let _ = self.conn.pragma_update(None, "synchronous", "FULL");
        let _ = self
            .conn
            .pragma_update(None, "cache_size", DEFAULT_CACHE_KIB);
    }
}
