//! F2 Customers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Row, Table};

use super::{ListWords, render_searched_frame, selected_style};
use crate::app::AppState;
use crate::display::safe_text;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let screen = &state.customers;
    let words = ListWords {
        search: "Search name, email or phone ( / )",
        title: "Customers",
        empty: "No customers yet — press n to register one.",
        noun: "customer",
        no_match_hint: "Esc leaves the search, n registers a new customer.",
    };
    let Some((list, block)) = render_searched_frame(frame, area, screen, &words) else {
        return;
    };
    let rows = screen
        .list
        .window(state.list_rows())
        .map(|(index, customer)| {
            let row = Row::new([
                customer.id.to_string(),
                safe_text(&customer.name).into_owned(),
                safe_text(customer.email_label()).into_owned(),
                safe_text(customer.phone.as_deref().unwrap_or("")).into_owned(),
            ]);
            if index == screen.list.selected {
                row.style(selected_style())
            } else {
                row
            }
        });
    let table = Table::new(
        rows,
        [
            Constraint::Length(7),
            Constraint::Fill(2),
            Constraint::Fill(3),
            Constraint::Length(18),
        ],
    )
    .header(Row::new(["ID", "Name", "Email", "Phone"]).style(Style::new().bold()))
    .block(block);
    frame.render_widget(table, list);
}
