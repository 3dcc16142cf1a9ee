//! F2 Customers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Row, Table};

use super::{ListWords, column_widths, fit_cell, lengths, render_searched_frame, selected_style};
use crate::app::AppState;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let screen = &state.customers;
    let words = ListWords {
        search: "Search: type a name, email or phone",
        title: "Customers",
        empty: "No customers yet — press Ctrl-N to register one.",
        noun: "customer",
        no_match_hint: "Esc clears the search, Ctrl-N registers a new customer.",
    };
    let Some((list, block)) = render_searched_frame(frame, area, screen, &words) else {
        return;
    };
    let widths = column_widths(
        block.inner(list).width,
        &[
            Constraint::Length(7),
            Constraint::Fill(2),
            Constraint::Fill(3),
            Constraint::Length(18),
        ],
    );
    let rows = screen
        .list
        .window(state.list_rows())
        .map(|(index, customer)| {
            let row = Row::new([
                customer.id.to_string(),
                fit_cell(&customer.name, widths[1]),
                fit_cell(customer.email_label(), widths[2]),
                fit_cell(customer.phone.as_deref().unwrap_or(""), widths[3]),
            ]);
            if index == screen.list.selected {
                row.style(selected_style())
            } else {
                row
            }
        });
    let table = Table::new(rows, lengths(&widths))
        .header(Row::new(["ID", "Name", "Email", "Phone"]).style(Style::new().bold()))
        .block(block);
    frame.render_widget(table, list);
}
