use super::*;
use proptest::prelude::*;

/// The original text of every match of `q`, as (block, text).
fn found<'a>(blocks: &[&'a str], q: &str) -> Vec<(usize, &'a str)> {
    let index = Index::new(blocks);
    let m = index.search(q);
    m.all(&index)
        .map(|at| {
            let h = index.hit(&m, at);
            (h.block, &blocks[h.block][h.range])
        })
        .collect()
}

/// Every match of folded `fq`, found block by block with `str::match_indices`.
fn naive(index: &Index, blocks: &[String], fq: &str) -> Vec<At> {
    let mut out = Vec::new();
    if !blank(fq) {
        for (b, s) in blocks.iter().enumerate() {
            let base = index.fstart(b) as u32;
            out.extend(fold(s).match_indices(fq).map(|(p, _)| At(base + p as u32)));
        }
    }
    out
}

/// Counts `m` to the end a few bytes at a time, as the event loop does in
/// slices; returns how many slices it took.
fn count_slowly(m: &mut Matches, index: &Index, budget: usize) -> usize {
    let mut slices = 0;
    while !m.step(index, budget) {
        slices += 1;
        assert!(slices < 1 << 20, "counting never ends");
    }
    slices
}

/// Checks every invariant of `search(q)` and of a search extended by
/// `ext`, against a naive per-block scan, on tiny pages (so counting
/// crosses pages and stops inside them) and from every block.
fn check(blocks: &[String], q: &str, ext: &str) -> Result<(), TestCaseError> {
    let index = Index::paged(blocks, 5);
    let folded = index.folded_text();
    for (b, s) in blocks.iter().enumerate() {
        let f = &folded[index.fstart(b)..index.fstart(b + 1)];
        prop_assert_eq!(f.strip_suffix('\n').map(str::to_owned), Some(fold(s)));
    }
    let m = index.search(q);
    let fq = fold(q);
    prop_assert_eq!(m.query(), fq.as_str());
    let naive = naive(&index, blocks, &fq);
    prop_assert_eq!(m.all(&index).collect::<Vec<_>>(), naive.clone());
    prop_assert_eq!(m.count(), Some(naive.len()));
    prop_assert_eq!(m.found(), !naive.is_empty());
    let mut last = (0, 0);
    // Every match of a small text; a sample of a large one's.
    let every = naive.len() / 2000 + 1;
    for (i, &at) in naive.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let h = index.hit(&m, at);
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
        prop_assert_eq!(m.rank(&index, at), Some(i));
        prop_assert_eq!(m.nth(&index, i), Some(at));
        prop_assert_eq!(m.next(&index, Some(at)), naive.get(i + 1).copied());
        prop_assert_eq!(m.prev(&index, Some(at)), i.checked_sub(1).map(|j| naive[j]));
        prop_assert!(m.in_blocks(&index, h.block..h.block + 1).contains(&at));
    }
    prop_assert_eq!(m.next(&index, None), naive.first().copied());
    prop_assert_eq!(m.prev(&index, None), naive.last().copied());
    prop_assert_eq!(m.nth(&index, naive.len()), None);
    prop_assert_eq!(m.in_blocks(&index, 0..blocks.len()), naive.clone());
    let per_block: usize = (0..blocks.len())
        .map(|b| m.count_in(&index, b..b + 1))
        .sum();
    prop_assert_eq!(per_block, naive.len());
    // From every block, a slice at a time: the same count, and the first
    // match the one nearest after the block's start (wrapping around).
    // (A few dozen slices per count, from a few dozen places, on a large text.)
    let budget = (index.len / 32).max(3);
    for from in (0..=blocks.len()).step_by(blocks.len() / 24 + 1) {
        let mut slow = index.start(q, from, None);
        count_slowly(&mut slow, &index, budget);
        prop_assert_eq!(slow.count(), Some(naive.len()));
        let start = index.fstart(from) as u32;
        let nearest = naive.iter().find(|a| a.0 >= start).or(naive.first());
        prop_assert_eq!(slow.first(), nearest.copied());
        prop_assert_eq!(m.count_in(&index, 0..from), slow.count_in(&index, 0..from));
    }
    // One more letter: pages the shorter query had no match in are
    // skipped, and the result is that of a fresh search.
    let longer = format!("{q}{ext}");
    let fresh = naive_for(&index, blocks, &longer);
    let mut r = index.start(&longer, 0, Some(&m));
    count_slowly(&mut r, &index, budget + 1);
    prop_assert_eq!(r.count(), Some(fresh.len()));
    prop_assert_eq!(r.all(&index).collect::<Vec<_>>(), fresh);
    // Found among the kept positions or counted in the text, from any
    // place: the same counts, ranks and first match as a fresh search, and
    // the same again one letter on.
    for from in [0, blocks.len() / 2, blocks.len()] {
        let mut prev = index.start(q, from, None);
        count_slowly(&mut prev, &index, budget);
        for query in [longer.clone(), format!("{longer}{ext}")] {
            let mut r = index.start(&query, from, Some(&prev));
            count_slowly(&mut r, &index, budget);
            let mut fresh = index.start(&query, from, None);
            fresh.finish(&index);
            prop_assert_eq!(&r.counts, &fresh.counts, "{:?} from {}", query, from);
            prop_assert_eq!(&r.ranks, &fresh.ranks);
            prop_assert_eq!((r.first(), r.count()), (fresh.first(), fresh.count()));
            prop_assert_eq!(&r.kept, &fresh.kept);
            prev = r;
        }
        // A letter typed while the last one's matches are still counted.
        let mut prev = index.start(q, from, None);
        count_slowly(&mut prev, &index, budget);
        let mut r = index.start(&longer, from, Some(&prev));
        r.step(&index, 1);
        let query = format!("{longer}{ext}");
        let mut r = index.start(&query, from, Some(&r));
        count_slowly(&mut r, &index, 1);
        let mut fresh = index.start(&query, from, None);
        fresh.finish(&index);
        prop_assert_eq!(&r.counts, &fresh.counts, "{:?} from {}", query, from);
        prop_assert_eq!((r.first(), r.count()), (fresh.first(), fresh.count()));
        prop_assert_eq!(&r.kept, &fresh.kept);
    }
    Ok(())
}

