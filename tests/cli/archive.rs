//! The PDF for archives and screen readers (issue 19 items 1 and 2): PDF/A-2 clause by clause
//! (read with lopdf: header, XMP against the information dictionary, output intent, fonts,
//! annotations) and the PDF/UA structure tree as poppler prints it (`pdfinfo -struct-text`),
//! on the example and on every Markdown field case; a DRAFT's words read in order with nothing
//! of the watermark (`pdftotext`).

use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Document, Object};

use crate::harness::{DANA, TestEnv, example, fixture};
use crate::pdf::{tool, words};

/// The example released as 1.0 with the QA Manager's approval (Dana's).
fn released_example() -> TestEnv {
    let env = TestEnv::repo();
    let text = String::from_utf8(example()).expect("UTF-8").replace(
        "review_interval: quarterly\n",
        "review_interval: quarterly\napprovers: [QA Manager]\n",
    );
    env.write("sops/privacy.md", text);
    env.commit("Add the privacy SOP");
    env.run_in(
        &env.root,
        &["approve", "--role", "QA Manager", "-m", "Checked"],
        &DANA,
    )
    .expect_code(0);
    env.run(&["release", "-m", "First"]).expect_code(0);
    env
}

/// A PDF text string as Rust text (UTF-16BE with its byte-order mark, or PDFDocEncoding's
/// ASCII).
fn text(object: &Object) -> String {
    let bytes = object.as_str().expect("a string");
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => String::from_utf16(
            &utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .expect("UTF-16"),
        None => String::from_utf8(bytes.to_vec()).expect("ASCII"),
    }
}

/// The text of the first XMP element `name` (`dc:title`'s `rdf:li`, `xmp:CreateDate`), its
/// entities decoded.
fn xmp_value(xmp: &str, name: &str) -> String {
    let start = xmp
        .find(&format!("<{name}>"))
        .unwrap_or_else(|| panic!("no {name} in the XMP:\n{xmp}"));
    let body = &xmp[start + name.len() + 2..];
    let end = body.find(&format!("</{name}>")).expect("closed");
    let mut value = &body[..end];
    // A language alternative or a sequence: the first item.
    if let Some(i) = value.find("<rdf:li") {
        let item = &value[i..];
        let open = item.find('>').expect("li") + 1;
        value = &item[open..item.find("</rdf:li>").expect("li closed")];
    }
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// `D:20261116000000+00'00'` as XMP writes it: `2026-11-16T00:00:00+00:00`.
fn xmp_date(pdf_date: &str) -> String {
    let d = pdf_date.strip_prefix("D:").expect("a PDF date");
    format!(
        "{}-{}-{}T{}:{}:{}+00:00",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14]
    )
}

