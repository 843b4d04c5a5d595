use std::path::Path;

use super::*;

fn both(src: &str) -> Report {
    Report::from_toml(src, Path::new("t.toml")).expect("valid")
}

const HOOGWATER: &str = include_str!("../../examples/hoogwater.toml");

#[test]
fn toml_to_markdown_to_toml_gives_the_same_report() {
    for src in [crate::report::BUILTIN, HOOGWATER] {
        let report = both(src);
        let md = to_string(&report, Format::Markdown).expect("writable");
        let back =
            Report::from_markdown(&md, Path::new("t.md")).unwrap_or_else(|e| panic!("{e}\n{md}"));
        assert_eq!(back, canonical(&report), "{md}");
        let toml = to_string(&back, Format::Toml).expect("writable");
        let again = Report::from_toml(&toml, Path::new("t.toml")).expect("reads back");
        assert_eq!(again, back, "{toml}");
        // What the reader sees is the same, block for block.
        let (a, b) = (crate::doc::Doc::new(&report), crate::doc::Doc::new(&again));
        assert_eq!(a.blocks, b.blocks);
        assert_eq!(a.entries, b.entries);
        assert_eq!((a.actions, a.decisions), (b.actions, b.decisions));
    }
}

#[test]
fn white_space_is_what_canonical_forgets() {
    assert_eq!(collapse("  a \t b\r\n c\u{3000}d "), "a b c d");
    assert_eq!(collapse("a\x0bb\0"), "a\x0bb\u{FFFD}");
    assert_eq!(
        paragraphs("one\n two\n \t\n\nthree\r\rfour"),
        ["one two", "three", "four"]
    );
}
