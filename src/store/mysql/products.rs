//! Products on the server: the catalog, finding a product by SKU or id.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use mysql::Value;
use mysql::prelude::Queryable;

use super::search::{Searched, count_change};
use super::{MysqlStore, error, first, inserted_id, stock, time, write};
use crate::domain::product::{
    MoveReason, NewProduct, Product, ProductChanges, ProductRef, Sku, check_sku_free, pick_product,
};
use crate::domain::{Cents, Error};
use crate::store::Result;
use crate::store::search::product_search_key;

pub(super) const COLUMNS: &str =
    "id, sku, name, price_cents, stock, details, active, created_at, updated_at";

/// A product's row as [`COLUMNS`] reads it.
pub(super) type ProductRow = (i64, String, String, i64, i64, String, bool, Value, Value);

pub(super) fn from_row(
    (id, sku, name, price, stock, details, active, created_at, updated_at): ProductRow,
) -> Result<Product> {
    Ok(Product {
        id,
        sku,
        name,
        price: Cents::new(price),
        stock,
        details,
        active,
        created_at: time::from_value(created_at)?,
        updated_at: time::from_value(updated_at)?,
    })
}

/// The unique index that keeps a SKU, in any case, to one product.
const SKU_INDEX: &str = "products_by_sku_nocase";

impl MysqlStore {
    /// Adds a product to the catalog. Refuses a SKU already in use, in any
    /// case, archived products included: read inside the write, queued by
    /// [`count_change`] behind every other change to the catalog's
    /// searched text.
    pub(super) fn add_product(&mut self, new: &NewProduct, now: DateTime<Utc>) -> Result<Product> {
        let mut conn = self.conn()?;
        let mut tx = write(&mut conn)?;
        count_change(&mut tx, Searched::Products)?;
        check_sku_free(&new.sku, find_by_sku(&mut tx, new.sku.as_str())?)?;
        // Added empty, then stocked like every other change of stock.
        let inserted = tx.exec_drop(
            "INSERT INTO products
                 (sku, name, price_cents, stock, details, created_at, updated_at, search_key)
             VALUES (?, ?, ?, 0, ?, ?, ?, ?)",
            (
                new.sku.as_str(),
                new.name.as_str(),
                new.price.get(),
                new.details.as_str(),
                time::to_value(now),
                time::to_value(now),
                product_search_key(new.name.as_str(), new.sku.as_str()),
            ),
        );
        if let Err(refused) = &inserted {
            sku_taken_by_another(refused, &new.sku, &mut tx)?;
        }
        inserted?;
        let id = inserted_id(&tx)?;
        stock::change(
            &mut tx,
            id,
            new.stock.get(),
            MoveReason::Initial,
            None,
            "",
            now,
        )?;
        let product = resolve_id(&mut tx, id)?;
        tx.commit()?;
        Ok(product)
    }

    /// The product a clerk means by `product`, as typed on the command
    /// line: `id:12`, `sku:12`, or a SKU, or digits that no SKU has taken
    /// as an id (see [`pick_product`]).
    pub(super) fn product(&self, product: &str) -> Result<Product> {
        resolve(&mut *self.conn()?, &ProductRef::parse(product)?)
    }

    /// The product with exactly this SKU (any case), if there is one: what
    /// a scan finds (digits are never taken as an id).
    pub(super) fn product_by_sku(&self, sku: &str) -> Result<Option<Product>> {
        find_by_sku(&mut *self.conn()?, sku.trim())
    }

    /// The product with this id.
    pub(super) fn product_by_id(&self, id: i64) -> Result<Product> {
        resolve_id(&mut *self.conn()?, id)
    }

    /// Changes a product's name, price or details. Orders already placed
    /// keep the name and price they were sold at.
    pub(super) fn edit_product(
        &mut self,
        id: i64,
        changes: &ProductChanges,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        let mut conn = self.conn()?;
        let mut tx = write(&mut conn)?;
        if changes.name.is_some() {
            count_change(&mut tx, Searched::Products)?;
        }
        let current = resolve_id(&mut tx, id)?;
        if let Some(name) = &changes.name {
            tx.exec_drop(
                "UPDATE products SET name = ?, search_key = ? WHERE id = ?",
                (
                    name.as_str(),
                    product_search_key(name.as_str(), &current.sku),
                    id,
                ),
            )?;
        }
        if let Some(price) = changes.price {
            tx.exec_drop(
                "UPDATE products SET price_cents = ? WHERE id = ?",
                (price.get(), id),
            )?;
        }
        if let Some(details) = &changes.details {
            tx.exec_drop(
                "UPDATE products SET details = ? WHERE id = ?",
                (details.as_str(), id),
            )?;
        }
        touch(&mut tx, id, now)?;
        let product = resolve_id(&mut tx, id)?;
        tx.commit()?;
        Ok(product)
    }

