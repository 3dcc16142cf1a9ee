//! Orders: placing them, moving them through their statuses, reading them
//! back page by page.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, Transaction, params, params_from_iter};

use super::time::{DbTime, END_OF_TIME};
use super::{Result, RowsBefore, SqliteStore, commit, customers, products, sql_limit, stock};
use crate::domain::order::{
    NewOrder, Order, OrderEvent, OrderFilter, OrderItem, Payment, Placing, Quantity, SaleId,
    Status, Totals, parse_note, plan_order, plan_status_change, price_lines, sellable_lines,
};
use crate::domain::product::{CountCorrection, MoveReason, Product, counted_short_note};
use crate::domain::timestamp::as_stored;
use crate::domain::{Cents, Error};
use crate::store::history::{self, Keyset, OrderPages, ReadPage, Toward};
use crate::store::sale::{self, currency_for, take_each_line};

// A LEFT JOIN: an order whose customer row another tool deleted is still
// the shop's order, shown with the gap named (`check` names it too),
// never hidden or reported as not found.
const ORDER_SELECT: &str = "SELECT o.id, o.customer_id,
        coalesce(c.name, '(customer ' || o.customer_id || ' is missing)'), o.status, o.created_at,
        o.subtotal_cents, o.discount_cents, o.total_cents, o.note, o.payment_method, o.tendered_cents,
        o.sale_id
     FROM orders o LEFT JOIN customers c ON c.id = o.customer_id";

fn order_from_row(row: &Row<'_>) -> rusqlite::Result<Order> {
    Ok(Order {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        customer_name: row.get(2)?,
        status: status_from_text(&row.get::<_, String>(3)?)?,
        created_at: row.get::<_, DbTime>(4)?.0,
        totals: Totals {
            subtotal: Cents::new(row.get(5)?),
            discount: Cents::new(row.get(6)?),
            total: Cents::new(row.get(7)?),
        },
        note: row.get(8)?,
        items: Vec::new(),
        payment: payment_from_row(row)?,
        sale_id: row
            .get::<_, Option<String>>(11)?
            .map(|text| SaleId::parse(&text).map_err(|error| unreadable(11, error)))
            .transpose()?,
    })
}

/// A value another tool wrote in column `column` that no rule allows.
fn unreadable(column: usize, error: Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(error))
}

fn payment_from_row(row: &Row<'_>) -> rusqlite::Result<Option<Payment>> {
    let Some(method) = row.get::<_, Option<String>>(9)? else {
        return Ok(None);
    };
    let method = method.parse().map_err(|error| unreadable(9, error))?;
    Ok(Some(Payment {
        method,
        tendered: row.get::<_, Option<i64>>(10)?.map(Cents::new),
    }))
}

fn status_from_text(text: &str) -> rusqlite::Result<Status> {
    text.parse().map_err(|error| unreadable(0, error))
}