fn dict<'a>(pdf: &'a Document, object: &'a Object) -> &'a Dictionary {
    match object {
        Object::Reference(id) => pdf.get_dictionary(*id).expect("a dictionary"),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

#[test]
fn the_pdf_is_pdf_a_2a_and_pdf_ua_1_by_its_metadata() {
    let env = released_example();
    let path = env.path("dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf");
    let bytes = std::fs::read(&path).expect("pdf");
    // §6.1.2: the header, then a comment of four bytes above 127.
    assert!(bytes.starts_with(b"%PDF-1.7\n%"), "{:?}", &bytes[..12]);
    assert!(bytes[10..14].iter().all(|b| *b > 127));
    let pdf = Document::load_mem(&bytes).expect("lopdf reads it");
    // §6.1.3: an ID, no encryption.
    assert!(pdf.trailer.get(b"ID").is_ok());
    assert!(pdf.trailer.get(b"Encrypt").is_err());
    let catalog = pdf.catalog().expect("catalog");
    let info = dict(&pdf, pdf.trailer.get(b"Info").expect("Info"));

    // §6.6.2: an unfiltered XMP stream.
    let metadata = catalog
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .expect("/Metadata");
    let stream = pdf
        .get_object(metadata)
        .and_then(Object::as_stream)
        .expect("stream");
    assert!(
        stream.dict.get(b"Filter").is_err(),
        "the XMP is not filtered"
    );
    assert_eq!(
        stream.dict.get(b"Subtype").and_then(Object::as_name).ok(),
        Some(&b"XML"[..])
    );
    let xmp = String::from_utf8(stream.content.clone()).expect("UTF-8 XMP");
    assert!(xmp.starts_with("<?xpacket begin=\"\u{feff}\""), "{xmp}");
    assert!(xmp.ends_with("<?xpacket end=\"w\"?>"));

    // §6.6.3: the XMP says what the information dictionary says.
    let info_text = |key: &[u8]| text(info.get(key).expect("an Info key"));
    assert_eq!(
        info_text(b"Title"),
        "SOP-IT-001 Verifying Claude.ai Privacy Settings"
    );
    assert_eq!(xmp_value(&xmp, "dc:title"), info_text(b"Title"));
    assert_eq!(xmp_value(&xmp, "dc:creator"), info_text(b"Author"));
    assert_eq!(xmp_value(&xmp, "dc:description"), info_text(b"Subject"));
    assert_eq!(xmp_value(&xmp, "pdf:Keywords"), info_text(b"Keywords"));
    assert_eq!(xmp_value(&xmp, "pdf:Producer"), info_text(b"Producer"));
    assert_eq!(xmp_value(&xmp, "xmp:CreatorTool"), info_text(b"Creator"));
    assert_eq!(
        xmp_value(&xmp, "xmp:CreateDate"),
        xmp_date(&info_text(b"CreationDate"))
    );
    assert_eq!(
        xmp_value(&xmp, "xmp:ModifyDate"),
        xmp_date(&info_text(b"ModDate"))
    );
    // §6.6.4 and PDF/UA-1 §5: what the file claims to be; sopctl's identity, declared.
    assert_eq!(xmp_value(&xmp, "pdfaid:part"), "2");
    assert_eq!(xmp_value(&xmp, "pdfaid:conformance"), "A");
    assert_eq!(xmp_value(&xmp, "pdfuaid:part"), "1");
    assert_eq!(xmp_value(&xmp, "sop:ID"), info_text(b"SOP-ID"));
    assert_eq!(xmp_value(&xmp, "sop:Version"), "1.0");
    assert_eq!(xmp_value(&xmp, "sop:Status"), info_text(b"SOP-Status"));
    for prefix in ["pdfuaid", "sop"] {
        assert!(
            xmp.contains(&format!("<pdfaSchema:prefix>{prefix}</pdfaSchema:prefix>")),
            "{prefix} is declared in an extension schema"
        );
    }

    // §6.2.3: one PDF/A output intent with an sRGB ICC profile.
    let intents = catalog
        .get(b"OutputIntents")
        .and_then(Object::as_array)
        .expect("/OutputIntents");
    assert_eq!(intents.len(), 1);
    let intent = dict(&pdf, &intents[0]);
    assert_eq!(
        intent.get(b"S").and_then(Object::as_name).ok(),
        Some(&b"GTS_PDFA1"[..])
    );
    assert_eq!(
        text(
            intent
                .get(b"OutputConditionIdentifier")
                .expect("identifier")
        ),
        "sRGB IEC61966-2.1"
    );
    let profile = intent
        .get(b"DestOutputProfile")
        .and_then(Object::as_reference)
        .expect("profile");
    let mut profile = pdf
        .get_object(profile)
        .and_then(Object::as_stream)
        .expect("profile stream")
        .clone();
    assert_eq!(
        profile.dict.get(b"N").and_then(Object::as_i64).ok(),
        Some(3)
    );
    profile.decompress().expect("inflates");
    assert_eq!(&profile.content[36..40], b"acsp", "an ICC profile");
    assert_eq!(&profile.content[16..20], b"RGB ");

    // PDF/UA-1: tagged, titled, in a language.
    let mark_info = dict(&pdf, catalog.get(b"MarkInfo").expect("/MarkInfo"));
    assert_eq!(
        mark_info.get(b"Marked").and_then(Object::as_bool).ok(),
        Some(true)
    );
    let preferences = dict(
        &pdf,
        catalog.get(b"ViewerPreferences").expect("preferences"),
    );
    assert_eq!(
        preferences
            .get(b"DisplayDocTitle")
            .and_then(Object::as_bool)
            .ok(),
        Some(true)
    );
    assert_eq!(text(catalog.get(b"Lang").expect("/Lang")), "en");
    assert!(catalog.get(b"StructTreeRoot").is_ok());

    // §6.2.11: every font embedded, with a ToUnicode map; §6.3.2 and PDF/UA-1 §7.18: every
    // annotation printed, in the structure and described; every page's tab order follows it.
    let mut fonts = 0;
    let mut annotations = 0;
    for object in pdf.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        match d.get(b"Type").and_then(Object::as_name).ok() {
            Some(b"Font") if d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0") => {
                fonts += 1;
                assert!(d.get(b"ToUnicode").is_ok(), "{d:?}");
            }
            Some(b"FontDescriptor") => assert!(d.get(b"FontFile2").is_ok(), "{d:?}"),
            Some(b"Annot") => {
                annotations += 1;
                assert_eq!(d.get(b"F").and_then(Object::as_i64).ok(), Some(4), "{d:?}");
                assert!(d.get(b"StructParent").is_ok(), "{d:?}");
                assert!(!text(d.get(b"Contents").expect("/Contents")).is_empty());
            }
            _ => {}
        }
    }
    assert!(fonts >= 3, "{fonts} fonts");
    assert!(
        annotations >= 20,
        "{annotations} annotations: the contents and the links"
    );
    for page in pdf.page_iter() {
        let page = pdf.get_dictionary(page).expect("page");
        assert_eq!(
            page.get(b"Tabs").and_then(Object::as_name).ok(),
            Some(&b"S"[..])
        );
        assert!(page.get(b"StructParents").is_ok());
    }
    let info = tool("pdfinfo", &[path.to_str().expect("path")]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("Encrypted:       no"), "{info}");
    assert!(info.contains("PDF version:     1.7"), "{info}");
}

