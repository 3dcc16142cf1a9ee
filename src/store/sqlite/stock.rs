//! The stock ledger: every change of a product's stock is a row, written by
//! the same transaction as the change, so the stock always equals the sum
//! of its product's rows.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::time::DbTime;
use super::{Result, SqliteStore, products};
use crate::domain::product::{MAX_STOCK, MoveReason, StockMove, stock_change_refusal};
use crate::domain::text::quote;

impl SqliteStore {
    /// Every change of the product's stock, oldest first, each with the
    /// stock it left.
    pub(super) fn stock_moves(&self, product_id: i64) -> Result<Vec<StockMove>> {
        products::resolve_id(&self.conn, product_id)?;
        let mut statement = self.conn.prepare_cached(
            "SELECT seq, product_id, delta, reason, order_id, at, note
             FROM stock_moves WHERE product_id = ?1 ORDER BY seq",
        )?;
        // The running balance is summed here, not by SQL's sum(), which
        // fails the whole read with "integer overflow" on a ledger another
        // tool filled with huge rows; such a balance stops at the bound
        // (`check` names the ledger).
        let mut balance = 0i64;
        let moves = statement
            .query_map([product_id], |row| {
                let delta: i64 = row.get(2)?;
                balance = balance.saturating_add(delta);
                let reason: String = row.get(3)?;
                Ok(StockMove {
                    seq: row.get(0)?,
                    product_id: row.get(1)?,
                    delta,
                    reason: MoveReason::from_db(&reason).ok_or_else(|| {
                        rusqlite::Error::FromSqlConversionFailure(
                            3,
                            rusqlite::types::Type::Text,
                            format!("“{}” is not a reason for a stock move", quote(&reason)).into(),
                        )
                    })?,
                    order_id: row.get(4)?,
                    note: row.get(6)?,
                    at: row.get::<_, DbTime>(5)?.0,
                    balance,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(moves)
    }
}

/// Moves `delta` units of the product's stock and writes the ledger row
/// that says why (`reason`, the order for a sale or a cancel, and a
/// `note` where the reason alone does not say), in the caller's transaction: the one way stock changes
/// (the stock a product is added with, sales, cancels, restocks, counts;
/// only the demo's bulk load writes its rows itself). The conditional
/// update is the check: a change that would leave the stock outside 0 to
/// [`MAX_STOCK`] touches no row, whatever another counter did since the
/// product was read, and the domain's rule ([`stock_change_refusal`]) then says
/// why, naming the product. The caller's transaction is dropped on a
/// refusal, so nothing of it is written.
pub(super) fn change(
    conn: &Connection,
    product_id: i64,
    delta: i64,
    reason: MoveReason,
    order_id: Option<i64>,
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE products SET stock = stock + ?1
             WHERE id = ?2 AND stock + ?1 BETWEEN 0 AND ?3",
        )?
        .execute(params![delta, product_id, MAX_STOCK])?;
    if changed == 0 {
        let product = products::resolve_id(conn, product_id)?;
        // Under the write lock the rule and the update see the same stock.
        return Err(stock_change_refusal(&product, delta).into());
    }
    conn.prepare_cached(
        "INSERT INTO stock_moves (product_id, seq, delta, reason, order_id, at, note)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM stock_moves WHERE product_id = ?1),
                 ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        product_id,
        delta,
        reason.as_str(),
        order_id,
        DbTime(at),
        note
    ])?;
    Ok(())
}
