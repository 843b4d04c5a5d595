//! Which language a report file is written in: TOML (the contract,
//! docs/report-format.md) or Markdown (docs/markdown.md).

use std::path::Path;

/// The language of a report file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `report.toml`.
    Toml,
    /// `notes.md`, read through the mapping of docs/markdown.md.
    Markdown,
}

impl Format {
    /// The format a file's name says: `.md` and `.markdown` (in any case)
    /// are Markdown, everything else TOML, as before Markdown was read.
    pub fn of_path(path: &Path) -> Format {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") {
            Format::Markdown
        } else {
            Format::Toml
        }
    }

    /// `chosen` when given (`--format`), else what the name says.
    pub fn resolve(chosen: Option<Format>, path: &Path) -> Format {
        chosen.unwrap_or_else(|| Format::of_path(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_decides_unless_a_format_is_chosen() {
        assert_eq!(Format::of_path(Path::new("notes.md")), Format::Markdown);
        assert_eq!(
            Format::of_path(Path::new("a/NOTES.Markdown")),
            Format::Markdown
        );
        assert_eq!(Format::of_path(Path::new("report.toml")), Format::Toml);
        assert_eq!(Format::of_path(Path::new("report")), Format::Toml);
        assert_eq!(Format::of_path(Path::new("md")), Format::Toml);
        assert_eq!(
            Format::resolve(Some(Format::Toml), Path::new("x.md")),
            Format::Toml
        );
        assert_eq!(
            Format::resolve(Some(Format::Markdown), Path::new("x.txt")),
            Format::Markdown
        );
    }
}