/// The structure tree as `pdfinfo -struct-text` prints it, one line each, trimmed.
fn structure(pdf: &Path) -> Vec<String> {
    tool("pdfinfo", &["-struct-text", pdf.to_str().expect("path")])
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_example_reads_in_order_with_a_screen_readers_structure() {
    let env = released_example();
    let lines = structure(&env.path("dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf"));
    let head: Vec<&str> = lines.iter().take(9).map(String::as_str).collect();
    assert_eq!(
        head,
        [
            "Document",
            "H1 (block)",
            "\"Verifying Claude.ai Privacy Settings\"",
            "Table (block)",
            "TR",
            "TH:",
            "/Scope /Row",
            "\"ID\"",
            "TD",
        ]
    );
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l == needle)
            .unwrap_or_else(|| panic!("{needle} is not in the structure:\n{}", lines.join("\n")))
    };
    // The approvals as a table with column headers, the contents as entries that link.
    let approvals = at("\"APPROVALS\"");
    assert_eq!(lines[approvals + 1], "Table (block)");
    assert_eq!(lines[approvals + 2], "TR");
    assert_eq!(lines[approvals + 3], "TH:");
    assert_eq!(lines[approvals + 4], "/Scope /Column");
    assert_eq!(lines[approvals + 5], "\"Name\"");
    let contents = at("TOC");
    assert_eq!(
        lines[contents + 1..contents + 5],
        ["TOCI", "Link (inline)", "\"Purpose\"", "\"1\""]
    );
    // The body in reading order: heading, paragraph (words kept apart at line ends), a list
    // item's label and body, a link inside it.
    let purpose = at("H2 (block)");
    assert_eq!(
        lines[purpose..purpose + 4],
        [
            "H2 (block)",
            "\"Purpose\"",
            "P (block)",
            "\"Guide users through verifying their Claude.ai privacy settings to ensure their information is not used to train AI models\""
        ]
    );
    let step = at("\"Navigate to \"");
    assert_eq!(
        lines[step - 5..step],
        [
            "LI (block)",
            "Lbl (block)",
            "\"2.\"",
            "LBody (block)",
            "P (block)"
        ]
    );
    assert_eq!(
        lines[step + 1..step + 3],
        ["Link (inline)", "\"https://claude.ai\""]
    );
    assert!(
        lines[step + 3].starts_with("Object "),
        "{}",
        lines[step + 3]
    );
    // Nothing of the page furniture is content.
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("Uncontrolled") || l.contains("Page 1 of")),
        "the header and footer are artifacts"
    );
}

fn render_case(env: &TestEnv, name: &str) -> PathBuf {
    env.write(name, fixture(&format!("cases/{name}")));
    let run = env.run(&["render", name, "--format", "pdf", "-o", "."]);
    assert!(run.code == 0 || run.code == 1, "{name}: {}", run.stderr);
    env.path(&name.replace(".md", ".pdf"))
}

