//! A report's text read in pieces of whole themes, so that it is never
//! whole in memory beside what is made of it: each piece is dropped once it
//! is parsed (and kept in the history). A reload holds the version on
//! screen as well, and with the whole text too it peaked at 5x the file.

use std::path::Path;
use std::sync::Arc;

use super::file::{check_kind, io_error, open_checked, read_chunk};
use crate::error::LoadError;

/// How much text a piece holds at least (but the first). A piece ends
/// before a `[[theme]]` header, so it is longer by part of a theme.
const PIECE: usize = crate::sys::LARGE;
/// How much is read at a time.
pub(super) const CHUNK: usize = 256 * 1024;

/// A report's text in pieces: the first up to the line of the first
/// `[[theme]]` header, each other from the start of such a line on (see
/// [`super::Report::parse_pieces`]).
#[derive(Clone, Debug, Default)]
pub struct Pieces {
    parts: Vec<Arc<str>>,
    /// Where the `[[theme]]` headers start in each part, as cutting found
    /// them (so the parse does not look again); none for a part not searched.
    starts: Vec<Option<Arc<[usize]>>>,
}

impl Pieces {
    /// A text as one piece (a small file, or one read whole).
    pub fn whole(text: &str) -> Pieces {
        Pieces {
            parts: vec![Arc::from(text)],
            starts: vec![None],
        }
    }

    /// These texts as pieces, cut as [`read_pieces`] cuts (tests).
    #[cfg(test)]
    pub fn of_parts(parts: Vec<&str>) -> Pieces {
        Pieces {
            starts: vec![None; parts.len()],
            parts: parts.into_iter().map(Arc::from).collect(),
        }
    }

    /// The pieces, in order.
    pub fn parts(&self) -> &[Arc<str>] {
        &self.parts
    }

    /// The pieces, to be dropped one by one as they are used.
    pub fn into_parts(self) -> Vec<Arc<str>> {
        self.parts
    }

    /// The pieces with where their `[[theme]]` headers start, when known.
    pub fn into_parts_with_starts(self) -> impl Iterator<Item = (Arc<str>, Option<Arc<[usize]>>)> {
        self.parts.into_iter().zip(self.starts)
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text's fingerprint, as [`super::fingerprint`] gives it for the whole text.
    pub fn fingerprint(&self) -> u64 {
        super::file::fingerprint_of(self.parts.iter().map(|p| p.as_bytes()))
    }
}

/// Reads the report at `path` as [`super::read_text`] does (a regular file
/// of at most `limit` bytes, read again if it changes meanwhile, UTF-8),
/// cut into pieces as it is read.
pub fn read_pieces(path: &Path, limit: u64) -> Result<Pieces, LoadError> {
    let io = io_error(path);
    let file = open_checked(path, limit)?;
    let mut chunk = vec![0; CHUNK];
    for _ in 0..3 {
        let before = file.metadata().map_err(io)?;
        check_kind(path, &before, limit)?;
        let mut cutter = Cutter::default();
        let mut read = 0u64;
        let whole = loop {
            let n = read_chunk((path, limit), &file, &mut chunk, &mut read)?;
            if n == 0 {
                break cutter.finish();
            }
            if cutter.push(&chunk[..n]).is_err() {
                // Not UTF-8: the whole read says where, as it always has.
                return super::read_text(path, limit).map(|t| Pieces::whole(&t));
            }
        };
        let after = file.metadata().map_err(io)?;
        if after.len() == read && after.modified().ok() == before.modified().ok() {
            // Not UTF-8: the whole read says where, as it always has.
            return match whole {
                Some(pieces) => Ok(pieces),
                None => super::read_text(path, limit).map(|t| Pieces::whole(&t)),
            };
        }
        use std::io::Seek;
        (&file).seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    }
    Err(LoadError::Unstable {
        path: path.to_owned(),
    })
}

/// A piece, with where its `[[theme]]` headers start when cutting found them.
pub(super) type Part = (Arc<str>, Option<Arc<[usize]>>);

/// Cuts bytes, as they come, into pieces at `[[theme]]` header lines.
#[derive(Default)]
pub(super) struct Cutter {
    /// What is read and not yet a piece: from the start, or from a header line.
    buf: Vec<u8>,
    parts: Vec<Arc<str>>,
    starts: Vec<Option<Arc<[usize]>>>,
    /// How long `buf` must be before a cut is tried again: a theme longer
    /// than a piece is not searched for a header at every chunk.
    next_try: usize,
    /// Whether a piece was cut (the first ends at the first header).
    cut_once: bool,
}

impl Cutter {
    /// The pieces cut so far, taken (to be handed on as they are cut).
    pub(super) fn take(&mut self) -> impl Iterator<Item = Part> + use<> {
        let parts = std::mem::take(&mut self.parts);
        parts.into_iter().zip(std::mem::take(&mut self.starts))
    }

