use std::os::unix::fs::MetadataExt;

use super::*;
use crate::history::MAX_VERSIONS;
use crate::report::Phase;

fn history() -> (tempfile::TempDir, History) {
    let dir = tempfile::tempdir().expect("dir");
    let report = dir.path().join("report.toml");
    std::fs::write(&report, "title = \"x\"").expect("report");
    let h = History::open_in(&dir.path().join("state/briefing"), &report).expect("open");
    (dir, h)
}

fn version(n: u32) -> String {
    format!(
        "title = \"Sitrep\"\nnumber = {n}\nphase = \"update\"\n\n[[theme]]\ntitle = \"Beeld\"\nbody = \"Peil {n} cm.\"\n"
    )
}

fn files(h: &History) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(h.dir())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".lock")
        .collect();
    names.sort();
    names
}

#[test]
fn a_version_round_trips_with_its_header_privately() {
    let (_d, h) = history();
    let r = h
        .record(&version(14), Format::Toml, 1_764_597_600)
        .expect("record");
    assert!(r.is_new());
    let v = r.version();
    assert_eq!(v.header.number, Some(14));
    assert_eq!(v.header.phase, Some(Phase::Update));
    assert_eq!(v.size, version(14).len() as u64);
    assert_eq!(v.id, VersionId::of(&version(14)));
    assert_eq!(h.list().expect("list"), std::slice::from_ref(v));
    assert_eq!(h.load(&v.id).expect("load"), version(14));
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").mode() & 0o777;
    assert_eq!(mode(h.dir()), 0o700);
    assert_eq!(mode(&v.path), 0o600);
    let name = v.path.file_name().expect("name").to_string_lossy();
    assert!(name.ends_with(".n14.update.toml.gz"), "{name}");
    // The file is plain gzip: `zcat` reads it.
    let gz = std::fs::read(&v.path).expect("read");
    assert_eq!(&gz[..2], [0x1f, 0x8b]);
}

#[test]
fn a_text_kept_already_is_not_stored_again() {
    let (_d, h) = history();
    let first = h.record(&version(1), Format::Toml, 100).expect("first");
    let again = h.record(&version(1), Format::Toml, 200).expect("again");
    assert_eq!(again, Recorded::Known(first.version().clone()));
    assert_eq!(again.version().first_seen, 100, "first seen stays");
    assert_eq!(files(&h).len(), 1);
    // One byte differs: a new version.
    let other = version(1).replace("cm.", "cm!");
    assert!(h.record(&other, Format::Toml, 300).expect("other").is_new());
    assert_eq!(files(&h).len(), 2);
}

#[test]
fn versions_are_listed_in_the_order_they_were_kept_whatever_the_clock() {
    let (_d, h) = history();
    // The same second, then a clock set back: the order is still A, B, C.
    for (n, at) in [(1, 500), (2, 500), (3, 10)] {
        h.record(&version(n), Format::Toml, at).expect("record");
    }
    h.record(&version(1), Format::Toml, 900).expect("A again");
    let numbers: Vec<_> = h
        .list()
        .expect("list")
        .iter()
        .map(|v| (v.seq, v.header.number))
        .collect();
    assert_eq!(numbers, [(1, Some(1)), (2, Some(2)), (3, Some(3))]);
    // `ls` shows the same order.
    let by_name: Vec<_> = files(&h).iter().map(|n| n[..6].to_owned()).collect();
    assert_eq!(by_name, ["000001", "000002", "000003"]);
}

#[test]
fn at_most_100_versions_are_kept_the_oldest_dropped_first() {
    let (_d, h) = history();
    for n in 1..=100 {
        let r = h
            .record(&version(n), Format::Toml, i64::from(n))
            .expect("record");
        assert!(matches!(r, Recorded::Kept { ref dropped, .. } if dropped.is_empty()));
    }
    let r = h.record(&version(101), Format::Toml, 101).expect("101st");
    let Recorded::Kept {
        dropped, problems, ..
    } = r
    else {
        panic!("not kept: {r:?}");
    };
    assert_eq!(
        dropped.iter().map(|v| v.header.number).collect::<Vec<_>>(),
        [Some(1)]
    );
    assert!(problems.is_empty(), "{problems:?}");
    let list = h.list().expect("list");
    assert_eq!(list.len(), MAX_VERSIONS);
    assert_eq!(list.first().and_then(|v| v.header.number), Some(2));
    assert_eq!(list.last().and_then(|v| v.header.number), Some(101));
    assert_eq!(files(&h).len(), 100);
}

