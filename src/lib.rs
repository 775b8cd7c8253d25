//! # sopctl
//!
//! Standard operating procedures (SOPs) in Markdown and git: checked, released under a semantic
//! version with a generated revision history, compared between versions, and published as PDF
//! and HTML. This crate is the library behind the `sopctl` command; the command line itself is
//! [`cli`], a thin layer over the stages below.
//!
//! ## The pipeline
//!
//! 1. **Find** — [`workspace`]: the root, the settings ([`config`], `sopctl.toml`), the git
//!    repository ([`repo`]) and today's date, counted in the repository's time zone
//!    ([`clock`]); lists the SOPs and finds one by ID or path.
//! 2. **Parse → model** — [`doc`]: a file's bytes become a [`doc::Sop`]: original text (kept for
//!    in-place edits), front matter with the place of every value, typed metadata, Markdown body.
//! 3. **Check** — [`check`]: the rules of `sopctl check`, as located findings.
//! 4. **Versions** — [`version`]: display form, parsing, bumps, semver ordering.
//!
//! Release, diff, rendering and publishing are stages still to come (see `CHANGELOG.md`).
//!
//! Two rules cut across the stages: [`paths`] keeps every place read or written on the
//! repository's behalf (the `docs` and `out` settings, `templates/`) inside the repository, and
//! [`shell`] quotes the text of documents and settings in the commands that hints show.
//!
//! The library prints nothing: it returns values and typed errors, and [`cli`] turns them into
//! output, messages with hints, and exit codes.

pub mod check;
pub mod cli;
pub mod clock;
pub mod config;
pub mod diff;
pub mod doc;
pub mod example;
pub mod fsx;
pub mod lifecycle;
pub mod model;
pub mod paths;
pub mod publish;
pub mod release;
pub mod render;
pub mod repo;
pub mod shell;
pub mod suggest;
pub mod templates;
pub mod version;
pub mod workspace;
