//! Sellers selling at once, the same way for every side measured: each
//! of [`SELLERS`] threads opens what it sells through (a store, a
//! connection, nothing for HTTP) before the clock starts, then places
//! orders of the same shapes until its turn is over.

use std::ops::RangeInclusive;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

/// How many sellers sell at once, on every side.
pub(crate) const SELLERS: usize = 16;

/// Orders as every side's sellers place them, as the origin's own client
/// makes them: for a customer of a range, 3 distinct products of a list,
/// 1-3 of each. Each seller has its own sequence (xorshift64*), the same
/// on every side.
pub(crate) struct Shapes(u64);

impl Shapes {
    pub fn new(seller: usize) -> Shapes {
        Shapes(0x9E37_79B9_7F4A_7C15 ^ (seller as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9))
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound.max(1)
    }

    /// The next order: its customer and its lines (product, quantity).
    pub fn order<T: Copy + PartialEq>(
        &mut self,
        customers: RangeInclusive<i64>,
        products: &[T],
    ) -> (i64, [(T, i64); 3]) {
        let span = (customers.end() - customers.start() + 1).max(1) as u64;
        let customer = customers.start() + self.below(span) as i64;
        let mut picked = Vec::with_capacity(3);
        while picked.len() < 3 {
            let product = products[self.below(products.len() as u64) as usize];
            if !picked.contains(&product) {
                picked.push(product);
            }
        }
        let lines = [0, 1, 2].map(|line| (picked[line], 1 + self.below(3) as i64));
        (customer, lines)
    }
}

/// What one side's sellers did in their turns.
#[derive(Default)]
pub(crate) struct Sold {
    pub placed: usize,
    pub refused: usize,
    pub first_refusal: Option<String>,
    pub took: Duration,
}

impl Sold {
    pub fn add(&mut self, turn: Sold) {
        self.placed += turn.placed;
        self.refused += turn.refused;
        self.took += turn.took;
        self.first_refusal = self.first_refusal.take().or(turn.first_refusal);
    }

    pub fn per_second(&self) -> f64 {
        self.placed as f64 / self.took.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    /// Why the figure does not count, if a sale of well-stocked products
    /// to known customers was refused.
    pub fn failure(&self) -> Option<String> {
        let why = self.first_refusal.as_deref()?;
        Some(format!(
            "{} of {} sales refused, the first: {why}",
            self.refused,
            self.refused + self.placed
        ))
    }
}

/// [`SELLERS`] threads selling for `turn`: each opens its means with
/// `open`, waits for the others, then places orders with `sell` (the next
/// of its own shapes) until the turn is over. Timed from the start to the
/// last seller's last order.
pub(crate) fn sell_concurrently<S>(
    turn: Duration,
    open: &(dyn Fn() -> S + Sync),
    sell: &(dyn Fn(&mut S, &mut Shapes) -> Result<(), String> + Sync),
) -> Sold {
    let ready = Barrier::new(SELLERS + 1);
    thread::scope(|scope| {
        let sellers: Vec<_> = (0..SELLERS)
            .map(|seller| {
                let ready = &ready;
                scope.spawn(move || {
                    let mut means = open();
                    let mut shapes = Shapes::new(seller);
                    ready.wait();
                    let until = Instant::now() + turn;
                    let mut placed = 0;
                    let mut refusals = Vec::new();
                    while Instant::now() < until {
                        match sell(&mut means, &mut shapes) {
                            Ok(()) => placed += 1,
                            Err(why) => refusals.push(why),
                        }
                    }
                    (placed, refusals)
                })
            })
            .collect();
        ready.wait();
        let started = Instant::now();
        let mut sold = Sold::default();
        for seller in sellers {
            let (placed, refusals): (usize, Vec<String>) = seller.join().unwrap();
            sold.placed += placed;
            sold.refused += refusals.len();
            sold.first_refusal = sold.first_refusal.take().or(refusals.into_iter().next());
        }
        sold.took = started.elapsed();
        sold
    })
}
