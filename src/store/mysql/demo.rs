//! Loading a demo shop into a server database.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use chrono::{DateTime, Utc};

use crate::domain::customer::NewCustomer;
use crate::domain::order::{Order, OrderEvent};
use crate::domain::product::NewProduct;
use crate::store::DemoLoader;

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn demo_loader(&self) -> Result<Loader<'_>> {
        todo!()
    }
}

/// A demo load in progress (SKELETON).
pub(super) struct Loader<'s> {
    store: &'s MysqlStore,
}

impl DemoLoader for Loader<'_> {
    fn add_customer(&mut self, customer: &NewCustomer, at: DateTime<Utc>) -> Result<i64> {
        todo!()
    }

    fn add_product(
        &mut self,
        product: &NewProduct,
        active: bool,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        todo!()
    }

    fn add_order(&mut self, order: &Order, events: &[OrderEvent]) -> Result<i64> {
        todo!()
    }

    fn finish(self: Box<Self>) -> Result<()> {
        todo!()
    }
}
