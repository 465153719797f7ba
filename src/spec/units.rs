//! Small validated value types: a percentage, a duration, a local date and time.
//!
//! Each rejects bad input while it is read, so the error carries the line, column and field.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A share of traffic or users, 1–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u8);

impl Percent {
    pub fn new(value: u64) -> Option<Percent> {
        (1..=100).contains(&value).then_some(Percent(value as u8))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Percent, D::Error> {
        struct PercentVisitor;
        impl Visitor<'_> for PercentVisitor {
            type Value = Percent;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a percentage 1–100")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percent, E> {
                Percent::new(v).ok_or_else(|| E::custom(format!("expected a percentage 1–100, found {v}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percent, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!("expected a percentage 1–100, found {v}"))),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Percent, E> {
                Err(E::custom(format!("expected a whole percentage 1–100, found {v}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Percent, E> {
                let digits = v.trim().trim_end_matches('%').trim_end();
                match digits.parse::<u64>() {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::custom(format!("expected a percentage 1–100, found {v:?}"))),
                }
            }
        }
        d.deserialize_any(PercentVisitor)
    }
}

/// A length of time, written like `90s`, `15m`, `1h30m` or `2d`; kept in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Duration(u32);

/// The longest duration planb accepts (30 days); longer values are almost surely typos.
const MAX_SECONDS: u64 = 30 * 86_400;

impl Duration {
    pub const ZERO: Duration = Duration(0);

    pub fn from_secs(secs: u32) -> Duration {
        Duration(secs)
    }

    pub const fn from_mins(mins: u32) -> Duration {
        Duration(mins.saturating_mul(60))
    }

    pub fn as_secs(self) -> u32 {
        self.0
    }

    /// Adds two durations, saturating rather than overflowing.
    pub fn saturating_add(self, other: Duration) -> Duration {
        Duration(self.0.saturating_add(other.0))
    }

    /// Parses `90s`, `15m`, `1h30m`, `2d`, `1h 30m` (units d, h, m, s, in that order).
    pub fn parse(text: &str) -> Result<Duration, String> {
        let expected = || format!("expected a duration like 90s, 15m or 1h30m, found {text:?}");
        let mut total: u64 = 0;
        let mut number: Option<u64> = None;
        let mut last_unit = 0u8;
        let mut seen_any = false;
        for c in text.trim().chars() {
            match c {
                '0'..='9' => {
                    let digit = u64::from(c as u8 - b'0');
                    number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(digit));
                }
                ' ' => {}
                'd' | 'h' | 'm' | 's' => {
                    let (rank, scale) = match c {
                        'd' => (1, 86_400),
                        'h' => (2, 3_600),
                        'm' => (3, 60),
                        _ => (4, 1),
                    };
                    let n = number.take().ok_or_else(expected)?;
                    if rank <= last_unit {
                        return Err(expected());
                    }
                    last_unit = rank;
                    total = total.saturating_add(n.saturating_mul(scale));
                    seen_any = true;
                }
                _ => return Err(expected()),
            }
        }
        if number.is_some() {
            return Err(if seen_any {
                expected()
            } else {
                format!("expected a duration with a unit (s, m, h or d), e.g. \"{}m\"", text.trim())
            });
        }
        if !seen_any {
            return Err(expected());
        }
        if total > MAX_SECONDS {
            return Err(format!("expected a duration of at most 30d, found {text:?}"));
        }
        Ok(Duration(total as u32))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        if rest == 0 {
            return f.write_str("0m");
        }
        for (unit, scale) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
            if rest >= scale {
                write!(f, "{}{unit}", rest / scale)?;
                rest %= scale;
            }
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        d.deserialize_str(ParseVisitor("a duration like 90s, 15m or 1h30m", Duration::parse))
    }
}

/// Parses a string inside the deserializer, so a parse error carries the value's own position.
struct ParseVisitor<T>(&'static str, fn(&str) -> Result<T, String>);

impl<T> Visitor<'_> for ParseVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.1)(v).map_err(E::custom)
    }
}

/// A local date and time, `YYYY-MM-DD HH:MM` (a `T` may stand for the space).
///
/// The time zone is a separate field of the change window, so this stays local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    /// Minutes since 1970-01-01 00:00, used to compare and subtract.
    minutes: i64,
}

impl LocalTime {
    pub fn parse(text: &str) -> Result<LocalTime, String> {
        let expected = || format!("expected a date and time like \"2026-12-03 20:00\", found {text:?}");
        let b = text.trim().as_bytes();
        if b.len() != 16 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b' ' | b'T') || b[13] != b':' {
            return Err(expected());
        }
        let num = |range: std::ops::Range<usize>| -> Result<i64, String> {
            let part = &b[range];
            if part.iter().all(u8::is_ascii_digit) {
                Ok(part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
            } else {
                Err(expected())
            }
        };
        let (year, month, day, hour, minute) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 {
            return Err(expected());
        }
        Ok(LocalTime { minutes: days_from_civil(year, month, day) * 1440 + hour * 60 + minute })
    }

