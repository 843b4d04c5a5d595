//! The shared test support (`testkit/`), plus the binary's path, which only
//! the tested crate knows.

#![allow(dead_code, unused_imports)]

pub use briefing_testkit::bytes::*;
pub use briefing_testkit::pty::*;
pub use briefing_testkit::seed::{THEMES, TITLE};

/// Path of the `briefing` binary that Cargo built for this integration test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_briefing")
}