#[test]
fn a_word_is_found_among_the_matches_kept_for_its_start() {
    let blocks = [
        "veiligheid en veiligheidsregio",
        "vei",
        "de veiligheidsregio",
    ];
    let index = Index::paged(&blocks, 8);
    let vei = index.search("vei");
    assert_eq!(vei.kept(), 4);
    let mut m = index.start("veiligheidsregio", 2, Some(&vei));
    // Counted among the kept places, without a slice of the text.
    assert!(m.step(&index, matches::PLACE * 4));
    assert_eq!(m.count(), Some(2));
    assert_eq!(m.first(), Some(At(index.fstart(2) as u32 + 3)));
    assert_eq!(m.kept(), 2);
    // A letter's matches are too many to keep, and a query that overlaps
    // itself is found in the text ("aa" skips the "aa" inside "aaa").
    assert_eq!(index.search("e").kept(), 0);
    assert_eq!(index.search("ee").kept(), 0);
    // A longer query may overlap itself where the kept one could not: the
    // matches are then those memmem finds, each after the last one's end.
    let abc = Index::new(&["abcabcabca"]);
    let mut m = abc.start("abca", 0, Some(&abc.search("abc")));
    m.finish(&abc);
    assert_eq!(m.count(), Some(abc.search("abca").count().unwrap_or(0)));
    assert_eq!(m.count(), Some(2));
    let aaa = Index::paged(&["aaab aab"], 2);
    assert_eq!(aaa.search("aaa").kept(), 0);
    let mut m = aaa.start("aaab", 0, Some(&aaa.search("aaa")));
    m.finish(&aaa);
    assert_eq!(m.count(), Some(1));
}

#[test]
fn a_word_among_many_kept_places_is_checked_a_slice_at_a_time_from_the_readers_place() {
    // "vei" in every block, "veil" in every other one, on many pages.
    let blocks: Vec<String> = (0..2000)
        .map(|i| if i % 2 == 0 { "veilig" } else { "veins" }.to_string())
        .collect();
    let index = Index::paged(&blocks, 64);
    let vei = index.search("vei");
    assert_eq!(vei.kept(), 2000);
    let mut m = index.start("veil", 1001, Some(&vei));
    assert!(
        !m.done(),
        "a keystroke does not check every kept place before its frame"
    );
    // A few places' worth finds the nearest match after the reader, and
    // leaves the rest for the slices after.
    assert!(!m.step(&index, matches::PLACE * 4));
    assert_eq!(m.first(), Some(At(index.fstart(1002) as u32)));
    assert_eq!(m.count(), None);
    // One more letter while that is still counted: found among the same
    // places, not in the text.
    let mut n = index.start("veili", 1001, Some(&m));
    assert!(n.refining.is_some());
    let slices = count_slowly(&mut n, &index, matches::PLACE * 100);
    assert!(slices >= 9, "{slices} slices");
    assert_eq!(n.count(), Some(1000));
    assert_eq!(n.first(), Some(At(index.fstart(1002) as u32)));
    let mut fresh = index.start("veili", 1001, None);
    fresh.finish(&index);
    assert_eq!(
        (&n.counts, &n.ranks, &n.kept),
        (&fresh.counts, &fresh.ranks, &fresh.kept)
    );
    // Its places let go (Backspace's older searches): counted on in the text.
    let mut m = index.start("veil", 0, Some(&vei));
    m.step(&index, matches::PLACE * 10);
    m.forget_positions();
    assert_eq!(m.kept(), 0);
    m.finish(&index);
    assert_eq!(m.count(), Some(1000));
}

