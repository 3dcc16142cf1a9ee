//! F4 New order: the counter.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table};

use super::{
    clear_band, column_widths, cursor_block, fit_cell, fit_rest, item_cells, lengths, number_cell,
    number_width, open_popup, refusal, render_empty, render_input, row_count, selected_style,
    wrapped_lines,
};
use crate::app::lookup::Suggestions;
use crate::app::state::{Checkout, EntryFocus, OrderEntryScreen, POPUP_LIST_CHROME_ROWS};
use crate::app::{AppState, change_due, item_count, totals};
use crate::display::{count_items, count_of, local_time, safe_text};
use crate::domain::Currency;
use crate::domain::order::{BULK_DISCOUNT, ParkedSale, PaymentMethod};
use crate::tui::theme::Glyphs;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// From this many items on, the cart says how many more earn the discount.
const DISCOUNT_HINT_FROM_ITEMS: i64 = 8;
/// The receipt panel: 42 columns and its border.
const RECEIPT_PANEL_WIDTH: u16 = 44;
/// Wide enough to show the last receipt beside a cart with lines.
const WIDE_ENOUGH_FOR_RECEIPT: u16 = 120;
const TOTAL_PANEL_WIDTH: u16 = 30;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, glyphs: Glyphs) {
    let entry = &state.order_entry;
    let currency = &state.currency;
    let [top, bottom] = Layout::vertical([Constraint::Length(6), Constraint::Fill(1)]).areas(area);
    let [fields, total] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(TOTAL_PANEL_WIDTH)]).areas(top);
    let [customer, scan] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(3)]).areas(fields);

    let customer_title = match &entry.customer {
        Some(chosen) if chosen.is_walk_in() => "Customer: Walk-in".to_string(),
        Some(chosen) => format!(
            "Customer {}: {}",
            chosen.id,
            safe_text(chosen.contact_label())
        ),
        None => "Customer: type to search (Enter alone: Walk-in)".to_string(),
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
        scan,
        "Scan: code, 5*code, or letters for names",
        &entry.scan,
        entry.focus == EntryFocus::Scan && !state.order_entry_in_cart(),
    );
    render_total(frame, total, entry, currency, glyphs);

    let receipt_beside = entry.last_receipt.is_some()
        && (area.width >= WIDE_ENOUGH_FOR_RECEIPT || entry.cart.is_empty());
    let cart = if receipt_beside {
        let [cart, receipt] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(RECEIPT_PANEL_WIDTH)])
                .areas(bottom);
        render_receipt(frame, receipt, entry);
        cart
    } else {
        bottom
    };
    render_cart(frame, cart, entry, currency, state.order_entry_in_cart());

    match entry.focus {
        EntryFocus::Customer => {
            render_suggestions(frame, customer, total, &entry.customer_matches, |c| {
                let parts = [
                    c.name.as_str(),
                    c.email_label(),
                    c.phone.as_deref().unwrap_or(""),
                ];
                // A customer without an email leaves no gap.
                let shown: Vec<_> = parts.into_iter().filter(|part| !part.is_empty()).collect();
                safe_text(&shown.join("  ")).into_owned()
            });
        }
        EntryFocus::Scan => {
            render_suggestions(frame, scan, total, &entry.product_matches, |p| {
                let note = if p.active {
                    format!("{} in stock", p.stock)
                } else {
                    "archived".to_string()
                };
                format!(
                    "{}  {}  {}  {note}",
                    safe_text(&p.sku),
                    safe_text(&p.name),
                    currency.amount(p.price)
                )
            });
        }
    }
}

