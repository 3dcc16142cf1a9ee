//! F1: every key of the current screen, from the key table.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Clear, Row, Table};

use super::centered;
use crate::app::{AppState, keys};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    // Help describes the screen under it, not the help popup itself.
    let mut under = state.clone();
    under.popup = None;
    let bindings = keys::bindings_for(&under);
    let height = bindings.len() as u16 + 4;
    let popup = centered(area, 64, height);
    let rows = bindings
        .iter()
        .map(|binding| Row::new([keys::key_label(binding), binding.help.to_string()]));
    let table = Table::new(rows, [Constraint::Length(16), Constraint::Fill(1)])
        .header(Row::new(["Key", "Does"]).style(Style::new().bold()))
        .block(Block::bordered().title(format!(" Keys: {} — Esc closes ", state.screen.title())));
    frame.render_widget(Clear, popup);
    frame.render_widget(table, popup);
}
