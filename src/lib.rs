//! `briefing`: a terminal browser for briefings written as TOML reports.
//!
//! The library holds everything but the process entry point, so tests can
//! build an `App`, drive it with actions and render it into a test backend.

pub mod action;
pub mod app;
pub mod atomic;
pub mod changes;
pub mod cli;
pub mod doc;
pub mod error;
pub mod keymap;
pub mod labels;
pub mod plain;
pub mod report;
pub mod search;
pub mod share;
pub mod state;
pub mod term;
pub mod text;
pub mod ui;
pub mod view;
mod watch;
