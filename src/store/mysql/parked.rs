//! Parked sales on the server: a counter's carts put aside to serve
//! someone else.

use chrono::{DateTime, Utc};
use mysql::Value;
use mysql::prelude::Queryable;

use super::{MysqlStore, all, customers, first, inserted_id, products, time, write};
use crate::domain::Error;
use crate::domain::order::{ParkedSale, Quantity, SaleId};
use crate::store::Result;
use crate::store::parked::{parked_lines, parked_sale_id};

impl MysqlStore {
    /// Stores a cart to finish later. It holds no stock: everything is
    /// checked again when the sale is placed.
    pub(super) fn park_sale(
        &mut self,
        customer_id: i64,
        lines: &[(i64, Quantity)],
        sale_id: Option<&SaleId>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut conn = self.conn()?;
        let mut tx = write(&mut conn)?;
        customers::find(&mut tx, customer_id)?;
        tx.exec_drop(
            "INSERT INTO parked_sales (customer_id, parked_at, sale_id) VALUES (?, ?, ?)",
            (
                customer_id,
                time::to_value(now),
                sale_id.map(SaleId::as_str),
            ),
        )?;
        let id = inserted_id(&tx)?;
        tx.exec_batch(
            "INSERT INTO parked_lines (parked_id, line_no, product_id, quantity)
             VALUES (?, ?, ?, ?)",
            (1i64..)
                .zip(lines)
                .map(|(line_no, (product_id, quantity))| {
                    (id, line_no, *product_id, quantity.get())
                }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The parked sales, oldest first, with their customers and products
    /// as they are now. One that another tool broke (its customer or a
    /// product deleted, a quantity no rule allows) cannot be resumed and is
    /// left out, so the others still can be; `check` names it.
    pub(super) fn parked_sales(&self) -> Result<Vec<ParkedSale>> {
        let mut conn = self.conn()?;
        let ids: Vec<i64> = all(&mut *conn, "SELECT id FROM parked_sales ORDER BY id", ())?;
        ids.into_iter()
            .filter_map(|id| match parked_sale(&mut *conn, id) {
                Err(crate::store::Error::Rule(_) | crate::store::Error::Unreadable(_)) => None,
                read => Some(read),
            })
            .collect()
    }

    /// Takes a parked sale back out (it is no longer parked), in one
    /// transaction. Two counters cannot both resume it: the delete is the
    /// check, and the counter whose delete finds the sale gone (the other
    /// committed it meanwhile) is told it is not parked.
    pub(super) fn resume_parked_sale(&mut self, id: i64) -> Result<ParkedSale> {
        let mut conn = self.conn()?;
        let mut tx = write(&mut conn)?;
        let sale = parked_sale(&mut tx, id)?;
        // Lines go with their sale (ON DELETE CASCADE).
        let deleted = tx
            .exec_iter("DELETE FROM parked_sales WHERE id = ?", (id,))?
            .affected_rows();
        if deleted == 0 {
            return Err(Error::ParkedSaleNotFound(id).into());
        }
        tx.commit()?;
        Ok(sale)
    }
}

/// The parked sale `id`, with its customer and products as they are now.
fn parked_sale(conn: &mut impl Queryable, id: i64) -> Result<ParkedSale> {
    let found: Option<(i64, Value, Option<String>)> = first(
        conn,
        "SELECT customer_id, parked_at, sale_id FROM parked_sales WHERE id = ?",
        (id,),
    )?;
    let (customer_id, parked_at, sale_id) = found.ok_or(Error::ParkedSaleNotFound(id))?;
    let customer = customers::find(conn, customer_id)?;
    let rows: Vec<(i64, i64)> = all(
        conn,
        "SELECT product_id, quantity FROM parked_lines WHERE parked_id = ? ORDER BY line_no",
        (id,),
    )?;
    let lines = parked_lines(rows, |product_id| products::resolve_id(conn, product_id))?;
    Ok(ParkedSale {
        id,
        customer,
        parked_at: time::from_value(parked_at)?,
        lines,
        sale_id: parked_sale_id(sale_id)?,
    })
}
