//! Points in time from the report (`updated`, `next_update`, `due`).
//!
//! TOML offers offset date-times, local date-times and dates. A local one is
//! read in the machine's time zone, as the author in the crisis room meant it.

use std::fmt;

use toml::value::{Datetime, Offset};

/// A moment written in the report: when it is, and how it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// Seconds since the Unix epoch.
    pub unix: i64,
    /// The date and time as written (minus seconds), for display.
    pub text: String,
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Converts a TOML date-time; a time without a date is refused.
pub fn from_toml(dt: &Datetime) -> Result<Stamp, &'static str> {
    let date = dt
        .date
        .ok_or("must include a date, like 2024-05-01T14:30:00 or 2024-05-01")?;
    let (h, m, s) = dt
        .time
        .map_or((0, 0, 0), |t| (t.hour, t.minute, t.second.unwrap_or(0)));
    let days = days_from_civil(
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let naive = days * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s);
    let unix = match dt.offset {
        Some(Offset::Z) => naive,
        Some(Offset::Custom { minutes }) => naive - i64::from(minutes) * 60,
        None => naive - local_offset(naive),
    };
    let text = match dt.time {
        Some(t) => format!("{} {:02}:{:02}", date, t.hour, t.minute),
        None => date.to_string(),
    };
    Ok(Stamp { unix, text })
}

/// A TOML date-time that reads back as `stamp` (the same moment and the
/// same text), for writing a report out again: the offset and seconds the
/// text leaves out are worked out from the moment. A date alone stays a
/// date. `None` for a stamp that no TOML date-time gives.
pub fn to_toml(stamp: &Stamp) -> Option<Datetime> {
    use toml::value::{Date, Time};
    let (date, time) = match stamp.text.split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (stamp.text.as_str(), None),
    };
    let date: Datetime = date.parse().ok()?;
    let date = date.date.filter(|_| date.time.is_none())?;
    let Some(time) = time else {
        return Some(Datetime {
            date: Some(date),
            time: None,
            offset: None,
        });
    };
    let (h, m) = time.split_once(':')?;
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    let Date { year, month, day } = date;
    let naive = days_from_civil(i64::from(year), i64::from(month), i64::from(day)) * 86_400
        + i64::from(h) * 3600
        + i64::from(m) * 60;
    // naive - unix = offset * 60 - seconds, with 0 <= seconds < 60.
    let gap = naive - stamp.unix;
    let minutes = gap.div_euclid(60) + i64::from(gap.rem_euclid(60) != 0);
    let second = u8::try_from(minutes * 60 - gap).ok()?;
    let minutes = i16::try_from(minutes)
        .ok()
        .filter(|m| (-1439..=1439).contains(m))?;
    Some(Datetime {
        date: Some(date),
        time: Some(Time {
            hour: h,
            minute: m,
            second: Some(second),
            nanosecond: None,
        }),
        offset: Some(toml::value::Offset::Custom { minutes }),
    })
}

/// `unix` as local "YYYY-MM-DD HH:MM", the way stamps are shown.
pub fn local_text(unix: i64) -> String {
    let local = unix + crate::sys::local_time(unix).map_or(0, |t| t.offset);
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60
    )
}

// The inverse of `days_from_civil` (Howard Hinnant's civil-from-days).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Age as people say it in a hurry: "now", "12m", "3h", "2d".
pub fn age(seconds: i64) -> String {
    match seconds {
        s if s < 60 => "0m".into(),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

/// Parses a duration like "90m", "2h", "1d" or "45s" into seconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a duration; write e.g. 90m, 2h or 1d"))?;
    let scale = match unit {
        "s" => 1,
        "m" | "" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("`{s}`: the unit must be s, m, h or d")),
    };
    Ok(n.saturating_mul(scale))
}

// Howard Hinnant's days-from-civil: exact for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `unix` as an RFC 3339 time in UTC, to the second (`2026-12-01T10:20:03Z`).
pub fn utc(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    // The inverse of `days_from_civil` (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

// The local time zone's offset from UTC at about `naive` (seconds).
fn local_offset(naive: i64) -> i64 {
    crate::sys::local_time(naive).map_or(0, |t| t.offset)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_is_the_inverse_of_reading_a_date() {
        assert_eq!(super::utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::utc(951_782_400), "2000-02-29T00:00:00Z");
        let dt: toml::value::Datetime = "2026-12-01T10:20:03Z".parse().expect("datetime");
        let unix = super::from_toml(&dt).expect("stamp").unix;
        assert_eq!(super::utc(unix), "2026-12-01T10:20:03Z");
    }

    use super::*;

    fn dt(s: &str) -> Datetime {
        s.parse().expect("datetime")
    }

    #[test]
    fn offset_datetimes_are_exact() {
        let s = from_toml(&dt("2024-05-01T14:30:00+02:00")).expect("valid");
        assert_eq!(s.unix, 1_714_566_600);
        assert_eq!(s.text, "2024-05-01 14:30");
        assert_eq!(
            from_toml(&dt("1970-01-01T00:00:00Z")).expect("epoch").unix,
            0
        );
        assert_eq!(
            from_toml(&dt("2000-03-01")).map(|s| s.text),
            Ok("2000-03-01".into())
        );
    }

    #[test]
    fn a_stamp_is_written_back_as_the_same_moment_and_text() {
        for s in [
            "2024-05-01T14:30:00+02:00",
            "2024-05-01T14:30:59-09:30",
            "2024-05-01T00:00:07Z",
            "2024-05-01T14:30:00",
            "2024-05-01",
            "1969-12-31T23:59:59+14:00",
        ] {
            let stamp = from_toml(&dt(s)).expect("valid");
            let back = to_toml(&stamp).expect("writable");
            assert_eq!(from_toml(&back), Ok(stamp.clone()), "{s} → {back}");
        }
        let odd = Stamp {
            unix: 0,
            text: "yesterday".into(),
        };
        assert_eq!(to_toml(&odd), None);
    }

    #[test]
    fn days_go_back_to_the_civil_date() {
        for (y, m, d) in [
            (1970, 1, 1),
            (2000, 2, 29),
            (2026, 11, 27),
            (1969, 12, 31),
            (2400, 3, 1),
        ] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
    }

    #[test]
    fn a_time_alone_is_refused() {
        assert!(from_toml(&dt("14:30:00")).is_err());
    }

    #[test]
    fn ages_are_compact() {
        assert_eq!(age(5), "0m");
        assert_eq!(age(12 * 60 + 5), "12m");
        assert_eq!(age(3 * 3600 + 59), "3h");
        assert_eq!(age(2 * 86_400 + 1), "2d");
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("2h"), Ok(7200));
        assert_eq!(parse_duration("90m"), Ok(5400));
        assert_eq!(parse_duration("1d"), Ok(86_400));
        assert_eq!(parse_duration("30"), Ok(1800));
        assert!(parse_duration("2w").is_err());
        assert!(parse_duration("h").is_err());
    }
}
