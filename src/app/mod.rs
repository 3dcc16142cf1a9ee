//! The app as a pure state machine: `update(&mut state, action)` is the
//! only thing that changes [`AppState`]; anything slow or fallible leaves
//! as an [`Effect`] and comes back as an [`Action`]. Nothing here touches
//! the terminal, the clock or the database.
//!
//! What happens when a key is pressed: `keys::action_for` looks the key up
//! in the one key table and returns an action; `update` changes the state
//! and returns effects; `tui::effects` runs them against the store and feeds
//! the results back as actions; `tui::screens` draws the new state.

pub mod action;
pub mod effect;
pub mod form;
pub mod keys;
pub mod list;
pub mod lookup;
pub mod state;
pub mod text_field;
mod update;

mod customers;
mod history;
mod order_entry;
mod order_status;
mod products;

pub use action::{Action, Command, Refusal};
pub use effect::{Effect, ListQuery, PrintJob};
pub use lookup::SUGGESTIONS;
pub use order_entry::{change_due, item_count, scan_is_empty, totals};
pub use state::{AppState, Message, Popup, Screen};
pub use update::{needs_search_answers, update};
