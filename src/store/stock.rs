//! Taking a sale's stock, as every backend does it around its own
//! conditional update.

use super::{Error, Result};
use crate::domain::order::Quantity;
use crate::domain::product::Product;
use crate::domain::{self};

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
