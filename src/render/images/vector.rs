//! SVG images for the PDF, as vectors: parsed by usvg and converted by svg2pdf (typst's
//! converter) into a Form XObject the writer embeds and draws as it draws a picture. Text in
//! the SVG is set in the embedded DejaVu faces and drawn as outlines, so the same file gives the
//! same PDF on every machine. An `<image>` inside the SVG is taken only from a `data:` address:
//! a file it names is never read (it could lie outside the repository).

use std::sync::{Arc, OnceLock};

use svg2pdf::usvg;

use super::{Format, Image, ImageProblem};

/// The largest side of an SVG image, in CSS pixels: 20,000 pixels is over five metres at 96 to
/// the inch; a PDF's numbers stay exact far beyond it.
const MAX_SIDE: f32 = 20_000.0;

/// An SVG image converted for the PDF.
#[derive(Clone)]
pub struct Drawing {
    /// The PDF objects: a Form XObject one unit square, scaled to its box when drawn, and what
    /// it uses, numbered from 1.
    pub chunk: pdf_writer::Chunk,
    /// The Form XObject's number in `chunk`.
    pub form: pdf_writer::Ref,
    /// The image's width and height in CSS pixels (96 to the inch).
    pub size: (f32, f32),
}

impl std::fmt::Debug for Drawing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Drawing")
            .field("bytes", &self.chunk.len())
            .field("form", &self.form)
            .field("size", &self.size)
            .finish()
    }
}

impl PartialEq for Drawing {
    fn eq(&self, other: &Drawing) -> bool {
        self.form == other.form
            && self.size == other.size
            && self.chunk.as_bytes() == other.chunk.as_bytes()
    }
}

/// The embedded faces, the only fonts an SVG's text is set in.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            for face in crate::render::pdf::fonts::FaceId::ALL {
                db.load_font_data(face.bytes().to_vec());
            }
            db.set_sans_serif_family("DejaVu Sans");
            db.set_serif_family("DejaVu Sans");
            db.set_monospace_family("DejaVu Sans Mono");
            Arc::new(db)
        })
        .clone()
}

/// `image` (an SVG) converted for the PDF.
///
/// # Errors
/// [`ImageProblem::Undecodable`] with usvg's or svg2pdf's reason when the SVG cannot be read
/// or converted.
pub fn drawing(image: &Image) -> Result<Drawing, ImageProblem> {
    let undecodable = |reason: String| ImageProblem::Undecodable {
        format: Format::Svg,
        reason,
    };
    let mut options = usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    options.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
        resolve_string: Box::new(|_, _| None),
    };
    let tree =
        usvg::Tree::from_data(&image.bytes, &options).map_err(|e| undecodable(e.to_string()))?;
    let size = tree.size();
    // A size no page needs, whose numbers the PDF cannot hold (an SVG 1e30 pixels wide).
    let (w, h) = (size.width(), size.height());
    if !(w.is_finite() && h.is_finite() && w <= MAX_SIDE && h <= MAX_SIDE) {
        return Err(undecodable(format!(
            "it is {w} × {h} pixels, more than the {MAX_SIDE} a side an SVG may be"
        )));
    }
    let conversion = svg2pdf::ConversionOptions {
        embed_text: false,
        pdfa: true,
        ..svg2pdf::ConversionOptions::default()
    };
    let (chunk, form) =
        svg2pdf::to_chunk(&tree, conversion).map_err(|e| undecodable(e.to_string()))?;
    Ok(Drawing {
        chunk,
        form,
        size: (size.width(), size.height()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn svg(text: &str) -> Image {
        Image {
            relative: PathBuf::from("a.svg"),
            format: Format::Svg,
            bytes: text.as_bytes().to_vec(),
            size: None,
        }
    }

    #[test]
    fn an_svg_becomes_a_form_of_its_size_the_same_every_time() {
        let text = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
            <rect x="10" y="10" width="80" height="40" fill="#1f5fa8"/>
            <text x="20" y="80" font-size="14">Valve V-12</text></svg>"##;
        let a = drawing(&svg(text)).expect("converts");
        assert_eq!(a.size, (200.0, 100.0));
        assert!(a.chunk.refs().any(|r| r == a.form));
        assert_eq!(drawing(&svg(text)).expect("again"), a);
    }

    #[test]
    fn an_svg_too_large_to_draw_says_so() {
        let huge = drawing(&svg(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1e30\" height=\"10\"/>",
        ));
        assert!(
            matches!(&huge, Err(ImageProblem::Undecodable { reason, .. }) if reason.contains("more than the 20000 a side")),
            "{huge:?}"
        );
    }

    #[test]
    fn a_broken_svg_says_why_and_a_file_it_names_is_not_read() {
        let broken = drawing(&svg(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"",
        ));
        assert!(
            matches!(&broken, Err(ImageProblem::Undecodable { format: Format::Svg, reason }) if !reason.is_empty()),
            "{broken:?}"
        );
        // A real picture beside the SVG, named by path: never read.
        let png = std::env::temp_dir().join(format!("sopctl-vector-{}.png", std::process::id()));
        image::RgbImage::from_pixel(4, 4, image::Rgb([200, 10, 10]))
            .save(&png)
            .expect("a PNG");
        let outside = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10" xlink:href="{}"/></svg>"#,
            png.display()
        );
        let d = drawing(&svg(&outside)).expect("converts without the image");
        let _ = std::fs::remove_file(&png);
        assert!(!String::from_utf8_lossy(d.chunk.as_bytes()).contains("/Subtype /Image"));
        // The same picture as a data address is drawn.
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(4, 4, image::Rgb([200, 10, 10]))
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .expect("encodes");
        use base64::Engine as _;
        let inline = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10" xlink:href="data:image/png;base64,{}"/></svg>"#,
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        );
        let d = drawing(&svg(&inline)).expect("converts with the image");
        assert!(String::from_utf8_lossy(d.chunk.as_bytes()).contains("/Subtype /Image"));
    }
}
