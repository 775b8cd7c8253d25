//! One page's items as PDF: its content stream, its link annotations and its dictionary.
//!
//! The operators and their operands are those printpdf 0.12 writes for the operations sopctl
//! used to hand it (`Op::SetFont`, `Op::ShowText`, `Op::DrawLine`, …, translated by printpdf's
//! `translate_operations` and `link_annotation_to_dict`), made here page by page so that no
//! page's operations outlive the page, and written straight into bytes ([`super::syntax`]).
//! Matrices, colours, rectangles and image transforms go through printpdf's own public types,
//! so the numbers are computed the same way. Text is encoded with [`GlyphCodes`].

use lopdf::{Object, StringFormat};
use printpdf::{
    BorderArray, Color, CurTransMat, HighlightingMode, Px, Rect, TextMatrix, WindingOrder,
    XObjectTransform,
};

use super::super::fonts::{FaceId, PathStep, drawn, kerning_thousandths, outlines};
use super::super::layout::structure::{Mark, Role, Structure};
use super::super::layout::{Item, LayoutDoc, Pt, Rgb};
use super::super::text::LinkTarget;
use super::glyphs::GlyphCodes;
use super::syntax::{Numbers, Ops, real_array, reference};

/// The resource name of a face's font: six capital letters, also its subset tag
/// (ISO 32000-1 §9.6.4).
pub(super) fn font_tag(face: FaceId) -> &'static str {
    match face {
        FaceId::Sans => "SOPSAA",
        FaceId::SansBold => "SOPSAB",
        FaceId::SansItalic => "SOPSAC",
        FaceId::SansBoldItalic => "SOPSAD",
        FaceId::Mono => "SOPSAE",
        FaceId::MonoBold => "SOPSAF",
    }
}

/// The resource name of image `n` (from 0).
pub(super) fn image_name(n: usize) -> String {
    format!("Im{}", n + 1)
}

fn rgb(c: Rgb) -> Vec<f32> {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None)).into_vec()
}

/// What the page translation needs of the document: its height (to turn the layout's top-left
/// origin into PDF's bottom-left one, in points), the codes and the images' sizes in pixels.
pub(super) struct Translator<'a> {
    /// Page height, points.
    pub(super) height: f32,
    pub(super) codes: &'a GlyphCodes,
    /// Width and height of each image, pixels.
    pub(super) image_sizes: &'a [(usize, usize)],
    pub(super) numbers: Numbers,
    /// The structure elements the marks name.
    pub(super) structure: &'a Structure,
}

/// Drawing state carried between items, so that consecutive text runs share one text object
/// and colours and fonts are set only when they change.
#[derive(Default)]
struct State {
    in_text: bool,
    font: Option<(FaceId, f32)>,
    fill: Option<Rgb>,
    stroke: Option<(Rgb, f32)>,
    /// A marked-content sequence is open.
    marked: bool,
}

