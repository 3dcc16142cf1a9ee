//! Customers on the server: register, edit, find.

use chrono::{DateTime, Utc};
use mysql::Value;
use mysql::prelude::Queryable;

use super::search::{Searched, count_change};
use super::{MysqlStore, all, error, first, inserted_id, time, write};
use crate::domain::Error;
use crate::domain::customer::{
    Customer, CustomerChanges, Email, NewCustomer, Phone, PhoneHolder, SharedPhone, check_edit,
    check_phone_free, claim_email, email_key,
};
use crate::store::Result;
use crate::store::search::customer_search_key;

pub(super) const COLUMNS: &str = "id, name, email, phone, created_at";

/// A customer's row as [`COLUMNS`] reads it.
pub(super) type CustomerRow = (i64, String, Option<String>, Option<String>, Value);

pub(super) fn from_row((id, name, email, phone, created_at): CustomerRow) -> Result<Customer> {
    Ok(Customer {
        id,
        name,
        email,
        phone,
        created_at: time::from_value(created_at)?,
    })
}

/// The unique index that keeps an email to one customer (see
/// schema.mysql.sql).
const EMAIL_KEY_INDEX: &str = "customers_by_email_key";

impl MysqlStore {
    /// Registers a customer. The domain decides whether its email is free
    /// ([`claim_email`]) and its phone number may be given
    /// ([`check_phone_free`]) from the customers read inside the write,
    /// after [`count_change`] has queued it behind every other counter's
    /// change to customers, so none can register them meanwhile.
    pub(super) fn add_customer(
        &mut self,
        new: &NewCustomer,
        shared: SharedPhone,
        now: DateTime<Utc>,
    ) -> Result<Customer> {
        let mut conn = self.conn()?;
        let mut tx = write(&mut conn)?;
        count_change(&mut tx, Searched::Customers)?;
        let email = new.contact.email();
        let key = email
            .map(|email| claim_email(email, None, |key| email_holders(&mut tx, key)))
            .transpose()?;
        let phone = new.contact.phone();
        if let Some(phone) = phone {
            check_phone_free(phone, None, shared, |digits, except| {
                phone_holder(&mut tx, digits, except)
            })?;
        }
        let inserted = tx.exec_drop(
            "INSERT INTO customers
                 (name, email, email_key, phone, phone_digits, created_at, search_key)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                new.name.as_str(),
                email.map(Email::as_str),
                key.as_deref(),
                phone.map(Phone::as_str),
                phone.map(Phone::digits).unwrap_or_default(),
                time::to_value(now),
                customer_search_key(new.name.as_str(), email.map(Email::as_str)),
            ),
        );
        if let (Err(refused), Some(email)) = (&inserted, email) {
            email_taken_by_another(refused, email, &mut tx)?;
        }
        inserted?;
        let id = inserted_id(&tx)?;
        let customer = find(&mut tx, id)?;
        tx.commit()?;
        Ok(customer)
    }

    /// The customer with this id, or [`Error::CustomerNotFound`].
    pub(super) fn customer(&self, id: i64) -> Result<Customer> {
        find(&mut *self.conn()?, id)
    }

    /// Applies `changes` to customer `id` and returns the customer as
    /// stored, as the domain decides from the rows read inside the write
    /// (queued as [`MysqlStore::add_customer`] is): [`check_edit`] (not
    /// Walk-in; still reachable), then [`claim_email`] and
    /// [`check_phone_free`] for a new email or phone number.
    pub(super) fn edit_customer(
        &mut self,
        id: i64,
        changes: &CustomerChanges,
        shared: SharedPhone,
    ) -> Result<Customer> {
        let mut conn = self.conn()?;
        let mut tx = write(&mut conn)?;
        // Every column an edit can change is searched.
        count_change(&mut tx, Searched::Customers)?;
        let current = find(&mut tx, id)?;
        check_edit(&current, changes)?;
        if let Some(name) = &changes.name {
            tx.exec_drop(
                "UPDATE customers SET name = ? WHERE id = ?",
                (name.as_str(), id),
            )?;
        }
        if let Some(phone) = &changes.phone {
            change_phone(&mut tx, &current, phone.as_ref(), shared)?;
        }
        if let Some(email) = &changes.email {
            change_email(&mut tx, id, email.as_ref())?;
        }
        let customer = find(&mut tx, id)?;
        tx.exec_drop(
            "UPDATE customers SET search_key = ? WHERE id = ?",
            (
                customer_search_key(&customer.name, customer.email.as_deref()),
                id,
            ),
        )?;
        tx.commit()?;
        Ok(customer)
    }

    /// The customers whose email (compared by its key, as uniqueness
    /// compares it), or phone number (by its digits), is exactly `text`:
    /// whom Enter takes at once at the counter. Several customers may
    /// share a phone number.
    pub(super) fn customers_by_contact(&self, text: &str) -> Result<Vec<Customer>> {
        super::search::customers_by_contact(&mut *self.conn()?, text)
    }
}

