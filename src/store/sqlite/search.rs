//! Turning what a clerk types into a search: substring, ignoring case and
//! accents, exact matches first, then by name.
//!
//! Every searched row keeps a search key: its searched text folded (see
//! [`fold`]), written by the store with every change to that text (no
//! database folds case and accents this way), with a per-table change
//! counter in the same transaction. A search is answered in one of two
//! ways, with the same rows in the same order: straight from the database
//! (a one-shot search, which must not read the whole table), or from an
//! in-memory copy of every key in name order ([`SearchCache`]), which a
//! counter's searcher keeps so each keystroke costs a scan of memory, and
//! reads again when the table's counter has moved.

use super::sql_limit;
use crate::store::search::{Needles, SearchCopy, TrigramSyntax, search_key};
use rusqlite::{Connection, Row, ToSql, params};

/// How one table is searched: the SQL pieces of its search. Rows are
/// ordered by `(name, id)`, which its name index (`name, id, search_key`
/// and the digits) serves, so a walk in name order reads the index alone.
pub struct SearchTable {
    pub table: &'static str,
    /// The columns read, separated by `, `.
    pub columns: &'static str,
    /// The condition for an exact match (unique code, email, phone), shown
    /// first, with `:text` (and the table's own named values).
    pub exact: &'static str,
    /// The searched text columns as SQL, the name first: the row's
    /// `search_key` is their folded text (see [`search_key`]).
    pub key_columns: &'static str,
    /// The column of phone digits, searched only for text that could be a
    /// phone number (`''` for none).
    pub digits: &'static str,
    /// The full-text index of trigrams over `search_key` and the digits
    /// (kept by triggers) that narrows a search for rare text to a few
    /// rows (see [`Page::find`]).
    pub trigrams: &'static str,
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
/// text is looked for in `cache` when there is one (read again if the
/// table changed), else in the database.
pub fn search_page<T>(
    conn: &Connection,
    table: &SearchTable,
    cache: Option<&mut SearchCopy>,
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
    let Some(needles) = Needles::new(text, search.digits) else {
        return Ok(rows);
    };
    let ids = match cache {
        Some(cache) => {
            refresh(cache, conn, table)?;
            cache.find(&needles, after, room, &exact_ids)
        }
        None => {
            let page = Page::new(conn, table, &needles, after, Direction::Down);
            page.find(room, &exact_ids)?
        }
    };
    // One query for the page's rows, put back in the order found.
    rows.extend(rows_by_id(conn, table, &ids, from_row)?);
    Ok(rows)
}

/// The page of rows matching `search` that ends just before `before` (a
/// row's name and id), or at the end of them all: what [`search_page`]
/// would list there, read upwards, so the end of a long list costs what
/// its start does. The rows are in the list's order; the page that
/// reaches the start has the exact matches on top, as the first page does.
/// Looked for in `cache` when there is one, else in the database.
pub fn search_page_before<T>(
    conn: &Connection,
    table: &SearchTable,
    cache: Option<&mut SearchCopy>,
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
    let ids = match Needles::new(text, search.digits) {
        None => Vec::new(),
        Some(needles) => match cache {
            Some(cache) => {
                refresh(cache, conn, table)?;
                cache.find_before(&needles, before, limit, &exact_ids)
            }
            None => {
                let page = Page::new(conn, table, &needles, before, Direction::Up);
                let mut ids = page.find(limit, &exact_ids)?;
                // Read upwards; shown in the list's order.
                ids.reverse();
                ids
            }
        },
    };
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
    let mut statement = conn.prepare_cached(&sql)?;
    let mut found: Vec<(i64, T)> = statement
        .query_map([json_list(ids)], |row| Ok((row.get(0)?, from_row(row)?)))?
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

/// Ids as a JSON list, which `json_each` reads as a table: one bound
/// value however many they are.
fn json_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", ids.join(","))
}

impl SearchTable {
    fn select(&self) -> String {
        format!("SELECT {} FROM {}", self.columns, self.table)
    }

