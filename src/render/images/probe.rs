//! What an image file is, read from its bytes without decoding its pixels: the format from its
//! signature, the size in pixels from its header, and whether the file is whole.
//!
//! PNG files are walked chunk by chunk (PNG, 2nd edition, §5.3) up to `IEND`; JPEG files
//! segment by segment and through the entropy-coded data (ITU T.81 §B.1) up to the
//! end-of-image marker. Either ending early is a truncated file. GIF and WebP sizes come from
//! their headers (`imagesize`). An SVG is recognised by its root element, after any XML
//! declaration, comments, processing instructions and document type declaration, however long
//! (XML 1.0 §2.8). The work is linear in the file's size and allocates nothing per byte.

use super::{Format, ImageProblem, MAX_PIXELS};

/// The format and size in pixels (`None` for SVG, which has none) of an image file, checked
/// against [`MAX_PIXELS`]. A header's size is judged before the rest of the file, so a file
/// claiming billions of pixels is named as such even when it is also cut short.
///
/// # Errors
/// [`ImageProblem::NotAnImage`], [`ImageProblem::NoPixels`],
/// [`ImageProblem::TooManyPixels`], [`ImageProblem::Truncated`] or
/// [`ImageProblem::Undecodable`] (a header or structure that cannot be read).
pub(super) fn examine(bytes: &[u8]) -> Result<(Format, Option<(u32, u32)>), ImageProblem> {
    let format = detect(bytes).ok_or(ImageProblem::NotAnImage)?;
    let mut size = None;
    let whole = match format {
        Format::Svg => return svg(bytes).map(|()| (format, None)),
        Format::Png => png(bytes, &mut size),
        Format::Jpeg => jpeg(bytes, &mut size),
        Format::Gif | Format::WebP => header_size(format, bytes)
            .map(|s| size = Some(s))
            .and_then(|()| ends_whole(format, bytes)),
    };
    if let Some((width, height)) = size {
        if width == 0 || height == 0 {
            return Err(ImageProblem::NoPixels {
                format,
                width,
                height,
            });
        }
        if u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(ImageProblem::TooManyPixels { width, height });
        }
    }
    whole?;
    match size {
        Some(size) => Ok((format, Some(size))),
        None => Err(ImageProblem::Undecodable {
            format,
            reason: "it has no header giving its size".to_string(),
        }),
    }
}

/// The format, from the file's signature (or, for SVG, its root element).
pub(super) fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        Some(Format::WebP)
    } else {
        is_svg(bytes).then_some(Format::Svg)
    }
}

/// Whether the first element of an XML file is `<svg>` (or `<prefix:svg>`).
fn is_svg(bytes: &[u8]) -> bool {
    let mut rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    loop {
        rest = rest.trim_ascii_start();
        let next = if rest.starts_with(b"<?") {
            skip_past(rest, b"?>")
        } else if rest.starts_with(b"<!--") {
            skip_past(rest, b"-->")
        } else if rest.starts_with(b"<!") {
            skip_doctype(rest)
        } else if let Some(tag) = rest.strip_prefix(b"<") {
            let end = tag
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
                .unwrap_or(tag.len());
            let name = tag.get(..end).unwrap_or_default();
            let local = name.rsplit(|b| *b == b':').next().unwrap_or_default();
            return local.eq_ignore_ascii_case(b"svg");
        } else {
            return false;
        };
        match next {
            Some(next) => rest = next,
            None => return false,
        }
    }
}

/// The bytes after a `<!DOCTYPE …>` declaration, whose internal subset (`[ … ]`) may hold `>`.
fn skip_doctype(text: &[u8]) -> Option<&[u8]> {
    let mut in_subset = false;
    let mut quote: Option<u8> = None;
    for (i, b) in text.iter().enumerate() {
        match (quote, *b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(*b),
            (None, b'[') => in_subset = true,
            (None, b']') => in_subset = false,
            (None, b'>') if !in_subset => return text.get(i + 1..),
            _ => {}
        }
    }
    None
}

/// The bytes after the first `end` in `text`.
fn skip_past<'t>(text: &'t [u8], end: &[u8]) -> Option<&'t [u8]> {
    let at = text.windows(end.len()).position(|w| w == end)?;
    text.get(at + end.len()..)
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([
        *b.first()?,
        *b.get(1)?,
        *b.get(2)?,
        *b.get(3)?,
    ]))
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