/// The customer with this id, or [`Error::CustomerNotFound`].
pub(super) fn find(conn: &mut impl Queryable, id: i64) -> Result<Customer> {
    let sql = format!("SELECT {COLUMNS} FROM customers WHERE id = ?");
    match first::<CustomerRow>(conn, &sql, (id,))? {
        Some(row) => from_row(row),
        None => Err(Error::CustomerNotFound(id).into()),
    }
}

/// Refuses with the domain's [`Error::EmailTaken`] when the server
/// refused the row because another customer has the email's key: the
/// unique index is the last word when a write that did not queue as the
/// store's do (another tool's) got there first.
fn email_taken_by_another(
    refused: &mysql::Error,
    email: &Email,
    conn: &mut impl Queryable,
) -> Result<()> {
    if !error::is_duplicate_of(refused, EMAIL_KEY_INDEX) {
        return Ok(());
    }
    // A locking read sees the row committed since this write's snapshot.
    let holder: Option<i64> = first(
        conn,
        "SELECT id FROM customers WHERE email_key = ? FOR UPDATE",
        (email.key(),),
    )?;
    match holder {
        Some(customer) => Err(Error::EmailTaken {
            email: email.as_str().to_string(),
            customer,
        }
        .into()),
        None => Ok(()),
    }
}

/// The customers whose email has the key `key`, lowest id first: the
/// key's holder, then any customer who keeps no key (see
/// [`keyless_with_key`]).
fn email_holders(conn: &mut impl Queryable, key: &str) -> Result<Vec<i64>> {
    let holder: Option<i64> = first(conn, "SELECT id FROM customers WHERE email_key = ?", (key,))?;
    Ok(holder
        .into_iter()
        .chain(keyless_with_key(conn, key)?)
        .collect())
}

/// The customers, lowest id first, whose email has `key` but who keep no
/// key: registered in an SQLite shop before its v4 with an email an
/// earlier customer already had ignoring case and accents, and copied
/// here. A handful at most, read through an index of their own
/// (`customers_without_email_key`).
fn keyless_with_key(conn: &mut impl Queryable, key: &str) -> Result<Vec<i64>> {
    let keyless: Vec<(i64, String)> = all(
        conn,
        "SELECT id, email_unkeyed FROM customers WHERE email_unkeyed IS NOT NULL ORDER BY id",
        (),
    )?;
    Ok(keyless
        .into_iter()
        .filter(|(_, email)| email_key(email) == key)
        .map(|(id, _)| id)
        .collect())
}

/// Gives `customer` the phone number `phone` (`None`: none), once the
/// domain has decided whether it must be asked about
/// ([`check_phone_free`]).
fn change_phone(
    conn: &mut impl Queryable,
    customer: &Customer,
    phone: Option<&Phone>,
    shared: SharedPhone,
) -> Result<()> {
    if let Some(new) = phone {
        check_phone_free(new, Some(customer), shared, |digits, except| {
            phone_holder(conn, digits, except)
        })?;
    }
    conn.exec_drop(
        "UPDATE customers SET phone = ?, phone_digits = ? WHERE id = ?",
        (
            phone.map(Phone::as_str),
            phone.map(Phone::digits).unwrap_or_default(),
            customer.id,
        ),
    )?;
    Ok(())
}

/// The first customer but `except` whose phone number has `digits` (read
/// through the phone index).
fn phone_holder(
    conn: &mut impl Queryable,
    digits: &str,
    except: Option<i64>,
) -> Result<Option<PhoneHolder>> {
    let holder: Option<(i64, String, String)> = first(
        conn,
        "SELECT id, name, phone FROM customers
         WHERE phone_digits = ? AND phone_digits <> '' AND NOT (id <=> ?)
         ORDER BY id LIMIT 1",
        (digits, except),
    )?;
    Ok(holder.map(|(id, name, phone)| PhoneHolder { id, name, phone }))
}

/// Gives customer `id` the email, with its key, or takes its email away
/// (`None`). The key it held before, if no longer its own, goes to the
/// first customer without a key whose email has it, so that the address
/// stays taken while anyone has it.
fn change_email(conn: &mut impl Queryable, id: i64, email: Option<&Email>) -> Result<()> {
    let key = email
        .map(|email| claim_email(email, Some(id), |key| email_holders(conn, key)))
        .transpose()?;
    let old_key: Option<Option<String>> =
        first(conn, "SELECT email_key FROM customers WHERE id = ?", (id,))?;
    let updated = conn.exec_drop(
        "UPDATE customers SET email = ?, email_key = ? WHERE id = ?",
        (email.map(Email::as_str), key.as_deref(), id),
    );
    if let (Err(refused), Some(email)) = (&updated, email) {
        email_taken_by_another(refused, email, conn)?;
    }
    updated?;
    match old_key.flatten() {
        Some(old_key) if Some(&old_key) != key.as_ref() => {
            if let Some(heir) = keyless_with_key(conn, &old_key)?.first() {
                conn.exec_drop(
                    "UPDATE customers SET email_key = ? WHERE id = ?",
                    (old_key, heir),
                )?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
