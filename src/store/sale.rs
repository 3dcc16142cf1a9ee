//! What placing a sale decides the same way on every backend, around the
//! backend's own statements: a sale sent again found by its sale id, and
//! the stock of its lines taken.

use super::{Error, Result};
use crate::domain::money::Currency;
use crate::domain::order::{NewOrder, Order, Placing, Quantity, SaleId, check_retried_sale};
use crate::domain::product::Product;
use crate::domain::{self};

/// The order first placed with `order`'s sale id, found by `find` (a
/// backend's lookup by sale id), if there is one and `order` is the same
/// sale ([`check_retried_sale`]; another sale under its id is refused).
pub(super) fn placed_before(
    order: &NewOrder,
    find: impl FnOnce(&SaleId) -> Result<Option<Order>>,
) -> Result<Option<Order>> {
    let Some(sale_id) = &order.sale_id else {
        return Ok(None);
    };
    let placed = find(sale_id)?;
    if let Some(placed) = &placed {
        check_retried_sale(order, placed)?;
    }
    Ok(placed)
}

/// Takes each line's quantity off the shelf with `take` (a backend's
/// conditional update, in the sale's transaction), in the order of the
/// lines, or refuses naming every short line: a line short of stock does
/// not stop the others from being tried, so that the clerk hears of every
/// one at once; any other refusal stops at once. On a refusal the caller
/// drops its transaction, so nothing taken is kept.
pub(super) fn take_each_line(
    lines: &[(Product, Quantity)],
    mut take: impl FnMut(&Product, Quantity) -> Result<()>,
) -> Result<()> {
    let mut shortages = Vec::new();
    for (product, quantity) in lines {
        match take(product, *quantity) {
            Err(Error::Rule(domain::Error::OutOfStock(short))) => shortages.extend(short),
            other => other?,
        }
    }
    if shortages.is_empty() {
        Ok(())
    } else {
        Err(domain::Error::OutOfStock(shortages).into())
    }
}

/// The currency a sale's refusals name amounts in: the shop's, read by
/// `read` (a backend's settings, in the sale's transaction), for a counter
/// sale, whose total and payment are checked; a sale to ship names no
/// amount, and is spared the read (a round trip to a server per sale).
pub(super) fn currency_for(
    placing: Placing,
    read: impl FnOnce() -> Result<Currency>,
) -> Result<Currency> {
    match placing {
        Placing::ToShip => Ok(Currency::default()),
        Placing::AtTheCounter { .. } => read(),
    }
}
