//! Validated text fields shared by customers and products, and the rule
//! for showing any text safely on a terminal (which the domain's own
//! messages follow when they quote what was typed).

use std::borrow::Cow;

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};
use unicode_width::UnicodeWidthChar;

use super::Error;

/// The longest name a customer or product may have, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest product details text, in characters.
pub const MAX_DETAILS_CHARS: usize = 2000;
/// The longest order or status note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// A name as stored: trimmed, 1 to [`MAX_NAME_CHARS`] characters, at least
/// one of them visible. Any other character is kept as typed (display code
/// makes control characters safe).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    /// `field` names the field in the error ("name", "product name").
    pub fn parse(field: &'static str, text: &str) -> Result<Name, Error> {
        parse_label(field, text, MAX_NAME_CHARS).map(Name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name of anything (a customer, a product, the shop, a counter):
/// trimmed, 1 to `max` characters, at least one of them visible. A name of
/// zero-width or direction characters looks empty in every list and on
/// every receipt, and cannot be told from another.
pub fn parse_label(field: &'static str, text: &str, max: usize) -> Result<String, Error> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::Required { field });
    }
    check_length(field, trimmed, max)?;
    if !trimmed.chars().any(is_visible) {
        return Err(Error::NothingVisible { field });
    }
    Ok(trimmed.to_string())
}

/// Free text such as product details or a note: kept as typed, but bounded.
pub fn parse_free_text(field: &'static str, text: &str, max: usize) -> Result<String, Error> {
    let trimmed = text.trim();
    check_length(field, trimmed, max)?;
    Ok(trimmed.to_string())
}

/// Whether `c` shows nothing by itself: white space, control and format
/// characters (zero-width spaces and joiners, direction marks, embeddings,
/// overrides and isolates, the byte-order mark, the soft hyphen, tags) and
/// the fillers that take no room on the screen (the Hangul fillers).
/// Combining marks are not invisible: they show on the letter before them.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || c.general_category() == GeneralCategory::Format
        || (c.width() == Some(0) && !is_mark(c))
}

/// Whether `c` shows on its own: not invisible, and not a combining mark
/// (which needs a letter to sit on).
fn is_visible(c: char) -> bool {
    !is_invisible(c) && !is_mark(c)
}

fn is_mark(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Mark
}

/// Text from the database made safe for a terminal: control characters
/// (C0, DEL, C1) and bidirectional overrides would move the cursor, change
/// colours or reorder what follows, so each is shown as a visible
/// placeholder instead. Everything else is kept.
pub fn safe_text(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, is_terminal_control)
}

/// Text of several lines (a receipt, a usage message) made safe the same
/// way, except that its line breaks are kept as line breaks.
pub fn safe_lines(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, |c| c != '\n' && is_terminal_control(c))
}

fn replace_unsafe(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if unsafe_char(c) { placeholder(c) } else { c })
            .collect(),
    )
}

/// The longest excerpt of someone's input that a message quotes, in
/// characters: enough to recognise what was typed.
pub const QUOTE_MAX_CHARS: usize = 40;

/// Input quoted in a message: terminal-safe, on one line, and at most
/// [`QUOTE_MAX_CHARS`] characters (cut with `…`), so a message never repeats
/// a pasted file or a 120 KB argument.
pub fn quote(text: &str) -> String {
    excerpt(text, QUOTE_MAX_CHARS)
}

/// `text` made safe and, when longer than `max_chars` characters, cut to
/// that many with a `…` as the last, so that a cut is always seen.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let safe = safe_text(text);
    if safe.chars().count() <= max_chars {
        return safe.into_owned();
    }
    let mut excerpt: String = safe.chars().take(max_chars.saturating_sub(1)).collect();
    excerpt.push('…');
    excerpt
}

