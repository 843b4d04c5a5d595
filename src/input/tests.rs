use proptest::prelude::*;

use super::*;

fn decode(bytes: &[u8]) -> Vec<Input> {
    let mut d = Decoder::new();
    let mut out = Vec::new();
    d.feed(bytes, &mut out);
    d.flush(&mut out);
    out
}

fn decoded_keys(bytes: &[u8]) -> Vec<Input> {
    decode(bytes)
        .into_iter()
        .filter(|i| !matches!(i, Input::Reply | Input::Focus(_)))
        .collect()
}

fn k(code: KeyCode) -> Input {
    Input::Key(Key {
        code,
        mods: Mods::default(),
    })
}

fn c(ch: char) -> Input {
    k(KeyCode::Char(ch))
}

fn with(code: KeyCode, shift: bool, alt: bool, ctrl: bool) -> Input {
    Input::Key(Key {
        code,
        mods: Mods { shift, alt, ctrl },
    })
}

#[test]
fn keys_in_every_form_terminals_send() {
    use KeyCode::*;
    let cases: &[(&[u8], Input)] = &[
        (b"\x1b[A", k(Up)),
        (b"\x1bOB", k(Down)),
        (b"\x1b[C", k(Right)),
        (b"\x1bOD", k(Left)),
        (b"\x1b[H", k(Home)),
        (b"\x1bOH", k(Home)),
        (b"\x1b[1~", k(Home)),
        (b"\x1b[7~", k(Home)),
        (b"\x1b[F", k(End)),
        (b"\x1b[4~", k(End)),
        (b"\x1b[5~", k(PageUp)),
        (b"\x1b[6~", k(PageDown)),
        (b"\x1b[3~", k(Delete)),
        (b"\x1b[2~", k(Insert)),
        (b"\x1bOP", k(F(1))),
        (b"\x1b[15~", k(F(5))),
        (b"\x1b[24~", k(F(12))),
        (b"\x1b[Z", with(BackTab, true, false, false)),
        (b"\x1b[1;5A", with(Up, false, false, true)),
        (b"\x1b[1;2R", with(F(3), true, false, false)),
        (b"\r", k(Enter)),
        (b"\t", k(Tab)),
        (b"\x7f", k(Backspace)),
        (b"\x08", k(Backspace)),
        (b"\x03", with(Char('c'), false, false, true)),
        (b"\x1b[1;3A", with(Up, false, true, false)),
        (b"\x1b[106;5u", with(Char('j'), false, false, true)),
        (b"\x1b", k(Esc)),
        ("é".as_bytes(), c('é')),
    ];
    for (bytes, want) in cases {
        assert_eq!(
            decode(bytes),
            std::slice::from_ref(want),
            "{}",
            bytes.escape_ascii()
        );
    }
}

/// An ESC before a key (Alt, or an Esc typed quickly) is Esc and the key:
/// no key is bound to Alt, and a quick "Esc q" must not lose the Esc.
#[test]
fn an_esc_before_a_key_is_esc_then_the_key() {
    use KeyCode::*;
    assert_eq!(decode(b"\x1bj"), [k(Esc), c('j')]);
    assert_eq!(decode(b"\x1bq"), [k(Esc), c('q')]);
    assert_eq!(decode(b"\x1b\x1b[A"), [k(Esc), k(Up)]);
    assert_eq!(decode(b"\x1b\x1b"), [k(Esc), k(Esc)]);
    assert_eq!(decode(b"\x1b["), [k(Esc), c('[')]);
    let mut d = Decoder::new();
    let mut out = Vec::new();
    d.feed(b"\x1b", &mut out);
    d.feed(b"q", &mut out);
    assert_eq!(out, [k(Esc), c('q')], "in two reads");
}

#[test]
fn mouse_focus_and_paste() {
    let press = Input::Mouse(Mouse {
        kind: MouseKind::Press,
        col: 9,
        row: 4,
    });
    assert_eq!(decode(b"\x1b[<0;10;5M"), [press]);
    let wheel = decode(b"\x1b[<65;50;10M\x1b[<64;1;1M");
    assert!(matches!(
        wheel.as_slice(),
        [
            Input::Mouse(Mouse {
                kind: MouseKind::WheelDown,
                ..
            }),
            Input::Mouse(Mouse {
                kind: MouseKind::WheelUp,
                ..
            })
        ]
    ));
    assert_eq!(
        decode(b"\x1b[I\x1b[O"),
        [Input::Focus(true), Input::Focus(false)]
    );
    assert_eq!(
        decode(b"\x1b[200~q line\r\nwith \x1b[2J an escape\x1b[201~j"),
        [Input::Paste("q line\r\nwith  an escape".into()), c('j')]
    );
}

