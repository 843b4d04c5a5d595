//! A version file's name, which says everything a list needs:
//!
//! ```text
//! 000014.1764597600.<64 hex: sha256>.s6112[.n14][.update][.a1764594400].toml.gz
//!  seq    first seen  id                 size  number phase  as_of        format
//! ```
//!
//! Sequence and time are zero-padded, so `ls` shows the oldest first. The
//! optional fields are tagged, so a name never depends on which are there.

use std::path::Path;

use super::{Format, Header, VersionId, VersionMeta};
use crate::report::Phase;

/// The largest first-seen time a name holds (12 digits: year 33658).
pub const MAX_TIME: i64 = 999_999_999_999;

/// The file name for `v`.
pub fn encode(v: &VersionMeta) -> String {
    let first_seen = v.first_seen.clamp(0, MAX_TIME);
    let mut name = format!("{:06}.{first_seen:010}.{}.s{}", v.seq, v.id, v.size);
    if let Some(n) = v.header.number {
        name.push_str(&format!(".n{n}"));
    }
    if let Some(p) = v.header.phase {
        name.push('.');
        name.push_str(phase_name(p));
    }
    if let Some(a) = v.header.as_of {
        name.push_str(&format!(".a{a}"));
    }
    format!("{name}.{}.gz", v.format.extension())
}

/// Reads a version's name back; the error says what is wrong with it.
pub fn decode(dir: &Path, name: &str) -> Result<VersionMeta, &'static str> {
    const NOT_OURS: &str = "not a kept version: its name does not say which version it is";
    let stem = name.strip_suffix(".gz").ok_or(NOT_OURS)?;
    let (stem, ext) = stem.rsplit_once('.').ok_or(NOT_OURS)?;
    let format = match ext {
        "toml" => Format::Toml,
        "md" => Format::Markdown,
        _ => return Err(NOT_OURS),
    };
    let mut fields = stem.split('.');
    let seq = digits(fields.next()).ok_or(NOT_OURS)?;
    let first_seen = digits(fields.next())
        .and_then(|t| i64::try_from(t).ok())
        .ok_or(NOT_OURS)?;
    let id = fields
        .next()
        .and_then(VersionId::from_hex)
        .ok_or("its name has no SHA-256 of the text")?;
    let (mut size, mut header) = (None, Header::default());
    for field in fields {
        let twice = "a field of its name is given twice";
        if let Some(s) = field.strip_prefix('s') {
            let s = digits(Some(s)).ok_or("its name has a bad size")?;
            size.replace(s).map_or(Ok(()), |_| Err(twice))?;
        } else if let Some(n) = field.strip_prefix('n') {
            let n = digits(Some(n))
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("its name has a bad number")?;
            header.number.replace(n).map_or(Ok(()), |_| Err(twice))?;
        } else if let Some(a) = field.strip_prefix('a') {
            let unsigned = a.strip_prefix('-').unwrap_or(a);
            let a = digits(Some(unsigned))
                .and_then(|a| i64::try_from(a).ok())
                .map(|v| if a.starts_with('-') { -v } else { v })
                .ok_or("its name has a bad as_of time")?;
            header.as_of.replace(a).map_or(Ok(()), |_| Err(twice))?;
        } else if let Ok(p) = phase_of(field) {
            header.phase.replace(p).map_or(Ok(()), |_| Err(twice))?;
        } else {
            return Err(NOT_OURS);
        }
    }
    Ok(VersionMeta {
        id,
        seq,
        first_seen,
        size: size.ok_or("its name does not give the text's size")?,
        format,
        header,
        path: joined(dir, name),
    })
}

// `dir/name` in one allocation of the right size (`join` grows the buffer
// once more for every name: a list of 100 versions costs 100 reallocations).
fn joined(dir: &Path, name: &str) -> std::path::PathBuf {
    let mut p = std::path::PathBuf::with_capacity(dir.as_os_str().len() + 1 + name.len());
    p.push(dir);
    p.push(name);
    p
}

// Only plain ASCII digits, no sign, no "+" (`str::parse` allows one).
fn digits(s: Option<&str>) -> Option<u64> {
    let s = s.filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))?;
    s.parse().ok()
}

fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Initial => "initial",
        Phase::Update => "update",
        Phase::Final => "final",
    }
}

// Only the exact lowercase names this module writes.
fn phase_of(field: &str) -> Result<Phase, ()> {
    match field {
        "initial" => Ok(Phase::Initial),
        "update" => Ok(Phase::Update),
        "final" => Ok(Phase::Final),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(header: Header, format: Format) -> VersionMeta {
        VersionMeta {
            id: VersionId::of("text"),
            seq: 7,
            first_seen: 1_764_597_600,
            size: 4,
            format,
            header,
            path: Path::new("/h").join("unused"),
        }
    }

    #[test]
    fn names_round_trip_with_and_without_header_fields() {
        let full = Header {
            number: Some(14),
            phase: Some(Phase::Final),
            as_of: Some(-3600),
        };
        for (header, format) in [(full, Format::Toml), (Header::default(), Format::Markdown)] {
            let v = meta(header, format);
            let name = encode(&v);
            let back = decode(Path::new("/h"), &name).expect("decodes");
            assert_eq!(back.path, Path::new("/h").join(&name));
            assert_eq!(
                VersionMeta {
                    path: v.path.clone(),
                    ..back
                },
                v,
                "{name}"
            );
        }
        let name = encode(&meta(full, Format::Toml));
        assert!(name.starts_with("000007.1764597600."), "{name}");
        assert!(name.ends_with(".s4.n14.final.a-3600.toml.gz"), "{name}");
    }

    #[test]
    fn names_that_are_not_ours_say_why() {
        let good = encode(&meta(Header::default(), Format::Toml));
        let dir = Path::new("/h");
        for bad in [
            "notes.txt",
            ".lock",
            &good.replace(".toml.gz", ".txt.gz"),
            &good.replace(".s4", ""),
            &good.replace(".s4", ".s4.s5"),
            &good.replace(".s4", ".s+4"),
            &good.replace(".s4", ".s4.later"),
            &good.replacen("000007", "-7", 1),
            &good.replace(&VersionId::of("text").to_string(), "abc"),
        ] {
            assert!(decode(dir, bad).is_err(), "{bad} decoded");
        }
    }

    #[test]
    fn a_time_before_1970_or_after_year_33658_is_clamped() {
        let mut v = meta(Header::default(), Format::Toml);
        v.first_seen = -5;
        assert!(encode(&v).starts_with("000007.0000000000."));
        v.first_seen = i64::MAX;
        let back = decode(Path::new("/h"), &encode(&v)).expect("decodes");
        assert_eq!(back.first_seen, MAX_TIME);
    }
}
