//! F5 History.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use super::{
    column_widths, fit_cell, fit_rest, lengths, number_width, render_empty, selected_style,
};
use crate::app::AppState;
use crate::display::local_time;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let history = &state.history;
    let [filter, list] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let status = history.status.map_or("all", |s| s.as_str());
    let status = format!("  ·  status: {status}");
    let order = "  ·  newest first";
    let whose = match &history.customer {
        Some(customer) => {
            let (of, id) = ("Orders of ", format!(" (customer {})", customer.id));
            // Inside the frame's two borders.
            let width = filter.width.saturating_sub(2);
            let name = fit_rest(&customer.name, width, &[of, &id, &status, order]);
            format!("{of}{name}{id}")
        }
        None => "Orders of the whole shop".to_string(),
    };
    let line = Line::from(vec![whose.bold(), status.into(), order.into()]);
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
    let shown: Vec<_> = history.list.window(state.list_rows()).collect();
    let orders = || shown.iter().map(|(_, order)| order);
    let ids: Vec<String> = orders().map(|order| order.id.to_string()).collect();
    let items: Vec<String> = orders().map(|o| o.item_count().to_string()).collect();
    let totals: Vec<String> = orders()
        .map(|o| state.currency.format(o.totals.total))
        .collect();
    let widths = column_widths(
        block.inner(list).width,
        &[
            Constraint::Length(number_width(8, &ids)),
            Constraint::Length(16),
            Constraint::Fill(1),
            Constraint::Length(9),
            Constraint::Length(number_width(5, &items)),
            Constraint::Length(number_width(12, &totals)),
        ],
    );
    let rows = shown
        .into_iter()
        .zip(ids.into_iter().zip(items.into_iter().zip(totals)))
        .map(|((index, order), (id, (items, total)))| {
            let row = Row::new([
                Cell::from(Text::from(id).right_aligned()),
                Cell::from(local_time(order.created_at)),
                Cell::from(fit_cell(&order.customer_name, widths[2])),
                Cell::from(order.status.as_str()),
                Cell::from(Text::from(items).right_aligned()),
                Cell::from(Text::from(total).right_aligned()),
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
