//! A version kept as it is read: hashed and compressed a piece at a time,
//! so that a reload need not hold the whole new text for the history while
//! the version on screen and the one being made are in memory too. The
//! compressed text waits for its name (its hash, known at the end) in a
//! file of no name in the history's directory, not in memory: it was a
//! tenth of a reload's peak at 10 MB.

use std::io::{Seek, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::Digest;

use super::{Format, Header, History, HistoryError, Recorded, VersionId, file};

/// A text being kept, given piece by piece in order.
pub struct Recording {
    format: Format,
    sha: sha2::Sha256,
    gz: GzEncoder<Spool>,
    /// Why the compressed text could not be written, if it could not.
    failed: Option<std::io::Error>,
    size: u64,
    /// From the first piece, which ends before the first theme.
    header: Option<Header>,
}

impl Recording {
    /// Nothing yet, of a report written in `format`, to be kept in the
    /// history in `dir` (the compressed text waits there; in memory when
    /// no file can be made there).
    pub fn new(format: Format, dir: Option<&Path>) -> Recording {
        let spool = dir
            .and_then(|d| tempfile::tempfile_in(d).ok())
            .map_or(Spool::Memory(Vec::new()), Spool::File);
        Recording {
            format,
            sha: sha2::Sha256::new(),
            gz: GzEncoder::new(spool, Compression::new(file::LEVEL)),
            failed: None,
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
        if self.failed.is_none()
            && let Err(e) = self.gz.write_all(piece.as_bytes())
        {
            // Said when it is kept: the text is still read for the parse.
            self.failed = Some(e);
        }
    }

    /// Keeps the text in `history`, first seen at `seen_at_unix`.
    pub fn keep(self, history: &History, seen_at_unix: i64) -> Result<Recorded, HistoryError> {
        let id = VersionId(self.sha.finalize().into());
        let about = (id, self.size, self.format, self.header.unwrap_or_default());
        let (failed, gz) = (self.failed, self.gz);
        history.record_writing(about, seen_at_unix, |out| {
            if let Some(e) = failed {
                return Err(e);
            }
            match gz.finish()? {
                Spool::Memory(bytes) => out.write_all(&bytes),
                Spool::File(mut file) => {
                    file.rewind()?;
                    std::io::copy(&mut file, out).map(drop)
                }
            }
        })
    }
}

/// Where the compressed text waits: a file of no name, else memory.
enum Spool {
    File(std::fs::File),
    Memory(Vec<u8>),
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Spool::File(f) => f.write(buf),
            Spool::Memory(v) => v.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Spool::File(f) => f.flush(),
            Spool::Memory(_) => Ok(()),
        }
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
        // Spooled in the history's directory, and in memory when it cannot be.
        let kept = |dir: Option<&Path>, seen| {
            let mut recording = Recording::new(Format::Toml, dir);
            for p in pieces {
                recording.add(p);
            }
            recording.keep(&history, seen).expect("kept")
        };
        let kept = kept(Some(history.dir()), 1_000);
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
        // Nothing is left in the directory but the version.
        let files: Vec<_> = std::fs::read_dir(history.dir())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .filter(|n| n != ".lock")
            .collect();
        assert_eq!(
            files.len(),
            1,
            "the spool has no name, and is gone: {files:?}"
        );
        let other = ["title = \"S\"\n", "[[theme]]\ntitle = \"C\"\n"];
        let mut recording = Recording::new(Format::Toml, None);
        other.into_iter().for_each(|p| recording.add(p));
        let Ok(Recorded::Kept { version, .. }) = recording.keep(&history, 3_000) else {
            panic!("kept from memory");
        };
        assert_eq!(
            history.load_version(&version).expect("loads"),
            other.concat()
        );
    }
}
