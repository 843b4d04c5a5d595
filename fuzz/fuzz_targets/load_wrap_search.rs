//! Loading + wrapping + searching + rendering, on arbitrary input.
//!
//! Input layout: byte 0 picks the panel width (1..=256), byte 1 picks the
//! query (a slice of the report text), the rest is the report file. Invalid
//! UTF-8 still reaches the loader (lossily decoded) so the fuzzer does not
//! waste its time on bytes `read_text` would refuse anyway.
//!
//! Checked besides "no panic": every wrapped line fits the width (bar a lone
//! grapheme wider than it), every search hit is a char-aligned range of its
//! block, and rendering the whole browser into a test backend of that width
//! succeeds with and without the search applied; and nothing shown, in the
//! test backend's cells or in plain output, holds a control character (other
//! than newline in plain output) or a bidi control.

#![no_main]

use std::path::Path;

use briefing::action::Action;
use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::Report;
use briefing::text::display_width;
use briefing::look::Look;
use briefing::view::{self, LineKind};
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_segmentation::UnicodeSegmentation;

/// What must never reach a terminal from a report.
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn assert_inert_cells(term: &Terminal<TestBackend>) {
    let buf = term.backend().buffer();
    for cell in buf.content() {
        assert!(!cell.symbol().chars().any(forbidden), "control in a cell: {:?}", cell.symbol());
    }
}

fuzz_target!(|data: &[u8]| {
    let [w, q, rest @ ..] = data else { return };
    let width = u16::from(*w) + 1;
    let source = String::from_utf8_lossy(rest);
    let Ok(report) = Report::from_toml(&source, Path::new("fuzz.toml")) else {
        return;
    };
    let doc = Doc::new(&report);

    // Layout of every theme at this width: nothing wider than the panel.
    for entry in 0..doc.entries.len().min(64) {
        for line in view::layout(&doc, entry, width) {
            if let LineKind::Text { block, start, end, hyphen, bullet } = line.kind {
                let text = &doc.blocks[block].text;
                let shown = text.get(start..end).expect("line range on char boundaries");
                let used = usize::from(line.indent)
                    + if bullet { 2 } else { 0 }
                    + display_width(shown)
                    + usize::from(hyphen);
                // The one allowed excess: a lone grapheme wider than the room left.
                let lone = shown.graphemes(true).count() == 1 && !hyphen;
                assert!(
                    used <= usize::from(width) || lone,
                    "line {shown:?} uses {used} > {width}"
                );
            }
        }
    }

    // Plain output, as `briefing > file` writes it.
    let look = Look { color: true, ascii: *q & 1 == 1 };
    let mut out = Vec::new();
    briefing::plain::write_report(&mut out, &doc, width.max(10), &look).expect("plain output");
    let out = String::from_utf8(out).expect("plain output is UTF-8");
    assert!(!out.chars().any(|c| c != '\n' && forbidden(c)), "control in plain output: {out:?}");

    // A query cut from the report itself, so it often matches.
    let query: String = {
        let chars: Vec<char> = source.chars().collect();
        let len = usize::from(*q % 8) + 1;
        let from = if chars.is_empty() { 0 } else { usize::from(*q) * 7 % chars.len() };
        chars[from.min(chars.len())..].iter().take(len).collect()
    };
    let matches = doc.index.search(&query);
    for i in 0..matches.len().min(256) {
        let hit = doc.index.hit(&matches, i);
        let text = &doc.blocks[hit.block].text;
        assert!(hit.range.start <= hit.range.end, "reversed hit {hit:?}");
        assert!(text.get(hit.range.clone()).is_some(), "hit {hit:?} not on char boundaries of {text:?}");
    }
    let first = query.chars().next().map(String::from).unwrap_or_default();
    let refined = doc.index.refine(&doc.index.search(&first), &query);
    assert_eq!(refined.len(), matches.len(), "refine disagrees with search for {query:?}");
    let mut out = Vec::new();
    briefing::plain::write_matches(&mut out, &doc, &query, &look).expect("plain matches");
    let out = String::from_utf8(out).expect("plain matches are UTF-8");
    assert!(!out.chars().any(|c| c != '\n' && forbidden(c)), "control in matches: {out:?}");

    // The whole browser, then with the search applied, at this width.
    let height = 3 + u16::from(*q % 40);
    let mut app = App::bare(doc, width, height);
    let mut term = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    term.draw(|f| briefing::ui::render(&app, f)).expect("draw");
    assert_inert_cells(&term);
    app.update(Action::SearchStart);
    for c in query.chars() {
        app.update(Action::SearchInput(c));
    }
    term.draw(|f| briefing::ui::render(&app, f)).expect("draw search bar");
    app.update(Action::SearchConfirm);
    app.update(Action::FocusText);
    app.update(Action::PageDown);
    term.draw(|f| briefing::ui::render(&app, f)).expect("draw with highlights");
    assert_inert_cells(&term);
    app.update(Action::Results);
    term.draw(|f| briefing::ui::render(&app, f)).expect("draw results");
    assert_inert_cells(&term);
});
