//! The stock ledger on the server: every change of a product's stock is a
//! row, written by the same transaction as the change, so the stock always
//! equals the sum of its product's rows.

use chrono::{DateTime, Utc};
use mysql::Value;
use mysql::prelude::Queryable;

use super::{MysqlStore, all, products, time, write};
use crate::domain::product::{
    MAX_STOCK, MoveReason, Product, Restock, StockMove, stock_after, stock_limit,
};
use crate::domain::text::quote;
use crate::store::{Error, Result};

impl MysqlStore {
    /// Adds to or sets a product's stock, writing the change to its ledger
    /// (a count that finds the stock as it was changes nothing). Refuses
    /// ([`crate::domain::Error::StockLimit`]) a stock above [`MAX_STOCK`].
    pub(super) fn restock(
        &mut self,
        id: i64,
        restock: Restock,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        let mut conn = self.conn()?;
        let mut tx = write(&mut conn)?;
        // Read with the row's lock, so that no other counter changes this
        // stock between the count and its correction.
        let current = products::resolve_id_for_update(&mut tx, id)?;
        let delta = restock.delta(current.stock);
        if delta != 0 {
            change(&mut tx, current.id, delta, restock.reason(), None, "", now)?;
        }
        products::touch(&mut tx, current.id, now)?;
        let product = products::resolve_id(&mut tx, current.id)?;
        tx.commit()?;
        Ok(product)
    }

    /// Every change of the product's stock, oldest first, each with the
    /// stock it left.
    pub(super) fn stock_moves(&self, product_id: i64) -> Result<Vec<StockMove>> {
        let mut conn = self.conn()?;
        products::resolve_id(&mut *conn, product_id)?;
        let rows: Vec<MoveRow> = all(
            &mut *conn,
            "SELECT seq, product_id, delta, reason, order_id, at, note
             FROM stock_moves WHERE product_id = ? ORDER BY seq",
            (product_id,),
        )?;
        // The running balance is summed here, saturating, so that a ledger
        // another tool filled with huge rows still reads (`check` names it).
        let mut balance = 0i64;
        rows.into_iter()
            .map(|(seq, product_id, delta, reason, order_id, at, note)| {
                balance = balance.saturating_add(delta);
                Ok(StockMove {
                    seq,
                    product_id,
                    delta,
                    reason: MoveReason::from_db(&reason).ok_or_else(|| {
                        Error::Unreadable(format!(
                            "“{}” is not a reason for a stock move",
                            quote(&reason)
                        ))
                    })?,
                    order_id,
                    note,
                    at: time::from_value(at)?,
                    balance,
                })
            })
            .collect()
    }
}

/// A ledger row as [`MysqlStore::stock_moves`] reads it.
type MoveRow = (i64, i64, i64, String, Option<i64>, Value, String);

/// Moves `delta` units of the product's stock and writes the ledger row
/// that says why (`reason`, the order for a sale or a cancel, and a `note`
/// where the reason alone does not say), in the caller's transaction: the
/// one way stock changes (but the demo's bulk load). The conditional
/// update is the check: a change that would leave the stock outside 0 to
/// [`MAX_STOCK`] matches no row, whatever another counter did since the
/// product was read, and the domain's rule ([`stock_after`]) then says
/// why, naming the product. The caller's transaction is dropped on a
/// refusal, so nothing of it is written.
pub(super) fn change(
    conn: &mut impl Queryable,
    product_id: i64,
    delta: i64,
    reason: MoveReason,
    order_id: Option<i64>,
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    // The bounds are on the stock before the move, worked out here: the
    // server refuses a sum past BIGINT's range outright (SQLite's turns to
    // a real, which its range check refuses).
    let lowest = 0i64.saturating_sub(delta);
    let highest = MAX_STOCK.saturating_sub(delta);
    let matched = conn
        .exec_iter(
            "UPDATE products SET stock = stock + ? WHERE id = ? AND stock BETWEEN ? AND ?",
            (delta, product_id, lowest, highest),
        )?
        .affected_rows();
    if matched == 0 {
        // A locking read: the stock as the update saw it, committed by
        // another counter since this transaction's snapshot. The rule and
        // the update then agree; should they ever not, the update's
        // refusal stands.
        let product = products::resolve_id_for_update(conn, product_id)?;
        let refusal = stock_after(&product, delta)
            .err()
            .unwrap_or_else(|| stock_limit(&product, delta));
        return Err(refusal.into());
    }
    // The next seq is read by the INSERT ... SELECT itself, a locking
    // read of the ledger's latest rows (not the transaction's snapshot),
    // under the product row's lock the update above holds.
    conn.exec_drop(
        "INSERT INTO stock_moves (product_id, seq, delta, reason, order_id, at, note)
         SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?
         FROM stock_moves WHERE product_id = ?",
        (
            product_id,
            delta,
            reason.as_str(),
            order_id,
            time::to_value(at),
            note,
            product_id,
        ),
    )?;
    Ok(())
}
