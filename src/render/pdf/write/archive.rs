//! What makes the PDF an archival one (PDF/A-2, ISO 19005-2) beyond what every PDF has: the
//! XMP metadata stream and the sRGB output intent.
//!
//! - §6.6.2 (metadata): the catalog's `/Metadata` is an XMP packet whose title, author,
//!   subject, keywords, producer, creator tool and dates are those of the document information
//!   dictionary (§6.6.3, consistency), with `pdfaid:part` and `pdfaid:conformance` (§6.6.4) and
//!   every property outside the predefined schemas declared in a PDF/A extension schema
//!   (§6.6.2.3): PDF/UA's `pdfuaid:part` (ISO 14289-1 §5) and sopctl's identity of the copy
//!   (`sop:ID`, `sop:Version`, …, the same values as the `SOP-…` keys of the information).
//!   The packet is not compressed, so that tools that look for XMP by its bytes find it.
//! - §6.2.3 (output intent): one `/GTS_PDFA1` output intent with an ICC profile of sRGB
//!   IEC 61966-2.1, which makes the DeviceRGB colours the layout uses device-independent.

use std::fmt::Write as _;
use std::sync::OnceLock;

use lopdf::{Dictionary, Object, Stream, StringFormat};

use super::DocInfo;
use super::deflate::Deflater;
use super::file::PdfFile;
use crate::render::html::escape;

/// The name of the output condition written into the output intent and the ICC profile.
const SRGB: &str = "sRGB IEC61966-2.1";

/// The XMP namespace of sopctl's identity properties.
pub(super) const SOP_NAMESPACE: &str = "https://sopctl.org/ns/sop/1.0/";

/// The XMP namespaces the packet uses: prefix and URI.
const NAMESPACES: [(&str, &str); 9] = [
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("pdf", "http://ns.adobe.com/pdf/1.3/"),
    ("xmp", "http://ns.adobe.com/xap/1.0/"),
    ("pdfaid", "http://www.aiim.org/pdfa/ns/id/"),
    ("pdfuaid", "http://www.aiim.org/pdfua/ns/id/"),
    ("pdfaExtension", "http://www.aiim.org/pdfa/ns/extension/"),
    ("pdfaSchema", "http://www.aiim.org/pdfa/ns/schema#"),
    ("pdfaProperty", "http://www.aiim.org/pdfa/ns/property#"),
    ("sop", SOP_NAMESPACE),
];

/// An ICC profile of sRGB (version 4.0, 3 components, made by moxcms): the same bytes on
/// every run (its creation date is fixed, not the time of the run).
fn srgb_profile() -> &'static [u8] {
    static PROFILE: OnceLock<Vec<u8>> = OnceLock::new();
    PROFILE.get_or_init(|| {
        let mut profile = moxcms::ColorProfile::new_srgb();
        // Without the CICP tag the profile is ICC version 4.0, which PDF 1.7 reads (ICC.1:2004-10).
        profile.cicp = None;
        let mut bytes = profile.encode().unwrap_or_default();
        // Bytes 24 to 35 of the header: the date and time the profile was made (ICC.1 §7.2.8).
        if let Some(date) = bytes.get_mut(24..36) {
            date.copy_from_slice(&[0x07, 0xEA, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
        }
        bytes
    })
}

/// The catalog's `/OutputIntents` array, naming object `id` as its ICC profile, and that
/// profile's stream.
pub(super) fn output_intents(deflater: &mut Deflater, id: u32) -> (Object, Stream) {
    let mut stream = deflater.stream(srgb_profile().to_vec());
    stream.dict.set("N", 3);
    let text = |s: &str| Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set("OutputConditionIdentifier", text(SRGB));
    intent.set("Info", text(SRGB));
    intent.set("RegistryName", text("http://www.color.org"));
    intent.set("DestOutputProfile", Object::Reference((id, 0)));
    (Object::Array(vec![Object::Dictionary(intent)]), stream)
}

/// Writes the XMP packet as object `id` (an uncompressed `/Metadata` stream).
pub(super) fn metadata(file: &mut PdfFile, id: u32, info: &DocInfo, tagged: bool) {
    let xmp = xmp(info, tagged);
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Metadata".to_vec()));
    dict.set("Subtype", Object::Name(b"XML".to_vec()));
    file.stream(id, &Stream::new(dict, xmp.into_bytes()));
}

/// An instant as XMP writes it (ISO 8601, UTC): `2026-02-01T00:00:00+00:00`.
pub(super) fn xmp_date(seconds: i64) -> String {
    let date = printpdf::OffsetDateTime::from_unix_timestamp(seconds)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0));
    match date {
        Ok(d) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        ),
        Err(_) => "1970-01-01T00:00:00+00:00".to_string(),
    }
}

