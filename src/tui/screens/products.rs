//! F3 Products.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Text;
use ratatui::widgets::{Block, Cell, Row, Table};

use super::{render_empty, render_input, selected_style};
use crate::app::AppState;
use crate::display::safe_text;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let screen = &state.products;
    let [search, list] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    render_input(
        frame,
        search,
        "Search SKU or name ( / )",
        &screen.search,
        screen.searching,
    );
    let block = Block::bordered().title(" Products ");
    if screen.list.rows.is_empty() && !screen.list.loading {
        let text = match screen.search.value().trim() {
            "" => "No products yet — press n to add one.".to_string(),
            typed => format!(
                "No product matches “{}”. Esc leaves the search, n adds a new product.",
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
        .map(|(index, product)| {
            let status = match (product.active, product.stock) {
                (false, _) => Cell::from("archived").style(Style::new().fg(Color::DarkGray)),
                (true, 0) => Cell::from("out of stock").style(Style::new().fg(Color::Yellow)),
                _ => Cell::from(""),
            };
            let row = Row::new([
                Cell::from(safe_text(&product.sku).into_owned()),
                Cell::from(safe_text(&product.name).into_owned()),
                Cell::from(Text::from(product.price.to_string()).right_aligned()),
                Cell::from(Text::from(product.stock.to_string()).right_aligned()),
                status,
            ]);
            if index == screen.list.selected {
                row.style(selected_style())
            } else {
                row
            }
        });
    let header = Row::new([
        Cell::from("SKU"),
        Cell::from("Name"),
        Cell::from(Text::from("Price").right_aligned()),
        Cell::from(Text::from("Stock").right_aligned()),
        Cell::from(""),
    ])
    .style(Style::new().bold());
    let table = Table::new(
        rows,
        [
            Constraint::Length(15),
            Constraint::Fill(1),
            Constraint::Length(11),
            Constraint::Length(7),
            Constraint::Length(12),
        ],
    )
    .header(header)
    .block(block);
    frame.render_widget(table, list);
}
