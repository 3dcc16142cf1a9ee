//! Turning what a clerk types into a search: substring, ignoring case and
//! accents, exact matches first, then by name.

use std::cell::RefCell;
use std::cmp::Ordering;

use caseless::Caseless;
use rusqlite::{Connection, OptionalExtension, Row, ToSql};
use unicode_normalization::UnicodeNormalization;

use super::sql_limit;

/// How one table is searched: the SQL pieces of its search. Rows are
/// ordered by `(name, id)`.
pub struct SearchTable {
    pub table: &'static str,
    /// The columns read, separated by `, `.
    pub columns: &'static str,
    /// The full-text table its triggers keep: when it changes, the searched
    /// columns have changed.
    pub fts_table: &'static str,
    /// The condition for an exact match (unique code, email, phone), shown
    /// first, with `:text` (and the table's own named values).
    pub exact: &'static str,
    /// Two SQL expressions held in memory besides the name: more text to
    /// search (a code, an email) and phone digits (`''` for none).
    pub cache_columns: &'static str,
}

impl SearchTable {
    fn select(&self) -> String {
        format!("SELECT {} FROM {}", self.columns, self.table)
    }
}

/// One search: the typed text, the digits to look for among phone numbers
/// (when the text could be one), and the table's further named values.
pub struct SearchText<'a> {
    pub text: &'a str,
    pub digits: Option<&'a str>,
    pub extra: Vec<(&'static str, &'a dyn ToSql)>,
}

/// One page of rows matching `search`, ordered by name: exact matches first
/// on the first page, then the rest after `after` (a row's name and id).
/// Empty text lists every row by name, straight from the name index; other
/// text is looked for in the table's [`SearchCache`].
pub fn search_page<T>(
    conn: &Connection,
    table: &SearchTable,
    cache: &RefCell<SearchCache>,
    search: &SearchText<'_>,
    after: Option<(&str, i64)>,
    limit: usize,
    mut from_row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let text = search.text.trim();
    let (after_name, after_id) = after.unwrap_or(("", 0));
    let mut params: Vec<(&str, &dyn ToSql)> = vec![
        (":text", &text),
        (":after_name", &after_name),
        (":after_id", &after_id),
    ];
    params.extend(search.extra.iter().copied());
    if text.is_empty() {
        // Bound like every value: SQLite's LIMIT is an i64, and any larger
        // number written into the text would read as a real and be refused.
        let limit = sql_limit(limit);
        params.push((":limit", &limit));
        let sql = format!(
            "{} WHERE (name, id) > (:after_name, :after_id) ORDER BY name, id LIMIT :limit",
            table.select()
        );
        return query_rows(conn, &sql, &params, from_row);
    }
    // Exact matches (a handful at most) come first on the first page and
    // never again.
    let exact = exact_rows(conn, table, &params, &mut from_row)?;
    let exact_ids: Vec<i64> = exact.iter().map(|(id, _)| *id).collect();
    let mut rows: Vec<T> = match after {
        None => exact.into_iter().take(limit).map(|(_, row)| row).collect(),
        Some(_) => Vec::new(),
    };
    let room = limit.saturating_sub(rows.len());
    let mut cache = cache.borrow_mut();
    cache.refresh(conn, table)?;
    let ids = cache.find(&fold(text), search.digits, after, room, &exact_ids);
    drop(cache);
    // One query for the page's rows, put back in the cache's order.
    rows.extend(rows_by_id(conn, table, &ids, from_row)?);
    Ok(rows)
}

