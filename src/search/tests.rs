use super::*;
use proptest::prelude::*;

/// The original text of every match of `q`, as (block, text).
fn found<'a>(blocks: &[&'a str], q: &str) -> Vec<(usize, &'a str)> {
    let index = Index::new(blocks);
    let m = index.search(q);
    (0..m.len())
        .map(|i| {
            let h = index.hit(&m, i);
            (h.block, &blocks[h.block][h.range])
        })
        .collect()
}

/// Checks every invariant of `search(q)` and `refine` against a naive per-block scan.
fn check(blocks: &[String], q: &str, ext: &str) -> Result<(), TestCaseError> {
    let index = Index::new(blocks);
    for (b, s) in blocks.iter().enumerate() {
        let f = &index.text[index.fstart[b] as usize..index.fstart[b + 1] as usize];
        prop_assert_eq!(f.strip_suffix('\n').map(str::to_owned), Some(fold(s)));
    }
    let m = index.search(q);
    let fq = fold(q);
    prop_assert_eq!(m.query(), fq.as_str());
    let mut naive = Vec::new();
    if !blank(&fq) {
        for (b, s) in blocks.iter().enumerate() {
            let base = index.fstart[b];
            naive.extend(
                fold(s)
                    .match_indices(fq.as_str())
                    .map(|(p, _)| base + p as u32),
            );
        }
    }
    prop_assert_eq!(&m.pos, &naive);
    let mut last = (0, 0);
    for i in 0..m.len() {
        let h = index.hit(&m, i);
        let text = &blocks[h.block];
        prop_assert!(text.is_char_boundary(h.range.start) && text.is_char_boundary(h.range.end));
        prop_assert!(h.range.start < h.range.end && h.range.end <= text.len());
        prop_assert!(
            fold(&text[h.range.clone()]).contains(fq.as_str()),
            "{:?} {:?}",
            h,
            fq
        );
        prop_assert!((h.block, h.range.start) >= last);
        last = (h.block, h.range.start);
        // Matches inside one folded-apart char (`.` in `…`) share a start.
        let j = m.first_from(&index, h.block, h.range.start);
        prop_assert!(j.is_some_and(|j| j <= i && index.hit(&m, j).range.start == h.range.start));
        let r = m.in_blocks(&index, h.block..h.block + 1);
        prop_assert!(r.contains(&i));
    }
    prop_assert_eq!(m.in_blocks(&index, 0..blocks.len()), 0..m.len());
    let longer = format!("{q}{ext}");
    let (r, s) = (index.refine(&m, &longer), index.search(&longer));
    prop_assert_eq!((&r.query, &r.pos), (&s.query, &s.pos));
    Ok(())
}

#[test]
fn folds_what_people_type() {
    for (s, f) in [
        ("naïef", "naief"),
        ("Café", "cafe"),
        ("ideeën", "ideeen"),
        ("coördineren", "coordineren"),
        ("ﬁnale ﬂink", "finale flink"),
        ("ＡＢＣ１２", "abc12"),
        ("’‘‚‛′`", "''''''"),
        ("“”„‟″«»", "\"\"\"\"\"\"\""),
        ("–—‒―‐‑−", "-------"),
        ("wacht…", "wacht..."),
        ("a \u{a0}\n\t b", "a b"),
        ("   ", " "),
        ("İstanbul ĲSSEL Søren", "istanbul ijssel soren"),
        ("cafe\u{301} ge\u{ad}meente", "cafe gemeente"),
    ] {
        assert_eq!(fold(s), f, "{s:?}");
    }
}

#[test]
fn fold_is_idempotent_and_bounded_for_every_char() {
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let f = fold(c.encode_utf8(&mut [0; 4]));
        assert_eq!(fold(&f), f, "{c:?}");
        assert!(f.len() <= MAX_GROWTH * c.len_utf8(), "{c:?}");
    }
}

#[test]
fn maps_matches_to_original_ranges() {
    assert_eq!(found(&["Goede ideeën hebben"], "IDEEEN"), [(0, "ideeën")]);
    let regio = "Bel ‘de Veiligheidsregio’ nu";
    assert_eq!(
        found(&[regio], "'de veiligheidsregio'"),
        [(0, "‘de Veiligheidsregio’")]
    );
    assert_eq!(found(&["de ﬁnale"], "inale"), [(0, "ﬁnale")]);
    assert_eq!(found(&["de ﬁnale"], "de f"), [(0, "de ﬁ")]);
    assert_eq!(found(&["de ﬁnale"], "i"), [(0, "ﬁ")]);
    assert_eq!(found(&["Ĳssel"], "jssel"), [(0, "Ĳssel")]);
    assert_eq!(
        found(&["crisis \u{a0}\n team"], "crisis team"),
        [(0, "crisis \u{a0}\n team")]
    );
    assert_eq!(found(&["crisis  team"], "s "), [(0, "s  ")]);
    assert_eq!(
        found(&["\u{301}cafe\u{301}\u{300} noir"], "cafe"),
        [(0, "cafe\u{301}\u{300}")]
    );
    assert_eq!(found(&["x ＦＵＬＬ y"], "ul"), [(0, "ＵＬ")]);
    assert_eq!(found(&["Zoë’s café"], "s caf"), [(0, "s caf")]);
}

