//! Customers: register, edit, find.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::search::{
    SearchTable, SearchText, exact_matches, keep_search_key, search_page, search_page_before,
};
use super::time::DbTime;
use super::{Result, RowsBefore, SqliteStore, commit};
use crate::domain::Error;
use crate::domain::customer::{
    Customer, CustomerChanges, Email, NewCustomer, Phone, PhoneHolder, SharedPhone, check_edit,
    check_phone_free, claim_email, email_key, phone_search_digits,
};

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

impl SqliteStore {
    /// Registers a customer. The domain decides whether its email is free
    /// ([`claim_email`]) and its phone number may be given
    /// ([`check_phone_free`]) from the customers read here, inside the
    /// write, so no other counter can register them meanwhile.
    pub(super) fn add_customer(
        &mut self,
        new: &NewCustomer,
        shared: SharedPhone,
        now: DateTime<Utc>,
    ) -> Result<Customer> {
        let tx = self.write()?;
        let email = new.contact.email();
        let key = email
            .map(|email| claim_email(email, None, |key| email_holders(&tx, key)))
            .transpose()?;
        let phone = new.contact.phone();
        if let Some(phone) = phone {
            check_phone_free(phone, None, shared, |digits, except| {
                phone_holder(&tx, digits, except)
            })?;
        }
        tx.execute(
            "INSERT INTO customers (name, email, email_key, phone, phone_digits, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                new.name.as_str(),
                email.map(Email::as_str),
                key,
                phone.map(Phone::as_str),
                phone.map(Phone::digits).unwrap_or_default(),
                DbTime(now),
            ],
        )?;
        let id = tx.last_insert_rowid();
        keep_search_key(&tx, &CUSTOMER_SEARCH, id)?;
        let customer = find(&tx, id)?;
        commit(tx)?;
        Ok(customer)
    }

    /// The customer with this id, or [`Error::CustomerNotFound`].
    pub(super) fn customer(&self, id: i64) -> Result<Customer> {
        find(&self.conn, id)
    }

    /// Applies `changes` to customer `id` and returns the customer as
    /// stored, as the domain decides from the rows read inside the write:
    /// [`check_edit`] (not Walk-in; still reachable), then [`claim_email`]
    /// and [`check_phone_free`] for a new email or phone number.
    pub(super) fn edit_customer(
        &mut self,
        id: i64,
        changes: &CustomerChanges,
        shared: SharedPhone,
    ) -> Result<Customer> {
        let tx = self.write()?;
        let current = find(&tx, id)?;
        check_edit(&current, changes)?;
        if let Some(name) = &changes.name {
            tx.execute(
                "UPDATE customers SET name = ?1 WHERE id = ?2",
                params![name.as_str(), id],
            )?;
        }
        // Each statement must leave a way to reach the customer (the
        // table's CHECK): what is given goes in before what is taken away.
        let phone_first = matches!(changes.phone, Some(Some(_)));
        if phone_first {
            change_phone(&tx, &current, changes.phone.as_ref(), shared)?;
        }
        if let Some(email) = &changes.email {
            change_email(&tx, id, email.as_ref())?;
        }
        if !phone_first {
            change_phone(&tx, &current, changes.phone.as_ref(), shared)?;
        }
        // Every column an edit can change is searched.
        keep_search_key(&tx, &CUSTOMER_SEARCH, id)?;
        let customer = find(&tx, id)?;
        commit(tx)?;
        Ok(customer)
    }

    /// Customers whose name, email or phone digits contain `text`, ignoring
    /// case; an exact email or phone match comes first, then by name. Empty
    /// text lists everyone by name. This is the first page of `limit` rows;
    /// [`SqliteStore::search_customers_after`] reads the next ones.
    pub(super) fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<Customer>> {
        self.customer_page(text, None, limit)
    }

    /// The page of the same search that follows `after`, the last customer
    /// of the page before.
    pub(super) fn search_customers_after(
        &self,
        text: &str,
        after: &Customer,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        self.customer_page(text, Some(after), limit)
    }

    /// The page of the same search that ends just before `before` (a
    /// customer of the page below), or at the very end of the list when
    /// `before` is `None` (End): read upwards, as far down a long list as
    /// at its start.
    pub(super) fn search_customers_before(
        &self,
        text: &str,
        before: Option<&Customer>,
        limit: usize,
    ) -> Result<RowsBefore<Customer>> {
        let keys = contact_keys(text);
        let search = contact_search(text, &keys);
        let before = before.map(|c| (c.name.as_str(), c.id));
        Ok(search_page_before(
            &self.conn,
            &CUSTOMER_SEARCH,
            self.search_caches.customers.borrow_mut().as_mut(),
            &search,
            before,
            limit,
            from_row,
        )?)
    }

    /// The customers whose email, or phone number (compared by its
    /// digits), is exactly `text`: whom Enter takes at once at the counter.
    /// Several customers may share a phone number.
    pub(super) fn customers_by_contact(&self, text: &str) -> Result<Vec<Customer>> {
        let keys = contact_keys(text);
        let search = contact_search(text, &keys);
        Ok(exact_matches(
            &self.conn,
            &CUSTOMER_SEARCH,
            &search,
            from_row,
        )?)
    }

    fn customer_page(
        &self,
        text: &str,
        after: Option<&Customer>,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        let keys = contact_keys(text);
        let search = contact_search(text, &keys);
        let after = after.map(|c| (c.name.as_str(), c.id));
        Ok(search_page(
            &self.conn,
            &CUSTOMER_SEARCH,
            self.search_caches.customers.borrow_mut().as_mut(),
            &search,
            after,
            limit,
            from_row,
        )?)
    }
}

