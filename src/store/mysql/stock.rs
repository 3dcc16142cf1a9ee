//! Stock and its ledger on the server.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use chrono::{DateTime, Utc};

use crate::domain::product::{Product, Restock, StockMove};

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn restock(
        &mut self,
        id: i64,
        restock: Restock,
        now: DateTime<Utc>,
    ) -> Result<Product> {
        todo!()
    }

    pub(super) fn stock_moves(&self, product_id: i64) -> Result<Vec<StockMove>> {
        todo!()
    }
}