#[test]
fn blocks_past_the_index_limit_are_left_out_whole() {
    let long = "drie ".repeat(20);
    let mut blocks = crate::doc::Blocks::with_capacity(0);
    for t in ["één", "twee", &long, "vier"] {
        blocks.push(crate::doc::BlockKind::Paragraph, t);
    }
    // Room for the first two blocks (each may fold to 12 times its length), not the third.
    let index = Index::build_within(Arc::new(blocks), 4, 200);
    assert_eq!(index.folded_text(), "een\ntwee\n");
    assert_eq!(
        (index.fstart(2), index.fstart(3), index.fstart(4)),
        (9, 9, 9)
    );
    let twee = index.search("twee");
    assert_eq!(twee.count(), Some(1));
    let at = twee.first().expect("found");
    assert_eq!(
        index.hit(&twee, at),
        Hit {
            block: 1,
            range: 0..4
        }
    );
    for q in ["vier", "drie", "e"] {
        let m = index.search(q);
        assert!(m.in_blocks(&index, 2..4).is_empty(), "{q}");
        assert_eq!(m.count_in(&index, 2..4), 0, "{q}");
        for at in m.all(&index) {
            assert!(index.hit(&m, at).block < 2, "{q}");
        }
    }
    assert_eq!(index.search("e").count(), Some(4));
}

#[test]
fn letters_typed_one_after_another_share_their_places() {
    let text = "veil ".repeat(150_000);
    let index = Index::paged(&[text.as_str()], 1 << 16);
    let vei = index.search("vei");
    assert_eq!(vei.kept(), 150_000);
    let mut veil = index.start("veil", 0, Some(&vei));
    veil.step(&index, matches::PLACE * 10);
    assert!(!veil.done());
    let next = index.start("veil ", 0, Some(&veil));
    assert!(next.refining.is_some());
    let mut recent = vec![index.search("eil"), vei, veil];
    Matches::keep_newest(&mut recent);
    // "vei" and the letters checked among its places hold one list between
    // them, so both keep theirs; "eil", as many again elsewhere, lets go.
    assert_eq!(recent[1].kept(), 150_000);
    assert!(recent[2].kept() >= 150_000);
    assert_eq!(recent[0].kept(), 0);
}

