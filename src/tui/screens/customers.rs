//! F2 Customers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Row, Table};

use super::{render_empty, render_input, selected_style};
use crate::app::AppState;
use crate::display::safe_text;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let screen = &state.customers;
    let [search, list] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    render_input(
        frame,
        search,
        "Search name, email or phone ( / )",
        &screen.search,
        screen.searching,
    );
    let block = Block::bordered().title(" Customers ");
    if screen.list.rows.is_empty() && !screen.list.loading {
        let text = match screen.search.value().trim() {
            "" => "No customers yet — press n to register one.".to_string(),
            typed => format!(
                "No customer matches “{}”. Esc leaves the search, n registers a new customer.",
                safe_text(typed)
            ),
        };
        let inner = block.inner(list);
        frame.render_widget(block, list);
        render_empty(frame, inner, text);
        return;
    }
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
