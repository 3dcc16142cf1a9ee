//! Orders on the server: placing them, moving them through their
//! statuses, reading them back page by page.
//!
//! Every counter writes to the same rows at once here, so each write is a
//! transaction that locks what it reads to decide (the products a sale
//! sells, the order a status change moves) before the domain decides,
//! and that is tried again when it lost only to another's locks
//! ([`MysqlStore::write_retrying`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mysql::prelude::Queryable;
use mysql::{Transaction, Value};

use super::stock::{self, Move};
use super::{
    MysqlStore, all, commit, customers, error, first, inserted_id, placeholders, products,
    rows_of_placeholders, settings, time,
};
use crate::domain::order::{
    ItemSpec, NewOrder, Order, OrderEvent, OrderFilter, OrderItem, Payment, Placing, SaleId,
    Status, Totals, parse_note, plan_order, plan_status_change, price_lines, sellable_lines,
};
use crate::domain::product::{MoveReason, Product, ProductRef, counted_short_note, pick_product};
use crate::domain::timestamp::as_stored;
use crate::domain::{Cents, Error};
use crate::store::history::{self, Keyset, OrderPages, ReadPage, Toward};
use crate::store::sale::{self, currency_for, take_each_line};
use crate::store::{self as store, Result, RowsBefore};

/// The unique index that keeps a sale id to one order.
const SALE_ID_INDEX: &str = "orders_by_sale_id";

/// An order's columns, from `orders o` (given an index to read by, see
/// [`page_statement`]) and its customer. A LEFT JOIN: an order whose
/// customer row another tool deleted is still the shop's order, shown
/// with the gap named (`check` names it too), never hidden or reported as
/// not found.
const ORDER_COLUMNS: &str = "SELECT o.id, o.customer_id,
        COALESCE(c.name, CONCAT('(customer ', o.customer_id, ' is missing)')), o.status,
        o.created_at, o.subtotal_cents, o.discount_cents, o.total_cents, o.note, o.payment_method,
        o.tendered_cents, o.sale_id
     FROM orders o";
const ORDER_CUSTOMER: &str = "LEFT JOIN customers c ON c.id = o.customer_id";

/// An order's row as [`ORDER_COLUMNS`] reads it.
type OrderRow = (
    i64,
    i64,
    String,
    String,
    Value,
    i64,
    i64,
    i64,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
);

fn from_row(
    (
        id,
        customer_id,
        customer_name,
        status,
        created_at,
        subtotal,
        discount,
        total,
        note,
        payment_method,
        tendered,
        sale_id,
    ): OrderRow,
) -> Result<Order> {
    let payment = match payment_method {
        Some(method) => Some(Payment {
            method: as_rule_allows(method.parse())?,
            tendered: tendered.map(Cents::new),
        }),
        None => None,
    };
    Ok(Order {
        id,
        customer_id,
        customer_name,
        status: as_rule_allows(status.parse())?,
        created_at: time::from_value(created_at)?,
        totals: Totals {
            subtotal: Cents::new(subtotal),
            discount: Cents::new(discount),
            total: Cents::new(total),
        },
        note,
        items: Vec::new(),
        payment,
        sale_id: sale_id
            .map(|text| as_rule_allows(SaleId::parse(&text)))
            .transpose()?,
    })
}

/// A stored value read as the domain reads it: one no rule allows (which
/// another tool wrote) is unreadable, for `check` to name its row.
fn as_rule_allows<T>(parsed: std::result::Result<T, Error>) -> Result<T> {
    parsed.map_err(|error| store::Error::Unreadable(error.to_string()))
}

