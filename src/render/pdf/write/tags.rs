//! The structure tree as PDF objects (tagged PDF, ISO 32000-1 §14.7–14.8; PDF/UA-1,
//! ISO 14289-1 §7): the structure tree root with its parent tree, one structure element an
//! element of the layout's [`Structure`], and the link annotations, which the tree refers to.
//!
//! Numbering: the root is object `root`, element `k` is `root + 1 + k`, and the annotations
//! follow the elements in page and item order. They are stored [`PER_STREAM`] to an object
//! stream (ISO 32000-1 §7.5.7), compressed: a long document has tens of thousands of elements,
//! which as plain objects made the file ten times larger. The object streams follow the
//! annotations. The parent tree's keys are the page indexes
//! (each page's `/StructParents`: the element of each of its marked-content identifiers) and
//! then one key an annotation (its `/StructParent`).

use lopdf::Object;

use super::super::layout::structure::{Kid, Role, Scope};
use super::super::layout::{Item, LayoutDoc};
use super::content::{Anchors, Translator, is_live};
use super::deflate::in_parallel;
use super::file::{ObjectStream, PdfFile, encode};
use super::syntax::reference;

/// How many objects an object stream holds.
const PER_STREAM: usize = 512;

/// How many object streams are compressed together, on every core.
const STREAMS_A_BATCH: usize = 8;

/// Where the structure's objects go.
pub(super) struct Plan {
    /// The structure tree root's object number.
    root: u32,
    /// Per page, per link item in order: its annotation's object number, if it has one.
    annotations: Vec<Vec<Option<u32>>>,
    /// The first annotation's object number.
    first_annotation: u32,
    /// How many annotations there are.
    annotation_count: u32,
}