    /// Takes `bytes`; `Err` when they are not UTF-8.
    pub(super) fn push(&mut self, bytes: &[u8]) -> Result<(), ()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() < PIECE.max(self.next_try) {
            return Ok(());
        }
        let valid = match std::str::from_utf8(&self.buf) {
            Ok(s) => s,
            // A char cut by the chunk's end waits for the next chunk.
            Err(e) if e.error_len().is_none() => {
                std::str::from_utf8(&self.buf[..e.valid_up_to()]).map_err(drop)?
            }
            Err(_) => return Err(()),
        };
        let starts = super::theme_headers(valid);
        // At the start of the header's line, so that a piece's lines and
        // columns are the file's.
        let line = |at: usize| valid[..at].rfind('\n').map_or(0, |i| i + 1);
        // The first piece ends at the first header. Any other is at least
        // PIECE long, so that it has pages of its own, given back to the
        // system when it is dropped (`sys::fix_large_allocations`), and holds
        // at least one theme.
        let cut = if !self.cut_once {
            starts.first().map(|&s| line(s))
        } else {
            starts.iter().map(|&s| line(s)).find(|&l| l >= PIECE)
        };
        let Some(cut) = cut else {
            self.next_try = self.buf.len() * 2;
            return Ok(());
        };
        // Its headers, where the piece starts.
        let own: Arc<[usize]> = starts.iter().filter(|&&s| s < cut).copied().collect();
        let rest = self.buf.split_off(cut);
        let piece = std::mem::replace(&mut self.buf, rest);
        self.parts
            .push(Arc::from(std::str::from_utf8(&piece).map_err(drop)?));
        self.starts.push(Some(own));
        self.next_try = 0;
        self.cut_once = true;
        Ok(())
    }

    /// The pieces, once everything is read; `None` when it is not UTF-8.
    pub(super) fn finish(mut self) -> Option<Pieces> {
        let last = std::str::from_utf8(&self.buf).ok()?;
        if !last.is_empty() || !self.cut_once {
            self.parts.push(Arc::from(last));
            self.starts.push(None);
        }
        Some(Pieces {
            parts: self.parts,
            starts: self.starts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(i: usize, filler: usize) -> String {
        format!(
            "[[theme]]\ntitle = \"T{i}\"\nbody = \"\"\"\n{}\n[[theme]] inside a string\n\"\"\"\n",
            "x".repeat(filler)
        )
    }

    fn cut(text: &str) -> Vec<String> {
        let mut c = Cutter::default();
        for chunk in text.as_bytes().chunks(4096) {
            c.push(chunk).expect("UTF-8");
        }
        let pieces = c.finish().expect("UTF-8");
        pieces.parts().iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn pieces_are_cut_at_header_lines_and_join_to_the_text() {
        let mut text = String::from("title = \"R\"\n");
        for i in 0..40 {
            text.push_str(&theme(i, 70_000));
        }
        text.push_str("  [[theme]]\ntitle = \"é\"\n");
        let parts = cut(&text);
        assert!(parts.len() > 2, "{} pieces", parts.len());
        assert_eq!(parts.concat(), text);
        assert_eq!(parts[0], "title = \"R\"\n");
        for p in &parts[1..] {
            assert!(
                p.trim_start().starts_with("[[theme]]\ntitle"),
                "{:?}",
                &p[..20]
            );
        }
        let mut c = Cutter::default();
        for chunk in text.as_bytes().chunks(4096) {
            c.push(chunk).expect("UTF-8");
        }
        for (part, starts) in c.finish().expect("UTF-8").into_parts_with_starts() {
            if let Some(starts) = starts {
                assert_eq!(
                    *starts,
                    *super::super::theme_headers(&part),
                    "as the parse finds them"
                );
            }
        }
        let whole = Pieces::whole(&text);
        let pieces = Pieces::of_parts(parts.iter().map(String::as_str).collect());
        assert_eq!(pieces.fingerprint(), whole.fingerprint());
        assert_eq!(pieces.fingerprint(), super::super::fingerprint(&text));
    }

    #[test]
    fn a_theme_longer_than_a_piece_is_one_piece() {
        let (long, short) = (theme(0, 3 * PIECE), theme(1, 10));
        let text = format!("title = \"R\"\n{long}{short}");
        // The short theme comes after the last cut was tried.
        assert_eq!(cut(&text), ["title = \"R\"\n".to_string(), long + &short]);
    }

    #[test]
    fn a_large_file_that_is_not_utf8_is_refused_where_it_is_not() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.toml");
        let mut bytes = b"title = \"R\"\n".to_vec();
        for i in 0..40 {
            if i == 5 {
                // Early, with megabytes after it: found while cutting.
                bytes.extend_from_slice(b"[[theme]]\ntitle = \"\xff\"\n");
            }
            bytes.extend_from_slice(theme(i, 70_000).as_bytes());
        }
        std::fs::write(&path, &bytes).expect("write");
        match read_pieces(&path, 1 << 30) {
            // 5 themes of 6 lines after the title; the bad byte is in the next title.
            Err(LoadError::NotUtf8 { at, .. }) => assert_eq!(at.line, 33, "{at}"),
            other => panic!("{:?}", other.map(|p| p.len())),
        }
    }

    #[test]
    fn a_small_text_is_one_piece_and_bad_utf8_is_refused() {
        assert_eq!(cut("title = \"R\"\n"), ["title = \"R\"\n"]);
        assert_eq!(cut(""), [""]);
        let mut c = Cutter::default();
        let _ = c.push(b"title = \"\xff\"");
        assert!(c.finish().is_none());
    }
}
