//! Receipts: plain text for a 42-column thermal printer, rebuilt from what
//! the database holds, so any order's receipt can be printed again.

use unicode_width::UnicodeWidthChar;

use crate::display::safe_text;
use crate::domain::Cents;
use crate::domain::order::{BULK_DISCOUNT, Order};
use crate::domain::settings::Settings;

/// Columns of 80 mm thermal paper in the usual font.
pub const RECEIPT_WIDTH: usize = 42;

/// The receipt of `order`; `when` is the sale's date and time as the shop
/// reads it (local time).
pub fn receipt(order: &Order, settings: &Settings, when: &str) -> String {
    let money = |cents: Cents| cents.with_symbol(&settings.currency_symbol);
    let rule = "-".repeat(RECEIPT_WIDTH);
    let mut lines = vec![
        centered(&settings.shop_name),
        String::new(),
        two_sides(when, &format!("Order {}", order.id)),
        fit(&format!("Customer: {}", order.customer_name)),
        rule.clone(),
    ];
    for item in &order.items {
        lines.push(fit(&item.name));
        let quantity = format!(
            "  {} x {}  {}",
            item.quantity,
            money(item.unit_price),
            item.sku
        );
        lines.push(two_sides(&quantity, &money(item.line_total)));
    }
    lines.push(rule.clone());
    let items = crate::display::count_items(order.item_count());
    lines.push(two_sides(
        &format!("Subtotal ({items})"),
        &money(order.totals.subtotal),
    ));
    if order.totals.discount.get() > 0 {
        lines.push(two_sides(
            &BULK_DISCOUNT.label(),
            &format!("-{}", money(order.totals.discount)),
        ));
    }
    lines.push(two_sides("TOTAL", &money(order.totals.total)));
    if let Some(payment) = &order.payment {
        match payment.tendered {
            Some(tendered) => {
                lines.push(two_sides(
                    &format!("Paid {}", payment.method),
                    &money(tendered),
                ));
                if let Some(change) = payment.change(order.totals.total) {
                    lines.push(two_sides("Change", &money(change)));
                }
            }
            None => lines.push(two_sides(
                &format!("Paid {}", payment.method),
                &money(order.totals.total),
            )),
        }
    }
    lines.push(rule);
    lines.push(centered("Thank you!"));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Text made safe for a printer (no control codes) and cut to the width.
fn fit(text: &str) -> String {
    let safe = safe_text(text);
    let mut fitted = String::new();
    let mut width = 0;
    for c in safe.chars() {
        let w = c.width().unwrap_or(0);
        if width + w > RECEIPT_WIDTH {
            break;
        }
        width += w;
        fitted.push(c);
    }
    fitted
}

fn display_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `left` and `right` on one line, `right` flush with the edge; `left` is
/// cut when both don't fit.
fn two_sides(left: &str, right: &str) -> String {
    let right_width = display_width(right);
    let room = RECEIPT_WIDTH.saturating_sub(right_width + 1);
    let left = fit(left);
    let left: String = if display_width(&left) > room {
        let mut cut = String::new();
        for c in left.chars() {
            if display_width(&cut) + c.width().unwrap_or(0) > room {
                break;
            }
            cut.push(c);
        }
        cut
    } else {
        left
    };
    let gap = RECEIPT_WIDTH
        .saturating_sub(display_width(&left) + right_width)
        .max(1);
    format!("{left}{}{right}", " ".repeat(gap))
}

fn centered(text: &str) -> String {
    let text = fit(text);
    let margin = (RECEIPT_WIDTH - display_width(&text)) / 2;
    format!("{}{text}", " ".repeat(margin))
}