/// Every word the page shows between the header and the footer (`pdftotext -bbox-layout`),
/// other than the contents' leader dots and a wrapped code line's mark, is content of the
/// structure tree; each field case is tagged.
#[test]
fn every_field_case_is_tagged_and_every_word_it_shows_is_in_its_structure() {
    let env = TestEnv::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("cases")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "{cases:?}");
    let mut checked = 0;
    for name in &cases {
        let pdf = render_case(&env, name);
        if !pdf.exists() {
            // A case `render` refuses (no front matter to read): nothing to tag.
            continue;
        }
        checked += 1;
        let lines = structure(&pdf);
        assert_eq!(
            lines.first().map(String::as_str),
            Some("Document"),
            "{name}"
        );
        let tree = lines.join(" ");
        for w in words(&pdf) {
            let furniture = w.y_min < 70.0 || w.y_min > 841.89 - 62.0;
            let leader = w.text.chars().all(|c| c == '.');
            if furniture || leader || w.text == "↪" {
                continue;
            }
            // A hyphen drawn where a word was broken is an artifact: the word is whole.
            let word = w.text.strip_suffix('-').unwrap_or(&w.text);
            assert!(
                tree.contains(word),
                "{name}: page {} shows {:?}, which is not in the structure:\n{}",
                w.page,
                w.text,
                lines.join("\n")
            );
        }
    }
    assert!(checked >= 20, "{checked} cases rendered");
}

#[test]
fn a_drafts_words_read_in_order_and_nothing_of_the_watermark() {
    let env = TestEnv::repo();
    let draft = String::from_utf8(example())
        .expect("UTF-8")
        .replace("status: effective", "status: draft");
    env.write("sops/privacy.md", draft);
    env.commit("Draft");
    let run = env.run(&["render", "sops/privacy.md", "--format", "pdf", "-o", "out"]);
    run.expect_code(0);
    let pdf = env.path("out/drafts/SOP-IT-001/SOP-IT-001-working-copy.pdf");
    let text = tool("pdftotext", &[pdf.to_str().expect("path"), "-"]);
    let pages = text.matches('\u{c}').count();
    // The header's status mark on each page, and no piece of the diagonal watermark.
    assert_eq!(text.matches("DRAFT").count(), pages, "{text}");
    for line in text.lines() {
        let line = line.trim();
        assert!(
            line.is_empty() || line == "DRAFT" || !"DRAFT".contains(line),
            "a piece of the watermark: {line:?}"
        );
    }
    // The body reads in order.
    let order = [
        "Purpose",
        "Guide users through verifying their Claude.ai privacy settings",
        "Overview",
        "Prerequisites",
        "Step 1: Log Into Claude.ai",
        "Open your web browser",
        "Document Revision History",
    ];
    let body = &text[text.find("\nPurpose\n").expect("the body's first heading")..];
    let mut from = 0;
    for phrase in order {
        let at = body[from..]
            .find(phrase)
            .unwrap_or_else(|| panic!("{phrase:?} not after the previous phrase"));
        from += at + phrase.len();
    }
    let lines = structure(&pdf);
    assert!(
        !lines.iter().any(|l| l.contains("DRAFT")),
        "the mark and watermark are artifacts"
    );
}

