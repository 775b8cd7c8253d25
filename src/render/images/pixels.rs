//! Decoding: an image's pixels, for the PDF (which stores them, Flate-compressed) and as the
//! proof that a PNG or JPEG file is readable before a rendition shows it.
//!
//! Decoding goes through the `image` crate with its allocation limit set, after
//! [`super::probe`] has checked the size in the header against [`MAX_PIXELS`], so memory stays
//! within about 4 bytes per pixel (200 MB at the limit) whatever the file claims.

use std::io::Cursor;

use image::ImageDecoder as _;

use super::{Format, Image, ImageProblem, MAX_PIXELS};

/// How the samples of [`Pixels`] are laid out, 8 bits each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channels {
    /// One grey sample per pixel.
    Gray,
    /// Grey, then alpha.
    GrayAlpha,
    /// Red, green, blue.
    Rgb,
    /// Red, green, blue, alpha.
    Rgba,
}

/// Decoded pixels, row by row from the top, 8 bits per sample (16-bit images are reduced to 8
/// bits: more than print or screen show).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pixels {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The samples' layout.
    pub channels: Channels,
    /// `width × height × channels` samples.
    pub samples: Vec<u8>,
}

/// The pixels of a PNG, JPEG, GIF (its first frame) or WebP image.
///
/// # Errors
/// [`ImageProblem::NotInPdf`] for SVG (not decoded here);
/// [`ImageProblem::Undecodable`] with the decoder's reason when the data is damaged.
pub fn decode(image: &Image) -> Result<Pixels, ImageProblem> {
    let format = match image.format {
        Format::Png => image::ImageFormat::Png,
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Gif => image::ImageFormat::Gif,
        Format::WebP => image::ImageFormat::WebP,
        other => return Err(ImageProblem::NotInPdf { format: other }),
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(&image.bytes), format);
    let mut limits = image::Limits::default();
    // Four 16-bit samples a pixel at the pixel limit, the most a decoder needs to hold.
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    let undecodable = |e: image::ImageError| ImageProblem::Undecodable {
        format: image.format,
        reason: reason(&e),
    };
    let mut decoder = reader.into_decoder().map_err(undecodable)?;
    // A phone photo's EXIF orientation (CIPA DC-008, tag 0x0112), as browsers apply it to the
    // HTML's image: the PDF shows it the same way up (`cases/` B32). An unreadable tag is
    // taken as none.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut decoded = image::DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    decoded.apply_orientation(orientation);
    let (width, height) = (decoded.width(), decoded.height());
    let color = decoded.color();
    let (channels, samples) = match (color.has_color(), color.has_alpha()) {
        (false, false) => (Channels::Gray, decoded.into_luma8().into_raw()),
        (false, true) => (Channels::GrayAlpha, decoded.into_luma_alpha8().into_raw()),
        (true, false) => (Channels::Rgb, decoded.into_rgb8().into_raw()),
        (true, true) => (Channels::Rgba, decoded.into_rgba8().into_raw()),
    };
    Ok(Pixels {
        width,
        height,
        channels,
        samples,
    })
}

/// Whether the renditions can show `image`: a PNG, JPEG, GIF or WebP must decode, an SVG must
/// convert for the PDF ([`super::drawing`]).
///
/// # Errors
/// As [`decode`] and [`super::drawing`].
pub fn verify(image: &Image) -> Result<(), ImageProblem> {
    match image.format {
        Format::Svg => super::drawing(image).map(drop),
        _ => decode(image).map(drop),
    }
}

/// The decoder's reason in a sentence's middle: lower case, without a final full stop.
fn reason(error: &image::ImageError) -> String {
    let text = match error {
        image::ImageError::Decoding(e) => e.to_string(),
        other => other.to_string(),
    };
    // "Format error decoding Png: …": the format is already in the message.
    let text = match text.split_once(": ") {
        Some((head, rest)) if head.to_ascii_lowercase().starts_with("format error") => rest,
        _ => text.as_str(),
    };
    let text = text.trim().trim_end_matches('.');
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect::<String>()
    })
}
