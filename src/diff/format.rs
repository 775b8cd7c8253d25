//! The formats of a comparison (SPEC §6): text for the terminal, a unified diff that
//! `git apply` accepts, and JSON. Each is a pure function of the comparison. The PDF and HTML
//! redline are renditions ([`crate::render::redline`]).

use std::fmt::Write as _;

use super::words::Run;
use super::{DocDiff, SectionChange, SectionKind, UnitKind};

/// `a › b › c`, or `(before the first heading)`.
fn path_text(path: &[String]) -> String {
    if path.is_empty() {
        "(before the first heading)".to_string()
    } else {
        path.join(" › ")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line summary of the managed parts: `version 1.0 → 1.1, effective … → …`.
pub fn managed_line(diff: &DocDiff) -> Option<String> {
    let mut parts: Vec<String> = diff
        .managed
        .iter()
        .map(|c| {
            let show = |v: &str| {
                if v.is_empty() {
                    "(none)".to_string()
                } else {
                    v.to_string()
                }
            };
            format!("{} {} → {}", c.what, show(&c.from), show(&c.to))
        })
        .collect();
    if diff.history_changed {
        parts.push("revision history updated".to_string());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The closing count: sections changed, added, removed, moved; words inserted and deleted.
pub fn counts_line(diff: &DocDiff) -> String {
    let c = &diff.counts;
    let mut line = format!(
        "{} changed, {} added, {} removed, {} moved",
        plural(c.changed, "section", "sections"),
        c.added,
        c.removed,
        c.moved
    );
    if c.renamed > 0 {
        let _ = write!(line, ", {} renamed", c.renamed);
    }
    let _ = write!(
        line,
        "; {} inserted, {} deleted",
        plural(c.words_inserted, "word", "words"),
        plural(c.words_deleted, "word", "words")
    );
    if c.units_moved > 0 {
        let _ = write!(
            line,
            "; {} moved",
            plural(c.units_moved, "passage", "passages")
        );
    }
    line
}

fn heading(section: &SectionChange) -> String {
    let path = path_text(&section.path);
    match section.kind {
        SectionKind::Changed => path,
        SectionKind::Added => format!("{path}  (added)"),
        SectionKind::Removed => format!("{path}  (removed)"),
        SectionKind::Moved => format!("{path}  (moved)"),
        SectionKind::Renamed => {
            format!(
                "{path}  (renamed from \"{}\")",
                section
                    .old_path
                    .as_deref()
                    .map(path_text)
                    .unwrap_or_default()
            )
        }
    }
}

/// The text format. With `color`, deletions are red and struck through and insertions green and
/// underlined; without, they are marked `[-…-]` and `{+…+}`.
pub fn text(diff: &DocDiff, title: &str, color: bool) -> String {
    let del = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Red.into()))
        .strikethrough();
    let ins = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Green.into()))
        .underline();
    let bold = anstyle::Style::new().bold();
    let mut out = String::new();
    let _ = writeln!(out, "{title}: {} → {}", diff.from_label, diff.to_label);
    if let Some(line) = managed_line(diff) {
        let _ = writeln!(out, "  {line}");
    }
    if let Some(endings) = &diff.line_endings {
        let _ = writeln!(out, "  line endings {endings} (no change to the content)");
    }
    if diff.sections.is_empty() {
        let note = if diff.normalisation_only {
            "no textual change (Unicode normalisation only)"
        } else {
            "no change to the text (line breaks and spacing are not changes)"
        };
        let _ = writeln!(out, "\n{note}");
        return out;
    }
    for section in &diff.sections {
        if color {
            let _ = writeln!(out, "\n{bold}{}{bold:#}", heading(section));
        } else {
            let _ = writeln!(out, "\n{}", heading(section));
        }
        for unit in &section.units {
            let mut line = String::new();
            for run in &unit.runs {
                match (run, color) {
                    (Run::Equal(t), _) => line.push_str(t),
                    (Run::Delete(t), true) => line.push_str(&format!("{del}{t}{del:#}")),
                    (Run::Insert(t), true) => line.push_str(&format!("{ins}{t}{ins:#}")),
                    (Run::Delete(t), false) => line.push_str(&format!("[-{t}-]")),
                    (Run::Insert(t), false) => line.push_str(&format!("{{+{t}+}}")),
                }
            }
            let mark = match unit.kind {
                UnitKind::Added => "+",
                UnitKind::Removed => "-",
                UnitKind::Changed => "~",
                UnitKind::Moved => ">",
            };
            for (n, l) in line.trim_end_matches('\n').split('\n').enumerate() {
                let _ = writeln!(out, "  {} {l}", if n == 0 { mark } else { " " });
            }
            if let Some(from) = &unit.moved_from {
                let _ = writeln!(out, "    (moved from {})", path_text(from));
            }
        }
    }
    let _ = writeln!(out, "\n{}", counts_line(diff));
    out
}

/// A unified diff of the two files' text, with `a/` and `b/` paths, that `git apply` accepts.
pub fn unified(old_text: &str, new_text: &str, path: &str) -> String {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .diff_lines(old_text, new_text);
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// The comparison as JSON.
pub fn json(diff: &DocDiff) -> String {
    serde_json::to_string_pretty(diff).unwrap_or_else(|_| "{}".to_string())
}
