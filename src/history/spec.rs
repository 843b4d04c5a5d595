//! Naming a kept version the way a reader does: "14" (the report's own
//! number), "prev", "last-seen", "#3", "~2".

use std::fmt;
use std::str::FromStr;

use super::{HistoryError, VersionId, VersionMeta};

/// A way to name one of the kept versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spec {
    /// `14`: the newest version whose header says `number = 14`.
    Number(u32),
    /// `newest` (or `latest`): the version kept last.
    Newest,
    /// `prev`: the one before the newest.
    Prev,
    /// `last-seen`: the version current when the reader last quit (its id
    /// comes from the caller's remembered state, see [`Spec::resolve`]).
    LastSeen,
    /// `#3`: the third version kept, counting from 1 = the oldest (the
    /// position in [`super::History::list`]).
    Position(usize),
    /// `~2`: two before the newest (`~0` is the newest, `~1` is prev).
    Back(usize),
    /// 64 hex digits: the version with this SHA-256.
    Id(VersionId),
}

impl Spec {
    /// The version `self` names among `versions` (oldest first, as
    /// [`super::History::list`] gives them); `last_seen` is the id of the
    /// version the reader last saw, if the caller remembers one.
    pub fn resolve<'a>(
        &self,
        versions: &'a [VersionMeta],
        last_seen: Option<&VersionId>,
    ) -> Option<&'a VersionMeta> {
        let back = |n: usize| versions.len().checked_sub(n + 1).map(|i| &versions[i]);
        match *self {
            Spec::Number(n) => versions.iter().rev().find(|v| v.header.number == Some(n)),
            Spec::Newest => back(0),
            Spec::Prev => back(1),
            Spec::Back(n) => back(n),
            Spec::LastSeen => {
                let id = last_seen?;
                versions.iter().find(|v| v.id == *id)
            }
            Spec::Position(p) => p.checked_sub(1).and_then(|i| versions.get(i)),
            Spec::Id(id) => versions.iter().find(|v| v.id == id),
        }
    }
}

impl FromStr for Spec {
    type Err = HistoryError;

    fn from_str(s: &str) -> Result<Spec, HistoryError> {
        let bad = || HistoryError::BadSpec {
            given: crate::report::shorten(&crate::text::inline(s), 70),
        };
        let t = s.trim();
        let count = |d: &str| {
            (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                .then(|| d.parse::<usize>().ok())
                .flatten()
        };
        Ok(match t.to_ascii_lowercase().as_str() {
            "newest" | "latest" => Spec::Newest,
            "prev" | "previous" => Spec::Prev,
            "last-seen" | "last_seen" | "lastseen" => Spec::LastSeen,
            l if l.len() == 64 => Spec::Id(VersionId::from_hex(l).ok_or_else(bad)?),
            l => {
                if let Some(d) = l.strip_prefix('#') {
                    Spec::Position(count(d).filter(|&p| p > 0).ok_or_else(bad)?)
                } else if let Some(d) = l.strip_prefix('~') {
                    Spec::Back(count(d).ok_or_else(bad)?)
                } else {
                    let n = count(l).and_then(|n| u32::try_from(n).ok());
                    Spec::Number(n.ok_or_else(bad)?)
                }
            }
        })
    }
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spec::Number(n) => write!(f, "number {n}"),
            Spec::Newest => f.write_str("newest"),
            Spec::Prev => f.write_str("prev"),
            Spec::LastSeen => f.write_str("last-seen"),
            Spec::Position(p) => write!(f, "#{p}"),
            Spec::Back(n) => write!(f, "~{n}"),
            Spec::Id(id) => write!(f, "{}…", id.short()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, Header};
    use super::*;

    fn versions(numbers: &[Option<u32>]) -> Vec<VersionMeta> {
        numbers
            .iter()
            .enumerate()
            .map(|(i, &number)| VersionMeta {
                id: VersionId::of(&i.to_string()),
                seq: i as u64 + 1,
                first_seen: 1000 + i as i64,
                size: 1,
                format: Format::Toml,
                header: Header {
                    number,
                    ..Header::default()
                },
                path: std::path::PathBuf::from(format!("/h/{i}")),
            })
            .collect()
    }

    fn seq(spec: &str, vs: &[VersionMeta], last: Option<&VersionId>) -> Option<u64> {
        let spec: Spec = spec.parse().expect("a spec");
        spec.resolve(vs, last).map(|v| v.seq)
    }

    #[test]
    fn specs_name_versions_by_number_position_and_age() {
        // Number 13 was corrected once (kept twice): the newer one counts.
        let vs = versions(&[Some(12), Some(13), Some(13), None]);
        assert_eq!(seq("13", &vs, None), Some(3));
        assert_eq!(seq("12", &vs, None), Some(1));
        assert_eq!(seq("99", &vs, None), None);
        assert_eq!(seq("newest", &vs, None), Some(4));
        assert_eq!(seq("prev", &vs, None), Some(3));
        assert_eq!(seq("~0", &vs, None), Some(4));
        assert_eq!(seq("~3", &vs, None), Some(1));
        assert_eq!(seq("~4", &vs, None), None);
        assert_eq!(seq("#1", &vs, None), Some(1));
        assert_eq!(seq("#5", &vs, None), None);
        assert_eq!(seq("last-seen", &vs, Some(&vs[1].id)), Some(2));
        assert_eq!(seq("last-seen", &vs, None), None);
        assert_eq!(seq(&vs[2].id.to_string(), &vs, None), Some(3));
        assert_eq!(seq("prev", &vs[..1], None), None);
        assert_eq!(seq("newest", &[], None), None);
    }

    #[test]
    fn nonsense_is_refused_with_what_is_allowed() {
        for bad in [
            "",
            "#0",
            "#",
            "~",
            "-1",
            "+3",
            "prevv",
            "1.5",
            "99999999999",
            "#x",
        ] {
            let e = bad.parse::<Spec>().expect_err(bad);
            assert!(e.to_string().contains("last-seen"), "{e}");
        }
        assert_eq!(" PREV ".parse::<Spec>().ok(), Some(Spec::Prev));
    }
}
