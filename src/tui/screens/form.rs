//! A form popup: each field with its label, its value and its own error.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::{open_popup, refusal, render_input, row_count, wrapped_lines};
use crate::app::form::{Field, Form};
use crate::display::safe_text;

/// The form's width, borders included.
const FORM_WIDTH: u16 = 70;
/// Rows of a field's box.
const INPUT_ROWS: u16 = 3;
/// Rows kept under each field for its error, and at the foot for the keys
/// or the form's own error, even when there is none (the form does not
/// jump when one appears); a longer error takes more.
const ERROR_LEAST_ROWS: u16 = 1;
const FOOTER_LEAST_ROWS: u16 = 2;
/// The popup's top and bottom borders.
const BORDER_ROWS: u16 = 2;

pub fn render(frame: &mut Frame, area: Rect, form: &Form) {
    let inner_width = FORM_WIDTH.min(area.width).saturating_sub(2);
    let errors: Vec<Vec<Line>> = form
        .fields
        .iter()
        .map(|field| field_error_lines(field.error.as_deref(), inner_width))
        .collect();
    let footer = footer_lines(form.error.as_deref(), inner_width);
    let field_rows: Vec<u16> = errors
        .iter()
        .map(|lines| INPUT_ROWS + row_count(lines).max(ERROR_LEAST_ROWS))
        .collect();
    let footer_rows = row_count(&footer).max(FOOTER_LEAST_ROWS);
    let height = field_rows.iter().sum::<u16>() + footer_rows + BORDER_ROWS;

    let popup = open_popup(frame, area, FORM_WIDTH, height);
    let block = Block::bordered().title(format!(" {} ", safe_text(&form.title)));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut constraints: Vec<Constraint> =
        field_rows.iter().copied().map(Constraint::Length).collect();
    constraints.push(Constraint::Fill(1));
    let areas = Layout::vertical(constraints).split(inner);
    for (index, (field, error)) in form.fields.iter().zip(errors).enumerate() {
        let [input, error_area] =
            Layout::vertical([Constraint::Length(INPUT_ROWS), Constraint::Fill(1)])
                .areas(areas[index]);
        render_input(frame, input, field.label, &field.input, index == form.focus);
        render_placeholder(frame, input, field);
        frame.render_widget(Paragraph::new(error), error_area);
    }
    frame.render_widget(Paragraph::new(footer), areas[form.fields.len()]);
}

/// A field's error, marked and wrapped to the form's width; none when the
/// field is fine.
fn field_error_lines(error: Option<&str>, width: u16) -> Vec<Line<'static>> {
    error.map_or_else(Vec::new, |message| {
        wrapped_lines(
            &format!(" {}", refusal(message)),
            width,
            Style::new().fg(Color::Red),
        )
    })
}

/// The form's own error (one that belongs to no field), else its keys.
fn footer_lines(error: Option<&str>, width: u16) -> Vec<Line<'static>> {
    match error {
        Some(error) => wrapped_lines(&refusal(error), width, Style::new().fg(Color::Red).bold()),
        None => wrapped_lines(
            "Enter saves · Tab next field · Esc cancels",
            width,
            Style::new().fg(Color::DarkGray),
        ),
    }
}

/// An empty field's default, dimmed inside its box, where typing starts.
fn render_placeholder(frame: &mut Frame, area: Rect, field: &Field) {
    if field.input.value().is_empty() && !field.placeholder.is_empty() {
        let inner = Block::bordered().inner(area);
        let text = Line::styled(field.placeholder, Style::new().fg(Color::DarkGray));
        frame.render_widget(text, inner);
    }
}
