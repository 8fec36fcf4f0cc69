//! Dates and durations: `now`, `date`, `dateInZone`, `htmlDate`,
//! `htmlDateInZone`, `dateModify`, `toDate`, `unixEpoch`, `ago`,
//! `duration`, `durationRound` and their aliases.
//!
//! Template values have no time type, so a time is its Unix seconds (an
//! int): sprig's date functions take ints as Unix seconds too, so
//! `now | date "2006-01-02"` and `toDate … | unixEpoch` behave as in
//! Helm; only printing a time itself differs (seconds, not Go's
//! `2006-01-02 15:04:05 +0000 UTC`), and sub-second precision is lost.
//! Layouts are Go's reference-time layouts, written and read here; the
//! calendar arithmetic under them is `jiff`'s. Zones: `UTC`, and `Local`
//! taken as UTC (the renderer's machines run in UTC; Helm uses the
//! machine's zone); another zone name is refused rather than guessed.

use std::time::{SystemTime, UNIX_EPOCH};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

use super::{Table, Value, fail, str_arg};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["now"], Exact(0), |_| Ok(Value::Int(now())));
    table.add(&["date"], Exact(2), |a| {
        Ok(format_in_zone(str_arg(a, 0)?, &a[1], "Local")?.into())
    });
    table.add(&["dateInZone", "date_in_zone"], Exact(3), |a| {
        Ok(format_in_zone(str_arg(a, 0)?, &a[1], str_arg(a, 2)?)?.into())
    });
    table.add(&["htmlDate"], Exact(1), |a| {
        Ok(format_in_zone("2006-01-02", &a[0], "Local")?.into())
    });
    table.add(&["htmlDateInZone"], Exact(2), |a| {
        Ok(format_in_zone("2006-01-02", &a[0], str_arg(a, 1)?)?.into())
    });
    table.add(&["dateModify", "date_modify"], Exact(2), |a| {
        let date = time_arg(a, 1)?;
        Ok(Value::Int(match parse_duration(str_arg(a, 0)?) {
            Some(nanos) => date + nanos / 1_000_000_000,
            None => date,
        }))
    });
    table.add(&["mustDateModify", "must_date_modify"], Exact(2), |a| {
        let date = time_arg(a, 1)?;
        let text = str_arg(a, 0)?;
        let nanos = parse_duration(text).ok_or_else(|| {
            fail(format!(
                "time: invalid duration {}",
                super::sprint(&text.into())
            ))
        })?;
        Ok(Value::Int(date + nanos / 1_000_000_000))
    });
    table.add(&["toDate"], Exact(2), |a| {
        Ok(Value::Int(
            parse_layout(str_arg(a, 0)?, str_arg(a, 1)?).unwrap_or(ZERO_TIME),
        ))
    });
    table.add(&["mustToDate"], Exact(2), |a| {
        let (layout, text) = (str_arg(a, 0)?, str_arg(a, 1)?);
        let seconds = parse_layout(layout, text)
            .ok_or_else(|| fail(format!("parsing time {text:?} as {layout:?}: cannot parse")))?;
        Ok(Value::Int(seconds))
    });
    table.add(&["unixEpoch"], Exact(1), |a| {
        Ok(time_arg(a, 0)?.to_string().into())
    });
    table.add(&["ago"], Exact(1), |a| {
        let then = match &a[0] {
            Value::Int(seconds) => *seconds,
            _ => now(),
        };
        Ok(go_duration(i128::from(now() - then) * 1_000_000_000).into())
    });
    // sprig takes a string or an int64; a template's int is neither, so
    // Go gives 0s for it.
    table.add(&["duration"], Exact(1), |a| {
        let seconds = match &a[0] {
            Value::String(s) => s.parse::<i64>().unwrap_or(0),
            _ => 0,
        };
        Ok(go_duration(i128::from(seconds) * 1_000_000_000).into())
    });
    table.add(&["durationRound"], Exact(1), |a| {
        let nanos = match &a[0] {
            Value::String(s) => parse_duration(s).unwrap_or(0),
            _ => 0,
        };
        Ok(duration_round(nanos).into())
    });
}

/// Go's zero `time.Time` (January 1, year 1, UTC) in Unix seconds, what a
/// failed `toDate` gives.
const ZERO_TIME: i64 = -62_135_596_800;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A `time.Time` argument (here: Unix seconds).
fn time_arg(args: &[Value], index: usize) -> Result<i64, FuncError> {
    match &args[index] {
        Value::Int(seconds) => Ok(*seconds),
        other => Err(super::wrong_type(index, "time.Time", other)),
    }
}

