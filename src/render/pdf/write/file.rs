//! The PDF file, one object at a time: each object is encoded as soon as it is made, in the order
//! of its number, so that no page's objects stay in memory once written; the cross-reference
//! table and the trailer follow (ISO 32000-1 §7.5).
//!
//! The bytes are those `lopdf::Document::save_to` writes for the same objects: the objects
//! themselves are encoded by lopdf (through its content encoder, which writes operands with
//! lopdf's object writer), and the framing around them (`N 0 obj`, the table, the trailer)
//! follows lopdf's writer. The tests compare the two.

use lopdf::content::{Content, Operation};
use lopdf::xref::{XrefEntry, XrefSection};
use lopdf::{Dictionary, Object, Stream};

/// A PDF file being written, object by object in increasing number.
pub(super) struct PdfFile {
    out: Vec<u8>,
    /// The byte offset of each object written, by object number (0 unused).
    offsets: Vec<Option<u32>>,
}

/// The bytes lopdf writes for `object` (a stream's dictionary only: see [`PdfFile::stream`]).
pub(super) fn encode(object: Object) -> Vec<u8> {
    let content = Content {
        operations: [Operation::new("", vec![object])],
    };
    // An operand is written followed by one space, then the (empty) operator.
    let mut bytes = content.encode().unwrap_or_default();
    bytes.pop();
    bytes
}

