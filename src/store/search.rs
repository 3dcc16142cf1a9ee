//! What every backend's search shares, above SQL: how a row's searched
//! text is folded into its search key (no database folds case and accents
//! this way, so each backend keeps the key itself, written by the store
//! with every change to that text), SQLite's NOCASE order, which every
//! backend lists names in, and the in-memory copies of the keys that a
//! search as you type scans ([`SearchCopy`]), which a backend fills from
//! its rows and reads again when the table's change counter has moved.

use std::cell::RefCell;
use std::cmp::Ordering;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// Ends each row's text in a [`Separated`]; folded search text never
/// holds it, so no match can run from one row into the next.
pub(super) const SEPARATOR: char = '\u{1e}';
/// Between a row's name and its other searched text in its search key.
pub(super) const COLUMN_SEPARATOR: char = '\u{1f}';

/// What a search looks for in the keys: the text folded, and the digits
/// to look for among phone numbers.
pub(super) struct Needles {
    pub(super) text: String,
    pub(super) digits: Option<String>,
}

impl Needles {
    /// `None` when nothing but an exact match can be found: folded text
    /// holding a separator, which no key's text does.
    pub(super) fn new(text: &str, digits: Option<&str>) -> Option<Needles> {
        let text = fold(text);
        (!text.contains([SEPARATOR, COLUMN_SEPARATOR])).then(|| Needles {
            text,
            digits: digits
                .filter(|digits| !digits.is_empty())
                .map(str::to_string),
        })
    }
}

/// How a backend's full-text index of trigrams is asked for rows: the
/// terms of a text's trigrams, how terms a row must all hold are joined,
/// and how two such groups of which a row holds either are joined.
pub(super) struct TrigramSyntax {
    /// The terms of every trigram of a text, in any order, repeats
    /// allowed; none for a text shorter than a trigram.
    pub(super) terms: fn(&str) -> Vec<String>,
    pub(super) all: &'static str,
    pub(super) either: &'static str,
}

impl Needles {
    /// A full-text query for the rows holding every trigram of the text,
    /// or every trigram of the digits: a few more rows than those holding
    /// the text itself, which the search then compares. `None` when the
    /// text or the digits are shorter than a trigram, which no trigram
    /// index finds.
    pub(super) fn trigram_query(&self, syntax: &TrigramSyntax) -> Option<String> {
        let every_trigram = |text: &str| -> Option<String> {
            let mut terms = (syntax.terms)(text);
            terms.sort_unstable();
            terms.dedup();
            (!terms.is_empty()).then(|| format!("({})", terms.join(syntax.all)))
        };
        let text = every_trigram(&self.text)?;
        match self.digits.as_deref() {
            Some(digits) => Some(format!("{text}{}{}", syntax.either, every_trigram(digits)?)),
            None => Some(text),
        }
    }
}

