//! `shopdesk product …`

use anyhow::{Result, bail};
use chrono::Utc;
use clap::{Args, Subcommand};

use super::field;
use super::output::{Align, Output, Table};
use crate::display::{local_time, quote, safe_text};
use crate::domain::product::{NewProduct, Product, ProductChanges, Restock, Sku, Stock, StockMove};
use crate::domain::text::{MAX_DETAILS_CHARS, Name, parse_free_text};
use crate::domain::{Cents, Currency};
use crate::store::Shop;

#[derive(Debug, Subcommand)]
pub enum ProductCommand {
    /// Add a product to the catalog
    Add {
        /// A barcode or the shop's own code; unique, ignoring case
        #[arg(long)]
        sku: String,
        #[arg(long)]
        name: String,
        /// Like 12.50 or 12,50, maybe after the shop's currency symbol
        #[arg(long, allow_hyphen_values = true)]
        price: String,
        /// Units on the shelf
        #[arg(long, allow_negative_numbers = true)]
        stock: i64,
        #[arg(long, value_name = "TEXT")]
        details: Option<String>,
    },
    /// List the catalog by name, or the products matching a search
    List {
        /// Part of a SKU or name (any case)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = super::parse_limit, allow_negative_numbers = true)]
        limit: usize,
    },
    /// Show one product (PRODUCT is sku:CODE, id:N, or a SKU; digits no SKU has are an id)
    Show { product: String },
    /// Change a product's name, price or details
    Edit {
        product: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        price: Option<String>,
        #[arg(long, value_name = "TEXT")]
        details: Option<String>,
    },
    /// Add goods that arrived, or set the counted stock
    Restock {
        product: String,
        #[command(flatten)]
        change: StockChange,
    },
    /// Stop selling a product; it stays in order history
    Archive { product: String },
    /// Sell an archived product again
    Unarchive { product: String },
    /// Every change of a product's stock, oldest first: its ledger
    Moves {
        product: String,
        /// Only the latest N moves
        #[arg(long, value_name = "N", value_parser = super::parse_limit, allow_negative_numbers = true)]
        limit: Option<usize>,
    },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct StockChange {
    /// Units that arrived
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    add: Option<i64>,
    /// The stock as counted
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    set: Option<i64>,
}

pub fn run(command: ProductCommand, store: &mut dyn Shop, out: &mut Output) -> Result<()> {
    // Prices are typed and shown in the shop's currency.
    let currency = &store.settings()?.currency;
    match command {
        ProductCommand::Add {
            sku,
            name,
            price,
            stock,
            details,
        } => {
            let new = NewProduct {
                sku: field("--sku", Sku::parse(&sku))?,
                name: field("--name", Name::parse("name", &name))?,
                price: field("--price", Cents::parse(&price, currency))?,
                stock: field("--stock", Stock::new(stock))?,
                details: field("--details", parse_details(details.as_deref().unwrap_or("")))?,
            };
            let product = store.add_product(&new, Utc::now())?;
            out.record(&product, |p| {
                format!("Added product {}: {}", p.id, summary(p, currency))
            })
        }
        ProductCommand::List { search, limit } => {
            let search = search.unwrap_or_default();
            let products = store.search_products(&search, limit)?;
            list(out, &products, &search, currency)
        }
        ProductCommand::Show { product } => {
            let product = store.product(&product)?;
            out.record(&product, |p| {
                let details = match p.details.as_str() {
                    "" => String::new(),
                    details => format!("\n{}", safe_text(details)),
                };
                format!("Product {}: {}{details}", p.id, summary(p, currency))
            })
        }
        ProductCommand::Edit {
            product,
            name,
            price,
            details,
        } => {
            let changes = ProductChanges {
                name: name
                    .map(|n| field("--name", Name::parse("name", &n)))
                    .transpose()?,
                price: price
                    .map(|p| field("--price", Cents::parse(&p, currency)))
                    .transpose()?,
                details: details
                    .map(|d| field("--details", parse_details(&d)))
                    .transpose()?,
            };
            if changes.is_empty() {
                bail!("nothing to change: give --name, --price or --details");
            }
            let id = store.product(&product)?.id;
            let product = store.edit_product(id, &changes, Utc::now())?;
            out.record(&product, |p| {
                format!("Updated product {}: {}", p.id, summary(p, currency))
            })
        }
        ProductCommand::Restock { product, change } => {
            let restock = match (change.add, change.set) {
                (Some(units), _) => field("--add", Restock::add(units))?,
                (None, Some(units)) => Restock::Set(field("--set", Stock::new(units))?),
                (None, None) => bail!("give --add N or --set N"),
            };
            let id = store.product(&product)?.id;
            let product = store.restock(id, restock, Utc::now())?;
            out.record(&product, |p| {
                format!("Restocked product {}: {}", p.id, summary(p, currency))
            })
        }
        ProductCommand::Archive { product } => {
            let id = store.product(&product)?.id;
            let product = store.set_product_active(id, false, Utc::now())?;
            out.record(&product, |p| {
                format!(
                    "Archived product {}: {} (kept in order history, no longer sold)",
                    p.id,
                    summary(p, currency)
                )
            })
        }
        ProductCommand::Moves { product, limit } => {
            let product = store.product(&product)?;
            let moves = store.stock_moves(product.id)?;
            let skip = limit.map_or(0, |latest| moves.len().saturating_sub(latest));
            moves_table(out, &product, &moves[skip..], currency)
        }
        ProductCommand::Unarchive { product } => {
            let id = store.product(&product)?.id;
            let product = store.set_product_active(id, true, Utc::now())?;
            out.record(&product, |p| {
                format!(
                    "Product {} is for sale again: {}",
                    p.id,
                    summary(p, currency)
                )
            })
        }
    }
}

fn parse_details(text: &str) -> Result<String, crate::domain::Error> {
    parse_free_text("details", text, MAX_DETAILS_CHARS)
}

/// `MUG-1 Blue mug, €12.50, 40 in stock (archived)` in a € shop
fn summary(product: &Product, currency: &Currency) -> String {
    format!(
        "{} {}, {}, {} in stock{}",
        safe_text(&product.sku),
        safe_text(&product.name),
        currency.amount(product.price),
        product.stock,
        if product.active { "" } else { " (archived)" }
    )
}

fn moves_table(
    out: &mut Output,
    product: &Product,
    moves: &[StockMove],
    currency: &Currency,
) -> Result<()> {
    for stock_move in moves {
        out.json_record(stock_move)?;
    }
    out.line(format_args!(
        "Stock moves of product {}: {}",
        product.id,
        summary(product, currency)
    ))?;
    let mut table = Table::new(&[
        ("WHEN", Align::Left),
        ("CHANGE", Align::Right),
        ("STOCK", Align::Right),
        ("WHY", Align::Left),
    ]);
    for stock_move in moves {
        let mut why = match stock_move.order_id {
            Some(order) => format!("{} (order {order})", stock_move.reason.describe()),
            None => stock_move.reason.describe().to_string(),
        };
        if !stock_move.note.is_empty() {
            why = format!("{why}: {}", stock_move.note);
        }
        table.row(vec![
            local_time(stock_move.at),
            format!("{:+}", stock_move.delta),
            stock_move.balance.to_string(),
            why,
        ]);
    }
    out.table(&table)
}

fn list(out: &mut Output, products: &[Product], search: &str, currency: &Currency) -> Result<()> {
    for product in products {
        out.json_record(product)?;
    }
    if products.is_empty() {
        return match search.trim() {
            "" => out.line("No products yet. Add one with: shopdesk product add --sku SKU --name NAME --price PRICE --stock N"),
            text => out.line(format_args!("No product matches “{}”.", quote(text))),
        };
    }
    let mut table = Table::new(&[
        ("ID", Align::Right),
        ("SKU", Align::Left),
        ("NAME", Align::Left),
        ("PRICE", Align::Right),
        ("STOCK", Align::Right),
        ("", Align::Left),
    ]);
    for product in products {
        table.row(vec![
            product.id.to_string(),
            product.sku.clone(),
            product.name.clone(),
            currency.format(product.price),
            product.stock.to_string(),
            if product.active { "" } else { "archived" }.to_string(),
        ]);
    }
    out.table(&table)
}
