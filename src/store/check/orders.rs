//! What `check` holds each order and the stock ledger to, whatever the
//! backend: the per-order walks (lines against the stored totals, events
//! against the status) over rows the backend streams in order of the
//! order's id, and the ledger against the stock and the lines sold.

use super::{CheckReport, ProblemKind};
use crate::domain::Cents;
use crate::domain::order::{Quantity, Status, price_order};
use crate::domain::product::{MAX_STOCK, Stock};

/// An order joined with one of its lines (`None` for an order without
/// any), as the totals walk reads it.
pub struct LineRow {
    pub order: i64,
    /// Subtotal, discount, total, as stored.
    pub stored: [i64; 3],
    /// Unit price, quantity, line total.
    pub line: Option<[i64; 3]>,
}

/// An order joined with one of its events (`None` for an order without
/// any), as the timeline walk reads it.
pub struct EventRow {
    pub order: i64,
    pub status: String,
    /// Whether it was paid at the counter (born delivered).
    pub counter_sale: bool,
    pub event: Option<Event>,
}

/// An event as stored: its number, and the statuses it moved between.
pub struct Event {
    pub seq: i64,
    pub from: Option<String>,
    pub to: String,
}

/// Every order's lines add up to its subtotal, its discount is the bulk
/// discount's, its total is the difference, and it has lines at all.
/// `rows` come in order of the order's id (each order's rows together).
pub fn check_order_totals<E>(
    rows: impl IntoIterator<Item = Result<LineRow, E>>,
    report: &mut CheckReport,
) -> Result<(), E> {
    walk_orders::<OrderLines, E>(rows, report)
}

/// Each order's events: the first creates it (pending, or delivered for a
/// counter sale), each one starts where the one before ended by an allowed
/// step, and the last ends at the order's status. `rows` come in order of
/// the order's id; each order's events in any order (they are taken in
/// the order of their numbers).
pub fn check_timelines<E>(
    rows: impl IntoIterator<Item = Result<EventRow, E>>,
    report: &mut CheckReport,
) -> Result<(), E> {
    walk_orders::<Timeline, E>(rows, report)
}

/// What is checked of an order read from rows that come one or more per
/// order, in order of the order's id.
trait PerOrder: Sized {
    type Row;
    /// The order the row belongs to.
    fn order_of(row: &Self::Row) -> i64;
    /// The order, from its first row.
    fn start(row: &Self::Row) -> Self;
    /// Takes in one of the order's rows, the first included.
    fn take(&mut self, row: Self::Row, report: &mut CheckReport);
    /// Checks the order once all its rows are in.
    fn finish(self, report: &mut CheckReport);
}

/// Gathers `rows` into one `O` per order, checking each in turn: one order
/// in memory at a time, however many there are.
fn walk_orders<O: PerOrder, E>(
    rows: impl IntoIterator<Item = Result<O::Row, E>>,
    report: &mut CheckReport,
) -> Result<(), E> {
    let mut current: Option<(i64, O)> = None;
    for row in rows {
        let row = row?;
        let id = O::order_of(&row);
        if current
            .as_ref()
            .is_none_or(|(current_id, _)| *current_id != id)
            && let Some((_, done)) = current.replace((id, O::start(&row)))
        {
            done.finish(report);
        }
        if let Some((_, order)) = current.as_mut() {
            order.take(row, report);
        }
    }
    if let Some((_, order)) = current {
        order.finish(report);
    }
    Ok(())
}

/// An order as stored, and its lines' (unit price, quantity, line total).
struct OrderLines {
    id: i64,
    /// Subtotal, discount, total.
    stored: [i64; 3],
    lines: Vec<[i64; 3]>,
}

impl PerOrder for OrderLines {
    type Row = LineRow;

    fn order_of(row: &LineRow) -> i64 {
        row.order
    }

    fn start(row: &LineRow) -> OrderLines {
        OrderLines {
            id: row.order,
            stored: row.stored,
            lines: Vec::new(),
        }
    }

    fn take(&mut self, row: LineRow, _: &mut CheckReport) {
        self.lines.extend(row.line);
    }

