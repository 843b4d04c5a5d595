//! TEMPORARY STUB until the real text module lands.
pub mod hyphenate {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Lang { Nl, En }
    pub fn dictionary(_lang: Lang) -> Option<&'static hyphenation::Standard> { None }
}
pub mod wrap {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Line { pub start: usize, pub end: usize, pub hyphen: bool }
    pub fn wrap(text: &str, width: usize, _dict: Option<&hyphenation::Standard>) -> Vec<Line> {
        let mut out = Vec::new();
        let mut start = 0;
        let b = text.as_bytes();
        while start < text.len() {
            let mut end = (start + width.max(1)).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            if end == start { end = text[start..].char_indices().nth(1).map_or(text.len(), |(i, _)| start + i); }
            out.push(Line { start, end, hyphen: false });
            start = end;
            while start < text.len() && b[start] == b' ' { start += 1; }
        }
        out
    }
}
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> { std::borrow::Cow::Borrowed(s) }
pub fn inline(s: &str) -> String { s.split_whitespace().collect::<Vec<_>>().join(" ") }
pub fn paragraphs(s: &str) -> Vec<String> { s.split("\n\n").map(inline).filter(|p| !p.is_empty()).collect() }
pub fn display_width(s: &str) -> usize { unicode_width::UnicodeWidthStr::width(s) }
