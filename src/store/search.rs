//! Turning what a clerk types into a search: substring, ignoring case.

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
