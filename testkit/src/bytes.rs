//! Byte-level helpers for raw terminal output: searching, escaping for
//! failure messages, and recognising a restored terminal.

/// Returns the offset of the first occurrence of any of `needles` in
/// `bytes` (the earliest position over all needles), or `None`.
pub fn contains_any(bytes: &[u8], needles: &[&[u8]]) -> Option<usize> {
    needles.iter().filter_map(|n| find(bytes, n)).min()
}

/// `row` without trailing spaces: written blanks as well as the never-written
/// cells vt100 already omits (see [`Pty::screen_text`]).
pub fn trim_blanks(row: &str) -> &str {
    row.trim_end_matches(' ')
}

/// Returns the offset of the first occurrence of `needle` in `bytes`.
pub fn find(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    bytes.windows(needle.len()).position(|w| w == needle)
}

/// Returns the offset of the last occurrence of `needle` in `bytes`.
pub fn rfind(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(bytes.len());
    }
    bytes.windows(needle.len()).rposition(|w| w == needle)
}

/// Enter alternate screen (`CSI ? 1049 h`).
pub const ALT_SCREEN_ON: &[u8] = b"\x1b[?1049h";
/// Leave alternate screen (`CSI ? 1049 l`).
pub const ALT_SCREEN_OFF: &[u8] = b"\x1b[?1049l";
/// Show cursor (`CSI ? 25 h`).
pub const CURSOR_SHOW: &[u8] = b"\x1b[?25h";
/// Hide cursor (`CSI ? 25 l`).
pub const CURSOR_HIDE: &[u8] = b"\x1b[?25l";
/// Mouse reporting on, as the browser asks for it (clicks).
pub const MOUSE_ON: &[u8] = b"\x1b[?1000h";

/// Whether mouse reporting was switched off after it was last switched on
/// (both modes the browser enables: clicks and SGR coordinates).
pub fn mouse_off(bytes: &[u8]) -> bool {
    let tail = &bytes[rfind(bytes, MOUSE_ON).unwrap_or(0)..];
    find(tail, b"\x1b[?1000l").is_some() && find(tail, b"\x1b[?1006l").is_some()
}

/// True if the terminal was restored: after the last entering of the
/// alternate screen (`\x1b[?1049h`) the output contains both leaving it
/// (`\x1b[?1049l`) and showing the cursor (`\x1b[?25h`). If the alternate
/// screen was never entered, both sequences must still appear somewhere.
pub fn restored(bytes: &[u8]) -> bool {
    let start = rfind(bytes, ALT_SCREEN_ON).map_or(0, |p| p + ALT_SCREEN_ON.len());
    let tail = &bytes[start..];
    find(tail, ALT_SCREEN_OFF).is_some() && find(tail, CURSOR_SHOW).is_some()
}

/// Renders bytes as printable ASCII with escapes (`\x1b`, `\r`, ...), for
/// failure messages.
pub fn escape(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}
