//! F3 Products.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Text;
use ratatui::widgets::{Cell, Row, Table};

use super::{
    ListWords, column_widths, fit_cell, lengths, number_width, render_searched_frame,
    selected_style,
};
use crate::app::AppState;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let screen = &state.products;
    let words = ListWords {
        search: "Search: type a SKU or name",
        title: "Products",
        empty: "No products yet — press Ctrl-N to add one.",
        noun: "product",
        no_match_hint: "Esc clears the search, Ctrl-N adds a new product.",
    };
    let Some((list, block)) = render_searched_frame(frame, area, screen, &words) else {
        return;
    };
    let shown: Vec<_> = screen.list.window(state.list_rows()).collect();
    let prices: Vec<String> = shown
        .iter()
        .map(|(_, p)| state.currency.format(p.price))
        .collect();
    let stocks: Vec<String> = shown.iter().map(|(_, p)| p.stock.to_string()).collect();
    let widths = column_widths(
        block.inner(list).width,
        &[
            Constraint::Length(15),
            Constraint::Fill(1),
            Constraint::Length(number_width(11, &prices)),
            Constraint::Length(number_width(7, &stocks)),
            Constraint::Length(12),
        ],
    );
    let rows = shown.into_iter().zip(prices.into_iter().zip(stocks)).map(
        |((index, product), (price, stock))| {
            let status = match (product.active, product.stock) {
                (false, _) => Cell::from("archived").style(Style::new().fg(Color::DarkGray)),
                (true, 0) => Cell::from("out of stock").style(Style::new().fg(Color::Yellow)),
                _ => Cell::from(""),
            };
            let row = Row::new([
                Cell::from(fit_cell(&product.sku, widths[0])),
                Cell::from(fit_cell(&product.name, widths[1])),
                Cell::from(Text::from(price).right_aligned()),
                Cell::from(Text::from(stock).right_aligned()),
                status,
            ]);
            if index == screen.list.selected {
                row.style(selected_style())
            } else {
                row
            }
        },
    );
    let header = Row::new([
        Cell::from("SKU"),
        Cell::from("Name"),
        Cell::from(Text::from("Price").right_aligned()),
        Cell::from(Text::from("Stock").right_aligned()),
        Cell::from(""),
    ])
    .style(Style::new().bold());
    let table = Table::new(rows, lengths(&widths))
        .header(header)
        .block(block);
    frame.render_widget(table, list);
}
