//! F6 Order status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use super::{
    amount_column, column_widths, fit_cell, lengths, number_cell, render_empty, render_input,
};
use crate::app::AppState;
use crate::display::{count_items, local_time, safe_text};
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
    let lines = vec![
        Line::from(vec![
            format!("Order {} ", order.id).bold(),
            status_span(order.status),
            format!(
                "   placed {}   {} (customer {})",
                local_time(order.created_at),
                safe_text(&order.customer_name),
                order.customer_id
            )
            .into(),
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
    let widths = column_widths(
        items_block.inner(items).width,
        &[
            Constraint::Fill(1),
            Constraint::Length(5),
            amount_column(currency, 12),
            amount_column(currency, 11),
        ],
    );
    let rows = order.items.iter().map(|item| {
        Row::new([
            Cell::from(fit_cell(
                &format!("{} ({})", item.name, item.sku),
                widths[0],
            )),
            number_cell(item.quantity.to_string()),
            number_cell(format!("× {}", currency.amount(item.unit_price))),
            number_cell(currency.format(item.line_total)),
        ])
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
