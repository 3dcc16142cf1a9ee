//! A form popup: each field with its label, its value and its own error.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{open_popup, refusal, render_input};
use crate::app::form::{Field, Form};
use crate::display::safe_text;

/// Rows each field takes: its box (3) and its error line.
const FIELD_ROWS: u16 = 4;

pub fn render(frame: &mut Frame, area: Rect, form: &Form) {
    let height = form.fields.len() as u16 * FIELD_ROWS + 4;
    let popup = open_popup(frame, area, 70, height);
    let block = Block::bordered().title(format!(" {} ", safe_text(&form.title)));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut constraints: Vec<Constraint> = form
        .fields
        .iter()
        .map(|_| Constraint::Length(FIELD_ROWS))
        .collect();
    constraints.push(Constraint::Fill(1));
    let areas = Layout::vertical(constraints).split(inner);
    for (index, field) in form.fields.iter().enumerate() {
        let [input, error] =
            Layout::vertical([Constraint::Length(3), Constraint::Length(1)]).areas(areas[index]);
        render_input(frame, input, field.label, &field.input, index == form.focus);
        render_placeholder(frame, input, field);
        if let Some(message) = &field.error {
            let line = Line::styled(
                format!(" ✗ {}", safe_text(message)),
                Style::new().fg(Color::Red),
            );
            frame.render_widget(line, error);
        }
    }
    let footer = match &form.error {
        Some(error) => Line::styled(
            refusal(&safe_text(error)),
            Style::new().fg(Color::Red).bold(),
        ),
        None => Line::styled(
            "Enter saves · Tab next field · Esc cancels",
            Style::new().fg(Color::DarkGray),
        ),
    };
    frame.render_widget(
        Paragraph::new(footer).wrap(Wrap { trim: true }),
        areas[form.fields.len()],
    );
}

/// An empty field's default, dimmed inside its box, where typing starts.
fn render_placeholder(frame: &mut Frame, area: Rect, field: &Field) {
    if field.input.value().is_empty() && !field.placeholder.is_empty() {
        let inner = Block::bordered().inner(area);
        let text = Line::styled(field.placeholder, Style::new().fg(Color::DarkGray));
        frame.render_widget(text, inner);
    }
}
