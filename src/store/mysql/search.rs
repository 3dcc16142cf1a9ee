//! Searching customers and products on the server: substring, ignoring
//! case and accents, exact matches first, then by name (SQLite's NOCASE
//! order: `name_nocase, id`).
//!
//! Every searched row keeps its folded search key, written by the store
//! with every change to its text, with the table's change counter bumped
//! in the same transaction (see [`count_change`]). A search is answered in
//! one of two ways, with the same rows in the same order: straight from
//! the database (a one-shot search), walking the name index in order with
//! the key compared, never reading more than its page needs; or from an
//! in-memory copy of every key ([`SearchCopy`], shared with SQLite), which
//! a counter's searcher keeps and reads again when the counter has moved.

use std::cell::RefCell;

use mysql::prelude::{FromRow, Queryable};
use mysql::{Conn, Params, Value};

use super::customers::{self, CustomerRow};
use super::products::{self, ProductRow};
use super::{MysqlStore, all, first, read_row};
use crate::domain::customer::{Customer, email_key, phone_search_digits};
use crate::domain::product::Product;
use crate::store::search::{Copies, Needles, SearchCaches, SearchCopy, TrigramSyntax};
use crate::store::{Result, RowsBefore};

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

    /// The column of phone digits searched beside the key (none: empty).
    fn digits(self) -> &'static str {
        match self {
            Searched::Customers => "phone_digits",
            Searched::Products => "''",
        }
    }

    /// The key as the name index holds it, and when that is only its
    /// head (a row whose key may go on past it): see schema.mysql.sql.
    fn key_in_index(self) -> (&'static str, &'static str) {
        match self {
            Searched::Customers => ("search_head", "CHAR_LENGTH(search_head) = 600"),
            Searched::Products => ("search_key", "FALSE"),
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

/// How many changes to the searched text of `table` there have been.
fn changes(conn: &mut impl Queryable, table: Searched) -> Result<i64> {
    let changes: Option<i64> = first(
        conn,
        "SELECT changes FROM search_changes WHERE table_name = ?",
        (table.table(),),
    )?;
    Ok(changes.unwrap_or_default())
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

/// A row that searches find: its table, how it is read, and what orders
/// it (its name, then its id).
trait Searchable: Sized {
    const TABLE: Searched;
    /// The columns read, separated by `, `, the id first.
    const COLUMNS: &'static str;
    type Row: FromRow;
    fn from_row(row: Self::Row) -> Result<Self>;
    fn id(&self) -> i64;
    fn name(&self) -> &str;
    /// What a search for `text` finds exactly, shown first: a contact, a
    /// SKU.
    fn exact(conn: &mut Conn, text: &str) -> Result<Vec<Self>>;
    /// The digits of `text` to look for among phone numbers, if the table
    /// has them and the text could be one.
    fn digits(text: &str) -> Option<String>;
    /// This table's copy among a store's caches.
    fn cache(caches: &SearchCaches) -> &RefCell<Option<SearchCopy>>;
}

impl Searchable for Customer {
    const TABLE: Searched = Searched::Customers;
    const COLUMNS: &'static str = customers::COLUMNS;
    type Row = CustomerRow;

    fn from_row(row: CustomerRow) -> Result<Customer> {
        customers::from_row(row)
    }

    fn id(&self) -> i64 {
        self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn exact(conn: &mut Conn, text: &str) -> Result<Vec<Customer>> {
        customers_by_contact(conn, text)
    }

    fn digits(text: &str) -> Option<String> {
        phone_search_digits(text)
    }

    fn cache(caches: &SearchCaches) -> &RefCell<Option<SearchCopy>> {
        &caches.customers
    }
}

impl Searchable for Product {
    const TABLE: Searched = Searched::Products;
    const COLUMNS: &'static str = products::COLUMNS;
    type Row = ProductRow;

    fn from_row(row: ProductRow) -> Result<Product> {
        products::from_row(row)
    }

    fn id(&self) -> i64 {
        self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn exact(conn: &mut Conn, text: &str) -> Result<Vec<Product>> {
        Ok(products::find_by_sku(conn, text)?.into_iter().collect())
    }

    fn digits(_: &str) -> Option<String> {
        None
    }

    fn cache(caches: &SearchCaches) -> &RefCell<Option<SearchCopy>> {
        &caches.products
    }
}

impl MysqlStore {
    /// Customers whose name, email or phone digits contain `text`, ignoring
    /// case and accents; an exact email or phone match comes first, then by
    /// name. Empty text lists everyone by name. The first page of `limit`.
    pub(super) fn search_customers(&self, text: &str, limit: usize) -> Result<Vec<Customer>> {
        self.search_page(text, None, limit)
    }

    /// The page of the same search that follows `after`.
    pub(super) fn search_customers_after(
        &self,
        text: &str,
        after: &Customer,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        self.search_page(text, Some(after), limit)
    }

    /// The page of the same search that ends just before `before`, or at
    /// the very end of the list (`None`: End).
    pub(super) fn search_customers_before(
        &self,
        text: &str,
        before: Option<&Customer>,
        limit: usize,
    ) -> Result<RowsBefore<Customer>> {
        self.search_page_before(text, before, limit)
    }

    /// Products whose SKU or name contains `text`, ignoring case and
    /// accents; an exact SKU first, then by name; archived ones included.
    pub(super) fn search_products(&self, text: &str, limit: usize) -> Result<Vec<Product>> {
        self.search_page(text, None, limit)
    }

    /// The page of the same search that follows `after`.
    pub(super) fn search_products_after(
        &self,
        text: &str,
        after: &Product,
        limit: usize,
    ) -> Result<Vec<Product>> {
        self.search_page(text, Some(after), limit)
    }

    /// The page of the same search that ends just before `before`, or at
    /// the very end (`None`).
    pub(super) fn search_products_before(
        &self,
        text: &str,
        before: Option<&Product>,
        limit: usize,
    ) -> Result<RowsBefore<Product>> {
        self.search_page_before(text, before, limit)
    }

    /// Reads the searched text of every customer and product, in name
    /// order: the one search that reads whole tables.
    pub(super) fn read_search_copies(&self) -> Result<Copies> {
        let mut conn = self.conn()?;
        Ok(Copies {
            customers: read_copy(&mut conn, Searched::Customers)?,
            products: read_copy(&mut conn, Searched::Products)?,
        })
    }

    /// From now on searches on this store look in `copies`, which may have
    /// been read on another connection to the same database.
    pub(super) fn search_from_copies(&mut self, copies: Copies) {
        self.search_caches.give(copies);
    }

    /// One page of rows matching `text`, ordered by name: exact matches
    /// first on the first page, then the rest after `after`. Empty text
    /// lists every row by name, straight from the name index; other text
    /// is looked for in the copy when there is one (read again if the
    /// table changed), else in the database.
    fn search_page<T: Searchable>(
        &self,
        text: &str,
        after: Option<&T>,
        limit: usize,
    ) -> Result<Vec<T>> {
        let text = text.trim();
        let mut conn = self.conn()?;
        let from = after.map(|row| (row.name(), row.id()));
        if text.is_empty() {
            return walk(&mut conn, &Walk::every_row(from, Direction::Down), limit);
        }
        // Exact matches (a handful at most) come first on the first page
        // and never again.
        let exact = T::exact(&mut conn, text)?;
        let exact_ids: Vec<i64> = exact.iter().map(T::id).collect();
        let mut rows: Vec<T> = match after {
            None => exact.into_iter().take(limit).collect(),
            Some(_) => Vec::new(),
        };
        let room = limit.saturating_sub(rows.len());
        let Some(needles) = Needles::new(text, T::digits(text).as_deref()) else {
            return Ok(rows);
        };
        let mut cache = T::cache(&self.search_caches).borrow_mut();
        let found = match cache.as_mut() {
            Some(copy) => {
                refresh(copy, &mut conn, T::TABLE)?;
                let ids = copy.find(&needles, from, room, &exact_ids);
                rows_by_id(&mut conn, &ids)?
            }
            None => {
                let page = Walk::matching(&needles, from, Direction::Down);
                skipping(
                    walk(&mut conn, &page, wanted(room, &exact_ids))?,
                    &exact_ids,
                    room,
                )
            }
        };
        rows.extend(found);
        Ok(rows)
    }

    /// The page of rows matching `text` that ends just before `before`, or
    /// at the end of them all: what [`MysqlStore::search_page`] would list
    /// there, read upwards, so the end of a long list costs what its start
    /// does. The page that reaches the start has the exact matches on top,
    /// as the first page does.
    fn search_page_before<T: Searchable>(
        &self,
        text: &str,
        before: Option<&T>,
        limit: usize,
    ) -> Result<RowsBefore<T>> {
        let text = text.trim();
        let mut conn = self.conn()?;
        let from = before.map(|row| (row.name(), row.id()));
        if text.is_empty() {
            let mut rows = walk(&mut conn, &Walk::every_row(from, Direction::Up), limit)?;
            rows.reverse();
            let at_start = rows.len() < limit;
            return Ok(RowsBefore { rows, at_start });
        }
        let exact = T::exact(&mut conn, text)?;
        let exact_ids: Vec<i64> = exact.iter().map(T::id).collect();
        let found = match Needles::new(text, T::digits(text).as_deref()) {
            None => Vec::new(),
            Some(needles) => match T::cache(&self.search_caches).borrow_mut().as_mut() {
                Some(copy) => {
                    refresh(copy, &mut conn, T::TABLE)?;
                    let ids = copy.find_before(&needles, from, limit, &exact_ids);
                    rows_by_id(&mut conn, &ids)?
                }
                None => {
                    let page = Walk::matching(&needles, from, Direction::Up);
                    let read = walk(&mut conn, &page, wanted(limit, &exact_ids))?;
                    let mut rows = skipping(read, &exact_ids, limit);
                    // Read upwards; shown in the list's order.
                    rows.reverse();
                    rows
                }
            },
        };
        let at_start = found.len() < limit;
        let mut rows = if at_start { exact } else { Vec::new() };
        rows.extend(found);
        Ok(RowsBefore { rows, at_start })
    }
}

/// Which way a walk reads the name index: down from the start or a row
/// (the next page), or up from the end or a row (End, and the page above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Down,
    Up,
}

/// A walk of a table's rows in name order from a row (its name and id;
/// `None`: from the start, or the end), keeping those whose key holds the
/// needle or whose digits hold the digits (all rows: no needles).
struct Walk<'a> {
    needles: Option<&'a Needles>,
    from: Option<(&'a str, i64)>,
    direction: Direction,
}

impl<'a> Walk<'a> {
    fn every_row(from: Option<(&'a str, i64)>, direction: Direction) -> Walk<'a> {
        Walk {
            needles: None,
            from,
            direction,
        }
    }

    fn matching(
        needles: &'a Needles,
        from: Option<(&'a str, i64)>,
        direction: Direction,
    ) -> Walk<'a> {
        Walk {
            needles: Some(needles),
            from,
            direction,
        }
    }
}

/// How a search in the database reads the rows whose key holds its text:
/// it walks the name index in name order, comparing the keys the index
/// holds and reading the rows of its page alone, which finds a common
/// text's page among the first rows, and a rare text's only at the end
/// (tens of milliseconds at 100,000 rows). So the walk stops after
/// [`FIRST_WALK_ROWS`] rows; a text rarer than that is looked for
/// through the full-text index of its trigrams (`search_grams`), which
/// finds the few rows holding them, and a text too short for a trigram
/// walks on to its page.
const FIRST_WALK_ROWS: u64 = 10_000;

/// Which rows a statement of a search reads, past the walk's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading<'a> {
    /// Every row, in name order.
    EveryRow,
    /// The rows up to this one (its `name_nocase` and id), in name order.
    UpTo(&'a (String, i64)),
    /// The rows the full-text index of trigrams finds for this query.
    Trigrams(&'a str),
}

/// Up to `wanted` rows of `page`, reading no more rows than it must (see
/// [`FIRST_WALK_ROWS`]).
fn walk<T: Searchable>(conn: &mut Conn, page: &Walk<'_>, wanted: usize) -> Result<Vec<T>> {
    let Some(needles) = page.needles else {
        return read(conn, page, Reading::EveryRow, wanted);
    };
    let Some(end) = row_after::<T>(conn, page, FIRST_WALK_ROWS)? else {
        // Fewer rows than a first walk are left: walked, they are all.
        return read(conn, page, Reading::EveryRow, wanted);
    };
    let first = read(conn, page, Reading::UpTo(&end), wanted)?;
    if first.len() == wanted {
        return Ok(first);
    }
    match needles.trigram_query(&GRAM_WORDS) {
        Some(query) => read(conn, page, Reading::Trigrams(&query), wanted),
        None => read(conn, page, Reading::EveryRow, wanted),
    }
}

/// The `name_nocase` and id of the row `rows` rows past the walk's start,
/// if there is one: a bound on the work of a walk, not a page (pages
/// never skip rows with OFFSET), read from the name index alone.
fn row_after<T: Searchable>(
    conn: &mut Conn,
    page: &Walk<'_>,
    rows: u64,
) -> Result<Option<(String, i64)>> {
    let (bound, mut params) = bound(page);
    let sql = format!(
        "SELECT name_nocase, id FROM {} WHERE {bound} ORDER BY {} LIMIT 1 OFFSET ?",
        T::TABLE.table(),
        order(page.direction)
    );
    params.push(Value::from(rows.saturating_sub(1)));
    first(conn, &sql, Params::Positional(params))
}

/// The order a walk reads rows in.
fn order(direction: Direction) -> &'static str {
    match direction {
        Direction::Down => "name_nocase, id",
        Direction::Up => "name_nocase DESC, id DESC",
    }
}

/// The condition for the rows past the walk's start, with its values:
/// ranges of the name index, so that the server compares the keys the
/// index holds before it reads a row (it reads no range from a row
/// comparison `(a, b) > (x, y)`, nor pushes a condition down a walk of
/// the whole index). NOCASE compares names with ASCII letters made
/// small, as `name_nocase` holds them.
fn bound(page: &Walk<'_>) -> (String, Vec<Value>) {
    match page.from {
        None => (String::from("name_nocase >= ''"), Vec::new()),
        Some((name, id)) => {
            let name = name.to_ascii_lowercase();
            let past = match page.direction {
                Direction::Down => ">",
                Direction::Up => "<",
            };
            (
                format!("(name_nocase {past} ? OR (name_nocase = ? AND id {past} ?))"),
                vec![Value::from(&name), Value::from(&name), Value::from(id)],
            )
        }
    }
}

/// Up to `wanted` rows of `page` among those `reading` reads, in one
/// statement that stops at its `LIMIT`.
fn read<T: Searchable>(
    conn: &mut Conn,
    page: &Walk<'_>,
    reading: Reading<'_>,
    wanted: usize,
) -> Result<Vec<T>> {
    let (mut conditions, mut params) = match reading {
        Reading::Trigrams(query) => (
            vec![String::from(
                "MATCH (search_grams) AGAINST (? IN BOOLEAN MODE)",
            )],
            vec![Value::from(query)],
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let (bound, values) = bound(page);
    conditions.push(bound);
    params.extend(values);
    if let Reading::UpTo((name, id)) = reading {
        let within = match page.direction {
            Direction::Down => "<",
            Direction::Up => ">",
        };
        conditions.push(format!(
            "(name_nocase {within} ? OR (name_nocase = ? AND id {within}= ?))"
        ));
        params.extend([Value::from(name), Value::from(name), Value::from(id)]);
    }
    if let Some(needles) = page.needles {
        // First what the index holds, which the server compares before it
        // reads the row, then the whole key of the rows that pass.
        let digits = T::TABLE.digits();
        let (head, head_cut) = T::TABLE.key_in_index();
        conditions.push(format!(
            "(INSTR({head}, ?) > 0 OR INSTR({digits}, ?) > 0 OR {head_cut})"
        ));
        conditions.push(format!(
            "(INSTR(search_key, ?) > 0 OR INSTR({digits}, ?) > 0)"
        ));
        for _ in 0..2 {
            params.extend([
                Value::from(&needles.text),
                Value::from(needles.digits.as_deref()),
            ]);
        }
    }
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT ?",
        T::COLUMNS,
        T::TABLE.table(),
        conditions.join(" AND "),
        order(page.direction)
    );
    params.push(Value::from(sql_limit(wanted)));
    let rows: Vec<T::Row> = all(conn, &sql, Params::Positional(params))?;
    rows.into_iter().map(T::from_row).collect()
}

/// The full-text index's boolean mode, over trigrams as `search_grams`
/// writes them (three bytes in hex): each a term a row must hold (`+`),
/// groups of which a row holds either side by side.
const GRAM_WORDS: TrigramSyntax = TrigramSyntax {
    terms: |text| {
        text.as_bytes()
            .windows(3)
            .map(|bytes| format!("+{:02X}{:02X}{:02X}", bytes[0], bytes[1], bytes[2]))
            .collect()
    },
    all: " ",
    either: " ",
};

/// How many rows a page of `limit` reads so that `limit` remain once the
/// exact matches shown before it are left out.
fn wanted(limit: usize, skip: &[i64]) -> usize {
    limit.saturating_add(skip.len())
}

/// `rows` without those of `skip`, at most `limit` of them.
fn skipping<T: Searchable>(rows: Vec<T>, skip: &[i64], limit: usize) -> Vec<T> {
    rows.into_iter()
        .filter(|row| !skip.contains(&row.id()))
        .take(limit)
        .collect()
}

/// The rows with these ids, in the order of `ids`, read in one query.
fn rows_by_id<T: Searchable>(conn: &mut Conn, ids: &[i64]) -> Result<Vec<T>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // One placeholder per id: the ids are bound, never written in.
    let placeholders = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT {} FROM {} WHERE id IN ({placeholders})",
        T::COLUMNS,
        T::TABLE.table()
    );
    let rows: Vec<T::Row> = all(
        conn,
        &sql,
        Params::Positional(ids.iter().map(Value::from).collect()),
    )?;
    let mut found = rows
        .into_iter()
        .map(T::from_row)
        .collect::<Result<Vec<T>>>()?;
    found.sort_by_key(|row| ids.iter().position(|&wanted| wanted == row.id()));
    Ok(found)
}

/// A row count as the server's `LIMIT` takes it.
fn sql_limit(limit: usize) -> u64 {
    u64::try_from(limit).unwrap_or(u64::MAX)
}

/// Reads every row's key and digits of `table` in name order into a copy.
fn read_copy(conn: &mut Conn, table: Searched) -> Result<SearchCopy> {
    // The counter before the rows (see [`SearchCopy::new`]).
    let mut copy = SearchCopy::new(changes(conn, table)?);
    let sql = format!(
        "SELECT id, name, search_key, {} FROM {} ORDER BY name_nocase, id",
        table.digits(),
        table.table()
    );
    for row in conn.query_iter(sql)? {
        let (id, name, key, digits): (i64, String, String, String) = read_row(row?)?;
        copy.push(id, &name, &key, &digits);
    }
    Ok(copy)
}

/// Reads the copy again if the table's searched text has changed.
fn refresh(copy: &mut SearchCopy, conn: &mut Conn, table: Searched) -> Result<()> {
    if copy.is_stale(changes(conn, table)?) {
        *copy = read_copy(conn, table)?;
    }
    Ok(())
}