impl MysqlStore {
    /// Places an order in one transaction, as the domain decides it
    /// ([`plan_order`]) from what is read inside it: the customer, every
    /// product (known and for sale: [`sellable_lines`]) read with its row
    /// locked, so that the stock the sale meets stays as read until it is
    /// taken. Products are locked in ascending id order, the same for
    /// every sale, so that two sales of the same products queue rather
    /// than deadlock. The stock is taken with a conditional update, so two
    /// counters can never sell the same last unit; if anything is refused
    /// (all shortages are named together), nothing is written. Confirmed
    /// count corrections raise each product's stock by the units short (a
    /// `count` move whose note names the order) before the sale takes them.
    ///
    /// A sale whose sale id an order already has was sent before (its
    /// answer lost): that order is returned as it stands if it is the same
    /// sale, else refused ([`crate::domain::order::check_retried_sale`]),
    /// and nothing is written.
    /// Two connections sending one sale at once both get the one order:
    /// the second's row is refused by the unique index on sale ids, its
    /// transaction dropped, and the first's order read.
    pub(super) fn place(
        &mut self,
        order: &NewOrder,
        placing: Placing,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        let note = order.checked_note()?;
        // The order returned must be the order stored, to the microsecond.
        let now = as_stored(now);
        let placed = self.write_retrying(|tx| place_in(tx, order, &note, placing, now))?;
        match placed {
            Some(placed) => Ok(placed),
            // The index refuses a sale id only once the order holding it
            // is committed, so it is there to read; were it ever not, the
            // clerk's next try places the sale or finds it.
            None => placed_before(&mut *self.conn()?, order)?.ok_or(store::Error::Busy),
        }
    }

    /// What `order` would cost now, by the same rules as placing it
    /// (without checking stock); for showing a total before placing.
    pub(super) fn price_order(&self, order: &NewOrder) -> Result<Totals> {
        let mut conn = self.conn()?;
        let lines = sellable_lines(order, |product| products::resolve(&mut *conn, product))?;
        Ok(price_lines(&lines)?)
    }

    /// Moves an order to `to`, as the domain decides it
    /// ([`plan_status_change`]) from the order read with its row locked:
    /// canceling puts the items back in stock, exactly once.
    pub(super) fn set_order_status(
        &mut self,
        order_id: i64,
        to: Status,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        let note = parse_note(note)?;
        self.write_retrying(|tx| change_status(tx, order_id, to, &note, now))
    }

    /// The order with this number, with its items.
    pub(super) fn order(&self, order_id: i64) -> Result<Order> {
        find(&mut *self.conn()?, order_id)
    }

    /// The order's status changes, oldest first.
    pub(super) fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>> {
        let mut conn = self.conn()?;
        find(&mut *conn, order_id)?;
        let rows: Vec<(Option<String>, String, Value, String)> = all(
            &mut *conn,
            "SELECT from_status, to_status, at, note FROM order_events
             WHERE order_id = ? ORDER BY seq",
            (order_id,),
        )?;
        rows.into_iter()
            .map(|(from, to, at, note)| {
                Ok(OrderEvent {
                    from: from.map(|from| as_rule_allows(from.parse())).transpose()?,
                    to: as_rule_allows(to.parse())?,
                    at: time::from_value(at)?,
                    note,
                })
            })
            .collect()
    }

    /// One page of orders, newest first, after `after` (the last order of
    /// the previous page; `None` for the first page), by keyset.
    pub(super) fn orders_page(
        &self,
        filter: OrderFilter,
        after: Option<&Order>,
        limit: usize,
    ) -> Result<Vec<Order>> {
        history::page_after(&self.history(filter), after, limit)
    }

    /// The page of orders just above `before` (newer than it), or the
    /// oldest orders when `before` is `None` (End), newest first.
    pub(super) fn orders_page_before(
        &self,
        filter: OrderFilter,
        before: Option<&Order>,
        limit: usize,
    ) -> Result<RowsBefore<Order>> {
        history::page_before(&self.history(filter), before, limit)
    }

