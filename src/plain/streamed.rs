//! The whole report as plain text, made while it is parsed: a run of
//! themes is laid out and wrapped as soon as it is read, on this thread,
//! while the parse goes on on another. Written after the load, wrapping all
//! of the text made plain output of a 10 MB report 1.7x the browser's load.
//! It is written only once the whole report parsed: an invalid report
//! writes nothing, as before.

use std::path::Path;

use crate::doc::Doc;
use crate::error::LoadError;
use crate::look::Look;
use crate::report::{Pieces, Report};

/// How many themes are laid out as one run.
const RUN: usize = 256;

/// The report read as `pieces` (a TOML text) as [`super::write_report`]
/// writes it, or why it cannot be read.
pub fn render_as_read(
    pieces: Pieces,
    origin: &Path,
    width: u16,
    look: &Look,
) -> Result<Vec<u8>, LoadError> {
    let (tx, rx) = std::sync::mpsc::channel::<Doc>();
    std::thread::scope(|s| {
        // Unbounded: if no thread can be started the parse runs first, whole.
        let parse = crate::later::start(s, "parse", move || {
            let mut run = Vec::with_capacity(RUN);
            let header =
                Report::parse_pieces(pieces.into_parts_with_starts(), origin, |report, theme| {
                    run.push(theme);
                    if run.len() == RUN {
                        let _ = tx.send(Doc::of_themes(report, run.drain(..)));
                    }
                })?;
            if !run.is_empty() {
                let _ = tx.send(Doc::of_themes(&header, run.drain(..)));
            }
            Ok::<_, LoadError>(header)
        });
        // Into memory, which cannot fail.
        let mut out = Vec::new();
        let mut headed = false;
        for doc in rx {
            if !headed {
                let _ = super::write_head(&mut out, &doc, width, look);
                headed = true;
            }
            let _ = super::write_themes(&mut out, &doc, width, look);
        }
        let header = Doc::of_themes(&parse.get()?, std::iter::empty::<crate::report::Theme>());
        if !headed {
            let _ = super::write_head(&mut out, &header, width, look);
        }
        let _ = super::write_tail(&mut out, &header, look);
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(themes: usize, broken_at: Option<usize>) -> String {
        let mut s =
            String::from("title = \"R\"\nclassification = \"TLP:AMBER\"\nlanguage = \"nl\"\n");
        for i in 0..themes {
            let status = if broken_at == Some(i) {
                "status = 3\n"
            } else {
                ""
            };
            s += &format!(
                "[[theme]]\ntitle = \"Thema {i}\"\n{status}body = \"Een alinea over de veiligheidsregio {i}.\"\npoints = [\"punt\", {{ text = \"genest\", points = [\"dieper\"] }}]\n[[theme.theme]]\ntitle = \"Sub {i}\"\nbody = \"Sub-alinea.\"\n"
            );
        }
        s
    }

    #[test]
    fn the_report_made_as_it_is_read_is_the_report_written_after_the_load() {
        let (path, look) = (Path::new("r.toml"), Look::default());
        // Several runs of themes, and a report of fewer themes than a run.
        for themes in [2 * RUN + 7, 3] {
            let text = report(themes, None);
            let doc = Doc::from_source_as(text.clone(), path, crate::report::Format::Toml)
                .expect("valid");
            let mut whole = Vec::new();
            super::super::write_report(&mut whole, &doc, 60, &look).expect("written");
            let pieces = Pieces::of_parts(vec![&text]);
            let made = render_as_read(pieces, path, 60, &look).expect("valid");
            assert_eq!(
                String::from_utf8(made),
                String::from_utf8(whole),
                "{themes} themes"
            );
        }
        // An invalid theme late in the report: nothing is made, the error said.
        let text = report(2 * RUN, Some(RUN + 3));
        let made = render_as_read(Pieces::of_parts(vec![&text]), path, 60, &look);
        assert!(
            matches!(made, Err(LoadError::Invalid { .. })),
            "{:?}",
            made.map(|m| m.len())
        );
    }
}
