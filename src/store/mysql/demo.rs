//! Loading a demo shop into a server database, fast and whole or not at
//! all.
//!
//! The load is one transaction on a connection of its own, run with
//! `unique_checks` and `foreign_key_checks` off: every row comes through
//! the domain's types and pricing and refers to ids the load itself gave,
//! and `check` proves the result (a test runs it on demo data). With both
//! off, MariaDB (10.6 and later) writes an insert into an empty table
//! under a table lock with one undo record for the whole table instead of
//! one per row, which is what makes a transaction of a million orders
//! cheap to keep, and as cheap to take back: emptying the table.
//!
//! "Not at all" is that transaction rolled back: by the loader when it is
//! dropped unfinished (a failed load), or by the server when the client
//! goes away in the middle (an interrupted one), or on its restart after
//! a crash. No DDL runs (the server would commit it on its own, out of
//! the transaction): the tables and their indexes stay as they are, and
//! the rows go in through multi-row INSERTs of a few thousand rows each.

use chrono::{DateTime, Utc};
use mysql::prelude::Queryable;
use mysql::{Conn, Params, Value};

use super::search::{Searched, count_change};
use super::{MysqlStore, connect, first, rows_of_placeholders, time};
use crate::domain::customer::{Email, NewCustomer, Phone};
use crate::domain::order::{Order, OrderEvent, Status};
use crate::domain::product::NewProduct;
use crate::store::demo::DemoLedger;
use crate::store::search::{customer_search_key, product_search_key};
use crate::store::{DemoLoader, Error, Result};

/// The most values one statement binds: the protocol counts its
/// parameters in 16 bits.
const MAX_PARAMETERS: usize = u16::MAX as usize;
/// Rows per INSERT: a few thousand, so that the round trips and the
/// statement's own cost are spread over many rows, while a statement stays
/// far below the server's packet limit.
const ROWS_PER_INSERT: usize = 4_000;

/// The tables a load writes, each with the columns it fills (constants:
/// names cannot be bound).
const CUSTOMERS: Table = Table {
    name: "customers",
    columns: &[
        "id",
        "name",
        "email",
        "email_key",
        "phone",
        "phone_digits",
        "created_at",
        "search_key",
    ],
};
const PRODUCTS: Table = Table {
    name: "products",
    columns: &[
        "id",
        "sku",
        "name",
        "price_cents",
        "stock",
        "details",
        "active",
        "created_at",
        "updated_at",
        "search_key",
    ],
};
const ORDERS: Table = Table {
    name: "orders",
    columns: &[
        "id",
        "customer_id",
        "status",
        "created_at",
        "subtotal_cents",
        "discount_cents",
        "total_cents",
        "note",
    ],
};
const ORDER_ITEMS: Table = Table {
    name: "order_items",
    columns: &[
        "order_id",
        "product_id",
        "line_no",
        "sku",
        "name",
        "quantity",
        "unit_price_cents",
        "line_total_cents",
    ],
};
const ORDER_EVENTS: Table = Table {
    name: "order_events",
    columns: &["order_id", "seq", "from_status", "to_status", "at", "note"],
};
const STOCK_MOVES: Table = Table {
    name: "stock_moves",
    columns: &["product_id", "seq", "delta", "reason", "order_id", "at"],
};

/// The tables whose statistics the query planner needs afresh once the
/// load is in: its plans for pages of history were made for empty ones.
const ANALYZED: &str =
    "ANALYZE TABLE customers, products, orders, order_items, order_events, stock_moves";

struct Table {
    name: &'static str,
    columns: &'static [&'static str],
}

impl MysqlStore {
    /// Starts a demo load on a connection of its own (see the module's
    /// comment). The ids it gives follow the highest in use (Walk-in's 0
    /// in an empty shop), as the server would give them.
    pub(super) fn demo_loader(&self) -> Result<Loader> {
        let mut conn = connect(&self.url, self.password.as_deref())?;
        conn.query_drop("SET SESSION unique_checks = 0, foreign_key_checks = 0")?;
        conn.query_drop("START TRANSACTION")?;
        let mut next_id = |table: &str| -> Result<i64> {
            // Names cannot be bound; these are the loader's constants.
            let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
            let next: Option<(i64,)> = first(&mut conn, &sql, ())?;
            Ok(next.map_or(1, |(id,)| id))
        };
        let next = [
            next_id(CUSTOMERS.name)?,
            next_id(PRODUCTS.name)?,
            next_id(ORDERS.name)?,
        ];
        Ok(Loader {
            server: self.url.address(),
            conn,
            next,
            customers: Batch::new(&CUSTOMERS),
            products: Batch::new(&PRODUCTS),
            orders: Batch::new(&ORDERS),
            items: Batch::new(&ORDER_ITEMS),
            events: Batch::new(&ORDER_EVENTS),
            ledger: DemoLedger::default(),
            finished: false,
        })
    }
}

