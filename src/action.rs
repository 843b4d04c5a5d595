//! Every user intent, independent of the key or mouse gesture that caused it.

/// Something the user (or the terminal) asks the application to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Move up one line or theme in the focused panel.
    Up,
    /// Move down one line or theme in the focused panel.
    Down,
    /// Scroll the text up a page.
    PageUp,
    /// Scroll the text down a page.
    PageDown,
    /// Scroll the text down a page; at its end, go on to the next theme.
    Advance,
    /// Scroll the text down half a page.
    HalfPageDown,
    /// Scroll the text up half a page.
    HalfPageUp,
    /// Scroll the text down a line, whichever panel has focus.
    LineDown,
    /// Scroll the text up a line, whichever panel has focus.
    LineUp,
    /// Show the whole message of an error.
    ShowMessage,
    /// Show who is watching (serving over SSH).
    ShowRoom,
    /// Show the timeline of versions.
    ShowVersions,
    /// Show every action, by due time.
    ShowActions,
    /// Show every decision.
    ShowDecisions,
    /// Diff the selected theme against the highlighted version.
    Diff,
    /// Go to the first theme or the top of the text.
    Top,
    /// Go to the last theme or the bottom of the text.
    Bottom,
    /// Focus the other panel.
    FocusNext,
    /// Focus the other panel (reverse order).
    FocusPrev,
    /// Focus the theme list.
    FocusList,
    /// Focus the text panel.
    FocusText,
    /// Confirm: open the selected theme's text, or jump to the selected match.
    Enter,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Close whatever is open, or clear the search highlights.
    Cancel,
    /// Quit the program.
    Quit,
    /// Repaint the whole screen (after line noise).
    Redraw,
    /// Suspend to the shell (Ctrl-Z).
    Suspend,
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// A mouse click at column, row.
    Click(u16, u16),
    /// The mouse wheel turned at column, row; `true` is down.
    Wheel(u16, u16, bool),
    /// Open the search bar.
    SearchStart,
    /// Type a character into the search bar.
    SearchInput(char),
    /// Delete the character before the cursor.
    SearchBackspace,
    /// Delete the character under the cursor.
    SearchDelete,
    /// Move the cursor left.
    SearchLeft,
    /// Move the cursor right.
    SearchRight,
    /// Move the cursor to the start of the query.
    SearchHome,
    /// Move the cursor to the end of the query.
    SearchEnd,
    /// Clear the query.
    SearchClear,
    /// Delete the word before the cursor.
    SearchDeleteWord,
    /// Keep the matches and return to reading.
    SearchConfirm,
    /// Return to exactly where the reader was before the search.
    SearchCancel,
    /// Go to the next match, across themes.
    NextMatch,
    /// Go to the previous match, across themes.
    PrevMatch,
    /// Show the overview of all matches.
    Results,
    /// Enter or leave the presentation.
    TogglePresent,
    /// Presenting: reveal the next point, or go to the next theme.
    RevealNext,
    /// Presenting: hide the last point, or go back to the previous theme.
    RevealPrev,
    /// Presenting: show all points at once, or reveal them one by one.
    ToggleAll,
    /// A digit: of a count before a movement (`5j`), or, presenting, of a
    /// theme number to jump to (Enter jumps).
    Digit(u8),
    /// Following: go back to the presenter's position and follow again.
    Reattach,
    /// Go to the next theme that changed since last time.
    NextChanged,
    /// Show all themes, or only changed, stale, or with open actions.
    CycleFilter,
}

impl Action {
    /// Whether a count before it repeats it (`5j` is `j` five times).
    pub fn repeats(self) -> bool {
        matches!(
            self,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Advance
                | Action::HalfPageDown
                | Action::HalfPageUp
                | Action::LineDown
                | Action::LineUp
                | Action::NextMatch
                | Action::PrevMatch
                | Action::NextChanged
        )
    }
}
