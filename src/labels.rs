//! The UI's words, in Dutch and English; the report's `language` picks one set.

use crate::text::hyphenate::Lang;

/// What each mark means, for help's legend.
#[derive(Debug)]
pub struct Legend {
    /// The theme is new or changed since the reader last looked.
    pub changed_theme: &'static str,
    /// The paragraph or point is new or changed.
    pub changed_block: &'static str,
    /// Matches in the theme.
    pub hits: &'static str,
    /// Status: new.
    pub status_new: &'static str,
    /// Status: changed.
    pub status_changed: &'static str,
    /// Status: closed.
    pub status_closed: &'static str,
    /// Time since the last update.
    pub age: &'static str,
    /// Not updated for too long.
    pub stale: &'static str,
    /// Past its time: an open action, or the report's next update.
    pub overdue: &'static str,
    /// A decision.
    pub decision: &'static str,
    /// An open action.
    pub open_action: &'static str,
    /// A finished action.
    pub done_action: &'static str,
    /// More above or below.
    pub more: &'static str,
    /// Following the presenter live.
    pub live: &'static str,
    /// Text cut short.
    pub cut: &'static str,
}

/// Every fixed piece of text the UI shows.
#[derive(Debug)]
pub struct Labels {
    /// Shown in place of an empty theme's text.
    pub no_text: &'static str,
    /// Title of the help overlay.
    pub help_title: &'static str,
    /// Footer of the help overlay.
    pub help_close: &'static str,
    /// Status line when a search finds nothing.
    pub no_matches: &'static str,
    /// … while only the first themes of a large report are read.
    pub no_matches_yet: &'static str,
    /// In place of the number of matches while they are still being counted.
    pub counting: &'static str,
    /// Status line word before "3/12".
    pub match_word: &'static str,
    /// Notice when `n` wrapped from the last match to the first.
    pub wrapped_top: &'static str,
    /// Notice when `N` wrapped from the first match to the last.
    pub wrapped_bottom: &'static str,
    /// Notice when n/N is pressed without a search.
    pub no_search: &'static str,
    /// Title of the search results overview.
    pub results_title: &'static str,
    /// Shown when the terminal is too small to draw anything useful.
    pub too_small: &'static str,
    /// Prompt shown before the query in the search bar.
    pub search_prompt: &'static str,
    /// Heading of the key list for search mode in the help overlay.
    pub help_search: &'static str,
    /// Heading of the key list for browsing in the help overlay.
    pub help_browse: &'static str,
    /// Heading of the key list for the results overview.
    pub help_results: &'static str,
    /// Heading of the key list for presenting in the help overlay.
    pub help_present: &'static str,
    /// "theme" in the presentation footer ("thema 3/7").
    pub theme_word: &'static str,
    /// "point" in the presentation footer ("punt 2/5").
    pub point_word: &'static str,
    /// Status-line hint for moving between matches.
    pub next_prev_hint: &'static str,
    /// Refusing a position file written for another report.
    pub other_report: &'static str,
    /// Status-line marker while following a presenter.
    pub following: &'static str,
    /// Status-line marker when the reader left the presenter's position.
    pub detached: &'static str,
    /// Status-line marker when the presenter has quit.
    pub presenter_gone: &'static str,
    /// Status-line marker while no position has been read yet.
    pub waiting: &'static str,
    /// Label of a theme's owner.
    pub owner: &'static str,
    /// Label of a theme's source.
    pub source: &'static str,
    /// Label of an update time.
    pub updated: &'static str,
    /// Label of the report's next update time.
    pub next_update: &'static str,
    /// Label of a theme's status.
    pub status: &'static str,
    /// Word before a due date.
    pub due: &'static str,
    /// Status `new`, as shown.
    pub status_new: &'static str,
    /// Status `changed`, as shown.
    pub status_changed: &'static str,
    /// Status `unchanged`, as shown.
    pub status_unchanged: &'static str,
    /// Status `closed`, as shown.
    pub status_closed: &'static str,
    /// Heading above a theme's decisions.
    pub decisions: &'static str,
    /// Heading above a theme's actions.
    pub actions: &'static str,
    /// The word for a stale theme or report.
    pub stale: &'static str,
    /// The list filters' names: all, changed, stale, open actions.
    pub filters: [&'static str; 4],
    /// Shown in the list when the filter leaves no theme.
    pub no_themes: &'static str,
    /// Notice when `c` finds no changed theme.
    pub no_changes: &'static str,
    /// The same, when nothing was remembered: since the report was opened.
    pub no_changes_opened: &'static str,
    /// Notice when text is pasted outside the search bar.
    pub paste_hint: &'static str,
    /// Footer words when the position cannot be written for followers.
    pub no_share: &'static str,
    /// After a heading repeated at the top of a column of help.
    pub continued: &'static str,
    /// Heading of help's own keys.
    pub help_help: &'static str,
    /// Heading of the keys of the message overlay.
    pub help_message: &'static str,
    /// Heading of the mouse gestures in help.
    pub help_mouse: &'static str,
    /// Heading of the legend of marks in help.
    pub help_marks: &'static str,
    /// What each mark means.
    pub legend: Legend,
    /// Title of the overlay with a whole message.
    pub message_title: &'static str,
    /// Hint after a shortened error: the key for all of it.
    pub whole_message: &'static str,
    /// Notice when `e` is pressed and there is no message.
    pub no_message: &'static str,
    /// "theme" and "themes".
    pub themes: [&'static str; 2],
    /// A theme that is gone, as `--changed` says.
    pub status_removed: &'static str,
    /// After a count: paragraphs or points removed (one, many).
    pub removed_blocks: [&'static str; 2],
    /// After a count of themes: new or changed since the last visit.
    pub changed_since: &'static str,
    /// After a count of themes: stale.
    pub stale_count: &'static str,
    /// The key to the next changed theme, for the notice.
    pub next_changed_key: &'static str,
    /// The key to filter, for the notice.
    pub filter_key: &'static str,
    /// In the text panel when the filter shows no theme.
    pub filter_empty: &'static str,
    /// An action's states: new, in progress, done, accepted.
    pub task_states: [&'static str; 4],
    /// The state of an open action that says none.
    pub open_state: &'static str,
    /// The phases: initial, update, final.
    pub phases: [&'static str; 3],
    /// The word for a numbered version ("sitrep 14").
    pub version_word: &'static str,
    /// Before the moment a version is of ("per 14:00").
    pub as_of: &'static str,
    /// Label of who prepared a version.
    pub prepared_by: &'static str,
    /// Label of who approved it.
    pub approved_by: &'static str,
    /// A theme said to be unchanged, before the version it is unchanged since.
    pub unchanged_since: &'static str,
    /// Heading of the keys of the list of viewers.
    pub help_room: &'static str,
    /// Notice when `w` is pressed and nobody can join.
    pub not_serving: &'static str,
    /// Notice when a viewer of a served report presses `w`.
    pub room_is_presenters: &'static str,
    /// `F` when there is no presenter to follow.
    pub not_following: &'static str,
    /// "viewer" and "viewers".
    pub viewers: [&'static str; 2],
    /// Title of the list of viewers.
    pub room_title: &'static str,
    /// Before the host key's fingerprint.
    pub host_key: &'static str,
    /// Before the command that joins.
    pub join_with: &'static str,
    /// Before the join code.
    pub code_word: &'static str,
    /// A viewer following, detached, or browsing on their own (nothing is presented).
    pub viewer_states: [&'static str; 3],
    /// When nobody has joined yet.
    pub nobody_yet: &'static str,
    /// A viewer's last line when the room is full (before the limit).
    pub room_full: &'static str,
    /// A viewer's last line after hours without anything happening.
    pub idle_goodbye: &'static str,
    /// Every viewer's last line when the presenter quits.
    pub goodbye: &'static str,
    /// Titles of the timeline, the actions and the decisions lists.
    pub list_titles: [&'static str; 3],
    /// Heading of the keys of those lists, and of the diff.
    pub help_lists: &'static str,
    /// Heading of the keys of the diff.
    pub help_diff: &'static str,
    /// Headings of the timeline: version, phase, as of, first seen, changed.
    pub timeline_columns: [&'static str; 5],
    /// Headings of the actions list: due, state, owner, theme, action.
    pub action_columns: [&'static str; 5],
    /// Headings of the decisions list: when, version, theme, decision.
    pub decision_columns: [&'static str; 4],
    /// When a list has nothing: no versions kept, no actions, no decisions.
    pub list_empty: [&'static str; 3],
    /// What Enter does in each list, for its footer.
    pub list_enter: [&'static str; 3],
    /// Before a slide number typed that is past the last one.
    pub no_such_theme: &'static str,
    /// Why the timeline has no versions: `--no-state`, no report file, and
    /// (before the reason) the history could not be read.
    pub no_versions: [&'static str; 3],
    /// While the versions are being read.
    pub loading: &'static str,
    /// While the rest of a large report is being read (search and the list follow).
    pub reading_rest: &'static str,
    /// The version shown is not the current one (then: how to go back).
    pub not_current: &'static str,
    /// How to go back to the current version.
    pub back_to_current: &'static str,
    /// An action past its due time, or the report past its next update.
    pub overdue: &'static str,
    /// Before a time to go ("over 25 min").
    pub within: &'static str,
    /// Words of a diff: removed, added, changed (beside the symbols).
    pub diff_words: [&'static str; 3],
    /// The diff's title: "Verschil" / "Diff".
    pub diff_title: &'static str,
    /// The changes in a timeline row: themes new, changed, removed; blocks; actions; decisions.
    pub timeline_counts: [&'static str; 4],
    /// A theme that did not change between two versions.
    pub unchanged_word: &'static str,
    /// A version's name when it has no number: "versie van".
    pub version_of: &'static str,
    /// Headings of the list of viewers: name, address, since, following, size.
    pub room_columns: [&'static str; 5],
    /// Which of a key binding's two help texts (English, Dutch) to show.
    pub help_column: usize,
}

impl Labels {
    /// How an action's state is said.
    pub fn task_state(&self, s: crate::report::TaskState) -> &'static str {
        use crate::report::TaskState::*;
        self.task_states[match s {
            New => 0,
            InProgress => 1,
            Done => 2,
            Accepted => 3,
        }]
    }

    /// How a phase is said.
    pub fn phase(&self, p: crate::report::Phase) -> &'static str {
        use crate::report::Phase::*;
        self.phases[match p {
            Initial => 0,
            Update => 1,
            Final => 2,
        }]
    }

    /// "1 thema", "3 thema's".
    pub fn count_themes(&self, n: usize) -> String {
        format!("{n} {}", self.themes[usize::from(n != 1)])
    }

    /// "1 kijker", "12 kijkers".
    pub fn count_viewers(&self, n: usize) -> String {
        format!("{n} {}", self.viewers[usize::from(n != 1)])
    }

    /// "1 alinea of punt verwijderd", "2 alinea's of punten verwijderd".
    pub fn count_removed(&self, n: usize) -> String {
        format!("{n} {}", self.removed_blocks[usize::from(n != 1)])
    }
}

/// Dutch labels.
pub const NL: Labels = Labels {
    no_text: "(geen tekst)",
    help_title: "Toetsen",
    help_close: "Esc of ? sluit",
    no_matches: "geen treffers",
    no_matches_yet: "nog geen treffers",
    counting: "telt…",
    match_word: "treffer",
    wrapped_top: "terug naar de eerste treffer",
    wrapped_bottom: "terug naar de laatste treffer",
    no_search: "nog niet gezocht: druk / om te zoeken",
    results_title: "Treffers",
    too_small: "venster te klein",
    search_prompt: "Zoek: ",
    help_search: "Zoeken",
    help_browse: "Lezen",
    help_results: "Treffers",
    help_present: "Presenteren",
    theme_word: "thema",
    point_word: "punt",
    next_prev_hint: "n/N volgende/vorige",
    other_report: "positiebestand hoort bij een ander rapport",
    following: "volgen",
    detached: "losgekoppeld (F: volgen)",
    presenter_gone: "presentator gestopt",
    waiting: "wacht op presentator",
    owner: "Eigenaar",
    source: "Bron",
    updated: "Bijgewerkt",
    next_update: "Volgende update",
    status: "Status",
    due: "vóór",
    status_new: "nieuw",
    status_changed: "gewijzigd",
    status_unchanged: "ongewijzigd",
    status_closed: "gesloten",
    decisions: "Besluiten",
    actions: "Acties",
    stale: "verouderd",
    filters: [
        "alle thema's",
        "nieuw sinds uw vorige bezoek",
        "verouderd",
        "met open acties",
    ],
    no_themes: "(geen thema's)",
    no_changes: "geen wijzigingen sinds de vorige keer",
    no_changes_opened: "geen wijzigingen sinds u het rapport opende",
    paste_hint: "geplakte tekst genegeerd: druk eerst / om te zoeken",
    no_share: "volgers krijgen geen updates",
    continued: "(vervolg)",
    help_help: "Hulp",
    help_message: "Melding",
    help_mouse: "Muis",
    help_marks: "Tekens",
    legend: Legend {
        changed_theme: "nieuw of gewijzigd sinds uw vorige bezoek",
        changed_block: "deze alinea of dit punt is nieuw of gewijzigd",
        hits: "treffers van de zoekterm in het thema",
        status_new: "status: nieuw",
        status_changed: "status: gewijzigd",
        status_closed: "status: gesloten",
        age: "tijd sinds de laatste update",
        stale: "verouderd: te lang niet bijgewerkt",
        decision: "besluit",
        open_action: "open actie",
        done_action: "afgeronde actie",
        more: "er is meer boven / onder",
        live: "de presentator wordt live gevolgd",
        cut: "ingekort",
        overdue: "te laat: een open actie, of de volgende update van het rapport",
    },
    message_title: "Melding",
    whole_message: "e: hele melding",
    no_message: "geen melding om te tonen",
    themes: ["thema", "thema's"],
    status_removed: "verwijderd",
    removed_blocks: ["alinea of punt verwijderd", "alinea's of punten verwijderd"],
    changed_since: "nieuw of gewijzigd sinds uw vorige bezoek",
    stale_count: "verouderd",
    next_changed_key: "c: volgende",
    filter_key: "m: alleen die tonen",
    filter_empty: "Geen thema's in dit filter. Druk m voor het volgende filter; na het laatste komen alle thema's terug.",
    task_states: ["nieuw", "in uitvoering", "gereed", "geaccepteerd"],
    open_state: "open",
    phases: ["eerste", "update", "eindrapport"],
    version_word: "sitrep",
    help_room: "Kijkers",
    not_serving: "niemand kan meekijken: start met --serve (zie README, crisisruimte)",
    room_is_presenters: "de lijst van wie meekijkt is van de presentator",
    not_following: "er is niemand om te volgen: start met --follow PAD",
    viewers: ["kijker", "kijkers"],
    room_title: "Wie kijkt mee",
    host_key: "hostsleutel",
    join_with: "meekijken",
    code_word: "code",
    viewer_states: ["volgt", "losgekoppeld", "bladert zelf"],
    nobody_yet: "nog niemand",
    list_titles: ["Versies", "Acties", "Besluiten"],
    help_lists: "Lijsten (versies, acties, besluiten)",
    help_diff: "Verschil",
    timeline_columns: ["versie", "fase", "per", "gezien", "wijzigingen"],
    action_columns: ["vóór", "stand", "eigenaar", "thema", "actie"],
    decision_columns: ["wanneer", "versie", "thema", "besluit"],
    list_empty: [
        "nog geen versies bewaard: elke versie die briefing laadt wordt bewaard",
        "dit rapport heeft geen acties",
        "dit rapport heeft geen besluiten",
    ],
    list_enter: ["toon de versie", "ga naar het thema", "ga naar het thema"],
    no_such_theme: "geen thema",
    no_versions: [
        "met --no-state worden geen versies bewaard",
        "het ingebouwde rapport heeft geen versies",
        "versies niet te lezen: ",
    ],
    loading: "laden…",
    reading_rest: "de rest wordt gelezen…",
    not_current: "niet de huidige versie",
    back_to_current: "Esc: terug",
    overdue: "te laat",
    within: "over",
    diff_words: ["weg", "nieuw", "gewijzigd"],
    diff_title: "Verschil",
    timeline_counts: [
        "thema's +/~/-",
        "alinea's en punten +/~/-",
        "acties +/gereed/~",
        "besluiten +",
    ],
    unchanged_word: "ongewijzigd",
    version_of: "versie van",
    room_full: "de ruimte is vol; probeer het later opnieuw",
    idle_goodbye: "uren niets gebeurd; de sessie is beëindigd (opnieuw verbinden kan altijd)",
    goodbye: "de presentator heeft de briefing beëindigd",
    room_columns: ["naam", "adres", "sinds", "status", "grootte"],
    as_of: "per",
    prepared_by: "Opgesteld door",
    approved_by: "Vastgesteld door",
    unchanged_since: "ongewijzigd sinds",
    help_column: 1,
};

/// English labels.
pub const EN: Labels = Labels {
    no_text: "(no text)",
    help_title: "Keys",
    help_close: "Esc or ? closes",
    no_matches: "no matches",
    no_matches_yet: "no matches yet",
    counting: "counting…",
    match_word: "match",
    wrapped_top: "wrapped to the first match",
    wrapped_bottom: "wrapped to the last match",
    no_search: "no search yet: press / to search",
    results_title: "Matches",
    too_small: "terminal too small",
    search_prompt: "Search: ",
    help_search: "Searching",
    help_browse: "Reading",
    help_results: "Matches",
    help_present: "Presenting",
    theme_word: "theme",
    point_word: "point",
    next_prev_hint: "n/N next/previous",
    other_report: "position file is for another report",
    following: "following",
    detached: "detached (F: follow)",
    presenter_gone: "presenter stopped",
    waiting: "waiting for the presenter",
    owner: "Owner",
    source: "Source",
    updated: "Updated",
    next_update: "Next update",
    status: "Status",
    due: "due",
    status_new: "new",
    status_changed: "changed",
    status_unchanged: "unchanged",
    status_closed: "closed",
    decisions: "Decisions",
    actions: "Actions",
    stale: "stale",
    filters: [
        "all themes",
        "new since your last look",
        "stale",
        "with open actions",
    ],
    no_themes: "(no themes)",
    no_changes: "no changes since last time",
    no_changes_opened: "no changes since you opened the report",
    paste_hint: "pasted text ignored: press / first to search",
    no_share: "followers are not getting updates",
    continued: "(continued)",
    help_help: "Help",
    help_message: "Message",
    help_mouse: "Mouse",
    help_marks: "Marks",
    legend: Legend {
        changed_theme: "new or changed since you last looked",
        changed_block: "this paragraph or point is new or changed",
        hits: "matches of the search in the theme",
        status_new: "status: new",
        status_changed: "status: changed",
        status_closed: "status: closed",
        age: "time since the last update",
        stale: "stale: not updated for too long",
        decision: "decision",
        open_action: "open action",
        done_action: "finished action",
        more: "there is more above / below",
        live: "following the presenter live",
        cut: "shortened",
        overdue: "late: an open action, or the report's next update",
    },
    message_title: "Message",
    whole_message: "e: whole message",
    no_message: "no message to show",
    themes: ["theme", "themes"],
    status_removed: "removed",
    removed_blocks: ["paragraph or point removed", "paragraphs or points removed"],
    changed_since: "new or changed since you last looked",
    stale_count: "stale",
    next_changed_key: "c: next",
    filter_key: "m: show only those",
    filter_empty: "No theme in this filter. Press m for the next filter; after the last one all themes are back.",
    task_states: ["new", "in progress", "done", "accepted"],
    open_state: "open",
    phases: ["initial", "update", "final"],
    version_word: "sitrep",
    help_room: "Viewers",
    not_serving: "nobody can join: start with --serve (see the README, crisis room)",
    room_is_presenters: "the list of viewers is the presenter's",
    not_following: "nobody to follow: start with --follow PATH",
    viewers: ["viewer", "viewers"],
    room_title: "Who is watching",
    host_key: "host key",
    join_with: "join",
    code_word: "code",
    viewer_states: ["following", "detached", "browsing"],
    nobody_yet: "nobody yet",
    list_titles: ["Versions", "Actions", "Decisions"],
    help_lists: "Lists (versions, actions, decisions)",
    help_diff: "Diff",
    timeline_columns: ["version", "phase", "as of", "seen", "changes"],
    action_columns: ["due", "state", "owner", "theme", "action"],
    decision_columns: ["when", "version", "theme", "decision"],
    list_empty: [
        "no versions kept yet: every version briefing loads is kept",
        "this report has no actions",
        "this report has no decisions",
    ],
    list_enter: ["show the version", "go to the theme", "go to the theme"],
    no_such_theme: "no theme",
    no_versions: [
        "no versions are kept with --no-state",
        "the built-in report has no versions",
        "the versions cannot be read: ",
    ],
    loading: "loading…",
    reading_rest: "reading the rest…",
    not_current: "not the current version",
    back_to_current: "Esc: back",
    overdue: "overdue",
    within: "in",
    diff_words: ["removed", "added", "changed"],
    diff_title: "Diff",
    timeline_counts: [
        "themes +/~/-",
        "paragraphs and points +/~/-",
        "actions +/done/~",
        "decisions +",
    ],
    unchanged_word: "unchanged",
    version_of: "version of",
    room_full: "the room is full; try again later",
    idle_goodbye: "nothing happened for hours; the session has ended (you can always join again)",
    goodbye: "the presenter has ended the briefing",
    room_columns: ["name", "address", "since", "state", "size"],
    as_of: "as of",
    prepared_by: "Prepared by",
    approved_by: "Approved by",
    unchanged_since: "unchanged since",
    help_column: 0,
};

/// The labels for a report language.
pub fn for_lang(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}