/// The XMP property name of an identity key of the document information: `SOP-ID` → `ID`.
pub(super) fn identity_property(key: &str) -> &str {
    key.strip_prefix("SOP-").unwrap_or(key)
}

/// What an identity property says, for its declaration in the extension schema.
fn identity_meaning(key: &str) -> &'static str {
    match key {
        "SOP-ID" => "The standard operating procedure's document ID",
        "SOP-Version" => "The version of the procedure this file is a rendition of",
        "SOP-Status" => "The version's status when the file was made",
        "SOP-Notice" => "The notice stamped on a copy that is no longer in force",
        "SOP-Generator" => "The program that stamped the copy",
        _ => "Part of the copy's identity",
    }
}

/// The creator tool and producer, as in the document information.
pub(super) fn creator() -> String {
    format!("sopctl {}", env!("CARGO_PKG_VERSION"))
}

/// The producer, as in the document information.
pub(super) fn producer() -> String {
    format!("sopctl {} (printpdf)", env!("CARGO_PKG_VERSION"))
}

/// A PDF/A extension schema (ISO 19005-2 §6.6.2.3.2): its name, namespace URI and prefix, and
/// each property's name, value type, category and description.
fn extension_schema(
    out: &mut String,
    (name, uri, prefix): (&str, &str, &str),
    properties: &[(&str, &str, &str, &str)],
) {
    let _ = write!(
        out,
        "<rdf:li rdf:parseType=\"Resource\">\
         <pdfaSchema:schema>{name}</pdfaSchema:schema>\
         <pdfaSchema:namespaceURI>{uri}</pdfaSchema:namespaceURI>\
         <pdfaSchema:prefix>{prefix}</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>"
    );
    for (name, kind, category, about) in properties {
        let _ = write!(
            out,
            "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>\
             <pdfaProperty:valueType>{kind}</pdfaProperty:valueType>\
             <pdfaProperty:category>{category}</pdfaProperty:category>\
             <pdfaProperty:description>{about}</pdfaProperty:description></rdf:li>"
        );
    }
    out.push_str("</rdf:Seq></pdfaSchema:property></rdf:li>\n");
}

