//! Writing HTML that is safe by construction: element and attribute names
//! are `&'static str` (written in this crate, never taken from a report),
//! and every text and attribute value passes through [`escape_into`], the
//! one escape function, which writes `& < > " '` as references. So a
//! report's text can only ever be text: no tag, no attribute, no
//! `javascript:` URL can come out of it.

use std::fmt::Write as _;

/// An HTML document being written.
pub struct Html {
    out: String,
}

impl Html {
    /// An empty document.
    pub fn new() -> Html {
        Html {
            out: String::with_capacity(64 * 1024),
        }
    }

    /// Markup written in this crate (the doctype, the style sheet).
    pub fn markup(&mut self, s: &'static str) {
        self.out.push_str(s);
    }

    /// `<tag attr="value" …>`; values are escaped, empty ones left out
    /// (a class that does not apply).
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs.iter().filter(|(_, v)| !v.trim().is_empty()) {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &'static str) {
        let _ = write!(self.out, "</{tag}>");
    }

    /// Text, escaped.
    pub fn text(&mut self, s: &str) {
        escape_into(&mut self.out, s);
    }

    /// `<tag …>text</tag>`.
    pub fn element(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) {
        self.open(tag, attrs);
        self.text(text);
        self.close(tag);
    }

    /// A line break in the source, for a reader of the file.
    pub fn newline(&mut self) {
        self.out.push('\n');
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Appends `s` with `&`, `<`, `>`, `"` and `'` written as references:
/// safe as text and inside a double- or single-quoted attribute value.
pub fn escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_values_are_escaped() {
        let mut h = Html::new();
        h.open("a", &[("href", "\" onclick='x'><script>"), ("class", " ")]);
        h.text("<b>&amp;</b> \"'");
        h.close("a");
        assert_eq!(
            h.finish(),
            "<a href=\"&quot; onclick=&#39;x&#39;&gt;&lt;script&gt;\">&lt;b&gt;&amp;amp;&lt;/b&gt; &quot;&#39;</a>"
        );
    }
}
