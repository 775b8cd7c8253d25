//! PDF syntax written straight into bytes, as lopdf writes it: the operands of a content
//! stream (ISO 32000-1 §7.8.2) and the few dictionaries written once a page or a link. A page
//! is thousands of numbers and a long document hundreds of thousands of links, too many to
//! build as lopdf objects first; the tests compare these bytes with lopdf's.

use std::io::Write as _;

use lopdf::Object;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Real numbers as lopdf writes them (`{}`: the shortest form that reads back the same), with
/// the last few thousand kept: a document repeats its margins, sizes, colours and baselines on
/// every page.
pub(super) struct Numbers {
    /// Direct-mapped: the number's bits, its length (0: empty) and its text.
    slots: Vec<(u32, u8, [u8; 14])>,
}

impl Default for Numbers {
    fn default() -> Numbers {
        Numbers {
            slots: vec![(0, 0, [0; 14]); 4096],
        }
    }
}

impl Numbers {
    /// Appends `value`'s text to `out`.
    pub(super) fn write(&mut self, out: &mut Vec<u8>, value: f32) {
        let bits = value.to_bits();
        let index = (bits.wrapping_mul(0x9E37_79B1) >> 20) as usize;
        if let Some((key, len, text)) = self.slots.get(index)
            && *len > 0
            && *key == bits
        {
            out.extend_from_slice(text.get(..usize::from(*len)).unwrap_or_default());
            return;
        }
        let start = out.len();
        let _ = write!(out, "{value}");
        let written = out.get(start..).unwrap_or_default();
        if let Some(slot) = self.slots.get_mut(index)
            && let Some(text) = slot.2.get_mut(..written.len())
        {
            text.copy_from_slice(written);
            slot.0 = bits;
            slot.1 = written.len() as u8;
        }
    }
}

/// A content stream being written: operations one a line, each operand followed by a space,
/// then the operator, as lopdf's `Content::encode` writes them.
pub(super) struct Ops<'n> {
    pub(super) out: Vec<u8>,
    pub(super) numbers: &'n mut Numbers,
}

impl Ops<'_> {
    /// Starts an operation.
    pub(super) fn begin(&mut self) -> &mut Self {
        if !self.out.is_empty() {
            self.out.push(b'\n');
        }
        self
    }

    pub(super) fn real(&mut self, value: f32) -> &mut Self {
        self.numbers.write(&mut self.out, value);
        self.out.push(b' ');
        self
    }

    pub(super) fn reals(&mut self, values: impl IntoIterator<Item = f32>) -> &mut Self {
        for value in values {
            self.real(value);
        }
        self
    }

    /// A name of letters and digits (font and image resource names: nothing to escape).
    pub(super) fn name(&mut self, name: &str) -> &mut Self {
        self.out.push(b'/');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b' ');
        self
    }

    /// Two-byte codes as a hexadecimal string.
    pub(super) fn codes(&mut self, codes: impl IntoIterator<Item = u16>) -> &mut Self {
        self.out.push(b'<');
        for code in codes {
            let digits = [code >> 12, (code >> 8) & 15, (code >> 4) & 15, code & 15];
            self.out
                .extend(digits.map(|d| HEX.get(usize::from(d)).copied().unwrap_or(b'0')));
        }
        self.out.extend_from_slice(b"> ");
        self
    }

    /// Any other operand, through lopdf's own writer.
    pub(super) fn object(&mut self, object: Object) -> &mut Self {
        self.out.extend_from_slice(&super::file::encode(object));
        self.out.push(b' ');
        self
    }

    pub(super) fn operator(&mut self, operator: &str) {
        self.out.extend_from_slice(operator.as_bytes());
    }
}

/// Appends `id 0 R`.
pub(super) fn reference(out: &mut Vec<u8>, id: u32) {
    let _ = write!(out, "{id} 0 R");
}

/// Appends an array of reals: `[a b c]`.
pub(super) fn real_array(out: &mut Vec<u8>, numbers: &mut Numbers, values: &[f32]) {
    out.push(b'[');
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        numbers.write(out, *value);
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_rust_and_lopdf_write_them_cached_or_not() {
        let mut numbers = Numbers::default();
        let values = [
            0.0,
            -0.0,
            1.0,
            56.692_913,
            841.889_8,
            0.11,
            1e-7,
            -12345.678,
            f32::MIN_POSITIVE,
            3.0e38,
        ];
        for _ in 0..2 {
            for value in values {
                let mut out = Vec::new();
                numbers.write(&mut out, value);
                assert_eq!(
                    out,
                    super::super::file::encode(Object::Real(value)),
                    "{value}"
                );
            }
        }
    }

    #[test]
    fn codes_are_upper_case_hexadecimal() {
        let mut numbers = Numbers::default();
        let mut ops = Ops {
            out: Vec::new(),
            numbers: &mut numbers,
        };
        ops.begin().codes([0x00AB, 0x1F0C]).operator("Tj");
        assert_eq!(ops.out, b"<00AB1F0C> Tj");
    }
}
