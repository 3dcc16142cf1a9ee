//! Products: the catalog, its stock, finding a product by SKU or id.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::search::{SearchTable, SearchText, keep_search_key, search_page, search_page_before};
use super::time::DbTime;
use super::{Result, RowsBefore, SqliteStore, commit, stock};
use crate::domain::Error;
use crate::domain::product::{
    MoveReason, NewProduct, Product, ProductChanges, ProductRef, Restock, check_sku_free,
    pick_product,
};

pub(super) const COLUMNS: &str =
    "id, sku, name, price_cents, stock, details, active, created_at, updated_at";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Product> {
    Ok(Product {
        id: row.get(0)?,
        sku: row.get(1)?,
        name: row.get(2)?,
        price: crate::domain::Cents::new(row.get(3)?),
        stock: row.get(4)?,
        details: row.get(5)?,
        active: row.get(6)?,
        created_at: row.get::<_, DbTime>(7)?.0,
        updated_at: row.get::<_, DbTime>(8)?.0,
    })
}

impl SqliteStore {
    /// Adds a product to the catalog. Refuses a SKU already in use, in any
    /// case, archived products included.
    pub(super) fn add_product(&mut self, new: &NewProduct, now: DateTime<Utc>) -> Result<Product> {
        let tx = self.write()?;
        check_sku_free(&new.sku, find_by_sku(&tx, new.sku.as_str())?)?;
        // Added empty, then stocked like every other change of stock.
        tx.execute(
            "INSERT INTO products (sku, name, price_cents, stock, details, created_at, updated_at)
             VALUES (?1, ?2, ?3, 0, ?4, ?5, ?5)",
            params![
                new.sku.as_str(),
                new.name.as_str(),
                new.price.get(),
                new.details,
                DbTime(now),
            ],
        )?;
        let id = tx.last_insert_rowid();
        keep_search_key(&tx, &PRODUCT_SEARCH, id)?;
        stock::change(&tx, id, new.stock.get(), MoveReason::Initial, None, "", now)?;
        let product = resolve_id(&tx, id)?;
        commit(tx)?;
        Ok(product)
    }

    /// The product a clerk means by `product`, as typed on the command
    /// line: `id:12`, `sku:12`, or a SKU, or digits that no SKU has taken
    /// as an id. Digits that are one product's SKU and another's id are
    /// refused with [`Error::ProductAmbiguous`] (see [`ProductRef`]).
    pub(super) fn product(&self, product: &str) -> Result<Product> {
        resolve(&self.conn, &ProductRef::parse(product)?)
    }

    /// The product with exactly this SKU (any case), if there is one: what
    /// a scan finds. Unlike [`SqliteStore::product`], digits are never taken as an
    /// id, so a stray keystroke at the counter sells nothing.
    pub(super) fn product_by_sku(&self, sku: &str) -> Result<Option<Product>> {
        find_by_sku(&self.conn, sku.trim())
    }

    /// The product with this id.
    pub(super) fn product_by_id(&self, id: i64) -> Result<Product> {
        resolve_id(&self.conn, id)
    }

    /// Changes a product's name, price or details. Orders already placed
    /// keep the name and price they were sold at.
    pub(super) fn edit_product(
        &mut self,
        id: i64,
        changes: &ProductChanges,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        let tx = self.write()?;
        resolve_id(&tx, id)?;
        if let Some(name) = &changes.name {
            tx.execute(
                "UPDATE products SET name = ?1 WHERE id = ?2",
                params![name.as_str(), id],
            )?;
            keep_search_key(&tx, &PRODUCT_SEARCH, id)?;
        }
        if let Some(price) = changes.price {
            tx.execute(
                "UPDATE products SET price_cents = ?1 WHERE id = ?2",
                params![price.get(), id],
            )?;
        }
        if let Some(details) = &changes.details {
            tx.execute(
                "UPDATE products SET details = ?1 WHERE id = ?2",
                params![details, id],
            )?;
        }
        touch(&tx, id, now)?;
        let product = resolve_id(&tx, id)?;
        commit(tx)?;
        Ok(product)
    }

