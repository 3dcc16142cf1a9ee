//! Showing stored text and times to people, shared by the command line and
//! the app.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthChar;

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
    keep_ends(line, LINE_MAX_CHARS)
}

/// The longest error message printed as it is, in characters: every
/// message shopdesk writes fits, with the paths of an ordinary folder.
pub const MESSAGE_MAX_CHARS: usize = 300;

/// An error message, already made safe, that may name paths or other
/// input whole (a 100 KB `--db` or backup name): a longer one than
/// [`MESSAGE_MAX_CHARS`] has each long word quoted short (as [`quote`]
/// does), and then, if still too long, keeps its start and its end.
pub fn bounded_message(message: &str) -> String {
    if message.chars().count() <= MESSAGE_MAX_CHARS {
        return message.to_string();
    }
    let words: Vec<String> = message
        .split(' ')
        .map(|word| {
            if word.chars().count() > QUOTE_MAX_CHARS {
                quote(word)
            } else {
                word.to_string()
            }
        })
        .collect();
    keep_ends(&words.join(" "), MESSAGE_MAX_CHARS)
}

/// `line` whole when it has at most `most` characters, else its start and
/// its last [`LINE_TAIL_CHARS`] around a `…`, `most` in all.
fn keep_ends(line: &str, most: usize) -> String {
    let count = line.chars().count();
    if count <= most {
        return line.to_string();
    }
    let head: String = line.chars().take(most - LINE_TAIL_CHARS - 1).collect();
    let tail: String = line.chars().skip(count - LINE_TAIL_CHARS).collect();
    format!("{head}…{tail}")
}

/// Text made safe and broken into lines of at most `width` columns: at
/// spaces where it can, inside a word only when the word alone is wider
/// than a line. Leading spaces (an indent) are kept on every line.
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let safe = safe_text(text);
    let body = safe.trim_start_matches(' ');
    let indent = &safe[..safe.len() - body.len()];
    let room = width.saturating_sub(indent.len()).max(1);
    let mut lines = Vec::new();
    let mut rest: Vec<char> = body.chars().collect();
    loop {
        let fitting = fitting_chars(&rest, room);
        if fitting == rest.len() {
            lines.push(format!("{indent}{}", rest.iter().collect::<String>()));
            return lines;
        }
        let cut = if rest[fitting] == ' ' {
            fitting
        } else {
            // The last space that leaves something on this line, else a
            // word wider than the line, broken where the line ends.
            rest[1..fitting]
                .iter()
                .rposition(|&c| c == ' ')
                .map_or(fitting, |space| space + 1)
        };
        let line: String = rest[..cut].iter().collect();
        lines.push(format!("{indent}{}", line.trim_end()));
        let next = rest[cut..].iter().position(|&c| c != ' ').unwrap_or(0);
        rest.drain(..cut + next);
        if rest.is_empty() {
            return lines;
        }
    }
}

/// Text made safe and shortened to `width` columns: when it does not fit,
/// it ends with `…` after the last whole word that fits with it (or, for a
/// single long word, the last whole character), so a cut is always seen.
pub fn fit_width(text: &str, width: usize) -> String {
    let safe = safe_text(text);
    let chars: Vec<char> = safe.chars().collect();
    if fitting_chars(&chars, width) == chars.len() || width == 0 {
        return safe.into_owned();
    }
    let room = width - 1;
    let fitting = fitting_chars(&chars, room).min(chars.len());
    let fitting = if room == 0 { 0 } else { fitting };
    let at_word = chars[..fitting]
        .iter()
        .rposition(|&c| c == ' ')
        .filter(|&space| space > 0 && chars.get(fitting) != Some(&' '))
        .unwrap_or(fitting);
    let kept: String = chars[..at_word].iter().collect();
    format!("{}…", kept.trim_end())
}

/// How many of `chars` fit in `room` columns (at least one, so a character
/// wider than the room still moves on).
fn fitting_chars(chars: &[char], room: usize) -> usize {
    let mut width = 0;
    for (index, c) in chars.iter().enumerate() {
        width += c.width().unwrap_or(0);
        if width > room {
            return index.max(1);
        }
    }
    chars.len()
}

/// Whether a terminal would act on `c` (a control character, C1 included)
/// or it would reorder the text after it (a direction control).
pub fn is_terminal_control(c: char) -> bool {
    is_unsafe(c)
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
    fn wrapping_breaks_at_spaces_and_keeps_every_character() {
        assert_eq!(wrap_text("Blue mug", 20), ["Blue mug"]);
        assert_eq!(
            wrap_text("Red pen with a long name", 10),
            ["Red pen", "with a", "long name"]
        );
        assert_eq!(
            wrap_text("  9 x $1.99  PEN-1", 12),
            ["  9 x $1.99", "  PEN-1"]
        );
        assert_eq!(wrap_text("WWWWWWW", 3), ["WWW", "WWW", "W"]);
    }

    #[test]
    fn fitting_ends_a_cut_with_an_ellipsis_at_a_word() {
        assert_eq!(fit_width("Blue mug", 8), "Blue mug");
        assert_eq!(
            fit_width("Extraordinarily long mug", 20),
            "Extraordinarily…"
        );
        assert_eq!(fit_width("Extraordinarily", 6), "Extra…");
        assert_eq!(fit_width("Blue mug", 5), "Blue…");
        assert_eq!(fit_width("李小龙李小龙", 5), "李小…");
        assert_eq!(fit_width("a\u{1b}bcdef", 4), "a␛b…");
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