/// Finding 7 (and 6): replies are consumed whole and are never keys.
#[test]
fn terminal_replies_are_never_keys() {
    let replies: &[&[u8]] = &[
        b"\x1b[?2026;2$y",
        b"\x1bP1$r2 q\x1b\\",
        b"\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\",
        b"\x1b]10;rgb:ffff/ffff/ffff\x07",
        b"\x1b[?62;22c",
        b"\x1b[>1;10;0c",
        b"\x1bP>|xterm(390)\x1b\\",
        b"\x1bP!|00000000\x1b\\",
        b"\x1b[12;40R",
        b"\x1b_Gi=1;OK\x1b\\",
        b"\x1b^privacy\x1b\\",
        b"\x1bXstring\x1b\\",
        b"\x1b[?1u",
        b"\x1b[8;24;80t",
        b"\x1b[?997;1n",
        b"\x1b[1$w",
    ];
    for reply in replies {
        let mut bytes = b"j".to_vec();
        bytes.extend_from_slice(reply);
        bytes.push(b'k');
        assert_eq!(
            decoded_keys(&bytes),
            [c('j'), c('k')],
            "{}",
            reply.escape_ascii()
        );
    }
}

/// Finding 6: a cut-off sequence or a paste without its end is resolved
/// by the timeout, and input goes on.
#[test]
fn nothing_waits_forever_for_an_end() {
    let mut d = Decoder::new();
    let mut out = Vec::new();
    d.feed(b"\x1b[200~abc", &mut out);
    assert!(out.is_empty());
    assert_eq!(d.pending_timeout(), Some(PASTE_TIMEOUT));
    d.flush(&mut out);
    d.feed(b"x", &mut out);
    assert_eq!(out, [Input::Paste("abc".into()), c('x')]);
    // A sequence cut after its first two bytes (a slow link) waits as long.
    for (cut, rest, want) in [
        (&b"\x1b["[..], &b"?62;c"[..], Input::Reply),
        (b"\x1bO", b"A", k(KeyCode::Up)),
    ] {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.feed(cut, &mut out);
        assert_eq!(
            d.pending_timeout(),
            Some(SEQUENCE_TIMEOUT),
            "{}",
            cut.escape_ascii()
        );
        d.feed(rest, &mut out);
        assert_eq!(
            out,
            [want],
            "the rest came within it: {}",
            cut.escape_ascii()
        );
    }
    for cut in [
        &b"\x1b[?2026;2"[..],
        b"\x1b]11;rgb:1c",
        b"\x1bP1$r2",
        b"\x1b_Gi",
    ] {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.feed(cut, &mut out);
        assert_eq!(
            d.pending_timeout(),
            Some(SEQUENCE_TIMEOUT),
            "{}",
            cut.escape_ascii()
        );
        d.flush(&mut out);
        d.feed(b"j", &mut out);
        assert_eq!(out, [Input::Reply, c('j')], "{}", cut.escape_ascii());
    }
}

/// Keys of common terminals outside xterm's table: the application
/// keypad, urxvt's Ctrl-arrows, the Linux console's F1–F5; a key nobody
/// knows is no key at all, never its letter (keypad 1 was Esc, O, q: quit).
#[test]
fn keypads_and_consoles_send_their_keys_and_an_unknown_one_no_letter() {
    use KeyCode::*;
    let cases: &[(&[u8], Vec<Input>)] = &[
        (
            b"\x1bOq\x1bOp\x1bOy\x1bOM",
            vec![c('1'), c('0'), c('9'), k(Enter)],
        ),
        (
            b"\x1bOn\x1bOm\x1bOk\x1bOj",
            vec![c('.'), c('-'), c('+'), c('*')],
        ),
        (
            b"\x1bOd\x1bOc",
            vec![
                with(Left, false, false, true),
                with(Right, false, false, true),
            ],
        ),
        (b"\x1b[[A\x1b[[E", vec![k(F(1)), k(F(5))]),
        (
            b"\x1bOZj\x1b[[Zk\x1b[[\x1b[Aq",
            vec![c('j'), c('k'), k(Up), c('q')],
        ),
        // ESC O, then another sequence: Alt+O, never an SS3 letter later (q was 1).
        (b"\x1bO\x1b[Aq", vec![k(Esc), c('O'), k(Up), c('q')]),
    ];
    for (bytes, keys) in cases {
        assert_eq!(&decoded_keys(bytes), keys, "{}", bytes.escape_ascii());
    }
}

