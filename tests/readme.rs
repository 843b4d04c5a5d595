//! The README's screen capture is the real rendering at 80x24: this test
//! fails when they drift. `UPDATE_README=1 cargo test --test readme` rewrites it.

use briefing::app::App;
use briefing::doc::Doc;
use briefing::report::Report;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const START: &str = "<!-- capture:80x24 -->\n```text\n";
const END: &str = "```\n<!-- /capture -->";

fn capture() -> String {
    // The third theme shows bullets with hanging indents and hyphenation.
    let mut app = App::bare(Doc::new(&Report::builtin()), 80, 24);
    app.update(briefing::action::Action::Down);
    app.update(briefing::action::Action::Down);
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("backend");
    t.draw(|f| briefing::ui::render(&app, f)).expect("draw");
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..24 {
        let row: String = (0..80).map(|x| buf[(x, y)].symbol()).collect();
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_readme_capture_matches_the_real_screen() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let start = readme.find(START).expect("capture start marker") + START.len();
    let end = start + readme[start..].find(END).expect("capture end marker");
    let fresh = capture();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{fresh}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).expect("write README.md");
        return;
    }
    assert_eq!(
        readme[start..end],
        fresh,
        "README capture is stale: run UPDATE_README=1 cargo test --test readme"
    );
}
