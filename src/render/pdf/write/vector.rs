//! The SVG images' objects ([`crate::render::images::Drawing`]): svg2pdf's chunk of each,
//! renumbered into the file's numbering after everything else, its Form XObject named in the
//! pages' resources as the image's `Im…`, so that pages draw it as they draw a picture.

use lopdf::{Dictionary, Object};
use pdf_writer::{Chunk, Ref};

use super::content::image_name;
use super::file::PdfFile;
use crate::render::images::Drawing;

/// A drawing's objects renumbered: their numbers, in order, and the chunk.
pub(super) struct Numbered {
    numbers: Vec<u32>,
    chunk: Chunk,
}

/// Numbers the drawings' objects from `first` on, and names each one's form in `resources`'
/// `/XObject` dictionary as `Im` and its image number.
pub(super) fn number(
    drawings: Vec<(usize, Drawing)>,
    first: u32,
    resources: &mut Dictionary,
) -> Vec<Numbered> {
    let mut next = first;
    let mut out = Vec::with_capacity(drawings.len());
    let mut forms = Vec::new();
    for (image, drawing) in drawings {
        let old: Vec<Ref> = drawing.chunk.refs().collect();
        let numbers: Vec<u32> = (next..next + old.len() as u32).collect();
        let map = |r: Ref| {
            old.iter()
                .position(|o| *o == r)
                .and_then(|i| numbers.get(i))
                .map_or(r, |n| Ref::new(*n as i32))
        };
        let chunk = drawing.chunk.renumber(map);
        forms.push((image_name(image), map(drawing.form).get() as u32));
        next += old.len() as u32;
        out.push(Numbered { numbers, chunk });
    }
    if !forms.is_empty() {
        let mut xobjects = match resources.get(b"XObject") {
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        for (name, id) in forms {
            xobjects.set(name.into_bytes(), Object::Reference((id, 0)));
        }
        resources.set("XObject", Object::Dictionary(xobjects));
    }
    out
}

/// Writes the drawings' objects: each renumbered object's interior, between `N 0 obj` and
/// `endobj` as pdf-writer frames them.
pub(super) fn write(file: &mut PdfFile, drawings: &[Numbered]) {
    for drawing in drawings {
        let bytes = drawing.chunk.as_bytes();
        let mut at = 0;
        for (i, id) in drawing.numbers.iter().enumerate() {
            let header = format!("{id} 0 obj\n");
            let Some(start) = bytes.get(at..).and_then(|b| {
                b.starts_with(header.as_bytes())
                    .then_some(at + header.len())
            }) else {
                return;
            };
            let end = match drawing.numbers.get(i + 1) {
                Some(next) => {
                    let boundary = format!("\nendobj\n\n{next} 0 obj\n");
                    find(bytes.get(start..).unwrap_or_default(), boundary.as_bytes())
                        .map(|k| start + k)
                }
                None => bytes.len().checked_sub(b"\nendobj\n\n".len()),
            };
            let Some((end, interior)) = end.and_then(|end| Some((end, bytes.get(start..end)?)))
            else {
                return;
            };
            file.encoded(*id, interior);
            at = end + b"\nendobj\n\n".len();
        }
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