/// Whether a terminal would act on `c` (a control character, C1 included)
/// or it would reorder the text after it (a direction control).
pub fn is_terminal_control(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// C0 controls and DEL have Unicode "control pictures" (ESC shows as ␛);
/// the rest show as the replacement character.
fn placeholder(c: char) -> char {
    match u32::from(c) {
        code @ 0x00..=0x1F => char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

fn check_length(field: &'static str, text: &str, max: usize) -> Result<(), Error> {
    let length = text.chars().count();
    if length > max {
        return Err(Error::TooLong { field, length, max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("name", "  Ann Lee ").unwrap().as_str(),
            "Ann Lee"
        );
        assert_eq!(
            Name::parse("name", " \t "),
            Err(Error::Required { field: "name" })
        );
        assert_eq!(
            Name::parse("name", &"é".repeat(100)).map(|name| name.as_str().chars().count()),
            Ok(100)
        );
        assert_eq!(
            Name::parse("name", &"é".repeat(101)),
            Err(Error::TooLong {
                field: "name",
                length: 101,
                max: 100
            })
        );
    }

    #[test]
    fn a_name_needs_a_visible_character() {
        for invisible in [
            "\u{200b}",           // zero-width space
            "\u{200d}\u{2060}",   // zero-width joiner, word joiner
            "\u{202e}\u{200f}",   // right-to-left override and mark
            "\u{feff}",           // byte-order mark
            "\u{3164}\u{3164}",   // Hangul filler
            " \u{2066}\u{2069} ", // isolates, spaces around
            "\u{301}",            // a lone combining accent
        ] {
            assert_eq!(
                Name::parse("name", invisible),
                Err(Error::NothingVisible { field: "name" }),
                "{invisible:?}"
            );
        }
        for visible in [
            "Zoë",
            "e\u{301}",
            "李小龙",
            "\u{200b}Ann",
            "👩\u{200d}🍳",
            "Ω",
        ] {
            assert_eq!(Name::parse("name", visible).unwrap().as_str(), visible);
        }
    }

    #[test]
    fn invisible_characters_are_told_from_visible_ones() {
        for c in [
            '\u{200b}', '\u{200e}', '\u{202a}', '\u{061c}', '\u{ad}', '\u{3164}', ' ', '\t',
        ] {
            assert!(is_invisible(c), "{:04X}", u32::from(c));
        }
        for c in ['a', 'é', '\u{301}', '李', '.', '@'] {
            assert!(!is_invisible(c), "{:04X}", u32::from(c));
        }
    }

    #[test]
    fn control_and_bidi_characters_become_visible() {
        assert_eq!(safe_text("Ann Lee"), "Ann Lee");
        assert_eq!(safe_text("a\u{1b}[31mred"), "a\u{241b}[31mred");
        assert_eq!(
            safe_text("x\u{7f}\u{85}\u{202e}y"),
            "x\u{2421}\u{FFFD}\u{FFFD}y"
        );
        assert_eq!(safe_text("tab\there\n"), "tab\u{2409}here\u{240a}");
        assert_eq!(safe_text("Zoë 李"), "Zoë 李");
    }

    #[test]
    fn several_lines_keep_their_breaks_and_nothing_else() {
        assert_eq!(
            safe_lines("a\nb\u{1b}]0;x\u{7}\r\n"),
            "a\nb\u{241b}]0;x\u{2407}\u{240d}\n"
        );
    }

    #[test]
    fn quotes_are_short_safe_single_lines() {
        assert_eq!(quote("MUG-1"), "MUG-1");
        let exact = "x".repeat(QUOTE_MAX_CHARS);
        assert_eq!(quote(&exact), exact);
        let huge = format!("12{}\n\u{1b}[2J", "9".repeat(120_000));
        let quoted = quote(&huge);
        assert_eq!(quoted.chars().count(), QUOTE_MAX_CHARS);
        assert!(quoted.ends_with('…'));
        assert!(quoted.starts_with("129"));
        assert_eq!(quote("a\nb\u{1b}"), "a\u{240a}b\u{241b}");
    }

    #[test]
    fn free_text_may_be_empty_but_not_too_long() {
        assert_eq!(parse_free_text("details", "  ", 5), Ok(String::new()));
        assert_eq!(
            parse_free_text("details", "123456", 5),
            Err(Error::TooLong {
                field: "details",
                length: 6,
                max: 5
            })
        );
    }
}