    /// Whether a row's key matches `:needle` or its digits `:digits`, two
    /// patterns of [`glob_containing`] (`:digits` NULL when the text is no
    /// phone number: GLOB is then NULL, not true). GLOB compares exactly,
    /// as the keys are folded already, and costs a quarter less than
    /// `instr` over a walk of the whole name index.
    fn matches(&self) -> String {
        format!("(search_key GLOB :needle OR {} GLOB :digits)", self.digits)
    }
}

/// The search key of a row read with the table's key columns, from its
/// column `first` on.
fn key_of_row(row: &Row<'_>, first: usize) -> rusqlite::Result<String> {
    let parts = (first..row.as_ref().column_count())
        .map(|column| row.get_ref(column)?.as_str().map_err(Into::into))
        .collect::<rusqlite::Result<Vec<&str>>>()?;
    Ok(search_key(&parts))
}

/// Writes row `id`'s search key from its searched columns as they now are,
/// and counts the change: every write of a searched column (but the demo
/// loader's, which keys its rows as it writes them and counts its load
/// once) ends here, in its own transaction, so no copy in memory misses it.
pub fn keep_search_key(conn: &Connection, table: &SearchTable, id: i64) -> rusqlite::Result<()> {
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        table.key_columns, table.table
    );
    let key = conn
        .prepare_cached(&sql)?
        .query_row([id], |row| key_of_row(row, 0))?;
    let sql = format!("UPDATE {} SET search_key = ?1 WHERE id = ?2", table.table);
    conn.prepare_cached(&sql)?.execute(params![key, id])?;
    count_change(conn, table)
}

/// Writes every row's search key: for an upgrade, which finds rows with
/// none. Counted as one change.
pub fn write_every_search_key(conn: &Connection, table: &SearchTable) -> rusqlite::Result<()> {
    let sql = format!("SELECT id, {} FROM {}", table.key_columns, table.table);
    let mut rows = conn.prepare(&sql)?;
    let mut write = conn.prepare(&format!(
        "UPDATE {} SET search_key = ?1 WHERE id = ?2",
        table.table
    ))?;
    let mut found = rows.query([])?;
    while let Some(row) = found.next()? {
        write.execute(params![key_of_row(row, 1)?, row.get::<_, i64>(0)?])?;
    }
    count_change(conn, table)
}

/// Counts one more change to the searched text of `table`, in the caller's
/// transaction.
pub fn count_change(conn: &Connection, table: &SearchTable) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE search_changes SET changes = changes + 1 WHERE table_name = ?1")?
        .execute([table.table])?;
    Ok(())
}

/// How many changes to the searched text of `table` there have been.
fn changes(conn: &Connection, table: &SearchTable) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT changes FROM search_changes WHERE table_name = ?1")?
        .query_row([table.table], |row| row.get(0))
}

/// How a search in the database goes, by the rows holding every trigram
/// of its text (its candidates): reading a candidate by id costs about ten
/// times what walking past a row of the name index does (which holds the
/// keys), so a few candidates are read and sorted; with more, the first
/// [`FIRST_WALK_ROWS`] rows of the name index are walked first, as the
/// page of a common text is often among them, and the candidates read
/// only if it is not; with many, the text is common enough that the walk
/// goes on to the first page however far it is.
const FEW_CANDIDATES: usize = 1_000;
const MANY_CANDIDATES: usize = 8_000;
const FIRST_WALK_ROWS: i64 = 3_000;
/// The length of a trigram, the shortest text the full-text index finds.
const TRIGRAM: usize = 3;

/// One page of a search in the database: up to `wanted` ids of matching
/// rows from `from` on, in name order down the list or in reverse up it.
struct Page<'a> {
    conn: &'a Connection,
    table: &'a SearchTable,
    needles: &'a Needles,
    /// The row (name and id) the page starts after going down, or ends
    /// before going up; `None`: the list's start, or its end.
    from: Option<(&'a str, i64)>,
    direction: Direction,
    wanted: usize,
}

/// Which way a page of a database search reads the name index: down from
/// the start or a row (the next page), or up from the end or a row (End,
/// and the page above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Down,
    Up,
}

impl<'a> Page<'a> {
    fn new(
        conn: &'a Connection,
        table: &'a SearchTable,
        needles: &'a Needles,
        from: Option<(&'a str, i64)>,
        direction: Direction,
    ) -> Page<'a> {
        Page {
            conn,
            table,
            needles,
            from,
            direction,
            wanted: 0,
        }
    }

    /// Up to `limit` ids of the rows from `from` on, in the page's
    /// direction, whose key holds the text or whose digits hold the
    /// digits, leaving out `skip`: straight from the database, reading no
    /// more rows than it must.
    fn find(mut self, limit: usize, skip: &[i64]) -> rusqlite::Result<Vec<i64>> {
        // Enough that `limit` remain once `skip` is left out.
        self.wanted = limit.saturating_add(skip.len());
        let candidates = match trigram_query(self.needles) {
            Some(query) => Some(candidates(self.conn, self.table, &query)?),
            None => None,
        };
        let ids = match candidates {
            Some(ids) if ids.len() < FEW_CANDIDATES => self.among(&ids)?,
            Some(ids) if ids.len() < MANY_CANDIDATES => {
                let first = self.walk(Some(FIRST_WALK_ROWS))?;
                if first.len() == self.wanted {
                    first
                } else {
                    self.among(&ids)?
                }
            }
            _ => self.walk(None)?,
        };
        Ok(ids
            .into_iter()
            .filter(|id| !skip.contains(id))
            .take(limit)
            .collect())
    }