/// Whether lopdf writes a space between `obj` and the object (numbers, references, null).
fn needs_separator(object: &Object) -> bool {
    matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

/// Whether lopdf writes a space after the object, before `endobj`.
fn needs_end_separator(object: &Object) -> bool {
    needs_separator(object) || matches!(object, Object::Name(_) | Object::Stream(_))
}

impl PdfFile {
    /// The header: `%PDF-version` and the comment of four bytes above 127 that marks the file
    /// as binary (ISO 32000-1 §7.5.2).
    pub(super) fn new(version: &str, binary_mark: &[u8]) -> PdfFile {
        let mut out = format!("%PDF-{version}\n%").into_bytes();
        out.extend_from_slice(binary_mark);
        out.push(b'\n');
        PdfFile {
            out,
            offsets: vec![None],
        }
    }

    /// Notes where object `id` starts and writes its opening line.
    fn open(&mut self, id: u32, separator: bool) {
        let index = id as usize;
        if self.offsets.len() <= index {
            self.offsets.resize(index + 1, None);
        }
        if let Some(slot) = self.offsets.get_mut(index) {
            *slot = Some(self.out.len() as u32);
        }
        self.out.extend_from_slice(
            format!("{id} 0 obj\n{}", if separator { " " } else { "" }).as_bytes(),
        );
    }

    fn close(&mut self, end_separator: bool) {
        self.out.extend_from_slice(if end_separator {
            b" \nendobj\n"
        } else {
            b"\nendobj\n"
        });
    }

    /// Writes object `id` (numbers must increase from one call to the next).
    pub(super) fn object(&mut self, id: u32, object: Object) {
        if let Object::Stream(stream) = object {
            self.stream(id, &stream);
            return;
        }
        let (start, end) = (needs_separator(&object), needs_end_separator(&object));
        self.open(id, start);
        self.out.extend_from_slice(&encode(object));
        self.close(end);
    }

    /// Writes object `id` whose encoding is already known (from [`encode`]).
    pub(super) fn encoded(&mut self, id: u32, bytes: &[u8]) {
        self.open(id, false);
        self.out.extend_from_slice(bytes);
        self.close(false);
    }

    /// Writes stream `id`: its dictionary, then its bytes as they are.
    pub(super) fn stream(&mut self, id: u32, stream: &Stream) {
        self.open(id, false);
        self.out
            .extend_from_slice(&encode(Object::Dictionary(stream.dict.clone())));
        self.out.extend_from_slice(b"stream\n");
        self.out.extend_from_slice(&stream.content);
        self.out.extend_from_slice(b"\nendstream");
        self.close(true);
    }

    /// The cross-reference table, the trailer (with `/Size` added) and the end of the file.
    pub(super) fn finish(mut self, mut trailer: Dictionary) -> Vec<u8> {
        let size = self.offsets.len() as u32;
        let xref_start = self.out.len();
        self.out.extend_from_slice(b"xref\n");
        let mut section = XrefSection::new(0);
        section.add_unusable_free_entry();
        for id in 1..size {
            if section.is_empty() {
                section = XrefSection::new(id);
            }
            match self.offsets.get(id as usize).copied().flatten() {
                Some(offset) => section.add_entry(XrefEntry::Normal {
                    offset,
                    generation: 0,
                }),
                None => {
                    if !section.is_empty() {
                        let _ = section.write_xref_section(&mut self.out);
                        section = XrefSection::new(id);
                    }
                }
            }
        }
        let _ = section.write_xref_section(&mut self.out);
        trailer.set("Size", i64::from(size));
        self.out.extend_from_slice(b"trailer\n");
        self.out
            .extend_from_slice(&encode(Object::Dictionary(trailer)));
        self.out
            .extend_from_slice(format!("\nstartxref\n{xref_start}\n%%EOF").as_bytes());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::StringFormat;

    /// One object of every kind lopdf writes, with strings that need escaping.
    fn objects() -> Vec<Object> {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Odd name", Object::Name(b"a(b)#c".to_vec()));
        dict.set("N", Object::Integer(-42));
        dict.set("R", Object::Real(595.2756));
        dict.set("Ref", Object::Reference((7, 0)));
        dict.set("Null", Object::Null);
        let strings = Object::Array(vec![
            Object::String(b"plain (nested) text".to_vec(), StringFormat::Literal),
            Object::String(
                b"unbalanced ) and \\ and \r".to_vec(),
                StringFormat::Literal,
            ),
            Object::String(vec![0, 0x41, 0xFF], StringFormat::Hexadecimal),
            Object::Boolean(true),
            Object::Real(0.0),
            Object::Real(-1.5),
        ]);
        dict.set("A", strings.clone());
        vec![
            Object::Dictionary(dict.clone()),
            strings,
            Object::Integer(3),
            Object::Name(b"XYZ".to_vec()),
            Object::Null,
            Object::Reference((1, 0)),
            Object::Stream(Stream::new(dict, b"BT\n/F1 10 Tf\nET".to_vec())),
        ]
    }

    fn by_lopdf(objects: &[Object], skip: u32) -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.3");
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        for (n, object) in objects.iter().enumerate() {
            let id = n as u32 + 1;
            let id = if id >= skip { id + 1 } else { id };
            doc.objects.insert((id, 0), object.clone());
            doc.max_id = id;
        }
        doc.trailer.set("Root", Object::Reference((1, 0)));
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("saves");
        bytes
    }

    fn by_file(objects: &[Object], skip: u32) -> Vec<u8> {
        let doc = lopdf::Document::with_version("1.3");
        let mut file = PdfFile::new(&doc.version, &doc.binary_mark);
        for (n, object) in objects.iter().enumerate() {
            let id = n as u32 + 1;
            let id = if id >= skip { id + 1 } else { id };
            file.object(id, object.clone());
        }
        let mut trailer = Dictionary::new();
        trailer.set("Root", Object::Reference((1, 0)));
        file.finish(trailer)
    }

    #[test]
    fn the_file_is_byte_for_byte_what_lopdf_saves() {
        let objects = objects();
        assert_eq!(
            String::from_utf8_lossy(&by_file(&objects, u32::MAX)),
            String::from_utf8_lossy(&by_lopdf(&objects, u32::MAX))
        );
        assert_eq!(by_file(&objects, u32::MAX), by_lopdf(&objects, u32::MAX));
    }

    #[test]
    fn a_number_left_out_splits_the_cross_reference_table_as_lopdf_does() {
        let objects = objects();
        let ours = by_file(&objects, 3);
        assert_eq!(ours, by_lopdf(&objects, 3));
        let text = String::from_utf8_lossy(&ours);
        assert!(text.contains("xref\n0 3\n"), "{text}");
        assert!(text.contains("\n4 5\n"), "{text}");
    }

    #[test]
    fn encode_writes_an_object_as_lopdf_does() {
        assert_eq!(encode(Object::Real(12.5)), b"12.5");
        assert_eq!(
            encode(Object::Array(vec![
                Object::Reference((3, 0)),
                Object::Name(b"XYZ".to_vec()),
                Object::Null
            ])),
            b"[3 0 R/XYZ null]"
        );
    }
}
