//! The nested outline (bookmarks) from the headings (ISO 32000-1 §12.3.3): each heading is a
//! child of the nearest earlier heading of a higher level. printpdf's bookmarks are flat, so
//! the outline is made here, written straight into the file, one entry after the other.

use lopdf::{Dictionary, Object};

use super::file::PdfFile;
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
#[allow(
    clippy::indexing_slicing,
    reason = "the tree's vectors are indexed by entry numbers below `outline.len()`"
)]
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
    let pages = layout.pages.len();
    for (i, entry) in layout.outline.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&entry.title));
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
        if entry.page < pages {
            let top = layout.height.0 - entry.y.0 + 4.0;
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference((first_page + entry.page as u32, 0)),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(top),
                    Object::Null,
                ]),
            );
        }
        file.object(root + 1 + i as u32, Object::Dictionary(d));
    }
    true
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
}
