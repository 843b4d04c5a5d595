//! Terminal input decoded from a byte stream (the local terminal, an SSH
//! channel): keys, mouse reports, bracketed pastes and focus changes.
//!
//! The bytes are tokenised by `vte` (alacritty's implementation of the DEC
//! VT parser), which consumes CSI, OSC and DCS sequences as whole units
//! whatever they hold, so an unknown sequence cannot wedge the input (as a
//! late DECRPM reply wedges crossterm's) and no byte of a terminal's reply
//! (DECRQSS, OSC colours, DA, XTVERSION) can become a key. No input crate
//! gives those guarantees (terminput and crossterm share the wedges; termina
//! wedges for good on DA2 and cut-off sequences; termwiz leaks replies as
//! keys), so the mapping from CSI to keys is a small table here (`csi.rs`),
//! and this module adds what a tokeniser cannot know:
//! - a lone ESC is the Esc key once no more bytes follow within
//!   [`ESC_TIMEOUT`]; an ESC before a key that starts no sequence (what
//!   terminals send for Alt, or an Esc typed just before the key) is the
//!   Esc key and then that key, since briefing binds nothing to Alt and a
//!   quick "Esc q" must not lose its Esc;
//! - APC, PM and SOS strings (`vte` reports nothing for them) are swallowed;
//! - an incomplete sequence is given up on after [`SEQUENCE_TIMEOUT`], an
//!   unfinished paste delivered after [`PASTE_TIMEOUT`], so nothing waits
//!   forever for a terminator that never comes;
//! - inside a paste, only text is kept: escape sequences are dropped, so
//!   a reply arriving during a paste lands neither in the text nor as keys.
//!
//! The caller feeds every byte it reads ([`Decoder::feed`]), waits at most
//! [`Decoder::pending_timeout`] for more, and calls [`Decoder::flush`] when
//! that passes or the stream ends.

mod csi;
#[cfg(test)]
mod tests;

use std::time::Duration;

/// How long a lone ESC waits for the rest of a key before it is Esc.
pub const ESC_TIMEOUT: Duration = Duration::from_millis(50);
/// How long a started sequence or string waits for its end before it is dropped.
pub const SEQUENCE_TIMEOUT: Duration = Duration::from_millis(500);
/// How long a bracketed paste waits for its end marker before it is delivered.
pub const PASTE_TIMEOUT: Duration = Duration::from_millis(500);
/// The longest paste kept; the rest is dropped.
const MAX_HELD: usize = 1 << 20;
/// The longest sequence or string followed: no key or reply we ask for is
/// near it. Past it the parser lets go of what it holds and the rest, to
/// the string's end, is dropped unread: the parser keeps a string's text
/// whole, and one viewer's endless OSC grew a presenter by 40 MB a second.
const MAX_SEQUENCE: usize = 64 * 1024;

/// Modifier keys held with a key or mouse event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mods {
    /// Shift.
    pub shift: bool,
    /// Alt (Meta).
    pub alt: bool,
    /// Control.
    pub ctrl: bool,
}

/// A key, without modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCode {
    /// A character (shift already applied).
    Char(char),
    /// Enter.
    Enter,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Esc.
    Esc,
    /// ↑.
    Up,
    /// ↓.
    Down,
    /// ←.
    Left,
    /// →.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page Up.
    PageUp,
    /// Page Down.
    PageDown,
    /// Insert.
    Insert,
    /// Delete.
    Delete,
    /// A function key F1–F20.
    F(u8),
}

/// A key press.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// Which key.
    pub code: KeyCode,
    /// With which modifiers.
    pub mods: Mods,
}

/// What the mouse did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MouseKind {
    /// The left button went down.
    Press,
    /// The wheel turned towards the user (content moves up).
    WheelDown,
    /// The wheel turned away from the user.
    WheelUp,
    /// Anything else: other buttons, releases, drags, motion.
    Other,
}

/// A mouse report (SGR encoding), at a zero-based cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mouse {
    /// What happened.
    pub kind: MouseKind,
    /// Column, from 0.
    pub col: u16,
    /// Row, from 0.
    pub row: u16,
}

/// One decoded unit of input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A key press.
    Key(Key),
    /// A mouse report.
    Mouse(Mouse),
    /// Text pasted with bracketed paste, as one unit.
    Paste(String),
    /// The terminal gained (true) or lost focus.
    Focus(bool),
    /// A sequence that is not input (a terminal's reply, an unknown or
    /// cut-off sequence, a string): consumed whole and otherwise ignored.
    Reply,
}