/// Walks the chunks up to `IEND`, setting `size` from `IHDR` on the way.
fn png(bytes: &[u8], size: &mut Option<(u32, u32)>) -> Result<(), ImageProblem> {
    let truncated = ImageProblem::Truncated {
        format: Format::Png,
    };
    let broken = |reason: &str| ImageProblem::Undecodable {
        format: Format::Png,
        reason: reason.to_string(),
    };
    let mut at = 8;
    let mut seen_header = false;
    loop {
        let (Some(length), Some(kind)) = (be32(bytes, at), bytes.get(at + 4..at + 8)) else {
            return Err(truncated);
        };
        // PNG §5.3: a chunk's length is at most 2^31 - 1.
        if length > i32::MAX as u32 {
            return Err(broken("a chunk's length is out of range"));
        }
        if !seen_header {
            if kind != b"IHDR" || length != 13 {
                return Err(broken("it does not start with an IHDR header"));
            }
            seen_header = true;
            *size = be32(bytes, at + 8).zip(be32(bytes, at + 12));
        }
        let end = at
            .checked_add(12 + length as usize)
            .filter(|end| *end <= bytes.len())
            .ok_or(truncated.clone())?;
        if kind == b"IEND" {
            return Ok(());
        }
        at = end;
    }
}

/// Walks the segments and the entropy-coded data up to the end-of-image marker, setting `size`
/// from the frame header (`SOFn`) on the way.
fn jpeg(bytes: &[u8], size: &mut Option<(u32, u32)>) -> Result<(), ImageProblem> {
    let truncated = ImageProblem::Truncated {
        format: Format::Jpeg,
    };
    let mut at = 2;
    loop {
        // A marker: 0xFF (any number of them, as fill), then its code.
        if bytes.get(at) != Some(&0xFF) {
            return Err(ImageProblem::Undecodable {
                format: Format::Jpeg,
                reason: format!("no marker where one should be, at byte {at}"),
            });
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&code) = bytes.get(at) else {
            return Err(truncated);
        };
        at += 1;
        match code {
            0xD9 => return Ok(()),
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(length) = be16(bytes, at) else {
            return Err(truncated);
        };
        let end = at + usize::from(length);
        if end > bytes.len() {
            return Err(truncated);
        }
        // Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
        if matches!(code, 0xC0..=0xCF) && !matches!(code, 0xC4 | 0xC8 | 0xCC) {
            *size = be16(bytes, at + 5)
                .zip(be16(bytes, at + 3))
                .map(|(w, h)| (u32::from(w), u32::from(h)));
        }
        at = end;
        if code == 0xDA {
            // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a
            // restart marker.
            loop {
                let Some(i) = bytes
                    .get(at..)
                    .and_then(|rest| rest.iter().position(|b| *b == 0xFF))
                else {
                    return Err(truncated);
                };
                at += i;
                match bytes.get(at + 1) {
                    None => return Err(truncated),
                    Some(0x00 | 0xD0..=0xD7) => at += 2,
                    Some(_) => break,
                }
            }
        }
    }
}

/// A GIF ends with its trailer byte `;` (GIF89a, section 27); a WebP's RIFF header gives its
/// length (RIFF: the chunk size at bytes 4–7, little-endian, after the first 8 bytes). A file
/// shorter than that was cut short.
fn ends_whole(format: Format, bytes: &[u8]) -> Result<(), ImageProblem> {
    let whole = match format {
        Format::Gif => bytes.last() == Some(&0x3B),
        Format::WebP => bytes
            .get(4..8)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_le_bytes)
            .is_some_and(|n| bytes.len() as u64 >= u64::from(n) + 8),
        _ => true,
    };
    if whole {
        Ok(())
    } else {
        Err(ImageProblem::Truncated { format })
    }
}

