//! `sopctl preview`: the site on this computer, with the working copy's drafts, rebuilt when
//! an SOP changes (issue 20 item 7).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::cli::{CliError, Env, Ui};
use crate::publish::{preview, serve};

/// How many threads answer the preview's requests.
const SERVER_THREADS: usize = 4;

/// Arguments of `sopctl preview`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl preview                 http://127.0.0.1:8000/\n  sopctl preview --port 8080\n  sopctl preview --port 0        any free port\n\nThe site is built as `sopctl publish` builds it, in a temporary folder (never dist/), with the\nSOPs that have unreleased changes shown as drafts, marked DRAFT. Saving an SOP rebuilds what\nchanged and reloads the page in the browser. Ctrl-C stops it."
)]
pub struct PreviewArgs {
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The address to listen on; the default, 127.0.0.1, is reachable from this computer only
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
}

/// Builds the preview, serves it, and rebuilds it when a file of the repository changes,
/// until Ctrl-C.
///
/// # Errors
/// Outside a repository of SOPs; the port is taken; the first build fails.
pub fn run(env: &Env, ui: &mut Ui, args: &PreviewArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    if !ws.is_sop_repository() {
        return Err(super::new::not_a_repository());
    }
    super::templates_inside(&ws)?;
    let root = ws.root.clone();
    let out = crate::paths::output_setting(&ws).ok();
    let site = tempfile::Builder::new()
        .prefix("sopctl-preview-")
        .tempdir()
        .map_err(|e| CliError::new("cannot make a folder for the preview").cause(e.to_string()))?;
    let (server, port) = listen(ui, args)?;

    // Ctrl-C, and a terminal closed or `kill` (SIGHUP, SIGTERM), stop it cleanly from here on,
    // the first build included, so that its temporary folder is always removed.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .map_err(|e| CliError::new("cannot catch Ctrl-C").cause(e.to_string()))?;
    }
    ui.status("building the preview…");
    let first = preview::build(&ws, site.path(), &BTreeMap::new())
        .map_err(|e| CliError::new("cannot build the preview").cause(e.to_string()))?;
    report(ui, &first);
    drop(ws);
    let state: serve::Shared = Arc::new(RwLock::new(serve::State {
        site: site.path().to_path_buf(),
        drafts: first.drafts,
        problems: first.problems,
        generation: 1,
    }));
    let changed = Arc::new(AtomicBool::new(false));
    let _watcher = watch(&root, out.as_deref(), Arc::clone(&changed))?;

    let url = format!("http://{}:{port}/", show_host(args.bind));
    ui.line(&url)?;
    ui.status(&format!(
        "serving the preview at {url}: drafts are marked DRAFT; saving an SOP rebuilds it; Ctrl-C stops it"
    ));
    // Served only to pages asked for by this computer's own names (a page of another site
    // cannot reach the drafts through a name pointed at 127.0.0.1: DNS rebinding).
    let hosts: Vec<String> = if args.bind.is_loopback() {
        ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .map(|h| format!("{h}:{port}"))
            .collect()
    } else {
        Vec::new()
    };
    let watched = Watched {
        root: &root,
        site: site.path(),
        clock: env.clock,
        state: &state,
        stop: &stop,
    };
    let threads = answer_in_threads(server, &watched, hosts);
    rebuild_until_stopped(ui, &watched, &changed);
    for thread in threads {
        let _ = thread.join();
    }
    ui.status("stopped the preview");
    Ok(())
}

/// What the preview's loops share.
struct Watched<'a> {
    root: &'a std::path::Path,
    site: &'a std::path::Path,
    clock: crate::clock::Clock,
    state: &'a serve::Shared,
    stop: &'a Arc<AtomicBool>,
}

/// The server on `--bind`:`--port`, and the port it got (`--port 0`: any free one); warns when
/// other computers can reach it.
fn listen(ui: &mut Ui, args: &PreviewArgs) -> Result<(tiny_http::Server, u16), CliError> {
    let address = std::net::SocketAddr::new(args.bind, args.port);
    let server = tiny_http::Server::http(address).map_err(|e| {
        let in_use = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse);
        CliError::new(format!("cannot listen on {address}: {e}")).hint(if in_use {
            format!(
                "another program uses port {}: choose another, e.g.  sopctl preview --port {}  (or --port 0 for any free port)",
                args.port,
                args.port.saturating_add(1)
            )
        } else {
            format!(
                "{} is not an address of this computer: leave out --bind to listen on 127.0.0.1",
                args.bind
            )
        })
    })?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    if !args.bind.is_loopback() {
        ui.warning(&format!(
            "the preview, drafts included, can be reached from other computers at {}:{port}",
            args.bind
        ));
    }
    Ok((server, port))
}

