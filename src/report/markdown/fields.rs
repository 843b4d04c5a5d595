//! The two small forms inside a Markdown report (docs/markdown.md): the
//! status block, `Key: value` lines right under a heading, and
//! `[key:: value]` fields at the end of a list item. Both are read from the
//! source as written, so an escaped `\[` or `Status\:` is text, never a
//! field. Values are plain text: only `\` escapes and `&#…;` references are
//! decoded, so a value means exactly what it says.

use std::ops::Range;

/// Where something is wrong, in the file, and what to say.
pub(super) type Problem = (Range<usize>, String);

/// A key and its value, with their places in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Field {
    /// The key, lower-cased (keys are read in any case).
    pub key: String,
    /// The key as written, for messages.
    pub written: String,
    /// Where the key is.
    pub key_at: Range<usize>,
    /// The value, decoded and trimmed.
    pub value: String,
    /// Where the value is.
    pub value_at: Range<usize>,
}

/// The keys of a theme's status block, in the order they are written.
pub(super) const STATUS_KEYS: [&str; 5] = ["status", "owner", "source", "updated", "unchanged"];

/// The key at the start of `line`, if the line is `Key: …` (up to three
/// spaces before it, as CommonMark allows): its range in `line`.
fn key_of(line: &str) -> Option<Range<usize>> {
    let start = line.len() - line.trim_start_matches(' ').len();
    if start > 3 {
        return None;
    }
    let colon = start + line[start..].find(':')?;
    let key = line[start..colon].trim_end();
    let ok = key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-'));
    ok.then(|| start..start + key.len())
}

/// Whether a paragraph whose source is `raw` is a status block: its first
/// line begins with one of the status keys and a colon.
pub(super) fn is_status_block(raw: &str) -> bool {
    let first = raw.lines().next().unwrap_or("");
    key_of(first).is_some_and(|k| STATUS_KEYS.contains(&first[k].to_ascii_lowercase().as_str()))
}

/// Whether a paragraph of text would be read as a status block if it came
/// first under a heading: the writer escapes its colon then.
pub fn looks_like_status(text: &str) -> Option<usize> {
    let k = key_of(text)?;
    STATUS_KEYS
        .contains(&text[k.clone()].to_ascii_lowercase().as_str())
        .then(|| k.start + text[k.start..].find(':').unwrap_or(0))
}

/// The lines of a status block (source `raw`, starting at `base` in the
/// file) as fields; a line that is not `Key: value` with a known key is a
/// problem that says what to write instead.
pub(super) fn status_lines(raw: &str, base: usize) -> Result<Vec<Field>, Problem> {
    let mut fields: Vec<Field> = Vec::new();
    let mut at = base;
    for line in raw.split_inclusive('\n') {
        let len = line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        if !line.trim().is_empty() {
            let field = status_line(line, at)?;
            if let Some(first) = fields.iter().find(|f| f.key == field.key) {
                return Err((
                    field.key_at,
                    format!(
                        "`{}` is given twice in the status block (first as `{}`); keep one of them",
                        field.written, first.written
                    ),
                ));
            }
            fields.push(field);
        }
        at += len;
    }
    Ok(fields)
}

fn status_line(line: &str, at: usize) -> Result<Field, Problem> {
    let expected = "`Status`, `Owner`, `Source`, `Updated`, `Unchanged`";
    let Some(k) = key_of(line) else {
        return Err((
            at..at + line.len(),
            format!(
                "a line of the status block under a heading is `Key: value` with a key of {expected}; end the block with a blank line before the text"
            ),
        ));
    };
    let written = line[k.clone()].to_owned();
    let key = written.to_ascii_lowercase();
    if !STATUS_KEYS.contains(&key.as_str()) {
        return Err((
            at + k.start..at + k.end,
            format!(
                "unknown key `{written}` in the status block, expected one of {expected}; end the block with a blank line before the text"
            ),
        ));
    }
    let colon = k.start + line[k.start..].find(':').unwrap_or(0);
    let raw_value = &line[colon + 1..];
    let lead = raw_value.len() - raw_value.trim_start().len();
    let value_at = at + colon + 1 + lead..at + line.trim_end().len().max(colon + 1 + lead);
    Ok(Field {
        key,
        written,
        key_at: at + k.start..at + k.end,
        value: decode(raw_value),
        value_at,
    })
}

/// The `[key:: value]` fields at the end of `raw` (the source of a list
/// item's first paragraph, starting at `base` in the file): where in `raw`
/// they begin, and the fields in the order written. A bracket escaped with
/// `\` is never a field.
pub(super) fn trailing(raw: &str, base: usize) -> (usize, Vec<Field>) {
    let b = raw.as_bytes();
    let mut end = raw.trim_end().len();
    let mut fields = Vec::new();
    while end > 0 && b[end - 1] == b']' && !escaped(b, end - 1) {
        let close = end - 1;
        // The opening bracket: values hold no unescaped bracket or line break.
        let mut i = close;
        let open = loop {
            if i == 0 {
                break None;
            }
            i -= 1;
            match b[i] {
                b'\n' | b'\r' => break None,
                b'[' | b']' if !escaped(b, i) => break (b[i] == b'[').then_some(i),
                _ => {}
            }
        };
        let Some(open) = open else { break };
        let inner = &raw[open + 1..close];
        let Some(sep) = inner.find("::") else { break };
        let key = inner[..sep].trim();
        let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '));
        if !key_ok {
            break;
        }
        let key_start = open + 1 + (inner.len() - inner.trim_start().len());
        let value = &inner[sep + 2..];
        let v_start = open + 1 + sep + 2 + (value.len() - value.trim_start().len());
        fields.push(Field {
            key: key.to_ascii_lowercase(),
            written: key.to_owned(),
            key_at: base + key_start..base + key_start + key.len(),
            value: decode(value),
            value_at: base + v_start..base + close.max(v_start),
        });
        end = raw[..open].trim_end().len();
    }
    fields.reverse();
    (end, fields)
}

