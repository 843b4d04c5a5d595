//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Read a briefing (a report.toml) in the terminal.
#[derive(Debug, Parser)]
#[command(name = "briefing", version, about, long_about = None)]
#[command(
    after_help = "Keys: press ? in the browser. Report format: docs/report-format.md (Markdown: docs/markdown.md)\n\
Exit status: 0 ok, 1 --search found nothing, 2 an error (the report cannot be read or is invalid, bad arguments)."
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Other work than reading a report.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The report to show [default: ./report.toml if it exists, else the built-in report]
    pub report: Option<PathBuf>,

    /// Only validate the report: print a one-line summary (warning on stderr of likely slips), or the errors (exit 2)
    #[arg(long)]
    pub check: bool,

    /// Start with this search applied (plain output: print the matching lines, like grep)
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub search: Option<String>,

    /// Width of plain output [default: the terminal's width, else COLUMNS, else 80]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(10..=1000))]
    pub width: Option<u16>,

    /// Print plain text even on a terminal
    #[arg(long)]
    pub plain: bool,

    /// When to use colours
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Draw borders, bullets and markers with ASCII only
    #[arg(long)]
    pub ascii: bool,

    /// Start in presentation mode (one theme per screen)
    #[arg(long)]
    pub present: bool,

    /// Do not reload the report when its file changes
    #[arg(long)]
    pub no_watch: bool,

    /// Presenter: write the current position to PATH on every change
    #[arg(long, value_name = "PATH", conflicts_with = "follow")]
    pub share: Option<PathBuf>,

    /// Follower: move to the position a presenter writes to PATH
    #[arg(long, value_name = "PATH")]
    pub follow: Option<PathBuf>,

    /// A theme not updated for this long is marked stale (e.g. 90m, 2h, 1d)
    #[arg(long, value_name = "AGE", default_value = "2h", value_parser = parse_age)]
    pub stale: u64,

    /// Neither read nor remember what was seen last time (no change marks)
    #[arg(long)]
    pub no_state: bool,

    /// Plain output: print only what changed since last time, then remember it as seen
    #[arg(long)]
    pub changed: bool,

    /// Plain output: every action (open first, by due time, overdue marked) and every decision
    #[arg(long, conflicts_with_all = ["changed", "search"])]
    pub actions: bool,

    /// Plain output: what changed between two kept versions: a number (14), prev, newest or last-seen
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with_all = ["changed", "search", "actions"])]
    pub diff: Option<Vec<String>>,

    /// The widest the text gets on a wide terminal, in columns
    #[arg(long, value_name = "N", default_value_t = crate::layout::READING_MEASURE,
          value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub measure: u16,

    /// Serve the browser over SSH on ADDR [default: 127.0.0.1:2222]: viewers follow while you
    /// present (or --follow), else each browses; needs --authorized-keys or --code
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "127.0.0.1:2222",
          value_parser = parse_listen, conflicts_with_all = ["check", "changed", "plain", "share"])]
    pub serve: Option<std::net::SocketAddr>,

    /// Serving: let in the keys of this OpenSSH authorized_keys file (a key's comment names the viewer)
    #[arg(long, value_name = "FILE", requires = "serve")]
    pub authorized_keys: Option<PathBuf>,

    /// Serving: let in whoever types this run's join code (shown to you) as the SSH password
    #[arg(long, requires = "serve")]
    pub code: bool,

    /// Serving: at most N viewers at once
    #[arg(long, value_name = "N", default_value_t = 100,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub max_viewers: u16,

    /// Serving: the audit log [default: stderr without a terminal, else serve.log in the state directory]
    #[arg(long, value_name = "FILE", requires = "serve")]
    pub log: Option<PathBuf>,

    /// The language of the screen's words [default: the report's language]
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,

    /// The report's format [default: by its name: .md and .markdown are Markdown, else TOML]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// Write a printable HTML handout (one self-contained file) to standard output
    #[arg(long, conflicts_with_all = ["check", "plain", "changed", "search", "present", "share", "follow"])]
    pub html: bool,

    /// The handout marks what changed since this older version of the report
    #[arg(long, value_name = "FILE", requires = "html")]
    pub since: Option<PathBuf>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert a report between TOML and Markdown (to standard output, or -o FILE)
    Convert(ConvertArgs),
}

/// `briefing convert IN --to toml|md [-o FILE]`.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The report to convert
    #[arg(value_name = "IN")]
    pub input: PathBuf,

    /// The format to write
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: FormatArg,

    /// Write to FILE instead of standard output (never over IN)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// IN's format [default: by its name]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
}

/// The `--format` and `--to` choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// TOML (docs/report-format.md).
    Toml,
    /// Markdown (docs/markdown.md).
    #[value(alias = "markdown")]
    Md,
}

impl From<FormatArg> for crate::report::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Toml => crate::report::Format::Toml,
            FormatArg::Md => crate::report::Format::Markdown,
        }
    }
}

/// The `--lang` choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    En,
}

impl From<Lang> for crate::text::hyphenate::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Nl => crate::text::hyphenate::Lang::Nl,
            Lang::En => crate::text::hyphenate::Lang::En,
        }
    }
}

// An address to listen on: HOST:PORT, or a port alone (on loopback).
fn parse_listen(s: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs;
    let port_only = s.strip_prefix(':').unwrap_or(s);
    if let Ok(port) = port_only.parse::<u16>() {
        return Ok(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    }
    if let Ok(addr) = s.parse() {
        return Ok(addr);
    }
    let hint = "give HOST:PORT, e.g. 127.0.0.1:2222 (0.0.0.0:2222 listens on every network); \
                the address comes right after --serve, before the report";
    if !s.contains(':') {
        return Err(format!("not an address to listen on; {hint}"));
    }
    s.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| format!("cannot resolve this address; {hint}"))
}

fn parse_age(s: &str) -> Result<u64, String> {
    crate::report::stamp::parse_duration(s)
}

/// The `--color` choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colours unless NO_COLOR is set or the terminal is dumb.
    Auto,
    /// Always use colours.
    Always,
    /// Never use colours.
    Never,
}

impl ColorChoice {
    /// Whether colours are used, given the environment.
    pub fn resolve(self, no_color_env: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color_env,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn an_address_is_loopback_unless_it_says_otherwise() {
        assert_eq!(
            parse_listen("2222").expect("port"),
            "127.0.0.1:2222".parse().expect("addr")
        );
        assert_eq!(
            parse_listen(":2022").expect("port"),
            "127.0.0.1:2022".parse().expect("addr")
        );
        assert_eq!(
            parse_listen("0.0.0.0:2222").expect("any"),
            "0.0.0.0:2222".parse().expect("addr")
        );
        assert!(parse_listen("[::1]:2222").is_ok());
        let e = parse_listen("report.toml").expect_err("a report");
        assert!(e.contains("before the report"), "{e}");
    }

    #[test]
    fn no_color_wins_only_in_auto() {
        assert!(!ColorChoice::Auto.resolve(true));
        assert!(ColorChoice::Always.resolve(true));
        assert!(!ColorChoice::Never.resolve(false));
    }
}
