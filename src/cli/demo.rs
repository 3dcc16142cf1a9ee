//! `shopdesk demo`

use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use clap::Args;

use super::output::Output;
use crate::demo::{self, DemoSize};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[arg(long, value_name = "N", default_value_t = DemoSize::default().customers)]
    customers: usize,
    #[arg(long, value_name = "N", default_value_t = DemoSize::default().products)]
    products: usize,
    #[arg(long, value_name = "N", default_value_t = DemoSize::default().orders)]
    orders: usize,
    /// The same seed makes the same shop
    #[arg(long, value_name = "S", default_value_t = DemoSize::default().seed)]
    seed: u64,
}

pub fn run(args: DemoArgs, store: &mut Store, out: &mut Output) -> Result<()> {
    let size = DemoSize {
        customers: args.customers,
        products: args.products,
        orders: args.orders,
        seed: args.seed,
    };
    let started = Instant::now();
    demo::fill(store, size, Utc::now())?;
    out.line(format_args!(
        "Demo shop ready in {}: {} customers, {} products, {} orders in {:.1} s.",
        store.path().display(),
        size.customers,
        size.products,
        size.orders,
        started.elapsed().as_secs_f64()
    ))
}
