//! The benches' floor models (`benches/support/floor.rs`), tested here:
//! bench targets are built without `cfg(test)`, so their own tests never run.

#[path = "../benches/support/floor.rs"]
mod floor;
