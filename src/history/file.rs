//! A version file's content: the report's exact text, gzip-compressed (so
//! `zcat` reads it by hand), and read back only if it is whole and is the
//! text its name's SHA-256 says.

use std::io::{BufReader, Read, Write};

use flate2::Compression;

use super::{HistoryError, VersionId, VersionMeta};
use crate::report;

/// gzip level 3: for the 10 MB report 25.5% of the text in 120 ms, where
/// the default 6 gives 24.8% in 320 ms (BENCHMARKS.md, history).
pub(super) const LEVEL: u32 = 3;

/// `source`, gzip-compressed.
#[cfg(test)]
pub fn gzip(source: &str) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    gzip_parts(std::iter::once(source), &mut out)?;
    Ok(out)
}

/// Writes the text `parts` make, gzip-compressed, to `out`, as it is
/// compressed: a 52 MB report's version is never whole in memory a second
/// time (13 MB); each part is dropped once it is compressed.
pub fn gzip_parts<P: AsRef<str>>(
    parts: impl Iterator<Item = P>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut gz = flate2::write::GzEncoder::new(out, Compression::new(LEVEL));
    for p in parts {
        gz.write_all(p.as_ref().as_bytes())?;
    }
    gz.finish().map(drop)
}

/// The text kept in `v`'s file, checked against its size and SHA-256.
pub fn read(v: &VersionMeta) -> Result<String, HistoryError> {
    let corrupt = |reason: String| HistoryError::Corrupt {
        path: v.path.clone(),
        reason,
    };
    let file = std::fs::File::open(&v.path).map_err(|source| HistoryError::Read {
        path: v.path.clone(),
        source,
    })?;
    // A bounded read: a damaged (or hostile) file cannot make us hold more
    // than the largest report.
    let mut text = String::with_capacity(v.size.min(report::MAX_BYTES) as usize);
    let decoder = flate2::read::GzDecoder::new(BufReader::new(file));
    if let Err(e) = decoder
        .take(report::MAX_BYTES + 1)
        .read_to_string(&mut text)
    {
        use std::io::ErrorKind::{InvalidData, InvalidInput, UnexpectedEof};
        return Err(match e.kind() {
            InvalidData | InvalidInput | UnexpectedEof => {
                corrupt(format!("not whole gzip text: {}", report::describe_io(&e)))
            }
            _ => HistoryError::Read {
                path: v.path.clone(),
                source: e,
            },
        });
    }
    if text.len() as u64 != v.size {
        return Err(corrupt(format!(
            "{} bytes where its name says {}",
            text.len(),
            v.size
        )));
    }
    if VersionId::of(&text) != v.id {
        return Err(corrupt("its text does not match its SHA-256".into()));
    }
    Ok(text)
}
