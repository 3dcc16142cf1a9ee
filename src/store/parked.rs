//! What every backend's parked sales share, above SQL.

use crate::domain::order::{Quantity, SaleId};
use crate::domain::product::Product;

use super::{Error, Result};

/// A parked sale's sale id as stored: one no rule allows (another tool's
/// writing) is unreadable, which leaves the sale out of the list.
pub(super) fn parked_sale_id(stored: Option<String>) -> Result<Option<SaleId>> {
    stored
        .map(|text| SaleId::parse(&text).map_err(|error| Error::Unreadable(error.to_string())))
        .transpose()
}

/// A parked sale's lines as stored (product id and quantity, in line
/// order), each with its product as it is now, read by `product`: a
/// product gone or a quantity no rule allows (another tool's writing) is
/// the rule's error, which leaves the sale out of the list.
pub(super) fn parked_lines(
    rows: Vec<(i64, i64)>,
    mut product: impl FnMut(i64) -> Result<Product>,
) -> Result<Vec<(Product, Quantity)>> {
    rows.into_iter()
        .map(|(product_id, quantity)| Ok((product(product_id)?, Quantity::new(quantity)?)))
        .collect()
}
