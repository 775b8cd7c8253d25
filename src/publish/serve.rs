//! Serving the preview over HTTP on this computer (issue 20 item 7), with tiny_http: the
//! files of the preview's site folder, the drafts from memory ([`super::preview`]), and a small
//! script in every page that reloads it when a rebuild finishes
//! (`/__sopctl/generation` changes). Only `GET` and `HEAD`; a path that leads out of the site
//! folder is not found.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::preview::{self, Draft};

/// What the server shows, replaced after each rebuild.
#[derive(Debug, Default)]
pub struct State {
    /// The preview's site folder.
    pub site: PathBuf,
    /// The drafts, by ID.
    pub drafts: BTreeMap<String, Draft>,
    /// What the last build could not do, one message each ([`preview::Build::problems`]).
    pub problems: Vec<String>,
    /// Counts the builds; a page reloads when it changes.
    pub generation: u64,
}

/// The state shared by the rebuilding thread and the server.
pub type Shared = Arc<RwLock<State>>;

/// The address polled by the pages for the build's number.
pub const GENERATION: &str = "/__sopctl/generation";

/// The script every served page gets: polls [`GENERATION`] and reloads the page when it
/// changes.
const RELOAD: &str = "<script>(function(){var seen=null;function poll(){fetch(\"/__sopctl/generation\",{cache:\"no-store\"}).then(function(r){return r.text();}).then(function(t){if(seen===null){seen=t;}else if(t!==seen){location.reload();return;}setTimeout(poll,250);}).catch(function(){setTimeout(poll,1000);});}poll();})();</script>\n";

/// The note at the top of every served page.
const BANNER: &str = "<p class=\"preview-banner\" role=\"note\"><strong>Preview on this computer, not the published site.</strong> Drafts are shown for review only.</p>\n";

/// Answers requests on `server` from `state` until `stop` is set; the PDF of a draft is made
/// by `draft_pdf` (given the ID) when asked for. When `hosts` is not empty, a request whose
/// `Host` is none of them (`127.0.0.1:8000`, `localhost:8000`) is refused (403), so that a
/// page of another site cannot read the drafts through a name pointed at 127.0.0.1.
pub fn serve(
    server: &tiny_http::Server,
    state: &Shared,
    stop: &AtomicBool,
    draft_pdf: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    hosts: &[String],
) {
    while !stop.load(Ordering::SeqCst) {
        let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(100)) else {
            continue;
        };
        let host_ok = hosts.is_empty()
            || request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Host"))
                .is_some_and(|h| {
                    hosts
                        .iter()
                        .any(|a| h.value.as_str().eq_ignore_ascii_case(a))
                });
        let response = if host_ok {
            answer(&request, state, draft_pdf)
        } else {
            respond(
                403,
                "text/plain; charset=utf-8",
                b"the preview answers only to this computer's own addresses".to_vec(),
            )
        };
        let _ = request.respond(response);
    }
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

fn respond(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    for (name, value) in [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
    ] {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    response
}

fn not_found(path: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><main><h1>Not found</h1><p>The preview has no page {}. <a href=\"/index.html\">All SOPs</a></p></main></body></html>",
        crate::render::html::escape(path)
    );
    respond(404, "text/html; charset=utf-8", body.into_bytes())
}

fn answer(
    request: &tiny_http::Request,
    state: &Shared,
    draft_pdf: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Response {
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        return respond(
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD".to_vec(),
        );
    }
    let raw = request.url().split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned();
    let Ok(state) = state.read() else {
        return respond(
            500,
            "text/plain; charset=utf-8",
            b"the preview stopped".to_vec(),
        );
    };
    if path == GENERATION {
        return respond(
            200,
            "text/plain; charset=utf-8",
            state.generation.to_string().into_bytes(),
        );
    }
    if let Some(rest) = path.strip_prefix("/drafts/") {
        let Some((id, name)) = rest.split_once('/') else {
            return not_found(&path);
        };
        let Some(draft) = state.drafts.get(id) else {
            return not_found(&path);
        };
        if name == format!("{id}-working-copy.html") {
            return respond(200, "text/html; charset=utf-8", page(&draft.html, None));
        }
        if name == format!("{id}-working-copy.pdf") {
            let id = id.to_string();
            drop(state);
            return match draft_pdf(&id) {
                Ok(pdf) => respond(200, "application/pdf", pdf),
                Err(e) => respond(500, "text/plain; charset=utf-8", e.into_bytes()),
            };
        }
        return not_found(&path);
    }
    let Some(mut file) = inside(&state.site, &path) else {
        return not_found(&path);
    };
    if file.is_dir() {
        file.push("index.html");
    }
    let Ok(bytes) = std::fs::read(&file) else {
        return not_found(&path);
    };
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        let front = file == state.site.join("index.html");
        let drafts = front.then(|| preview::drafts_section(&state.drafts, &state.problems));
        return respond(200, kind, page(&bytes, drafts.as_deref()));
    }
    respond(200, kind, bytes)
}

/// The file of the site that `path` (a URL path, decoded) names, or `None` for a path that
/// would lead out of the site folder.
fn inside(site: &Path, path: &str) -> Option<PathBuf> {
    let mut file = site.to_path_buf();
    for part in Path::new(path.trim_start_matches('/')).components() {
        match part {
            Component::Normal(name) => file.push(name),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(file)
}

/// A page as served: the preview's note after `<body>`, `drafts` (the front page's drafts
/// section) after `<main>`, the reload script before `</body>`.
fn page(html: &[u8], drafts: Option<&str>) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(html).into_owned();
    // After the body's start tag, whatever its attributes (`<body class="status-draft">`).
    if let Some(open) = text.find("<body")
        && let Some(end) = text[open..].find('>')
    {
        text.insert_str(open + end + 1, &format!("\n{BANNER}"));
    }
    if let Some(section) = drafts
        && let Some(at) = text.find("<main>")
    {
        text.insert_str(at + "<main>".len(), &format!("\n{section}"));
    }
    match text.rfind("</body>") {
        Some(at) => text.insert_str(at, RELOAD),
        None => text.push_str(RELOAD),
    }
    text.into_bytes()
}

/// The media type of a site file, by its extension.
fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        let site = Path::new("/tmp/site");
        assert_eq!(
            inside(site, "/SOP-1/index.html"),
            Some(PathBuf::from("/tmp/site/SOP-1/index.html"))
        );
        assert_eq!(inside(site, "/../etc/passwd"), None);
        assert_eq!(inside(site, "/SOP-1/../../x"), None);
        assert_eq!(inside(site, "/"), Some(PathBuf::from("/tmp/site")));
    }

    #[test]
    fn a_rendition_gets_the_note_after_its_body_tag() {
        let served = String::from_utf8(page(
            b"<html><body class=\"status-draft\">\n<p>x</p></body></html>",
            None,
        ))
        .expect("utf-8");
        assert!(served.starts_with(&format!(
            "<html><body class=\"status-draft\">\n{BANNER}\n<p>x</p>"
        )));
    }

    #[test]
    fn a_page_gets_the_note_the_drafts_and_the_reload_script() {
        let served = String::from_utf8(page(
            b"<html><body>\n<main>\n<p>x</p>\n</main>\n</body></html>",
            Some("<section>drafts</section>"),
        ))
        .expect("utf-8");
        assert!(served.starts_with(&format!(
            "<html><body>\n{BANNER}\n<main>\n<section>drafts</section>\n<p>x</p>"
        )));
        assert!(served.ends_with(&format!("</main>\n{RELOAD}</body></html>")));
    }
}
