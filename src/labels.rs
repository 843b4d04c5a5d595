//! The UI's words, in Dutch and English; the report's `language` picks one set.

use crate::text::hyphenate::Lang;

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
    /// Notice when text is pasted outside the search bar.
    pub paste_hint: &'static str,
    /// Footer words when the position cannot be written for followers.
    pub no_share: &'static str,
    /// Which of a key binding's two help texts (English, Dutch) to show.
    pub help_column: usize,
}

/// Dutch labels.
pub const NL: Labels = Labels {
    no_text: "(geen tekst)",
    help_title: "Toetsen",
    help_close: "Esc of ? sluit",
    no_matches: "geen treffers",
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
    filters: ["alle thema's", "gewijzigd", "verouderd", "open acties"],
    no_themes: "(geen thema's)",
    no_changes: "geen wijzigingen sinds de vorige keer",
    paste_hint: "geplakte tekst genegeerd: druk eerst / om te zoeken",
    no_share: "volgers krijgen geen updates",
    help_column: 1,
};

/// English labels.
pub const EN: Labels = Labels {
    no_text: "(no text)",
    help_title: "Keys",
    help_close: "Esc or ? closes",
    no_matches: "no matches",
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
    filters: ["all themes", "changed", "stale", "open actions"],
    no_themes: "(no themes)",
    no_changes: "no changes since last time",
    paste_hint: "pasted text ignored: press / first to search",
    no_share: "followers are not getting updates",
    help_column: 0,
};

/// The labels for a report language.
pub fn for_lang(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}