/// A drop-down under `field` with the records matching what is typed
/// there, each shown as `line` makes it, if any match. Both fields title
/// it alike: how many match what, and the keys that choose. Below the
/// `total` box beside the fields, the rows it covers are cleared whole (the
/// cart's or the receipt's words would be cut at its edge); the box itself
/// stays whole: the total is always read.
fn render_suggestions<T>(
    frame: &mut Frame,
    field: Rect,
    total: Rect,
    suggestions: &Suggestions<T>,
    line: impl Fn(&T) -> String,
) {
    let list = &suggestions.list;
    if list.rows.is_empty() {
        return;
    }
    let lines: Vec<String> = list.rows.iter().map(line).collect();
    let selected = suggestions.entered.then_some(list.selected);
    let height = (lines.len() as u16 + 2).min(frame.area().height.saturating_sub(field.bottom()));
    let area = Rect {
        x: field.x,
        y: field.bottom(),
        width: field.width,
        height,
    };
    let inner_width = area.width.saturating_sub(2);
    let rows = lines.into_iter().enumerate().map(|(index, line)| {
        let row = Row::new([fit_cell(&line, inner_width)]);
        if Some(index) == selected {
            row.style(selected_style())
        } else {
            row
        }
    });
    let what = format!("{} for “", suggestions.count_label());
    let typed = fit_rest(&suggestions.text, inner_width, &[" ", &what, "” "]);
    let keys = if suggestions.entered {
        " ↑↓ choose · Enter take · Esc back "
    } else {
        " ↓ to choose "
    };
    let table = Table::new(rows, [Constraint::Fill(1)]).block(
        Block::bordered()
            .title(format!(" {what}{typed}” "))
            .title_bottom(Line::from(keys).right_aligned())
            .border_style(Style::new().fg(Color::Cyan)),
    );
    let screen = frame.area();
    let below_total = Rect {
        y: total.bottom(),
        height: screen.bottom().saturating_sub(total.bottom()),
        ..screen
    };
    frame.render_widget(Clear, area);
    clear_band(frame, below_total, area);
    frame.render_widget(table, area);
}

