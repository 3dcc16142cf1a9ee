//! F1: every key of the current screen, from the key table, in sections
//! by where each key works.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Text;
use ratatui::widgets::{Block, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::open_popup;
use crate::app::{AppState, keys};
use crate::display::wrap_text;

/// The help's width when one column holds every key.
const ONE_COLUMN_WIDTH: u16 = 64;
/// Between the key column and its help, and between the two columns.
const SPACING: u16 = 1;
/// Said in place of the last row when even two columns cannot hold every
/// key: nothing is dropped silently.
const MORE_KEYS: &str = "… more keys: enlarge the window";

/// A row of the help as drawn, with its height in lines and whether it is
/// a section heading.
type Laid = (Row<'static>, u16, bool);

/// One row of the help: a section heading or a key and what it does.
struct Entry {
    key: String,
    help: String,
    heading: bool,
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let entries = entries(state);
    let key_width = entries
        .iter()
        .map(|entry| entry.key.width())
        .max()
        .unwrap_or(0) as u16;
    let room = area.height.saturating_sub(2).max(1);
    // One column when it fits the screen, else two side by side, each help
    // wrapped at words within its column.
    let one_column = ONE_COLUMN_WIDTH.min(area.width);
    let help_width = |popup_width: u16, columns: u16| {
        let column = (popup_width.saturating_sub(2) + SPACING) / columns - SPACING;
        usize::from(column.saturating_sub(key_width + SPACING).max(1))
    };
    let one = laid_out(&entries, help_width(one_column, 1));
    let (columns, width, rows) = if total_height(&one) <= room {
        (1, one_column, one)
    } else {
        (2, area.width, laid_out(&entries, help_width(area.width, 2)))
    };
    let chunks = split_columns(rows, columns, room);
    let height = chunks
        .iter()
        .map(|chunk| total_height(chunk))
        .max()
        .unwrap_or(1);
    let popup = open_popup(frame, area, width, height + 2);
    let block = Block::bordered().title(format!(" Keys: {} — Esc closes ", state.screen.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let halves = Layout::horizontal(vec![Constraint::Fill(1); usize::from(columns)])
        .spacing(SPACING)
        .split(inner);
    for (half, chunk) in halves.iter().zip(chunks) {
        let rows = chunk.into_iter().map(|(row, _, _)| row);
        let table = Table::new(rows, [Constraint::Length(key_width), Constraint::Fill(1)])
            .column_spacing(SPACING);
        frame.render_widget(table, *half);
    }
}

fn entries(state: &AppState) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut section = "";
    for binding in keys::help_bindings(state.screen) {
        let label = keys::context_label(binding.context);
        if label != section {
            section = label;
            entries.push(Entry {
                key: String::new(),
                help: format!("{label}:"),
                heading: true,
            });
        }
        entries.push(Entry {
            key: keys::key_label(binding),
            help: binding.help.to_string(),
            heading: false,
        });
    }
    entries
}

/// Each entry as a row whose help wraps within `help_width`, with its height.
fn laid_out(entries: &[Entry], help_width: usize) -> Vec<Laid> {
    entries
        .iter()
        .map(|entry| {
            let lines = wrap_text(&entry.help, help_width);
            let height = lines.len() as u16;
            let row = Row::new([Text::from(entry.key.clone()), Text::from(lines.join("\n"))])
                .height(height);
            let row = if entry.heading {
                row.style(Style::new().bold().fg(Color::Cyan))
            } else {
                row
            };
            (row, height, entry.heading)
        })
        .collect()
}

fn total_height(rows: &[Laid]) -> u16 {
    rows.iter().map(|(_, height, _)| height).sum()
}

/// Deals the rows into `columns` columns of about equal height (the last
/// takes what is left), each at most `room` high; rows that still do not
/// fit give way to [`MORE_KEYS`].
fn split_columns(rows: Vec<Laid>, columns: u16, room: u16) -> Vec<Vec<Laid>> {
    let per_column = total_height(&rows).div_ceil(columns).min(room);
    let mut chunks: Vec<Vec<Laid>> = vec![Vec::new()];
    for (row, height, heading) in rows {
        let last = chunks.len() == usize::from(columns);
        let limit = if last { room } else { per_column };
        let used = chunks.last().map_or(0, |chunk| total_height(chunk));
        if used > 0 && used + height > limit {
            if last {
                end_with_more_keys(chunks.last_mut(), room);
                return chunks;
            }
            // A heading goes with its keys, never alone at a column's foot.
            let orphan = chunks
                .last_mut()
                .and_then(|chunk| chunk.pop_if(|(_, _, heading)| *heading));
            chunks.push(orphan.into_iter().collect());
        }
        if let Some(chunk) = chunks.last_mut() {
            chunk.push((row, height, heading));
        }
    }
    chunks
}

/// Ends a full column with [`MORE_KEYS`], dropping rows to make room.
fn end_with_more_keys(chunk: Option<&mut Vec<Laid>>, room: u16) {
    let Some(chunk) = chunk else {
        return;
    };
    while total_height(chunk) + 1 > room && chunk.pop().is_some() {}
    chunk.push((
        Row::new([String::new(), MORE_KEYS.to_string()]).style(Style::new().fg(Color::Yellow)),
        1,
        false,
    ));
}
