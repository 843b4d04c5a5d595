//! The command line and the environment resolved once into what to do
//! (ripgrep's `HiArgs` is the model): every later step reads this, never
//! `std::env` or the raw arguments.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command};
use crate::look::Look;
use crate::report::Format;
use crate::share::{self, ShareError};

/// What the program was asked to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Task {
    /// Validate the report and print a summary.
    Check,
    /// Print the report (or what changed, or the matches) as plain text.
    Plain(PlainTask),
    /// Run the browser in the terminal.
    Browse,
    /// Serve the browser over SSH without a local terminal.
    Serve,
    /// Write a printable HTML handout to standard output.
    Html(HtmlTask),
    /// Convert a report to another format (`briefing convert`).
    Convert(ConvertJob),
}

/// Why the arguments cannot be used as given.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The position file cannot be shared into.
    #[error(transparent)]
    Share(#[from] ShareError),
    /// `--serve` without a way in.
    #[error(
        "--serve lets nobody in by itself: add --authorized-keys FILE (the viewers' public keys, \
         as in ~/.ssh/authorized_keys) or --code (a join code made for this run), or both"
    )]
    NobodyLetIn,
}

/// The handout: what to mark as changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HtmlTask {
    /// An older version to mark changes against (`--since`).
    pub since: Option<PathBuf>,
}

/// `briefing convert IN --to FORMAT [-o FILE]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertJob {
    /// The report to convert.
    pub input: PathBuf,
    /// Its format, when `--format` says (else its name does).
    pub from: Option<Format>,
    /// The format to write.
    pub to: Format,
    /// Where to write (standard output when none).
    pub output: Option<PathBuf>,
}

/// Which plain output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlainTask {
    /// The whole report.
    Report,
    /// Only what changed since the reader last looked.
    Changed,
    /// The blocks that match a query, like grep.
    Matches(String),
    /// Every action and decision.
    Actions,
    /// What changed between two kept versions (as the user named them).
    Diff(String, String),
}

/// Where the report comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// The report compiled into the binary.
    Builtin,
}

/// Everything resolved from the arguments and the environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// What to do.
    pub task: Task,
    /// The report.
    pub source: Source,
    /// Colours and symbols; `ascii` also means only ASCII is sent.
    pub look: Look,
    /// Columns of plain output.
    pub width: u16,
    /// Where what the reader saw is remembered (none: not remembered).
    pub state: Option<PathBuf>,
    /// Reload the report when its file changes.
    pub watch: bool,
    /// Start presenting.
    pub present: bool,
    /// Share the position to this file.
    pub share: Option<PathBuf>,
    /// Follow the position in this file.
    pub follow: Option<PathBuf>,
    /// A theme older than this (seconds) is stale.
    pub stale_after: i64,
    /// A search to start with.
    pub search: Option<String>,
    /// The widest the browser's text gets.
    pub measure: u16,
    /// The UI's words, when `--lang` chose them (else the report's language).
    pub labels: Option<&'static crate::labels::Labels>,
    /// Serve the browser over SSH.
    pub serve: Option<crate::serve::Options>,
    /// The report's format, when `--format` chose it (else its name says).
    pub format: Option<Format>,
}