#[test]
fn the_language_setting_names_the_pdfs_language_and_a_documents_own_lang_comes_first() {
    let env = TestEnv::repo();
    env.write("sopctl.toml", "language = \"de-CH\"\n");
    env.write("sops/a.md", crate::harness::sop("SOP-1", "Reinigung"));
    env.write(
        "sops/b.md",
        crate::harness::sop("SOP-2", "Nettoyage").replace("owner: QA\n", "owner: QA\nlang: fr\n"),
    );
    env.commit("Two SOPs");
    for (id, lang) in [("SOP-1", "de-CH"), ("SOP-2", "fr")] {
        env.run(&["render", id, "--format", "pdf", "-o", "out"])
            .expect_code(0);
        let path = env.path(&format!("out/drafts/{id}/{id}-working-copy.pdf"));
        let pdf = Document::load(&path).expect("pdf");
        let catalog = pdf.catalog().expect("catalog");
        assert_eq!(text(catalog.get(b"Lang").expect("/Lang")), lang, "{id}");
    }
    env.write("sopctl.toml", "language = \"Deutsch!\"\n");
    let run = env.run(&["list"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("language `Deutsch!` is not a language code: use a two- or three-letter code such as \"en\", \"de\" or \"en-GB\", e.g. language = \"en\""),
        "{}",
        run.stderr
    );
    // A name instead of a code, and an underscore instead of a hyphen, are refused with the fix.
    env.write("sopctl.toml", "language = \"german\"\n");
    env.run(&["list"]).expect_code(1);
    env.write("sopctl.toml", "language = \"de_DE\"\n");
    let run = env.run(&["list"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("e.g. language = \"de-DE\""),
        "{}",
        run.stderr
    );
}

#[test]
fn a_draft_without_an_effective_date_is_dated_the_day_its_copy_is_made_and_notes_have_ids() {
    let env = TestEnv::new();
    env.write(
        "draft.md",
        "---\nid: SOP-9\ntitle: Draft\nowner: QA\n---\n\nA step.[^1]\n\n[^1]: A note.\n",
    );
    // Without SOURCE_DATE_EPOCH, which every other run here sets.
    let status = env
        .command(env!("CARGO_BIN_EXE_sopctl"))
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["render", "draft.md", "--format", "pdf", "-o", "out"])
        .status()
        .expect("runs");
    assert!(status.success());
    let pdf = Document::load(env.path("out/draft.pdf")).expect("pdf");
    let info = dict(&pdf, pdf.trailer.get(b"Info").expect("Info"));
    let day = crate::harness::TODAY.replace('-', "");
    assert_eq!(
        text(info.get(b"CreationDate").expect("date")),
        format!("D:{day}000000+00'00'")
    );
    // The footnote is a Note with an ID, its number a label (PDF/UA-1 §7.9).
    let note = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"S").and_then(Object::as_name).ok() == Some(b"Note"))
        .expect("a Note");
    assert!(!text(note.get(b"ID").expect("/ID")).is_empty());
    let lines = structure(&env.path("out/draft.pdf"));
    let at = lines
        .iter()
        .position(|l| l.starts_with("Note <note-"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(
        lines[at + 1..at + 5],
        ["Lbl (block)", "\"1.\"", "P (block)", "\"A note.\""]
    );
}

#[test]
fn check_warns_of_a_front_matter_lang_that_is_not_a_language_code() {
    let env = TestEnv::new();
    env.write(
        "l.md",
        "---\nid: SOP-9\ntitle: Draft\nowner: QA\nlang: de_DE\n---\n\nA step.\n",
    );
    let run = env.run(&["check", "l.md"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "l.md:5:1: warning: lang `de_DE` is not a language code, so the renditions use the repository's `language` instead: write a two- or three-letter code such as en, de or en-GB, e.g. lang: de-DE\n"
    );
}

// A title written with YAML escapes of characters XML cannot hold: the XMP stays well-formed
// and says what the document information says.
#[test]
fn a_title_with_escaped_control_characters_keeps_the_xmp_whole_and_consistent() {
    let env = TestEnv::new();
    env.write(
        "t.md",
        "---\nid: SOP-9\ntitle: \"Clean\\0 the\\r line\\uFFFE & <dry>\"\nowner: \"Q\\eA\"\n---\n\nA step.\n",
    );
    env.run(&["render", "t.md", "--format", "pdf", "-o", "out"])
        .expect_code(0);
    let pdf = Document::load(env.path("out/t.pdf")).expect("pdf");
    let info = dict(&pdf, pdf.trailer.get(b"Info").expect("Info"));
    let catalog = pdf.catalog().expect("catalog");
    let metadata = catalog
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .expect("/Metadata");
    let xmp = String::from_utf8(
        pdf.get_object(metadata)
            .and_then(Object::as_stream)
            .expect("stream")
            .content
            .clone(),
    )
    .expect("UTF-8");
    assert!(
        !xmp.chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{fffe}'),
        "{xmp:?}"
    );
    let title = text(info.get(b"Title").expect("Title"));
    assert_eq!(title, "SOP-9 Clean  the  line & <dry>");
    assert_eq!(xmp_value(&xmp, "dc:title"), title);
    assert_eq!(
        xmp_value(&xmp, "dc:creator"),
        text(info.get(b"Author").expect("Author"))
    );
}

// PDF/A-2 §6.2.11.8: no `.notdef` is shown. A character no embedded face has is drawn as a
// white square, a real glyph, and still named by `render`.
#[test]
fn a_character_no_face_has_is_drawn_as_a_white_square_not_notdef() {
    let env = TestEnv::new();
    env.write(
        "c.md",
        "---\nid: SOP-9\ntitle: Glyphs\nowner: QA\n---\n\nMix 消毒 in.\n",
    );
    let run = env.run(&["render", "c.md", "--format", "pdf", "-o", "out"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("no glyph for U+6D88 '消'"),
        "{}",
        run.stdout
    );
    let text = tool(
        "pdftotext",
        &[env.path("out/c.pdf").to_str().expect("path"), "-"],
    );
    assert!(text.contains("Mix □□ in."), "{text}");
}
