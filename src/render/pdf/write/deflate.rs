//! Compression of the streams: zlib (through zlib-rs) at [`LEVEL`], kept only when it saves more
//! than 19 bytes (as lopdf's `Stream::compress` decides), with one compressor a thread kept for
//! the whole document (lopdf makes a new one, some 300 KB of tables, for every stream, which for
//! a document of 49,000 pages cost more than writing them), the pages' compressed on every core.

use flate2::{Compress, Compression, FlushCompress, Status};
use lopdf::{Dictionary, Object, Stream};

/// The zlib level: 6, zlib's default. Measured on the large benchmark SOP (zlib-rs, the whole
/// `render`): level 9 took 513 ms for 2.09 MB, level 6 305 ms for 2.16 MB, level 1 249 ms for
/// 3.11 MB (docs/performance.md).
const LEVEL: u32 = 6;

/// How many pages are compressed together, on every core.
pub(super) const BATCH: usize = 64;

thread_local! {
    /// Each thread's compressor, kept between batches.
    static DEFLATER: std::cell::RefCell<Deflater> = std::cell::RefCell::new(Deflater::default());
}

/// Each of `contents` as a stream ([`Deflater::stream`]), compressed on every core, in order.
pub(super) fn in_parallel(contents: Vec<Vec<u8>>) -> Vec<Stream> {
    use rayon::prelude::*;
    contents
        .into_par_iter()
        .map(|content| DEFLATER.with(|d| d.borrow_mut().stream(content)))
        .collect()
}

/// A zlib compressor used stream after stream.
pub(super) struct Deflater {
    compress: Compress,
}

impl Default for Deflater {
    fn default() -> Deflater {
        Deflater {
            compress: Compress::new(Compression::new(LEVEL), true),
        }
    }
}

impl Deflater {
    /// `content` as a zlib stream (RFC 1950).
    fn zlib(&mut self, content: &[u8]) -> Vec<u8> {
        self.compress.reset();
        let mut out = Vec::with_capacity(content.len() / 4 + 64);
        loop {
            let read = self.compress.total_in() as usize;
            let rest = content.get(read..).unwrap_or_default();
            match self
                .compress
                .compress_vec(rest, &mut out, FlushCompress::Finish)
            {
                Ok(Status::StreamEnd) | Err(_) => return out,
                Ok(Status::Ok | Status::BufError) => out.reserve(out.capacity().max(64)),
            }
        }
    }

    /// A stream of `content`, always compressed (`/Filter /FlateDecode`): for a stream whose
    /// dictionary names decoding parameters, which apply to a filter.
    pub(super) fn compressed(&mut self, content: &[u8]) -> Stream {
        let mut stream = Stream::new(Dictionary::new(), self.zlib(content));
        stream
            .dict
            .set("Filter", Object::Name(b"FlateDecode".to_vec()));
        stream
    }

    /// A stream of `content`, compressed (`/Filter /FlateDecode`) when that makes it more
    /// than 19 bytes shorter, as lopdf's `Stream::compress` decides.
    pub(super) fn stream(&mut self, content: Vec<u8>) -> Stream {
        let compressed = self.zlib(&content);
        let mut stream = Stream::new(Dictionary::new(), content);
        if compressed.len() + 19 < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
        stream
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_compressed_when_it_pays_read_back_whole_and_the_same_on_every_core() {
        let mut repetitive = Vec::new();
        for n in 0..40_000u32 {
            repetitive
                .extend_from_slice(format!("<0011000300110003> Tj {} Tm\n", n % 97).as_bytes());
        }
        let mut noisy = Vec::new();
        let mut x = 12345u32;
        for _ in 0..300_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            noisy.push((x >> 16) as u8);
        }
        let contents: Vec<&[u8]> =
            vec![b"", b"BT\nET", b"short, not worth it", &repetitive, &noisy];
        let mut deflater = Deflater::default();
        let mut first = Vec::new();
        for content in &contents {
            let ours = deflater.stream(content.to_vec());
            let compressed = ours.dict.get(b"Filter").is_ok();
            // Only the long, repetitive content pays; noise and short text stay as they are.
            assert_eq!(
                compressed,
                content.len() == repetitive.len(),
                "{} bytes",
                content.len()
            );
            let mut back = ours.clone();
            if compressed {
                back.decompress().expect("inflates");
            }
            assert_eq!(back.content, *content);
            // The compressor kept between streams gives the same bytes again.
            assert_eq!(deflater.stream(content.to_vec()).content, ours.content);
            first.push(ours);
        }
        let parallel = in_parallel(contents.iter().map(|c| c.to_vec()).collect());
        assert_eq!(parallel, first);
        let always = deflater.compressed(b"BT\nET");
        let mut back = always.clone();
        back.decompress().expect("inflates");
        assert_eq!(back.content, b"BT\nET");
    }
}