#[test]
fn the_size_bound_drops_the_oldest_but_never_the_new_one() {
    let (_d, h) = history();
    let one = {
        let r = h.record(&version(0), Format::Toml, 0).expect("probe");
        std::fs::metadata(&r.version().path).expect("stat").len()
    };
    // Room for three files of about this size.
    let h = h.with_bounds(Bounds {
        versions: 100,
        bytes: one * 3 + 2,
    });
    for n in 1..=5 {
        h.record(&version(n), Format::Toml, i64::from(n))
            .expect("record");
    }
    let numbers: Vec<_> = h
        .list()
        .expect("list")
        .iter()
        .map(|v| v.header.number)
        .collect();
    assert_eq!(numbers, [Some(3), Some(4), Some(5)]);
    // One version larger than the whole bound is still kept, alone.
    let big: String = (0..5000)
        .map(|i| format!("# {i:x} {}\n", i * 7919 % 10007))
        .collect();
    h.record(&big, Format::Toml, 9).expect("big");
    assert_eq!(h.list().expect("list").len(), 1);
    assert_eq!(h.load(&VersionId::of(&big)).expect("load"), big);
}

#[test]
fn a_damaged_version_is_an_error_naming_it_and_the_others_still_load() {
    let (_d, h) = history();
    let ids: Vec<_> = (1..=3)
        .map(|n| {
            h.record(&version(n), Format::Toml, 0)
                .expect("record")
                .version()
                .clone()
        })
        .collect();
    // Truncated, then the same length with other bytes, then not gzip at all.
    let gz = std::fs::read(&ids[0].path).expect("read");
    std::fs::write(&ids[0].path, &gz[..gz.len() / 2]).expect("truncate");
    let other = gzip(&version(1).replace("Peil", "PEIL"));
    std::fs::write(&ids[1].path, other).expect("replace");
    for (v, why) in [
        (&ids[0], "not whole gzip"),
        (&ids[1], "does not match its SHA-256"),
    ] {
        let e = h.load(&v.id).expect_err("damaged");
        let text = e.to_string();
        assert!(matches!(e, HistoryError::Corrupt { .. }), "{e:?}");
        assert!(
            text.contains(why) && text.contains(&*v.path.to_string_lossy()),
            "{text}"
        );
    }
    assert_eq!(h.load(&ids[2].id).expect("intact"), version(3));
    std::fs::write(&ids[2].path, b"plain text").expect("overwrite");
    assert!(matches!(
        h.load(&ids[2].id),
        Err(HistoryError::Corrupt { .. })
    ));
}

#[test]
fn files_that_are_not_versions_are_skipped_with_a_reason() {
    let (_d, h) = history();
    h.record(&version(1), Format::Toml, 0).expect("record");
    std::fs::write(h.dir().join("notes.txt"), "mine").expect("notes");
    std::fs::write(h.dir().join(".hidden"), "x").expect("hidden");
    let listing = h.scan().expect("scan");
    assert_eq!(listing.versions.len(), 1);
    assert_eq!(listing.skipped.len(), 1);
    assert!(listing.skipped[0].reason.contains("not a kept version"));
    // Not ours, so never removed.
    h.record(&version(2), Format::Toml, 0).expect("record");
    assert!(h.dir().join("notes.txt").exists());
}

