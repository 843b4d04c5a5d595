//! The file's shape, as serde reads it, and its validation into the domain
//! types. Spans let every validation error point at the offending value.

use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;
use toml::value::Datetime;

use super::{Language, MAX_DEPTH, Notes, Point, Stamp, Status, Task, Theme, stamp};
use crate::error::LoadError;

type Invalid<'a> = dyn Fn(Range<usize>, String) -> LoadError + 'a;

/// The top of a TOML report, where the title is required.
pub(super) type Report = Header<Spanned<String>>;

/// The report's keys, as the top of a TOML file or a Markdown file's front
/// matter holds them: one list of keys for both, so both accept and refuse
/// the same ones with the same messages. `T` is the title: required in
/// TOML, optional in front matter (a `# heading` may give it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Header<T> {
    title: T,
    subtitle: Option<String>,
    kind: Option<String>,
    source: Option<String>,
    date: Option<Spanned<Datetime>>,
    language: Option<Language>,
    updated: Option<Spanned<Datetime>>,
    next_update: Option<Spanned<Datetime>>,
    classification: Option<Spanned<String>>,
    number: Option<Spanned<i64>>,
    phase: Option<Spanned<String>>,
    as_of: Option<Spanned<Datetime>>,
    prepared_by: Option<String>,
    approved_by: Option<String>,
    #[serde(default)]
    theme: Vec<RawTheme>,
}

/// A part of the file that starts at a `[[theme]]` header: only themes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Themes {
    #[serde(default)]
    theme: Vec<RawTheme>,
}

