//! `shopdesk order …`

use anyhow::{Context, Result};
use chrono::Utc;
use clap::Subcommand;
use serde::Serialize;

use super::field;
use super::output::Output;
use crate::display::{count_items, local_time, safe_text};
use crate::domain::customer::WALK_IN_ID;
use crate::domain::order::{
    BULK_DISCOUNT, ItemSpec, NewOrder, Order, OrderEvent, OrderFilter, Payment, PaymentMethod,
    SaleId, Status,
};
use crate::domain::{Cents, Currency};
use crate::receipt::receipt_of;
use crate::sale_ids::new_sale_id;
use crate::store::Shop;

#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// Place an order: ITEM is PRODUCT:QTY, QTY*PRODUCT or PRODUCT (one unit)
    Place {
        /// The customer's id, or walk-in
        #[arg(long, value_name = "ID")]
        customer: String,
        /// PRODUCT is sku:CODE, id:N, or a SKU (digits no SKU has: an id)
        #[arg(value_name = "ITEM", required = true)]
        items: Vec<String>,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// A counter sale, paid now (cash, card or other): stored as delivered
        #[arg(long, value_name = "METHOD")]
        paid: Option<String>,
        /// Cash handed over, to print the change on the receipt
        #[arg(
            long,
            value_name = "AMOUNT",
            requires = "paid",
            allow_hyphen_values = true
        )]
        tendered: Option<String>,
        /// The sale's own id, for a script that may send it again: the order
        /// already placed with it is printed, never placed twice [default: a
        /// new one]
        #[arg(long, value_name = "ID", value_parser = SaleId::parse)]
        sale_id: Option<SaleId>,
    },
    /// Print an order's receipt (42 columns, for a receipt printer)
    Receipt {
        #[arg(value_name = "ORDER_ID")]
        order: i64,
    },
    /// Show an order with its items and its timeline
    Show {
        #[arg(value_name = "ORDER_ID")]
        order: i64,
    },
    /// A customer's orders, newest first (all of them unless --limit)
    History {
        #[arg(value_name = "CUSTOMER_ID")]
        customer: i64,
        #[arg(long, value_name = "N", value_parser = super::parse_limit, allow_negative_numbers = true)]
        limit: Option<usize>,
        /// Only orders in this status
        #[arg(long)]
        status: Option<String>,
    },
    /// The whole shop's orders, newest first
    List {
        /// Only orders in this status
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = super::parse_limit, allow_negative_numbers = true)]
        limit: usize,
    },
    /// Move an order to its next status: shipped, delivered or canceled
    Status {
        #[arg(value_name = "ORDER_ID")]
        order: i64,
        status: String,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
}

pub fn run(command: OrderCommand, store: &mut dyn Shop, out: &mut Output) -> Result<()> {
    // Amounts are typed and shown in the shop's currency.
    let currency = &store.settings()?.currency;
    match command {
        OrderCommand::Place {
            customer,
            items,
            note,
            paid,
            tendered,
            sale_id,
        } => {
            let items = items
                .iter()
                .map(|item| field("ITEM", item.parse::<ItemSpec>()))
                .collect::<Result<Vec<_>>>()?;
            let new = NewOrder {
                customer_id: field("--customer", parse_customer(&customer))?,
                items,
                note: note.unwrap_or_default(),
                // Selling beyond the count needs a cashier's confirmation,
                // at the counter: a script is refused out of stock.
                count_corrections: Vec::new(),
                sale_id: Some(match sale_id {
                    Some(sale_id) => sale_id,
                    None => new_sale_id()?,
                }),
            };
            let order = match paid {
                None => store.place_order(&new, Utc::now())?,
                Some(method) => {
                    let method = field("--paid", method.parse::<PaymentMethod>())?;
                    let tendered = tendered
                        .map(|t| field("--tendered", Cents::parse(&t, currency)))
                        .transpose()?;
                    let total = store.price_order(&new)?.total;
                    let payment = field(
                        "--tendered",
                        Payment::new(method, tendered, total, currency),
                    )?;
                    store.place_counter_sale(&new, payment, total, Utc::now())?
                }
            };
            out.line(format_args!(
                "Placed order {} for {} (customer {}): {}, total {}",
                order.id,
                safe_text(&order.customer_name),
                order.customer_id,
                count_items(order.item_count()),
                currency.amount(order.totals.total)
            ))?;
            print_order(out, &order, currency)
        }
        OrderCommand::Receipt { order } => {
            let order = store.order(order)?;
            let text = receipt_of(&order, &store.settings()?);
            out.record(
                &ReceiptRecord {
                    order_id: order.id,
                    receipt: text.trim_end(),
                },
                |record| record.receipt.to_string(),
            )
        }
        OrderCommand::Show { order } => {
            let order = store.order(order)?;
            let timeline = store.order_events(order.id)?;
            if out.is_json() {
                return out.json_record(&OrderWithTimeline {
                    order: &order,
                    timeline: &timeline,
                });
            }
            print_order(out, &order, currency)?;
            if let Some(sale_id) = &order.sale_id {
                out.line(format_args!("  Sale id: {sale_id}"))?;
            }
            print_timeline(out, &timeline)
        }
        OrderCommand::History {
            customer,
            limit,
            status,
        } => {
            store.customer(customer)?;
            let filter = OrderFilter {
                customer_id: Some(customer),
                status: parse_status(status.as_deref())?,
            };
            stream(out, store, currency, filter, limit.unwrap_or(usize::MAX))
        }
        OrderCommand::List { status, limit } => {
            let filter = OrderFilter {
                customer_id: None,
                status: parse_status(status.as_deref())?,
            };
            stream(out, store, currency, filter, limit)
        }
        OrderCommand::Status {
            order,
            status,
            note,
        } => {
            let to = field("STATUS", status.parse::<Status>())?;
            let order =
                store.set_order_status(order, to, note.as_deref().unwrap_or(""), Utc::now())?;
            out.line(format_args!("Order {} is now {}.", order.id, order.status))?;
            if order.status == Status::Canceled {
                out.line(format_args!(
                    "Back in stock: {}.",
                    count_items(order.item_count())
                ))?;
            }
            print_order(out, &order, currency)
        }
    }
}

