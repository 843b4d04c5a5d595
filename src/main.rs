//! Entry point: parse arguments, load the report, hand over to the browser
//! (or to plain output when standard output is not a terminal).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use briefing::action::Action;
use briefing::app::App;
use briefing::changes::{Changes, Seen};
use briefing::cli::Cli;
use briefing::doc::Doc;
use briefing::report::Report;
use briefing::ui::style::Look;
use briefing::{plain, term, text};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            // Messages may quote the report or its path: never let them control the terminal.
            eprintln!("briefing: {}", text::sanitize(&message));
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli) -> Result<u8, String> {
    let Loaded {
        doc,
        path,
        fingerprint,
        before,
    } = load(cli.report.as_deref()).map_err(|e| e.to_string())?;
    let name = path
        .as_ref()
        .map_or_else(|| "(built-in report)".into(), |p| p.display().to_string());
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let term_name = env("TERM").map(|t| t.to_string_lossy().into_owned());
    let look = Look {
        color: cli.color.resolve(env("NO_COLOR").is_some()),
        ascii: cli.ascii
            || !utf8_locale()
            || matches!(term_name.as_deref(), Some("linux" | "vt100")),
    };
    if cli.check {
        let s = doc.stats();
        println!(
            "{}: ok, {} themes, {} points, {} words",
            text::sanitize(&name),
            s.themes,
            s.points,
            s.words
        );
        return Ok(0);
    }
    let interactive = io::stdout().is_terminal()
        && io::stdin().is_terminal()
        && !cli.plain
        && !cli.changed
        && !matches!(term_name.as_deref(), Some("dumb") | None);
    // What the reader saw last time, remembered per report file (not for the built-in report).
    let state_path = path
        .as_deref()
        .filter(|_| !cli.no_state)
        .and_then(briefing::state::path_for);
    let seen = state_path.as_deref().and_then(briefing::state::load);
    if !interactive {
        let code = write_plain(cli, &doc, &look, seen.as_ref())?;
        if cli.changed {
            remember(state_path.as_deref(), &doc);
        }
        return Ok(code);
    }
    if let Some(Ok(p)) = cli.follow.as_deref().map(briefing::share::read)
        && p.report != doc.title
    {
        return Err(format!(
            "{}: the presenter shows «{}», not this report («{}»); open the same report",
            cli.follow.as_deref().unwrap_or(Path::new("")).display(),
            briefing::report::shorten(&text::inline(&p.report), 200),
            briefing::report::shorten(&doc.title, 200)
        ));
    }
    let (w, h) = ratatui::crossterm::terminal::size().map_err(|e| e.to_string())?;
    let mut app = App::new(doc, w, h);
    app.look = look;
    app.stale_after = i64::try_from(cli.stale).unwrap_or(i64::MAX);
    if let Some(seen) = seen {
        app.set_seen(seen);
    }
    if cli.follow.is_some() {
        app.follow = Some(briefing::app::Follow {
            attached: true,
            ..Default::default()
        });
    }
    if cli.present {
        app.update(Action::TogglePresent);
    }
    if let Some(query) = &cli.search {
        app.update(Action::SearchStart);
        for c in query.chars() {
            app.update(Action::SearchInput(c));
        }
        app.update(Action::SearchConfirm);
    }
    let options = term::Options {
        watch: path.filter(|_| !cli.no_watch),
        fingerprint,
        loaded_from: before,
        share: cli.share.clone(),
        follow: cli.follow.clone(),
    };
    let code = term::run(&mut app, options).map_err(|e| format!("terminal error: {e}"))?;
    remember(state_path.as_deref(), &app.doc);
    Ok(code)
}

// Remembers what the reader has now seen, for the next run's change marks.
fn remember(state_path: Option<&Path>, doc: &Doc) {
    if let Some(p) = state_path {
        // Losing the marks for next time is not worth failing the exit over.
        let _ = briefing::state::save(p, &briefing::changes::Seen::of(doc));
    }
}

fn write_plain(cli: &Cli, doc: &Doc, look: &Look, seen: Option<&Seen>) -> Result<u8, String> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let result = match &cli.search {
        Some(query) => plain::write_matches(&mut out, doc, query).map(|n| u8::from(n == 0)),
        None if cli.changed => {
            // Without a remembered state everything is new.
            let changes = Changes::compare(doc, seen.unwrap_or(&Seen::default()));
            plain::write_changes(&mut out, doc, &changes, cli.width, look).map(|()| 0)
        }
        None => plain::write_report(&mut out, doc, cli.width, look).map(|()| 0),
    }
    .and_then(|code| out.flush().map(|()| code));
    match result {
        Ok(code) => Ok(code),
        // `briefing | head` closing the pipe early is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

/// The report to show, where it came from, and a fingerprint of the exact
/// text that was parsed (so a change during start-up is not missed).
struct Loaded {
    doc: Doc,
    path: Option<PathBuf>,
    fingerprint: Option<u64>,
    /// The file's size and modification time just before it was read.
    before: Option<(u64, std::time::SystemTime)>,
}

// The report named on the command line, else ./report.toml, else the built-in one.
fn load(path: Option<&Path>) -> Result<Loaded, briefing::error::LoadError> {
    let default = PathBuf::from("report.toml");
    let path = match path {
        Some(p) => Some(p.to_owned()),
        None => default.is_file().then_some(default),
    };
    match path {
        Some(p) => {
            let before = std::fs::metadata(&p)
                .and_then(|m| Ok((m.len(), m.modified()?)))
                .ok();
            let text = briefing::report::read_text(&p, briefing::report::MAX_BYTES)?;
            let fingerprint = Some(briefing::report::fingerprint(&text));
            Ok(Loaded {
                doc: Doc::from_source(text, &p)?,
                fingerprint,
                before,
                path: Some(p),
            })
        }
        None => Ok(Loaded {
            doc: Doc::from_report(Report::builtin()),
            path: None,
            fingerprint: None,
            before: None,
        }),
    }
}

fn utf8_locale() -> bool {
    // The first of these that is set decides, as in setlocale(3).
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_none_or(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}
