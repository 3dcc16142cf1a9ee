//! Products on the server.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use chrono::{DateTime, Utc};

use crate::domain::product::{NewProduct, Product, ProductChanges};

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn add_product(&mut self, new: &NewProduct, now: DateTime<Utc>) -> Result<Product> {
        todo!()
    }

    pub(super) fn product(&self, product: &str) -> Result<Product> {
        todo!()
    }

    pub(super) fn product_by_sku(&self, sku: &str) -> Result<Option<Product>> {
        todo!()
    }

    pub(super) fn product_by_id(&self, id: i64) -> Result<Product> {
        todo!()
    }

    pub(super) fn edit_product(
        &mut self,
        id: i64,
        changes: &ProductChanges,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        todo!()
    }

    pub(super) fn set_product_active(
        &mut self,
        id: i64,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        todo!()
    }
}