    /// Every order matching `filter`, newest first, a page at a time: each
    /// page is read whole and its result closed before it is handed out,
    /// so a stream holds one page in memory and nothing open on the
    /// server, and the connection is free between pages.
    pub(super) fn orders(&self, filter: OrderFilter) -> OrderPages<History<'_>> {
        OrderPages::new(self.history(filter))
    }

    /// The server's plan (`EXPLAIN`: each table read, its index and how)
    /// of the very statement [`MysqlStore::orders_page`] runs for `filter`
    /// past a keyset, so a test can hold it to its index.
    #[cfg(feature = "testing")]
    pub fn orders_page_plan(&self, filter: OrderFilter) -> Result<String> {
        let keyset = Keyset {
            created_at: chrono::DateTime::UNIX_EPOCH,
            id: 1,
        };
        let (sql, values) = page_statement(
            filter,
            Some(keyset),
            Toward::Older,
            history::STREAM_PAGE_SIZE,
        );
        let steps: Vec<mysql::Row> = self.conn()?.exec(format!("EXPLAIN {sql}"), values)?;
        Ok(steps
            .iter()
            .map(|step| {
                let column = |name: &str| {
                    step.get_opt::<Option<String>, _>(name)
                        .and_then(|value| value.ok())
                        .flatten()
                        .unwrap_or_default()
                };
                format!(
                    "{} key={} {}",
                    column("table"),
                    column("key"),
                    column("Extra")
                )
            })
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// Whether the shop holds no customers (but Walk-in), products or
    /// orders.
    pub(super) fn is_empty(&self) -> Result<bool> {
        let empty: Option<bool> = first(
            &mut *self.conn()?,
            "SELECT NOT EXISTS (SELECT 1 FROM customers WHERE id <> 0)
                AND NOT EXISTS (SELECT 1 FROM products)
                AND NOT EXISTS (SELECT 1 FROM orders)",
            (),
        )?;
        Ok(empty.unwrap_or(false))
    }

    /// The orders `filter` picks, as pages are read from them.
    fn history(&self, filter: OrderFilter) -> History<'_> {
        History {
            store: self,
            filter,
        }
    }
}

/// The orders a filter picks, on a store's connection, taken for each
/// page and given back after it.
pub(super) struct History<'s> {
    store: &'s MysqlStore,
    filter: OrderFilter,
}

impl ReadPage for History<'_> {
    fn read_page(&self, from: Option<Keyset>, toward: Toward, limit: usize) -> Result<Vec<Order>> {
        let mut conn = self.store.conn()?;
        let (sql, values) = page_statement(self.filter, from, toward, limit);
        let rows: Vec<OrderRow> = all(&mut *conn, &sql, values)?;
        let mut orders = rows.into_iter().map(from_row).collect::<Result<Vec<_>>>()?;
        read_items(&mut *conn, &mut orders)?;
        Ok(orders)
    }
}

/// The statement that reads one page of orders, and its values. It reads
/// the index that holds the filter's orders in keyset order (each of
/// InnoDB's indexes ends in the primary key, `id`) from the keyset on, and
/// stops after `limit` rows: no sort, and page 1,000 costs what page 1
/// does. The index is named rather than left to the optimizer, which may
/// guess a sort of a small table cheaper and keep guessing as it grows.
fn page_statement(
    filter: OrderFilter,
    from: Option<Keyset>,
    toward: Toward,
    limit: usize,
) -> (String, Vec<Value>) {
    let index = match filter {
        OrderFilter {
            customer_id: Some(_),
            ..
        } => "orders_by_customer",
        OrderFilter {
            status: Some(_), ..
        } => "orders_by_status",
        OrderFilter { .. } => "orders_by_time",
    };
    // The pair comparison written out: MariaDB reads a range of the index
    // for this form, not for a comparison of row values.
    let (beyond, order) = match toward {
        Toward::Older => (
            "(o.created_at < ? OR (o.created_at = ? AND o.id < ?))",
            "DESC",
        ),
        Toward::Newer => (
            "(o.created_at > ? OR (o.created_at = ? AND o.id > ?))",
            "ASC",
        ),
    };
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    if let Some(keyset) = from {
        let created_at = time::to_value(keyset.created_at);
        conditions.push(beyond);
        values.extend([created_at.clone(), created_at, Value::from(keyset.id)]);
    }
    if let Some(customer_id) = filter.customer_id {
        conditions.push("o.customer_id = ?");
        values.push(Value::from(customer_id));
    }
    if let Some(status) = filter.status {
        conditions.push("o.status = ?");
        values.push(Value::from(status.as_str()));
    }
    values.push(Value::from(u64::try_from(limit).unwrap_or(u64::MAX)));
    let condition = match conditions.is_empty() {
        true => String::new(),
        false => format!("WHERE {}", conditions.join(" AND ")),
    };
    // Only fixed fragments go into the text; every value is bound.
    let sql = format!(
        "{ORDER_COLUMNS} FORCE INDEX ({index}) {ORDER_CUSTOMER} {condition}
         ORDER BY o.created_at {order}, o.id {order} LIMIT ?"
    );
    (sql, values)
}

