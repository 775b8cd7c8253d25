//! Images in the PDF as a viewer shows them (issue 19 item 5; field case B32).

use crate::harness::TestEnv;
use crate::pdf::tool;

/// A 200 × 100 JPEG, left half red and right half blue, whose EXIF orientation tag (CIPA
/// DC-008 tag 0x0112) is `orientation`: a phone photo stored sideways.
fn oriented_jpeg(orientation: u16) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(200, 100, |x, _| {
        if x < 100 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encode");
    let jpeg = jpeg.into_inner();
    // A little-endian TIFF header and one IFD entry: Orientation, SHORT, 1, the value.
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x0112u16.to_le_bytes());
    tiff.extend(3u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(orientation.to_le_bytes());
    tiff.extend([0, 0]);
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = vec![0xFF, 0xE1];
    let length = u16::try_from(2 + 6 + tiff.len()).expect("short");
    app1.extend(length.to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(tiff);
    // Right after the start-of-image marker.
    let mut out = jpeg[..2].to_vec();
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

#[test]
fn b32_a_photo_is_drawn_the_way_up_its_exif_orientation_says() {
    let env = TestEnv::repo();
    env.write("sops/img/photo.jpg", oriented_jpeg(6));
    env.write(
        "sops/photo.md",
        "---\nid: SOP-032\ntitle: Photo\nowner: QA\n---\n## Photo\n\n![The line](img/photo.jpg)\n",
    );
    env.commit("photo");
    env.run(&["render", "SOP-032", "--format", "pdf", "-o", "out"])
        .expect_code(0);
    let pdf = env.path("out/drafts/SOP-032/SOP-032-working-copy.pdf");
    let list = tool("pdfimages", &["-list", pdf.to_str().expect("path")]);
    let sizes: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().skip(3).take(2).collect())
        .collect();
    // Stored 200 wide and 100 high; orientation 6 turns it a quarter clockwise.
    assert_eq!(sizes, [["100", "200"]], "{list}");
    tool(
        "pdfimages",
        &[
            "-png",
            pdf.to_str().expect("path"),
            env.path("img").to_str().expect("path"),
        ],
    );
    let shown = image::open(env.path("img-000.png"))
        .expect("the image pdfimages wrote")
        .to_rgb8();
    let (top, bottom) = (shown.get_pixel(50, 20), shown.get_pixel(50, 180));
    assert!(top[0] > 150 && top[2] < 100, "red on top: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "blue at the bottom: {bottom:?}"
    );
}

/// `picture` encoded as `format`.
fn encoded(picture: &image::RgbaImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    match format {
        image::ImageFormat::Gif => image::DynamicImage::ImageRgba8(picture.clone())
            .write_to(&mut out, format)
            .expect("encode"),
        _ => picture.write_to(&mut out, format).expect("encode"),
    }
    out.into_inner()
}

#[test]
fn b32_gif_webp_and_a_png_with_transparency_are_drawn_in_the_pdf() {
    // Teal on the left, transparent on the right.
    let picture = image::RgbaImage::from_fn(200, 100, |x, _| {
        if x < 100 {
            image::Rgba([0, 128, 128, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let env = TestEnv::repo();
    env.write("sops/img/a.gif", encoded(&picture, image::ImageFormat::Gif));
    env.write(
        "sops/img/b.webp",
        encoded(&picture, image::ImageFormat::WebP),
    );
    env.write("sops/img/c.png", encoded(&picture, image::ImageFormat::Png));
    env.write(
        "sops/images.md",
        "---\nid: SOP-032\ntitle: Images\nowner: QA\n---\n## Images\n\n![gif](img/a.gif)\n\n![webp](img/b.webp)\n\n![png](img/c.png)\n",
    );
    env.commit("images");
    let run = env.run(&["render", "SOP-032", "--format", "pdf", "-o", "out"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "", "no image is left out");
    let pdf = env.path("out/drafts/SOP-032/SOP-032-working-copy.pdf");
    let list = tool("pdfimages", &["-list", pdf.to_str().expect("path")]);
    let kinds: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().skip(2).take(3).collect())
        .collect();
    // Each drawn with its transparency as a soft mask.
    assert_eq!(
        kinds,
        [
            ["image", "200", "100"],
            ["smask", "200", "100"],
            ["image", "200", "100"],
            ["smask", "200", "100"],
            ["image", "200", "100"],
            ["smask", "200", "100"],
        ],
        "{list}"
    );
}

#[test]
fn b32_an_svg_is_drawn_as_vectors_with_its_colours_and_no_warning() {
    let env = TestEnv::repo();
    env.write(
        "sops/img/flow.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160">
  <rect x="10" y="30" width="200" height="100" fill="#1f5fa8"/>
  <text x="240" y="80" font-size="14">Inspect</text>
</svg>"##,
    );
    env.write(
        "sops/images.md",
        "---\nid: SOP-033\ntitle: Images\nowner: QA\n---\n## Images\n\n![The flow: receive, inspect](img/flow.svg)\n",
    );
    env.commit("svg");
    let run = env.run(&["render", "SOP-033", "--format", "pdf", "-o", "out"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "", "the SVG is not left out");
    let pdf = env.path("out/drafts/SOP-033/SOP-033-working-copy.pdf");
    // Vectors: no picture is embedded, and no alt text stands in for it.
    let list = tool("pdfimages", &["-list", pdf.to_str().expect("path")]);
    assert_eq!(list.lines().count(), 2, "{list}");
    let text = tool("pdftotext", &[pdf.to_str().expect("path"), "-"]);
    assert!(!text.contains("[image:"), "{text}");
    // The rectangle is on the page in its colour: 200 × 100 CSS pixels are 150 × 75 points,
    // about 208 × 104 pixels at 100 dpi.
    let (_, _, pixels) = &crate::redline::page_images(&pdf)[0];
    let blue = pixels
        .chunks(3)
        .filter(|p| p[0].abs_diff(31) < 8 && p[1].abs_diff(95) < 8 && p[2].abs_diff(168) < 8)
        .count();
    assert!(
        (19_000..23_000).contains(&blue),
        "{blue} pixels of the rectangle's blue"
    );
    // Its alternate description is the alt text (PDF/UA-1 §7.3).
    let pdf = lopdf::Document::load(&pdf).expect("pdf");
    let alt = pdf.objects.values().find_map(|o| {
        let d = o.as_dict().ok()?;
        (d.get(b"S").ok()?.as_name().ok()? == b"Figure")
            .then(|| d.get(b"Alt").ok()?.as_str().ok().map(<[u8]>::to_vec))?
    });
    assert_eq!(alt.as_deref(), Some(&b"The flow: receive, inspect"[..]));
}
