//! Who may join: the keys of an OpenSSH `authorized_keys` file, a join code
//! made fresh for each run, and a per-address and per-network limit on failures.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use rand::RngExt;
use russh::keys::ssh_key::authorized_keys::Entry;
use russh::keys::ssh_key::{Algorithm, HashAlg, PublicKey};
use subtle::ConstantTimeEq;

use super::ServeError;
use super::limits::network;
use crate::text::{inline, shown_path};

/// Options of an `authorized_keys` line that restrict what a key may do:
/// a viewer may do none of those things anyway. `pty` (as in `restrict,pty`,
/// the line the sshd `ForceCommand` account uses) allows only what every
/// viewer gets, a terminal or none. Any other option (`from=`, `command=`,
/// `expiry-time=`…) is a promise this server would not keep, so a file with
/// one is refused rather than half obeyed.
const HARMLESS_OPTIONS: &[&str] = &[
    "restrict",
    "pty",
    "no-port-forwarding",
    "no-agent-forwarding",
    "no-x11-forwarding",
    "no-user-rc",
];

/// A key that may join, and the viewer it names.
#[derive(Clone, Debug)]
pub struct Allowed {
    /// The key.
    pub key: PublicKey,
    /// Its comment, shown as the viewer's name (sanitised).
    pub name: String,
}

/// The keys that may join.
#[derive(Clone, Debug, Default)]
pub struct Keys {
    allowed: Vec<Allowed>,
}

impl Keys {
    /// Reads an OpenSSH `authorized_keys` file; returns the keys and a
    /// warning for each line that cannot be used here (an RSA key).
    pub fn load(path: &Path) -> Result<(Keys, Vec<String>), ServeError> {
        let text = std::fs::read_to_string(path).map_err(|e| ServeError::Keys {
            path: path.to_owned(),
            line: 0,
            reason: crate::report::describe_io(&e),
        })?;
        Keys::parse(&text, path)
    }

    /// Parses the text of an `authorized_keys` file read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<(Keys, Vec<String>), ServeError> {
        let (mut allowed, mut warnings) = (Vec::new(), Vec::new());
        let at = |line: usize, reason: String| ServeError::Keys {
            path: path.to_owned(),
            line,
            reason,
        };
        for (i, line) in text.lines().enumerate() {
            let (n, line) = (i + 1, line.trim());
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry: Entry = line.parse().map_err(|e| {
                at(
                    n,
                    format!("not an OpenSSH public key line ({e}); copy the line from the viewer's ~/.ssh/id_ed25519.pub"),
                )
            })?;
            for option in entry.config_opts().iter() {
                let name = option.split('=').next().unwrap_or(option);
                if !HARMLESS_OPTIONS.contains(&name.to_ascii_lowercase().as_str()) {
                    return Err(at(
                        n,
                        format!(
                            "the option `{}` is not supported here; remove it (a viewer can only read anyway)",
                            inline(name)
                        ),
                    ));
                }
            }
            let key = entry.public_key().clone();
            let name = inline(key.comment().as_str_lossy());
            // Built without RSA (its crate has an unfixed timing advisory,
            // RUSTSEC-2023-0071): such a key could never sign in.
            if matches!(key.algorithm(), Algorithm::Rsa { .. }) {
                warnings.push(format!(
                    "{}:{n}: skipping the RSA key of {}: only ed25519 and ECDSA keys can join (ssh-keygen -t ed25519 makes one)",
                    shown_path(path),
                    if name.is_empty() { "(no name)" } else { &name },
                ));
                continue;
            }
            allowed.push(Allowed { key, name });
        }
        if allowed.is_empty() {
            return Err(at(
                0,
                "holds no key that can join; add viewers' ed25519 public keys, one per line".into(),
            ));
        }
        Ok((Keys { allowed }, warnings))
    }

    /// The entry for `key`: the key material decides, never the comment.
    pub fn find(&self, key: &PublicKey) -> Option<&Allowed> {
        self.allowed
            .iter()
            .find(|a| a.key.key_data() == key.key_data())
    }

    /// How many keys may join.
    pub fn len(&self) -> usize {
        self.allowed.len()
    }

    /// Whether no key may join.
    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty()
    }
}

/// A key's SHA-256 fingerprint, as `ssh-keygen -l` writes it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The letters of a join code: no 0/O, 1/I/L, so it can be read aloud and
/// typed from a wall screen without doubt.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a code: 12 of 31 is 59 bits, far beyond what three tries
/// per connection and the per-address limit let anyone guess.
const CODE_LEN: usize = 12;

/// The join code of this run.
#[derive(Clone)]
pub struct JoinCode(String);

impl JoinCode {
    /// A fresh random code, from the operating system's generator.
    pub fn fresh() -> JoinCode {
        let mut rng = rand::rng();
        JoinCode(
            (0..CODE_LEN)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect(),
        )
    }

    /// As shown: in groups of four, `K7QX-M2PD-9FRT`.
    pub fn shown(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Whether `typed` is the code: case, dashes and spaces do not matter;
    /// compared in constant time.
    pub fn matches(&self, typed: &str) -> bool {
        let typed: String = typed
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        typed.len() == self.0.len() && bool::from(typed.as_bytes().ct_eq(self.0.as_bytes()))
    }
}

impl std::fmt::Debug for JoinCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JoinCode(…)")
    }
}