/// Every row's search key of one table, held in memory in name order: a
/// search reads one contiguous text instead of rows, and needs no sorting.
/// Read again when the table's change counter has moved: each backend
/// reads the rows and the counter, and pushes the rows here.
#[derive(Debug, Default)]
pub(super) struct SearchCopy {
    /// The table's change counter when the copy was read.
    stamp: i64,
    ids: Vec<i64>,
    names: Vec<Box<str>>,
    /// Every row's search key, one after another, each followed by a
    /// separator no search contains.
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
    fn push(&mut self, text: &str) {
        self.starts.push(self.text.len());
        self.text.push_str(text);
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
        let found = memchr::memmem::rfind_iter(&self.text.as_bytes()[..until], needle.as_bytes());
        // An empty needle (text that folds to nothing, a lone accent) is
        // found at the very end too, which is row `end`'s start: not before.
        for offset in found.filter(|&offset| offset < until) {
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

impl SearchCopy {
    /// An empty copy of a table whose change counter stood at `stamp`
    /// before its rows were read: read the counter first, so that a change
    /// committed in between is in the rows but newer than the stamp, and
    /// merely makes the copy be read again (the other way round, the copy
    /// could miss a change its stamp counts).
    pub(super) fn new(stamp: i64) -> SearchCopy {
        SearchCopy {
            stamp,
            ..SearchCopy::default()
        }
    }

    /// Adds the next row in name order (`digits`: its phone digits, or
    /// empty).
    pub(super) fn push(&mut self, id: i64, name: &str, key: &str, digits: &str) {
        self.ids.push(id);
        self.names.push(name.into());
        self.text.push(key);
        self.digits.push(digits);
    }

    /// Whether the table's searched text has changed since this copy was
    /// read, its change counter standing at `changes` now.
    pub(super) fn is_stale(&self, changes: i64) -> bool {
        changes != self.stamp
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

    /// The ids of up to `limit` rows after `after` in name order whose key
    /// holds the text or whose digits hold the digits, leaving out `skip`.
    pub(super) fn find(
        &self,
        needles: &Needles,
        after: Option<(&str, i64)>,
        limit: usize,
        skip: &[i64],
    ) -> Vec<i64> {
        let first = after.map_or(0, |after| self.position_after(after));
        // Enough candidates that `limit` remain once `skip` is left out.
        let wanted = limit.saturating_add(skip.len());
        let mut rows = self.text.rows_containing(&needles.text, first, wanted);
        if let Some(digits) = &needles.digits {
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

    /// As [`SearchCopy::find`], the last `limit` rows before `before` (or
    /// before the end), in name order.
    pub(super) fn find_before(
        &self,
        needles: &Needles,
        before: Option<(&str, i64)>,
        limit: usize,
        skip: &[i64],
    ) -> Vec<i64> {
        let end = before.map_or(self.ids.len(), |before| self.position_of(before));
        let wanted = limit.saturating_add(skip.len());
        let mut rows = self.text.rows_containing_before(&needles.text, end, wanted);
        if let Some(digits) = &needles.digits {
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

/// The in-memory copies a store's searches look in, one per searched
/// table, once [`super::Shop::search_from_copies`] has given them: until
/// then, searches are answered straight from the database.
#[derive(Debug, Default)]
pub(super) struct SearchCaches {
    pub(super) customers: RefCell<Option<SearchCopy>>,
    pub(super) products: RefCell<Option<SearchCopy>>,
}

impl SearchCaches {
    /// From now on searches look in `copies`.
    pub(super) fn give(&mut self, copies: Copies) {
        *self.customers.get_mut() = Some(copies.customers);
        *self.products.get_mut() = Some(copies.products);
    }
}

/// Every customer's and product's searched text, read into memory by
/// [`super::Shop::read_search_copies`] (on any connection to the
/// database, in any thread): what a [`super::SearchCopies`] carries.
#[derive(Debug)]
pub(super) struct Copies {
    pub(super) customers: SearchCopy,
    pub(super) products: SearchCopy,
}

/// The text of a row as searches compare it: each of `parts` (its name
/// first, then its other searched text) folded, apart by a separator no
/// search contains, so no match runs from one part into the next.
pub(super) fn search_key(parts: &[&str]) -> String {
    let mut key = String::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            key.push(COLUMN_SEPARATOR);
        }
        key.extend(folded(part));
    }
    key
}

/// A customer's search key: the name, then the email (none: empty). The
/// phone number is searched by its digits, kept apart.
pub(super) fn customer_search_key(name: &str, email: Option<&str>) -> String {
    search_key(&[name, email.unwrap_or_default()])
}

/// A product's search key: the name, then the SKU.
pub(super) fn product_search_key(name: &str, sku: &str) -> String {
    search_key(&[name, sku])
}

/// SQLite's NOCASE order: ASCII letters without case, other bytes as they are.
pub(super) fn nocase_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

/// Text as searches compare it: case folded, and the accents taken off
/// however they were written (one character, or a letter and combining
/// marks), so that `nunez` finds `Núñez`, `stefan` finds `Ștefan` and
/// `nguyen` finds `Nguyễn`.
pub(super) fn fold(text: &str) -> String {
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
    fn a_text_with_a_separator_finds_nothing_but_exact_matches() {
        assert!(Needles::new("a\u{1f}b", None).is_none());
        assert!(Needles::new("a\u{1e}", Some("1")).is_none());
    }

    #[test]
    fn search_keys_fold_each_part_apart() {
        assert_eq!(search_key(&["José", "MUG-1"]), "jose\u{1f}mug-1");
        assert_eq!(search_key(&["Walk-in", ""]), "walk-in\u{1f}");
        assert_eq!(customer_search_key("Walk-in", None), "walk-in\u{1f}");
        assert_eq!(product_search_key("Mug", "MUG-1"), "mug\u{1f}mug-1");
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