fn naive_for(index: &Index, blocks: &[String], q: &str) -> Vec<At> {
    naive(index, blocks, &fold(q))
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
fn a_longer_query_finds_occurrences_the_shorter_one_skipped() {
    let index = Index::paged(&["aaab", "abababc", "x"], 1);
    for (q, longer, n) in [
        ("aa", "aab", 1),
        ("abab", "ababc", 1),
        ("a", "ab", 4),
        ("ab", "ab", 4),
        ("  ", "  a", 0),
        ("x", "xa", 0),
    ] {
        let mut r = index.start(longer, 0, Some(&index.search(q)));
        r.finish(&index);
        assert_eq!(r.count(), Some(n), "{q} -> {longer}");
    }
    let other = Index::new(&["aab"]);
    assert_eq!(
        index.start("aab", 0, Some(&other.search("a"))).count(),
        None
    );
    let mut m = index.start("ab", 0, Some(&Matches::default()));
    m.finish(&index);
    assert_eq!(m.count(), Some(4));
}

#[test]
fn counting_goes_on_from_the_readers_place_and_finds_the_nearest_match_first() {
    // Pages of one block each: the search starts at block 2, so the first
    // match found is there, before anything else is counted.
    let blocks = [
        "crisis a",
        "niets",
        "de crisis",
        "crisis en crisis",
        "niets",
    ];
    let index = Index::paged(&blocks, 1);
    let mut m = index.start("crisis", 2, None);
    assert!(!m.located() && m.first().is_none() && m.count().is_none());
    m.step(&index, blocks[2].len());
    assert_eq!(index.hit(&m, m.first().expect("found at once")).block, 2);
    assert!(m.count().is_none() && m.found());
    m.finish(&index);
    assert_eq!(m.count(), Some(4));
    assert_eq!(m.rank(&index, m.first().expect("first")), Some(1));
    // Past the last match: the first of the report, once all is counted.
    let mut m = index.start("crisis", 4, None);
    m.step(&index, 3);
    assert!(m.first().is_none() && !m.located());
    m.finish(&index);
    assert_eq!(index.hit(&m, m.first().expect("wrapped")).block, 0);
    // No match anywhere: located only as nowhere, once all is counted.
    let mut m = index.start("ramp", 1, None);
    assert!(!m.located());
    m.finish(&index);
    assert!(m.located() && m.first().is_none() && !m.found());
    assert_eq!(m.count(), Some(0));
}

#[test]
fn a_slice_of_one_letter_is_as_long_as_a_slice_of_a_word() {
    let text = "e".repeat(100);
    let index = Index::paged(&[text.as_str()], 1);
    for q in ["e", "ee"] {
        let mut m = index.start(q, 0, None);
        assert!(!m.step(&index, 50), "{q}");
        m.finish(&index);
    }
}

#[test]
fn theme_ranges_and_next_match() {
    let blocks = ["Evaluatie", "de evaluaties", "niets", "evaluatie één"];
    let index = Index::new(&blocks);
    let m = index.search("evaluatie");
    let all: Vec<At> = m.all(&index).collect();
    assert_eq!(all.len(), 3);
    assert_eq!(m.in_blocks(&index, 0..2), all[..2]);
    assert_eq!(m.count_in(&index, 0..2), 2);
    assert!(m.in_blocks(&index, 2..3).is_empty());
    assert_eq!(m.in_blocks(&index, 2..9), all[2..]);
    assert!(m.in_blocks(&index, Range { start: 3, end: 1 }).is_empty());
    assert_eq!(m.count_in(&index, Range { start: 3, end: 1 }), 0);
    assert_eq!(m.next(&index, Some(all[2])), None);
    assert_eq!(m.prev(&index, Some(all[0])), None);
    assert_eq!(m.following(&index, all[1], 5), all[1..]);
    assert_eq!(
        index.hit(&m, At(999)),
        Hit {
            block: 0,
            range: 0..0
        }
    );
    assert_eq!(
        index.hit(&m, all[2]),
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
    let per_theme: usize = themes.iter().map(|t| m.count_in(&index, t.clone())).sum();
    assert_eq!(Some(per_theme), m.count());
    assert!(per_theme > 100);
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
        let at = At(i as u32);
        prop_assert_eq!(a.hit(&m, At(i as u32 % 4)), Hit { block: 0, range: 0..0 });
        let _ = a.hit(&a.search("a"), at);
        prop_assert!(m.in_blocks(&a, r.clone()).is_empty() && m.count_in(&a, r.clone()) == 0);
        prop_assert!(m.next(&a, Some(at)).is_none() && m.prev(&a, Some(at)).is_none());
        prop_assert!(m.rank(&a, at).is_none() && m.nth(&a, off).is_none());
        let own = a.search("e");
        let _ = (own.in_blocks(&a, r.clone()), own.count_in(&a, r.clone()), own.following(&a, at, off % 9));
        let _ = (own.next(&a, Some(at)), own.prev(&a, Some(at)), own.rank(&a, at), own.nth(&a, off));
        let _ = a.start("e", off, None);
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
                m = index.start(&word[..end], blocks.len() / 2, Some(&m));
                m.step(&index, 1 << 20);
                let hits: Vec<Hit> = m
                    .first()
                    .map(|at| m.following(&index, at, 20))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|at| index.hit(&m, at))
                    .collect();
                split[0].push(t.elapsed());
                m.finish(&index);
                let counts: Vec<usize> = themes
                    .iter()
                    .map(|t| m.count_in(&index, t.clone()))
                    .collect();
                split[1].push(t.elapsed());
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
            "{word:?}: keystroke median {:?} (first slice {:?}, +all counts {:?}); per key (ms) {}",
            median(all),
            median(a),
            median(b),
            keys.join(" ")
        );
    }
    let t = Instant::now();
    let e = index.search("e");
    println!(
        "search 'e': {:?} matches in {:?}; {}",
        e.count(),
        t.elapsed(),
        rss()
    );
}