/// An endless string (a viewer's `ESC ] 0 ;` never ended) is given up at
/// [`MAX_SEQUENCE`]: the parser keeps no more of it, and the rest is
/// dropped to the string's end, keys and all; then input goes on.
#[test]
fn an_endless_string_is_given_up_and_dropped_to_its_end() {
    for (start, end) in [
        (&b"\x1b]0;"[..], &b"\x07"[..]),
        (b"\x1bP1$r", b"\x1b\\"),
        (b"\x1b]0;", b"\x18"),
    ] {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.feed(start, &mut out);
        for _ in 0..4 * MAX_SEQUENCE / 4096 {
            d.feed(&[b'q'; 4096], &mut out);
        }
        assert_eq!(
            out,
            [Input::Reply],
            "given up before its end: {}",
            start.escape_ascii()
        );
        assert!(
            d.held.is_empty() && d.overlong,
            "nothing held while it is dropped"
        );
        // Cut by a slow link, it waits as long as any started sequence.
        assert_eq!(d.pending_timeout(), Some(SEQUENCE_TIMEOUT));
        d.feed(end, &mut out);
        d.feed(b"j", &mut out);
        // Its end is no key either (ST's ESC and `\` were Esc and `\`).
        assert_eq!(out, [Input::Reply, c('j')], "{}", start.escape_ascii());
    }
    // Cut off at the cap, it is dropped by the timeout too.
    let mut d = Decoder::new();
    let mut out = Vec::new();
    d.feed(b"\x1b]0;", &mut out);
    d.feed(&vec![b'x'; MAX_SEQUENCE], &mut out);
    assert!(d.pending_timeout().is_some());
    d.flush(&mut out);
    d.feed(b"j", &mut out);
    assert_eq!(out, [Input::Reply, c('j')]);
    // A paste with an endless string inside goes on as a paste after it.
    let mut bytes = b"\x1b[200~ab\x1b]0;".to_vec();
    bytes.extend(vec![b'x'; 2 * MAX_SEQUENCE]);
    bytes.extend_from_slice(b"\x07cd\x1b[201~");
    let pasted: Vec<Input> = decode(&bytes)
        .into_iter()
        .filter(|i| *i != Input::Reply)
        .collect();
    assert_eq!(pasted, [Input::Paste("abcd".into())]);
}

/// Finding 5: a burst is decoded whole, whatever the reads.
#[test]
fn a_burst_is_decoded_whole() {
    let burst = vec![b'j'; 20_000];
    let mut d = Decoder::new();
    let mut out = Vec::new();
    for chunk in burst.chunks(4096) {
        d.feed(chunk, &mut out);
    }
    assert_eq!(out.len(), 20_000);
    assert_eq!(d.pending_timeout(), None);
}

// ---------------------------------------------------------------------------
// The property: keys, mice and pastes interleaved with replies, split at any
// byte boundaries, decode to exactly the keys, mice and pastes.

