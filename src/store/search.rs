//! Turning what a clerk types into a search: substring, ignoring case.

use rusqlite::{Connection, Row, ToSql, params};

/// Trigram indexes cannot find pieces shorter than this; shorter searches
/// scan with LIKE instead.
const TRIGRAM: usize = 3;

/// Above this many full-text matches, sorting them all by name costs more
/// than walking the name index and testing rows until a page is full: a
/// common piece of text fills a page within a few rows of the index.
const FTS_SORT_LIMIT: i64 = 10_000;
/// How far along the name index a search looks for a page of matches
/// before it reads the whole table instead.
const WALK_ROWS: i64 = 2_000;

/// How one table is searched: the SQL pieces of its search. Rows are
/// ordered by `(name, id)`.
pub struct SearchTable {
    pub table: &'static str,
    /// The columns read, separated by `, `.
    pub columns: &'static str,
    /// The full-text table kept by the search triggers.
    pub fts_table: &'static str,
    /// The condition for a row containing the text, with `:pattern`.
    pub like: &'static str,
    /// The condition for an exact match (unique code, email, phone), shown
    /// first, with `:text`.
    pub exact: &'static str,
}

impl SearchTable {
    fn select(&self) -> String {
        format!("SELECT {} FROM {}", self.columns, self.table)
    }

    /// The columns of the rows a full-text query found. The cross join
    /// makes SQLite start from the matches instead of walking the whole
    /// name index and testing each row.
    fn select_matched(&self) -> String {
        let prefixed: Vec<String> = self
            .columns
            .split(", ")
            .map(|column| format!("t.{column}"))
            .collect();
        format!(
            "SELECT {} FROM (SELECT rowid AS match_id FROM {fts} WHERE {fts} MATCH :query) AS m
             CROSS JOIN {} AS t ON t.id = m.match_id",
            prefixed.join(", "),
            self.table,
            fts = self.fts_table
        )
    }
}

/// One search: the typed text, its full-text query (quoted, possibly over
/// several columns) and any further named values the table's SQL uses.
pub struct SearchText<'a> {
    pub text: &'a str,
    pub fts_query: String,
    pub extra: Vec<(&'static str, &'a dyn ToSql)>,
}

/// One page of rows matching `search`, ordered by name: exact matches first
/// on the first page, then the rest after `after` (a row's name and id).
///
/// Rare text is found through the trigram index and sorted; text shorter
/// than a trigram, or so common that sorting its matches would be slow, is
/// found by walking the name index in order until the page is full.
pub fn search_page<T>(
    conn: &Connection,
    table: &SearchTable,
    search: &SearchText<'_>,
    after: Option<(&str, i64)>,
    limit: usize,
    mut from_row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let text = search.text.trim();
    let (after_name, after_id) = after.unwrap_or(("", 0));
    let pattern = like_pattern(text);
    let mut params: Vec<(&str, &dyn ToSql)> = vec![
        (":text", &text),
        (":pattern", &pattern),
        (":query", &search.fts_query),
        (":after_name", &after_name),
        (":after_id", &after_id),
    ];
    params.extend(search.extra.iter().copied());
    let cursor = "(name, id) > (:after_name, :after_id)";
    if text.is_empty() {
        let sql = format!(
            "{} WHERE {cursor} ORDER BY name, id LIMIT {limit}",
            table.select()
        );
        return query_rows(conn, &sql, &params, from_row);
    }
    let mut rows = Vec::new();
    if after.is_none() {
        let sql = format!("{} WHERE {} LIMIT {limit}", table.select(), table.exact);
        rows = query_rows(conn, &sql, &params, &mut from_row)?;
    }
    let room = limit - rows.len() as i64;
    // IS NOT TRUE, not NOT: an exact test on a NULL email is NULL, and NOT
    // NULL would drop the row (the Walk-in customer has no email).
    let not_exact = format!("({}) IS NOT TRUE", table.exact);
    if trigram_can_find(text) && fts_matches_at_most(conn, table, &search.fts_query)? {
        let sql = format!(
            "{} WHERE {not_exact} AND {cursor} ORDER BY name, id LIMIT {room}",
            table.select_matched()
        );
        rows.extend(query_rows(conn, &sql, &params, from_row)?);
        return Ok(rows);
    }
    // Common or short text: the next rows in name order usually hold a
    // page of matches. Look at a bounded stretch of the name index first.
    let sql = format!(
        "SELECT {columns} FROM (SELECT * FROM {table} WHERE {not_exact} AND {cursor} ORDER BY name, id LIMIT {WALK_ROWS})
         WHERE {like} ORDER BY name, id LIMIT {room}",
        columns = table.columns,
        table = table.table,
        like = table.like
    );
    let nearby = query_rows(conn, &sql, &params, &mut from_row)?;
    if nearby.len() as i64 == room {
        rows.extend(nearby);
        return Ok(rows);
    }
    // Rare short text: reading the table in storage order and sorting the
    // few matches beats walking the whole name index row by row.
    let sql = format!(
        "{} NOT INDEXED WHERE ({}) AND {not_exact} AND {cursor} ORDER BY name, id LIMIT {room}",
        table.select(),
        table.like
    );
    rows.extend(query_rows(conn, &sql, &params, from_row)?);
    Ok(rows)
}

/// Whether the full-text index has at most [`FTS_SORT_LIMIT`] matches for
/// `query`; it stops counting there.
fn fts_matches_at_most(
    conn: &Connection,
    table: &SearchTable,
    query: &str,
) -> rusqlite::Result<bool> {
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM {fts} WHERE {fts} MATCH ?1 LIMIT ?2)",
        fts = table.fts_table
    );
    let count: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params![query, FTS_SORT_LIMIT + 1], |row| row.get(0))?;
    Ok(count <= FTS_SORT_LIMIT)
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

/// `%text%` for `LIKE ... ESCAPE '\'`.
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// `"text"` with inner quotes doubled: an FTS5 string literal.
pub fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Whether a trigram index can look for this many characters.
pub fn trigram_can_find(text: &str) -> bool {
    text.chars().count() >= TRIGRAM
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped() {
        assert_eq!(like_pattern("5%_\\"), "%5\\%\\_\\\\%");
        assert_eq!(fts_phrase("a\"b OR c"), "\"a\"\"b OR c\"");
    }
}
