//! `briefing`: a terminal browser for briefings written as TOML reports.
//!
//! The library holds everything but the process entry point, so tests can
//! build an `App`, drive it with actions and render it into a test backend.

pub mod action;
pub mod app;
pub mod atomic;
pub mod changes;
pub mod cli;
pub mod config;
pub mod convert;
pub mod doc;
pub mod error;
pub mod headless;
pub mod help;
pub mod history;
pub mod html;
pub mod input;
pub mod keymap;
pub mod labels;
pub mod later;
pub mod layout;
pub mod load;
pub mod look;
pub mod output;
pub mod plain;
pub mod report;
pub mod room;
pub mod script;
pub mod search;
pub mod serve;
pub mod session;
pub mod share;
pub mod state;
pub mod sys;
pub mod term;
pub mod text;
pub mod ui;
pub mod versions;
pub mod view;
pub mod watch;