impl SqliteStore {
    /// Places an order in one transaction, as the domain decides it
    /// ([`plan_order`]) from what is read here under the write lock: the
    /// customer, every product (known and for sale: [`sellable_lines`]),
    /// the stock the sale meets. The stock is taken with a conditional
    /// update, so two counters can never sell the same last unit; if
    /// anything is refused (all shortages are named together), nothing is
    /// written. Confirmed count corrections raise each product's stock by
    /// the units short (a `count` move whose note names the order) before
    /// the sale takes them.
    ///
    /// A sale whose sale id an order already has was sent before (its
    /// answer lost): that order is returned as it stands if it is the same
    /// sale, else refused ([`crate::domain::order::check_retried_sale`]),
    /// and nothing is written.
    /// The write lock is taken before the id is looked up, so no other
    /// counter can place the same sale in between.
    pub(super) fn place(
        &mut self,
        order: &NewOrder,
        placing: Placing,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        let note = order.checked_note()?;
        // The order returned must be the order stored, to the microsecond.
        let now = as_stored(now);
        let tx = self.write()?;
        if let Some(placed) = placed_before(&tx, order)? {
            return Ok(placed);
        }
        let customer = customers::find(&tx, order.customer_id)?;
        let lines = sellable_lines(order, |product| products::resolve(&tx, product))?;
        let currency = currency_for(
            placing,
            || Ok(super::settings::read_settings(&tx)?.currency),
        )?;
        let plan = plan_order(order, &lines, placing, &currency, now)?;
        let inserted = tx.execute(
            "INSERT INTO orders (customer_id, status, created_at, subtotal_cents, discount_cents, total_cents, note,
                                 payment_method, tendered_cents, sale_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                customer.id,
                plan.status.as_str(),
                DbTime(now),
                plan.totals.subtotal.get(),
                plan.totals.discount.get(),
                plan.totals.total.get(),
                note,
                plan.payment.map(|p| p.method.as_str()),
                plan.payment.and_then(|p| p.tendered).map(Cents::get),
                order.sale_id.as_ref().map(SaleId::as_str),
            ],
        );
        // Never met under SQLite's write lock, but the index is the rule's
        // last word: an order placed with the id meanwhile is answered as
        // the lookup above answers it.
        match inserted {
            Err(error) if is_sale_id_taken(&error) => {
                return placed_before(&tx, order)?.ok_or_else(|| error.into());
            }
            other => other?,
        };
        let order_id = tx.last_insert_rowid();
        insert_items(&tx, order_id, &plan.items)?;
        correct_counts(&tx, &order.count_corrections, order_id, now)?;
        take_stock(&tx, &lines, order_id, now)?;
        insert_event(&tx, order_id, 1, &plan.first_event)?;
        commit(tx)?;
        Ok(Order {
            id: order_id,
            customer_id: customer.id,
            customer_name: customer.name,
            status: plan.status,
            created_at: now,
            totals: plan.totals,
            note,
            items: plan.items,
            payment: plan.payment,
            sale_id: order.sale_id.clone(),
        })
    }

    /// What `order` would cost now, by the same rules as placing it
    /// (without checking stock); for showing a total before placing.
    pub(super) fn price_order(&self, order: &NewOrder) -> Result<Totals> {
        let lines = sellable_lines(order, |product| products::resolve(&self.conn, product))?;
        Ok(price_lines(&lines)?)
    }

    /// Moves an order to `to`, as the domain decides it
    /// ([`plan_status_change`]) from the order read under the write lock:
    /// canceling puts the items back in stock, exactly once.
    pub(super) fn set_order_status(
        &mut self,
        order_id: i64,
        to: Status,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        let note = parse_note(note)?;
        let tx = self.write()?;
        let order = find(&tx, order_id)?;
        let change = plan_status_change(&order, to, note, now)?;
        tx.execute(
            "UPDATE orders SET status = ?1 WHERE id = ?2 AND status = ?3",
            params![to.as_str(), order_id, order.status.as_str()],
        )?;
        for &(product_id, units) in &change.back_in_stock {
            stock::change(
                &tx,
                product_id,
                units,
                MoveReason::Cancel,
                Some(order_id),
                "",
                now,
            )?;
        }
        let seq: i64 = tx.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM order_events WHERE order_id = ?1",
            [order_id],
            |row| row.get(0),
        )?;
        insert_event(&tx, order_id, seq, &change.event)?;
        let order = find(&tx, order_id)?;
        commit(tx)?;
        Ok(order)
    }

    /// The order with this number, with its items.
    pub(super) fn order(&self, order_id: i64) -> Result<Order> {
        find(&self.conn, order_id)
    }

    /// The order's status changes, oldest first.
    pub(super) fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>> {
        find(&self.conn, order_id)?;
        let mut statement = self.conn.prepare_cached(
            "SELECT from_status, to_status, at, note FROM order_events WHERE order_id = ?1 ORDER BY seq",
        )?;
        let events = statement
            .query_map([order_id], |row| {
                Ok(OrderEvent {
                    from: row
                        .get::<_, Option<String>>(0)?
                        .as_deref()
                        .map(status_from_text)
                        .transpose()?,
                    to: status_from_text(&row.get::<_, String>(1)?)?,
                    at: row.get::<_, DbTime>(2)?.0,
                    note: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }

    /// One page of orders, newest first, starting after `after` (the last
    /// order of the previous page; `None` for the first page). Pages are
    /// read by keyset on (created_at, id), so page 1,000 costs what page 1
    /// does.
    pub(super) fn orders_page(
        &self,
        filter: OrderFilter,
        after: Option<&Order>,
        limit: usize,
    ) -> Result<Vec<Order>> {
        history::page_after(&self.history(filter), after, limit)
    }

    /// The page of orders just above `before` in the list (newer than it),
    /// or the oldest orders when `before` is `None` (End): read upwards
    /// from the oldest, by the same keyset, so the end of a long history
    /// costs what its start does. Newest first, as the list shows them.
    pub(super) fn orders_page_before(
        &self,
        filter: OrderFilter,
        before: Option<&Order>,
        limit: usize,
    ) -> Result<RowsBefore<Order>> {
        history::page_before(&self.history(filter), before, limit)
    }

    /// SQLite's query plan (`EXPLAIN QUERY PLAN`, one step a line) of the
    /// very statement [`SqliteStore::orders_page`] runs for `filter`, so a test
    /// can hold it to its index.
    #[cfg(feature = "testing")]
    pub fn orders_page_plan(&self, filter: OrderFilter) -> Result<String> {
        let (sql, values) = page_statement(filter, None, Toward::Older, history::STREAM_PAGE_SIZE);
        let mut statement = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let steps = statement
            .query_map(params_from_iter(values), |row| row.get::<_, String>(3))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(steps.join("\n"))
    }

    /// Every order matching `filter`, newest first, read a page at a time:
    /// streaming a history of any length holds one page in memory.
    pub(super) fn orders(&self, filter: OrderFilter) -> OrderPages<History<'_>> {
        OrderPages::new(self.history(filter))
    }

    /// The orders `filter` picks, as pages are read from them.
    fn history(&self, filter: OrderFilter) -> History<'_> {
        History {
            conn: &self.conn,
            filter,
        }
    }
}

/// The orders a filter picks, on one connection.
pub(super) struct History<'c> {
    conn: &'c Connection,
    filter: OrderFilter,
}

