//! What the terminal the app was started in can show, decided once at
//! start from the environment and passed to the drawing of every frame:
//! colors, or none (`NO_COLOR`); and which characters its font has (the
//! Linux console's).
//!
//! The screens carry every meaning without color (the selected row and
//! the chosen tab in reverse video, the title of the field with the cursor
//! reversed, refusals bold with a `✗`), so turning colors off is one step
//! over the finished frame rather than a choice in each widget.

use std::ffi::OsStr;

use ratatui::buffer::Buffer;
use ratatui::style::Color;

/// How frames are drawn for this terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub colors: Colors,
    pub glyphs: Glyphs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colors {
    /// The 16 ANSI colors, which every color terminal has, the Linux
    /// console included.
    #[default]
    Shown,
    /// No color at all: the user asked for none (no-color.org).
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Glyphs {
    /// Any character a terminal emulator's fonts have: the big total in
    /// half-block digits.
    #[default]
    Unicode,
    /// The Linux console's own font (console-setup's Lat15, Uni2, Uni3 and
    /// Terminus fonts, as Debian and Ubuntu set it up) has the box-drawing
    /// lines and the full block but not the half blocks (▀ ▄): the big
    /// total is drawn with box-drawing lines instead.
    Console,
}

impl Theme {
    /// The theme for the terminal this process runs in: `NO_COLOR` and
    /// `TERM` as the environment has them.
    pub fn from_environment() -> Theme {
        Theme::for_terminal(
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
        )
    }

    /// The theme for a terminal whose environment has these values of
    /// `NO_COLOR` and `TERM`. `NO_COLOR` present and not empty turns every
    /// color off (no-color.org); `TERM=linux` (or `linux-…`) is the Linux
    /// console.
    pub fn for_terminal(no_color: Option<&OsStr>, term: Option<&OsStr>) -> Theme {
        let colors = match no_color {
            Some(value) if !value.is_empty() => Colors::Off,
            _ => Colors::Shown,
        };
        let glyphs = match term.and_then(OsStr::to_str) {
            Some(term) if term == "linux" || term.starts_with("linux-") => Glyphs::Console,
            _ => Glyphs::Unicode,
        };
        Theme { colors, glyphs }
    }

    /// Makes a finished frame what this terminal can show. Without colors,
    /// every cell's are taken away, modifiers kept: no color is ever sent,
    /// not even a reset in the middle of a line (crossterm, honouring
    /// `NO_COLOR` itself, turns a color change into a reset of every
    /// attribute, which took the bold and the reverse video off the cells
    /// after it).
    pub fn finish(self, buffer: &mut Buffer) {
        if self.colors == Colors::Off {
            for cell in &mut buffer.content {
                cell.fg = Color::Reset;
                cell.bg = Color::Reset;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(no_color: Option<&str>, term: Option<&str>) -> Theme {
        Theme::for_terminal(no_color.map(OsStr::new), term.map(OsStr::new))
    }

    #[test]
    fn no_color_present_and_not_empty_turns_colors_off() {
        assert_eq!(theme(Some("1"), None).colors, Colors::Off);
        assert_eq!(theme(Some("0"), None).colors, Colors::Off, "any value");
        assert_eq!(theme(Some(""), None).colors, Colors::Shown, "empty");
        assert_eq!(theme(None, None).colors, Colors::Shown);
    }

    #[test]
    fn the_linux_console_gets_its_own_glyphs_and_keeps_its_colors() {
        for term in ["linux", "linux-16color"] {
            let console = theme(None, Some(term));
            assert_eq!(console.glyphs, Glyphs::Console, "{term}");
            assert_eq!(console.colors, Colors::Shown, "{term}");
        }
        for term in [Some("xterm-256color"), Some("linuxish"), Some(""), None] {
            assert_eq!(theme(None, term).glyphs, Glyphs::Unicode, "{term:?}");
        }
    }

    #[test]
    fn finishing_without_colors_keeps_modifiers() {
        use ratatui::layout::Rect;
        use ratatui::style::{Modifier, Style};
        let mut buffer = Buffer::empty(Rect::new(0, 0, 2, 1));
        let styled = Style::new()
            .fg(Color::Red)
            .bg(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED);
        buffer.set_style(buffer.area, styled);
        Theme::default().finish(&mut buffer);
        assert_eq!(buffer[(0, 0)].fg, Color::Red, "colors shown by default");
        theme(Some("1"), None).finish(&mut buffer);
        for cell in &buffer.content {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
            assert_eq!(cell.modifier, Modifier::BOLD | Modifier::REVERSED);
        }
    }
}