// Whether the byte at `i` is escaped by an odd run of backslashes before it.
fn escaped(b: &[u8], i: usize) -> bool {
    b[..i].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1
}

/// A value as written, read as plain text: `\` before ASCII punctuation
/// is dropped, `&#NN;`, `&#xHH;`, `&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&apos;` and `&nbsp;` are the characters they name; surrounding spaces
/// and tabs are trimmed.
pub fn decode(raw: &str) -> String {
    let raw = raw.trim_matches([' ', '\t']);
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['\\', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(c) = rest[1..].chars().next().filter(|_| rest.starts_with('\\'))
            && c.is_ascii_punctuation()
        {
            out.push(c);
            rest = &rest[1 + c.len_utf8()..];
        } else if let Some((c, len)) = entity(rest) {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

// The character an entity at the start of `s` names, and its length; as
// CommonMark, NUL and what is not a character are U+FFFD.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if (1..=6).contains(&hex.len()) => u32::from_str_radix(hex, 16).ok()?,
            None if (1..=7).contains(&num.len()) && num.bytes().all(|b| b.is_ascii_digit()) => {
                num.parse().ok()?
            }
            _ => return None,
        };
        char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}')
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{A0}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_decode_escapes_and_references_only() {
        assert_eq!(decode("  GHOR \\[team\\] "), "GHOR [team]");
        assert_eq!(
            decode("a &amp; b &#x1b;&#27; &#0; &bogus; \\q *x*"),
            "a & b \u{1b}\u{1b} \u{FFFD} &bogus; \\q *x*"
        );
        assert_eq!(decode("C:\\temp\\\\"), "C:\\temp\\");
        assert_eq!(decode("&#xA0;x&nbsp;"), "\u{A0}x\u{A0}");
        assert_eq!(decode("&#99999999;&"), "&#99999999;&");
    }

    #[test]
    fn trailing_fields_are_read_from_the_end_and_escaped_brackets_are_text() {
        let raw = "Call GridCo [owner:: GHOR] [Due:: 2026-11-27T12:00]  ";
        let (end, f) = trailing(raw, 100);
        assert_eq!(&raw[..end], "Call GridCo");
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].key.as_str(), f[0].value.as_str()), ("owner", "GHOR"));
        assert_eq!((f[1].key.as_str(), f[1].written.as_str()), ("due", "Due"));
        assert_eq!(f[1].value, "2026-11-27T12:00");
        assert_eq!(f[0].key_at, 113..118);
        assert_eq!(f[0].value_at, 121..125);
        for text in [
            "see \\[owner:: x]",
            "see [owner:: x\\]",
            "no fields here",
            "[a link](x)",
            "[not a key:]",
            "two\n[owner:: x\n]",
        ] {
            let (end, f) = trailing(text, 0);
            assert!(f.is_empty(), "{text}");
            assert_eq!(end, text.trim_end().len());
        }
        let (end, f) = trailing("x [owner:: A\\]B] [due::2026-01-01]", 0);
        assert_eq!(
            (end, f[0].value.as_str(), f[1].value.as_str()),
            (1, "A]B", "2026-01-01")
        );
        assert_eq!(trailing("[owner:: x]", 0).0, 0);
    }

    #[test]
    fn a_status_block_is_recognised_by_its_first_line() {
        assert!(is_status_block("Status: changed\nOwner: X\n"));
        assert!(is_status_block("   owner : X"));
        assert!(!is_status_block("Status\\: changed"));
        assert!(!is_status_block("Note: the river is high."));
        assert!(!is_status_block("    Status: code"));
        assert_eq!(looks_like_status("Owner: a"), Some(5));
        assert_eq!(looks_like_status("Note: a"), None);
    }

    #[test]
    fn status_lines_are_strict() {
        let f = status_lines("Status: changed\r\nOwner:  GHOR \\& co\n", 10).expect("valid");
        assert_eq!(f[1].value, "GHOR & co");
        assert_eq!(f[1].key_at, 27..32);
        let (at, why) = status_lines("Status: new\nEigenaar: X\n", 0).expect_err("unknown");
        assert_eq!(at, 12..20);
        assert!(why.contains("unknown key `Eigenaar`"), "{why}");
        let (at, why) = status_lines("Status: new\nthe river is high\n", 0).expect_err("prose");
        assert_eq!(at.start, 12);
        assert!(why.contains("blank line"), "{why}");
        let (_, why) = status_lines("Status: new\nstatus: old\n", 0).expect_err("twice");
        assert!(why.contains("twice"), "{why}");
    }
}
