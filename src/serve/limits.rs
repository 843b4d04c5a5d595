//! How many of what the server holds at once, counted by whom.
//!
//! Connections still signing in have a budget of their own, apart from the
//! viewers, so sockets that never sign in can never take a signed-in
//! viewer's place; within it, one address and one network (a /24 of IPv4,
//! a /64 of IPv6: what one attacker usually holds) get only a share.
//! Signed-in connections that are not (yet) a viewer count per identity
//! (a key, or the code from one network), so one way in cannot hold
//! hundreds of connections without a browser.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;

/// Connections still signing in, at most, from anyone.
pub const PENDING: usize = 64;
/// Connections still signing in from one address, at most.
pub const PENDING_PER_ADDRESS: usize = 16;
/// Connections still signing in from one network (/24, /64), at most.
pub const PENDING_PER_NETWORK: usize = 32;
/// Signed-in connections without a browser per identity, at most.
pub const UNUSED_PER_IDENTITY: usize = 8;

/// The network `ip` is in, as one attacker usually holds it: its /24 for
/// IPv4, its /64 for IPv6 (an IPv4-mapped IPv6 address counts as IPv4).
pub fn network(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpAddr::from([a, b, c, 0])
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
        }
    }
}

/// Counts per key, each at most a cap.
#[derive(Debug)]
pub struct Tally<K> {
    counts: HashMap<K, usize>,
}

impl<K> Default for Tally<K> {
    fn default() -> Self {
        Tally {
            counts: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq> Tally<K> {
    /// Counts one more for `key`, unless it already has `cap`.
    pub fn add(&mut self, key: K, cap: usize) -> bool {
        let n = self.counts.entry(key).or_insert(0);
        if *n >= cap {
            return false;
        }
        *n += 1;
        true
    }

    /// Counts one less for `key` (forgotten at zero, so the map stays small).
    pub fn remove(&mut self, key: &K) {
        if let Some(n) = self.counts.get_mut(key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.counts.remove(key);
            }
        }
    }

    /// How many `key` has.
    pub fn get(&self, key: &K) -> usize {
        self.counts.get(key).copied().unwrap_or(0)
    }
}

/// Connections still signing in: in all, per address, per network.
#[derive(Debug, Default)]
pub struct Pending {
    total: usize,
    addresses: Tally<IpAddr>,
    networks: Tally<IpAddr>,
}

impl Pending {
    /// Counts a new connection from `ip`, or says why there is no room.
    pub fn enter(&mut self, ip: IpAddr) -> Result<(), &'static str> {
        if self.total >= PENDING {
            return Err("too many connections still signing in");
        }
        if self.addresses.get(&ip) >= PENDING_PER_ADDRESS {
            return Err("too many connections still signing in from this address");
        }
        if !self.networks.add(network(ip), PENDING_PER_NETWORK) {
            return Err("too many connections still signing in from this network");
        }
        self.addresses.add(ip, usize::MAX);
        self.total += 1;
        Ok(())
    }

    /// Forgets a connection from `ip` (signed in, or gone).
    pub fn leave(&mut self, ip: IpAddr) {
        self.addresses.remove(&ip);
        self.networks.remove(&network(ip));
        self.total = self.total.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn a_network_is_a_slash_24_or_a_slash_64() {
        assert_eq!(network(ip("127.0.1.9")), ip("127.0.1.0"));
        assert_eq!(network(ip("2001:db8:1:2:3:4:5:6")), ip("2001:db8:1:2::"));
        assert_eq!(network(ip("::ffff:10.1.2.3")), ip("10.1.2.0"));
    }

    #[test]
    fn one_network_cannot_take_every_place_of_those_signing_in() {
        // The attack: 11 addresses of one /24, 16 idle sockets each.
        let mut p = Pending::default();
        let mut admitted = 0;
        for host in 1..=11 {
            for _ in 0..16 {
                admitted += usize::from(p.enter(ip(&format!("127.0.1.{host}"))).is_ok());
            }
        }
        assert_eq!(admitted, PENDING_PER_NETWORK);
        assert!(
            p.enter(ip("127.0.0.1")).is_ok(),
            "another network still gets in"
        );
        for _ in 0..PENDING_PER_ADDRESS {
            p.enter(ip("10.0.0.1")).expect("room");
        }
        assert_eq!(
            p.enter(ip("10.0.0.1")),
            Err("too many connections still signing in from this address")
        );
        p.leave(ip("10.0.0.1"));
        assert!(p.enter(ip("10.0.0.1")).is_ok(), "a place is freed");
    }

    #[test]
    fn the_budget_of_those_signing_in_is_bounded_in_all() {
        let mut p = Pending::default();
        let mut n = 0;
        'fill: for net in 0..10 {
            for host in 0..PENDING_PER_NETWORK {
                if p.enter(ip(&format!("10.0.{net}.{host}"))).is_err() {
                    break 'fill;
                }
                n += 1;
            }
        }
        assert_eq!(n, PENDING);
        assert_eq!(
            p.enter(ip("192.168.0.1")),
            Err("too many connections still signing in")
        );
    }

    #[test]
    fn a_tally_caps_each_key_and_forgets_at_zero() {
        let mut t = Tally::default();
        for _ in 0..UNUSED_PER_IDENTITY {
            assert!(t.add("key", UNUSED_PER_IDENTITY));
        }
        assert!(!t.add("key", UNUSED_PER_IDENTITY));
        assert!(t.add("other", UNUSED_PER_IDENTITY));
        for _ in 0..UNUSED_PER_IDENTITY {
            t.remove(&"key");
        }
        assert_eq!(t.get(&"key"), 0);
        assert!(t.counts.len() == 1);
    }
}
