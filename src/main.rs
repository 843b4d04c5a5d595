//! Entry point: resolve the arguments and the environment once, run, and
//! turn the outcome into an exit code that scripts can use (as grep does):
//! 0 success, 1 `--search` found nothing, 2 an error.

use std::io::{self, Write};
use std::process::ExitCode;

use briefing::changes::{Changes, Seen};
use briefing::config::{Config, HtmlTask, PlainTask, Task};
use briefing::doc::Doc;
use briefing::error::Error;
use briefing::output::{self, Counting};
use briefing::{load, plain, term};
use clap::Parser;

fn main() -> ExitCode {
    briefing::sys::fix_large_allocations();
    briefing::sys::fail_writes_past_the_file_size_limit();
    briefing::sys::read_umask();
    let cli = briefing::cli::Cli::parse();
    let outcome = Config::from_cli(&cli)
        .map_err(Error::from)
        .and_then(|config| run(&config));
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(Error::Output(e)) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Messages may quote the report or a path: never let them control the terminal.
            output::warn(&briefing::text::sanitize(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

fn run(config: &Config) -> Result<u8, Error> {
    let load = || load::load_as(&config.source, config.format);
    // Output that does not search needs no search index.
    let unsearchable = || load::load_unsearchable(&config.source, config.format);
    match &config.task {
        Task::Check => check(config, &unsearchable()?),
        Task::Plain(task @ PlainTask::Matches(_)) => plain_output(config, &load()?.doc, task),
        Task::Plain(PlainTask::Report) if let Some(path) = toml_file(config) => {
            plain_report_as_read(config, path)
        }
        Task::Plain(task) => plain_output(config, &unsearchable()?, task),
        Task::Browse => {
            // Versions are kept of a report file, where what was seen is.
            let keep = config.file().is_some() && config.state.is_some();
            term::browse(config, load::start(&config.source, config.format, keep)?)
        }
        Task::Serve => {
            let keep = config.file().is_some() && config.state.is_some();
            briefing::headless::serve(
                config,
                load::load_keeping(&config.source, config.format, keep)?,
            )
        }
        Task::Html(task) => handout(&unsearchable()?, task),
        Task::Convert(job) => briefing::convert::run(job),
    }
}

// The report file, when it is TOML (cut into pieces of whole themes as read).
fn toml_file(config: &Config) -> Option<&std::path::Path> {
    use briefing::report::Format;
    config
        .file()
        .filter(|p| Format::resolve(config.format, p) == Format::Toml)
}

// Plain output of a whole TOML report, laid out while it is parsed.
fn plain_report_as_read(config: &Config, path: &std::path::Path) -> Result<u8, Error> {
    let pieces = briefing::report::read_pieces(path, briefing::report::MAX_BYTES)?;
    let text = plain::render_as_read(pieces, path, config.width, &config.look)?;
    let mut out = io::stdout().lock();
    out.write_all(&text)
        .and_then(|()| out.flush())
        .map_err(Error::Output)?;
    Ok(0)
}

// `--html`: the handout, marked against `--since` when given.
fn handout(doc: &Doc, task: &HtmlTask) -> Result<u8, Error> {
    let since = match &task.since {
        // The older version is read by its own name, whatever --format says.
        Some(spec) => Some(briefing::html::since(spec, None)?),
        None => None,
    };
    let html = briefing::html::render(doc, since.as_ref(), briefing::html::now());
    let mut out = io::stdout().lock();
    out.write_all(html.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Error::Output)?;
    Ok(0)
}

fn check(config: &Config, doc: &Doc) -> Result<u8, Error> {
    let s = doc.stats();
    let name = match config.file() {
        Some(p) => briefing::text::shown_path(p),
        None => "(built-in report)".into(),
    };
    // Allowed but perhaps a slip: said on stderr, as a compiler's warnings,
    // so the line on stdout stays the same for scripts.
    for note in doc.notes.lines() {
        output::warn(&briefing::text::sanitize(&format!("warning: {note}")));
    }
    if doc.notes.more() > 0 {
        output::warn(&format!(
            "warning: and {} more like these",
            doc.notes.more()
        ));
    }
    let mut out = io::stdout().lock();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        out,
        "{name}: ok, {}, {}, {}",
        count(s.themes, "theme", "themes"),
        count(s.points, "point", "points"),
        count(s.words, "word", "words")
    )
    .and_then(|()| out.flush())
    .map_err(Error::Output)?;
    Ok(0)
}

fn plain_output(config: &Config, doc: &Doc, task: &PlainTask) -> Result<u8, Error> {
    let mut out = io::BufWriter::new(Counting::new(io::stdout().lock()));
    let write = |result: io::Result<()>| result.map_err(Error::Output);
    match task {
        PlainTask::Report => {
            write(plain::write_report(
                &mut out,
                doc,
                config.width,
                &config.look,
            ))?;
        }
        PlainTask::Matches(query) => {
            let found =
                plain::write_matches(&mut out, doc, query, &config.look).map_err(Error::Output)?;
            write(out.flush())?;
            return Ok(u8::from(found == 0));
        }
        PlainTask::Changed => return changed(config, doc, out),
        PlainTask::Actions => {
            let now = i64::try_from(briefing::session::now().unix).unwrap_or(0);
            write(plain::write_actions(
                &mut out,
                doc,
                now,
                config.width,
                &config.look,
            ))?;
        }
        PlainTask::Diff(a, b) => {
            let (old, new, names) =
                briefing::history::timeline::two_versions(config.file(), config.format, doc, a, b)?;
            let names = (names.0.as_str(), names.1.as_str());
            write(plain::write_diff(
                &mut out,
                &old,
                &new,
                names,
                config.width,
                &config.look,
            ))?;
        }
    }
    write(out.flush())?;
    Ok(0)
}

// `--changed`: what changed since the reader last looked; afterwards, the
// themes the reader has really read (a pipe's reader may stop early) are
// remembered as seen.
fn changed(
    config: &Config,
    doc: &Doc,
    mut out: io::BufWriter<Counting<io::StdoutLock<'_>>>,
) -> Result<u8, Error> {
    let before = config.state.as_deref().and_then(briefing::state::load);
    let changes = Changes::compare(doc, before.as_ref().unwrap_or(&Seen::default()));
    let mut ends = Vec::new();
    let result = plain::write_changes(
        &mut out,
        doc,
        &changes,
        config.width,
        &config.look,
        &mut ends,
    )
    .and_then(|()| out.flush());
    let read = output::consumed(out.get_ref().written());
    if let Some(path) = &config.state {
        let mut seen = before.unwrap_or_default();
        let all = result.is_ok() && ends.last().is_none_or(|&(_, end)| end <= read);
        if all {
            seen = Seen::of(doc);
        } else {
            for &(entry, end) in &ends {
                if end <= read {
                    seen.record(doc, entry);
                }
            }
        }
        // Losing the marks for next time is not worth failing the exit over.
        let _ = briefing::state::save(path, &seen);
    }
    result.map_err(Error::Output)?;
    Ok(0)
}
