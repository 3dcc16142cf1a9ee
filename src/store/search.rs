//! What every backend's search shares, above SQL: how a row's searched
//! text is folded into its search key (no database folds case and accents
//! this way, so each backend keeps the key itself, written by the store
//! with every change to that text), and SQLite's NOCASE order, which every
//! backend lists names in.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// Ends each row's text in the in-memory copies; folded search text never
/// holds it, so no match can run from one row into the next.
pub(super) const SEPARATOR: char = '\u{1e}';
/// Between a row's name and its other searched text in its search key.
pub(super) const COLUMN_SEPARATOR: char = '\u{1f}';

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