    /// Archives (`active = false`) or brings back a product. Archiving
    /// keeps it in order history but stops it being sold.
    pub(super) fn set_product_active(
        &mut self,
        id: i64,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        let mut conn = self.conn()?;
        let mut tx = write(&mut conn)?;
        resolve_id(&mut tx, id)?;
        tx.exec_drop("UPDATE products SET active = ? WHERE id = ?", (active, id))?;
        touch(&mut tx, id, now)?;
        let product = resolve_id(&mut tx, id)?;
        tx.commit()?;
        Ok(product)
    }
}

/// Refuses with the domain's [`Error::SkuTaken`] when the server refused
/// the row because another product has the SKU in some case: the unique
/// index is the last word when a write that did not queue as the store's
/// do (another tool's) got there first.
fn sku_taken_by_another(
    refused: &mysql::Error,
    sku: &Sku,
    conn: &mut impl Queryable,
) -> Result<()> {
    if !error::is_duplicate_of(refused, SKU_INDEX) {
        return Ok(());
    }
    // A locking read sees the row committed since this write's snapshot.
    let sql = format!("SELECT {COLUMNS} FROM products WHERE sku_nocase = ? FOR UPDATE");
    match first::<ProductRow>(conn, &sql, (sku.as_str().to_ascii_lowercase(),))? {
        Some(holder) => Ok(check_sku_free(sku, Some(from_row(holder)?))?),
        None => Ok(()),
    }
}

/// The product with this SKU in any case (NOCASE: ASCII letters without
/// case, as `sku_nocase` keeps it), read through its unique index.
pub(super) fn find_by_sku(conn: &mut impl Queryable, sku: &str) -> Result<Option<Product>> {
    let sql = format!("SELECT {COLUMNS} FROM products WHERE sku_nocase = ?");
    first::<ProductRow>(conn, &sql, (sku.to_ascii_lowercase(),))?
        .map(from_row)
        .transpose()
}

fn find_by_id(conn: &mut impl Queryable, id: i64) -> Result<Option<Product>> {
    let sql = format!("SELECT {COLUMNS} FROM products WHERE id = ?");
    first::<ProductRow>(conn, &sql, (id,))?
        .map(from_row)
        .transpose()
}

/// The product `product` names: see [`pick_product`].
pub(super) fn resolve(conn: &mut impl Queryable, product: &ProductRef) -> Result<Product> {
    // Both lookups read on the one connection, one at a time.
    let conn = RefCell::new(conn);
    pick_product(
        product,
        |sku| find_by_sku(&mut **conn.borrow_mut(), sku),
        |id| find_by_id(&mut **conn.borrow_mut(), id),
    )
}

/// The product with this id, or [`Error::ProductIdNotFound`].
pub(super) fn resolve_id(conn: &mut impl Queryable, id: i64) -> Result<Product> {
    find_by_id(conn, id)?.ok_or_else(|| Error::ProductIdNotFound(id).into())
}

/// As [`resolve_id`], as last committed, locked until the transaction
/// ends: no other counter changes it meanwhile.
pub(super) fn resolve_id_for_update(conn: &mut impl Queryable, id: i64) -> Result<Product> {
    let sql = format!("SELECT {COLUMNS} FROM products WHERE id = ? FOR UPDATE");
    match first::<ProductRow>(conn, &sql, (id,))? {
        Some(row) => from_row(row),
        None => Err(Error::ProductIdNotFound(id).into()),
    }
}

/// Marks the product changed at `now`.
pub(super) fn touch(conn: &mut impl Queryable, id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.exec_drop(
        "UPDATE products SET updated_at = ? WHERE id = ?",
        (time::to_value(now), id),
    )?;
    Ok(())
}
