//! F4 New order.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table};

use super::{render_empty, render_input, selected_style};
use crate::app::state::EntryFocus;
use crate::app::{AppState, item_count, totals};
use crate::display::safe_text;
use crate::domain::order::BULK_DISCOUNT;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let entry = &state.order_entry;
    let [customer, item_row, cart] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(3),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [item, quantity] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(14)]).areas(item_row);

    let customer_title = match &entry.customer {
        Some(chosen) => format!(
            "Customer: {} (customer {})",
            safe_text(chosen.email_label()),
            chosen.id
        ),
        None => "Customer: type a name, email or phone".to_string(),
    };
    render_input(
        frame,
        customer,
        &customer_title,
        &entry.customer_input,
        entry.focus == EntryFocus::Customer,
    );
    render_input(
        frame,
        item,
        "Item: SKU, barcode or name",
        &entry.item_input,
        entry.focus == EntryFocus::Item,
    );
    render_input(
        frame,
        quantity,
        "Quantity",
        &entry.quantity_input,
        entry.focus == EntryFocus::Quantity,
    );
    render_cart(frame, cart, state);

    match entry.focus {
        EntryFocus::Customer if !entry.customer_matches.rows.is_empty() => {
            let lines = entry.customer_matches.rows.iter().map(|c| {
                format!(
                    "{}  {}  {}",
                    safe_text(&c.name),
                    safe_text(c.email_label()),
                    safe_text(c.phone.as_deref().unwrap_or(""))
                )
            });
            render_suggestions(
                frame,
                customer,
                lines.collect(),
                entry.customer_matches.selected,
            );
        }
        EntryFocus::Item | EntryFocus::Quantity if !entry.product_matches.rows.is_empty() => {
            let lines = entry.product_matches.rows.iter().map(|p| {
                let note = match (p.active, p.stock) {
                    (false, _) => "  archived".to_string(),
                    (true, stock) => format!("  {stock} in stock"),
                };
                format!(
                    "{}  {}  {}{note}",
                    safe_text(&p.sku),
                    safe_text(&p.name),
                    p.price
                )
            });
            render_suggestions(frame, item, lines.collect(), entry.product_matches.selected);
        }
        _ => {}
    }
}

/// A drop-down under `field` with the matches for what is typed there.
fn render_suggestions(frame: &mut Frame, field: Rect, lines: Vec<String>, selected: usize) {
    let frame_area = frame.area();
    let height = (lines.len() as u16 + 2).min(frame_area.height.saturating_sub(field.bottom()));
    let area = Rect {
        x: field.x,
        y: field.bottom(),
        width: field.width,
        height,
    };
    let rows = lines.into_iter().enumerate().map(|(index, line)| {
        let row = Row::new([line]);
        if index == selected {
            row.style(selected_style())
        } else {
            row
        }
    });
    let table = Table::new(rows, [Constraint::Fill(1)]).block(
        Block::bordered()
            .title(" ↑ ↓ choose, Enter takes it ")
            .border_style(Style::new().fg(Color::Cyan)),
    );
    frame.render_widget(Clear, area);
    frame.render_widget(table, area);
}

fn render_cart(frame: &mut Frame, area: Rect, state: &AppState) {
    let entry = &state.order_entry;
    let focused = entry.focus == EntryFocus::Cart;
    let block = Block::bordered()
        .title(" Order lines (Tab to edit them) ")
        .border_style(if focused {
            Style::new().fg(Color::Cyan)
        } else {
            Style::new()
        });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [lines_area, totals_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(inner);
    if entry.cart.is_empty() {
        render_empty(
            frame,
            lines_area,
            "No lines yet: type a SKU or a name in Item, then Enter.".to_string(),
        );
    } else {
        let rows = entry.cart.iter().enumerate().map(|(index, line)| {
            let product = &line.product;
            let warning = if line.quantity.get() > product.stock {
                Cell::from(format!("only {} left", product.stock))
                    .style(Style::new().fg(Color::Yellow))
            } else {
                Cell::from("")
            };
            let line_total = product
                .price
                .checked_mul(line.quantity.get())
                .map(|c| c.to_string())
                .unwrap_or_default();
            let row = Row::new([
                Cell::from(format!(
                    "{} ({})",
                    safe_text(&product.name),
                    safe_text(&product.sku)
                )),
                Cell::from(Text::from(line.quantity.get().to_string()).right_aligned()),
                Cell::from(Text::from(format!("× {}", product.price)).right_aligned()),
                Cell::from(Text::from(line_total).right_aligned()),
                warning,
            ]);
            if focused && index == entry.cart_selected {
                row.style(selected_style())
            } else {
                row
            }
        });
        let widths = [
            Constraint::Fill(1),
            Constraint::Length(5),
            Constraint::Length(12),
            Constraint::Length(11),
            Constraint::Length(13),
        ];
        let header = Row::new(["Product", "Qty", "Unit", "Line", ""]).style(Style::new().bold());
        frame.render_widget(Table::new(rows, widths).header(header), lines_area);
    }
    render_totals(frame, totals_area, state);
}

fn render_totals(frame: &mut Frame, area: Rect, state: &AppState) {
    let entry = &state.order_entry;
    let Some(totals) = totals(entry) else {
        frame.render_widget(Paragraph::new("The total is too large."), area);
        return;
    };
    let items = item_count(entry);
    let discount = if totals.discount.get() > 0 {
        format!("{}  -{}", BULK_DISCOUNT.label(), totals.discount)
    } else if items > 0 {
        let missing = BULK_DISCOUNT.more_than_items + 1 - items;
        format!("{missing} more items for {}% off", BULK_DISCOUNT.percent)
    } else {
        String::new()
    };
    let lines = vec![
        Line::from(format!("{items} items   Subtotal {}", totals.subtotal)).right_aligned(),
        Line::from(discount).right_aligned(),
        Line::from(vec!["TOTAL ".bold(), totals.total.to_string().bold()]).right_aligned(),
        Line::from("F10 place the order · F9 clear it")
            .right_aligned()
            .style(Style::new().fg(Color::DarkGray)),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}