impl Plan {
    /// Numbers the structure's objects from `root` on.
    pub(super) fn new(layout: &LayoutDoc, root: u32) -> Plan {
        let first_annotation = root + 1 + layout.structure.nodes.len() as u32;
        let mut next = first_annotation;
        let annotations = layout
            .pages
            .iter()
            .map(|page| {
                page.items
                    .iter()
                    .filter_map(|item| match item {
                        Item::Link { target, .. } => Some(is_live(target, layout).then(|| {
                            next += 1;
                            next - 1
                        })),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        Plan {
            root,
            annotations,
            first_annotation,
            annotation_count: next - first_annotation,
        }
    }

    /// The first object number after the structure's objects and their object streams.
    pub(super) fn end(&self) -> u32 {
        let objects = self.first_annotation + self.annotation_count - self.root;
        self.first_annotation + self.annotation_count + objects.div_ceil(PER_STREAM as u32)
    }

    /// The object numbers of page `page`'s annotations, in item order.
    pub(super) fn page_annotations(&self, page: usize) -> Vec<u32> {
        self.annotations
            .get(page)
            .map(|links| links.iter().flatten().copied().collect())
            .unwrap_or_default()
    }

    /// The structure tree root's object number.
    pub(super) fn root(&self) -> u32 {
        self.root
    }

    fn element(&self, node: usize) -> u32 {
        self.root + 1 + node as u32
    }

    /// The parent tree key of an annotation: after the pages' keys.
    fn annotation_key(&self, pages: usize, id: u32) -> usize {
        pages + (id - self.first_annotation) as usize
    }
}

/// Writes the structure tree root, its elements and the link annotations.
pub(super) fn write(
    file: &mut PdfFile,
    plan: &Plan,
    (layout, anchors): (&LayoutDoc, &Anchors<'_>),
    translator: &mut Translator<'_>,
) {
    let mut packer = Packer {
        next_stream: plan.first_annotation + plan.annotation_count,
        filling: ObjectStream::default(),
        full: Vec::new(),
    };
    let structure = &layout.structure;
    let pages = layout.pages.len();
    let first_page = anchors.first_page;
    // Each annotation's element, and each page's marked content's elements by identifier.
    let mut annotation_element = vec![0usize; plan.annotation_count as usize];
    let mut by_mcid: Vec<Vec<usize>> = vec![Vec::new(); pages];
    for (n, node) in structure.nodes.iter().enumerate() {
        for kid in &node.kids {
            match *kid {
                Kid::Content { page, mcid } => {
                    if let Some(list) = by_mcid.get_mut(page) {
                        let at = mcid as usize;
                        if list.len() <= at {
                            list.resize(at + 1, 0);
                        }
                        if let Some(slot) = list.get_mut(at) {
                            *slot = n;
                        }
                    }
                }
                Kid::Annotation { page, index } => {
                    if let Some(id) = live_annotation(plan, page, index)
                        && let Some(slot) =
                            annotation_element.get_mut((id - plan.first_annotation) as usize)
                    {
                        *slot = n;
                    }
                }
                Kid::Node(_) => {}
            }
        }
    }
    // The root and its parent tree (a number tree of one node, ISO 32000-1 §7.9.7).
    let mut out = Vec::new();
    out.extend_from_slice(b"<</Type/StructTreeRoot/K ");
    reference(&mut out, plan.element(0));
    out.extend_from_slice(b"/ParentTree<</Nums[");
    for (page, elements) in by_mcid.iter().enumerate() {
        out.extend_from_slice(format!("{page}[").as_bytes());
        for (i, node) in elements.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            reference(&mut out, plan.element(*node));
        }
        out.extend_from_slice(b"]");
    }
    for (i, node) in annotation_element.iter().enumerate() {
        let id = plan.first_annotation + i as u32;
        out.extend_from_slice(format!(" {} ", plan.annotation_key(pages, id)).as_bytes());
        reference(&mut out, plan.element(*node));
    }
    out.extend_from_slice(b"]>>/ParentTreeNextKey ");
    let next_key = pages + plan.annotation_count as usize;
    out.extend_from_slice(next_key.to_string().as_bytes());
    out.extend_from_slice(b">>");
    packer.add(file, plan.root, &out);
    for (n, node) in structure.nodes.iter().enumerate() {
        out.clear();
        out.extend_from_slice(b"<</Type/StructElem/S/");
        out.extend_from_slice(node.role.name().as_bytes());
        out.extend_from_slice(b"/P ");
        reference(
            &mut out,
            if n == 0 {
                plan.root
            } else {
                plan.element(node.parent)
            },
        );
        match node.role {
            Role::Figure => {
                out.extend_from_slice(b"/Alt");
                out.extend_from_slice(&encode(super::text_string(&node.text)));
            }
            Role::Note => {
                // Every footnote has an ID (PDF/UA-1 §7.9), unique in the file.
                out.extend_from_slice(format!("/ID(note-{n})").as_bytes());
            }
            Role::TH(scope) => {
                out.extend_from_slice(b"/A<</O/Table/Scope/");
                out.extend_from_slice(match scope {
                    Scope::Column => b"Column",
                    Scope::Row => b"Row",
                });
                out.extend_from_slice(b">>");
            }
            _ => {}
        }
        // The element's page, when all its marked content is on one: its kids are then bare
        // identifiers (ISO 32000-1 §14.7.4.2).
        let mut pages_of = node.kids.iter().filter_map(|kid| match kid {
            Kid::Content { page, .. } => Some(*page),
            _ => None,
        });
        let one_page = pages_of
            .next()
            .filter(|first| pages_of.all(|p| p == *first));
        if let Some(page) = one_page {
            out.extend_from_slice(b"/Pg ");
            reference(&mut out, first_page + page as u32);
        }
        out.extend_from_slice(b"/K[");
        for kid in &node.kids {
            match *kid {
                Kid::Node(child) => {
                    reference(&mut out, plan.element(child));
                    out.push(b' ');
                }
                Kid::Content { mcid, .. } if one_page.is_some() => {
                    out.extend_from_slice(format!("{mcid} ").as_bytes());
                }
                Kid::Content { page, mcid } => {
                    out.extend_from_slice(b"<</Type/MCR/Pg ");
                    reference(&mut out, first_page + page as u32);
                    out.extend_from_slice(format!("/MCID {mcid}>>").as_bytes());
                }
                Kid::Annotation { page, index } => {
                    if let Some(id) = live_annotation(plan, page, index) {
                        out.extend_from_slice(b"<</Type/OBJR/Pg ");
                        reference(&mut out, first_page + page as u32);
                        out.extend_from_slice(b"/Obj ");
                        reference(&mut out, id);
                        out.extend_from_slice(b">>");
                    }
                }
            }
        }
        out.extend_from_slice(b"]>>");
        packer.add(file, plan.element(n), &out);
    }
    // The annotations, described by their link's text.
    for (p, page) in layout.pages.iter().enumerate() {
        let links = page.items.iter().filter_map(|item| match item {
            Item::Link { x, y, w, h, target } => Some(((*x, *y, *w, *h), target)),
            _ => None,
        });
        for (index, (rect, target)) in links.enumerate() {
            let Some(id) = live_annotation(plan, p, index) else {
                continue;
            };
            let node = annotation_element
                .get((id - plan.first_annotation) as usize)
                .and_then(|n| structure.nodes.get(*n));
            let description = match node {
                Some(node) if !node.text.trim().is_empty() => shortened(node.text.trim()),
                _ => link_description(target),
            };
            let key = plan.annotation_key(pages, id);
            if let Some(bytes) = translator.annotation(rect, target, anchors, key, &description) {
                packer.add(file, id, &bytes);
            }
        }
    }
    packer.flush(file);
}

/// Objects gathered into object streams of [`PER_STREAM`], compressed on every core a batch of
/// streams at a time.
struct Packer {
    next_stream: u32,
    filling: ObjectStream,
    full: Vec<ObjectStream>,
}

impl Packer {
    fn add(&mut self, file: &mut PdfFile, id: u32, bytes: &[u8]) {
        self.filling.add(id, bytes);
        if self.filling.numbers.len() == PER_STREAM {
            self.full.push(std::mem::take(&mut self.filling));
            if self.full.len() == STREAMS_A_BATCH {
                self.flush(file);
            }
        }
    }

    /// Writes the streams gathered so far.
    fn flush(&mut self, file: &mut PdfFile) {
        if !self.filling.numbers.is_empty() {
            self.full.push(std::mem::take(&mut self.filling));
        }
        let mut contents = Vec::with_capacity(self.full.len());
        let mut rest = Vec::with_capacity(self.full.len());
        for stream in self.full.drain(..) {
            let (content, first, numbers) = stream.content();
            contents.push(content);
            rest.push((first, numbers));
        }
        for (stream, (first, numbers)) in in_parallel(contents).into_iter().zip(rest) {
            file.object_stream(self.next_stream, &numbers, first, stream);
            self.next_stream += 1;
        }
    }
}

/// The object number of page `page`'s link `index`, if it became an annotation.
fn live_annotation(plan: &Plan, page: usize, index: usize) -> Option<u32> {
    *plan.annotations.get(page)?.get(index)?
}

/// A link's text as its annotations' description: whole up to [`DESCRIPTION`] characters, then
/// cut with "…" (a link of thousands of words has an annotation on each of its lines, and each
/// repeating it whole made the file grow with the square of its length).
fn shortened(text: &str) -> String {
    match text.char_indices().nth(DESCRIPTION) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The most characters of a link's text an annotation repeats.
const DESCRIPTION: usize = 200;

/// What a link without text says: where it goes.
fn link_description(target: &super::super::text::LinkTarget) -> String {
    match target {
        super::super::text::LinkTarget::Uri(uri) => uri.clone(),
        super::super::text::LinkTarget::Anchor(anchor) => format!("Go to {anchor}"),
    }
}

/// The catalog's `/MarkInfo`: the document is tagged (ISO 32000-1 §14.7.1).
pub(super) fn mark_info() -> Object {
    let mut d = lopdf::Dictionary::new();
    d.set("Marked", true);
    Object::Dictionary(d)
}