impl Translator<'_> {
    fn flip(&self, y: Pt) -> f32 {
        self.height - y.0
    }

    /// The page's content stream (uncompressed), in drawing order.
    pub(super) fn contents(&mut self, items: &[Item]) -> Vec<u8> {
        let mut numbers = std::mem::take(&mut self.numbers);
        let mut ops = Ops {
            out: Vec::new(),
            numbers: &mut numbers,
        };
        let mut state = State::default();
        for item in items {
            if state.in_text && !matches!(item, Item::Text { .. }) {
                ops.begin().operator("ET");
                state.in_text = false;
            }
            match item {
                Item::Mark(mark) => self.mark(*mark, &mut state, &mut ops),
                Item::Text { .. } => self.text(item, &mut state, &mut ops),
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color,
                } => {
                    if state.stroke != Some((*color, width.0)) {
                        ops.begin().reals(rgb(*color)).operator("RG");
                        ops.begin().real(width.0).operator("w");
                        state.stroke = Some((*color, width.0));
                    }
                    ops.begin().reals([x1.0, self.flip(*y1)]).operator("m");
                    ops.begin().reals([x2.0, self.flip(*y2)]).operator("l");
                    ops.begin().operator("S");
                }
                Item::Rect { x, y, w, h, fill } => {
                    if state.fill != Some(*fill) {
                        ops.begin().reals(rgb(*fill)).operator("rg");
                        state.fill = Some(*fill);
                    }
                    let r = self.rect(*x, *y, *w, *h);
                    ops.begin()
                        .reals([r.x.0, r.y.0, r.width.0, r.height.0])
                        .operator("re");
                    ops.begin().operator(WindingOrder::NonZero.get_fill_op());
                }
                Item::Image { x, y, w, h, image } => self.image(*image, (*x, *y, *w, *h), &mut ops),
                // Not drawn: a link is an annotation ([`Translator::page`]).
                Item::Link { .. } => {}
            }
        }
        if state.in_text {
            ops.begin().operator("ET");
        }
        if state.marked {
            ops.begin().operator("EMC");
        }
        let out = ops.out;
        self.numbers = numbers;
        out
    }

    /// Ends the marked-content sequence open and begins the one `mark` says:
    /// `/P <</MCID 3>> BDC` for content of a structure element, `/Artifact BMC` for an artifact
    /// (ISO 32000-1 §14.6, §14.7.4.2, §14.8.2.2). Sequences begin and end outside text objects.
    fn mark(&self, mark: Mark, state: &mut State, ops: &mut Ops<'_>) {
        if state.marked {
            ops.begin().operator("EMC");
        }
        match mark {
            Mark::Artifact => {
                ops.begin().name("Artifact").operator("BMC");
            }
            Mark::Content { node, mcid } => {
                let role = self.structure.nodes.get(node).map_or(Role::P, |n| n.role);
                let mut properties = lopdf::Dictionary::new();
                properties.set("MCID", i64::from(mcid));
                ops.begin()
                    .name(role.name())
                    .object(Object::Dictionary(properties))
                    .operator("BDC");
            }
        }
        state.marked = true;
    }

    /// A box given by its top-left corner (layout coordinates) in PDF coordinates.
    fn rect(&self, x: Pt, y: Pt, w: Pt, h: Pt) -> Rect {
        Rect::from_xywh(
            printpdf::Pt(x.0),
            printpdf::Pt(self.flip(y + h)),
            printpdf::Pt(w.0),
            printpdf::Pt(h.0),
        )
    }

    fn text(&self, item: &Item, state: &mut State, ops: &mut Ops<'_>) {
        let Item::Text {
            x,
            y,
            face,
            size,
            text,
            color,
            angle,
        } = item
        else {
            return;
        };
        if *angle != 0.0 {
            // Rotated text is the watermark: drawn as outlines, it is no text to extract.
            self.outlined((*x, *y, *angle), (*face, *size, text), *color, state, ops);
            return;
        }
        // A character the face has no glyph for is drawn as the missing mark, never `.notdef`
        // (PDF/A-2 §6.2.11.8); the layout measured it so.
        let shown;
        let text = if text.chars().all(|c| drawn(*face, c) == c) {
            text
        } else {
            shown = text.chars().map(|c| drawn(*face, c)).collect::<String>();
            &shown
        };
        if !state.in_text {
            ops.begin().operator("BT");
            state.in_text = true;
        }
        if state.font != Some((*face, *size)) {
            ops.begin().name(font_tag(*face)).real(*size).operator("Tf");
            state.font = Some((*face, *size));
        }
        if state.fill != Some(*color) {
            ops.begin().reals(rgb(*color)).operator("rg");
            state.fill = Some(*color);
        }
        let (px, py) = (printpdf::Pt(x.0), printpdf::Pt(self.flip(*y)));
        ops.begin()
            .reals(TextMatrix::Translate(px, py).as_array())
            .operator("Tm");
        ops.begin();
        match self.codes.face(*face) {
            Some(codes) if codes.cid => {
                // Kerned pairs move closer (or apart) by a `TJ` adjustment between them.
                let mut runs: Vec<(Vec<u16>, f32)> = vec![(Vec::new(), 0.0)];
                let mut before = None;
                for c in text.chars() {
                    let kern = before.map_or(0.0, |b| kerning_thousandths(*face, b, c));
                    if kern != 0.0 {
                        runs.push((Vec::new(), -kern));
                    }
                    if let Some(run) = runs.last_mut() {
                        run.0.push(codes.code(c));
                    }
                    before = Some(c);
                }
                if let [(only, _)] = runs.as_slice() {
                    ops.codes(only.iter().copied());
                    ops.operator("Tj");
                } else {
                    ops.out.push(b'[');
                    for (i, (run, adjustment)) in runs.iter().enumerate() {
                        if i > 0 {
                            ops.real(*adjustment);
                        }
                        ops.codes(run.iter().copied());
                    }
                    ops.out.push(b']');
                    ops.operator("TJ");
                }
            }
            _ => {
                ops.object(self.codes.string(*face, text));
                ops.operator("Tj");
            }
        }
    }

    /// Text drawn as the outlines of its glyphs, filled, rotated by `angle` degrees about its
    /// start `(x, y)`: `q cm … f Q`.
    fn outlined(
        &self,
        (x, y, angle): (Pt, Pt, f32),
        (face, size, text): (FaceId, f32, &str),
        color: Rgb,
        state: &mut State,
        ops: &mut Ops<'_>,
    ) {
        if state.in_text {
            ops.begin().operator("ET");
            state.in_text = false;
        }
        let (sin, cos) = angle.to_radians().sin_cos();
        ops.begin().operator("q");
        ops.begin()
            .reals([cos, sin, -sin, cos, x.0, self.flip(y)])
            .operator("cm");
        ops.begin().reals(rgb(color)).operator("rg");
        for step in outlines(face, text, size) {
            match step {
                PathStep::Move(x, y) => ops.begin().reals([x, y]).operator("m"),
                PathStep::Line(x, y) => ops.begin().reals([x, y]).operator("l"),
                PathStep::Curve(points) => ops.begin().reals(points).operator("c"),
                PathStep::Close => ops.begin().operator("h"),
            }
        }
        ops.begin().operator(WindingOrder::NonZero.get_fill_op());
        // The fill colour set inside `q … Q` is undone by `Q`: the state's stays true.
        ops.begin().operator("Q");
    }

    /// `q cm Do Q`: image `n` scaled from its pixels (one point each at 72 dpi) to the box.
    fn image(&self, n: usize, (x, y, w, h): (Pt, Pt, Pt, Pt), ops: &mut Ops<'_>) {
        let Some(&(pw, ph)) = self.image_sizes.get(n) else {
            return;
        };
        let transform = XObjectTransform {
            translate_x: Some(printpdf::Pt(x.0)),
            translate_y: Some(printpdf::Pt(self.flip(y + h))),
            rotate: None,
            scale_x: Some(w.0 / pw as f32),
            scale_y: Some(h.0 / ph as f32),
            dpi: Some(72.0),
            no_auto_scale: false,
        };
        let mut matrix = CurTransMat::Identity;
        for step in transform.get_ctms(Some((Px(pw), Px(ph)))) {
            matrix = CurTransMat::Raw(CurTransMat::combine_matrix(
                matrix.as_array(),
                step.as_array(),
            ));
        }
        ops.begin().operator("q");
        ops.begin().reals(matrix.as_array()).operator("cm");
        ops.begin().name(&image_name(n)).operator("Do");
        ops.begin().operator("Q");
    }

    /// The page's dictionary: `start` (its first keys, up to the parent, as written by lopdf
    /// without the closing `>>`), its resources and contents, its link annotations (objects
    /// `annotations`, in item order, ISO 32000-1 §12.5.6.5), its key in the structure's parent
    /// tree (§14.7.4.4) and the tab order of its annotations, the structure's (PDF/UA-1 §7.18.3).
    pub(super) fn page(
        &self,
        start: &[u8],
        (resources, contents): (u32, u32),
        annotations: &[u32],
        struct_parents: usize,
    ) -> Vec<u8> {
        let mut out = start.to_vec();
        out.extend_from_slice(b"/Resources ");
        reference(&mut out, resources);
        out.extend_from_slice(b"/Contents ");
        reference(&mut out, contents);
        out.extend_from_slice(b"/Annots[");
        for (i, id) in annotations.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            reference(&mut out, *id);
        }
        out.extend_from_slice(b"]/StructParents ");
        out.extend_from_slice(struct_parents.to_string().as_bytes());
        out.extend_from_slice(b"/Tabs/S>>");
        out
    }

    /// A link annotation as an object: `<</Type/Annot/Subtype/Link/Rect[…]/A<<…>>/Border[0 0 0]
    /// /C[]/H/I/F 4/StructParent n/Contents(…)>>`, printed (PDF/A-2 §6.3.2), in the structure
    /// (key `struct_parent` of the parent tree) and described by the link's text (PDF/UA-1
    /// §7.18.5); `None` for an anchor no heading has.
    pub(super) fn annotation(
        &mut self,
        (x, y, w, h): (Pt, Pt, Pt, Pt),
        target: &LinkTarget,
        at: &Anchors<'_>,
        struct_parent: usize,
        description: &str,
    ) -> Option<Vec<u8>> {
        let rect = self.rect(x, y, w, h);
        let mut out = Vec::new();
        let (ll, ur) = (rect.lower_left(), rect.upper_right());
        out.extend_from_slice(b"<</Type/Annot/Subtype/Link/Rect");
        real_array(
            &mut out,
            &mut self.numbers,
            &[ll.x.0, ll.y.0, ur.x.0, ur.y.0],
        );
        out.extend_from_slice(b"/A<<");
        match target {
            LinkTarget::Uri(uri) => {
                out.extend_from_slice(b"/S/URI/URI");
                let uri = Object::String(uri.clone().into_bytes(), StringFormat::Literal);
                out.extend_from_slice(&super::file::encode(uri));
            }
            LinkTarget::Anchor(anchor) => {
                let (page, top) = at.layout.anchors.get(anchor)?;
                out.extend_from_slice(b"/S/GoTo/D[");
                if *page < at.layout.pages.len() {
                    reference(&mut out, at.first_page + *page as u32);
                } else {
                    out.extend_from_slice(b"null");
                }
                out.extend_from_slice(b"/XYZ null ");
                let top = at.layout.height.0 - top.0 + 4.0;
                self.numbers.write(&mut out, top);
                out.extend_from_slice(b" null]");
            }
        }
        out.extend_from_slice(b">>/Border");
        let border = BorderArray::Solid([0.0, 0.0, 0.0]).to_array();
        real_array(&mut out, &mut self.numbers, &border);
        // No colour (`ColorArray::Transparent`): an empty array.
        out.extend_from_slice(b"/C[]/H/");
        out.extend_from_slice(HighlightingMode::default().get_id().as_bytes());
        out.extend_from_slice(b"/F 4/StructParent ");
        out.extend_from_slice(struct_parent.to_string().as_bytes());
        out.extend_from_slice(b"/Contents");
        out.extend_from_slice(&super::file::encode(super::text_string(description)));
        out.extend_from_slice(b">>");
        Some(out)
    }
}

