//! `shopdesk demo`

use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use clap::Args;
use clap::builder::RangedU64ValueParser;
use serde::Serialize;

use super::output::Output;
use crate::demo::{self, DemoSize, MAX_DEMO_CUSTOMERS, MAX_DEMO_ORDERS, MAX_DEMO_PRODUCTS};
use crate::store::Shop;

// Each size is bounded where it is typed: a size beyond what fits in
// memory is a usage error naming the range, not an abort.
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[arg(long, value_name = "N", default_value_t = DemoSize::default().customers,
          value_parser = count_up_to(MAX_DEMO_CUSTOMERS))]
    customers: usize,
    #[arg(long, value_name = "N", default_value_t = DemoSize::default().products,
          value_parser = count_up_to(MAX_DEMO_PRODUCTS))]
    products: usize,
    #[arg(long, value_name = "N", default_value_t = DemoSize::default().orders,
          value_parser = count_up_to(MAX_DEMO_ORDERS))]
    orders: usize,
    /// The same seed makes the same shop
    #[arg(long, value_name = "S", default_value_t = DemoSize::default().seed)]
    seed: u64,
}

/// A whole number from 0 to `most`.
fn count_up_to(most: u64) -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(0..=most)
}

/// What `demo` made, and how long it took.
#[derive(Serialize)]
struct DemoRecord {
    customers: usize,
    products: usize,
    orders: usize,
    seed: u64,
    elapsed_ms: u128,
}

pub fn run(args: DemoArgs, store: &mut dyn Shop, out: &mut Output) -> Result<()> {
    let size = DemoSize {
        customers: args.customers,
        products: args.products,
        orders: args.orders,
        seed: args.seed,
    };
    let started = Instant::now();
    demo::fill(store, size, Utc::now())?;
    let record = DemoRecord {
        customers: size.customers,
        products: size.products,
        orders: size.orders,
        seed: size.seed,
        elapsed_ms: started.elapsed().as_millis(),
    };
    out.record(&record, |record| {
        format!(
            "Demo shop ready in {}: {} customers, {} products, {} orders in {:.1} s.",
            store.name(),
            record.customers,
            record.products,
            record.orders,
            record.elapsed_ms as f64 / 1e3
        )
    })
}