/// vte's callbacks, collected for the decoder to act on in order.
#[derive(Debug)]
enum Token {
    Print(char),
    Execute(u8),
    Csi(Vec<u16>, Vec<u8>, bool, char),
    Esc(Vec<u8>, u8),
    Osc(bool),
    Dcs,
}

#[derive(Default)]
struct Tokens(Vec<Token>);

impl vte::Perform for Tokens {
    fn print(&mut self, c: char) {
        self.0.push(Token::Print(c));
    }
    fn execute(&mut self, byte: u8) {
        self.0.push(Token::Execute(byte));
    }
    fn hook(&mut self, _: &vte::Params, _: &[u8], _: bool, _: char) {}
    fn unhook(&mut self) {
        self.0.push(Token::Dcs);
    }
    fn osc_dispatch(&mut self, _: &[&[u8]], bell: bool) {
        self.0.push(Token::Osc(bell));
    }
    fn csi_dispatch(&mut self, params: &vte::Params, inter: &[u8], ignore: bool, fin: char) {
        // Only the first value of each parameter matters for keys and mice.
        let first: Vec<u16> = params
            .iter()
            .map(|p| p.first().copied().unwrap_or(0))
            .collect();
        self.0.push(Token::Csi(first, inter.to_vec(), ignore, fin));
    }
    fn esc_dispatch(&mut self, inter: &[u8], _: bool, byte: u8) {
        self.0.push(Token::Esc(inter.to_vec(), byte));
    }
}

/// A streaming decoder: feed it bytes as they arrive, in any split.
pub struct Decoder {
    parser: vte::Parser,
    tokens: Tokens,
    /// The raw bytes of the sequence in progress (from its ESC); empty in text.
    held: Vec<u8>,
    /// Whether a sequence is in progress.
    in_sequence: bool,
    /// ESC ESC was seen: an Esc is owed before the next key (or, flushed, two).
    double_esc: bool,
    /// An Esc is owed before the next key (ESC before a byte that starts no sequence).
    alt_next: bool,
    /// ESC O was seen: an SS3 key's final byte comes next.
    ss3: bool,
    /// A string just ended at an ESC: its `\` (of ST) is swallowed.
    expect_st: bool,
    /// Inside an APC, PM or SOS string (vte says nothing about those).
    in_string: bool,
    /// Inside a bracketed paste: the text so far.
    paste: Option<String>,
    /// Raw bytes still to swallow after a legacy X10 mouse report (`CSI M`).
    x10_left: u8,
    /// `CSI [` was seen: a Linux console F key's letter comes next.
    linux_f: bool,
    /// A sequence longer than [`MAX_SEQUENCE`] is being dropped, to its end.
    overlong: bool,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    /// A decoder with nothing pending.
    pub fn new() -> Decoder {
        Decoder {
            parser: vte::Parser::new(),
            tokens: Tokens::default(),
            held: Vec::new(),
            in_sequence: false,
            double_esc: false,
            alt_next: false,
            ss3: false,
            expect_st: false,
            in_string: false,
            paste: None,
            x10_left: 0,
            linux_f: false,
            overlong: false,
        }
    }

    /// How long to wait for more bytes before calling [`Decoder::flush`];
    /// `None` when nothing is pending.
    pub fn pending_timeout(&self) -> Option<Duration> {
        if self.paste.is_some() {
            Some(PASTE_TIMEOUT)
        } else if self.in_sequence || self.x10_left > 0 || self.overlong {
            // ESC [ and ESC O start nearly every key and reply: over a slow
            // link the rest may come later, and Alt+[ or Alt+O can wait.
            let started = matches!(self.held.as_slice(), [0x1b, b'[' | b'O']);
            // A string being dropped holds nothing, and waits as long.
            Some(
                if self.held.len() <= 2 && !started && !self.overlong && self.x10_left == 0 {
                    ESC_TIMEOUT
                } else {
                    SEQUENCE_TIMEOUT
                },
            )
        } else {
            None
        }
    }

