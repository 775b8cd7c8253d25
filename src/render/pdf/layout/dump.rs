//! The layout as text, one item a line, for tests, debugging and the PDF's document ID.

use super::{Item, LayoutDoc};

/// A text dump of a layout, one item a line, for tests and debugging:
/// `p1 text x=56.7 y=90.2 Sans-Bold 14 "4. Procedure"`.
pub fn dump(doc: &LayoutDoc) -> String {
    let mut out = String::new();
    dump_into(doc, &mut out);
    out
}

/// A number as the dump writes it: `{:.1}` (`decimal`) or `{}`.
#[derive(Debug, Clone, Copy)]
enum Number {
    /// Its text, when short.
    Short([u8; 23], u8),
    Long(f32, bool),
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Short(bytes, len) => f.write_str(
                std::str::from_utf8(bytes.get(..usize::from(*len)).unwrap_or_default())
                    .unwrap_or_default(),
            ),
            Number::Long(value, true) => write!(f, "{value:.1}"),
            Number::Long(value, false) => write!(f, "{value}"),
        }
    }
}

/// Numbers as text, the last few thousand kept: a long document repeats its margins,
/// baselines and sizes on every page, and formatting a number exactly costs more than looking
/// it up.
struct Numbers {
    slots: Vec<Option<(u32, bool, Number)>>,
}

impl Numbers {
    fn get(&mut self, value: f32, decimal: bool) -> Number {
        let bits = value.to_bits();
        let index = (bits.wrapping_mul(0x9E37_79B1) >> 21) as usize * 2 + usize::from(decimal);
        let Some(slot) = self.slots.get_mut(index) else {
            return Number::Long(value, decimal);
        };
        if let Some((b, d, number)) = slot
            && *b == bits
            && *d == decimal
        {
            return *number;
        }
        let text = if decimal {
            format!("{value:.1}")
        } else {
            format!("{value}")
        };
        let mut bytes = [0u8; 23];
        let number = match bytes.get_mut(..text.len()) {
            Some(short) => {
                short.copy_from_slice(text.as_bytes());
                Number::Short(bytes, text.len() as u8)
            }
            None => Number::Long(value, decimal),
        };
        *slot = Some((bits, decimal, number));
        number
    }
}

/// `text` as `{:?}` writes it, quoted and escaped; printable ASCII without quotes or
/// backslashes as it is, without the formatting machinery.
fn quoted(out: &mut impl std::fmt::Write, text: &str) {
    let plain = text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
    let _ = if plain {
        out.write_char('"')
            .and_then(|()| out.write_str(text))
            .and_then(|()| out.write_char('"'))
    } else {
        write!(out, "{text:?}")
    };
}

/// [`dump`], written into `out` as it goes (a long document's dump is hundreds of MB, so the
/// writer hashes it without keeping it).
pub fn dump_into(doc: &LayoutDoc, out: &mut impl std::fmt::Write) {
    let mut numbers = Numbers {
        slots: vec![None; 4096],
    };
    let mut n = |value: f32| numbers.get(value, true);
    let mut sizes = Numbers {
        slots: vec![None; 64],
    };
    for (n_page, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            let p = n_page + 1;
            let _ = match item {
                Item::Text {
                    x,
                    y,
                    face,
                    size,
                    text,
                    angle,
                    ..
                } => {
                    let size = sizes.get(*size, false);
                    let (x, y) = (n(x.0), n(y.0));
                    let _ = write!(out, "p{p} text x={x} y={y} {} {size}", face.name());
                    if *angle != 0.0 {
                        let _ = write!(out, " rot={angle}");
                    }
                    let _ = out.write_char(' ');
                    quoted(out, text);
                    out.write_char('\n')
                }
                Item::Line { x1, y1, x2, y2, .. } => {
                    writeln!(
                        out,
                        "p{p} line {},{} {},{}",
                        n(x1.0),
                        n(y1.0),
                        n(x2.0),
                        n(y2.0)
                    )
                }
                Item::Rect { x, y, w, h, .. } => writeln!(
                    out,
                    "p{p} rect x={} y={} w={} h={}",
                    n(x.0),
                    n(y.0),
                    n(w.0),
                    n(h.0)
                ),
                Item::Image { x, y, w, h, image } => {
                    writeln!(
                        out,
                        "p{p} image {image} x={} y={} w={} h={}",
                        n(x.0),
                        n(y.0),
                        n(w.0),
                        n(h.0)
                    )
                }
                Item::Link { x, y, w, h, target } => {
                    writeln!(
                        out,
                        "p{p} link x={} y={} w={} h={} {target:?}",
                        n(x.0),
                        n(y.0),
                        n(w.0),
                        n(h.0)
                    )
                }
                // The structure is not drawn; the dump shows what is.
                Item::Mark(_) => Ok(()),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_quoted_as_debug_quotes_it() {
        for text in [
            "",
            "plain text",
            "say \"hi\"",
            "back\\slash",
            "tab\there",
            "é ü 漢",
            "\u{301}x",
        ] {
            let mut out = String::new();
            quoted(&mut out, text);
            assert_eq!(out, format!("{text:?}"));
        }
    }

    #[test]
    fn kept_numbers_read_as_formatted_ones() {
        let mut numbers = Numbers {
            slots: vec![None; 16],
        };
        let values = [
            0.0,
            -0.0,
            -0.04,
            0.05,
            0.15,
            0.25,
            56.692_913,
            841.889_8,
            1e-7,
            9.95,
            -12345.65,
            3.0e38,
            f32::MAX,
            14.5,
        ];
        for _ in 0..3 {
            for value in values {
                assert_eq!(numbers.get(value, true).to_string(), format!("{value:.1}"));
                assert_eq!(numbers.get(value, false).to_string(), format!("{value}"));
            }
        }
    }
}
