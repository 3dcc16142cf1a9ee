//! Parked sales on the server.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use chrono::{DateTime, Utc};

use crate::domain::order::{ParkedSale, Quantity};

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn park_sale(
        &mut self,
        customer_id: i64,
        lines: &[(i64, Quantity)],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        todo!()
    }

    pub(super) fn parked_sales(&self) -> Result<Vec<ParkedSale>> {
        todo!()
    }

    pub(super) fn resume_parked_sale(&mut self, id: i64) -> Result<ParkedSale> {
        todo!()
    }
}