/// An SVG whose root element gives a width or height of 0 shows nothing.
fn svg(bytes: &[u8]) -> Result<(), ImageProblem> {
    let text = String::from_utf8_lossy(bytes.get(..bytes.len().min(64 * 1024)).unwrap_or(bytes));
    let Some(start) = text.find("<svg") else {
        return Ok(());
    };
    let root = text
        .get(start..)
        .and_then(|t| t.split_once('>'))
        .map_or("", |(tag, _)| tag);
    let number = |name: &str| -> Option<f64> {
        let at = root.find(&format!(" {name}="))? + name.len() + 2;
        let value = root.get(at..)?.trim_start_matches(['"', '\'']);
        let digits: String = value
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        digits.parse().ok()
    };
    let (width, height) = (number("width"), number("height"));
    if width == Some(0.0) || height == Some(0.0) {
        return Err(ImageProblem::NoPixels {
            format: Format::Svg,
            width: width.map_or(0, |w| w as u32),
            height: height.map_or(0, |h| h as u32),
        });
    }
    Ok(())
}

/// The size in a GIF or WebP header.
fn header_size(format: Format, bytes: &[u8]) -> Result<(u32, u32), ImageProblem> {
    match imagesize::blob_size(bytes) {
        Ok(size) => Ok((
            u32::try_from(size.width).unwrap_or(u32::MAX),
            u32::try_from(size.height).unwrap_or(u32::MAX),
        )),
        Err(imagesize::ImageError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err(ImageProblem::Truncated { format })
        }
        Err(e) => Err(ImageProblem::Undecodable {
            format,
            reason: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole PNG of `width` × `height` (one grey pixel's worth of data, enough for the walk).
    fn png_file(width: u32, height: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let chunk = |png: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            png.extend_from_slice(&[0; 4]);
        };
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(
            &mut png,
            b"IDAT",
            &[0x78, 0x9C, 0x63, 0x60, 0, 0, 0, 2, 0, 1],
        );
        chunk(&mut png, b"IEND", &[]);
        png
    }

    #[test]
    fn a_png_is_whole_only_up_to_its_iend_chunk() {
        let whole = png_file(3, 2);
        assert_eq!(examine(&whole), Ok((Format::Png, Some((3, 2)))));
        for cut in [8, 20, 33, whole.len() - 1] {
            assert_eq!(
                examine(&whole[..cut]),
                Err(ImageProblem::Truncated {
                    format: Format::Png
                }),
                "cut at {cut}"
            );
        }
        assert_eq!(
            examine(&png_file(0, 0)),
            Err(ImageProblem::NoPixels {
                format: Format::Png,
                width: 0,
                height: 0
            })
        );
        assert_eq!(
            examine(&png_file(10_000, 5_001)),
            Err(ImageProblem::TooManyPixels {
                width: 10_000,
                height: 5_001
            })
        );
    }

    #[test]
    fn a_jpeg_is_whole_only_up_to_its_end_of_image_marker() {
        let mut jpeg = vec![0xFF, 0xD8];
        // APP0 with a stray 0xFF 0xD9 inside it (as an embedded thumbnail has).
        jpeg.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x06, 0xFF, 0xD9, 0x00, 0x00]);
        // SOF0: 8 bits, height 2, width 3, one component.
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 8, 0, 2, 0, 3, 1, 1, 0x11, 0]);
        // SOS, then data with a stuffed 0xFF00 and a restart marker.
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0]);
        jpeg.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        let whole = [jpeg.as_slice(), &[0xFF, 0xD9]].concat();
        assert_eq!(examine(&whole), Ok((Format::Jpeg, Some((3, 2)))));
        for cut in [3, 8, 12, 20, jpeg.len(), whole.len() - 1] {
            assert_eq!(
                examine(&whole[..cut]),
                Err(ImageProblem::Truncated {
                    format: Format::Jpeg
                }),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn an_svg_is_known_by_its_root_element_after_any_prolog() {
        let long_comment = format!("<!-- {} -->", "licence text ".repeat(100));
        for svg in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_string(),
            format!("\u{FEFF}<?xml version=\"1.0\"?>\n{long_comment}\n<svg>"),
            "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\" [\n<!ENTITY a \"<>\">\n]>\n<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\">".to_string(),
            "<SVG>".to_string(),
        ] {
            assert_eq!(detect(svg.as_bytes()), Some(Format::Svg), "{svg}");
        }
        for not in [
            "<!DOCTYPE html><html><body><svg></svg></body></html>",
            "<svgx>",
            "text <svg>",
            "<!-- <svg> never closed",
        ] {
            assert_eq!(detect(not.as_bytes()), None, "{not}");
        }
    }
}