/// The XMP packet (ISO 16684-1) of the document, whose text [`DocInfo::printable`] has already
/// freed of the characters XML cannot hold.
fn xmp(info: &DocInfo, tagged: bool) -> String {
    let date = xmp_date(info.date);
    let mut out = String::from(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\"",
    );
    for (prefix, uri) in NAMESPACES {
        let _ = write!(out, "\n xmlns:{prefix}=\"{uri}\"");
    }
    out.push_str(">\n");
    out.push_str("<dc:format>application/pdf</dc:format>\n");
    let _ = writeln!(
        out,
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>",
        escape(&info.title)
    );
    if !info.author.is_empty() {
        let _ = writeln!(
            out,
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
            escape(&info.author)
        );
    }
    if !info.subject.is_empty() {
        let _ = writeln!(
            out,
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>",
            escape(&info.subject)
        );
    }
    if !info.lang.is_empty() {
        let _ = writeln!(
            out,
            "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>",
            escape(&info.lang)
        );
    }
    if !info.keywords.is_empty() {
        let _ = writeln!(
            out,
            "<pdf:Keywords>{}</pdf:Keywords>",
            escape(&info.keywords.join(","))
        );
    }
    let _ = writeln!(out, "<pdf:Producer>{}</pdf:Producer>", escape(&producer()));
    out.push_str("<pdf:Trapped>False</pdf:Trapped>\n");
    let _ = writeln!(
        out,
        "<xmp:CreatorTool>{}</xmp:CreatorTool>",
        escape(&creator())
    );
    let _ = writeln!(out, "<xmp:CreateDate>{date}</xmp:CreateDate>");
    let _ = writeln!(out, "<xmp:ModifyDate>{date}</xmp:ModifyDate>");
    let _ = writeln!(out, "<xmp:MetadataDate>{date}</xmp:MetadataDate>");
    let conformance = if tagged { "A" } else { "U" };
    let _ = writeln!(
        out,
        "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>{conformance}</pdfaid:conformance>"
    );
    if tagged {
        out.push_str("<pdfuaid:part>1</pdfuaid:part>\n");
    }
    for (key, value) in &info.identity {
        let name = identity_property(key);
        let _ = writeln!(out, "<sop:{name}>{}</sop:{name}>", escape(value));
    }
    out.push_str("<pdfaExtension:schemas><rdf:Bag>\n");
    extension_schema(
        &mut out,
        (
            "PDF/UA Universal Accessibility Schema",
            "http://www.aiim.org/pdfua/ns/id/",
            "pdfuaid",
        ),
        &[(
            "part",
            "Integer",
            "internal",
            "Part of ISO 14289 the file conforms to",
        )],
    );
    let identity: Vec<_> = crate::render::IDENTITY
        .iter()
        .map(|(key, _)| {
            (
                identity_property(key),
                "Text",
                "external",
                identity_meaning(key),
            )
        })
        .collect();
    extension_schema(
        &mut out,
        ("sopctl standard operating procedure", SOP_NAMESPACE, "sop"),
        &identity,
    );
    out.push_str("</rdf:Bag></pdfaExtension:schemas>\n");
    out.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n");
    // Room to edit the packet in place (ISO 16684-1 §7.3.3), as XMP writers leave.
    for _ in 0..20 {
        out.push_str(&" ".repeat(99));
        out.push('\n');
    }
    out.push_str("<?xpacket end=\"w\"?>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_srgb_profile_is_an_icc_version_4_rgb_display_profile_made_the_same_every_time() {
        let p = srgb_profile();
        assert_eq!(&p[36..40], b"acsp");
        assert_eq!(&p[16..20], b"RGB ");
        assert_eq!(&p[12..16], b"mntr");
        assert_eq!(p[8], 4);
        assert_eq!(
            u32::from_be_bytes([p[0], p[1], p[2], p[3]]) as usize,
            p.len()
        );
        assert_eq!(&p[24..36], &[0x07, 0xEA, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn xmp_dates_are_iso_8601_in_utc() {
        assert_eq!(xmp_date(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(xmp_date(1_769_904_000), "2026-02-01T00:00:00+00:00");
    }

    #[test]
    fn the_packet_escapes_text_and_names_the_identity() {
        let info = DocInfo {
            title: "SOP-1 <Cleaning> & \"drying\"".into(),
            author: "QA".into(),
            subject: "Standard operating procedure, version 1.0".into(),
            keywords: vec!["SOP-1".into(), "SOP".into()],
            date: 0,
            lang: "en".into(),
            identity: vec![("SOP-ID".into(), "SOP-1".into())],
        };
        let x = xmp(&info, false);
        assert!(
            x.contains("SOP-1 &lt;Cleaning&gt; &amp; &quot;drying&quot;"),
            "{x}"
        );
        assert!(x.contains("<sop:ID>SOP-1</sop:ID>"), "{x}");
        assert!(
            x.contains("<pdfaid:conformance>U</pdfaid:conformance>"),
            "{x}"
        );
        assert!(!x.contains("<pdfuaid:part>"), "{x}");
        assert!(x.contains("<pdf:Keywords>SOP-1,SOP</pdf:Keywords>"), "{x}");
    }
}
