//! The shop's rules as pure Rust: money, customers, products, orders.
//!
//! Nothing here does I/O or knows about SQL or the terminal: callers pass the
//! clock in (`now`) and get values back, so every rule is unit tested here and
//! shared unchanged by the command line, the app and the store.

pub mod config;
pub mod customer;
pub mod error;
pub mod money;
pub mod order;
pub mod product;
pub mod settings;
pub mod text;
pub mod timestamp;

pub use error::{Error, ErrorClass, Shortage};
pub use money::{Cents, Currency, Money};