impl ReadPage for History<'_> {
    fn read_page(&self, from: Option<Keyset>, toward: Toward, limit: usize) -> Result<Vec<Order>> {
        page(self.conn, self.filter, from, toward, limit)
    }
}

/// The orders matching `filter` next to `from` going `toward`, in the
/// order read.
fn page(
    conn: &Connection,
    filter: OrderFilter,
    from: Option<Keyset>,
    toward: Toward,
    limit: usize,
) -> Result<Vec<Order>> {
    let (sql, values) = page_statement(filter, from, toward, limit);
    let mut statement = conn.prepare_cached(&sql)?;
    let mut orders = statement
        .query_map(params_from_iter(values), order_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for order in &mut orders {
        order.items = items(conn, order.id)?;
    }
    Ok(orders)
}

/// The statement that reads one page of orders, and its values.
fn page_statement(
    filter: OrderFilter,
    from: Option<Keyset>,
    toward: Toward,
    limit: usize,
) -> (String, Vec<Value>) {
    // From an end of the list, the bound is beyond every stored time
    // (above the newest; below the oldest, as every stored time is longer
    // than ""): the statement is the same for every page.
    let (beyond, order, (created_at, id)) = match toward {
        Toward::Older => (
            "(o.created_at, o.id) < (?, ?)",
            "DESC",
            from.map_or((END_OF_TIME.to_string(), i64::MAX), stored_keyset),
        ),
        Toward::Newer => (
            "(o.created_at, o.id) > (?, ?)",
            "ASC",
            from.map_or((String::new(), 0), stored_keyset),
        ),
    };
    let mut conditions = vec![beyond];
    let mut values = vec![Value::from(created_at), Value::from(id)];
    if let Some(customer_id) = filter.customer_id {
        conditions.push("o.customer_id = ?");
        values.push(Value::from(customer_id));
    }
    if let Some(status) = filter.status {
        conditions.push("o.status = ?");
        values.push(Value::from(status.as_str().to_string()));
    }
    values.push(Value::from(sql_limit(limit)));
    // Only fixed fragments go into the text; every value is bound.
    let sql = format!(
        "{ORDER_SELECT} WHERE {} ORDER BY o.created_at {order}, o.id {order} LIMIT ?",
        conditions.join(" AND ")
    );
    (sql, values)
}

/// A keyset as the database compares it: the time as stored text.
fn stored_keyset(keyset: Keyset) -> (String, i64) {
    (DbTime(keyset.created_at).text(), keyset.id)
}

fn find(conn: &Connection, order_id: i64) -> Result<Order> {
    find_where(conn, "o.id = ?1", order_id)?.ok_or_else(|| Error::OrderNotFound(order_id).into())
}

/// The order placed with `order`'s sale id, if it is the same sale (see
/// [`sale::placed_before`]).
fn placed_before(conn: &Connection, order: &NewOrder) -> Result<Option<Order>> {
    sale::placed_before(order, |sale_id| {
        find_where(conn, "o.sale_id = ?1", sale_id.as_str())
    })
}

/// The one order `condition` (a fixed text, never input) finds with
/// `value` bound, with its items.
fn find_where(conn: &Connection, condition: &str, value: impl ToSql) -> Result<Option<Order>> {
    let found = conn
        .prepare_cached(&format!("{ORDER_SELECT} WHERE {condition}"))?
        .query_row([value], order_from_row)
        .optional()?;
    let Some(mut order) = found else {
        return Ok(None);
    };
    order.items = items(conn, order.id)?;
    Ok(Some(order))
}

/// Whether `error` is the unique index on sale ids refusing a second
/// order with one.
fn is_sale_id_taken(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, Some(message))
            if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                && message.ends_with("orders.sale_id")
    )
}

