//! Searching customers and products on the server.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use mysql::prelude::Queryable;

use super::customers::{self, CustomerRow};
use super::{MysqlStore, all};
use crate::domain::customer::{Customer, email_key, phone_search_digits};
use crate::domain::product::Product;
use crate::store::Result;
use crate::store::RowsBefore;

/// The tables whose rows keep a search key, each with its change counter
/// (`search_changes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Searched {
    Customers,
    Products,
}

impl Searched {
    /// The table's name, as `search_changes` names it.
    fn table(self) -> &'static str {
        match self {
            Searched::Customers => "customers",
            Searched::Products => "products",
        }
    }
}

/// Counts one more change to the searched text of `table`, in the
/// caller's transaction, so that no copy in memory misses it. Called
/// first by every write of that text: the counter's row lock, held to the
/// commit, then queues the writers of one table as SQLite's write lock
/// queues every writer, and the rows the write reads afterwards (its
/// snapshot is taken at its first read) hold every change committed
/// before, which the domain's rules (a free email, phone or SKU) need.
pub(super) fn count_change(conn: &mut impl Queryable, table: Searched) -> Result<()> {
    conn.exec_drop(
        "UPDATE search_changes SET changes = changes + 1 WHERE table_name = ?",
        (table.table(),),
    )?;
    Ok(())
}

/// The customers whose email has the key of `text`, or whose phone
/// number has its digits: the exact matches of a customer search. Text
/// that could be a phone number holds no `@`, so it is never an email
/// too: the matches are one customer by email, or those sharing the
/// phone number, by id (as SQLite reads them from its phone index).
pub(super) fn customers_by_contact(conn: &mut impl Queryable, text: &str) -> Result<Vec<Customer>> {
    let text = text.trim();
    let sql = format!(
        "SELECT {} FROM customers
         WHERE email_key = ? OR (phone_digits = ? AND phone_digits <> '')
         ORDER BY id",
        customers::COLUMNS
    );
    let rows: Vec<CustomerRow> = all(conn, &sql, (email_key(text), phone_search_digits(text)))?;
    rows.into_iter().map(customers::from_row).collect()
}

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
