//! Dates and durations: `now`, `date`, `dateInZone`, `htmlDate`,
//! `htmlDateInZone`, `dateModify`, `toDate`, `unixEpoch`, `ago`,
//! `duration`, `durationRound` and their aliases.
//!
//! Template values have no time type, so a time is its Unix seconds (an
//! int): sprig's date functions take ints as Unix seconds too, so
//! `now | date "2006-01-02"` and `toDate … | unixEpoch` behave as in
//! Helm; only printing a time itself differs (seconds, not Go's
//! `2006-01-02 15:04:05 +0000 UTC`), and sub-second precision is lost.
//! Layouts are Go's reference-time layouts. Zones: `UTC`, and `Local`
//! taken as UTC (the renderer's machines run in UTC; Helm uses the
//! machine's zone); another zone name is refused rather than guessed.

use std::time::{SystemTime, UNIX_EPOCH};

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

/// A civil date and time in UTC.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: usize,
    year_day: u32,
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

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(seconds: i64) -> Civil {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let year_day = (days - days_from_civil(year, 1, 1) + 1) as u32;
    Civil {
        year,
        month,
        day,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        weekday: (days + 4).rem_euclid(7) as usize,
        year_day,
    }
}

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
    let c = civil(seconds);
    let hour12 = if c.hour.is_multiple_of(12) {
        12
    } else {
        c.hour % 12
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
            "January" => MONTHS[c.month as usize - 1].to_owned(),
            "Jan" => MONTHS[c.month as usize - 1][..3].to_owned(),
            "Monday" => DAYS[c.weekday].to_owned(),
            "Mon" => DAYS[c.weekday][..3].to_owned(),
            "MST" => "UTC".to_owned(),
            "2006" => format!("{:04}", c.year),
            "06" => format!("{:02}", c.year.rem_euclid(100)),
            "002" => format!("{:03}", c.year_day),
            "__2" => format!("{:>3}", c.year_day),
            "01" => format!("{:02}", c.month),
            "1" => c.month.to_string(),
            "02" => format!("{:02}", c.day),
            "_2" => format!("{:>2}", c.day),
            "2" => c.day.to_string(),
            "15" => format!("{:02}", c.hour),
            "03" => format!("{hour12:02}"),
            "3" => hour12.to_string(),
            "04" => format!("{:02}", c.minute),
            "4" => c.minute.to_string(),
            "05" => format!("{:02}", c.second),
            "5" => c.second.to_string(),
            "PM" => if c.hour >= 12 { "PM" } else { "AM" }.to_owned(),
            "pm" => if c.hour >= 12 { "pm" } else { "am" }.to_owned(),
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
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !t.is_empty() || day == 0 || day > month_days {
        return None;
    }
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset)
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
}
