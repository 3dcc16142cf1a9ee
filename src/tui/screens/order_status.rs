//! F6 Order status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use super::{render_empty, render_input};
use crate::app::AppState;
use crate::display::{count_items, local_time, safe_text};
use crate::domain::order::{BULK_DISCOUNT, Status};

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let screen = &state.order_status;
    let [number, body] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    render_input(
        frame,
        number,
        "Order number (Enter finds it)",
        &screen.number,
        screen.typing,
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
            order.totals.discount, BULK_DISCOUNT.percent
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
            order.totals.subtotal,
            order.totals.total
        )),
        Line::from(vec!["Next: ".bold(), next.into()]),
    ];
    frame.render_widget(Paragraph::new(lines).block(Block::new()), summary);

    let rows = order.items.iter().map(|item| {
        Row::new([
            Cell::from(format!(
                "{} ({})",
                safe_text(&item.name),
                safe_text(&item.sku)
            )),
            Cell::from(Text::from(item.quantity.to_string()).right_aligned()),
            Cell::from(Text::from(format!("× {}", item.unit_price)).right_aligned()),
            Cell::from(Text::from(item.line_total.to_string()).right_aligned()),
        ])
    });
    let widths = [
        Constraint::Fill(1),
        Constraint::Length(5),
        Constraint::Length(12),
        Constraint::Length(11),
    ];
    let header = Row::new(["Item", "Qty", "Unit", "Line"]).style(Style::new().bold());
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .block(Block::bordered().title(" Items ")),
        items,
    );

    let events = screen.events.iter().map(|event| {
        let step = match event.from {
            None => format!("placed ({})", event.to),
            Some(from) => format!("{from} → {}", event.to),
        };
        Row::new([
            local_time(event.at),
            step,
            safe_text(&event.note).into_owned(),
        ])
    });
    let widths = [
        Constraint::Length(16),
        Constraint::Length(22),
        Constraint::Fill(1),
    ];
    frame.render_widget(
        Table::new(events, widths).block(Block::bordered().title(" Timeline ")),
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
