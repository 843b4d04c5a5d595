//! A generator of large, valid, Dutch-looking reports for the benchmarks.
//!
//! `report(themes, seed)` writes a report.toml (docs/report-format.md, language
//! "nl") with `themes` themes in total (sub-themes included, so the browser's
//! status line shows `1/<themes>`), built from the vocabulary of the bundled
//! report.toml, with a tiny xorshift PRNG (no `rand` dependency): the same
//! `(themes, seed)` always gives the same bytes.
//!
//! Shape of each theme: a title of 2–5 words; a body of 1–3 paragraphs (some
//! themes have none); 0–6 points, some with 1–3 sub-points and a few of those
//! with sub-sub-points; about one theme in six has 1–2 sub-themes (a few of
//! them nested once more). Text includes diacritics (coördineren, creëren,
//! geëxperimenteerd), typographic quotes (‘ ’ “ ”) and dashes (–).
//! About 500 bytes per theme: 20,000 themes ≈ 10 MB.
//!
//! The first three themes are long top-level themes without sub-themes (four
//! paragraphs of 6–8 sentences, six points), so the benchmarks can rely on
//! entry 2 being longer than two pages at 80x24 and 120x40.
//!
//! Used by `benches/core.rs` and `benches/wire/` through `#[path]` modules.
//! To get a file, call [`write_temp`] (or `std::fs::write(path, report(n,
//! seed))`); [`wall`] makes a report whose themes were updated minutes ago.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

/// Number of themes of the "10 MB" report.
pub const BIG_THEMES: usize = 20_000;
/// Seed of the "10 MB" report.
pub const BIG_SEED: u64 = 2024;

/// Words of the bundled report.toml (its string values, lower-cased).
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "aan", "aangepast", "aanpassing", "aanspreekpunt", "aantal", "actuele", "acute", "afgelopen",
    "afkondiging", "afstemmen", "afstemming", "agenderen", "al", "alleen", "allen", "allerlei",
    "als", "andere", "basis", "begin", "behoeften", "belang", "belangrijk", "belangrijke", "beleid",
    "beschouwing", "beslissingen", "besluitvorming", "bestuurders", "betrekking", "betrokken",
    "bieden", "bij", "bijdrage", "bijdragen", "bijeenroepen", "bijgevoegde", "bijvoorbeeld",
    "blijken", "blijkt", "bovenregionale", "centrale", "chronische", "collega’s", "comfort",
    "communicatie", "communiceren", "complexiteit", "consequenties", "continu", "coronacrisis",
    "coördinatie", "coördineren", "creëren", "crises", "crisis", "crisisstructuur", "cruciale",
    "daarbij", "daarin", "daarmee", "daarvan", "daarvoor", "dat", "de", "delen", "dergelijke",
    "deze", "dichtbij", "die", "doende", "door", "een", "eerder", "element", "en", "er",
    "essentieel", "evaluatierapporten", "evaluaties", "eveneens", "externe", "facilitair",
    "faciliteren", "gedaan", "gedeeld", "gedurende", "geeft", "geen", "geleerde", "gemeenten",
    "gemeenteraden", "genomen", "gepubliceerd", "gericht", "geschreven", "gespeeld", "gewoon",
    "geëxperimenteerd", "goede", "gremia", "grote", "hand", "hebben", "heeft", "het", "hierin",
    "hiervoor", "hooguit", "hun", "iedere", "in", "inclusief", "informatie",
    "informatievoorziening", "inhoud", "instituut", "interne", "invulling", "is", "jaar", "jaren",
    "juridische", "kennen", "ketenpartners", "landelijk", "landelijke", "leende", "leersessies",
    "leidden", "leren", "lessen", "leverden", "logische", "lokale", "maar", "maatschappelijke",
    "managen", "manieren", "mede", "meer", "meest", "menen", "met", "methoden", "mogelijk",
    "multidisciplinaire", "naar", "nagedacht", "najaar", "nationale", "natuurlijk", "nauwelijks",
    "netwerkorganisaties", "niet", "nieuwe", "niveau", "noodzakelijke", "nooit", "observatie",
    "observaties", "of", "oliemannetje", "om", "ondanks", "onderzoek", "onderzoeken", "onszelf",
    "ontwikkelden", "ontwikkelingen", "ook", "op", "opvallende", "organiseerden", "organiseren",
    "over", "overheden", "overheid", "overkoepelende", "overlegorganen", "overlegvormen",
    "overzienbaar", "partij", "partijen", "partners", "passend", "perspectief", "plaatsvonden",
    "platform", "prepareren", "principe", "proces", "professionalisering", "projectorganisaties",
    "publieke", "rampen", "rapport", "redigeren", "reflecteren", "regio", "regionale", "regio’s",
    "relevante", "richting", "rol", "ruimte", "samenstellingen", "scenario’s", "schaalniveau",
    "sinds", "slot", "sluit", "sommigen", "soms", "spelen", "spin", "staan", "steeds",
    "substantieel", "te", "teams", "tegelijkertijd", "ten", "thema’s", "tijd", "tijde",
    "tijdelijke", "tijdens", "toch", "toekomstbeelden", "toekomstige", "toenemen", "tot", "tussen",
    "tussentijdse", "twee", "uit", "uiteenlopende", "uitgangspunt", "uitvoeringsorganisaties",
    "uniformiteit", "valt", "van", "vastgehouden", "veel", "veiligheid", "veiligheidsberaad",
    "veiligheidsregio", "veiligheidsregio’s", "vele", "veranderd", "verbinden", "verbindende",
    "verbinder", "verbinding", "verdere", "verschillende", "verslagleggen", "veruit", "verwachting",
    "verwevenheid", "verzamelen", "voor", "vooral", "voorliggende", "voorzagen", "vormden",
    "vragen", "waar", "waarbij", "waaronder", "waarvan", "want", "waren", "was", "web", "wederom",
    "werd", "werden", "werk", "werkvormen", "werkwijze", "wet", "worden", "zaken", "zal", "zeker",
    "zelf", "zelfreflecties", "zelfs", "zich", "zij", "zijn", "zo", "zoals", "zorgen", "zoveel",
    "zowel", "zozeer", "zullen", "één",
];