/// A few threads answer, so that a slow client or a draft's PDF being made does not hold up
/// the other requests (the pages' reload polls among them).
fn answer_in_threads(
    server: tiny_http::Server,
    watched: &Watched<'_>,
    hosts: Vec<String>,
) -> Vec<std::thread::JoinHandle<()>> {
    let server = Arc::new(server);
    let hosts = Arc::new(hosts);
    (0..SERVER_THREADS)
        .map(|_| {
            let (server, hosts) = (Arc::clone(&server), Arc::clone(&hosts));
            let (root, clock) = (watched.root.to_path_buf(), watched.clock);
            let state = Arc::clone(watched.state);
            let stop = Arc::clone(watched.stop);
            std::thread::spawn(move || {
                let pdf = |id: &str| {
                    let ws = crate::workspace::Workspace::discover(&root, clock)
                        .map_err(|e| e.to_string())?;
                    preview::draft_pdf(&ws, id)
                };
                serve::serve(&server, &state, &stop, &pdf, &hosts);
            })
        })
        .collect()
}

/// Rebuilds the preview each time `changed` is set, until Ctrl-C; a failed rebuild keeps the
/// last good one and says why.
fn rebuild_until_stopped(ui: &mut Ui, watched: &Watched<'_>, changed: &AtomicBool) {
    while !watched.stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
        if !changed.swap(false, Ordering::SeqCst) {
            continue;
        }
        // An editor saves in several steps: wait for the last.
        std::thread::sleep(Duration::from_millis(60));
        changed.store(false, Ordering::SeqCst);
        let started = std::time::Instant::now();
        let previous = watched
            .state
            .read()
            .map(|s| s.drafts.clone())
            .unwrap_or_default();
        let built = crate::workspace::Workspace::discover(watched.root, watched.clock)
            .map_err(|e| e.to_string())
            .and_then(|ws| preview::build(&ws, watched.site, &previous).map_err(|e| e.to_string()));
        match built {
            Ok(build) => {
                ui.status(&format!(
                    "rebuilt in {} ms: {} made again",
                    started.elapsed().as_millis(),
                    build.rendered
                ));
                report(ui, &build);
                if let Ok(mut s) = watched.state.write() {
                    s.drafts = build.drafts;
                    s.problems = build.problems;
                    s.generation += 1;
                }
            }
            Err(e) => ui.warning(&format!("the preview was not rebuilt: {e}")),
        }
    }
}

/// The host part of the address shown: an IPv6 address in brackets.
fn show_host(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        std::net::IpAddr::V4(v4) => v4.to_string(),
    }
}

fn report(ui: &mut Ui, build: &preview::Build) {
    for problem in &build.problems {
        ui.warning(problem);
    }
}

/// Watches the repository (not `.git/` or the site folder `out`) and sets `changed` when a
/// file changes.
fn watch(
    root: &std::path::Path,
    out: Option<&std::path::Path>,
    changed: Arc<AtomicBool>,
) -> Result<notify::RecommendedWatcher, CliError> {
    use notify::Watcher;
    let git = root.join(".git");
    // A record made in git alone (a review, an approval: a commit that changes no file) moves
    // a branch or a tag: those changes count; the rest of `.git/` does not.
    let refs = [git.join("refs"), git.join("HEAD"), git.join("packed-refs")];
    let drafts = root.join("drafts");
    let out = out.map(std::path::Path::to_path_buf);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        let relevant = event.paths.iter().any(|p| {
            refs.iter()
                .any(|r| p.starts_with(r) && !p.ends_with(".lock"))
                || (!p.starts_with(&git)
                    && !p.starts_with(&drafts)
                    && out.as_ref().is_none_or(|o| !p.starts_with(o)))
        });
        if relevant {
            changed.store(true, Ordering::SeqCst);
        }
    })
    .map_err(|e| CliError::new("cannot watch the repository's files").cause(e.to_string()))?;
    watcher
        .watch(root, notify::RecursiveMode::Recursive)
        .map_err(|e| CliError::new("cannot watch the repository's files").cause(e.to_string()))?;
    Ok(watcher)
}
