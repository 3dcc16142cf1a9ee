//! Turning what a clerk types into a search: substring, ignoring case.

use rusqlite::{Connection, Row, ToSql};

/// Trigram indexes cannot find pieces shorter than this; shorter searches
/// scan with LIKE instead.
const TRIGRAM: usize = 3;

/// How one typed text is searched.
pub enum Search {
    /// Nothing typed: list everything.
    All,
    /// 1-2 characters: a `LIKE` pattern, `%text%` with wildcards escaped.
    Like(String),
    /// 3 or more characters: an FTS5 phrase, quoted so that user text is
    /// never read as query syntax.
    Trigram(String),
}

impl Search {
    pub fn new(text: &str) -> Search {
        let text = text.trim();
        match text.chars().count() {
            0 => Search::All,
            n if n < TRIGRAM => Search::Like(like_pattern(text)),
            _ => Search::Trigram(fts_phrase(text)),
        }
    }
}

/// The SQL of one page of a search over `table`:
/// - `matches`: the condition for the rows the search finds (`None`: all);
/// - `exact`: the condition for an exact match, which comes first on the
///   first page. Later pages continue after the last row by `(name, id)`
///   and leave out the exact matches already shown.
pub fn page_sql(
    select: &str,
    matches: Option<&str>,
    exact: Option<&str>,
    first_page: bool,
) -> String {
    let mut conditions: Vec<String> = matches.map(|m| format!("({m})")).into_iter().collect();
    let mut order = "name, id".to_string();
    match (exact, first_page) {
        (Some(exact), true) => order = format!("({exact}) DESC, name, id"),
        (Some(exact), false) => conditions.push(format!("NOT ({exact})")),
        (None, _) => {}
    }
    if !first_page {
        conditions.push("(name, id) > (:after_name, :after_id)".to_string());
    }
    let filter = match conditions.is_empty() {
        true => String::new(),
        false => format!(" WHERE {}", conditions.join(" AND ")),
    };
    format!("{select}{filter} ORDER BY {order} LIMIT :limit")
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
