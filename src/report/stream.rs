//! A report's text read piece by piece as it is parsed, never held whole: a
//! reload holds the version on screen too, and the whole new text beside it
//! was a third of a reload's peak at 10 MB. (The first load reads it in
//! pieces whole, [`super::read_pieces`]: it holds nothing else then.)

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;

use super::file::{Fingerprint, check_kind, io_error, open_checked, read_chunk};
use super::pieces::{CHUNK, Cutter, Part};
use crate::error::LoadError;

/// The pieces of the report at `path`, read as they are asked for (a piece
/// of whole themes, as [`super::read_pieces`] cuts them); each is also given
/// to `each` as it is handed on.
pub struct Stream<'a> {
    path: &'a Path,
    file: std::fs::File,
    limit: u64,
    before: std::fs::Metadata,
    cutter: Cutter,
    chunk: Vec<u8>,
    read: u64,
    ready: VecDeque<Part>,
    /// How the reading ended, once it has.
    end: Option<Result<(), LoadError>>,
    fingerprint: Fingerprint,
    each: &'a mut (dyn FnMut(&Arc<str>) + Send),
}

impl<'a> Stream<'a> {
    /// Starts reading `path`, a regular file of at most `limit` bytes.
    pub fn open(
        path: &'a Path,
        limit: u64,
        each: &'a mut (dyn FnMut(&Arc<str>) + Send),
    ) -> Result<Stream<'a>, LoadError> {
        let file = open_checked(path, limit)?;
        let before = file.metadata().map_err(io_error(path))?;
        check_kind(path, &before, limit)?;
        Ok(Stream {
            path,
            file,
            limit,
            before,
            cutter: Cutter::default(),
            chunk: vec![0; CHUNK],
            read: 0,
            ready: VecDeque::new(),
            end: None,
            fingerprint: Default::default(),
            each,
        })
    }

    /// Reads the rest (for `each`), and says how the text read compares
    /// with the file: its fingerprint ([`super::fingerprint`]) when the
    /// file did not change while it was read, `None` when it did (read it
    /// again), or why it could not be read.
    pub fn finish(mut self) -> Result<Option<u64>, LoadError> {
        while self.next().is_some() {}
        match self.end.take() {
            Some(Ok(())) => {}
            Some(Err(LoadError::Unstable { .. })) => return Ok(None),
            Some(Err(e)) => return Err(e),
            None => unreachable!("read to the end"),
        }
        Ok(Some(self.fingerprint.finish()))
    }

    // Reads the next chunk; pieces it completes go to `ready`.
    fn fill(&mut self) -> Result<(), LoadError> {
        let io = io_error(self.path);
        let at = (self.path, self.limit);
        let n = read_chunk(at, &self.file, &mut self.chunk, &mut self.read)?;
        let not_utf8 = || match super::read_text(self.path, self.limit) {
            // Not UTF-8: the whole read says where, as it always has.
            Err(e) => e,
            Ok(_) => LoadError::Unstable {
                path: self.path.to_owned(),
            },
        };
        if n == 0 {
            let last = std::mem::take(&mut self.cutter)
                .finish()
                .ok_or_else(not_utf8)?;
            self.ready.extend(last.into_parts_with_starts());
            let after = self.file.metadata().map_err(io)?;
            let same =
                after.len() == self.read && after.modified().ok() == self.before.modified().ok();
            self.end = Some(if same {
                Ok(())
            } else {
                Err(LoadError::Unstable {
                    path: self.path.to_owned(),
                })
            });
            return Ok(());
        }
        if self.cutter.push(&self.chunk[..n]).is_err() {
            return Err(not_utf8());
        }
        self.ready.extend(self.cutter.take());
        Ok(())
    }
}

impl Iterator for Stream<'_> {
    type Item = Part;

    fn next(&mut self) -> Option<Part> {
        while self.ready.is_empty() && self.end.is_none() {
            if let Err(e) = self.fill() {
                self.end = Some(Err(e));
            }
        }
        let part = self.ready.pop_front()?;
        self.fingerprint.add(part.0.as_bytes());
        (self.each)(&part.0);
        Some(part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A report of `n` themes of about 70 KB each, in more than one piece.
    fn text(n: usize) -> String {
        let mut text = String::from("title = \"R\"\n");
        for i in 0..n {
            text += &format!(
                "[[theme]]\ntitle = \"T{i}\"\nbody = \"{}\"\n",
                "x".repeat(70_000)
            );
        }
        text
    }

    #[test]
    fn the_stream_hands_on_the_pieces_a_whole_read_cuts_with_their_fingerprint() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.toml");
        std::fs::write(&path, text(40)).expect("write");
        let whole = super::super::read_pieces(&path, 1 << 30).expect("reads");
        let mut seen = Vec::new();
        let mut each = |p: &Arc<str>| seen.push(p.len());
        let mut stream = Stream::open(&path, 1 << 30, &mut each).expect("opens");
        let first: Vec<Part> = stream.by_ref().take(2).collect();
        // Read as asked for: two pieces asked, not the whole file read.
        assert!(
            stream.read < 4 * crate::sys::LARGE as u64,
            "{} read",
            stream.read
        );
        assert_eq!(stream.finish().expect("read"), Some(whole.fingerprint()));
        let file = super::super::fingerprint_file(&path, 1 << 30, |_| {}).expect("reads");
        assert_eq!(file, whole.fingerprint(), "the same, read without pieces");
        let parts: Vec<usize> = whole.parts().iter().map(|p| p.len()).collect();
        assert!(parts.len() > 2, "{parts:?}");
        assert_eq!(
            seen, parts,
            "each piece handed on once, the rest read by finish"
        );
        assert_eq!(*first[1].0, *whole.parts()[1]);
        assert_eq!(
            first[1].1,
            whole.into_parts_with_starts().nth(1).and_then(|p| p.1)
        );
    }

    #[test]
    fn a_change_while_it_is_read_says_read_again() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.toml");
        std::fs::write(&path, text(40)).expect("write");
        let mut writes = 0;
        let mut each = |_: &Arc<str>| {
            if writes == 0 {
                std::fs::write(&path, text(41)).expect("rewrite");
            }
            writes += 1;
        };
        let stream = Stream::open(&path, 1 << 30, &mut each).expect("opens");
        assert_eq!(stream.finish().expect("read"), None);
    }

    #[test]
    fn a_stream_refuses_what_a_whole_read_refuses() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.toml");
        let mut bytes = text(20).into_bytes();
        bytes.extend_from_slice(b"[[theme]]\ntitle = \"\xff\"\n");
        std::fs::write(&path, &bytes).expect("write");
        let finish = |limit| Stream::open(&path, limit, &mut |_| {})?.finish();
        match finish(1 << 30) {
            Err(LoadError::NotUtf8 { at, .. }) => assert_eq!(at.line, 63, "{at}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(finish(1000), Err(LoadError::TooLarge { .. })));
    }
}
