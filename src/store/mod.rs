//! The only code that knows SQL. Everything else speaks domain types to a
//! store; the SQLite one is in `sqlite/`.

mod error;
pub mod sqlite;

pub use sqlite::*;
