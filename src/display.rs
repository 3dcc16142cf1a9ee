//! Showing stored text and times to people, shared by the command line and
//! the app.

use std::borrow::Cow;

use chrono::{DateTime, Local, Utc};

/// Text from the database made safe for a terminal: control characters
/// (C0, DEL, C1) and bidirectional overrides would move the cursor, change
/// colours or reorder what follows, so each is shown as a visible
/// placeholder instead. Everything else is kept.
pub fn safe_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_unsafe(c) { placeholder(c) } else { c })
            .collect(),
    )
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

/// A stored UTC time in the local time zone: `2026-11-25 17:29`.
pub fn local_time(time: DateTime<Utc>) -> String {
    time.with_timezone(&Local)
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
}