/// What `text` is compared with to find a customer exactly: its phone
/// digits (`None` when it is no phone number: `phone_digits = NULL`, not
/// '', matches nothing and still lets SQLite use the index) and its email
/// key (an exact email is found by its key, as uniqueness compares it).
fn contact_keys(text: &str) -> (Option<String>, String) {
    (phone_search_digits(text), email_key(text))
}

/// A customer search for `text` with its [`contact_keys`].
fn contact_search<'a>(text: &'a str, keys: &'a (Option<String>, String)) -> SearchText<'a> {
    let (digits, key) = keys;
    SearchText {
        text: text.trim(),
        digits: digits.as_deref(),
        extra: vec![(":digits", digits), (":email_key", key)],
    }
}

pub(super) const CUSTOMER_SEARCH: SearchTable = SearchTable {
    table: "customers",
    columns: "id, name, email, phone, created_at",
    // `phone_digits <> ''` lets SQLite use the partial phone index.
    exact: "email_key = :email_key OR (phone_digits = :digits AND phone_digits <> '')",
    // As [`customer_search_key`] folds them.
    key_columns: "name, coalesce(email, '')",
    digits: "phone_digits",
    trigrams: "customers_search",
};

pub(super) fn find(conn: &Connection, id: i64) -> Result<Customer> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::CustomerNotFound(id).into())
}

/// The customers whose email has the key `key`, lowest id first: the
/// key's holder, then any customer from before v4 who keeps no key (see
/// [`keyless_with_key`]).
fn email_holders(conn: &Connection, key: &str) -> Result<Vec<i64>> {
    let holder = key_holder(conn, key)?.into_iter();
    Ok(holder.chain(keyless_with_key(conn, key)?).collect())
}

/// Gives `customer` the phone number `phone` says (`Some(None)`: none; `None`:
/// leaves it), once the domain has decided whether it must be asked about
/// ([`check_phone_free`]).
fn change_phone(
    conn: &Connection,
    customer: &Customer,
    phone: Option<&Option<Phone>>,
    shared: SharedPhone,
) -> Result<()> {
    let Some(phone) = phone else {
        return Ok(());
    };
    if let Some(new) = phone {
        check_phone_free(new, Some(customer), shared, |digits, except| {
            phone_holder(conn, digits, except)
        })?;
    }
    conn.execute(
        "UPDATE customers SET phone = ?1, phone_digits = ?2 WHERE id = ?3",
        params![
            phone.as_ref().map(Phone::as_str),
            phone.as_ref().map(Phone::digits).unwrap_or_default(),
            customer.id
        ],
    )?;
    Ok(())
}

/// The first customer but `except` whose phone number has `digits` (read
/// through the phone index).
fn phone_holder(
    conn: &Connection,
    digits: &str,
    except: Option<i64>,
) -> Result<Option<PhoneHolder>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name, phone FROM customers
             WHERE phone_digits = ?1 AND phone_digits <> '' AND id IS NOT ?2
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![digits, except], |row| {
            Ok(PhoneHolder {
                id: row.get(0)?,
                name: row.get(1)?,
                phone: row.get(2)?,
            })
        })
        .optional()?)
}

fn key_holder(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM customers WHERE email_key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?)
}

/// The customers, lowest id first, whose email has `key` but who keep no
/// key: registered before v4 with an email an earlier customer already
/// had ignoring case and accents (see schema.sql). They are a handful at
/// most, read through an index of their own (`customers_without_email_key`:
/// the customers without an email have no key either).
fn keyless_with_key(conn: &Connection, key: &str) -> Result<Vec<i64>> {
    let keyless: Vec<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, email FROM customers
             WHERE email_key IS NULL AND email IS NOT NULL ORDER BY id",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(keyless
        .into_iter()
        .filter(|(_, email)| email_key(email) == key)
        .map(|(id, _)| id)
        .collect())
}

/// Gives customer `id` the email, with its key, or takes its email away
/// (`None`). The key it held before, if no longer its own, goes to the
/// first customer without a key whose email has it, so that the address
/// stays taken while anyone has it.
fn change_email(conn: &Connection, id: i64, email: Option<&Email>) -> Result<()> {
    let key = email
        .map(|email| claim_email(email, Some(id), |key| email_holders(conn, key)))
        .transpose()?;
    let old_key: Option<String> = conn.query_row(
        "SELECT email_key FROM customers WHERE id = ?1",
        [id],
        |row| row.get(0),
    )?;
    conn.execute(
        "UPDATE customers SET email = ?1, email_key = ?2 WHERE id = ?3",
        params![email.map(Email::as_str), key, id],
    )?;
    match old_key {
        Some(old_key) if Some(&old_key) != key.as_ref() => {
            if let Some(heir) = keyless_with_key(conn, &old_key)?.first() {
                conn.execute(
                    "UPDATE customers SET email_key = ?1 WHERE id = ?2",
                    params![old_key, heir],
                )?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