/// Failures allowed per address in [`WINDOW`] before it is turned away.
pub const FAILURES_PER_WINDOW: u32 = 10;
/// The window of the per-address limit.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Addresses remembered at most (a flood of addresses forgets the oldest).
const REMEMBERED: usize = 10_000;

/// Wrong codes per source address and per network (a /24 of IPv4, a /64
/// of IPv6, which one attacker holds as easily as one address): after too
/// many from either, codes from there are refused unchecked until its
/// window has passed, so guessing is capped at [`FAILURES_PER_WINDOW`] a
/// minute per network. Keys still work from there; a shared NAT address
/// can be blocked for code joins by that many wrong codes a minute.
#[derive(Debug, Default)]
pub struct Failures {
    addresses: Window,
    networks: Window,
}

impl Failures {
    /// Whether `ip` may try (again).
    pub fn allowed(&mut self, ip: IpAddr, now: Instant) -> bool {
        self.addresses.allowed(ip, now) && self.networks.allowed(network(ip), now)
    }

    /// Counts a failure of `ip`.
    pub fn failed(&mut self, ip: IpAddr, now: Instant) {
        self.addresses.failed(ip, now);
        self.networks.failed(network(ip), now);
    }
}

// Failures per key in the current window of each.
#[derive(Debug, Default)]
struct Window {
    seen: HashMap<IpAddr, (Instant, u32)>,
}

impl Window {
    fn allowed(&self, key: IpAddr, now: Instant) -> bool {
        match self.seen.get(&key) {
            Some(&(since, n)) if now.duration_since(since) < WINDOW => n < FAILURES_PER_WINDOW,
            _ => true,
        }
    }

    fn failed(&mut self, key: IpAddr, now: Instant) {
        if self.seen.len() >= REMEMBERED {
            self.seen
                .retain(|_, (t, _)| now.duration_since(*t) < WINDOW);
        }
        let e = self.seen.entry(key).or_insert((now, 0));
        if now.duration_since(e.0) >= WINDOW {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEvbw8NAmuKe7TzkbJ7Vr/GOiVdSZw1WoA+jGQrREWcY";

    #[test]
    fn a_code_is_typed_any_way_but_must_be_all_there() {
        let code = JoinCode::fresh();
        let shown = code.shown();
        assert_eq!(shown.len(), 14, "{shown}");
        assert!(code.matches(&shown));
        assert!(code.matches(&shown.to_lowercase().replace('-', " ")));
        assert!(!code.matches(&shown[..13]));
        assert!(!code.matches(""));
        assert_ne!(JoinCode::fresh().shown(), shown, "fresh every run");
    }

    #[test]
    fn keys_name_viewers_and_refuse_what_they_cannot_keep() {
        let path = Path::new("keys.pub");
        let (keys, warnings) =
            Keys::parse(&format!("# the room\n\n{ED} alice@laptop\n"), path).expect("keys");
        assert_eq!(keys.len(), 1);
        assert!(warnings.is_empty());
        assert_eq!(keys.allowed[0].name, "alice@laptop");
        let e = Keys::parse(&format!("from=\"10.0.0.1\" {ED} bob\n"), path).expect_err("from=");
        assert!(e.to_string().contains("keys.pub:1"), "{e}");
        assert!(e.to_string().contains("from"), "{e}");
        let (keys, _) = Keys::parse(&format!("restrict {ED} carol\n"), path).expect("restrict");
        assert_eq!(keys.len(), 1);
        // The line README gives the sshd account works here too.
        let (keys, _) =
            Keys::parse(&format!("restrict,pty {ED} dave\n"), path).expect("restrict,pty");
        assert_eq!(keys.allowed[0].name, "dave");
        let e = Keys::parse(&format!("restrict,pty,command=\"sh\" {ED} mallory\n"), path)
            .expect_err("command=");
        assert!(e.to_string().contains("`command`"), "{e}");
        let e = Keys::parse("ssh-ed25519 garbage\n", path).expect_err("garbage");
        assert!(e.to_string().contains("keys.pub:1"), "{e}");
        let e = Keys::parse("# nobody\n", path).expect_err("empty");
        assert!(e.to_string().contains("no key"), "{e}");
    }

    #[test]
    fn a_comment_cannot_control_a_terminal() {
        let (keys, _) =
            Keys::parse(&format!("{ED} evil\x1b]0;owned\x07\n"), Path::new("k")).expect("keys");
        assert!(!keys.allowed[0].name.contains('\x1b'));
    }

    #[test]
    fn only_failures_count_and_only_for_a_while() {
        let (mut f, ip, t) = (
            Failures::default(),
            IpAddr::from([10, 0, 0, 1]),
            Instant::now(),
        );
        for _ in 0..FAILURES_PER_WINDOW {
            assert!(f.allowed(ip, t));
            f.failed(ip, t);
        }
        assert!(!f.allowed(ip, t));
        assert!(
            !f.allowed(IpAddr::from([10, 0, 0, 2]), t),
            "the next address of the network is no way around it"
        );
        assert!(
            f.allowed(IpAddr::from([10, 0, 1, 2]), t),
            "other networks are not slowed"
        );
        let v6 = |last: u16| IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, last]);
        for _ in 0..FAILURES_PER_WINDOW {
            f.failed(v6(1), t);
        }
        assert!(!f.allowed(v6(2), t), "a /64 is one network");
        assert!(f.allowed(ip, t + WINDOW), "the window passes");
    }
}