impl Themes {
    /// Validates the themes of one part of the file, noting in `notes`
    /// what may be a slip.
    pub(super) fn into_themes(
        self,
        invalid: &Invalid<'_>,
        notes: &mut Notes,
    ) -> Result<Vec<Theme>, LoadError> {
        self.theme
            .into_iter()
            .map(|t| t.into_theme(1, invalid, notes))
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    title: Spanned<String>,
    body: Option<String>,
    #[serde(default)]
    points: Vec<Spanned<RawPoint>>,
    #[serde(default)]
    decisions: Vec<Spanned<RawDecision>>,
    #[serde(default)]
    actions: Vec<Spanned<RawAction>>,
    updated: Option<Spanned<Datetime>>,
    status: Option<Spanned<String>>,
    owner: Option<String>,
    source: Option<String>,
    unchanged: Option<bool>,
    #[serde(default)]
    theme: Vec<RawTheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionTable {
    text: String,
    at: Option<Spanned<Datetime>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointTable {
    text: String,
    #[serde(default)]
    points: Vec<Spanned<RawPoint>>,
    updated: Option<Spanned<Datetime>>,
    owner: Option<String>,
    due: Option<Spanned<Datetime>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    text: String,
    owner: Option<String>,
    due: Option<Spanned<Datetime>>,
    status: Option<String>,
    state: Option<Spanned<String>>,
}

/// A point, a decision or an action: written as a plain string (its
/// text) or as a table. serde's untagged enums would hide the real error
/// ("did not match any variant"), so both forms are visited here.
struct TextOr<T>(T);

/// A table that may also be written as its text alone.
trait TextForm: Sized {
    /// What the error says was expected.
    const EXPECTING: &'static str;
    /// What to say when a list is given instead (`None`: serde's message).
    const NOT_A_LIST: Option<&'static str> = None;
    /// The table with only its text.
    fn from_text(text: String) -> Self;
}

type RawPoint = TextOr<PointTable>;
type RawDecision = TextOr<DecisionTable>;
type RawAction = TextOr<RawTask>;

impl TextForm for PointTable {
    const EXPECTING: &'static str = "a string, or a table like { text = \"…\", points = [\"…\"] }";
    const NOT_A_LIST: Option<&'static str> = Some(
        "a point is a string or a table with `text`; to nest points use { text = \"…\", points = [\"…\"] }",
    );
    fn from_text(text: String) -> Self {
        PointTable {
            text,
            points: Vec::new(),
            updated: None,
            owner: None,
            due: None,
        }
    }
}

impl TextForm for DecisionTable {
    const EXPECTING: &'static str =
        "a string, or a table like { text = \"…\", at = 2024-05-01T12:00:00 }";
    fn from_text(text: String) -> Self {
        DecisionTable { text, at: None }
    }
}

impl TextForm for RawTask {
    const EXPECTING: &'static str =
        "a string, or a table like { text = \"…\", owner = \"…\", due = 2024-05-01T12:00:00 }";
    fn from_text(text: String) -> Self {
        RawTask {
            text,
            owner: None,
            due: None,
            status: None,
            state: None,
        }
    }
}

impl<'de, T: TextForm + Deserialize<'de>> Deserialize<'de> for TextOr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Form<T>(std::marker::PhantomData<T>);
        impl<'de, T: TextForm + Deserialize<'de>> Visitor<'de> for Form<T> {
            type Value = TextOr<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextOr<T>, E> {
                Ok(TextOr(T::from_text(v.to_owned())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TextOr<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(TextOr)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<TextOr<T>, A::Error> {
                Err(match T::NOT_A_LIST {
                    Some(why) => de::Error::custom(why),
                    None => de::Error::invalid_type(de::Unexpected::Seq, &self),
                })
            }
        }
        deserializer.deserialize_any(Form(std::marker::PhantomData))
    }
}

impl Header<Option<Spanned<String>>> {
    /// The title, if the front matter gives one.
    pub(super) fn title(&self) -> Option<&Spanned<String>> {
        self.title.as_ref()
    }

    /// The header with `title` where the front matter gave none.
    pub(super) fn or_title(self, title: Spanned<String>) -> Report {
        let Header {
            title: own,
            subtitle,
            kind,
            source,
            date,
            language,
            updated,
            next_update,
            classification,
            number,
            phase,
            as_of,
            prepared_by,
            approved_by,
            theme,
        } = self;
        Header {
            title: own.unwrap_or(title),
            subtitle,
            kind,
            source,
            date,
            language,
            updated,
            next_update,
            classification,
            number,
            phase,
            as_of,
            prepared_by,
            approved_by,
            theme,
        }
    }
}

impl<T> Header<T> {
    /// Whether the top of the file defines themes itself (`theme = [...]`).
    pub(super) fn has_inline_themes(&self) -> bool {
        !self.theme.is_empty()
    }
}

impl Report {
    /// Validates the top of the file: the report without its themes, and the
    /// themes written there inline (`theme = [...]`), if any.
    pub(super) fn into_header(
        self,
        invalid: &Invalid<'_>,
    ) -> Result<(super::Report, Vec<Theme>), LoadError> {
        let title = non_empty(self.title, "the report's `title`", invalid)?;
        let date = match self.date {
            None => None,
            Some(d) => match (d.get_ref().date, d.get_ref().time) {
                (Some(date), None) => Some(date),
                _ => {
                    return Err(invalid(
                        d.span(),
                        "`date` must be a date without a time, like 2022-03-01".into(),
                    ));
                }
            },
        };
        let mut notes = Notes::default();
        let inline = self
            .theme
            .into_iter()
            .map(|t| t.into_theme(1, invalid, &mut notes))
            .collect::<Result<_, _>>()?;
        if let Some(c) = &self.classification {
            super::check_classification(c.get_ref()).map_err(|why| invalid(c.span(), why))?;
        }
        let number = match self.number {
            None => None,
            Some(n) => Some(u32::try_from(*n.get_ref()).map_err(|_| {
                invalid(n.span(), "`number` is a version number: 0, 1, 2, …".into())
            })?),
        };
        let phase = match self.phase {
            None => None,
            Some(p) => {
                Some(super::Phase::parse(p.get_ref()).map_err(|why| invalid(p.span(), why))?)
            }
        };
        let report = super::Report {
            title,
            subtitle: self.subtitle,
            kind: self.kind,
            source: self.source,
            date,
            language: self.language.unwrap_or_default(),
            updated: when(self.updated, "updated", invalid)?,
            next_update: when(self.next_update, "next_update", invalid)?,
            classification: self.classification.map(Spanned::into_inner),
            number,
            phase,
            as_of: when(self.as_of, "as_of", invalid)?,
            prepared_by: self.prepared_by,
            approved_by: self.approved_by,
            themes: Vec::new(),
            notes,
        };
        Ok((report, inline))
    }
}

/// The error for a theme or point nested deeper than [`MAX_DEPTH`] (1 is
/// the top level): the depth rule lives here, in validation, so the error
/// points at the exact theme or point. (The toml parser itself stops at 80
/// levels, so a hostile file cannot overflow the stack before we get here.)
fn too_deep(
    what: &str,
    depth: usize,
    span: Range<usize>,
    invalid: &Invalid<'_>,
) -> Option<LoadError> {
    (depth > MAX_DEPTH).then(|| {
        invalid(
            span,
            format!("{what} nested more than {MAX_DEPTH} levels deep; flatten the structure"),
        )
    })
}

impl RawTheme {
    /// Validates a theme `depth` levels deep (1: a top-level theme).
    fn into_theme(
        self,
        depth: usize,
        invalid: &Invalid<'_>,
        notes: &mut Notes,
    ) -> Result<Theme, LoadError> {
        if let Some(e) = too_deep("a sub-theme", depth, self.title.span(), invalid) {
            return Err(e);
        }
        let decisions = self
            .decisions
            .into_iter()
            .map(|d| {
                let span = d.span();
                let TextOr(d) = d.into_inner();
                if d.text.trim().is_empty() {
                    return Err(invalid(span, "a decision is empty; write some text".into()));
                }
                Ok(super::Decision {
                    text: d.text,
                    at: when(d.at, "at", invalid)?,
                })
            })
            .collect::<Result<_, _>>()?;
        let actions = self
            .actions
            .into_iter()
            .map(|a| {
                let span = a.span();
                let TextOr(a) = a.into_inner();
                if a.text.trim().is_empty() {
                    return Err(invalid(span, "an action's `text` is empty".into()));
                }
                let state = match a.state {
                    None => None,
                    Some(st) => Some(
                        super::TaskState::parse(st.get_ref())
                            .map_err(|why| invalid(st.span(), why))?,
                    ),
                };
                Ok(Task {
                    text: a.text,
                    owner: a.owner,
                    due: when(a.due, "due", invalid)?,
                    status: a.status,
                    state,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Theme {
            title: non_empty(self.title, "a theme's `title`", invalid)?,
            body: self.body,
            points: points(self.points, 1, invalid)?,
            decisions,
            actions,
            updated: when(self.updated, "updated", invalid)?,
            status: self.status.map(|s| {
                let status = Status::parse(s.get_ref());
                if matches!(status, Status::Other(_)) {
                    notes.note(|| invalid(s.span(), Status::unknown(s.get_ref())));
                }
                status
            }),
            owner: self.owner,
            source: self.source,
            unchanged: self.unchanged.unwrap_or(false),
            themes: self
                .theme
                .into_iter()
                .map(|t| t.into_theme(depth + 1, invalid, notes))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Validates points `depth` levels deep (1: a theme's own points).
fn points(
    raw: Vec<Spanned<RawPoint>>,
    depth: usize,
    invalid: &Invalid<'_>,
) -> Result<Vec<Point>, LoadError> {
    raw.into_iter()
        .map(|p| {
            let span = p.span();
            if let Some(e) = too_deep("a point", depth, span.clone(), invalid) {
                return Err(e);
            }
            let TextOr(t) = p.into_inner();
            if t.text.trim().is_empty() {
                return Err(invalid(span, "a point's `text` is empty".into()));
            }
            Ok(Point {
                text: t.text,
                points: points(t.points, depth + 1, invalid)?,
                updated: when(t.updated, "updated", invalid)?,
                owner: t.owner,
                due: when(t.due, "due", invalid)?,
            })
        })
        .collect()
}

fn non_empty(s: Spanned<String>, what: &str, invalid: &Invalid<'_>) -> Result<String, LoadError> {
    if s.get_ref().trim().is_empty() {
        return Err(invalid(
            s.span(),
            format!("{what} is empty; write some text"),
        ));
    }
    Ok(s.into_inner())
}

fn when(
    d: Option<Spanned<Datetime>>,
    key: &str,
    invalid: &Invalid<'_>,
) -> Result<Option<Stamp>, LoadError> {
    d.map(|d| {
        stamp::from_toml(d.get_ref()).map_err(|why| invalid(d.span(), format!("`{key}` {why}")))
    })
    .transpose()
}
