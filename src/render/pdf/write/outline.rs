//! The nested outline (bookmarks) from the headings (ISO 32000-1 §12.3.3): each heading is a
//! child of the nearest earlier heading of a higher level. printpdf's bookmarks are flat, so
//! the outline is made here, written straight into the file, one entry after the other.

use std::io::Write as _;

use lopdf::{Dictionary, Object};

use super::file::PdfFile;
use super::syntax::{self, Numbers};
use super::text_string;
use crate::render::pdf::layout::LayoutDoc;

/// The outline's tree, by entry number (document order): each entry's parent, children and
/// place among its siblings. Built once, so the outline costs time linear in its entries
/// (10,000 headings are 10,000 entries).
struct Tree {
    parents: Vec<Option<u32>>,
    kids: Vec<Vec<u32>>,
    top_level: Vec<u32>,
    place: Vec<u32>,
    descendants: Vec<i64>,
}

#[allow(
    clippy::indexing_slicing,
    reason = "every vector is indexed by entry numbers below `levels.len()`"
)]
fn tree(levels: &[u8]) -> Tree {
    let n = levels.len();
    let mut parents: Vec<Option<u32>> = Vec::with_capacity(n);
    let mut stack: Vec<u32> = Vec::new();
    for (i, level) in levels.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if levels[top as usize] < *level {
                break;
            }
            stack.pop();
        }
        parents.push(stack.last().copied());
        stack.push(i as u32);
    }
    let mut kids: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut top_level = Vec::new();
    let mut place = vec![0u32; n];
    for (i, parent) in parents.iter().enumerate() {
        let siblings = match parent {
            Some(p) => &mut kids[*p as usize],
            None => &mut top_level,
        };
        place[i] = siblings.len() as u32;
        siblings.push(i as u32);
    }
    let mut descendants = vec![0i64; n];
    for i in (0..n).rev() {
        if let Some(p) = parents[i] {
            descendants[p as usize] += 1 + descendants[i];
        }
    }
    Tree {
        parents,
        kids,
        top_level,
        place,
        descendants,
    }
}

/// Writes the outline as objects `root`, `root + 1`, … (the root, then one entry a heading).
/// `first_page` is the object number of the first page. Returns whether there is an outline.
pub(super) fn write(file: &mut PdfFile, layout: &LayoutDoc, root: u32, first_page: u32) -> bool {
    if layout.outline.is_empty() {
        return false;
    }
    let levels: Vec<u8> = layout.outline.iter().map(|e| e.level).collect();
    let t = tree(&levels);
    drop(levels);
    let id = |i: u32| Object::Reference((root + 1 + i, 0));
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (t.top_level.first(), t.top_level.last()) {
        outlines.set("First", id(*first));
        outlines.set("Last", id(*last));
    }
    outlines.set("Count", Object::Integer(layout.outline.len() as i64));
    file.object(root, Object::Dictionary(outlines));
    let mut numbers = Numbers::default();
    let mut bytes = Vec::new();
    for (i, entry) in (0u32..).zip(&layout.outline) {
        bytes.clear();
        t.entry(&mut bytes, i, &entry.title, root);
        if entry.page < layout.pages.len() {
            // `/Dest[page /XYZ null top null]`: the heading's top, 4 points above it.
            bytes.extend_from_slice(b"/Dest[");
            syntax::reference(&mut bytes, first_page + entry.page as u32);
            bytes.extend_from_slice(b"/XYZ null ");
            numbers.write(&mut bytes, layout.height.0 - entry.y.0 + 4.0);
            bytes.extend_from_slice(b" null]");
        }
        bytes.extend_from_slice(b">>");
        file.encoded(root + 1 + i, &bytes);
    }
    true
}