    /// Adds to or sets a product's stock, writing the change to its ledger
    /// (a count that finds the stock as it was changes nothing). Refuses
    /// ([`Error::StockLimit`]) a stock above [`MAX_STOCK`](crate::domain::product::MAX_STOCK).
    pub(super) fn restock(
        &mut self,
        id: i64,
        restock: Restock,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        let tx = self.write()?;
        // Read and write under the write lock taken by `write()`: no other
        // counter can change this stock in between.
        let current = resolve_id(&tx, id)?;
        let delta = restock.delta(current.stock);
        if delta != 0 {
            stock::change(&tx, current.id, delta, restock.reason(), None, "", now)?;
        }
        touch(&tx, current.id, now)?;
        let product = resolve_id(&tx, current.id)?;
        commit(tx)?;
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
        let tx = self.write()?;
        resolve_id(&tx, id)?;
        tx.execute(
            "UPDATE products SET active = ?1 WHERE id = ?2",
            params![active, id],
        )?;
        touch(&tx, id, now)?;
        let product = resolve_id(&tx, id)?;
        commit(tx)?;
        Ok(product)
    }

    /// Products whose SKU or name contains `text`, ignoring case; an exact
    /// SKU comes first, then by name. Archived products are included (they
    /// say so). Empty text lists the catalog by name. This is the first page
    /// of `limit` rows; [`SqliteStore::search_products_after`] reads the next ones.
    pub(super) fn search_products(&self, text: &str, limit: usize) -> Result<Vec<Product>> {
        self.product_page(text, None, limit)
    }

    /// The page of the same search that follows `after`, the last product
    /// of the page before.
    pub(super) fn search_products_after(
        &self,
        text: &str,
        after: &Product,
        limit: usize,
    ) -> Result<Vec<Product>> {
        self.product_page(text, Some(after), limit)
    }

    /// The page of the same search that ends just before `before` (a
    /// product of the page below), or at the very end of the list when
    /// `before` is `None` (End): read upwards, as far down a long list as
    /// at its start.
    pub(super) fn search_products_before(
        &self,
        text: &str,
        before: Option<&Product>,
        limit: usize,
    ) -> Result<RowsBefore<Product>> {
        let before = before.map(|p| (p.name.as_str(), p.id));
        Ok(search_page_before(
            &self.conn,
            &PRODUCT_SEARCH,
            self.search_caches.products.borrow_mut().as_mut(),
            &product_search(text),
            before,
            limit,
            from_row,
        )?)
    }

    fn product_page(
        &self,
        text: &str,
        after: Option<&Product>,
        limit: usize,
    ) -> Result<Vec<Product>> {
        let search = product_search(text);
        let after = after.map(|p| (p.name.as_str(), p.id));
        Ok(search_page(
            &self.conn,
            &PRODUCT_SEARCH,
            self.search_caches.products.borrow_mut().as_mut(),
            &search,
            after,
            limit,
            from_row,
        )?)
    }
}

/// A product search for `text`: its SKU and name; no phone digits.
fn product_search(text: &str) -> SearchText<'_> {
    SearchText {
        text,
        digits: None,
        extra: Vec::new(),
    }
}

pub(super) const PRODUCT_SEARCH: SearchTable = SearchTable {
    table: "products",
    columns: "id, sku, name, price_cents, stock, details, active, created_at, updated_at",
    exact: "sku = :text",
    // As [`product_search_key`] folds them.
    key_columns: "name, sku",
    digits: "''",
    trigrams: "products_search",
};

fn find_by_sku(conn: &Connection, sku: &str) -> Result<Option<Product>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE sku = ?1"))?
        .query_row([sku], from_row)
        .optional()?)
}

fn find_by_id(conn: &Connection, id: i64) -> Result<Option<Product>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM products WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The product `product` names: see [`pick_product`].
pub(super) fn resolve(conn: &Connection, product: &ProductRef) -> Result<Product> {
    pick_product(
        product,
        |sku| find_by_sku(conn, sku),
        |id| find_by_id(conn, id),
    )
}

pub(super) fn resolve_id(conn: &Connection, id: i64) -> Result<Product> {
    find_by_id(conn, id)?.ok_or_else(|| Error::ProductIdNotFound(id).into())
}

fn touch(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE products SET updated_at = ?1 WHERE id = ?2",
        params![DbTime(now), id],
    )?;
    Ok(())
}
