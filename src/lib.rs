//! shopdesk: a keyboard-driven order desk for the terminal.
//!
//! Layers, top to bottom: `cli` (the command line) → `demo` → `store` (the
//! only code that knows SQL) → `domain` (the shop's rules, pure). Nothing
//! below knows about anything above it.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod display;
pub mod domain;
pub mod files;
pub mod printer;
pub mod receipt;
pub mod store;
pub mod time_zone;
pub mod tui;
