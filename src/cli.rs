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

    /// Only validate the report: print a one-line summary, or the errors (exit 2)
    #[arg(long)]
    pub check: bool,

    /// Start with this search applied (plain output: print the matching lines, like grep)
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub search: Option<String>,

    /// Width of plain output [default: the terminal's width, else 80]
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

    /// The widest the text gets on a wide terminal, in columns
    #[arg(long, value_name = "N", default_value_t = crate::layout::READING_MEASURE,
          value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub measure: u16,

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
    fn no_color_wins_only_in_auto() {
        assert!(!ColorChoice::Auto.resolve(true));
        assert!(ColorChoice::Always.resolve(true));
        assert!(!ColorChoice::Never.resolve(false));
    }
}
