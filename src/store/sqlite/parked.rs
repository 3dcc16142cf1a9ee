//! Parked sales: a counter's carts put aside to serve someone else.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::time::DbTime;
use super::{Result, SqliteStore, commit, customers, products};
use crate::domain::Error;
use crate::domain::order::{ParkedSale, Quantity, SaleId};
use crate::store::parked::{parked_lines, parked_sale_id};

impl SqliteStore {
    /// Stores a cart to finish later. It holds no stock: everything is
    /// checked again when the sale is placed.
    pub(super) fn park_sale(
        &mut self,
        customer_id: i64,
        lines: &[(i64, Quantity)],
        sale_id: Option<&SaleId>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let tx = self.write()?;
        customers::find(&tx, customer_id)?;
        tx.execute(
            "INSERT INTO parked_sales (customer_id, parked_at, sale_id) VALUES (?1, ?2, ?3)",
            params![customer_id, DbTime(now), sale_id.map(SaleId::as_str)],
        )?;
        let id = tx.last_insert_rowid();
        let mut insert =
            tx.prepare_cached("INSERT INTO parked_lines (parked_id, line_no, product_id, quantity) VALUES (?1, ?2, ?3, ?4)")?;
        for (line_no, (product_id, quantity)) in (1..).zip(lines) {
            insert.execute(params![id, line_no, product_id, quantity.get()])?;
        }
        drop(insert);
        commit(tx)?;
        Ok(id)
    }

    /// The parked sales, oldest first, with their customers and products
    /// as they are now. One that another tool broke (its customer or a
    /// product deleted, a quantity no rule allows) cannot be resumed and is
    /// left out, so the others still can be; `check` names it.
    pub(super) fn parked_sales(&self) -> Result<Vec<ParkedSale>> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM parked_sales ORDER BY id")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .filter_map(|id| match parked_sale(&self.conn, id) {
                Err(super::Error::Rule(_) | super::Error::Unreadable(_)) => None,
                read => Some(read),
            })
            .collect()
    }

    /// Takes a parked sale back out (it is no longer parked): read and
    /// removed in one transaction, so two counters cannot both resume it.
    pub(super) fn resume_parked_sale(&mut self, id: i64) -> Result<ParkedSale> {
        let tx = self.write()?;
        let sale = parked_sale(&tx, id)?;
        // Lines go with their sale (ON DELETE CASCADE).
        tx.execute("DELETE FROM parked_sales WHERE id = ?1", [id])?;
        commit(tx)?;
        Ok(sale)
    }
}

fn parked_sale(conn: &Connection, id: i64) -> Result<ParkedSale> {
    let found: Option<(i64, DbTime, Option<String>)> = conn
        .prepare_cached("SELECT customer_id, parked_at, sale_id FROM parked_sales WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    let (customer_id, parked_at, sale_id) = found.ok_or(Error::ParkedSaleNotFound(id))?;
    let customer = customers::find(conn, customer_id)?;
    let mut statement = conn.prepare_cached(
        "SELECT product_id, quantity FROM parked_lines WHERE parked_id = ?1 ORDER BY line_no",
    )?;
    let rows: Vec<(i64, i64)> = statement
        .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let lines = parked_lines(rows, |product_id| products::resolve_id(conn, product_id))?;
    Ok(ParkedSale {
        id,
        customer,
        parked_at: parked_at.0,
        lines,
        sale_id: parked_sale_id(sale_id)?,
    })
}
