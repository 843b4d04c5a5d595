//! Scanning the folded text for one query: every match in turn (memmem),
//! or only how many there are, as fast as the query's length allows: one
//! byte with memchr, two bytes with a byte-pair count the compiler
//! vectorises (memmem's prefilter stalls on a pair as common as "ve" or
//! "en", 4-6x slower), longer queries with memmem.

use memchr::memmem;

/// The matches of `finder` starting in `at..cut`, scanning from `at` (a
/// block start or the end of a match) in text that ends at `hi` for this
/// scan: `f` gets each and says whether to go on. Returns where a scan of
/// what follows must start.
pub(super) fn scan(
    finder: &memmem::Finder,
    text: &[u8],
    at: usize,
    cut: usize,
    hi: usize,
    mut f: impl FnMut(usize) -> bool,
) -> usize {
    let m = finder.needle().len();
    let end = cut.saturating_add(m - 1).min(hi).max(at);
    let mut resume = cut;
    for p in finder.find_iter(&text[at..end]) {
        let p = at + p;
        if p >= cut {
            break;
        }
        resume = resume.max(p + m);
        if !f(p) {
            break;
        }
    }
    resume
}

/// How many matches start in `at..cut` (as [`scan`]), and where to go on.
pub(super) fn count(
    finder: &memmem::Finder,
    text: &[u8],
    at: usize,
    cut: usize,
    hi: usize,
) -> (u32, usize) {
    let counted = match *finder.needle() {
        // One byte: memchr counts with SIMD, without visiting each match.
        [b] => Some((
            memchr::memchr_iter(b, &text[at..cut.max(at)]).count() as u32,
            cut,
        )),
        [a, b] => pairs(text, a, b, at, cut, hi),
        _ => None,
    };
    counted.unwrap_or_else(|| {
        let mut n = 0;
        let resume = scan(finder, text, at, cut, hi, |_| {
            n += 1;
            true
        });
        (n, resume)
    })
}

/// [`count`] for the two-byte query `ab`, without visiting each match;
/// `None` where matches could overlap (a run of three `a` when `a == b`),
/// which only a scan counts as memmem does.
fn pairs(text: &[u8], a: u8, b: u8, at: usize, cut: usize, hi: usize) -> Option<(u32, usize)> {
    // A match starting before `cut` may end at `hi` at most.
    let last = cut.min(hi.saturating_sub(1)).max(at);
    let n = if last > at {
        adjacent(&text[at..last], &text[at + 1..=last], a, b)
    } else {
        0
    };
    if a != b {
        // "ab" cannot overlap itself: every pair is a match.
        return Some((n, cut));
    }
    let around = &text[at..cut.saturating_add(2).min(hi).max(at)];
    if around.len() >= 3 && adjacent3(around, a) > 0 {
        return None;
    }
    // Runs of at most two: every pair is a match; one across `cut` ends after it.
    let across = cut > at && cut < hi && text[cut - 1] == a && text[cut] == a;
    Some((n, if across { cut + 1 } else { cut }))
}

/// How many `i` have `x[i] == a` and `y[i] == b` (`y` is `x` one byte on).
fn adjacent(x: &[u8], y: &[u8], a: u8, b: u8) -> u32 {
    // Chunks of 255 keep a byte-wide sum from overflowing: the loop then
    // compiles to packed compares and adds.
    x.chunks(255)
        .zip(y.chunks(255))
        .map(|(x, y)| {
            let c = x.iter().zip(y).fold(0u8, |c, (&p, &q)| {
                c.wrapping_add(u8::from(p == a) & u8::from(q == b))
            });
            u32::from(c)
        })
        .sum()
}

/// How many runs of three `a` start in `w` (overlapping ones each count).
fn adjacent3(w: &[u8], a: u8) -> u32 {
    let n = w.len() - 2;
    let (x, y, z) = (&w[..n], &w[1..=n], &w[2..]);
    x.chunks(255)
        .zip(y.chunks(255))
        .zip(z.chunks(255))
        .map(|((x, y), z)| {
            let c = x.iter().zip(y).zip(z).fold(0u8, |c, ((&p, &q), &r)| {
                c.wrapping_add(u8::from(p == a) & u8::from(q == a) & u8::from(r == a))
            });
            u32::from(c)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` for every cut of `text`, against memmem's own count.
    fn agrees(text: &str, q: &str) {
        let finder = memmem::Finder::new(q);
        let t = text.as_bytes();
        let whole = finder.find_iter(t).count();
        for cut in 0..=t.len() {
            let (n1, resume) = count(&finder, t, 0, cut, t.len());
            let (n2, _) = count(&finder, t, resume.min(t.len()), t.len(), t.len());
            assert_eq!((n1 + n2) as usize, whole, "{text:?} {q:?} cut at {cut}");
        }
    }

    #[test]
    fn a_pair_count_is_memmems_count_at_every_cut() {
        for (text, q) in [
            ("vevevev", "ve"),
            ("eeneen heeft geen", "ee"),
            ("eee e eeee", "ee"),
            ("ab", "ab"),
            ("a", "ab"),
            ("", "ab"),
            ("aaaa", "aa"),
            ("x aa aa x", "aa"),
        ] {
            agrees(text, q);
        }
    }

    #[test]
    fn a_pair_count_stays_within_its_range() {
        let finder = memmem::Finder::new("ab");
        let t = b"ab ab ab";
        assert_eq!(count(&finder, t, 0, 4, 8).0, 2);
        // A match may end at `hi`, never past it.
        assert_eq!(count(&finder, t, 0, 8, 7).0, 2);
        assert_eq!(count(&finder, t, 3, 3, 8).0, 0);
    }
}
