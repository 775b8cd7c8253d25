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

/// The objects of an object stream being gathered: their numbers and encodings.
#[derive(Default)]
pub(super) struct ObjectStream {
    /// The objects' numbers, in order.
    pub(super) numbers: Vec<u32>,
    header: String,
    body: Vec<u8>,
}

impl ObjectStream {
    /// Adds object `number`, encoded as `bytes` (from [`encode`]; not a stream).
    pub(super) fn add(&mut self, number: u32, bytes: &[u8]) {
        self.header
            .push_str(&format!("{number} {} ", self.body.len()));
        self.body.extend_from_slice(bytes);
        self.body.push(b'\n');
        self.numbers.push(number);
    }

    /// The stream's uncompressed content (the pairs of numbers and offsets, then the objects)
    /// and the offset of its first object (`/First`).
    pub(super) fn content(self) -> (Vec<u8>, usize, Vec<u32>) {
        let first = self.header.len();
        let mut content = self.header.into_bytes();
        content.extend_from_slice(&self.body);
        (content, first, self.numbers)
    }
}

/// A PDF file being written, object by object in increasing number.
pub(super) struct PdfFile {
    out: Vec<u8>,
    /// The byte offset of each object written, by object number (0 unused).
    offsets: Vec<Option<u32>>,
    /// Each object stored in an object stream: the stream's number and its place in it.
    packed: Vec<Option<(u32, u32)>>,
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
            packed: Vec::new(),
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

    /// Writes object stream `id` (`/Type /ObjStm`, ISO 32000-1 §7.5.7): `stream` is
    /// [`ObjectStream::content`] compressed, holding the objects numbered `numbers`, in order.
    pub(super) fn object_stream(
        &mut self,
        id: u32,
        numbers: &[u32],
        first: usize,
        mut stream: Stream,
    ) {
        for (index, number) in (0u32..).zip(numbers) {
            let slot = *number as usize;
            if self.packed.len() <= slot {
                self.packed.resize(slot + 1, None);
            }
            if let Some(entry) = self.packed.get_mut(slot) {
                *entry = Some((id, index));
            }
        }
        stream.dict.set("Type", Object::Name(b"ObjStm".to_vec()));
        stream.dict.set("N", numbers.len() as i64);
        stream.dict.set("First", first as i64);
        self.stream(id, &stream);
    }

    /// The end of the file: a cross-reference stream when objects were packed into object
    /// streams (ISO 32000-1 §7.5.8, which they need), else the cross-reference table; then the
    /// trailer (with `/Size` added).
    pub(super) fn finish(self, trailer: Dictionary) -> Vec<u8> {
        if self.packed.is_empty() {
            self.finish_with_table(trailer)
        } else {
            self.finish_with_stream(trailer)
        }
    }

    /// A cross-reference stream as object `/Size - 1`, its entries 1, 4 and 2 bytes wide: type
    /// 1 (offset, generation 0), type 2 (object stream, index) or type 0 (free).
    fn finish_with_stream(mut self, trailer: Dictionary) -> Vec<u8> {
        let id = self.offsets.len().max(self.packed.len()) as u32;
        let size = id + 1;
        let xref_start = self.out.len();
        // Each entry after a PNG "Up" filter byte, as the difference from the entry above
        // (`/Predictor 12`, ISO 32000-1 §7.4.4.4): consecutive entries differ little, and the
        // differences compress to a fraction.
        let mut entries = Vec::with_capacity(size as usize * 8);
        let mut above = [0u8; 7];
        for n in 0..size as usize {
            let offset = self.offsets.get(n).copied().flatten();
            let packed = self.packed.get(n).copied().flatten();
            let (kind, a, b): (u8, u32, u16) = match (offset, packed) {
                _ if n == id as usize => (1, xref_start as u32, 0),
                (Some(offset), _) => (1, offset, 0),
                (None, Some((stream, index))) => (2, stream, index as u16),
                (None, None) => (0, 0, if n == 0 { 65535 } else { 0 }),
            };
            let ([a0, a1, a2, a3], [b0, b1]) = (a.to_be_bytes(), b.to_be_bytes());
            let row = [kind, a0, a1, a2, a3, b0, b1];
            entries.push(2);
            entries.extend(row.iter().zip(above).map(|(x, y)| x.wrapping_sub(y)));
            above = row;
        }
        let mut stream = super::deflate::Deflater::default().compressed(&entries);
        for (key, value) in trailer.iter() {
            stream.dict.set(key.clone(), value.clone());
        }
        stream.dict.set("Type", Object::Name(b"XRef".to_vec()));
        stream.dict.set("Size", i64::from(size));
        stream
            .dict
            .set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
        let mut parameters = Dictionary::new();
        parameters.set("Columns", 7);
        parameters.set("Predictor", 12);
        stream
            .dict
            .set("DecodeParms", Object::Dictionary(parameters));
        self.stream(id, &stream);
        self.out
            .extend_from_slice(format!("startxref\n{xref_start}\n%%EOF").as_bytes());
        self.out
    }

    /// The cross-reference table, the trailer (with `/Size` added) and the end of the file.
    fn finish_with_table(mut self, mut trailer: Dictionary) -> Vec<u8> {
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
