//! Showing stored text and times to people, shared by the command line and
//! the app.

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthChar;

// The rule of what a terminal must never get raw is the domain's (its
// messages quote input too); shown text is made safe with it everywhere.
pub use crate::domain::text::{QUOTE_MAX_CHARS, is_terminal_control, quote, safe_lines, safe_text};
use crate::time_zone::shop_zone;

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
