//! Customers on the server.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use chrono::{DateTime, Utc};

use crate::domain::customer::{Customer, CustomerChanges, NewCustomer, SharedPhone};

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn add_customer(
        &mut self,
        new: &NewCustomer,
        shared: SharedPhone,
        now: DateTime<Utc>,
    ) -> Result<Customer> {
        todo!()
    }

    pub(super) fn customer(&self, id: i64) -> Result<Customer> {
        todo!()
    }

    pub(super) fn edit_customer(
        &mut self,
        id: i64,
        changes: &CustomerChanges,
        shared: SharedPhone,
    ) -> Result<Customer> {
        todo!()
    }

    pub(super) fn customers_by_contact(&self, text: &str) -> Result<Vec<Customer>> {
        todo!()
    }
}