/// A demo load in progress: nothing is kept unless
/// [`DemoLoader::finish`] is called.
pub(super) struct Loader {
    /// The server, as an error that says it went away names it.
    server: String,
    /// The load's own connection, in the load's transaction.
    conn: Conn,
    /// The next customer's, product's and order's id.
    next: [i64; 3],
    customers: Batch,
    products: Batch,
    orders: Batch,
    items: Batch,
    events: Batch,
    /// The stock ledger, written at the end of the load.
    ledger: DemoLedger,
    finished: bool,
}

/// Indexes of [`Loader::next`].
const CUSTOMER: usize = 0;
const PRODUCT: usize = 1;
const ORDER: usize = 2;

impl Loader {
    /// The next id of the kind `which` names, taken.
    fn take_id(&mut self, which: usize) -> i64 {
        let id = self.next[which];
        self.next[which] += 1;
        id
    }

    /// `error`, naming the server if it went away.
    fn named(&self, error: Error) -> Error {
        error.naming_server(&self.server)
    }

    fn insert_customer(&mut self, customer: &NewCustomer, at: DateTime<Utc>) -> Result<i64> {
        let id = self.take_id(CUSTOMER);
        let (email, phone) = (customer.contact.email(), customer.contact.phone());
        let row = vec![
            id.into(),
            customer.name.as_str().into(),
            email.map(Email::as_str).into(),
            email.map(Email::key).into(),
            phone.map(Phone::as_str).into(),
            phone.map(Phone::digits).unwrap_or_default().into(),
            time::to_value(at),
            customer_search_key(customer.name.as_str(), email.map(Email::as_str)).into(),
        ];
        self.customers.push(&mut self.conn, row)?;
        Ok(id)
    }

    fn insert_product(
        &mut self,
        product: &NewProduct,
        active: bool,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let id = self.take_id(PRODUCT);
        let row = vec![
            id.into(),
            product.sku.as_str().into(),
            product.name.as_str().into(),
            product.price.get().into(),
            product.stock.get().into(),
            product.details.as_str().into(),
            active.into(),
            time::to_value(at),
            time::to_value(at),
            product_search_key(product.name.as_str(), product.sku.as_str()).into(),
        ];
        self.products.push(&mut self.conn, row)?;
        self.ledger.add_product(id, product.stock.get(), at);
        Ok(id)
    }

    fn insert_order(&mut self, order: &Order, events: &[OrderEvent]) -> Result<i64> {
        let id = self.take_id(ORDER);
        let row = vec![
            id.into(),
            order.customer_id.into(),
            order.status.as_str().into(),
            time::to_value(order.created_at),
            order.totals.subtotal.get().into(),
            order.totals.discount.get().into(),
            order.totals.total.get().into(),
            order.note.as_str().into(),
        ];
        self.orders.push(&mut self.conn, row)?;
        for (line_no, item) in (1_i64..).zip(&order.items) {
            let row = vec![
                id.into(),
                item.product_id.into(),
                line_no.into(),
                item.sku.as_str().into(),
                item.name.as_str().into(),
                item.quantity.into(),
                item.unit_price.get().into(),
                item.line_total.get().into(),
            ];
            self.items.push(&mut self.conn, row)?;
        }
        for (seq, event) in (1_i64..).zip(events) {
            let row = vec![
                id.into(),
                seq.into(),
                event.from.map(Status::as_str).into(),
                event.to.as_str().into(),
                time::to_value(event.at),
                event.note.as_str().into(),
            ];
            self.events.push(&mut self.conn, row)?;
        }
        self.ledger.add_order(id, order, events);
        Ok(id)
    }

