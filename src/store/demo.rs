//! What every backend's demo loader writes beside the rows it is given:
//! the stock ledger, planned here once. The demo hands over each product
//! with the stock it should end with and each order with its timeline; the
//! ledger is known only once every order is in (a product's first move
//! says what it was added with), so it is written at the end of the load.

use chrono::{DateTime, Utc};

use crate::domain::Error;
use crate::domain::order::{Order, OrderEvent, Status};
use crate::domain::product::{MoveReason, Stock};

/// The ledger of a demo load, gathered as its products and orders come.
#[derive(Default)]
pub struct DemoLedger {
    /// Each product as added, in id order: its id, the stock it should
    /// end with and the time it was added.
    products: Vec<(i64, i64, DateTime<Utc>)>,
    /// The demo's sales and cancels, kept until the end of the load:
    /// sorted by product then, they fill the ledger (clustered by product)
    /// from front to back instead of all over.
    moves: Vec<PendingMove>,
}

struct PendingMove {
    product_id: i64,
    at: DateTime<Utc>,
    order_id: i64,
    delta: i64,
    reason: MoveReason,
}

/// One product's whole ledger, as the load writes it.
pub struct ProductLedger {
    pub product_id: i64,
    /// The stock the product was added with by the loader.
    pub planned: i64,
    /// The stock its moves leave: the planned one, unless the product had
    /// to be added with more (see [`DemoLedger::into_products`]).
    pub stock: Stock,
    /// Its moves, oldest first: the first sets the stock it was added with.
    pub moves: Vec<LedgerMove>,
}

/// A row of the stock ledger.
pub struct LedgerMove {
    pub seq: i64,
    pub delta: i64,
    pub reason: MoveReason,
    pub order_id: Option<i64>,
    pub at: DateTime<Utc>,
}

impl DemoLedger {
    /// Notes a product added at `at`, planned to end with `stock` units.
    pub fn add_product(&mut self, product_id: i64, stock: i64, at: DateTime<Utc>) {
        self.products.push((product_id, stock, at));
    }

    /// Notes what order `order_id` took from stock, and gave back if its
    /// timeline ends canceled.
    pub fn add_order(&mut self, order_id: i64, order: &Order, events: &[OrderEvent]) {
        let canceled_at = events
            .last()
            .filter(|event| event.to == Status::Canceled)
            .map(|event| event.at);
        for item in &order.items {
            let mut record = |delta, reason, at| {
                self.moves.push(PendingMove {
                    product_id: item.product_id,
                    at,
                    order_id,
                    delta,
                    reason,
                })
            };
            record(-item.quantity, MoveReason::Sale, order.created_at);
            if let Some(at) = canceled_at {
                record(item.quantity, MoveReason::Cancel, at);
            }
        }
    }

    /// Each product's ledger, in the order the products were added: first
    /// the stock it was added with (what it has now plus what its demo
    /// sales took for good, or more: see [`stock_through`]), then its sales
    /// and cancels in time order.
    pub fn into_products(self) -> impl Iterator<Item = Result<ProductLedger, Error>> {
        let mut moves = self.moves;
        moves.sort_unstable_by_key(|m| {
            (
                m.product_id,
                m.at,
                m.order_id,
                m.reason == MoveReason::Cancel,
            )
        });
        let mut rest = moves.into_iter().peekable();
        self.products
            .into_iter()
            .map(move |(product_id, planned, added)| {
                let mut own = Vec::new();
                while let Some(m) = rest.next_if(|m| m.product_id == product_id) {
                    own.push(m);
                }
                let (added_with, stock) = stock_through(planned, &own)?;
                let initial = LedgerMove {
                    seq: 1,
                    delta: added_with.get(),
                    reason: MoveReason::Initial,
                    order_id: None,
                    at: added,
                };
                let sales = (2_i64..).zip(own).map(|(seq, m)| LedgerMove {
                    seq,
                    delta: m.delta,
                    reason: m.reason,
                    order_id: Some(m.order_id),
                    at: m.at,
                });
                Ok(ProductLedger {
                    product_id,
                    planned,
                    stock,
                    moves: std::iter::once(initial).chain(sales).collect(),
                })
            })
    }
}

/// The stock a demo product is added with and the stock its `moves` (its
/// sales and cancels, in time order) leave, for a product planned to end
/// with `planned` units. Every balance on the way obeys the bounds of every
/// stock: where an early sale canceled late would take the shelf below
/// zero, the product is added with that much more (and ends with more).
fn stock_through(planned: i64, moves: &[PendingMove]) -> Result<(Stock, Stock), Error> {
    let mut balance = 0_i64;
    let mut lowest = 0_i64;
    for m in moves {
        balance = balance.saturating_add(m.delta);
        lowest = lowest.min(balance);
    }
    let added_with = Stock::new(planned.saturating_sub(balance).max(-lowest))?;
    let mut stock = added_with;
    for m in moves {
        stock = Stock::new(stock.get().saturating_add(m.delta))?;
    }
    Ok((added_with, stock))
}
