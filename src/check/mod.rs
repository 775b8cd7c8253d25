//! CHECK: the rules of `sopctl check` (SPEC §4), which `release` and `approve` apply too.
//!
//! - [`document`]: the rules one document is checked against on its own.

pub mod document;