#[test]
fn matches_do_not_overlap_or_cross_blocks() {
    assert_eq!(found(&["aaaa"], "aa"), [(0, "aa"), (0, "aa")]);
    assert_eq!(found(&["aaaaa"], "aa").len(), 2);
    assert!(found(&["abc", "def"], "c d").is_empty());
    assert!(found(&["abc", "def"], "cd").is_empty());
    assert!(found(&["a b"], "").is_empty());
    assert!(found(&["a b"], "  ").is_empty());
    assert_eq!(found(&["abc", "", "xabc"], "ABC"), [(0, "abc"), (2, "abc")]);
}

#[test]
fn refine_finds_occurrences_the_shorter_query_skipped() {
    let index = Index::new(&["aaab", "abababc"]);
    for (q, longer) in [
        ("aa", "aab"),
        ("abab", "ababc"),
        ("a", "ab"),
        ("ab", "ab"),
        ("  ", "  a"),
    ] {
        let (r, s) = (index.refine(&index.search(q), longer), index.search(longer));
        assert_eq!((&r.query, &r.pos), (&s.query, &s.pos), "{q} -> {longer}");
    }
    let other = Index::new(&["aab"]);
    assert_eq!(index.refine(&other.search("a"), "aab").len(), 1);
    assert_eq!(index.refine(&Matches::default(), "ab").len(), 4);
}

#[test]
fn theme_ranges_and_next_match() {
    let blocks = ["Evaluatie", "de evaluaties", "niets", "evaluatie één"];
    let index = Index::new(&blocks);
    let m = index.search("evaluatie");
    assert_eq!(m.len(), 3);
    assert_eq!(m.in_blocks(&index, 0..2), 0..2);
    assert_eq!(m.in_blocks(&index, 2..3), 2..2);
    assert_eq!(m.in_blocks(&index, 2..9), 2..3);
    assert_eq!(m.in_blocks(&index, Range { start: 3, end: 1 }), 2..2);
    assert_eq!(m.first_from(&index, 1, 0), Some(1));
    assert_eq!(m.first_from(&index, 1, 4), Some(2));
    assert_eq!(m.first_from(&index, 1, 99), Some(2));
    assert_eq!(m.first_from(&index, 3, 1), None);
    assert_eq!(m.first_from(&index, 9, 0), None);
    assert_eq!(
        index.hit(&m, 3),
        Hit {
            block: 0,
            range: 0..0
        }
    );
    assert_eq!(
        index.hit(&m, 2),
        Hit {
            block: 3,
            range: 0..9
        }
    );
    assert_eq!(index.blocks(), 4);
}

/// A deterministic report of about `size` bytes of Dutch-ish text: blocks and theme block ranges.
fn report(size: usize) -> (Vec<String>, Vec<Range<usize>>) {
    const WORDS: &[&str] = &[
        "de",
        "het",
        "een",
        "en",
        "van",
        "voor",
        "met",
        "op",
        "in",
        "niet",
        "is",
        "zijn",
        "wordt",
        "evaluatie",
        "evaluaties",
        "veiligheidsregio",
        "coördineren",
        "ideeën",
        "naïef",
        "café",
        "crisisteam",
        "gemeente",
        "burgemeester",
        "brandweer",
        "politie",
        "inwoners",
        "advies",
        "maatregelen",
        "informatie",
        "communicatie",
        "’s avonds",
        "overleg",
        "scenario",
        "risico",
        "drinkwater",
        "stroomuitval",
        "evacuatie",
        "opvang",
        "zorg",
        "capaciteit",
        "netwerk",
        "ﬁnanciën",
        "—",
        "“zo snel mogelijk”",
        "‘de Veiligheidsregio’",
        "tijdlijn",
        "besluit",
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut blocks, mut themes, mut bytes) = (Vec::new(), Vec::new(), 0);
    while bytes < size {
        let first = blocks.len();
        for b in 0..3 + next(15) {
            let mut s = String::new();
            for w in 0..if b == 0 { 2 + next(4) } else { 3 + next(8) } {
                let word = WORDS[next(WORDS.len())];
                if w == 0 {
                    let mut cs = word.chars();
                    s.extend(cs.next().into_iter().flat_map(char::to_uppercase).chain(cs));
                } else {
                    s.push(' ');
                    s.push_str(word);
                }
            }
            s.push_str(if b == 0 { "" } else { "." });
            bytes += s.len();
            s.shrink_to_fit();
            blocks.push(s);
        }
        themes.push(first..blocks.len());
    }
    (blocks, themes)
}