    /// The condition for the rows past `from`: none from the start or the
    /// end, where comparing every row walked with a bound would cost a
    /// sixth of a whole walk for nothing.
    fn bound_clause(&self) -> &'static str {
        match (self.from, self.direction) {
            (None, _) => "TRUE",
            (Some(_), Direction::Down) => "(name, id) > (:from_name, :from_id)",
            (Some(_), Direction::Up) => "(name, id) < (:from_name, :from_id)",
        }
    }

    /// The order the page reads rows in.
    fn order(&self) -> &'static str {
        match self.direction {
            Direction::Down => "name, id",
            Direction::Up => "name DESC, id DESC",
        }
    }

    /// The page among the rows `ids`, read by id and sorted.
    fn among(&self, ids: &[i64]) -> rusqlite::Result<Vec<i64>> {
        let sql = format!(
            "SELECT id FROM {} WHERE id IN (SELECT value FROM json_each(:ids))
                AND {} AND {}
             ORDER BY {} LIMIT :wanted",
            self.table.table,
            self.bound_clause(),
            self.table.matches(),
            self.order()
        );
        self.query(&sql, &[(":ids", &json_list(ids))])
    }

    /// The page found walking the name index, past its first `rows` rows
    /// at most (then the page may hold fewer than `wanted` that are not
    /// all there are).
    fn walk(&self, rows: Option<i64>) -> rusqlite::Result<Vec<i64>> {
        let end = match rows {
            Some(rows) => self.row_after(rows)?,
            None => None,
        };
        let sql = format!(
            "SELECT id FROM {} WHERE {} AND {} AND {}
             ORDER BY {} LIMIT :wanted",
            self.table.table,
            self.bound_clause(),
            match (&end, self.direction) {
                (None, _) => "TRUE",
                (Some(_), Direction::Down) => "(name, id) <= (:end_name, :end_id)",
                (Some(_), Direction::Up) => "(name, id) >= (:end_name, :end_id)",
            },
            self.table.matches(),
            self.order()
        );
        match &end {
            Some((end_name, end_id)) => {
                self.query(&sql, &[(":end_name", end_name), (":end_id", end_id)])
            }
            None => self.query(&sql, &[]),
        }
    }

    /// The name and id of the row `rows` rows past `from`, if there is
    /// one: a bound on the work of a walk, not a page (pages never skip
    /// rows with OFFSET), read from the name index alone.
    fn row_after(&self, rows: i64) -> rusqlite::Result<Option<(String, i64)>> {
        let sql = format!(
            "SELECT name, id FROM {} WHERE {}
             ORDER BY {} LIMIT 1 OFFSET :skipped",
            self.table.table,
            self.bound_clause(),
            self.order()
        );
        let skipped = rows - 1;
        let (from_name, from_id) = self.from.unwrap_or_default();
        let params: [(&str, &dyn ToSql); 3] = [
            (":from_name", &from_name),
            (":from_id", &from_id),
            (":skipped", &skipped),
        ];
        Ok(query_rows(self.conn, &sql, &params, |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .pop())
    }

    fn query(&self, sql: &str, extra: &[(&str, &dyn ToSql)]) -> rusqlite::Result<Vec<i64>> {
        let needle = glob_containing(&self.needles.text);
        let digits = self.needles.digits.as_deref().map(glob_containing);
        let (from_name, from_id) = self.from.unwrap_or_default();
        let wanted = sql_limit(self.wanted);
        let mut params: Vec<(&str, &dyn ToSql)> = vec![
            (":needle", &needle),
            (":digits", &digits),
            (":from_name", &from_name),
            (":from_id", &from_id),
            (":wanted", &wanted),
        ];
        params.extend_from_slice(extra);
        query_rows(self.conn, sql, &params, |row| row.get(0))
    }
}

/// A GLOB pattern for the texts that contain `text`: GLOB's own
/// characters in it (`*`, `?`, `[`) each stand for themselves in brackets.
fn glob_containing(text: &str) -> String {
    let mut pattern = String::from("*");
    for c in text.chars() {
        match c {
            '*' | '?' | '[' => pattern.extend(['[', c, ']']),
            c => pattern.push(c),
        }
    }
    pattern.push('*');
    pattern
}