    /// Minutes from `self` to `later` (negative when `later` is earlier).
    pub fn minutes_until(self, later: LocalTime) -> i64 {
        later.minutes - self.minutes
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Inverse of days_from_civil (Hinnant's `civil_from_days`).
        let days = self.minutes.div_euclid(1440);
        let mins = self.minutes.rem_euclid(1440);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        write!(f, "{year:04}-{month:02}-{day:02} {:02}:{:02}", mins / 60, mins % 60)
    }
}

impl Serialize for LocalTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LocalTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LocalTime, D::Error> {
        d.deserialize_str(ParseVisitor("a date and time like \"2026-12-03 20:00\"", LocalTime::parse))
    }
}

#[cfg(test)]
mod test_support {
    //! Schema and fuzzing descriptions of the value types, for tests only.
    use super::*;
    use arbitrary::{Arbitrary, Unstructured};
    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use std::borrow::Cow;

    impl JsonSchema for Percent {
        fn schema_name() -> Cow<'static, str> {
            "Percent".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({ "description": "A percentage, 1–100 (a trailing % is allowed in a string).",
                           "type": ["integer", "string"], "minimum": 1, "maximum": 100 })
        }
    }

    impl JsonSchema for Duration {
        fn schema_name() -> Cow<'static, str> {
            "Duration".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({ "description": "A duration such as 90s, 15m, 1h30m or 2d (at most 30d).",
                           "type": "string", "pattern": "^\\s*(\\d+\\s*d)?\\s*(\\d+\\s*h)?\\s*(\\d+\\s*m)?\\s*(\\d+\\s*s)?\\s*$" })
        }
    }

    impl JsonSchema for LocalTime {
        fn schema_name() -> Cow<'static, str> {
            "LocalTime".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({ "description": "Local date and time, YYYY-MM-DD HH:MM.",
                           "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}$" })
        }
    }

    impl<'a> Arbitrary<'a> for Percent {
        fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Percent> {
            Ok(Percent(u.int_in_range(1..=100)?))
        }
    }

    impl<'a> Arbitrary<'a> for Duration {
        fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Duration> {
            Ok(Duration(u.int_in_range(0..=MAX_SECONDS as u32)?))
        }
    }

    impl<'a> Arbitrary<'a> for LocalTime {
        fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<LocalTime> {
            // From 1970 to about 2099.
            Ok(LocalTime { minutes: u.int_in_range(0..=68_000_000)? })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print_in_canonical_form() {
        for (input, secs, shown) in [
            ("90s", 90, "1m30s"),
            ("15m", 900, "15m"),
            ("1h30m", 5400, "1h30m"),
            ("1h 30m", 5400, "1h30m"),
            ("2d", 172_800, "2d"),
        ] {
            let d = Duration::parse(input).unwrap();
            assert_eq!(d.as_secs(), secs, "{input}");
            assert_eq!(d.to_string(), shown);
            assert_eq!(Duration::parse(shown).unwrap(), d);
        }
    }

    #[test]
    fn durations_reject_missing_units_order_and_excess() {
        assert!(Duration::parse("15").unwrap_err().contains("with a unit"));
        assert!(Duration::parse("30m1h").is_err());
        assert!(Duration::parse("5 minutes").is_err());
        assert!(Duration::parse("").is_err());
        assert!(Duration::parse("31d").unwrap_err().contains("at most 30d"));
    }

    #[test]
    fn local_times_round_trip_and_subtract() {
        let a = LocalTime::parse("2026-12-31 23:30").unwrap();
        let b = LocalTime::parse("2027-01-01T01:00").unwrap();
        assert_eq!(a.minutes_until(b), 90);
        assert_eq!(b.to_string(), "2027-01-01 01:00");
        assert_eq!(LocalTime::parse("2024-02-29 00:00").unwrap().to_string(), "2024-02-29 00:00");
        assert!(LocalTime::parse("2025-02-29 00:00").is_err());
        assert!(LocalTime::parse("2026-13-01 00:00").is_err());
        assert!(LocalTime::parse("tomorrow").is_err());
    }

    #[test]
    fn the_longest_duration_is_thirty_days_exactly() {
        assert_eq!(Duration::parse("30d").unwrap().as_secs(), 30 * 86_400);
        assert!(Duration::parse("30d1s").unwrap_err().contains("at most 30d"));
        assert_eq!(Duration::from_secs(90).to_string(), "1m30s");
    }

    #[test]
    fn a_date_is_refused_for_any_one_part_out_of_shape() {
        // Each of these breaks one rule of `YYYY-MM-DD HH:MM` and keeps the others.
        for text in [
            "2026-12-03 20:001",
            "2026/12-03 20:00",
            "2026-12/03 20:00",
            "2026-12-03_20:00",
            "2026-12-03 20.00",
            "2026-12-03 24:00",
            "2026-12-03 23:60",
            "2026-12-00 20:00",
            "2026-00-03 20:00",
        ] {
            assert!(LocalTime::parse(text).is_err(), "{text} was accepted");
        }
        assert!(LocalTime::parse("2026-12-03 23:59").is_ok());
    }

    #[test]
    fn months_have_their_calendar_lengths_and_leap_years_theirs() {
        // Gregorian: every 4th year is a leap year, but not every 100th, though every 400th.
        for (date, valid) in [
            ("2024-02-29", true),
            ("2023-02-29", false),
            ("1900-02-29", false),
            ("2000-02-29", true),
            ("2100-02-28", true),
            ("2100-02-29", false),
            ("2026-04-30", true),
            ("2026-04-31", false),
            ("2026-06-31", false),
            ("2026-09-31", false),
            ("2026-11-31", false),
            ("2026-12-31", true),
            ("2026-01-31", true),
            ("2026-07-31", true),
        ] {
            assert_eq!(LocalTime::parse(&format!("{date} 12:00")).is_ok(), valid, "{date}");
        }
    }

    #[test]
    fn every_date_prints_as_it_was_written() {
        // Across century and leap-year boundaries, and both sides of the epoch.
        for text in [
            "1969-12-31 23:59",
            "1970-01-01 00:00",
            "1999-12-31 23:59",
            "2000-02-29 12:00",
            "2000-03-01 00:00",
            "2024-02-29 08:15",
            "2026-12-03 20:00",
            "2099-12-31 23:59",
            "2100-03-01 00:01",
            "2400-02-29 06:30",
        ] {
            assert_eq!(LocalTime::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn a_percentage_prints_with_its_sign() {
        assert_eq!(Percent::new(25).unwrap().to_string(), "25%");
    }
}
