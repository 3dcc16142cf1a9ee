//! Searching customers and products on the server.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use crate::domain::customer::Customer;
use crate::domain::product::Product;
use crate::store::RowsBefore;

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<Customer>> {
        todo!()
    }

    pub(super) fn search_customers_after(
        &self,
        text: &str,
        after: &Customer,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        todo!()
    }

    pub(super) fn search_customers_before(
        &self,
        text: &str,
        before: Option<&Customer>,
        limit: usize,
    ) -> Result<RowsBefore<Customer>> {
        todo!()
    }

    pub(super) fn search_products(&self, text: &str, limit: usize) -> Result<Vec<Product>> {
        todo!()
    }

    pub(super) fn search_products_after(
        &self,
        text: &str,
        after: &Product,
        limit: usize,
    ) -> Result<Vec<Product>> {
        todo!()
    }

    pub(super) fn search_products_before(
        &self,
        text: &str,
        before: Option<&Product>,
        limit: usize,
    ) -> Result<RowsBefore<Product>> {
        todo!()
    }

    pub(super) fn read_search_copies(&self) -> Result<Copies> {
        todo!()
    }

    pub(super) fn search_from_copies(&mut self, copies: Copies) {
        todo!()
    }
}

/// The in-memory copies searches look in once given (SKELETON).
#[derive(Debug, Default)]
pub(super) struct SearchCaches {}

/// What `read_search_copies` reads (SKELETON).
pub(super) struct Copies {}
