//! `sopctl man`: the manual pages, in roff.
//!
//! clap_mangen writes the title, name, synopsis, description and options of each page; the
//! rest is written here, because clap_mangen prints the help's closing text as one paragraph
//! that `man` reflows, which runs the example command lines together. Here the examples stay
//! as they are typed (no-fill mode), the notes are paragraphs, and the main page's SEE ALSO
//! names only the pages that are written with it.

use std::path::PathBuf;

use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::{CliError, Env, Ui};
use crate::fsx;

/// Arguments of `sopctl man`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl man | man -l -\n  sopctl man --dir ~/.local/share/man/man1     sopctl.1, sopctl-release.1, …\n  man sopctl-release\n\nWithout --dir, the main page is printed. With --dir, the folder gets the main page and one\npage per command, each named after it (sopctl-release.1 for sopctl release)."
)]
pub struct ManArgs {
    /// Write the main page and one page per command into this folder (created if need be)
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

/// Prints the main page, or writes every page into `--dir` and prints their paths.
///
/// # Errors
/// A folder that cannot be made or written; stdout closed.
pub fn run(env: &Env, ui: &mut Ui, args: &ManArgs) -> Result<(), CliError> {
    let mut cmd = crate::cli::command().disable_help_subcommand(true);
    cmd.build();
    let subcommands: Vec<clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    let Some(dir) = &args.dir else {
        return ui.raw(&page(&cmd, &subcommands, &[])?);
    };
    let dir = env.cwd.join(dir);
    fsx::create_dir_all(&dir)?;
    let names: Vec<String> = subcommands
        .iter()
        .map(|s| format!("sopctl-{}", s.get_name()))
        .collect();
    let mut written = Vec::new();
    for (sub, name) in subcommands.iter().zip(&names) {
        let path = dir.join(format!("{name}.1"));
        ui.verbose(&format!("writing {}", path.display()));
        fsx::write_atomic(&path, &page(sub, &[], &["sopctl".to_string()])?)?;
        written.push(path);
    }
    let main = dir.join("sopctl.1");
    ui.verbose(&format!("writing {}", main.display()));
    fsx::write_atomic(&main, &page(&cmd, &subcommands, &names)?)?;
    written.insert(0, main);
    for path in &written {
        ui.line(
            &crate::fsx::display_relative(path, &env.cwd)
                .display()
                .to_string(),
        )?;
    }
    ui.status(&format!(
        "wrote {} manual pages; read one with  man -l {}",
        written.len(),
        crate::shell::quote_path(&crate::fsx::display_relative(
            &dir.join("sopctl-release.1"),
            &env.cwd
        ))
    ));
    Ok(())
}

/// One manual page: `cmd` (built), the `commands` it lists (the main page), and the pages
/// named under SEE ALSO.
fn page(
    cmd: &clap::Command,
    commands: &[clap::Command],
    see_also: &[String],
) -> Result<Vec<u8>, CliError> {
    let man = clap_mangen::Man::new(cmd.clone().after_help(None::<&str>));
    let mut out = Vec::new();
    let failed =
        |e: std::io::Error| CliError::new("cannot make the manual page").cause(e.to_string());
    man.render_title(&mut out).map_err(failed)?;
    // Each section comes with roff's preamble; the page needs it once.
    let preamble = Roff::new().render();
    let mut section = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut bytes = Vec::new();
        render(&mut bytes)?;
        out.extend_from_slice(
            bytes
                .strip_prefix(preamble.as_bytes())
                .unwrap_or(bytes.as_slice()),
        );
        Ok(())
    };
    section(&|w| man.render_name_section(w)).map_err(failed)?;
    section(&|w| man.render_synopsis_section(w)).map_err(failed)?;
    section(&|w| man.render_description_section(w)).map_err(failed)?;
    section(&|w| man.render_options_section(w)).map_err(failed)?;
    let mut roff = Roff::new();
    if !commands.is_empty() {
        roff.control("SH", ["COMMANDS"]);
        for sub in commands {
            roff.control("TP", []);
            roff.text([bold(format!("sopctl {}", sub.get_name()))]);
            if let Some(about) = sub.get_about() {
                roff.text([roman(about.to_string())]);
            }
        }
        roff.control("SH", ["EXIT STATUS"]);
        roff.text([roman(
            "0 on success; 1 when sopctl refuses or check finds errors; 2 for a usage error.",
        )]);
    }
    closing_text(&mut roff, cmd);
    roff.control("SH", ["VERSION"]);
    roff.text([roman(format!("v{}", env!("CARGO_PKG_VERSION")))]);
    if !see_also.is_empty() {
        roff.control("SH", ["SEE ALSO"]);
        // Page names are typed as they are shown: never hyphenated at a line's end.
        roff.control("nh", []);
        let mut refs = Vec::new();
        for (i, name) in see_also.iter().enumerate() {
            refs.push(bold(name.as_str()));
            let sep = if i + 1 == see_also.len() { "" } else { ", " };
            refs.push(roman(format!("(1){sep}")));
        }
        roff.text(refs);
    }
    out.extend_from_slice(roff.to_roff().as_bytes());
    Ok(out)
}

/// The help's closing text (`after_help`): the examples under EXAMPLES as typed, the other
/// paragraphs under NOTES. A block whose lines are indented is kept line for line.
fn closing_text(roff: &mut Roff, cmd: &clap::Command) {
    let text = cmd
        .get_after_help()
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut examples = Vec::new();
    let mut notes = Vec::new();
    for block in text.split("\n\n") {
        match block.strip_prefix("Examples:\n") {
            Some(lines) => examples.push(lines.to_string()),
            None if !block.trim().is_empty() => notes.push(block.to_string()),
            None => {}
        }
    }
    let mut blocks = |heading: &str, blocks: &[String]| {
        if blocks.is_empty() {
            return;
        }
        roff.control("SH", [heading]);
        for block in blocks {
            roff.control("PP", []);
            if block.lines().any(|l| l.starts_with(' ')) {
                roff.control("nf", []);
                for line in block.lines() {
                    roff.text([roman(line)]);
                }
                roff.control("fi", []);
            } else {
                roff.text([roman(block.replace('\n', " "))]);
            }
        }
    };
    blocks("NOTES", &notes);
    blocks("EXAMPLES", &examples);
}