/// The ids of the rows that hold every trigram in `query`, up to
/// [`MANY_CANDIDATES`].
fn candidates(conn: &Connection, table: &SearchTable, query: &str) -> rusqlite::Result<Vec<i64>> {
    let sql = format!(
        "SELECT rowid FROM {0} WHERE {0} MATCH ?1 LIMIT ?2",
        table.trigrams
    );
    conn.prepare_cached(&sql)?
        .query_map(params![query, sql_limit(MANY_CANDIDATES)], |row| row.get(0))?
        .collect()
}

/// The FTS5 query for the rows holding every trigram of the text or of
/// the digits (see [`Needles::trigram_query`]).
fn trigram_query(needles: &Needles) -> Option<String> {
    needles.trigram_query(&FTS5_TRIGRAMS)
}

/// FTS5's query syntax: each trigram a string in double quotes, taken as
/// it is (a double quote in it written twice), `AND` and `OR`.
const FTS5_TRIGRAMS: TrigramSyntax = TrigramSyntax {
    terms: |text| {
        let chars: Vec<char> = text.chars().collect();
        chars
            .windows(TRIGRAM)
            .map(|trigram| {
                let trigram: String = trigram.iter().collect();
                format!("\"{}\"", trigram.replace('"', "\"\""))
            })
            .collect()
    },
    all: " AND ",
    either: " OR ",
};

/// Reads every row's key and digits of `table` in name order into a copy.
pub fn read_copy(conn: &Connection, table: &SearchTable) -> rusqlite::Result<SearchCopy> {
    // The counter before the rows (see [`SearchCopy::new`]).
    let mut copy = SearchCopy::new(changes(conn, table)?);
    let sql = format!(
        "SELECT id, name, search_key, {} FROM {} ORDER BY name, id",
        table.digits, table.table
    );
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        copy.push(
            row.get(0)?,
            row.get_ref(1)?.as_str()?,
            row.get_ref(2)?.as_str()?,
            row.get_ref(3)?.as_str()?,
        );
    }
    Ok(copy)
}

/// Reads the copy again if the table's searched text has changed.
fn refresh(copy: &mut SearchCopy, conn: &Connection, table: &SearchTable) -> rusqlite::Result<()> {
    if copy.is_stale(changes(conn, table)?) {
        *copy = read_copy(conn, table)?;
    }
    Ok(())
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
    fn full_text_queries_ask_for_every_trigram_once_quoted_and_nothing_shorter() {
        let query =
            |text: &str, digits: Option<&str>| trigram_query(&Needles::new(text, digits).unwrap());
        let expect = |query: &str| Some(query.to_string());
        assert_eq!(
            query("Board", None),
            expect(r#"("ard" AND "boa" AND "oar")"#)
        );
        assert_eq!(query("AAAAA", None), expect(r#"("aaa")"#));
        // Search syntax is text: a double quote is written twice.
        assert_eq!(query("a\"b\"", None), expect(r#"("""b""" AND "a""b")"#));
        assert_eq!(
            query("NEAR(", None),
            expect(r#"("ar(" AND "ear" AND "nea")"#)
        );
        assert_eq!(
            query("555 01", Some("55501")),
            expect(r#"(" 01" AND "5 0" AND "55 " AND "555") OR ("501" AND "550" AND "555")"#)
        );
        // The index finds no text shorter than a trigram.
        assert_eq!(query("ab", None), None);
        assert_eq!(query("5 5", Some("55")), None);
    }

    #[test]
    fn glob_patterns_take_every_character_of_the_text_as_itself() {
        assert_eq!(glob_containing("mug"), "*mug*");
        assert_eq!(glob_containing("a*b?[c]"), "*a[*]b[?][[]c]*");
        let conn = Connection::open_in_memory().unwrap();
        for (text, holder, holds) in [
            ("a*b?[c]", "xa*b?[c]y", true),
            ("a*b", "axxb", false),
            ("?", "x", false),
            ("[a]", "a", false),
            ("é", "café", true),
            ("E", "e", false),
        ] {
            let found: bool = conn
                .query_row(
                    "SELECT ?1 GLOB ?2",
                    [holder, &glob_containing(text)],
                    |row| row.get(0),
                )
                .unwrap();
            assert_eq!(found, holds, "{holder:?} holds {text:?}");
        }
    }
}