#[derive(Serialize)]
struct ReceiptRecord<'a> {
    order_id: i64,
    receipt: &'a str,
}

/// `order show`: the order record with its timeline, oldest step first.
#[derive(Serialize)]
struct OrderWithTimeline<'a> {
    #[serde(flatten)]
    order: &'a Order,
    timeline: &'a [OrderEvent],
}

/// A customer id, or `walk-in` for the built-in Walk-in customer.
fn parse_customer(text: &str) -> Result<i64, crate::domain::Error> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("walk-in") || text.eq_ignore_ascii_case("walkin") {
        return Ok(WALK_IN_ID);
    }
    text.parse()
        .map_err(|_| crate::domain::Error::CustomerIdInvalid(text.to_string()))
}

fn parse_status(status: Option<&str>) -> Result<Option<Status>> {
    status.map(|s| field("--status", s.parse())).transpose()
}

/// Prints orders as they are read, one page at a time in memory.
fn stream(
    out: &mut Output,
    store: &dyn Shop,
    currency: &Currency,
    filter: OrderFilter,
    limit: usize,
) -> Result<()> {
    let mut printed = 0;
    for order in store.orders(filter).take(limit) {
        let order = order.context("reading orders")?;
        print_order_line(out, &order, currency)?;
        printed += 1;
    }
    if printed == 0 {
        out.line("No orders.")?;
    }
    Ok(())
}

/// An order as a JSON line, or for people: a header line, one line per
/// item and the totals.
fn print_order(out: &mut Output, order: &Order, currency: &Currency) -> Result<()> {
    out.record(order, |o| {
        format!(
            "Order {} · {} · {} · {} (customer {})",
            o.id,
            o.status,
            local_time(o.created_at),
            safe_text(&o.customer_name),
            o.customer_id
        )
    })?;
    if out.is_json() {
        return Ok(());
    }
    print_items(out, order, currency)?;
    out.line(format_args!(
        "{:>44}  {:>12}",
        "Subtotal",
        currency.format(order.totals.subtotal)
    ))?;
    if order.totals.discount.get() > 0 {
        out.line(format_args!(
            "{:>44}  {:>12}",
            BULK_DISCOUNT.label(),
            format!("-{}", currency.amount(order.totals.discount))
        ))?;
    }
    out.line(format_args!(
        "{:>44}  {:>12}",
        "Total",
        currency.format(order.totals.total)
    ))?;
    if let Some(payment) = &order.payment {
        let paid = match (payment.tendered, payment.change(order.totals.total)) {
            (Some(tendered), Some(change)) => format!(
                "{}, change {}",
                currency.amount(tendered),
                currency.amount(change)
            ),
            _ => currency.format(order.totals.total),
        };
        out.line(format_args!(
            "{:>44}  {:>12}",
            format!("Paid {}", payment.method),
            paid
        ))?;
    }
    if !order.note.is_empty() {
        out.line(format_args!("  Note: {}", safe_text(&order.note)))?;
    }
    Ok(())
}

/// One line per order and per item: how history and lists stream.
fn print_order_line(out: &mut Output, order: &Order, currency: &Currency) -> Result<()> {
    out.record(order, |o| {
        format!(
            "{:>7}  {}  {:<9}  {}  ({})  {}",
            o.id,
            local_time(o.created_at),
            o.status,
            safe_text(&o.customer_name),
            count_items(o.item_count()),
            currency.amount(o.totals.total)
        )
    })?;
    if !out.is_json() {
        print_items(out, order, currency)?;
    }
    Ok(())
}

fn print_items(out: &mut Output, order: &Order, currency: &Currency) -> Result<()> {
    for item in &order.items {
        out.line(format_args!(
            "         {:>4} × {} ({}) @ {} = {}",
            item.quantity,
            safe_text(&item.name),
            safe_text(&item.sku),
            currency.amount(item.unit_price),
            currency.amount(item.line_total)
        ))?;
    }
    Ok(())
}

fn print_timeline(out: &mut Output, events: &[OrderEvent]) -> Result<()> {
    out.line("Timeline:")?;
    for event in events {
        let step = match event.from {
            None => format!("placed ({})", event.to),
            Some(from) => format!("{from} → {}", event.to),
        };
        let note = match event.note.as_str() {
            "" => String::new(),
            note => format!("  {}", safe_text(note)),
        };
        // A step without a note would end in the padding meant to align notes.
        let line = format!("  {}  {step:<20}{note}", local_time(event.at));
        out.line(line.trim_end())?;
    }
    Ok(())
}