/// A unit of the stream and what it must decode to (nothing, for replies).
fn unit() -> impl Strategy<Value = (Vec<u8>, Vec<Input>)> {
    use KeyCode::*;
    let key = prop_oneof![
        "[a-zA-Z0-9 ,./;'=-]".prop_map(|s: String| {
            let ch = s.chars().next().unwrap_or('a');
            (s.into_bytes(), vec![c(ch)])
        }),
        prop::sample::select(vec!['é', '€', '👩', '’', 'ж'])
            .prop_map(|ch| { (ch.to_string().into_bytes(), vec![c(ch)]) }),
        prop::sample::select(vec![
            (b"\x1b[A".to_vec(), k(Up)),
            (b"\x1bOA".to_vec(), k(Up)),
            (b"\x1b[B".to_vec(), k(Down)),
            (b"\x1b[6~".to_vec(), k(PageDown)),
            (b"\x1b[5~".to_vec(), k(PageUp)),
            (b"\x1bOH".to_vec(), k(Home)),
            (b"\x1b[4~".to_vec(), k(End)),
            (b"\x1b[Z".to_vec(), with(BackTab, true, false, false)),
            (b"\x1b[1;5C".to_vec(), with(Right, false, false, true)),
            (b"\r".to_vec(), k(Enter)),
            (b"\x7f".to_vec(), k(Backspace)),
            (b"\x11".to_vec(), with(Char('q'), false, false, true)),
            (
                b"\x1b[<65;30;5M".to_vec(),
                Input::Mouse(Mouse {
                    kind: MouseKind::WheelDown,
                    col: 29,
                    row: 4
                })
            ),
            (
                b"\x1b[<0;3;2M".to_vec(),
                Input::Mouse(Mouse {
                    kind: MouseKind::Press,
                    col: 2,
                    row: 1
                })
            ),
        ])
        .prop_map(|(b, i)| (b, vec![i])),
    ];
    let reply = prop::sample::select(vec![
        b"\x1b[?2026;2$y".to_vec(),
        b"\x1bP1$r2 q\x1b\\".to_vec(),
        b"\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\".to_vec(),
        b"\x1b]10;rgb:ffff/ffff/ffff\x07".to_vec(),
        b"\x1b[?62;22c".to_vec(),
        b"\x1b[>1;10;0c".to_vec(),
        b"\x1bP>|xterm(390)\x1b\\".to_vec(),
        b"\x1b[12;40R".to_vec(),
        b"\x1b_Gi=1;OK\x1b\\".to_vec(),
        b"\x1b[?1u".to_vec(),
        b"\x1b[I".to_vec(),
    ])
    .prop_map(|b| (b, Vec::new()));
    let paste = (
        "[a-z q\\r\\n]{0,12}",
        prop::option::of(prop::sample::select(vec![
            b"\x1b[?62;22c".to_vec(),
            b"\x1b]11;rgb:0/0/0\x07".to_vec(),
        ])),
    )
        .prop_map(|(text, inside): (String, Option<Vec<u8>>)| {
            let mut b = b"\x1b[200~".to_vec();
            let half = text.len() / 2;
            b.extend_from_slice(&text.as_bytes()[..half]);
            if let Some(r) = inside {
                b.extend_from_slice(&r);
            }
            b.extend_from_slice(&text.as_bytes()[half..]);
            b.extend_from_slice(b"\x1b[201~");
            (b, vec![Input::Paste(text)])
        });
    prop_oneof![4 => key, 3 => reply, 1 => paste]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn exactly_the_keys_arrive_whatever_the_reads(
        units in prop::collection::vec(unit(), 0..24),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let mut bytes = Vec::new();
        let mut want = Vec::new();
        for (b, inputs) in &units {
            bytes.extend_from_slice(b);
            want.extend(inputs.iter().cloned());
        }
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut d = Decoder::new();
        let mut got = Vec::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([bytes.len()]) {
            d.feed(&bytes[from..cut], &mut got);
            from = cut;
        }
        d.flush(&mut got);
        got.retain(|i| !matches!(i, Input::Reply | Input::Focus(_)));
        prop_assert_eq!(got, want);
    }

    #[test]
    fn idle_time_between_units_changes_nothing(
        units in prop::collection::vec(unit(), 0..16),
        idle in prop::collection::vec(any::<bool>(), 16),
    ) {
        let mut d = Decoder::new();
        let mut got = Vec::new();
        let mut want = Vec::new();
        for (i, (b, inputs)) in units.iter().enumerate() {
            d.feed(b, &mut got);
            want.extend(inputs.iter().cloned());
            if idle[i] {
                // The timeout passed: only a unit that is still incomplete
                // would be resolved, and none is.
                d.flush(&mut got);
            }
        }
        d.flush(&mut got);
        got.retain(|i| !matches!(i, Input::Reply | Input::Focus(_)));
        prop_assert_eq!(got, want);
    }

    #[test]
    fn any_bytes_at_all_never_panic_and_end_resolved(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        d.feed(&bytes, &mut out);
        d.flush(&mut out);
        prop_assert_eq!(d.pending_timeout(), None);
    }
}
