//! The README's generated parts are the real thing: the screen capture is
//! the real rendering at 80x24, and the key tables are made from the key
//! bindings (as help is). These tests fail when they drift;
//! `UPDATE_README=1 cargo test --test readme` rewrites them.

use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::Report;

/// The third theme shows bullets with hanging indents and hyphenation.
fn capture() -> String {
    let mut app = App::bare(Doc::new(&Report::builtin()), 80, 24);
    briefing::script::press(&mut app, "jj");
    let mut out = String::new();
    for row in briefing::script::screen(&app) {
        out.push_str(&row);
        out.push('\n');
    }
    out
}

/// Checks (or with UPDATE_README, rewrites) the README between `start` and `end`.
fn section(start: &str, end: &str, fresh: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let from = readme.find(start).expect("start marker") + start.len();
    let to = from + readme[from..].find(end).expect("end marker");
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{fresh}{}", &readme[..from], &readme[to..]);
        std::fs::write(path, updated).expect("write README.md");
        return;
    }
    assert_eq!(
        readme[from..to],
        *fresh,
        "the README is stale between {start:?} and {end:?}: run UPDATE_README=1 cargo test --test readme"
    );
}

#[test]
fn the_readme_capture_matches_the_real_screen() {
    section(
        "<!-- capture:80x24 -->\n```text\n",
        "```\n<!-- /capture -->",
        &capture(),
    );
}

/// The README's key tables are the key bindings: a key bound but not in
/// the README, or in the README but not bound, fails here.
#[test]
fn the_readme_key_tables_are_the_bindings() {
    section(
        "<!-- keys: generated from src/keymap.rs -->\n",
        "<!-- /keys -->",
        &briefing::help::markdown(&briefing::labels::EN),
    );
}