#[test]
fn generated_report() {
    let (blocks, themes) = report(1 << 20);
    let index = Index::new(&blocks);
    assert_eq!(index.blocks(), blocks.len());
    for q in [
        "evaluaties",
        "Coordineren",
        "'de veiligheidsregio'",
        "\"zo snel",
        "e",
        "fina",
    ] {
        check(&blocks, q, "n")
            .map_err(|e| format!("{q}: {e}"))
            .unwrap();
    }
    let m = index.search("ideeen");
    let per_theme: usize = themes
        .iter()
        .map(|t| m.in_blocks(&index, t.clone()).len())
        .sum();
    assert_eq!(per_theme, m.len());
    assert!(m.len() > 100);
}

fn tricky() -> impl Strategy<Value = String> {
    "[aAbeEëé ﬁ’'\u{301}\u{a0}İĳ.…\u{ad}-]{0,12}"
}

proptest! {
    #[test]
    fn tricky_text_keeps_every_invariant(
        blocks in prop::collection::vec(tricky(), 0..6),
        q in "[aAbeEëé ﬁ’'\u{301}İĳ.…-]{0,4}",
        ext in "[abeé ’\u{301}i.]",
    ) {
        check(&blocks, &q, &ext)?;
    }

    #[test]
    fn any_unicode_keeps_every_invariant(
        blocks in prop::collection::vec(any::<String>(), 0..4),
        q in any::<String>(),
        ext in any::<char>(),
    ) {
        check(&blocks, &q, &ext.to_string())?;
        prop_assert_eq!(fold(&fold(&q)), fold(&q));
    }

    #[test]
    fn foreign_or_odd_arguments_never_panic(
        blocks in prop::collection::vec(tricky(), 0..4),
        i in any::<usize>(),
        r in any::<Range<usize>>(),
        off in any::<usize>(),
    ) {
        let (a, b) = (Index::new(&blocks), Index::new(&["aaa"]));
        let m = b.search("a");
        prop_assert_eq!(a.hit(&m, i % 4), Hit { block: 0, range: 0..0 });
        prop_assert_eq!(a.hit(&a.search("a"), i), Hit { block: 0, range: 0..0 });
        let _ = (m.in_blocks(&a, r.clone()), m.first_from(&a, r.start, off));
        let own = a.search("e");
        let _ = (own.in_blocks(&a, r.clone()), own.first_from(&a, r.start % 8, off));
    }
}

/// Release-mode timings on a 10 MB report: `cargo test --release -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_10mb() {
    use std::time::{Duration, Instant};
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let rss = || {
        let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        s.lines()
            .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (blocks, themes) = report(10 << 20);
    let bytes: usize = blocks.iter().map(String::len).sum();
    println!(
        "{} bytes, {} blocks, {} themes; {}",
        bytes,
        blocks.len(),
        themes.len(),
        rss()
    );
    let builds: Vec<_> = (0..7)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(Index::new(&blocks));
            t.elapsed()
        })
        .collect();
    let index = Index::new(&blocks);
    println!(
        "build median {:?} ({} checkpoints); {}",
        median(builds),
        index.cps.len(),
        rss()
    );
    for word in ["evaluaties", "de veiligheidsregio", "coordineren"] {
        let mut all = Vec::new();
        let mut split = vec![Vec::new(), Vec::new()];
        let mut per_key = vec![Vec::new(); word.len()];
        for _ in 0..15 {
            let mut m = Matches::default();
            for (k, (end, _)) in word
                .char_indices()
                .skip(1)
                .chain([(word.len(), ' ')])
                .enumerate()
            {
                let t = Instant::now();
                m = index.refine(&m, &word[..end]);
                split[0].push(t.elapsed());
                let counts: Vec<usize> = themes
                    .iter()
                    .map(|t| m.in_blocks(&index, t.clone()).len())
                    .collect();
                split[1].push(t.elapsed());
                let from = m.first_from(&index, blocks.len() / 2, 0).unwrap_or(0);
                let hits: Vec<Hit> = (from..(from + 20).min(m.len()))
                    .map(|i| index.hit(&m, i))
                    .collect();
                std::hint::black_box((counts, hits));
                per_key[k].push(t.elapsed());
                all.push(t.elapsed());
            }
        }
        let keys: Vec<String> = per_key
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{:.2}", median(v).as_secs_f64() * 1e3))
            .collect();
        let [a, b] = split.try_into().unwrap_or_default();
        println!(
            "{word:?}: keystroke median {:?} (search {:?} +counts {:?}); per key (ms) {}",
            median(all),
            median(a),
            median(b),
            keys.join(" ")
        );
    }
    let t = Instant::now();
    let e = index.search("e");
    println!(
        "search 'e': {} matches in {:?}; {}",
        e.len(),
        t.elapsed(),
        rss()
    );
}