/// The order with this number, with its items.
fn find(conn: &mut impl Queryable, order_id: i64) -> Result<Order> {
    find_where(conn, "o.id = ?", order_id)?.ok_or_else(|| Error::OrderNotFound(order_id).into())
}

/// The order placed with `order`'s sale id, if it is the same sale (see
/// [`sale::placed_before`]).
fn placed_before(conn: &mut impl Queryable, order: &NewOrder) -> Result<Option<Order>> {
    sale::placed_before(order, |sale_id| {
        find_where(conn, "o.sale_id = ?", sale_id.as_str())
    })
}

/// The one order `condition` (a fixed text, never input) finds with
/// `value` bound, with its items.
fn find_where(
    conn: &mut impl Queryable,
    condition: &str,
    value: impl Into<Value>,
) -> Result<Option<Order>> {
    let sql = format!("{ORDER_COLUMNS} {ORDER_CUSTOMER} WHERE {condition}");
    let Some(row) = first::<OrderRow>(conn, &sql, (value.into(),))? else {
        return Ok(None);
    };
    let mut order = [from_row(row)?];
    read_items(conn, &mut order)?;
    let [order] = order;
    Ok(Some(order))
}

/// Reads the items of `orders` (without theirs), in one statement.
fn read_items(conn: &mut impl Queryable, orders: &mut [Order]) -> Result<()> {
    if orders.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = orders.iter().map(|order| order.id).collect();
    let rows: Vec<(i64, i64, String, String, i64, i64, i64)> = all(
        conn,
        &format!(
            "SELECT order_id, product_id, sku, name, quantity, unit_price_cents, line_total_cents
             FROM order_items WHERE order_id IN ({}) ORDER BY order_id, line_no",
            placeholders(ids.len())
        ),
        ids,
    )?;
    let index_of: HashMap<i64, usize> = (orders.iter().enumerate())
        .map(|(index, order)| (order.id, index))
        .collect();
    for (order_id, product_id, sku, name, quantity, unit_price, line_total) in rows {
        if let Some(&index) = index_of.get(&order_id) {
            orders[index].items.push(OrderItem {
                product_id,
                sku,
                name,
                quantity,
                unit_price: Cents::new(unit_price),
                line_total: Cents::new(line_total),
            });
        }
    }
    Ok(())
}