/// sprig's `dateInZone`: ints are Unix seconds, anything else is now.
fn format_in_zone(layout: &str, date: &Value, zone: &str) -> Result<String, FuncError> {
    let seconds = match date {
        Value::Int(seconds) => *seconds,
        _ => now(),
    };
    if !matches!(zone, "UTC" | "Local" | "") {
        return Err(fail(format!(
            "time zone {zone:?} is not supported by upbound-connect's renderer (only UTC)"
        )));
    }
    Ok(format_layout(layout, seconds))
}

/// Seconds in 400 Gregorian years, after which the calendar (weekdays
/// included) repeats. Go's times span far more years than jiff's (±9999),
/// so a time is moved by whole cycles into jiff's range and back.
const CYCLE_SECONDS: i64 = 146_097 * 86_400;
/// Years in one [`CYCLE_SECONDS`].
const CYCLE_YEARS: i64 = 400;

/// A time's civil date and time in UTC: jiff's, with Go's unbounded year.
struct Civil {
    year: i64,
    at: DateTime,
}

fn civil(seconds: i64) -> Civil {
    let cycles = seconds.div_euclid(CYCLE_SECONDS);
    let within = Timestamp::from_second(seconds.rem_euclid(CYCLE_SECONDS))
        .expect("the 400 years after 1970 are in jiff's range");
    let at = Offset::UTC.to_datetime(within);
    Civil {
        year: i64::from(at.year()) + cycles * CYCLE_YEARS,
        at,
    }
}

