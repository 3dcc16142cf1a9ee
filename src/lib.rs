//! shopdesk: a keyboard-driven order desk for the terminal.
//!
//! Layers, top to bottom. `main.rs` picks an edge: `cli` (the command line)
//! or `tui` (the terminal app, which drives `app`, a pure state machine);
//! the edges never import one another, and what both need to begin (the
//! shop `--db` names, this counter's configuration) is `start`. The edges
//! call `store` (the only code that knows SQL), which speaks the types of
//! `domain` (the shop's rules, pure). Nothing below knows about anything
//! above it. Beside them, what the edges share: `demo`, `receipt`,
//! `printer`, `config`, `files`, `display`, `time_zone` and `sale_ids`.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod display;
pub mod domain;
pub mod files;
pub mod printer;
pub mod receipt;
pub mod sale_ids;
pub mod server;
pub mod start;
pub mod store;
pub mod time_zone;
pub mod tui;
