//! Who is watching a served report, as the presenter's footer and viewer
//! overlay show it. Plain data: the server (`serve`) fills it in, the state
//! keeps the last copy, the UI draws it; neither of those two knows SSH.

/// The room: the viewers and how to join.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Room {
    /// Everyone connected, in the order they joined.
    pub viewers: Vec<Viewer>,
    /// The host key's fingerprint (`SHA256:…`), for viewers to check.
    pub fingerprint: String,
    /// The command that joins, e.g. `ssh -p 2222 viewer@host`.
    pub join: String,
    /// The join code for this run, when viewers may join with one.
    pub code: Option<String>,
}

/// One connected viewer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    /// The key's comment, or "code" for a join with the code.
    pub name: String,
    /// Where they connect from.
    pub address: String,
    /// When they joined (Unix seconds).
    pub since: u64,
    /// Following the presenter (`Some(true)`), wandered off (`Some(false)`),
    /// or browsing on their own (`None`: nothing is presented).
    pub following: Option<bool>,
    /// Their terminal's columns and rows.
    pub size: (u16, u16),
}

impl Room {
    /// How many viewers are connected.
    pub fn count(&self) -> usize {
        self.viewers.len()
    }
}