/// The page of rows matching `search` that ends just before `before` (a
/// row's name and id), or at the end of them all: what [`search_page`]
/// would list there, read upwards, so the end of a long list costs what
/// its start does. The rows are in the list's order; the page that
/// reaches the start has the exact matches on top, as the first page does.
pub fn search_page_before<T>(
    conn: &Connection,
    table: &SearchTable,
    cache: &RefCell<SearchCache>,
    search: &SearchText<'_>,
    before: Option<(&str, i64)>,
    limit: usize,
    mut from_row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<super::RowsBefore<T>> {
    let text = search.text.trim();
    let (before_name, before_id) = before.unwrap_or(("", 0));
    let mut params: Vec<(&str, &dyn ToSql)> = vec![
        (":text", &text),
        (":before_name", &before_name),
        (":before_id", &before_id),
    ];
    params.extend(search.extra.iter().copied());
    if text.is_empty() {
        let sql_rows = sql_limit(limit);
        params.push((":limit", &sql_rows));
        // Nothing is after the end: from there every row is before it.
        let condition = match before {
            Some(_) => "WHERE (name, id) < (:before_name, :before_id)",
            None => "",
        };
        let sql = format!(
            "{} {condition} ORDER BY name DESC, id DESC LIMIT :limit",
            table.select()
        );
        let mut rows = query_rows(conn, &sql, &params, from_row)?;
        rows.reverse();
        let at_start = rows.len() < limit;
        return Ok(super::RowsBefore { rows, at_start });
    }
    let exact = exact_rows(conn, table, &params, &mut from_row)?;
    let exact_ids: Vec<i64> = exact.iter().map(|(id, _)| *id).collect();
    let mut cache = cache.borrow_mut();
    cache.refresh(conn, table)?;
    let ids = cache.find_before(&fold(text), search.digits, before, limit, &exact_ids);
    drop(cache);
    let at_start = ids.len() < limit;
    let mut rows: Vec<T> = if at_start {
        exact.into_iter().map(|(_, row)| row).collect()
    } else {
        Vec::new()
    };
    rows.extend(rows_by_id(conn, table, &ids, from_row)?);
    Ok(super::RowsBefore { rows, at_start })
}

/// The rows with these ids, in the order of `ids`, read in one query.
fn rows_by_id<T>(
    conn: &Connection,
    table: &SearchTable,
    ids: &[i64],
    mut from_row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let sql = format!(
        "{} WHERE id IN (SELECT value FROM json_each(?1))",
        table.select()
    );
    let wanted = format!(
        "[{}]",
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut found: Vec<(i64, T)> = statement
        .query_map([wanted], |row| Ok((row.get(0)?, from_row(row)?)))?
        .collect::<rusqlite::Result<_>>()?;
    found.sort_by_key(|(id, _)| ids.iter().position(|wanted| wanted == id));
    Ok(found.into_iter().map(|(_, row)| row).collect())
}

/// The rows `search` names exactly (a code, an email, a phone number),
/// with their ids: what Enter takes at once.
pub fn exact_matches<T>(
    conn: &Connection,
    table: &SearchTable,
    search: &SearchText<'_>,
    mut from_row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let text = search.text.trim();
    let mut params: Vec<(&str, &dyn ToSql)> = vec![(":text", &text)];
    params.extend(search.extra.iter().copied());
    let rows = exact_rows(conn, table, &params, &mut from_row)?;
    Ok(rows.into_iter().map(|(_, row)| row).collect())
}

/// The rows of `table`'s exact condition for `params`, with their ids
/// (the table's columns start with its id).
fn exact_rows<T>(
    conn: &Connection,
    table: &SearchTable,
    params: &[(&str, &dyn ToSql)],
    from_row: &mut impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<(i64, T)>> {
    let sql = format!("{} WHERE {}", table.select(), table.exact);
    query_rows(conn, &sql, params, |row| Ok((row.get(0)?, from_row(row)?)))
}

/// The names of one table, with what else is searched, held in memory in
/// name order: a search reads one contiguous text instead of rows, and
/// needs no sorting. The copy is read again when the table's full-text
/// index (kept by triggers on exactly the searched columns) has changed.
#[derive(Debug, Default)]
pub struct SearchCache {
    /// The full-text index's structure record when the copy was read.
    stamp: Option<Vec<u8>>,
    ids: Vec<i64>,
    names: Vec<Box<str>>,
    /// Every row's name and other searched text, folded (see [`fold`]),
    /// one after another, each followed by a separator no search contains.
    text: Separated,
    /// Every row's phone digits, likewise.
    digits: Separated,
}

/// Strings laid end to end, each followed by [`SEPARATOR`], with where each
/// starts.
#[derive(Debug, Default)]
struct Separated {
    text: String,
    starts: Vec<usize>,
}

impl Separated {
    /// Adds a row made of `parts`, folded, apart by [`COLUMN_SEPARATOR`].
    fn push_folded(&mut self, parts: &[&str]) {
        self.starts.push(self.text.len());
        for (index, part) in parts.iter().enumerate() {
            if index > 0 {
                self.text.push(COLUMN_SEPARATOR);
            }
            self.text.extend(folded(part));
        }
        self.text.push(SEPARATOR);
    }

    /// The rows, from row `first` on, whose piece contains `needle`, in
    /// order; at most `wanted`.
    fn rows_containing(&self, needle: &str, first: usize, wanted: usize) -> Vec<usize> {
        let Some(&from) = self.starts.get(first) else {
            return Vec::new();
        };
        let mut rows: Vec<usize> = Vec::new();
        for offset in memchr::memmem::find_iter(&self.text.as_bytes()[from..], needle.as_bytes()) {
            let row = self.starts.partition_point(|&start| start <= from + offset) - 1;
            if rows.last() != Some(&row) {
                rows.push(row);
                if rows.len() == wanted {
                    break;
                }
            }
        }
        rows
    }

    /// The rows before row `end` whose piece contains `needle`, the last
    /// `wanted` of them, in order.
    fn rows_containing_before(&self, needle: &str, end: usize, wanted: usize) -> Vec<usize> {
        let until = self.starts.get(end).copied().unwrap_or(self.text.len());
        let mut rows: Vec<usize> = Vec::new();
        for offset in memchr::memmem::rfind_iter(&self.text.as_bytes()[..until], needle.as_bytes())
        {
            let row = self.starts.partition_point(|&start| start <= offset) - 1;
            if rows.last() != Some(&row) {
                rows.push(row);
                if rows.len() == wanted {
                    break;
                }
            }
        }
        rows.reverse();
        rows
    }
}

/// Written by FTS5 on every change to its index: rowid 10 of its `_data`
/// table holds the index's structure and a write counter.
const FTS_STRUCTURE_ROWID: i64 = 10;
/// Ends each row's text in a [`Separated`]; folded search text never holds
/// it, so no match can run from one row into the next.
const SEPARATOR: char = '\u{1e}';
/// Between a row's name and its other searched text.
const COLUMN_SEPARATOR: char = '\u{1f}';

impl SearchCache {
    fn refresh(&mut self, conn: &Connection, table: &SearchTable) -> rusqlite::Result<()> {
        let sql = format!("SELECT block FROM {}_data WHERE id = ?1", table.fts_table);
        let stamp: Option<Vec<u8>> = conn
            .prepare_cached(&sql)?
            .query_row([FTS_STRUCTURE_ROWID], |row| row.get(0))
            .optional()?;
        if stamp.is_some() && stamp == self.stamp {
            return Ok(());
        }
        *self = SearchCache::default();
        let sql = format!(
            "SELECT id, name, {} FROM {} ORDER BY name, id",
            table.cache_columns, table.table
        );
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(1)?;
            self.text.push_folded(&[&name, row.get_ref(2)?.as_str()?]);
            self.digits.push_folded(&[row.get_ref(3)?.as_str()?]);
            self.ids.push(row.get(0)?);
            self.names.push(name.into());
        }
        self.stamp = stamp;
        Ok(())
    }

    /// Where the rows after `(name, id)` begin, by binary search.
    fn position_after(&self, key: (&str, i64)) -> usize {
        self.partition(|order| order.is_le(), key)
    }

    /// Where the row `(name, id)` is, or would be: the rows before it end.
    fn position_of(&self, key: (&str, i64)) -> usize {
        self.partition(|order| order.is_lt(), key)
    }

    /// The number of rows, from the first, whose order against `(name,
    /// id)` is `in_front`: the rows are in that order, so a binary search.
    fn partition(&self, in_front: impl Fn(Ordering) -> bool, (name, id): (&str, i64)) -> usize {
        let (mut low, mut high) = (0, self.ids.len());
        while low < high {
            let middle = (low + high) / 2;
            let order = nocase_cmp(&self.names[middle], name).then(self.ids[middle].cmp(&id));
            if in_front(order) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The ids of up to `limit` rows after `after` in name order whose text
    /// contains `needle` (folded) or whose digits contain `digits`, leaving
    /// out `skip`.
    fn find(
        &self,
        needle: &str,
        digits: Option<&str>,
        after: Option<(&str, i64)>,
        limit: usize,
        skip: &[i64],
    ) -> Vec<i64> {
        if needle.contains([SEPARATOR, COLUMN_SEPARATOR]) {
            return Vec::new();
        }
        let first = after.map_or(0, |after| self.position_after(after));
        // Enough candidates that `limit` remain once `skip` is left out.
        let wanted = limit + skip.len();
        let mut rows = self.text.rows_containing(needle, first, wanted);
        if let Some(digits) = digits.filter(|d| !d.is_empty()) {
            rows.extend(self.digits.rows_containing(digits, first, wanted));
            rows.sort_unstable();
            rows.dedup();
        }
        rows.into_iter()
            .map(|row| self.ids[row])
            .filter(|id| !skip.contains(id))
            .take(limit)
            .collect()
    }

    /// As [`SearchCache::find`], the last `limit` rows before `before` (or
    /// before the end), in name order.
    fn find_before(
        &self,
        needle: &str,
        digits: Option<&str>,
        before: Option<(&str, i64)>,
        limit: usize,
        skip: &[i64],
    ) -> Vec<i64> {
        if needle.contains([SEPARATOR, COLUMN_SEPARATOR]) {
            return Vec::new();
        }
        let end = before.map_or(self.ids.len(), |before| self.position_of(before));
        let wanted = limit + skip.len();
        let mut rows = self.text.rows_containing_before(needle, end, wanted);
        if let Some(digits) = digits.filter(|d| !d.is_empty()) {
            rows.extend(self.digits.rows_containing_before(digits, end, wanted));
            rows.sort_unstable();
            rows.dedup();
        }
        let ids: Vec<i64> = rows
            .into_iter()
            .map(|row| self.ids[row])
            .filter(|id| !skip.contains(id))
            .collect();
        ids[ids.len().saturating_sub(limit)..].to_vec()
    }
}

/// SQLite's NOCASE order: ASCII letters without case, other bytes as they are.
fn nocase_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

/// Text as searches compare it: case folded, and the accents taken off
/// however they were written (one character, or a letter and combining
/// marks), so that `nunez` finds `Núñez`, `stefan` finds `Ștefan` and
/// `nguyen` finds `Nguyễn`.
pub fn fold(text: &str) -> String {
    folded(text).collect()
}

/// Case is folded whole, as emails are compared (`Straße` and `STRASSE`
/// alike); then Unicode's decomposition splits an accented letter into its
/// letter and its accents, and the accents (the combining diacritical
/// marks, not the vowel signs other scripts write with marks) are dropped.
fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .default_case_fold()
        .nfd()
        .filter(|&c| !is_accent(c))
        .map(without_stroke)
}

/// The blocks of combining diacritical marks: accents, whatever letter
/// they sit on.
fn is_accent(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Letters with a stroke or bar, which Unicode does not decompose: the
/// letter they are written on.
fn without_stroke(c: char) -> char {
    match c {
        'ł' => 'l',
        'đ' => 'd',
        'ø' => 'o',
        'ı' => 'i',
        'ħ' => 'h',
        'ŧ' => 't',
        'ƀ' => 'b',
        'ǥ' => 'g',
        'ƶ' => 'z',
        other => other,
    }
}

/// Runs `sql` with those of `params` that it names: each kind of search
/// uses a different subset, and SQLite refuses a value for a name it lacks.
pub fn query_rows<T>(
    conn: &Connection,
    sql: &str,
    params: &[(&str, &dyn ToSql)],
    from_row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = conn.prepare_cached(sql)?;
    for (name, value) in params {
        if let Some(index) = statement.parameter_index(name)? {
            statement.raw_bind_parameter(index, value)?;
        }
    }
    statement.raw_query().mapped(from_row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("José NÚÑEZ"), "jose nunez");
        assert_eq!(fold("Łukasz Dvořák"), "lukasz dvorak");
        assert_eq!(fold("李小龙"), "李小龙");
        assert_eq!(fold("Ștefan Nguyễn"), "stefan nguyen");
        assert_eq!(fold("Jose\u{301} Ørsted"), "jose orsted");
    }

    #[test]
    fn nocase_order_is_sqlites() {
        use std::cmp::Ordering::*;
        assert_eq!(nocase_cmp("ann", "ANN"), Equal);
        assert_eq!(nocase_cmp("Ann", "bob"), Less);
        assert_eq!(nocase_cmp("Zoë", "zoe"), Greater);
        assert_eq!(nocase_cmp("An", "Ann"), Less);
    }
}