/// Proper nouns and abbreviations that keep their capitals.
const NAMES: &[&str] = &[
    "Veiligheidsberaad",
    "NIPV",
    "Twm",
    "Nederland",
    "Rijksoverheid",
    "GGD",
];

/// xorshift64*: tiny, deterministic, good enough for text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // Never zero; mix the seed so nearby seeds diverge at once.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A sentence of `lo..=hi` words, capitalised, ending in a full stop, with the
/// occasional quote, parenthesis, dash, comma or name.
fn sentence(r: &mut Rng, lo: usize, hi: usize) -> String {
    let n = r.range(lo, hi);
    let mut words: Vec<String> = (0..n).map(|_| r.word().to_string()).collect();
    if n >= 4 && r.chance(12) {
        let i = r.range(1, n - 2);
        words[i] = format!("‘{}’", words[i]);
    }
    if n >= 6 && r.chance(8) {
        let i = r.range(1, n - 3);
        words[i] = format!("“{}", words[i]);
        words[i + 1] = format!("{}”", words[i + 1]);
    }
    if n >= 6 && r.chance(10) {
        let i = r.range(2, n - 2);
        words.insert(i, "–".into());
    }
    if n >= 5 && r.chance(15) {
        let i = r.range(1, n - 2);
        words[i].push(',');
    }
    if n >= 4 && r.chance(10) {
        let i = r.range(1, n - 1);
        words[i] = NAMES[r.range(0, NAMES.len() - 1)].to_string();
    }
    if n >= 7 && r.chance(8) {
        let i = r.range(1, n - 4);
        words[i] = format!("({}", words[i]);
        words[i + 2] = format!("{})", words[i + 2]);
    }
    let mut s = capitalize(&words.join(" "));
    s.push(if r.chance(5) { ':' } else { '.' });
    s
}

