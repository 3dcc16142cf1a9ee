//! F5 History.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use super::{amount_column, column_widths, fit_cell, lengths, render_empty, selected_style};
use crate::app::AppState;
use crate::display::{local_time, safe_text};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let history = &state.history;
    let [filter, list] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let whose = match &history.customer {
        Some(customer) => format!(
            "Orders of {} (customer {})",
            safe_text(&customer.name),
            customer.id
        ),
        None => "Orders of the whole shop".to_string(),
    };
    let status = history.status.map_or("all", |s| s.as_str());
    let line = Line::from(vec![
        whose.bold(),
        format!("  ·  status: {status}").into(),
        "  ·  newest first".into(),
    ]);
    frame.render_widget(
        Paragraph::new(line).block(Block::bordered().title(" History ")),
        filter,
    );

    let block = Block::bordered();
    if history.list.rows.is_empty() && !history.list.loading {
        let text = match (history.status, &history.customer) {
            (Some(status), _) => format!("No {status} orders. s shows another status."),
            (None, Some(_)) => "No orders yet for this customer. F4 starts one.".to_string(),
            (None, None) => "No orders yet. F4 starts one.".to_string(),
        };
        let inner = block.inner(list);
        frame.render_widget(block, list);
        render_empty(frame, inner, text);
        return;
    }
    let widths = column_widths(
        block.inner(list).width,
        &[
            Constraint::Length(8),
            Constraint::Length(16),
            Constraint::Fill(1),
            Constraint::Length(9),
            Constraint::Length(5),
            amount_column(&state.currency, 12),
        ],
    );
    let rows = history
        .list
        .window(state.list_rows())
        .map(|(index, order)| {
            let row = Row::new([
                Cell::from(Text::from(order.id.to_string()).right_aligned()),
                Cell::from(local_time(order.created_at)),
                Cell::from(fit_cell(&order.customer_name, widths[2])),
                Cell::from(order.status.as_str()),
                Cell::from(Text::from(order.item_count().to_string()).right_aligned()),
                Cell::from(Text::from(state.currency.format(order.totals.total)).right_aligned()),
            ]);
            if index == history.list.selected {
                row.style(selected_style())
            } else {
                row
            }
        });
    let header = Row::new([
        Cell::from(Text::from("Order").right_aligned()),
        Cell::from("Date"),
        Cell::from("Customer"),
        Cell::from("Status"),
        Cell::from(Text::from("Items").right_aligned()),
        Cell::from(Text::from("Total").right_aligned()),
    ])
    .style(Style::new().bold());
    let table = Table::new(rows, lengths(&widths))
        .header(header)
        .block(block);
    frame.render_widget(table, list);
}
