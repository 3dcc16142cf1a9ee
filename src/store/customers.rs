//! Customers: register, edit, find.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::search::{SearchTable, SearchText, search_page};
use super::time::DbTime;
use super::{Result, Store, commit};
use crate::domain::customer::{Customer, CustomerChanges, NewCustomer, phone_search_digits};
use crate::domain::{self, Error};

const COLUMNS: &str = "id, name, email, phone, created_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        phone: row.get(3)?,
        created_at: row.get::<_, DbTime>(4)?.0,
    })
}

impl Store {
    /// Registers a customer. Refuses an email another customer already has,
    /// in any case.
    pub fn add_customer(&mut self, new: &NewCustomer, now: DateTime<Utc>) -> Result<Customer> {
        let tx = self.write()?;
        refuse_taken_email(&tx, new.email.as_str(), None)?;
        let phone = new.phone.as_ref();
        tx.execute(
            "INSERT INTO customers (name, email, phone, phone_digits, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                new.name.as_str(),
                new.email.as_str(),
                phone.map(|p| p.as_str()),
                phone.map(|p| p.digits()).unwrap_or_default(),
                DbTime(now),
            ],
        )?;
        let customer = find(&tx, tx.last_insert_rowid())?;
        commit(tx)?;
        Ok(customer)
    }

    /// The customer with this id, or [`Error::CustomerNotFound`].
    pub fn customer(&self, id: i64) -> Result<Customer> {
        find(&self.conn, id)
    }

    /// Applies `changes` to customer `id` and returns the customer as stored.
    pub fn edit_customer(&mut self, id: i64, changes: &CustomerChanges) -> Result<Customer> {
        let tx = self.write()?;
        if find(&tx, id)?.is_walk_in() {
            return Err(domain::Error::WalkInNotEditable.into());
        }
        if let Some(name) = &changes.name {
            tx.execute(
                "UPDATE customers SET name = ?1 WHERE id = ?2",
                params![name.as_str(), id],
            )?;
        }
        if let Some(email) = &changes.email {
            refuse_taken_email(&tx, email.as_str(), Some(id))?;
            tx.execute(
                "UPDATE customers SET email = ?1 WHERE id = ?2",
                params![email.as_str(), id],
            )?;
        }
        if let Some(phone) = &changes.phone {
            tx.execute(
                "UPDATE customers SET phone = ?1, phone_digits = ?2 WHERE id = ?3",
                params![
                    phone.as_ref().map(|p| p.as_str()),
                    phone.as_ref().map(|p| p.digits()).unwrap_or_default(),
                    id
                ],
            )?;
        }
        let customer = find(&tx, id)?;
        commit(tx)?;
        Ok(customer)
    }

    /// Customers whose name, email or phone digits contain `text`, ignoring
    /// case; an exact email or phone match comes first, then by name. Empty
    /// text lists everyone by name. This is the first page of `limit` rows;
    /// [`Store::search_customers_after`] reads the next ones.
    pub fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<Customer>> {
        self.customer_page(text, None, limit)
    }

    /// The page of the same search that follows `after`, the last customer
    /// of the page before.
    pub fn search_customers_after(
        &self,
        text: &str,
        after: &Customer,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        self.customer_page(text, Some(after), limit)
    }

    fn customer_page(
        &self,
        text: &str,
        after: Option<&Customer>,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        let text = text.trim();
        // NULL, not '', when the text is no phone number: `phone_digits =
        // NULL` matches nothing and still lets SQLite use the index.
        let digits = phone_search_digits(text);
        let search = SearchText {
            text,
            digits: digits.as_deref(),
            extra: vec![(":digits", &digits)],
        };
        let after = after.map(|c| (c.name.as_str(), c.id));
        Ok(search_page(
            &self.conn,
            &CUSTOMER_SEARCH,
            &self.search_caches.customers,
            &search,
            after,
            limit,
            from_row,
        )?)
    }
}

const CUSTOMER_SEARCH: SearchTable = SearchTable {
    table: "customers",
    columns: "id, name, email, phone, created_at",
    fts_table: "customers_search",
    // `phone_digits <> ''` lets SQLite use the partial phone index.
    exact: "email = :text OR (phone_digits = :digits AND phone_digits <> '')",
    cache_columns: "coalesce(email, ''), phone_digits",
};

pub(super) fn find(conn: &Connection, id: i64) -> Result<Customer> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::CustomerNotFound(id).into())
}

fn refuse_taken_email(conn: &Connection, email: &str, except: Option<i64>) -> Result<()> {
    // The email column compares without case, so Ann@x.com finds ann@x.com.
    let holder: Option<i64> = conn
        .query_row(
            "SELECT id FROM customers WHERE email = ?1 AND id IS NOT ?2",
            params![email, except],
            |row| row.get(0),
        )
        .optional()?;
    match holder {
        Some(customer) => Err(domain::Error::EmailTaken {
            email: email.to_string(),
            customer,
        }
        .into()),
        None => Ok(()),
    }
}
