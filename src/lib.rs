//! # sopctl
//!
//! Standard operating procedures (SOPs) in Markdown and git: checked, released under a semantic
//! version with a generated revision history, compared between versions, and published as PDF
//! and HTML. This crate is the library behind the `sopctl` command; the command line itself is
//! [`cli`], a thin layer over the stages below.
//!
//! ## The pipeline
//!
//! The folders of `src/` are the stages a document passes through, in this order:
//!
//! 1. **Find** — [`workspace`]: the root, the settings ([`config`], `sopctl.toml`), the git
//!    repository ([`repo`]) and today's date, counted in the repository's time zone
//!    ([`clock`]); lists the SOPs and finds one by ID or path.
//! 2. **Parse** — [`doc`]: a file's bytes become a [`doc::Sop`]: original text (kept for
//!    in-place edits), front matter with the place of every value, typed metadata, Markdown body;
//!    what a link destination is ([`doc::links`]).
//! 3. **Model** — [`model`]: the body converted once into owned blocks and inlines with their
//!    heading anchors, shared by every output and by the diff.
//! 4. **Check** — [`check`]: every rule of `sopctl check`, as located findings; `release` and
//!    `approve` refuse on exactly the errors it reports ([`check::errors_of`]).
//! 5. **Release** — [`release`]: plan (named `verify_*` steps, every refusal at once), then
//!    apply as one git transaction; [`lifecycle`]: approvals, reviews, retirement;
//!    [`version`]: display form, parsing, bumps.
//! 6. **Diff** — [`diff`]: two versions compared as documents, one formatter per output.
//! 7. **Layout / render** — [`render`]: a [`render::RenderJob`] (made by
//!    [`render::RenderJob::new`]) becomes the self-contained HTML, or the PDF: layout into
//!    pages of positioned items, then the writer, the one user of printpdf.
//! 8. **Publish** — [`publish`]: the static site from the release records.
//! 9. **Verify** — [`verify`]: the inspector's check of the record (tags, signatures,
//!    approvals, revision histories) and of a downloaded PDF or HTML copy; [`people`]: the
//!    registry of who may sign, with their keys.
//!
//! Rules that cut across the stages have one home each: [`paths`] keeps every place read or
//! written on the repository's behalf inside it and guards the output folders and files;
//! [`suggest`] finds the "did you mean …?"; [`shell`] quotes the text of documents and settings
//! in the commands that hints show; [`fsx`] does file I/O whose errors name the path;
//! [`templates`] holds the built-in templates and the repository's overrides; [`example`]
//! makes the bundled example.
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
pub mod people;
pub mod publish;
pub mod release;
pub mod render;
pub mod repo;
pub mod shell;
pub mod suggest;
pub mod templates;
pub mod training;
pub mod verify;
pub mod version;
pub mod workspace;