fn render_total(
    frame: &mut Frame,
    area: Rect,
    entry: &OrderEntryScreen,
    currency: &Currency,
    glyphs: Glyphs,
) {
    // After a sale the box shows the change due, the figure the cashier
    // reads out, until the next scan starts the next total.
    let (title, shown, label) = match entry.change_due {
        Some(change) => (" CHANGE ", Some(change), "change due".to_string()),
        None => (
            " TOTAL ",
            totals(entry).map(|totals| totals.total),
            count_items(item_count(entry)),
        ),
    };
    let block = Block::bordered()
        .title(title)
        .border_style(Style::new().bold());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(shown) = shown else {
        frame.render_widget(Paragraph::new("too large"), inner);
        return;
    };
    let amount = currency.format(shown);
    let mut lines: Vec<Line> = match big_text(&amount, inner.width, glyphs) {
        Some(rows) => rows
            .into_iter()
            .map(|row| Line::from(row).bold().right_aligned())
            .collect(),
        None => vec![
            Line::from(""),
            Line::from(amount).bold().right_aligned(),
            Line::from(""),
        ],
    };
    lines.push(Line::from(label).right_aligned());
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `in_cart`: the cashier moved into the lines.
fn render_cart(
    frame: &mut Frame,
    area: Rect,
    entry: &OrderEntryScreen,
    currency: &Currency,
    in_cart: bool,
) {
    // The line ↑ ↓ reach shows while the scan line is empty; the cart's
    // frame shows when the cursor is in it (+ - Del act there).
    let scan_empty = crate::app::scan_is_empty(entry);
    let block = cursor_block("Sale", in_cart);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [lines_area, totals_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(inner);
    if entry.cart.is_empty() {
        render_empty(
            frame,
            lines_area,
            "Scan a barcode, or type a code and Enter. Letters find products by name.".to_string(),
        );
        return;
    }
    let cart = &entry.cart;
    let quantities: Vec<String> = cart.iter().map(|l| l.quantity.get().to_string()).collect();
    let prices: Vec<String> = cart
        .iter()
        .map(|l| format!("× {}", currency.amount(l.product.price)))
        .collect();
    let line_totals: Vec<String> = cart
        .iter()
        .map(|line| {
            line.product
                .price
                .checked_mul(line.quantity.get())
                .map(|c| currency.format(c))
                .unwrap_or_default()
        })
        .collect();
    let widths = column_widths(
        lines_area.width,
        &[
            Constraint::Fill(1),
            Constraint::Length(number_width(5, &quantities)),
            Constraint::Length(number_width(11, &prices)),
            Constraint::Length(number_width(11, &line_totals)),
            Constraint::Length(9),
        ],
    );
    let numbers = quantities
        .into_iter()
        .zip(prices.into_iter().zip(line_totals));
    let rows = cart
        .iter()
        .zip(numbers)
        .enumerate()
        .map(|(index, (line, numbers))| {
            let product = &line.product;
            let (quantity, (price, line_total)) = numbers;
            let label = format!("{} ({})", product.name, product.sku);
            let mut cells = item_cells(&label, widths[0], [quantity, price, line_total]);
            if line.quantity.get() > product.stock {
                cells.push(
                    Cell::from(format!(" {} left", product.stock))
                        .style(Style::new().fg(Color::Yellow)),
                );
            }
            let row = Row::new(cells);
            if scan_empty && index == entry.cart_selected {
                row.style(selected_style())
            } else {
                row
            }
        });
    let header = Row::new([
        Cell::from("Item"),
        number_cell("Qty"),
        number_cell("Price"),
        number_cell("Line"),
        Cell::from(""),
    ])
    .style(Style::new().bold());
    // Keep the selected line in view in a long cart.
    let visible = usize::from(lines_area.height.saturating_sub(1)).max(1);
    let skip = entry.cart_selected.saturating_sub(visible - 1);
    frame.render_widget(
        Table::new(rows.skip(skip), lengths(&widths)).header(header),
        lines_area,
    );

    let Some(totals) = totals(entry) else {
        return;
    };
    let items = item_count(entry);
    let discount = if totals.discount.get() > 0 {
        Line::from(vec![
            Span::raw(format!("Subtotal {}   ", currency.amount(totals.subtotal))),
            Span::styled(
                format!(
                    "{}  -{}",
                    BULK_DISCOUNT.label(),
                    currency.amount(totals.discount)
                ),
                Style::new().fg(Color::Green),
            ),
        ])
    } else if items >= DISCOUNT_HINT_FROM_ITEMS {
        let missing = BULK_DISCOUNT.more_than_items + 1 - items;
        Line::from(format!(
            "{missing} more item{} → {}% off",
            if missing == 1 { "" } else { "s" },
            BULK_DISCOUNT.percent
        ))
        .fg(Color::Yellow)
    } else {
        Line::from(format!("Subtotal {}", currency.amount(totals.subtotal)))
    };
    let keys =
        Line::from("Enter on an empty scan line: checkout · F8 park · F9 void · Ctrl-Z undo")
            .fg(Color::DarkGray);
    frame.render_widget(
        Paragraph::new(vec![discount.right_aligned(), keys.right_aligned()]),
        totals_area,
    );
}

fn render_receipt(frame: &mut Frame, area: Rect, entry: &OrderEntryScreen) {
    let Some(receipt) = &entry.last_receipt else {
        return;
    };
    // An order placed to pay later is no sale: the panel says what it is.
    let what = if receipt.to_ship {
        format!("Order {} — waiting to be shipped", receipt.order_id)
    } else {
        format!("Receipt of sale {}", receipt.order_id)
    };
    let with_keys = format!(" {what} — Ctrl-P prints ");
    let title = if with_keys.width() + 2 <= usize::from(area.width) {
        with_keys
    } else {
        format!(" {} ", fit_rest(&what, area.width, &["┌  ┐"]))
    };
    let mut block = Block::bordered().title(title);
    // Too tall for the panel: its end (the totals, the change) is what the
    // cashier reads out, so the top gives way, and the border says so.
    let lines: Vec<&str> = receipt.text.lines().collect();
    let room = usize::from(block.inner(area).height);
    let hidden = lines.len().saturating_sub(room);
    if hidden > 0 {
        block = block.title_bottom(
            Line::from(format!(" ↑ {} above ", count_of(hidden as i64, "line"))).right_aligned(),
        );
    }
    let shown = lines[hidden..].join("\n");
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

/// The checkout popup's width, and its height when every part takes its
/// least rows.
const CHECKOUT_WIDTH: u16 = 50;
const CHECKOUT_LEAST_HEIGHT: u16 = 17;
/// Least rows of the tendered field (or the pay-later note in its place)
/// and of the change line with the blank row under it; a longer note or
/// refusal takes more, and the popup grows by as many.
const TENDERED_LEAST_ROWS: u16 = 3;
const CHANGE_LEAST_ROWS: u16 = 2;

/// The checkout popup.
pub fn render_checkout(frame: &mut Frame, area: Rect, checkout: &Checkout, currency: &Currency) {
    let width = CHECKOUT_WIDTH.min(area.width).saturating_sub(2);
    let (note, change_lines) = match checkout.method {
        Some(PaymentMethod::Cash) => (Vec::new(), change_lines(checkout, currency, width)),
        None => (
            wrapped_lines(
                "Not paid now: the order is placed as pending, to be shipped.",
                width,
                Style::new(),
            ),
            Vec::new(),
        ),
        Some(_) => (Vec::new(), Vec::new()),
    };
    let tendered_rows = row_count(&note).max(TENDERED_LEAST_ROWS);
    // The change line keeps a blank row under it.
    let change_rows = (row_count(&change_lines) + 1).max(CHANGE_LEAST_ROWS);
    let height = CHECKOUT_LEAST_HEIGHT
        + (tendered_rows - TENDERED_LEAST_ROWS)
        + (change_rows - CHANGE_LEAST_ROWS);
    let popup = open_popup(frame, area, CHECKOUT_WIDTH, height);
    let block = Block::bordered()
        .title(" Checkout ")
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [summary, methods, tendered, change, keys] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Length(2),
        Constraint::Length(tendered_rows),
        Constraint::Length(change_rows),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let totals = checkout.totals;
    let two = |left: String, right: String| {
        let width = usize::from(summary.width);
        let gap = width
            .saturating_sub(left.chars().count() + right.chars().count())
            .max(1);
        format!("{left}{}{right}", " ".repeat(gap))
    };
    let mut lines = vec![
        Line::from(count_items(checkout.item_count)),
        Line::from(two("Subtotal".into(), currency.format(totals.subtotal))),
    ];
    if totals.discount.get() > 0 {
        lines.push(
            Line::from(two(
                BULK_DISCOUNT.label(),
                format!("-{}", currency.amount(totals.discount)),
            ))
            .fg(Color::Green),
        );
    }
    lines.push(Line::from(two("TOTAL".into(), currency.format(totals.total))).bold());
    frame.render_widget(Paragraph::new(lines), summary);

    let choices = [
        (Some(PaymentMethod::Cash), "c cash"),
        (Some(PaymentMethod::Card), "k card"),
        (Some(PaymentMethod::Other), "o other"),
        (None, "l later: ship"),
    ];
    let mut spans = vec![Span::raw("Pay: ")];
    for (method, label) in choices {
        let style = if method == checkout.method {
            Style::new().reversed().bold()
        } else {
            Style::new()
        };
        spans.push(Span::styled(format!(" {label} "), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(spans), methods);

    if checkout.method == Some(PaymentMethod::Cash) {
        render_input(
            frame,
            tendered,
            "Cash tendered (optional)",
            &checkout.tendered,
            true,
        );
    }
    frame.render_widget(Paragraph::new(note), tendered);
    frame.render_widget(Paragraph::new(change_lines), change);
    // Not paid now, it is an order that waits to be shipped, not a sale.
    let placed = match checkout.method {
        Some(_) => "the sale",
        None => "the order to ship",
    };
    let keys_line =
        Line::from(format!("Enter places {placed} · Esc back to the cart")).fg(Color::DarkGray);
    frame.render_widget(keys_line, keys);
}

/// What the cash tendered comes to, wrapped to `width`: the change due,
/// the refusal of too little cash in full, or how to see the change.
fn change_lines(checkout: &Checkout, currency: &Currency, width: u16) -> Vec<Line<'static>> {
    match change_due(checkout, currency) {
        None => wrapped_lines(
            "Type what was handed over to see the change.",
            width,
            Style::new(),
        ),
        Some(Ok(change)) => wrapped_lines(
            &format!("Change due: {}", currency.amount(change)),
            width,
            Style::new().bold().fg(Color::Green),
        ),
        Some(Err(error)) => wrapped_lines(
            &refusal(&error.to_string()),
            width,
            Style::new().bold().fg(Color::Red),
        ),
    }
}

/// The parked sales popup: its columns laid out as History's, the
/// numbers right-aligned under their headings.
pub fn render_parked(
    frame: &mut Frame,
    area: Rect,
    list: &crate::app::list::ListState<ParkedSale>,
    state: &AppState,
) {
    let currency = &state.currency;
    // More sales than rows: the window the selection moves in.
    let sales: Vec<(usize, &ParkedSale)> = list.window(state.popup_list_rows()).collect();
    let popup = open_popup(
        frame,
        area,
        70,
        u16::try_from(sales.len())
            .unwrap_or(u16::MAX)
            .saturating_add(POPUP_LIST_CHROME_ROWS),
    );
    let mut block = Block::bordered().title(" Parked sales — Enter resumes, Esc closes ");
    if let (Some((first, _)), Some((last, _))) = (sales.first(), sales.last())
        && sales.len() < list.rows.len()
    {
        // Not all in view: which ones are, so none is thought gone.
        let shown = format!(" {}-{} of {} ", first + 1, last + 1, list.rows.len());
        block = block.title_bottom(Line::from(shown).right_aligned());
    }
    let ids: Vec<String> = sales.iter().map(|(_, sale)| sale.id.to_string()).collect();
    let items: Vec<String> = sales
        .iter()
        .map(|(_, sale)| count_items(sale.item_count()))
        .collect();
    let totals: Vec<String> = sales
        .iter()
        .map(|(_, sale)| {
            crate::domain::order::price_order(sale.lines.iter().map(|(p, q)| (p.price, *q)))
                .map(|t| currency.format(t.total))
                .unwrap_or_default()
        })
        .collect();
    let widths = column_widths(
        block.inner(popup).width,
        &[
            Constraint::Length(number_width(5, &ids)),
            Constraint::Length(16),
            Constraint::Fill(1),
            Constraint::Length(number_width(10, &items)),
            Constraint::Length(number_width(11, &totals)),
        ],
    );
    let numbers = ids.into_iter().zip(items.into_iter().zip(totals));
    let rows = sales.iter().zip(numbers).map(|(&(index, sale), numbers)| {
        let (id, (items, total)) = numbers;
        let row = Row::new([
            Cell::from(id),
            Cell::from(local_time(sale.parked_at)),
            Cell::from(fit_cell(&sale.customer.name, widths[2])),
            number_cell(items),
            number_cell(total),
        ]);
        if index == list.selected {
            row.style(selected_style())
        } else {
            row
        }
    });
    let table = Table::new(rows, lengths(&widths))
        .header(
            Row::new([
                Cell::from("No."),
                Cell::from("Parked"),
                Cell::from("Customer"),
                number_cell("Items"),
                number_cell("Total"),
            ])
            .style(Style::new().bold()),
        )
        .block(block);
    frame.render_widget(table, popup);
}

/// `text` in three-row digits drawn with `glyphs` (other characters at
/// their own size) when it fits in `width`; big enough to read from a step
/// away.
fn big_text(text: &str, width: u16, glyphs: Glyphs) -> Option<[String; 3]> {
    let glyph = match glyphs {
        Glyphs::Unicode => glyph,
        Glyphs::Console => console_glyph,
    };
    let mut rows = [String::new(), String::new(), String::new()];
    // After a small character, the space that sets it apart from a glyph.
    let mut after_small = false;
    for c in text.chars() {
        match glyph(c) {
            Some(glyph) => {
                for (row, part) in rows.iter_mut().zip(glyph) {
                    if after_small {
                        row.push(' ');
                    }
                    row.push_str(part);
                    row.push(' ');
                }
                after_small = false;
            }
            // A currency's letters or sign without a glyph (`€`, `CHF`)
            // stand at their own size on the middle row, as one word.
            None => {
                let blank = " ".repeat(c.width().unwrap_or(0));
                rows[0].push_str(&blank);
                rows[1].push(c);
                rows[2].push_str(&blank);
                after_small = !c.is_whitespace();
            }
        }
    }
    let fits = rows[0].width() <= usize::from(width);
    fits.then_some(rows)
}

fn glyph(c: char) -> Option<[&'static str; 3]> {
    Some(match c {
        '0' => ["█▀█", "█ █", "▀▀▀"],
        '1' => ["▀█ ", " █ ", "▀▀▀"],
        '2' => ["▀▀█", "█▀▀", "▀▀▀"],
        '3' => ["▀▀█", " ▀█", "▀▀▀"],
        '4' => ["█ █", "▀▀█", "  ▀"],
        '5' => ["█▀▀", "▀▀█", "▀▀▀"],
        '6' => ["█▀▀", "█▀█", "▀▀▀"],
        '7' => ["▀▀█", "  █", "  ▀"],
        '8' => ["█▀█", "█▀█", "▀▀▀"],
        '9' => ["█▀█", "▀▀█", "▀▀▀"],
        '.' => [" ", " ", "▀"],
        '$' => ["▄█▀", "▀█▄", "▀█▀"],
        '-' => ["  ", "▀▀", "  "],
        _ => return None,
    })
}

/// The big digits in box-drawing lines, which every Linux console font
/// has (most lack the half blocks of [`glyph`]).
fn console_glyph(c: char) -> Option<[&'static str; 3]> {
    Some(match c {
        '0' => ["┌─┐", "│ │", "└─┘"],
        '1' => ["─┐ ", " │ ", "─┴─"],
        '2' => ["──┐", "┌─┘", "└──"],
        '3' => ["──┐", " ─┤", "──┘"],
        '4' => ["│ │", "└─┤", "  │"],
        '5' => ["┌──", "└─┐", "──┘"],
        '6' => ["┌──", "├─┐", "└─┘"],
        '7' => ["──┐", "  │", "  │"],
        '8' => ["┌─┐", "├─┤", "└─┘"],
        '9' => ["┌─┐", "└─┤", "──┘"],
        '.' => [" ", " ", "."],
        '$' => ["┌┼─", "└┼┐", "─┼┘"],
        '-' => ["  ", "──", "  "],
        _ => return None,
    })
}
