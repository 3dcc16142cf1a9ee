//! The stock ledger on the server: every change of a product's stock is a
//! row, written by the same transaction as the change, so the stock always
//! equals the sum of its product's rows.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mysql::Value;
use mysql::prelude::Queryable;

use super::{MysqlStore, all, placeholders, products, rows_of_placeholders, time, write};
use crate::domain::product::{
    MAX_STOCK, MoveReason, Product, Restock, StockMove, stock_change_refusal,
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
/// one way stock changes alone (a sale or a cancel moves several products'
/// stock, then writes their rows together: [`move_stock`],
/// [`write_moves`]). The caller's transaction is dropped on a refusal, so
/// nothing of it is written.
pub(super) fn change(
    conn: &mut impl Queryable,
    product_id: i64,
    delta: i64,
    reason: MoveReason,
    order_id: Option<i64>,
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    move_stock(conn, product_id, delta)?;
    let change = Move {
        product_id,
        delta,
        reason,
        order_id,
        note,
    };
    write_moves(conn, &[change], at)
}

/// Moves `delta` units of the product's stock, its ledger row left to the
/// caller. The conditional update is the check: a change that would leave
/// the stock outside 0 to [`MAX_STOCK`] matches no row, whatever another
/// counter did since the product was read, and the domain's rule
/// ([`stock_change_refusal`]) then says why, naming the product.
pub(super) fn move_stock(conn: &mut impl Queryable, product_id: i64, delta: i64) -> Result<()> {
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
        // another counter since this transaction's snapshot.
        let product = products::resolve_id_for_update(conn, product_id)?;
        return Err(stock_change_refusal(&product, delta).into());
    }
    Ok(())
}

/// A change of a product's stock, as its ledger row says why.
pub(super) struct Move<'a> {
    pub product_id: i64,
    pub delta: i64,
    pub reason: MoveReason,
    /// The order of a sale or a cancel.
    pub order_id: Option<i64>,
    pub note: &'a str,
}

/// Writes the ledger rows of `moves`, made at `at` (each product's stock
/// already moved by [`move_stock`], whose update holds the product row's
/// lock), in one statement: each product's rows numbered on from its
/// latest, in the order given.
pub(super) fn write_moves(
    conn: &mut impl Queryable,
    moves: &[Move<'_>],
    at: DateTime<Utc>,
) -> Result<()> {
    if moves.is_empty() {
        return Ok(());
    }
    let mut products: Vec<i64> = moves.iter().map(|change| change.product_id).collect();
    products.sort_unstable();
    products.dedup();
    // A locking read: the latest rows as committed (another counter's
    // sale since this transaction's snapshot included), not the snapshot.
    let latest: Vec<(i64, i64)> = all(
        conn,
        &format!(
            "SELECT product_id, MAX(seq) FROM stock_moves WHERE product_id IN ({})
             GROUP BY product_id LOCK IN SHARE MODE",
            placeholders(products.len())
        ),
        products,
    )?;
    let mut last_seq: HashMap<i64, i64> = latest.into_iter().collect();
    let at = time::to_value(at);
    let mut values = Vec::with_capacity(moves.len() * MOVE_COLUMNS);
    for change in moves {
        let seq = last_seq.entry(change.product_id).or_insert(0);
        *seq = seq.saturating_add(1);
        values.extend([
            Value::from(change.product_id),
            Value::from(*seq),
            Value::from(change.delta),
            Value::from(change.reason.as_str()),
            Value::from(change.order_id),
            at.clone(),
            Value::from(change.note),
        ]);
    }
    conn.exec_drop(
        format!(
            "INSERT INTO stock_moves (product_id, seq, delta, reason, order_id, at, note) VALUES {}",
            rows_of_placeholders(moves.len(), MOVE_COLUMNS)
        ),
        values,
    )?;
    Ok(())
}

/// The columns [`write_moves`] writes for each row.
const MOVE_COLUMNS: usize = 7;