fn items(conn: &Connection, order_id: i64) -> Result<Vec<OrderItem>> {
    let mut statement = conn.prepare_cached(
        "SELECT product_id, sku, name, quantity, unit_price_cents, line_total_cents
         FROM order_items WHERE order_id = ?1 ORDER BY line_no",
    )?;
    let items = statement
        .query_map([order_id], |row| {
            Ok(OrderItem {
                product_id: row.get(0)?,
                sku: row.get(1)?,
                name: row.get(2)?,
                quantity: row.get(3)?,
                unit_price: Cents::new(row.get(4)?),
                line_total: Cents::new(row.get(5)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(items)
}

/// Raises each corrected product's stock by the units the cashier saw
/// short, for order `order_id`, which takes them next: the shelf had what
/// the count did not. The corrections were checked against the stock in
/// this transaction ([`check_count_corrections`]).
fn correct_counts(
    tx: &Transaction<'_>,
    corrections: &[CountCorrection],
    order_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let note = counted_short_note(order_id);
    for correction in corrections {
        stock::change(
            tx,
            correction.product_id,
            correction.units_short,
            MoveReason::Count,
            None,
            &note,
            now,
        )?;
    }
    Ok(())
}

/// Takes each line's quantity off the shelf for order `order_id`, or
/// refuses naming every short line (the transaction is then dropped, so
/// the order written before is not kept). [`stock::change`]'s conditional
/// update is the check: there is no gap between reading the stock and
/// writing it for another counter to sell into.
fn take_stock(
    tx: &Transaction<'_>,
    lines: &[(Product, Quantity)],
    order_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    take_each_line(lines, |product, quantity| {
        stock::change(
            tx,
            product.id,
            -quantity.get(),
            MoveReason::Sale,
            Some(order_id),
            "",
            now,
        )
    })
}

pub(super) fn insert_items(conn: &Connection, order_id: i64, items: &[OrderItem]) -> Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO order_items (order_id, product_id, line_no, sku, name, quantity, unit_price_cents, line_total_cents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (line_no, item) in (1..).zip(items) {
        statement.execute(params![
            order_id,
            item.product_id,
            line_no,
            item.sku,
            item.name,
            item.quantity,
            item.unit_price.get(),
            item.line_total.get(),
        ])?;
    }
    Ok(())
}

pub(super) fn insert_event(
    conn: &Connection,
    order_id: i64,
    seq: i64,
    event: &OrderEvent,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_events (order_id, seq, from_status, to_status, at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        order_id,
        seq,
        event.from.map(Status::as_str),
        event.to.as_str(),
        DbTime(event.at),
        event.note,
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What SQLite says when `sql` breaks a constraint of a new shop with
    /// one order, placed with sale id `till-1`.
    fn refusal_of(sql: &str) -> rusqlite::Error {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("shop.db")).unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO products (id, sku, name, price_cents, stock, created_at, updated_at)
                 VALUES (1, 'MUG', 'Blue mug', 100, 5, '2026-03-01T12:00:00.000000Z',
                         '2026-03-01T12:00:00.000000Z')",
            )
            .unwrap();
        let order = NewOrder {
            customer_id: 0,
            items: vec!["id:1".parse().unwrap()],
            note: String::new(),
            count_corrections: Vec::new(),
            sale_id: Some(SaleId::parse("till-1").unwrap()),
        };
        store.place(&order, Placing::ToShip, Utc::now()).unwrap();
        store.conn.execute_batch(sql).unwrap_err()
    }

    #[test]
    fn only_the_unique_index_on_sale_ids_says_the_sale_id_is_taken() {
        let taken = refusal_of(
            "INSERT INTO orders (customer_id, status, created_at, subtotal_cents, discount_cents,
                                 total_cents, sale_id)
             SELECT customer_id, status, created_at, 0, 0, 0, sale_id FROM orders",
        );
        assert!(is_sale_id_taken(&taken), "{taken}");
        let other_line = refusal_of("INSERT INTO order_items SELECT * FROM order_items");
        assert!(!is_sale_id_taken(&other_line), "{other_line}");
        let bad_id = refusal_of("UPDATE orders SET sale_id = 'till 1'");
        assert!(!is_sale_id_taken(&bad_id), "{bad_id}");
    }
}
