//! Showing stored text and times to people, shared by the command line and
//! the app.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use crate::time_zone::shop_zone;

/// Text from the database made safe for a terminal: control characters
/// (C0, DEL, C1) and bidirectional overrides would move the cursor, change
/// colours or reorder what follows, so each is shown as a visible
/// placeholder instead. Everything else is kept.
pub fn safe_text(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, is_unsafe)
}

/// Text of several lines (a receipt, a usage message) made safe the same
/// way, except that its line breaks are kept as line breaks.
pub fn safe_lines(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, |c| c != '\n' && is_unsafe(c))
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
    let safe = safe_text(text);
    if safe.chars().count() <= QUOTE_MAX_CHARS {
        return safe.into_owned();
    }
    let mut excerpt: String = safe.chars().take(QUOTE_MAX_CHARS - 1).collect();
    excerpt.push('…');
    excerpt
}

/// The longest line [`quote_line`] leaves whole, in characters.
pub const LINE_MAX_CHARS: usize = 200;
/// What [`quote_line`] keeps of a long line's end: where a message that
/// echoes an argument says what was wrong with it.
const LINE_TAIL_CHARS: usize = 80;

/// A line of a message that may echo input somewhere in its middle (clap's
/// usage errors): a longer one than [`LINE_MAX_CHARS`] keeps its start and
/// its end around a `…`. Call it on text already made safe.
pub fn quote_line(line: &str) -> String {
    let count = line.chars().count();
    if count <= LINE_MAX_CHARS {
        return line.to_string();
    }
    let head: String = line
        .chars()
        .take(LINE_MAX_CHARS - LINE_TAIL_CHARS - 1)
        .collect();
    let tail: String = line.chars().skip(count - LINE_TAIL_CHARS).collect();
    format!("{head}…{tail}")
}

fn is_unsafe(c: char) -> bool {
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

/// `1 item`, `2 items`.
pub fn count_items(count: i64) -> String {
    count_of(count, "item")
}

/// `1 order`, `2 orders`: `noun` takes an `s` unless there is one.
pub fn count_of(count: i64, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        count => format!("{count} {noun}s"),
    }
}

/// A stored UTC time in the shop's time zone: `2026-11-25 17:29`.
pub fn local_time(time: DateTime<Utc>) -> String {
    time.with_timezone(&shop_zone())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn long_lines_keep_their_start_and_end() {
        assert_eq!(quote_line("short"), "short");
        let line = format!("error: '{}' is wrong", "x".repeat(10_000));
        let quoted = quote_line(&line);
        assert_eq!(quoted.chars().count(), LINE_MAX_CHARS);
        assert!(quoted.starts_with("error: 'xx") && quoted.ends_with("xx' is wrong"));
        assert!(quoted.contains('…'));
    }
}
