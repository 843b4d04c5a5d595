//! Every distinct version of a report that `briefing` loaded, kept beside
//! what the reader saw, so a timeline can show and diff them.
//!
//! ```text
//! $XDG_STATE_HOME/briefing/                    0700 (state::ensure_private_dir)
//!   <digest>.seen                              what the reader saw (crate::state)
//!   <digest>.history/                          0700, one per report (same digest)
//!     .lock                                    empty; flock'ed while a version is recorded
//!     000001.1764583200.<sha256>.s6038.n13.update.a1764580000.toml.gz   0600
//!     000002.1764597600.<sha256>.s6112.n14.update.a1764594400.toml.gz   0600
//! ```
//!
//! One file per version and no index: the file's *name* says everything a
//! list needs (order, first seen, SHA-256 of the text, its size, and the
//! header's number, phase and as_of), so listing 100 versions is one
//! directory read, and there is no index that a crash could leave half
//! written. The file itself is the report's text, gzip-compressed
//! (`zcat` it by hand; `sha256sum` of the report names it).
//!
//! Versions are written once and never changed: through a temporary file,
//! fsync, rename and a directory fsync ([`crate::atomic`]), so a crash or a
//! full disk leaves the earlier versions as they were. A version that was
//! seen again is not stored again and its file is not touched (a "last
//! seen" time would mean rewriting or a stat per version on every list; the
//! reader's last-seen version comes from the caller instead, see
//! [`Spec::LastSeen`]). At most [`MAX_VERSIONS`] versions or
//! [`MAX_STORED_BYTES`] of files are kept per report; after a new version
//! is written the oldest are dropped first, never the new one.
//!
//! Where the report is in a git repository, [`git::versions`] lists its
//! committed versions too (not copied here: git keeps them already).

mod error;
mod file;
pub mod git;
mod header;
mod name;
mod recording;
mod spec;
mod store;
pub mod timeline;

use std::path::PathBuf;

pub use error::HistoryError;
pub use recording::Recording;
pub use spec::Spec;
pub use store::History;

use crate::report::Phase;

/// At most this many versions are kept per report (a crisis rewritten every
/// few hours fills 100 in two weeks); the oldest go first.
pub const MAX_VERSIONS: usize = 100;

/// At most this many bytes of (compressed) version files per report: about
/// 20 versions of a 10 MB report, thousands of a normal one.
pub const MAX_STORED_BYTES: u64 = 50 * 1024 * 1024;

/// How many versions, and how many bytes of files, are kept per report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// At most this many versions (the newest is always kept).
    pub versions: usize,
    /// At most this many bytes of files (the newest is always kept).
    pub bytes: u64,
}

impl Bounds {
    /// [`MAX_VERSIONS`] and [`MAX_STORED_BYTES`].
    pub const DEFAULT: Bounds = Bounds {
        versions: MAX_VERSIONS,
        bytes: MAX_STORED_BYTES,
    };
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds::DEFAULT
    }
}

/// The format a version was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// A TOML report (docs/report-format.md).
    Toml,
    /// A Markdown report.
    Markdown,
}

impl Format {
    /// The extension its kept file has before `.gz`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Markdown => "md",
        }
    }
}

/// A version's identity: the SHA-256 of its text. Equal texts are one
/// version; a different text can never pass for one already kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VersionId(pub [u8; 32]);

impl VersionId {
    /// The id of `text`.
    pub fn of(text: &str) -> VersionId {
        VersionId::of_parts(std::iter::once(text))
    }

    /// The id of the text `parts` make one after the other.
    pub fn of_parts<'a>(parts: impl Iterator<Item = &'a str>) -> VersionId {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for p in parts {
            h.update(p.as_bytes());
        }
        VersionId(h.finalize().into())
    }

    /// Reads 64 hex digits (as [`Display`](std::fmt::Display) writes them).
    pub fn from_hex(hex: &str) -> Option<VersionId> {
        // By nibbles: a list decodes one id per kept version.
        fn nibble(b: u8) -> Option<u8> {
            match b {
                b'0'..=b'9' => Some(b - b'0'),
                b'a'..=b'f' => Some(b - b'a' + 10),
                b'A'..=b'F' => Some(b - b'A' + 10),
                _ => None,
            }
        }
        let hex = hex.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut id = [0u8; 32];
        for (byte, pair) in id.iter_mut().zip(hex.chunks_exact(2)) {
            *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
        }
        Some(VersionId(id))
    }

    /// The first 12 hex digits, enough to tell versions apart on screen.
    pub fn short(&self) -> String {
        self.to_string()[..12].to_owned()
    }
}

impl std::fmt::Display for VersionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::fmt::Debug for VersionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VersionId({})", self.short())
    }
}

/// What a version's header says it is (all optional, as in the report).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// `number`: "sitrep 14".
    pub number: Option<u32>,
    /// `phase`: initial, update or final.
    pub phase: Option<Phase>,
    /// `as_of`, in Unix seconds: the moment the picture is of.
    pub as_of: Option<i64>,
}

impl From<&crate::doc::Version> for Header {
    fn from(v: &crate::doc::Version) -> Header {
        Header {
            number: v.number,
            phase: v.phase,
            as_of: v.as_of.as_ref().map(|s| s.unix),
        }
    }
}

/// One kept version, as its file name describes it (its text is read by
/// [`History::load`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionMeta {
    /// The SHA-256 of its text.
    pub id: VersionId,
    /// Its place in the order versions were kept (1 = the first ever).
    pub seq: u64,
    /// When it was first seen (Unix seconds, as the caller said).
    pub first_seen: i64,
    /// The length of its text in bytes.
    pub size: u64,
    /// The format it was written in.
    pub format: Format,
    /// What its header says.
    pub header: Header,
    /// The file it is kept in.
    pub path: PathBuf,
}

/// What [`History::record`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// A new version was kept; older ones may have been dropped for it.
    Kept {
        /// The new version.
        version: VersionMeta,
        /// The versions dropped to stay within the bounds, oldest first.
        dropped: Vec<VersionMeta>,
        /// Files that should have been removed but could not be (retried
        /// the next time a version is kept).
        problems: Vec<Skipped>,
    },
    /// This text was already kept: nothing was written.
    Known(VersionMeta),
}

impl Recorded {
    /// The version recorded, new or known.
    pub fn version(&self) -> &VersionMeta {
        match self {
            Recorded::Kept { version, .. } | Recorded::Known(version) => version,
        }
    }

    /// Whether a new version was written.
    pub fn is_new(&self) -> bool {
        matches!(self, Recorded::Kept { .. })
    }
}

/// A file in the history directory that was not used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why, in words for the reader.
    pub reason: String,
}

/// The kept versions, oldest first, and the files that are not versions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// The versions, oldest first.
    pub versions: Vec<VersionMeta>,
    /// Files skipped, with the reason.
    pub skipped: Vec<Skipped>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_the_sha256_of_the_text_and_reads_back_from_hex() {
        let id = VersionId::of("abc");
        assert_eq!(
            id.to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(VersionId::from_hex(&id.to_string()), Some(id));
        assert_eq!(id.short(), "ba7816bf8f01");
        assert_eq!(VersionId::from_hex("ba78"), None);
        assert_eq!(VersionId::from_hex(&"g".repeat(64)), None);
        assert_eq!(VersionId::from_hex(&"é".repeat(32)), None);
    }

    #[test]
    fn the_default_bounds_are_the_documented_ones() {
        assert_eq!(Bounds::default().versions, 100);
        assert_eq!(Bounds::default().bytes, 50 * 1024 * 1024);
    }
}
