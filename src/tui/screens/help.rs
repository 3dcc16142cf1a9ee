//! F1: every key of the current screen, from the key table, in sections
//! by where each key works.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, Clear, Row, Table};

use super::centered;
use crate::app::{AppState, keys};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let mut rows = Vec::new();
    let mut section = "";
    for binding in keys::help_bindings(state.screen) {
        let label = keys::context_label(binding.context);
        if label != section {
            section = label;
            rows.push(
                Row::new([String::new(), format!("{label}:")])
                    .style(Style::new().bold().fg(Color::Cyan)),
            );
        }
        rows.push(Row::new([
            keys::key_label(binding),
            binding.help.to_string(),
        ]));
    }
    // One column when it fits the screen, else two side by side.
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    let columns = if rows.len() <= room { 1 } else { 2 };
    let per_column = rows.len().div_ceil(columns).max(1);
    let width = if columns == 1 { 64 } else { area.width };
    let popup = centered(area, width, per_column as u16 + 2);
    let block = Block::bordered().title(format!(" Keys: {} — Esc closes ", state.screen.title()));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let halves = Layout::horizontal(vec![Constraint::Fill(1); columns]).split(inner);
    let mut rows = rows.into_iter();
    for half in halves.iter() {
        let chunk: Vec<Row> = rows.by_ref().take(per_column).collect();
        let table =
            Table::new(chunk, [Constraint::Length(12), Constraint::Fill(1)]).column_spacing(1);
        frame.render_widget(table, *half);
    }
}