    /// Decodes `bytes`, appending what they complete to `out`. Every byte is
    /// consumed; an incomplete sequence is kept for the next call.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Input>) {
        for &b in bytes {
            self.byte(b, out);
        }
    }

    /// Resolves whatever is pending, because no more bytes came in time or
    /// the stream ended: a lone ESC is Esc, ESC and one byte is Alt with that
    /// key, an unfinished paste is delivered, any other sequence is dropped.
    pub fn flush(&mut self, out: &mut Vec<Input>) {
        if let Some(text) = self.paste.take() {
            out.push(Input::Paste(text));
            self.reset();
        }
        self.x10_left = 0;
        self.overlong = false;
        if self.in_sequence {
            let esc = key(KeyCode::Esc, Mods::default());
            match self.held.as_slice() {
                [0x1b] if self.expect_st => {}
                [0x1b] => {
                    if self.double_esc {
                        out.push(esc.clone());
                    }
                    out.push(esc);
                }
                // ESC and one byte that could have started a sequence: Esc, then the key.
                &[0x1b, c] if (0x20..0x7f).contains(&c) => {
                    out.push(esc);
                    out.push(key(KeyCode::Char(char::from(c)), Mods::default()));
                }
                _ => out.push(Input::Reply),
            }
            self.reset();
        }
        self.double_esc = false;
        self.alt_next = false;
        self.ss3 = false;
        self.linux_f = false;
    }

    fn reset(&mut self) {
        self.parser = vte::Parser::new();
        self.held.clear();
        self.in_sequence = false;
        self.ss3 = false;
        self.linux_f = false;
        self.expect_st = false;
        self.in_string = false;
    }

    fn byte(&mut self, b: u8, out: &mut Vec<Input>) {
        if self.x10_left > 0 {
            self.x10_left -= 1;
            return;
        }
        if self.ss3 && !(0x20..0x7f).contains(&b) {
            // Not an SS3 key's final byte: the ESC O was Alt+O.
            self.ss3 = false;
            self.end_sequence();
            self.emit(KeyCode::Esc, Mods::default(), out);
            self.emit(KeyCode::Char('O'), Mods::default(), out);
        }
        if self.linux_f && !(0x20..0x7f).contains(&b) {
            // Not the letter of an F key: the sequence was something else.
            self.linux_f = false;
            self.end_sequence();
            out.push(Input::Reply);
        }
        if self.overlong {
            // To the string's end (BEL, CAN, SUB), or to an ESC: its ST's,
            // or the next sequence's, read as ever.
            match b {
                0x07 | 0x18 | 0x1a => {
                    self.overlong = false;
                    return;
                }
                // Its ST's `\` is swallowed, as for any string's end.
                0x1b => {
                    self.overlong = false;
                    self.expect_st = true;
                }
                _ => return,
            }
        }
        if self.in_sequence && self.held == [0x1b] && self.paste.is_none() {
            // The byte after an ESC: where vte would start or ignore a
            // sequence, a terminal means Alt with a key.
            match b {
                0x1b => {
                    if self.double_esc {
                        out.push(key(KeyCode::Esc, Mods::default()));
                    }
                    self.double_esc = true;
                    return;
                }
                // CAN and SUB cancel; vte handles them.
                0x18 | 0x1a => {}
                0x00..=0x2f | 0x7f..=0xff if !self.expect_st => {
                    self.reset();
                    self.alt_next = true;
                }
                _ => {}
            }
        }
        if b == 0x1b {
            if self.in_string {
                // An APC/PM/SOS string ends at the ESC of its terminator.
                out.push(Input::Reply);
                self.in_string = false;
                self.expect_st = true;
            }
            self.in_sequence = true;
            self.held.clear();
        }
        if self.in_sequence {
            if self.held.len() >= MAX_SEQUENCE {
                out.push(Input::Reply);
                let paste = self.paste.take();
                self.reset();
                self.paste = paste;
                self.overlong = true;
                return;
            }
            self.held.push(b);
            if self.held.len() == 2 && matches!(b, b'_' | b'^' | b'X') {
                self.in_string = true;
            }
        }
        self.parser.advance(&mut self.tokens, &[b]);
        for token in std::mem::take(&mut self.tokens.0) {
            self.token(token, out);
        }
        if matches!(b, 0x18 | 0x1a) && self.in_sequence {
            self.reset();
        }
    }

    // The Esc owed before the next key (an ESC before it, or a doubled ESC).
    fn owed_esc(&mut self, out: &mut Vec<Input>) {
        if self.alt_next || self.double_esc {
            out.push(key(KeyCode::Esc, Mods::default()));
        }
        self.alt_next = false;
        self.double_esc = false;
    }

    fn emit(&mut self, code: KeyCode, mods: Mods, out: &mut Vec<Input>) {
        self.owed_esc(out);
        out.push(key(code, mods));
    }

    fn end_sequence(&mut self) {
        self.in_sequence = false;
        self.held.clear();
    }

    fn token(&mut self, token: Token, out: &mut Vec<Input>) {
        if self.paste.is_some() {
            return self.paste_token(token, out);
        }
        let none = Mods::default();
        match token {
            Token::Print(c) if self.ss3 => {
                self.ss3 = false;
                self.end_sequence();
                match csi::ss3(c) {
                    Some((code, mods)) => self.emit(code, mods, out),
                    // A key nobody asked for: never its letter (keypad 1
                    // in application mode, `ESC O q`, was Esc, O and q).
                    None => out.push(Input::Reply),
                }
            }
            Token::Print(c) if self.linux_f => {
                self.linux_f = false;
                self.end_sequence();
                match c {
                    'A'..='E' => self.emit(KeyCode::F(c as u8 - b'A' + 1), none, out),
                    _ => out.push(Input::Reply),
                }
            }
            Token::Print('\x7f') => self.emit(KeyCode::Backspace, none, out),
            Token::Print(c) => self.emit(KeyCode::Char(c), none, out),
            Token::Execute(b) => {
                if matches!(b, 0x18 | 0x1a) && self.in_sequence {
                    return;
                }
                if let Some((code, mods)) = csi::control(b) {
                    self.emit(code, mods, out);
                }
            }
            Token::Esc(inter, byte) => {
                self.end_sequence();
                if self.expect_st && byte == b'\\' && inter.is_empty() {
                    self.expect_st = false;
                    return;
                }
                self.expect_st = false;
                if byte == b'O' && inter.is_empty() {
                    self.ss3 = true;
                    self.in_sequence = true;
                    self.held = vec![0x1b, b'O'];
                    return;
                }
                self.owed_esc(out);
                if inter.is_empty() {
                    out.push(key(KeyCode::Esc, none));
                    out.push(key(KeyCode::Char(char::from(byte)), none));
                }
                // ESC with intermediates (a charset designation) is not input.
            }
            Token::Osc(bell) => {
                out.push(Input::Reply);
                self.string_ended(bell);
            }
            Token::Dcs => {
                out.push(Input::Reply);
                self.string_ended(false);
            }
            Token::Csi(params, inter, ignore, fin) => {
                self.end_sequence();
                self.expect_st = false;
                if ignore {
                    out.push(Input::Reply);
                    return;
                }
                match csi::decode(&params, &inter, fin) {
                    csi::Csi::Key(code, mods) => self.emit(code, mods, out),
                    csi::Csi::Mouse(mouse) => {
                        self.owed_esc(out);
                        out.push(Input::Mouse(mouse));
                    }
                    csi::Csi::Focus(on) => out.push(Input::Focus(on)),
                    csi::Csi::PasteStart => self.paste = Some(String::new()),
                    csi::Csi::PasteEnd => {}
                    csi::Csi::X10Mouse => self.x10_left = 3,
                    csi::Csi::LinuxF => {
                        self.linux_f = true;
                        self.in_sequence = true;
                        self.held = vec![0x1b, b'[', b'['];
                    }
                    csi::Csi::Reply => out.push(Input::Reply),
                }
            }
        }
    }

    // A string (OSC, DCS) ended: by BEL, or at the ESC of ST, whose `\`
    // follows and must not become Alt+\.
    fn string_ended(&mut self, bell: bool) {
        if bell {
            self.end_sequence();
        } else {
            self.expect_st = true;
            self.held = vec![0x1b];
        }
    }

    // Inside a paste: text, newlines and tabs are kept; every sequence but
    // the end marker is consumed and dropped.
    fn paste_token(&mut self, token: Token, out: &mut Vec<Input>) {
        let Some(text) = self.paste.as_mut() else {
            return;
        };
        match token {
            Token::Print(c) if text.len() < MAX_HELD => text.push(c),
            Token::Execute(b @ (b'\r' | b'\n' | b'\t')) if text.len() < MAX_HELD => {
                text.push(char::from(b));
            }
            Token::Csi(params, inter, _, '~')
                if inter.is_empty() && params.first() == Some(&201) =>
            {
                out.push(Input::Paste(std::mem::take(text)));
                self.paste = None;
                self.end_sequence();
            }
            Token::Csi(..) | Token::Esc(..) => self.end_sequence(),
            Token::Osc(true) => self.end_sequence(),
            _ => {}
        }
        if !self.in_sequence {
            self.held.clear();
        }
    }
}

fn key(code: KeyCode, mods: Mods) -> Input {
    Input::Key(Key { code, mods })
}
