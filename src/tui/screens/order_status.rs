//! F6 Order status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use super::{
    column_widths, fit_cell, fit_rest, item_cells, lengths, number_cell, number_width,
    render_empty, render_input,
};
use crate::app::AppState;
use crate::display::{count_items, local_time};
use crate::domain::order::{BULK_DISCOUNT, Status};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let screen = &state.order_status;
    let currency = &state.currency;
    let [number, body] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    render_input(
        frame,
        number,
        "Order number (Enter finds it)",
        &screen.number,
        true,
    );
    let Some(order) = &screen.order else {
        render_empty(
            frame,
            body,
            "Type an order number and press Enter. In History, Enter opens the selected order."
                .to_string(),
        );
        return;
    };
    let [summary, items, timeline] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Fill(1),
        Constraint::Length(screen.events.len() as u16 + 2),
    ])
    .areas(body);

    let next: Vec<String> = order
        .status
        .next_allowed()
        .iter()
        .map(|status| match status {
            Status::Shipped => "s shipped".to_string(),
            Status::Delivered => "d delivered".to_string(),
            Status::Canceled => "c canceled".to_string(),
            Status::Pending => String::new(),
        })
        .collect();
    let next = if next.is_empty() {
        "none: this order is final".to_string()
    } else {
        next.join("  ")
    };
    let discount = if order.totals.discount.get() > 0 {
        format!(
            "   discount -{} ({}%)",
            currency.amount(order.totals.discount),
            BULK_DISCOUNT.percent
        )
    } else {
        String::new()
    };
    let heading = format!("Order {} ", order.id);
    let placed = format!("   placed {}   ", local_time(order.created_at));
    let whose = format!(" (customer {})", order.customer_id);
    let around = [heading.as_str(), order.status.as_str(), &placed, &whose];
    let name = fit_rest(&order.customer_name, summary.width, &around);
    let lines = vec![
        Line::from(vec![
            heading.bold(),
            status_span(order.status),
            format!("{placed}{name}{whose}").into(),
        ]),
        Line::from(format!(
            "{}   subtotal {}{discount}   total {}",
            count_items(order.item_count()),
            currency.amount(order.totals.subtotal),
            currency.amount(order.totals.total)
        )),
        Line::from(vec!["Next: ".bold(), next.into()]),
    ];
    frame.render_widget(Paragraph::new(lines).block(Block::new()), summary);

    let items_block = Block::bordered().title(" Items ");
    let quantities: Vec<String> = order.items.iter().map(|i| i.quantity.to_string()).collect();
    let units: Vec<String> = order
        .items
        .iter()
        .map(|i| format!("× {}", currency.amount(i.unit_price)))
        .collect();
    let lines: Vec<String> = order
        .items
        .iter()
        .map(|i| currency.format(i.line_total))
        .collect();
    let widths = column_widths(
        items_block.inner(items).width,
        &[
            Constraint::Fill(1),
            Constraint::Length(number_width(5, &quantities)),
            Constraint::Length(number_width(12, &units)),
            Constraint::Length(number_width(11, &lines)),
        ],
    );
    let numbers = quantities.into_iter().zip(units.into_iter().zip(lines));
    let rows = order
        .items
        .iter()
        .zip(numbers)
        .map(|(item, (quantity, (unit, line)))| {
            let label = format!("{} ({})", item.name, item.sku);
            Row::new(item_cells(&label, widths[0], [quantity, unit, line]))
        });
    let header = Row::new([
        Cell::from("Item"),
        number_cell("Qty"),
        number_cell("Unit"),
        number_cell("Line"),
    ])
    .style(Style::new().bold());
    frame.render_widget(
        Table::new(rows, lengths(&widths))
            .header(header)
            .block(items_block),
        items,
    );

    let timeline_block = Block::bordered().title(" Timeline ");
    let widths = column_widths(
        timeline_block.inner(timeline).width,
        &[
            Constraint::Length(16),
            Constraint::Length(22),
            Constraint::Fill(1),
        ],
    );
    let events = screen.events.iter().map(|event| {
        let step = match event.from {
            None => format!("placed ({})", event.to),
            Some(from) => format!("{from} → {}", event.to),
        };
        Row::new([local_time(event.at), step, fit_cell(&event.note, widths[2])])
    });
    frame.render_widget(
        Table::new(events, lengths(&widths)).block(timeline_block),
        timeline,
    );
}

fn status_span(status: Status) -> ratatui::text::Span<'static> {
    let color = match status {
        Status::Pending => Color::Yellow,
        Status::Shipped => Color::Cyan,
        Status::Delivered => Color::Green,
        Status::Canceled => Color::Red,
    };
    ratatui::text::Span::styled(status.as_str(), Style::new().fg(color).bold())
}