/// One try at placing `order` (see [`MysqlStore::place`]) in `tx`, which
/// it commits if it writes. `None`: another connection placed an order
/// with this sale id since it was looked up, and nothing was written.
fn place_in(
    mut tx: Transaction<'_>,
    order: &NewOrder,
    note: &str,
    placing: Placing,
    now: DateTime<Utc>,
) -> Result<Option<Order>> {
    if let Some(placed) = placed_before(&mut tx, order)? {
        return Ok(Some(placed));
    }
    let customer = customers::find(&mut tx, order.customer_id)?;
    let shelf = lock_products(&mut tx, &order.items)?;
    let lines = sellable_lines(order, |product| pick_from(&shelf, product))?;
    let currency = currency_for(placing, || Ok(settings::read_settings(&mut tx)?.currency))?;
    let plan = plan_order(order, &lines, placing, &currency, now)?;
    // All the stock moves before the order's row is written: a refused
    // sale then leaves nothing behind, not even an order number used up
    // (the server never gives a number twice, even one rolled back).
    for correction in &order.count_corrections {
        stock::move_stock(&mut tx, correction.product_id, correction.units_short)?;
    }
    take_each_line(&lines, |product, quantity| {
        stock::move_stock(&mut tx, product.id, -quantity.get())
    })?;
    let inserted = tx.exec_drop(
        "INSERT INTO orders (customer_id, status, created_at, subtotal_cents, discount_cents,
                             total_cents, note, payment_method, tendered_cents, sale_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            customer.id,
            plan.status.as_str(),
            time::to_value(now),
            plan.totals.subtotal.get(),
            plan.totals.discount.get(),
            plan.totals.total.get(),
            note,
            plan.payment.map(|p| p.method.as_str()),
            plan.payment.and_then(|p| p.tendered).map(Cents::get),
            order.sale_id.as_ref().map(SaleId::as_str),
        ),
    );
    match inserted {
        // The stock taken goes back with the transaction.
        Err(refused) if error::is_duplicate_of(&refused, SALE_ID_INDEX) => return Ok(None),
        other => other?,
    }
    let order_id = inserted_id(&tx)?;
    insert_items(&mut tx, order_id, &plan.items)?;
    let counted = counted_short_note(order_id);
    let corrections = order.count_corrections.iter().map(|correction| Move {
        product_id: correction.product_id,
        delta: correction.units_short,
        reason: MoveReason::Count,
        order_id: None,
        note: &counted,
    });
    let sales = lines.iter().map(|(product, quantity)| Move {
        product_id: product.id,
        delta: -quantity.get(),
        reason: MoveReason::Sale,
        order_id: Some(order_id),
        note: "",
    });
    stock::write_moves(&mut tx, &corrections.chain(sales).collect::<Vec<_>>(), now)?;
    insert_event(&mut tx, order_id, 1, &plan.first_event)?;
    commit(tx)?;
    Ok(Some(Order {
        id: order_id,
        customer_id: customer.id,
        customer_name: customer.name,
        status: plan.status,
        created_at: now,
        totals: plan.totals,
        note: note.to_string(),
        items: plan.items,
        payment: plan.payment,
        sale_id: order.sale_id.clone(),
    }))
}

/// Every product `items` may name ([`ProductRef::lookups`]), read with
/// its row locked until the transaction ends.
fn lock_products(tx: &mut Transaction<'_>, items: &[ItemSpec]) -> Result<Vec<Product>> {
    let mut ids = Vec::new();
    let mut skus = Vec::new();
    for item in items {
        let (id, sku) = item.product.lookups();
        ids.extend(id);
        // As `sku_nocase` keeps it: ASCII letters without case.
        skus.extend(sku.map(str::to_ascii_lowercase));
    }
    // The SKUs' ids first, without locks: a product's SKU never changes,
    // and the locks are then all taken in one ascending sweep.
    if !skus.is_empty() {
        let sql = format!(
            "SELECT id FROM products WHERE sku_nocase IN ({})",
            placeholders(skus.len())
        );
        ids.extend(all::<i64>(tx, &sql, skus)?);
    }
    lock_ids(tx, ids)
}

/// The products with these ids (those there are), read with their rows
/// locked, in ascending id order: the order every sale and cancel locks
/// products in, so that two of them queue rather than deadlock.
fn lock_ids(tx: &mut Transaction<'_>, mut ids: Vec<i64>) -> Result<Vec<Product>> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {} FROM products WHERE id IN ({}) ORDER BY id FOR UPDATE",
        products::COLUMNS,
        placeholders(ids.len())
    );
    all::<products::ProductRow>(tx, &sql, ids)?
        .into_iter()
        .map(products::from_row)
        .collect()
}

/// The product `product` names among `shelf`, as [`pick_product`] picks
/// it (a SKU in any case, as NOCASE compares it).
fn pick_from(shelf: &[Product], product: &ProductRef) -> Result<Product> {
    let by_sku = |sku: &str| shelf.iter().find(|each| each.sku.eq_ignore_ascii_case(sku));
    let by_id = |id: i64| shelf.iter().find(|each| each.id == id);
    pick_product(
        product,
        |sku| Ok(by_sku(sku).cloned()),
        |id| Ok(by_id(id).cloned()),
    )
}