fn paragraph(r: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(r, 5, 13))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `text` as a multi-line basic string, wrapped at about 100 columns
/// the way people write report.toml by hand. The text never contains `"` or `\`.
fn push_wrapped(out: &mut String, text: &str) {
    let mut col = 0;
    for word in text.split(' ') {
        if col > 0 && col + 1 + word.chars().count() > 100 {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.chars().count();
    }
}

fn title(r: &mut Rng) -> String {
    let n = r.range(2, 5);
    let words: Vec<&str> = (0..n).map(|_| r.word()).collect();
    capitalize(&words.join(" "))
}

fn point(r: &mut Rng, depth: usize) -> String {
    let text = sentence(r, 4, 11);
    if depth < 2 && r.chance(if depth == 0 { 18 } else { 10 }) {
        let subs: Vec<String> = (0..r.range(1, 3)).map(|_| point(r, depth + 1)).collect();
        format!("{{ text = \"{text}\", points = [{}] }}", subs.join(", "))
    } else {
        format!("\"{text}\"")
    }
}

/// Writes one theme and its sub-themes; returns how many themes it wrote.
fn theme(out: &mut String, r: &mut Rng, level: usize, budget: usize, long: bool) -> usize {
    let header = format!("theme{}", ".theme".repeat(level));
    let indent = "  ".repeat(level);
    let _ = writeln!(out, "\n{indent}[[{header}]]");
    let _ = writeln!(out, "{indent}title = \"{}\"", title(r));
    let paragraphs = if long {
        4
    } else if r.chance(85) {
        r.range(1, 3)
    } else {
        0
    };
    if paragraphs > 0 {
        let _ = writeln!(out, "{indent}body = \"\"\"");
        for p in 0..paragraphs {
            if p > 0 {
                out.push_str("\n\n");
            }
            let sentences = if long { r.range(6, 8) } else { r.range(1, 2) };
            push_wrapped(out, &paragraph(r, sentences));
        }
        out.push_str("\n\"\"\"\n");
    }
    let points = if long {
        6
    } else if r.chance(60) {
        r.range(1, 6)
    } else {
        0
    };
    if points > 0 {
        let _ = writeln!(out, "{indent}points = [");
        for _ in 0..points {
            let _ = writeln!(out, "{indent}  {},", point(r, 0));
        }
        let _ = writeln!(out, "{indent}]");
    }
    let mut written = 1;
    if !long && level < 2 && budget > 1 && r.chance(if level == 0 { 16 } else { 8 }) {
        let subs = r.range(1, 2).min(budget - 1);
        for _ in 0..subs {
            if written < budget {
                written += theme(out, r, level + 1, budget - written, false);
            }
        }
    }
    written
}

/// A valid report.toml with `themes` themes in total (sub-themes included;
/// at least 1), deterministic in `seed`.
pub fn report(themes: usize, seed: u64) -> String {
    let themes = themes.max(1);
    let mut r = Rng::new(seed);
    let mut out = String::with_capacity(themes * 520 + 1024);
    out.push_str(
        "# Generated by benches/support/generate.rs: Dutch-looking text for benchmarks.\n",
    );
    out.push_str("title    = \"Het rapport ‘de Veiligheidsregio als verbinder’ – gegenereerd\"\n");
    out.push_str(
        "subtitle = \"een overkoepelende beschouwing van de rol van de veiligheidsregio’s\"\n",
    );
    out.push_str("kind     = \"Kennisnemen van\"\n");
    out.push_str("source   = \"Nederlands Instituut Publieke Veiligheid (NIPV)\"\n");
    out.push_str("date     = 2024-04-15\n");
    out.push_str("language = \"nl\"\n");
    let mut written = 0;
    let mut top = 0;
    while written < themes {
        written += theme(&mut out, &mut r, 0, themes - written, top < 3);
        top += 1;
    }
    out
}

/// A quiet directory for benchmark reports: `$TMPDIR/briefing-bench/reports`.
/// The browser watches its report's directory, so a busy one (such as /tmp
/// itself) would wake it up and spoil idle-CPU measurements.
pub fn report_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("briefing-bench").join("reports");
    std::fs::create_dir_all(&dir).expect("create the benchmark report directory");
    dir
}

/// Writes `report(themes, seed)` to `report_dir()` (reused when it already
/// has the same length) and returns its path.
pub fn write_temp(themes: usize, seed: u64) -> PathBuf {
    let text = report(themes, seed);
    let path = report_dir().join(format!("generated-{themes}-{seed}.toml"));
    let fresh = std::fs::metadata(&path).is_ok_and(|m| m.len() == text.len() as u64);
    if !fresh {
        let tmp = std::env::temp_dir().join(format!("briefing-bench-{}.tmp", std::process::id()));
        std::fs::write(&tmp, &text).expect("write generated report");
        std::fs::rename(&tmp, &path).expect("move generated report in place");
    }
    path
}

/// A wall-screen report: `themes` short top-level themes, each `updated` a
/// few minutes before `now` (Unix seconds), spread evenly over a minute so
/// that some theme's shown age changes every `60 / themes` seconds, as on a
/// real situation report that is kept current.
pub fn wall(themes: usize, now: u64, seed: u64) -> String {
    let themes = themes.max(1);
    let mut r = Rng::new(seed);
    let mut out = String::new();
    out.push_str("# Generated by benches/support/generate.rs: a wall screen's report.\n");
    out.push_str("title    = \"Situatierapport – gegenereerd\"\n");
    out.push_str("language = \"nl\"\n");
    for k in 0..themes {
        let age = 180 + (60 * k / themes) as u64;
        let _ = writeln!(out, "\n[[theme]]");
        let _ = writeln!(out, "title = \"{}\"", title(&mut r));
        let _ = writeln!(
            out,
            "updated = {}",
            briefing_testkit::measure::rfc3339(now.saturating_sub(age))
        );
        let _ = writeln!(out, "body = \"\"\"");
        push_wrapped(&mut out, &paragraph(&mut r, 2));
        out.push_str("\n\"\"\"\n");
        let _ = writeln!(out, "points = [");
        for _ in 0..r.range(1, 4) {
            let _ = writeln!(out, "  \"{}\",", sentence(&mut r, 4, 11));
        }
        let _ = writeln!(out, "]");
    }
    out
}