    /// Writes what is waiting and the stock ledger, counts the load as one
    /// change to what is searched, and commits.
    fn commit(&mut self) -> Result<()> {
        for batch in [
            &mut self.customers,
            &mut self.products,
            &mut self.orders,
            &mut self.items,
            &mut self.events,
        ] {
            batch.flush(&mut self.conn)?;
        }
        self.write_ledger()?;
        count_change(&mut self.conn, Searched::Customers)?;
        count_change(&mut self.conn, Searched::Products)?;
        self.conn.query_drop("COMMIT")?;
        self.finished = true;
        // Statistics only: InnoDB would gather them on its own soon, so a
        // failure here loses nothing of the load, which is in.
        let _ = self.conn.query_drop(ANALYZED);
        Ok(())
    }

    /// Writes each product's ledger (see [`DemoLedger::into_products`]),
    /// correcting the stock of a product that had to be added with more.
    fn write_ledger(&mut self) -> Result<()> {
        let mut moves = Batch::new(&STOCK_MOVES);
        for product in std::mem::take(&mut self.ledger).into_products() {
            let product = product?;
            if product.stock.get() != product.planned {
                self.conn.exec_drop(
                    "UPDATE products SET stock = ? WHERE id = ?",
                    (product.stock.get(), product.product_id),
                )?;
            }
            for m in product.moves {
                let row = vec![
                    product.product_id.into(),
                    m.seq.into(),
                    m.delta.into(),
                    m.reason.as_str().into(),
                    m.order_id.into(),
                    time::to_value(m.at),
                ];
                moves.push(&mut self.conn, row)?;
            }
        }
        moves.flush(&mut self.conn)
    }
}

impl DemoLoader for Loader {
    fn add_customer(&mut self, customer: &NewCustomer, at: DateTime<Utc>) -> Result<i64> {
        self.insert_customer(customer, at)
            .map_err(|error| self.named(error))
    }

    fn add_product(
        &mut self,
        product: &NewProduct,
        active: bool,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        self.insert_product(product, active, at)
            .map_err(|error| self.named(error))
    }

    fn add_order(&mut self, order: &Order, events: &[OrderEvent]) -> Result<i64> {
        self.insert_order(order, events)
            .map_err(|error| self.named(error))
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.commit().map_err(|error| self.named(error))
    }
}

impl Drop for Loader {
    /// Takes an unfinished load back before the connection closes, so that
    /// whoever reads next finds the shop as it was, not a rollback still
    /// running on the server.
    fn drop(&mut self) {
        if !self.finished {
            // Closing the connection rolls the load back all the same.
            let _ = self.conn.query_drop("ROLLBACK");
        }
    }
}

/// Rows of one table waiting to go in by one multi-row INSERT.
struct Batch {
    table: &'static Table,
    /// How many rows one INSERT takes.
    capacity: usize,
    /// The waiting rows' values, row after row.
    values: Vec<Value>,
}

impl Batch {
    fn new(table: &'static Table) -> Batch {
        let capacity = ROWS_PER_INSERT.min(MAX_PARAMETERS / table.columns.len());
        Batch {
            table,
            capacity,
            values: Vec::with_capacity(capacity * table.columns.len()),
        }
    }

    /// Adds a row (its values in the table's columns' order), inserting
    /// the batch once it is full.
    fn push(&mut self, conn: &mut Conn, row: Vec<Value>) -> Result<()> {
        self.values.extend(row);
        if self.values.len() / self.table.columns.len() >= self.capacity {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Inserts the waiting rows, if any.
    fn flush(&mut self, conn: &mut Conn) -> Result<()> {
        let rows = self.values.len() / self.table.columns.len();
        if rows == 0 {
            return Ok(());
        }
        let values = std::mem::replace(
            &mut self.values,
            Vec::with_capacity(self.capacity * self.table.columns.len()),
        );
        conn.exec_drop(self.insert_sql(rows), Params::Positional(values))?;
        Ok(())
    }

    /// The INSERT of `rows` rows: the table's and columns' names (the
    /// loader's constants) and a placeholder per value.
    fn insert_sql(&self, rows: usize) -> String {
        format!(
            "INSERT INTO {} ({}) VALUES {}",
            self.table.name,
            self.table.columns.join(", "),
            rows_of_placeholders(rows, self.table.columns.len())
        )
    }
}