/// One try at moving order `order_id` to `to` (see
/// [`MysqlStore::set_order_status`]) in `tx`, which it commits.
fn change_status(
    mut tx: Transaction<'_>,
    order_id: i64,
    to: Status,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Order> {
    // The order's row alone is locked (a locking read of the join would
    // lock its customer's row too, and Walk-in's holds every counter
    // sale), then read as last committed.
    let locked: Option<i64> = first(
        &mut tx,
        "SELECT id FROM orders WHERE id = ? FOR UPDATE",
        (order_id,),
    )?;
    if locked.is_none() {
        return Err(Error::OrderNotFound(order_id).into());
    }
    let order = find(&mut tx, order_id)?;
    let change = plan_status_change(&order, to, note.to_string(), now)?;
    tx.exec_drop(
        "UPDATE orders SET status = ? WHERE id = ? AND status = ?",
        (to.as_str(), order_id, order.status.as_str()),
    )?;
    give_back(&mut tx, order_id, &change.back_in_stock, now)?;
    // The order's lock queues every change of its timeline.
    let seq: Option<i64> = first(
        &mut tx,
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM order_events WHERE order_id = ?
         LOCK IN SHARE MODE",
        (order_id,),
    )?;
    insert_event(&mut tx, order_id, seq.unwrap_or(1), &change.event)?;
    commit(tx)?;
    // Its status is all that changed.
    Ok(Order {
        status: to,
        ..order
    })
}

/// Puts a canceled order's items back in stock, `(product id, units)`,
/// with a `cancel` row each in their ledgers.
fn give_back(
    tx: &mut Transaction<'_>,
    order_id: i64,
    back_in_stock: &[(i64, i64)],
    now: DateTime<Utc>,
) -> Result<()> {
    lock_ids(
        tx,
        back_in_stock
            .iter()
            .map(|&(product_id, _)| product_id)
            .collect(),
    )?;
    for &(product_id, units) in back_in_stock {
        stock::move_stock(tx, product_id, units)?;
    }
    let moves: Vec<Move<'_>> = (back_in_stock.iter())
        .map(|&(product_id, units)| Move {
            product_id,
            delta: units,
            reason: MoveReason::Cancel,
            order_id: Some(order_id),
            note: "",
        })
        .collect();
    stock::write_moves(tx, &moves, now)
}

/// Writes an order's lines, numbered in their order, in one statement.
fn insert_items(conn: &mut impl Queryable, order_id: i64, items: &[OrderItem]) -> Result<()> {
    const COLUMNS: usize = 8;
    if items.is_empty() {
        return Ok(());
    }
    let mut values = Vec::with_capacity(items.len() * COLUMNS);
    for (line_no, item) in (1_i64..).zip(items) {
        values.extend([
            Value::from(order_id),
            Value::from(item.product_id),
            Value::from(line_no),
            Value::from(item.sku.as_str()),
            Value::from(item.name.as_str()),
            Value::from(item.quantity),
            Value::from(item.unit_price.get()),
            Value::from(item.line_total.get()),
        ]);
    }
    conn.exec_drop(
        format!(
            "INSERT INTO order_items (order_id, product_id, line_no, sku, name, quantity,
                                      unit_price_cents, line_total_cents)
             VALUES {}",
            rows_of_placeholders(items.len(), COLUMNS)
        ),
        values,
    )?;
    Ok(())
}

/// Writes step `seq` of an order's timeline.
fn insert_event(
    conn: &mut impl Queryable,
    order_id: i64,
    seq: i64,
    event: &OrderEvent,
) -> Result<()> {
    conn.exec_drop(
        "INSERT INTO order_events (order_id, seq, from_status, to_status, at, note)
         VALUES (?, ?, ?, ?, ?, ?)",
        (
            order_id,
            seq,
            event.from.map(Status::as_str),
            event.to.as_str(),
            time::to_value(event.at),
            event.note.as_str(),
        ),
    )?;
    Ok(())
}
