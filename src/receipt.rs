//! Receipts: plain text for a 42-column thermal printer, rebuilt from what
//! the database holds, so any order's receipt can be printed again.

use unicode_width::UnicodeWidthChar;

use crate::display::{local_time, safe_text, wrap_text};
use crate::domain::Cents;
use crate::domain::order::{BULK_DISCOUNT, Order};
use crate::domain::settings::Settings;

/// Columns of 80 mm thermal paper in the usual font.
pub const RECEIPT_WIDTH: usize = 42;

/// The receipt of `order` as the shop prints it: dated in the shop's time
/// zone.
pub fn receipt_of(order: &Order, settings: &Settings) -> String {
    receipt(order, settings, &local_time(order.created_at))
}

/// The receipt of `order`; `when` is the sale's date and time as the shop
/// reads it (local time). Nothing is cut: long text wraps at spaces, and an
/// amount that does not fit beside its label goes on its own line.
pub fn receipt(order: &Order, settings: &Settings, when: &str) -> String {
    let money = |cents: Cents| settings.currency.format(cents);
    let rule = "-".repeat(RECEIPT_WIDTH);
    let mut lines = centered(&settings.shop_name);
    lines.push(String::new());
    lines.extend(two_sides(when, &format!("Order {}", order.id)));
    lines.extend(wrapped(&format!("Customer: {}", order.customer_name)));
    lines.push(rule.clone());
    for item in &order.items {
        lines.extend(wrapped(&item.name));
        let quantity = format!(
            "  {} x {}  {}",
            item.quantity,
            money(item.unit_price),
            item.sku
        );
        lines.extend(two_sides(&quantity, &money(item.line_total)));
    }
    lines.push(rule.clone());
    let items = crate::display::count_items(order.item_count());
    lines.extend(two_sides(
        &format!("Subtotal ({items})"),
        &money(order.totals.subtotal),
    ));
    if order.totals.discount.get() > 0 {
        lines.extend(two_sides(
            &BULK_DISCOUNT.label(),
            &format!("-{}", money(order.totals.discount)),
        ));
    }
    lines.extend(two_sides("TOTAL", &money(order.totals.total)));
    if let Some(payment) = &order.payment {
        let paid = format!("Paid {}", payment.method);
        match payment.tendered {
            Some(tendered) => {
                lines.extend(two_sides(&paid, &money(tendered)));
                if let Some(change) = payment.change(order.totals.total) {
                    lines.extend(two_sides("Change", &money(change)));
                }
            }
            None => lines.extend(two_sides(&paid, &money(order.totals.total))),
        }
    }
    lines.push(rule);
    lines.extend(centered("Thank you!"));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Text made safe for a printer (no control codes) and broken into lines
/// of the paper's width, never cutting a word that fits on a line.
fn wrapped(text: &str) -> Vec<String> {
    wrap_text(text, RECEIPT_WIDTH)
}

fn display_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `left` and `right` with `right` flush with the edge: beside the last
/// line of `left` when both fit with a space between, else on a line of its
/// own, so an amount is never cut.
fn two_sides(left: &str, right: &str) -> Vec<String> {
    let right = safe_text(right);
    let right_width = display_width(&right);
    let mut lines = wrapped(left);
    let last = lines.pop().unwrap_or_default();
    let last_width = display_width(&last);
    if last_width + 1 + right_width <= RECEIPT_WIDTH {
        let gap = RECEIPT_WIDTH - last_width - right_width;
        lines.push(format!("{last}{}{right}", " ".repeat(gap)));
    } else {
        lines.push(last);
        let margin = RECEIPT_WIDTH.saturating_sub(right_width);
        lines.push(format!("{}{right}", " ".repeat(margin)));
    }
    lines
}

/// Each line of `text` in the middle of the paper.
fn centered(text: &str) -> Vec<String> {
    wrapped(text)
        .into_iter()
        .map(|line| {
            let margin = (RECEIPT_WIDTH.saturating_sub(display_width(&line))) / 2;
            format!("{}{line}", " ".repeat(margin))
        })
        .collect()
}
