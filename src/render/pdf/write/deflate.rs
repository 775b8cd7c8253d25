//! Compression of the content streams, as lopdf's `Stream::compress` does it (zlib at the best
//! level, kept only when it saves more than 19 bytes), with one compressor for the whole
//! document: lopdf makes a new one, some 300 KB of tables, for every stream, which for a
//! document of 49,000 pages cost more than writing them. The tests compare the bytes.

use flate2::{Compress, Compression, FlushCompress, Status};
use lopdf::{Dictionary, Object, Stream};

/// A zlib compressor used stream after stream.
pub(super) struct Deflater {
    compress: Compress,
}

impl Default for Deflater {
    fn default() -> Deflater {
        Deflater {
            compress: Compress::new(Compression::best(), true),
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

    fn by_lopdf(content: &[u8]) -> Stream {
        let mut stream = Stream::new(Dictionary::new(), content.to_vec());
        stream.compress().expect("compresses");
        stream
    }

    #[test]
    fn streams_are_compressed_as_lopdf_compresses_them() {
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
        let mut deflater = Deflater::default();
        for content in [
            &b""[..],
            b"BT\nET",
            b"short, not worth it",
            &repetitive,
            &noisy,
        ] {
            for _ in 0..2 {
                let ours = deflater.stream(content.to_vec());
                let theirs = by_lopdf(content);
                assert_eq!(ours.content, theirs.content, "{} bytes", content.len());
                assert_eq!(ours.dict, theirs.dict);
            }
        }
    }
}