impl Config {
    /// Resolves `cli` against the process environment.
    pub fn from_cli(cli: &Cli) -> Result<Config, ConfigError> {
        let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        let term = env("TERM").map(|t| t.to_string_lossy().into_owned());
        let utf8 = utf8_locale(|k| env(k).map(|v| v.to_string_lossy().into_owned()));
        let look = Look {
            color: cli.color.resolve(env("NO_COLOR").is_some()),
            // Not UTF-8 (a C locale, the Linux console): send only ASCII, or
            // UTF-8 continuation bytes arrive as C1 controls.
            ascii: cli.ascii || !utf8 || matches!(term.as_deref(), Some("linux" | "vt100")),
        };
        let source = match &cli.report {
            Some(p) => Source::File(p.clone()),
            None if Path::new("report.toml").is_file() => Source::File("report.toml".into()),
            None => Source::Builtin,
        };
        let terminal = std::io::stdout().is_terminal()
            && std::io::stdin().is_terminal()
            && !matches!(term.as_deref(), Some("dumb") | None);
        let task = if let Some(Command::Convert(c)) = &cli.command {
            Task::Convert(ConvertJob {
                input: c.input.clone(),
                from: c.format.map(Format::from),
                to: c.to.into(),
                output: c.output.clone(),
            })
        } else if cli.html {
            Task::Html(HtmlTask {
                since: cli.since.clone(),
            })
        } else if cli.check {
            Task::Check
        } else if cli.serve.is_some() && !terminal {
            Task::Serve
        } else if cli.changed {
            Task::Plain(PlainTask::Changed)
        } else if cli.actions {
            Task::Plain(PlainTask::Actions)
        } else if let Some([a, b]) = cli.diff.as_deref() {
            Task::Plain(PlainTask::Diff(a.clone(), b.clone()))
        } else if !terminal || cli.plain {
            Task::Plain(match &cli.search {
                Some(q) => PlainTask::Matches(q.clone()),
                None => PlainTask::Report,
            })
        } else {
            Task::Browse
        };
        let file = match &source {
            Source::File(p) => Some(p.as_path()),
            Source::Builtin => None,
        };
        if let Some(path) = &cli.share {
            share::check_target(path, file)?;
        }
        let serve = match cli.serve {
            Some(_) if cli.authorized_keys.is_none() && !cli.code => {
                return Err(ConfigError::NobodyLetIn);
            }
            Some(addr) => Some(crate::serve::Options {
                addr,
                authorized_keys: cli.authorized_keys.clone(),
                code: cli.code,
                max_viewers: usize::from(cli.max_viewers),
                log: cli.log.clone(),
                report: file.map(Path::to_path_buf),
            }),
            None => None,
        };
        Ok(Config {
            state: file
                .filter(|_| !cli.no_state)
                .and_then(crate::state::path_for),
            watch: file.is_some() && !cli.no_watch,
            task,
            source,
            look,
            // On a terminal, plain output wraps to it, as the browser does;
            // in a pipe, to COLUMNS if it is set.
            width: cli.width.or_else(columns).unwrap_or(80),
            present: cli.present,
            share: cli.share.clone(),
            follow: cli.follow.clone(),
            stale_after: i64::try_from(cli.stale).unwrap_or(i64::MAX),
            search: cli.search.clone(),
            measure: cli.measure,
            labels: cli.lang.map(|l| crate::labels::for_lang(l.into())),
            serve,
            format: cli.format.map(Format::from),
        })
    }

    /// The format of the report's file.
    pub fn format_of(&self, path: &Path) -> Format {
        Format::resolve(self.format, path)
    }

    /// The report's file, unless it is the built-in one.
    pub fn file(&self) -> Option<&Path> {
        match &self.source {
            Source::File(p) => Some(p),
            Source::Builtin => None,
        }
    }
}

/// Whether the locale's character set is UTF-8: the first of LC_ALL,
/// LC_CTYPE and LANG that is set decides, as in setlocale(3); none set
/// means the C locale, which is ASCII.
pub(crate) fn utf8_locale(env: impl Fn(&str) -> Option<String>) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| env(k))
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

// How wide plain output is to be: the terminal on standard output, else
// `COLUMNS` (as a pipe to `less` or `fold` is given it); at least 10.
fn columns() -> Option<u16> {
    let tty = rustix::termios::tcgetwinsize(rustix::stdio::stdout())
        .ok()
        .map(|ws| ws.ws_col);
    let env = || std::env::var("COLUMNS").ok()?.trim().parse::<u16>().ok();
    tty.filter(|&w| w > 0).or_else(env).filter(|&w| w >= 10)
}

#[cfg(test)]
mod tests {
    use super::utf8_locale;

    #[test]
    fn the_first_locale_variable_set_decides() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(utf8_locale(env(&[("LANG", "nl_NL.UTF-8")])));
        assert!(!utf8_locale(env(&[("LANG", "C")])));
        assert!(!utf8_locale(env(&[
            ("LC_ALL", "C"),
            ("LANG", "en_US.utf8")
        ])));
        assert!(!utf8_locale(env(&[])), "no locale at all is the C locale");
    }
}
