//! All terminal output goes through [`Ui`]: data to stdout, messages to stderr, colours only
//! when wanted (`--color`, `NO_COLOR`, a terminal), nothing but data with `-q`, and with `-v`
//! also what is read, written and decided.

use std::io::Write;

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};

use super::error::CliError;
use crate::doc::{Finding, Severity};

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorWhen {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The terminal.
pub struct Ui {
    out: AutoStream<std::io::Stdout>,
    err: AutoStream<std::io::Stderr>,
    quiet: bool,
    verbose: bool,
    color: ColorWhen,
    /// Set by `-o -`: standard output carries a file, so lines and findings go to stderr.
    stdout_is_file: bool,
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const HINT: Style = AnsiColor::Cyan.on_default().bold();
const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

impl Ui {
    /// A terminal with the given colour choice; `quiet` silences messages (not data), `verbose`
    /// adds what is read, written and decided ([`Ui::verbose`]).
    pub fn new(color: ColorWhen, quiet: bool, verbose: bool) -> Ui {
        let choice = match color {
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
            ColorWhen::Auto => anstream::ColorChoice::Auto,
        };
        Ui {
            out: AutoStream::new(std::io::stdout(), choice),
            err: AutoStream::new(std::io::stderr(), choice),
            quiet,
            verbose: verbose && !quiet,
            color,
            stdout_is_file: false,
        }
    }

    /// From now on standard output carries a file (`-o -`): [`Ui::line`] and [`Ui::finding`]
    /// write to stderr instead, so that nothing but the file's bytes reaches stdout.
    pub fn give_stdout_to_file(&mut self) {
        self.stdout_is_file = true;
    }

    /// Writes a line of data to stdout (to stderr after [`Ui::give_stdout_to_file`]).
    ///
    /// # Errors
    /// A [`CliError`] that exits quietly when the reader closed the pipe.
    pub fn line(&mut self, text: &str) -> Result<(), CliError> {
        if self.stdout_is_file {
            writeln!(self.err, "{text}")?;
        } else {
            writeln!(self.out, "{text}")?;
        }
        Ok(())
    }

    /// Writes data to stdout byte for byte: a PDF, a document's source, a script. It bypasses
    /// the colour filter, which takes out whatever looks like a colour code when colour is off
    /// and so would damage binary data (and a document holding an escape character).
    ///
    /// # Errors
    /// As [`Ui::line`].
    pub fn raw(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.out.flush()?;
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(bytes)?;
        stdout.flush()?;
        Ok(())
    }

    /// Writes a finding (`file:line:col: error: message`) to stdout (to stderr after
    /// [`Ui::give_stdout_to_file`]).
    ///
    /// # Errors
    /// As [`Ui::line`].
    pub fn finding(&mut self, f: &Finding) -> Result<(), CliError> {
        let style = match f.severity {
            Severity::Error => ERROR,
            Severity::Warning => WARNING,
        };
        let out: &mut dyn Write = if self.stdout_is_file {
            &mut self.err
        } else {
            &mut self.out
        };
        writeln!(
            out,
            "{BOLD}{}:{}:{}:{BOLD:#} {style}{}:{style:#} {}",
            f.path.display(),
            f.location.line,
            f.location.column,
            f.severity,
            f.message
        )?;
        Ok(())
    }

    /// The `--color` choice.
    pub fn color(&self) -> ColorWhen {
        self.color
    }

    /// Whether `-q` was given.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Whether `-v` was given.
    pub fn is_verbose(&self) -> bool {
        self.verbose
    }

    /// With `-v`: what is read, written or decided, on stderr.
    pub fn verbose(&mut self, text: &str) {
        if self.verbose {
            let _ = writeln!(self.err, "{DIM}{text}{DIM:#}");
        }
    }

    /// A message for the user on stderr (not shown with `-q`).
    pub fn status(&mut self, text: &str) {
        if !self.quiet {
            let _ = writeln!(self.err, "{text}");
        }
    }

    /// A warning on stderr (not shown with `-q`).
    pub fn warning(&mut self, text: &str) {
        if !self.quiet {
            let _ = writeln!(self.err, "{WARNING}warning:{WARNING:#} {text}");
        }
    }

    /// A hint on stderr (not shown with `-q`).
    pub fn hint(&mut self, text: &str) {
        if !self.quiet {
            let _ = writeln!(self.err, "{HINT}hint:{HINT:#} {text}");
        }
    }

    /// An error with its causes and hints on stderr (always shown).
    pub fn error(&mut self, e: &CliError) {
        if e.message.is_empty() {
            return;
        }
        let _ = writeln!(self.err, "{ERROR}error:{ERROR:#} {}", e.message);
        for cause in &e.causes {
            let _ = writeln!(self.err, "  caused by: {cause}");
        }
        for hint in &e.hints {
            let _ = writeln!(self.err, "{HINT}hint:{HINT:#} {hint}");
        }
    }
}

/// Lines of a text table: left-aligned columns two spaces apart, widths in characters,
/// trailing spaces trimmed. Control characters in a cell (a release summary from someone's
/// tag may hold an escape sequence that would clear or recolour the terminal) show as U+FFFD.
pub fn table(header: &[String], rows: &[Vec<String>]) -> Vec<String> {
    let shown = |cell: &String| -> String {
        cell.chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect()
    };
    let header: Vec<String> = header.iter().map(shown).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(shown).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    std::iter::once(header.as_slice())
        .chain(rows.iter().map(Vec::as_slice))
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect()
}