/// Unix seconds of a civil date and time in UTC (`None` if there is no
/// such date or time).
fn unix_seconds(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<i64> {
    let cycles = (year - 1970).div_euclid(CYCLE_YEARS);
    let small = |n: u32| i8::try_from(n).ok();
    let at = DateTime::new(
        i16::try_from(year - cycles * CYCLE_YEARS).ok()?,
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
        0,
    )
    .ok()?;
    let within = Offset::UTC.to_timestamp(at).ok()?.as_second();
    Some(within + cycles * CYCLE_SECONDS)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A token of a Go layout, longest first where they share a prefix.
const TOKENS: &[&str] = &[
    "January",
    "Monday",
    "Jan",
    "Mon",
    "MST",
    "2006",
    "002",
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "15",
    "__2",
    "_2",
    "1",
    "2",
    "3",
    "4",
    "5",
    "PM",
    "pm",
    "-07:00:00",
    "-070000",
    "-07:00",
    "-0700",
    "-07",
    "Z07:00:00",
    "Z070000",
    "Z07:00",
    "Z0700",
    "Z07",
];

/// The layout token at the start of `rest`, if any (fractional seconds
/// `.000`/`.999` included).
fn token(rest: &str) -> Option<&str> {
    if let Some(tail) = rest.strip_prefix(['.', ',']) {
        let run = tail
            .bytes()
            .take_while(|&b| b == b'0')
            .count()
            .max(tail.bytes().take_while(|&b| b == b'9').count());
        let next_is_digit = tail.as_bytes().get(run).is_some_and(u8::is_ascii_digit);
        if run > 0 && !next_is_digit {
            return Some(&rest[..=run]);
        }
        return None;
    }
    TOKENS.iter().find(|t| rest.starts_with(**t)).copied()
}

/// Go's `Time.Format` in UTC.
fn format_layout(layout: &str, seconds: i64) -> String {
    let Civil { year, at } = civil(seconds);
    let (month, weekday) = (
        at.month() as usize,
        at.weekday().to_sunday_zero_offset() as usize,
    );
    let hour12 = match at.hour() % 12 {
        0 => 12,
        hour => hour,
    };
    let mut out = String::new();
    let mut rest = layout;
    while let Some(ch) = rest.chars().next() {
        let Some(tok) = token(rest) else {
            out.push(ch);
            rest = &rest[ch.len_utf8()..];
            continue;
        };
        let text = match tok {
            "January" => MONTHS[month - 1].to_owned(),
            "Jan" => MONTHS[month - 1][..3].to_owned(),
            "Monday" => DAYS[weekday].to_owned(),
            "Mon" => DAYS[weekday][..3].to_owned(),
            "MST" => "UTC".to_owned(),
            "2006" => format!("{year:04}"),
            "06" => format!("{:02}", year.rem_euclid(100)),
            "002" => format!("{:03}", at.day_of_year()),
            "__2" => format!("{:>3}", at.day_of_year()),
            "01" => format!("{:02}", at.month()),
            "1" => at.month().to_string(),
            "02" => format!("{:02}", at.day()),
            "_2" => format!("{:>2}", at.day()),
            "2" => at.day().to_string(),
            "15" => format!("{:02}", at.hour()),
            "03" => format!("{hour12:02}"),
            "3" => hour12.to_string(),
            "04" => format!("{:02}", at.minute()),
            "4" => at.minute().to_string(),
            "05" => format!("{:02}", at.second()),
            "5" => at.second().to_string(),
            "PM" => if at.hour() >= 12 { "PM" } else { "AM" }.to_owned(),
            "pm" => if at.hour() >= 12 { "pm" } else { "am" }.to_owned(),
            "-07:00:00" => "+00:00:00".to_owned(),
            "-070000" => "+000000".to_owned(),
            "-07:00" => "+00:00".to_owned(),
            "-0700" => "+0000".to_owned(),
            "-07" => "+00".to_owned(),
            t if t.starts_with('Z') => "Z".to_owned(),
            // Fractional seconds: whole seconds only, so zeros or nothing.
            t if t.as_bytes()[1] == b'0' => format!("{}{}", &t[..1], "0".repeat(t.len() - 1)),
            _ => String::new(),
        };
        out.push_str(&text);
        rest = &rest[tok.len()..];
    }
    out
}

/// Go's `time.ParseInLocation(layout, text, UTC)` for the common tokens,
/// as Unix seconds.
fn parse_layout(layout: &str, text: &str) -> Option<i64> {
    let (mut year, mut month, mut day) = (1i64, 1u32, 1u32);
    let (mut hour, mut minute, mut second, mut pm, mut offset) = (0u32, 0u32, 0u32, None, 0i64);
    let (mut l, mut t) = (layout, text);
    let number = |t: &mut &str, min: usize, max: usize| -> Option<u32> {
        let digits = t.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if digits < min {
            return None;
        }
        let value = t[..digits].parse().ok()?;
        *t = &t[digits..];
        Some(value)
    };
    while let Some(ch) = l.chars().next() {
        let Some(tok) = token(l) else {
            t = t.strip_prefix(ch)?;
            l = &l[ch.len_utf8()..];
            continue;
        };
        match tok {
            "2006" => year = i64::from(number(&mut t, 4, 4)?),
            "06" => {
                let short = i64::from(number(&mut t, 2, 2)?);
                year = if short >= 69 {
                    1900 + short
                } else {
                    2000 + short
                };
            }
            "01" => month = number(&mut t, 2, 2)?,
            "1" => month = number(&mut t, 1, 2)?,
            "02" => day = number(&mut t, 2, 2)?,
            "2" => day = number(&mut t, 1, 2)?,
            "_2" => {
                t = t.strip_prefix(' ').unwrap_or(t);
                day = number(&mut t, 1, 2)?;
            }
            "15" => hour = number(&mut t, 1, 2)?,
            "03" | "3" => hour = number(&mut t, 1, 2)?,
            "04" | "4" => minute = number(&mut t, 1, 2)?,
            "05" | "5" => second = number(&mut t, 1, 2)?,
            "PM" | "pm" => {
                let marker = t.get(..2)?.to_ascii_uppercase();
                pm = Some(marker == "PM");
                t = &t[2..];
            }
            "Jan" | "January" => {
                let index = MONTHS.iter().position(|m| {
                    let name = if tok == "Jan" { &m[..3] } else { m };
                    t.starts_with(name)
                })?;
                let len = if tok == "Jan" { 3 } else { MONTHS[index].len() };
                month = index as u32 + 1;
                t = &t[len..];
            }
            "Mon" | "Monday" => {
                let name = DAYS
                    .iter()
                    .find(|d| t.starts_with(if tok == "Mon" { &d[..3] } else { d }))?;
                t = &t[if tok == "Mon" { 3 } else { name.len() }..];
            }
            "MST" => t = t.strip_prefix("UTC")?,
            _ if tok.starts_with(['-', 'Z']) => {
                if let Some(rest) = t.strip_prefix('Z').filter(|_| tok.starts_with('Z')) {
                    t = rest;
                } else {
                    let sign = match t.as_bytes().first()? {
                        b'+' => 1,
                        b'-' => -1,
                        _ => return None,
                    };
                    t = &t[1..];
                    let hours = i64::from(number(&mut t, 2, 2)?);
                    t = t.strip_prefix(':').unwrap_or(t);
                    let minutes = number(&mut t, 0, 2).map_or(0, i64::from);
                    offset = sign * (hours * 3600 + minutes * 60);
                }
            }
            _ => {
                // Fractional seconds: skip the digits.
                t = t.strip_prefix(['.', ','])?;
                number(&mut t, 0, 9)?;
            }
        }
        l = &l[tok.len()..];
    }
    if !t.is_empty() {
        return None;
    }
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    Some(unix_seconds(year, month, day, hour, minute, second)? - offset)
}

/// Go's `time.ParseDuration`, in nanoseconds.
fn parse_duration(text: &str) -> Option<i64> {
    let (negative, mut rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let digits = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let value: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .bytes()
            .take_while(|b| !b.is_ascii_digit() && *b != b'.')
            .count();
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += value * scale;
    }
    let nanos = total as i64;
    Some(if negative { -nanos } else { nanos })
}

/// Go's `time.Duration.String`.
fn go_duration(nanos: i128) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    if n < 1_000_000_000 {
        let (value, unit) = match n {
            n if n < 1_000 => return format!("{sign}{n}ns"),
            n if n < 1_000_000 => (n as f64 / 1e3, "µs"),
            n => (n as f64 / 1e6, "ms"),
        };
        return format!("{sign}{value}{unit}");
    }
    let seconds = n / 1_000_000_000;
    let fraction = n % 1_000_000_000;
    let (hours, minutes, secs) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let secs = if fraction == 0 {
        secs.to_string()
    } else {
        let digits = format!("{fraction:09}");
        format!("{secs}.{}", digits.trim_end_matches('0'))
    };
    if hours > 0 {
        format!("{sign}{hours}h{minutes}m{secs}s")
    } else if minutes > 0 {
        format!("{sign}{minutes}m{secs}s")
    } else {
        format!("{sign}{secs}s")
    }
}

/// sprig's `durationRound`: the largest whole unit (y, mo, d, h, m, s).
fn duration_round(nanos: i64) -> String {
    let u = nanos.unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    let units: [(u64, &str); 6] = [
        (SECOND * 3600 * 24 * 365, "y"),
        (SECOND * 3600 * 24 * 30, "mo"),
        (SECOND * 3600 * 24, "d"),
        (SECOND * 3600, "h"),
        (SECOND * 60, "m"),
        (SECOND, "s"),
    ];
    for (size, name) in units {
        if u > size {
            return format!("{}{name}", u / size);
        }
    }
    "0s".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_go_layouts() {
        let t = 1_700_000_000; // 2023-11-14 22:13:20 UTC, a Tuesday
        assert_eq!(
            format_layout("Mon Jan _2 15:04:05 MST 2006 -0700 Z07:00 .000 3PM 002", t),
            "Tue Nov 14 22:13:20 UTC 2023 +0000 Z .000 10PM 318"
        );
        assert_eq!(
            parse_layout("2006-01-02 15:04:05", "2023-11-14 22:13:20"),
            Some(t)
        );
        assert_eq!(
            parse_layout("2006-01-02T15:04:05Z07:00", "2023-11-15T00:13:20+02:00"),
            Some(t)
        );
        assert_eq!(parse_layout("2006-01-02", "2023-13-01"), None);
        assert_eq!(parse_duration("1h30m"), Some(5_400_000_000_000));
        assert_eq!(go_duration(5_400_000_000_000), "1h30m0s");
        assert_eq!(duration_round(5_400_000_000_000), "1h");
    }

    #[test]
    fn dates_far_from_the_epoch_and_leap_days() {
        let layout = "2006-01-02 15:04:05 Mon 002";
        let parse = |text| parse_layout("2006-01-02 15:04:05 Mon", text);
        assert_eq!(parse("0001-01-01 00:00:00 Mon"), Some(ZERO_TIME));
        assert_eq!(
            format_layout(layout, ZERO_TIME),
            "0001-01-01 00:00:00 Mon 001"
        );
        let last = 253_402_300_799; // Go's 9999-12-31T23:59:59Z
        assert_eq!(parse("9999-12-31 23:59:59 Fri"), Some(last));
        assert_eq!(format_layout(layout, last), "9999-12-31 23:59:59 Fri 365");
        // Go's years go on past 9999 (and before year 0).
        assert_eq!(
            format_layout(layout, last + 1),
            "10000-01-01 00:00:00 Sat 001"
        );
        assert_eq!(format_layout("2006 Mon", ZERO_TIME - 86_400), "0000 Sun");
        assert_eq!(format_layout(layout, -1), "1969-12-31 23:59:59 Wed 365");
        assert_eq!(
            parse_layout("2006-01-02", "2000-02-29"),
            Some(951_868_799 - 86_399)
        );
        assert_eq!(
            format_layout(layout, 1_709_251_199),
            "2024-02-29 23:59:59 Thu 060"
        );
        assert_eq!(parse_layout("2006-01-02", "1900-02-29"), None);
        assert_eq!(parse_layout("2006-01-02", "2100-02-29"), None);
        assert_eq!(parse_layout("2006-01-02", "2023-04-31"), None);
        assert_eq!(parse_layout("2006-01-02 15:04", "2023-04-30 24:00"), None);
    }
}