impl Tree {
    /// Entry `i`'s dictionary up to its destination, as lopdf writes it: title, parent,
    /// siblings before and after, first and last child and how many below it.
    #[allow(
        clippy::indexing_slicing,
        reason = "the tree's vectors are indexed by entry numbers below their length"
    )]
    fn entry(&self, out: &mut Vec<u8>, i: u32, title: &str, root: u32) {
        let key_ref = |out: &mut Vec<u8>, key: &[u8], entry: u32| {
            out.extend_from_slice(key);
            out.push(b' ');
            syntax::reference(out, root + 1 + entry);
        };
        out.extend_from_slice(b"<</Title");
        out.extend_from_slice(&super::file::encode(text_string(title)));
        let parent = self.parents[i as usize];
        match parent {
            Some(p) => key_ref(out, b"/Parent", p),
            None => {
                out.extend_from_slice(b"/Parent ");
                syntax::reference(out, root);
            }
        }
        let siblings = match parent {
            Some(p) => &self.kids[p as usize],
            None => &self.top_level,
        };
        let pos = self.place[i as usize] as usize;
        if pos > 0 {
            key_ref(out, b"/Prev", siblings[pos - 1]);
        }
        if let Some(next) = siblings.get(pos + 1) {
            key_ref(out, b"/Next", *next);
        }
        let kids = &self.kids[i as usize];
        if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
            key_ref(out, b"/First", *first);
            key_ref(out, b"/Last", *last);
            let _ = write!(out, "/Count {}", self.descendants[i as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_is_the_child_of_the_nearest_earlier_higher_one() {
        // 1, 2, 3, 2, 1, 3: the second 2 follows the 3 under the first 1; the last 3 is a child
        // of the last 1.
        let t = tree(&[1, 2, 3, 2, 1, 3]);
        assert_eq!(t.parents, [None, Some(0), Some(1), Some(0), None, Some(4)]);
        assert_eq!(t.top_level, [0, 4]);
        assert_eq!(t.kids[0], [1, 3]);
        assert_eq!(t.place, [0, 0, 0, 1, 1, 0]);
        assert_eq!(t.descendants, [3, 1, 0, 0, 1, 0]);
    }

    #[test]
    fn ten_thousand_identical_headings_are_ten_thousand_siblings() {
        let t = tree(&[2; 10_000]);
        assert_eq!(t.top_level.len(), 10_000);
        assert!(t.parents.iter().all(Option::is_none));
        assert_eq!(t.place[9_999], 9_999);
    }

    /// The entry as the writer made it before, with lopdf's dictionary.
    fn as_dictionary(
        t: &Tree,
        i: usize,
        title: &str,
        root: u32,
        dest: Option<(u32, f32)>,
    ) -> Object {
        let id = |i: u32| Object::Reference((root + 1 + i, 0));
        let mut d = Dictionary::new();
        d.set("Title", text_string(title));
        let parent = t.parents[i];
        d.set("Parent", parent.map_or(Object::Reference((root, 0)), id));
        let siblings = match parent {
            Some(p) => &t.kids[p as usize],
            None => &t.top_level,
        };
        let pos = t.place[i] as usize;
        if pos > 0 {
            d.set("Prev", id(siblings[pos - 1]));
        }
        if let Some(next) = siblings.get(pos + 1) {
            d.set("Next", id(*next));
        }
        let kids = &t.kids[i];
        if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
            d.set("First", id(*first));
            d.set("Last", id(*last));
            d.set("Count", Object::Integer(t.descendants[i]));
        }
        if let Some((page, top)) = dest {
            let xyz = Object::Name(b"XYZ".to_vec());
            let dest = [
                Object::Reference((page, 0)),
                xyz,
                Object::Null,
                Object::Real(top),
                Object::Null,
            ];
            d.set("Dest", Object::Array(dest.to_vec()));
        }
        Object::Dictionary(d)
    }

    #[test]
    fn entries_are_written_as_lopdf_writes_their_dictionaries() {
        let t = tree(&[1, 2, 3, 2, 1, 3]);
        let titles = ["Scope", "Pro(ce)dure", "a\\b", "Ünïcode", "", "x)"];
        for (i, title) in titles.iter().enumerate() {
            let mut ours = Vec::new();
            t.entry(&mut ours, i as u32, title, 40);
            ours.extend_from_slice(b">>");
            let theirs = super::super::file::encode(as_dictionary(&t, i, title, 40, None));
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        }
    }

    #[test]
    fn a_whole_outline_is_written_as_lopdf_writes_it() {
        use crate::render::pdf::layout::{OutlineEntry, Pt};
        let entry = |level, title: &str, page, y| OutlineEntry {
            level,
            title: title.to_string(),
            page,
            y: Pt(y),
        };
        let layout = LayoutDoc {
            width: Pt(595.0),
            height: Pt(842.0),
            pages: vec![Default::default(); 2],
            outline: vec![
                entry(1, "One", 0, 100.5),
                entry(2, "Two", 1, 200.25),
                entry(2, "Off the end", 5, 10.0),
            ],
            images: Vec::new(),
            anchors: Default::default(),
            structure: Default::default(),
        };
        let mut file = PdfFile::new("1.3", &[0xBB, 0xAD, 0xC0, 0xDE]);
        assert!(write(&mut file, &layout, 7, 3));
        let ours = file.finish(Dictionary::new());
        let t = tree(&[1, 2, 2]);
        let mut file = PdfFile::new("1.3", &[0xBB, 0xAD, 0xC0, 0xDE]);
        let mut root = Dictionary::new();
        root.set("Type", Object::Name(b"Outlines".to_vec()));
        root.set("First", Object::Reference((8, 0)));
        root.set("Last", Object::Reference((8, 0)));
        root.set("Count", Object::Integer(3));
        file.object(7, Object::Dictionary(root));
        file.object(
            8,
            as_dictionary(&t, 0, "One", 7, Some((3, 842.0 - 100.5 + 4.0))),
        );
        file.object(
            9,
            as_dictionary(&t, 1, "Two", 7, Some((4, 842.0 - 200.25 + 4.0))),
        );
        file.object(10, as_dictionary(&t, 2, "Off the end", 7, None));
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&file.finish(Dictionary::new()))
        );
    }
}