#[test]
fn a_dead_writers_temporary_and_a_version_kept_twice_are_cleaned_up() {
    let (_d, h) = history();
    let first = h
        .record(&version(1), Format::Toml, 0)
        .expect("record")
        .version()
        .clone();
    let tmp = h.dir().join(".briefing-AbC123.tmp");
    std::fs::write(&tmp, "half a version").expect("temporary");
    // Two recorders at once, each keeping the same text (no lock): a twin.
    let twin = first.path.with_file_name(
        first
            .path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .replacen("000001", "000002", 1),
    );
    std::fs::copy(&first.path, &twin).expect("twin");
    assert_eq!(
        h.list().expect("list"),
        std::slice::from_ref(&first),
        "the twin is not listed"
    );
    h.record(&version(2), Format::Toml, 0).expect("record");
    assert!(!tmp.exists(), "the temporary is left");
    assert!(!twin.exists(), "the twin is left");
    assert!(first.path.exists());
}

#[test]
fn markdown_is_kept_as_md_with_the_header_the_caller_gives() {
    let (_d, h) = history();
    let header = Header {
        number: Some(3),
        phase: Some(Phase::Final),
        as_of: Some(1_700_000_000),
    };
    let r = h
        .record_with("# Sitrep 3\n\n- peil\n", Format::Markdown, header, 5)
        .expect("record");
    let listed = h.list().expect("list");
    assert_eq!(listed[0].format, Format::Markdown);
    assert_eq!(listed[0].header, header);
    assert!(r.version().path.to_string_lossy().ends_with(".md.gz"));
    let plain = h
        .record("# Sitrep 4\n", Format::Markdown, 6)
        .expect("record");
    assert_eq!(plain.version().header, Header::default());
}

#[test]
fn a_spec_resolves_against_the_kept_versions() {
    let (_d, h) = history();
    for n in [12, 13, 14] {
        h.record(&version(n), Format::Toml, 0).expect("record");
    }
    let number = |spec: &str, last: Option<&VersionId>| {
        h.resolve(&spec.parse().expect("spec"), last)
            .map(|v| v.header.number)
    };
    assert_eq!(number("prev", None).expect("prev"), Some(13));
    assert_eq!(number("12", None).expect("12"), Some(12));
    let last = VersionId::of(&version(12));
    assert_eq!(number("last-seen", Some(&last)).expect("last"), Some(12));
    let e = number("15", None).expect_err("no 15");
    assert!(
        e.to_string().contains("no kept version is number 15"),
        "{e}"
    );
}

#[test]
fn a_history_removed_while_running_is_empty_and_made_again() {
    let (_d, h) = history();
    h.record(&version(1), Format::Toml, 0).expect("record");
    std::fs::remove_dir_all(h.dir()).expect("rm -r");
    assert_eq!(h.list().expect("no error"), []);
    assert!(
        h.record(&version(1), Format::Toml, 0)
            .expect("record")
            .is_new()
    );
    let mode = std::fs::metadata(h.dir()).expect("stat").mode() & 0o777;
    assert_eq!(mode, 0o700);
    assert_eq!(h.list().expect("list").len(), 1);
}

#[test]
fn a_text_larger_than_a_report_may_be_is_refused() {
    let (_d, h) = history();
    let huge = "#".repeat(crate::report::MAX_BYTES as usize + 1);
    assert!(matches!(
        h.record(&huge, Format::Toml, 0),
        Err(HistoryError::TooLarge { .. })
    ));
    assert!(files(&h).is_empty());
}

fn gzip(text: &str) -> Vec<u8> {
    super::file::gzip(text).expect("compress")
}

#[test]
fn a_version_read_in_pieces_is_the_same_version() {
    let (_d, h) = history();
    let text = version(14);
    let at = text.find("[[theme]]").expect("a theme");
    let pieces = crate::report::Pieces::of_parts(vec![&text[..at], &text[at..]]);
    let r = h.record_pieces(pieces, Format::Toml, 100).expect("record");
    let v = r.version();
    assert!(r.is_new());
    assert_eq!((v.id, v.size), (VersionId::of(&text), text.len() as u64));
    assert_eq!(
        (v.header.number, v.header.phase),
        (Some(14), Some(Phase::Update))
    );
    assert_eq!(h.load(&v.id).expect("load"), text);
    let again = h.record(&text, Format::Toml, 200).expect("again");
    assert_eq!(again, Recorded::Known(v.clone()));
}
