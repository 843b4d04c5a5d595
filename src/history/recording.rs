//! A version kept as it is read: hashed and compressed a piece at a time,
//! so that a reload need not hold the whole new text for the history while
//! the version on screen and the one being made are in memory too.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::Digest;

use super::{Format, Header, History, HistoryError, Recorded, VersionId, file};

/// A text being kept, given piece by piece in order.
pub struct Recording {
    format: Format,
    sha: sha2::Sha256,
    gz: GzEncoder<Vec<u8>>,
    size: u64,
    /// From the first piece, which ends before the first theme.
    header: Option<Header>,
}

impl Recording {
    /// Nothing yet, of a report written in `format`.
    pub fn new(format: Format) -> Recording {
        Recording {
            format,
            sha: sha2::Sha256::new(),
            gz: GzEncoder::new(Vec::new(), Compression::new(file::LEVEL)),
            size: 0,
            header: None,
        }
    }

    /// The next piece of the text.
    pub fn add(&mut self, piece: &str) {
        if self.header.is_none() {
            self.header = Some(match self.format {
                Format::Toml => Header::of_toml(piece),
                _ => Header::default(),
            });
        }
        self.sha.update(piece.as_bytes());
        self.size += piece.len() as u64;
        // Into memory: it cannot fail (and `finish` would say so).
        let _ = self.gz.write_all(piece.as_bytes());
    }

    /// Keeps the text in `history`, first seen at `seen_at_unix`.
    pub fn keep(self, history: &History, seen_at_unix: i64) -> Result<Recorded, HistoryError> {
        let id = VersionId(self.sha.finalize().into());
        let about = (id, self.size, self.format, self.header.unwrap_or_default());
        let compressed = self.gz.finish();
        history.record_writing(about, seen_at_unix, |out| out.write_all(&compressed?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_keeps_the_text_as_a_whole_record_does() {
        let dir = tempfile::tempdir().expect("dir");
        let report = dir.path().join("r.toml");
        let history = History::open_in(&dir.path().join("state"), &report).expect("history");
        let pieces = [
            "title = \"R\"\nnumber = 7\n",
            "[[theme]]\ntitle = \"A\"\n",
            "[[theme]]\ntitle = \"B\"\n",
        ];
        let mut recording = Recording::new(Format::Toml);
        for p in pieces {
            recording.add(p);
        }
        let kept = recording.keep(&history, 1_000).expect("kept");
        let Recorded::Kept { version, .. } = kept else {
            panic!("a new version");
        };
        assert_eq!(version.id, VersionId::of_parts(pieces.into_iter()));
        assert_eq!(
            version.header.number,
            Some(7),
            "the header, from the first piece"
        );
        assert_eq!(
            history.load_version(&version).expect("loads"),
            pieces.concat()
        );
        // The same text again is the version kept already.
        let again = history.record(&pieces.concat(), Format::Toml, 2_000);
        assert!(matches!(again, Ok(Recorded::Known(_))));
    }
}