    fn finish(self, report: &mut CheckReport) {
        report.orders += 1;
        let id = self.id;
        if self.lines.is_empty() {
            report.found(ProblemKind::Totals, format!("order {id} has no items"));
            return;
        }
        let currency = report.currency.clone();
        let money = |cents: i64| currency.amount(Cents::new(cents));
        for &[unit_price, quantity, line_total] in &self.lines {
            if unit_price.checked_mul(quantity) != Some(line_total) {
                report.found(
                    ProblemKind::Totals,
                    format!(
                        "order {id}: a line of {quantity} × {} says {}",
                        money(unit_price),
                        money(line_total)
                    ),
                );
            }
        }
        let priced = self
            .lines
            .iter()
            .map(|&[unit_price, quantity, _]| {
                Quantity::new(quantity).map(|quantity| (Cents::new(unit_price), quantity))
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .and_then(price_order);
        let [subtotal, discount, total] = self.stored.map(Cents::new);
        match priced {
            Ok(expected)
                if (expected.subtotal, expected.discount, expected.total)
                    == (subtotal, discount, total) => {}
            Ok(expected) => report.found(
                ProblemKind::Totals,
                format!(
                    "order {id}: stored subtotal {}, discount {}, total {}; \
                     its lines make {}, {}, {}",
                    currency.amount(subtotal),
                    currency.amount(discount),
                    currency.amount(total),
                    currency.amount(expected.subtotal),
                    currency.amount(expected.discount),
                    currency.amount(expected.total)
                ),
            ),
            Err(error) => report.found(
                ProblemKind::Totals,
                format!("order {id}: its lines cannot be priced: {error}"),
            ),
        }
    }
}

struct Timeline {
    order: i64,
    status: String,
    counter_sale: bool,
    /// The order's events, as they came.
    events: Vec<Event>,
}

/// A timeline being walked: where the events so far left the order.
struct Walk {
    last: Option<String>,
    events: i64,
}

impl PerOrder for Timeline {
    type Row = EventRow;

    fn order_of(row: &EventRow) -> i64 {
        row.order
    }

    fn start(row: &EventRow) -> Timeline {
        Timeline {
            order: row.order,
            status: row.status.clone(),
            counter_sale: row.counter_sale,
            events: Vec::new(),
        }
    }

    fn take(&mut self, row: EventRow, _: &mut CheckReport) {
        self.events.extend(row.event);
    }

    fn finish(mut self, report: &mut CheckReport) {
        let order = self.order;
        let mut walk = Walk {
            last: None,
            events: 0,
        };
        self.events.sort_by_key(|event| event.seq);
        for event in std::mem::take(&mut self.events) {
            self.step(&mut walk, event, report);
        }
        match &walk.last {
            None => report.found(
                ProblemKind::Timeline,
                format!("order {order} has no events"),
            ),
            Some(last) if *last != self.status => report.found(
                ProblemKind::Timeline,
                format!(
                    "order {order} is {}, but its last event left it {last}",
                    self.status
                ),
            ),
            Some(_) => {}
        }
    }
}

impl Timeline {
    /// Takes the next event of the walk.
    fn step(&self, walk: &mut Walk, Event { seq, from, to }: Event, report: &mut CheckReport) {
        let order = self.order;
        walk.events += 1;
        if seq != walk.events {
            report.found(
                ProblemKind::Timeline,
                format!("order {order}: event {seq} should be event {}", walk.events),
            );
        }
        match (&walk.last, from.as_deref()) {
            (None, None) => {
                let creates = to == Status::Pending.as_str()
                    || (to == Status::Delivered.as_str() && self.counter_sale);
                if !creates {
                    report.found(
                        ProblemKind::Timeline,
                        format!("order {order}: its first event makes it {to}"),
                    );
                }
            }
            (Some(last), Some(from)) if last == from => {
                let allowed = match (from.parse::<Status>(), to.parse::<Status>()) {
                    (Ok(from), Ok(to)) => from.check_transition(order, to).is_ok(),
                    _ => false,
                };
                if !allowed {
                    report.found(
                        ProblemKind::Timeline,
                        format!("order {order}: event {seq} moves it from {from} to {to}, which is not allowed"),
                    );
                }
            }
            (last, from) => report.found(
                ProblemKind::Timeline,
                format!(
                    "order {order}: event {seq} starts from {}, but the order was {}",
                    from.unwrap_or("nothing"),
                    last.as_deref().unwrap_or("not yet placed")
                ),
            ),
        }
        walk.last = Some(to);
    }
}

/// A product's stock is within the bounds every change of stock obeys
/// (only a row changed by hand can leave them), and is the sum of its
/// ledger (`ledger`: summed in floating point, exact for any real stock,
/// and never overflowing for a ledger changed by hand).
pub fn check_product_stock(report: &mut CheckReport, id: i64, sku: &str, stock: i64, ledger: f64) {
    report.products += 1;
    if Stock::new(stock).is_err() {
        report.found(
            ProblemKind::Stock,
            format!("product {id} ({sku}): stock {stock} is outside 0 to {MAX_STOCK}"),
        );
    }
    if stock as f64 != ledger {
        report.found(
            ProblemKind::Ledger,
            format!("product {id} ({sku}): stock {stock}, but its ledger adds up to {ledger}"),
        );
    }
}

/// An order's line and what the ledger moved for it.
pub struct LineMoves {
    pub order: i64,
    pub product: i64,
    pub quantity: i64,
    pub canceled: bool,
    /// Units the ledger took for the line's sale.
    pub sold: i64,
    /// Units the ledger gave back for its cancel.
    pub returned: i64,
}

/// Every line sold took its units through the ledger once, and every
/// canceled order gave them back once.
pub fn check_line_moves(report: &mut CheckReport, line: LineMoves) {
    let LineMoves {
        order,
        product,
        quantity,
        canceled,
        sold,
        returned,
    } = line;
    let expected_returned = if canceled { quantity } else { 0 };
    if sold != quantity || returned != expected_returned {
        report.found(
            ProblemKind::Ledger,
            format!(
                "order {order}, product {product}: {quantity} sold{}, but the ledger took {sold} and gave back {returned}",
                if canceled { " and canceled" } else { "" }
            ),
        );
    }
}

/// The ledger moves `product` for `order`, which has no line of it.
pub fn stray_move(report: &mut CheckReport, order: i64, product: i64) {
    report.found(
        ProblemKind::Ledger,
        format!("the ledger moves product {product} for order {order}, which has no line of it"),
    );
}