/// Whether a link to `target` is made into an annotation: an address always, an anchor when a
/// heading has it.
pub(super) fn is_live(target: &LinkTarget, layout: &LayoutDoc) -> bool {
    match target {
        LinkTarget::Uri(_) => true,
        LinkTarget::Anchor(anchor) => layout.anchors.contains_key(anchor),
    }
}

/// Where internal links go: each heading's page and top, and the pages' object numbers.
pub(super) struct Anchors<'a> {
    pub(super) layout: &'a LayoutDoc,
    /// The object number of the first page; the others follow it.
    pub(super) first_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Dictionary;
    use lopdf::content::Content;

    fn page() -> Vec<Item> {
        let text = |text: &str, face, angle| Item::Text {
            x: Pt(56.692_913),
            y: Pt(100.25),
            face,
            size: 9.5,
            text: text.to_string(),
            color: Rgb::BLACK,
            angle,
        };
        vec![
            Item::Mark(Mark::Artifact),
            text("DRAFT", FaceId::SansBold, 45.0),
            Item::Mark(Mark::Content { node: 0, mcid: 0 }),
            text("ab", FaceId::Sans, 0.0),
            text("", FaceId::Sans, 0.0),
            Item::Line {
                x1: Pt(10.0),
                y1: Pt(20.0),
                x2: Pt(300.5),
                y2: Pt(20.0),
                width: Pt(0.6),
                color: Rgb::RULE,
            },
            Item::Rect {
                x: Pt(1.0),
                y: Pt(2.0),
                w: Pt(3.0),
                h: Pt(4.0),
                fill: Rgb::BAND,
            },
            Item::Image {
                x: Pt(5.0),
                y: Pt(6.0),
                w: Pt(70.0),
                h: Pt(80.0),
                image: 0,
            },
            text("a(b)", FaceId::Mono, 0.0),
            text("ba", FaceId::Mono, 0.0),
        ]
    }

    #[test]
    fn contents_are_written_as_lopdf_encodes_them() {
        let mut codes = GlyphCodes::default();
        codes.learn(FaceId::Sans, true, "ab", &[0, 7, 1, 2]);
        codes.learn(
            FaceId::SansBold,
            true,
            "DRAFT",
            &[0, 1, 0, 2, 0, 3, 0, 4, 0, 5],
        );
        // A face printpdf does not embed (no glyph of it in use): WinAnsi bytes, literal.
        codes.learn(FaceId::Mono, false, "a()b", b"a()b");
        let mut translator = Translator {
            height: 841.889_8,
            codes: &codes,
            image_sizes: &[(640, 480)],
            numbers: Numbers::default(),
            structure: &Structure::default(),
        };
        let ours = translator.contents(&page());
        let decoded = Content::decode(&ours).expect("decodes");
        assert_eq!(
            String::from_utf8_lossy(&decoded.encode().expect("encodes")),
            String::from_utf8_lossy(&ours)
        );
        let text = String::from_utf8_lossy(&ours);
        // The watermark is outlines in an artifact; no text of it is shown.
        assert!(text.starts_with("/Artifact BMC\nq\n0.70710677 0.70710677 -0.70710677 0.70710677 56.692913 741.6398 cm\n"), "{text}");
        assert!(!text.contains("/SOPSAB"), "{text}");
        assert!(
            text.contains("EMC\n/Document <</MCID 0>> BDC\nBT\n/SOPSAA 9.5 Tf\n"),
            "{text}"
        );
        assert!(text.ends_with("ET\nEMC"), "{text}");
        assert!(text.contains("<00070102> Tj"), "{text}");
        assert!(text.contains("<> Tj"), "{text}");
        // printpdf writes single bytes in hexadecimal when one is a parenthesis.
        assert!(text.contains("<61286229> Tj\n"), "{text}");
        assert!(text.contains("\n/Im1 Do\nQ"), "{text}");
        assert!(text.contains("(ba) Tj\nET"), "{text}");
        let mut operators: Vec<&str> = decoded
            .operations
            .iter()
            .map(|o| o.operator.as_str())
            .collect();
        // The watermark's outline, up to its fill: many segments, collapsed here.
        let fill = operators.iter().position(|o| *o == "f").expect("filled");
        assert!(fill > 20, "{operators:?}");
        operators.retain({
            let mut i = 0;
            move |o| {
                i += 1;
                i > fill || !matches!(*o, "m" | "l" | "c" | "h")
            }
        });
        assert_eq!(
            operators,
            [
                "BMC", "q", "cm", "rg", "f", "Q", "EMC", "BDC", "BT", "Tf", "rg", "Tm", "Tj", "Tm",
                "Tj", "ET", "RG", "w", "m", "l", "S", "rg", "re", "f", "q", "cm", "Do", "Q", "BT",
                "Tf", "rg", "Tm", "Tj", "Tm", "Tj", "ET", "EMC"
            ]
        );
    }

    /// printpdf's `link_annotation_to_dict` for the annotation sopctl made.
    fn printpdf_annotation(rect: &Rect, action: Dictionary) -> Object {
        let (ll, ur) = (rect.lower_left(), rect.upper_right());
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Annot".to_vec()));
        d.set("Subtype", Object::Name(b"Link".to_vec()));
        let corners = [ll.x.0, ll.y.0, ur.x.0, ur.y.0];
        d.set("Rect", Object::Array(corners.map(Object::Real).to_vec()));
        d.set("A", Object::Dictionary(action));
        d.set("Border", Object::Array(vec![Object::Real(0.0); 3]));
        d.set("C", Object::Array(Vec::new()));
        d.set("H", Object::Name(b"I".to_vec()));
        Object::Dictionary(d)
    }

    #[test]
    fn a_page_and_its_links_are_written_as_printpdf_and_lopdf_write_them() {
        let mut layout = LayoutDoc {
            width: Pt(595.275_6),
            height: Pt(841.889_8),
            pages: vec![Default::default(); 2],
            outline: Vec::new(),
            images: Vec::new(),
            anchors: Default::default(),
            structure: Structure::default(),
        };
        layout.anchors.insert("scope".into(), (1, Pt(300.5)));
        layout.anchors.insert("gone".into(), (7, Pt(10.0)));
        let codes = GlyphCodes::default();
        let structure = Structure::default();
        let mut translator = Translator {
            height: layout.height.0,
            codes: &codes,
            image_sizes: &[],
            numbers: Numbers::default(),
            structure: &structure,
        };
        let anchors = Anchors {
            layout: &layout,
            first_page: 9,
        };
        let mut start = Dictionary::new();
        start.set("Type", Object::Name(b"Page".to_vec()));
        start.set("Parent", Object::Reference((2, 0)));
        let mut start = super::super::file::encode(Object::Dictionary(start.clone()));
        start.truncate(start.len() - 2);
        let ours = translator.page(&start, (20, 21), &[30, 31], 1);
        let mut expected = Dictionary::new();
        expected.set("Type", Object::Name(b"Page".to_vec()));
        expected.set("Parent", Object::Reference((2, 0)));
        expected.set("Resources", Object::Reference((20, 0)));
        expected.set("Contents", Object::Reference((21, 0)));
        let annots = vec![Object::Reference((30, 0)), Object::Reference((31, 0))];
        expected.set("Annots", Object::Array(annots));
        expected.set("StructParents", 1);
        expected.set("Tabs", Object::Name(b"S".to_vec()));
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&super::super::file::encode(Object::Dictionary(expected)))
        );

        let area = (Pt(56.7), Pt(120.25), Pt(481.9), Pt(14.5));
        let rect = translator.rect(area.0, area.1, area.2, area.3);
        let mut uri = Dictionary::new();
        uri.set("S", Object::Name(b"URI".to_vec()));
        let address = b"https://example.com/a_(b)\\c".to_vec();
        uri.set("URI", Object::String(address, StringFormat::Literal));
        let goto = |page: Object, top: f32| {
            let mut d = Dictionary::new();
            d.set("S", Object::Name(b"GoTo".to_vec()));
            let xyz = Object::Name(b"XYZ".to_vec());
            let dest = vec![page, xyz, Object::Null, Object::Real(top), Object::Null];
            d.set("D", Object::Array(dest));
            d
        };
        let tagged = |action, key: i64, text: &str| {
            let Object::Dictionary(mut d) = printpdf_annotation(&rect, action) else {
                unreachable!()
            };
            d.set("F", 4);
            d.set("StructParent", key);
            d.set("Contents", super::super::text_string(text));
            super::super::file::encode(Object::Dictionary(d))
        };
        let cases = [
            (
                LinkTarget::Uri("https://example.com/a_(b)\\c".into()),
                Some(tagged(uri, 2, "the form")),
            ),
            (LinkTarget::Anchor("nowhere".into()), None),
            (
                LinkTarget::Anchor("scope".into()),
                Some(tagged(
                    goto(Object::Reference((10, 0)), 841.889_8 - 300.5 + 4.0),
                    2,
                    "the form",
                )),
            ),
            (
                LinkTarget::Anchor("gone".into()),
                Some(tagged(
                    goto(Object::Null, 841.889_8 - 10.0 + 4.0),
                    2,
                    "the form",
                )),
            ),
        ];
        for (target, expected) in cases {
            let ours = translator.annotation(area, &target, &anchors, 2, "the form");
            assert_eq!(
                ours.map(|b| String::from_utf8_lossy(&b).into_owned()),
                expected.map(|b| String::from_utf8_lossy(&b).into_owned()),
                "{target:?}"
            );
            assert_eq!(
                is_live(&target, &layout),
                !matches!(&target, LinkTarget::Anchor(a) if a == "nowhere")
            );
        }
    }
}
