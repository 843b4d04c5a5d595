//! What a report's text says that is allowed but may be a slip.

use crate::error::LoadError;

/// What a report's text says that is allowed but may be a slip (a status
/// none of the known words, shown as written), each as one line with the
/// file, line and column: `--check` warns of them. They are about the
/// text, not the report: two reports are equal whatever was noted (a
/// converted report read back has other lines).
#[derive(Clone, Debug, Default)]
pub struct Notes {
    lines: Vec<String>,
    more: usize,
}

impl Notes {
    /// Notes kept with their place; the rest are counted. Each place is
    /// found by counting lines from its part's start: a report of 100,000
    /// themes with a made-up status would cost that 100,000 times.
    pub const SHOWN: usize = 20;

    /// The first [`Notes::SHOWN`] notes' "file:line:column: message" lines, in the file's order.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// How many more there are.
    pub fn more(&self) -> usize {
        self.more
    }

    /// Notes what `what` says, made only if it is among the first [`Notes::SHOWN`].
    pub(crate) fn note(&mut self, what: impl FnOnce() -> LoadError) {
        if self.lines.len() < Notes::SHOWN {
            self.lines.push(what().one_line());
        } else {
            self.more += 1;
        }
    }
}

impl PartialEq for Notes {
    fn eq(&self, _: &Notes) -> bool {
        true
    }
}
