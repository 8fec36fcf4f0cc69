//! Dates and durations: `now`, `date`, `dateInZone`, `htmlDate`,
//! `htmlDateInZone`, `dateModify`, `toDate`, `unixEpoch`, `ago`,
//! `duration`, `durationRound` and their aliases.
//!
//! A time is a Go `time.Time` ([`GoTime`]): an instant to the nanosecond
//! and the zone it is shown in, so `toDate` of a text with an offset keeps
//! it, and a time prints as Go prints one (`2020-06-01 10:00:00 +0200
//! +0200`), in JSON as RFC 3339, and answers `.Format`, `.Unix` and the
//! like. As in sprig, `date`, `dateInZone`, `htmlDate` and `ago` also take
//! ints as Unix seconds, while `dateModify` and `unixEpoch` want a time.
//! Layouts are Go's reference-time layouts, written and read here; the
//! calendar arithmetic under them is `jiff`'s. Zones: a name
//! `dateInZone` is given is looked up in the system's zoneinfo as Go's
//! `time.LoadLocation` does (an unknown one gives UTC, as in sprig);
//! `Local` is taken as UTC (the renderer's machines run in UTC; Helm uses
//! the machine's zone).

use std::time::{SystemTime, UNIX_EPOCH};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

use super::{Table, Value, fail, str_arg};
use gotemplate::{Arity, Dict, FuncError, Function, Methods};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["now"], Exact(0), |_| Ok(GoTime::now().into_value()));
    table.add(&["date"], Exact(2), |a| {
        Ok(in_zone(&a[1], "Local").format(str_arg(a, 0)?).into())
    });
    table.add(&["dateInZone", "date_in_zone"], Exact(3), |a| {
        Ok(in_zone(&a[1], str_arg(a, 2)?).format(str_arg(a, 0)?).into())
    });
    table.add(&["htmlDate"], Exact(1), |a| {
        Ok(in_zone(&a[0], "Local").format("2006-01-02").into())
    });
    table.add(&["htmlDateInZone"], Exact(2), |a| {
        Ok(in_zone(&a[0], str_arg(a, 1)?).format("2006-01-02").into())
    });
    table.add(&["dateModify", "date_modify"], Exact(2), |a| {
        let date = time_arg(a, 1)?;
        Ok(match parse_duration(str_arg(a, 0)?) {
            Some(nanos) => date.add(nanos),
            None => date.clone(),
        }
        .into_value())
    });
    table.add(&["mustDateModify", "must_date_modify"], Exact(2), |a| {
        let date = time_arg(a, 1)?;
        let text = str_arg(a, 0)?;
        let nanos = crate::duration::parse(text).map_err(|error| fail(error.to_string()))?;
        Ok(date.add(nanos).into_value())
    });
    table.add(&["toDate"], Exact(2), |a| {
        let parsed = parse_layout(str_arg(a, 0)?, str_arg(a, 1)?);
        Ok(parsed.unwrap_or_else(GoTime::zero).into_value())
    });
    table.add(&["mustToDate"], Exact(2), |a| {
        let (layout, text) = (str_arg(a, 0)?, str_arg(a, 1)?);
        let time = parse_layout(layout, text)
            .ok_or_else(|| fail(format!("parsing time {text:?} as {layout:?}: cannot parse")))?;
        Ok(time.into_value())
    });
    table.add(&["unixEpoch"], Exact(1), |a| {
        Ok(time_arg(a, 0)?.seconds.to_string().into())
    });
    table.add(&["ago"], Exact(1), |a| {
        let then = in_zone(&a[0], "Local");
        let since = GoTime::now().nanos_since(&then);
        // Rounded to the second, as `time.Since(t).Round(time.Second)`.
        let rounded = (since + since.signum() * 500_000_000) / 1_000_000_000 * 1_000_000_000;
        Ok(go_duration(rounded).into())
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
            value => match as_time(value) {
                Some(time) => i64::try_from(GoTime::now().nanos_since(time)).unwrap_or(i64::MAX),
                None => 0,
            },
        };
        Ok(duration_round(nanos).into())
    });
}

/// Go's zero `time.Time` (January 1, year 1, UTC) in Unix seconds, what a
/// failed `toDate` gives.
const ZERO_TIME: i64 = -62_135_596_800;

/// The Go type name of a time.
const TIME_TYPE: &str = "time.Time";

/// A Go `time.Time`: an instant (Unix seconds and nanoseconds) and the
/// zone it is shown in (offset east of UTC in seconds, and its
/// abbreviation; `""` for an unnamed fixed zone, which Go prints as the
/// offset).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct GoTime {
    seconds: i64,
    nanos: u32,
    offset: i32,
    zone: String,
}

/// The time a value holds, if it is one.
pub(super) fn as_time(value: &Value) -> Option<&GoTime> {
    value.methods()?.payload_of::<GoTime>()
}

impl GoTime {
    /// The instant in UTC (Go's `Local` here).
    fn utc(seconds: i64, nanos: u32) -> GoTime {
        GoTime {
            seconds,
            nanos,
            offset: 0,
            zone: "UTC".to_owned(),
        }
    }

    fn now() -> GoTime {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        GoTime::utc(
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            since.subsec_nanos(),
        )
    }

    /// Go's zero time.
    fn zero() -> GoTime {
        GoTime::utc(ZERO_TIME, 0)
    }

    /// `t.Add(d)`.
    fn add(&self, nanos: i64) -> GoTime {
        let total = i128::from(self.nanos) + i128::from(nanos);
        let seconds = self.seconds + i64::try_from(total.div_euclid(1_000_000_000)).unwrap_or(0);
        GoTime {
            seconds,
            nanos: u32::try_from(total.rem_euclid(1_000_000_000)).unwrap_or(0),
            ..self.clone()
        }
    }

    /// Nanoseconds from `earlier` to this time.
    fn nanos_since(&self, earlier: &GoTime) -> i128 {
        (i128::from(self.seconds) - i128::from(earlier.seconds)) * 1_000_000_000
            + i128::from(self.nanos)
            - i128::from(earlier.nanos)
    }

    /// `t.In(loc)` for Go's `time.LoadLocation(zone)`, UTC when Go could
    /// not load it (sprig's fallback).
    fn in_location(&self, zone: &str) -> GoTime {
        let utc = GoTime::utc(self.seconds, self.nanos);
        if matches!(zone, "" | "UTC" | "Local") || zone.contains("..") || zone.starts_with('/') {
            return utc;
        }
        let Ok(tz) = jiff::tz::db().get(zone) else {
            return utc;
        };
        // Go reads the file named exactly so; the database matches names
        // without regard to case.
        if tz.iana_name() != Some(zone) {
            return utc;
        }
        let Ok(instant) = Timestamp::from_second(self.seconds) else {
            return utc;
        };
        let info = tz.to_offset_info(instant);
        GoTime {
            offset: info.offset().seconds(),
            zone: info.abbreviation().to_owned(),
            ..utc
        }
    }

    /// Go's `Time.Format`.
    fn format(&self, layout: &str) -> String {
        format_layout(layout, self)
    }

    /// Go's `Time.String` (without the monotonic clock reading `now`
    /// carries in Go).
    fn string(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// `time.RFC3339Nano`, what `encoding/json` and YAML write.
    pub(super) fn rfc3339_nano(&self) -> String {
        self.format("2006-01-02T15:04:05.999999999Z07:00")
    }

    /// The template value: a `time.Time` struct that prints as Go prints
    /// it, with the methods charts call.
    fn into_value(self) -> Value {
        let mut methods = Methods::of_struct(TIME_TYPE).string(self.string());
        for (name, method) in time_methods(&self) {
            methods = methods.method(name, method);
        }
        Value::Map(Dict::with_methods(
            Default::default(),
            methods.payload(self),
        ))
    }
}

/// `time.Time`'s methods without `Location` or `Duration` arguments or
/// results, and `Add` (a template number is a `Duration` in nanoseconds).
fn time_methods(time: &GoTime) -> Vec<(&'static str, Function)> {
    use std::sync::Arc;
    let civil = civil(time.seconds + i64::from(time.offset));
    let int = |n: i64| -> Function {
        Arc::new(move |_, args| {
            FuncError::expect_args(args, 0)?;
            Ok(Value::Int(n))
        })
    };
    let time_result = |t: GoTime| -> Function {
        Arc::new(move |_, args| {
            FuncError::expect_args(args, 0)?;
            Ok(t.clone().into_value())
        })
    };
    let nanos = i64::from(time.nanos);
    let mut methods = vec![
        ("Unix", int(time.seconds)),
        (
            "UnixMilli",
            int(time.seconds.saturating_mul(1000) + nanos / 1_000_000),
        ),
        (
            "UnixNano",
            int(time.seconds.saturating_mul(1_000_000_000) + nanos),
        ),
        ("Year", int(civil.year)),
        ("YearDay", int(i64::from(civil.at.day_of_year()))),
        ("Day", int(i64::from(civil.at.day()))),
        ("Hour", int(i64::from(civil.at.hour()))),
        ("Minute", int(i64::from(civil.at.minute()))),
        ("Second", int(i64::from(civil.at.second()))),
        ("Nanosecond", int(nanos)),
        ("UTC", time_result(GoTime::utc(time.seconds, time.nanos))),
        ("Local", time_result(GoTime::utc(time.seconds, time.nanos))),
    ];
    let is_zero = time.seconds == ZERO_TIME && time.nanos == 0;
    methods.push((
        "IsZero",
        Arc::new(move |_, args| {
            FuncError::expect_args(args, 0)?;
            Ok(Value::Bool(is_zero))
        }),
    ));
    let formatted = time.clone();
    methods.push((
        "Format",
        Arc::new(move |_, args| {
            FuncError::expect_args(args, 1)?;
            Ok(formatted.format(FuncError::string_arg(args, 0)?).into())
        }),
    ));
    let added = time.clone();
    methods.push((
        "Add",
        Arc::new(move |_, args| {
            FuncError::expect_args(args, 1)?;
            match &args[0] {
                Value::Int(nanos) => Ok(added.add(*nanos).into_value()),
                other => Err(super::wrong_type(0, "time.Duration", other)),
            }
        }),
    ));
    methods
}

/// A `time.Time` argument.
fn time_arg(args: &[Value], index: usize) -> Result<&GoTime, FuncError> {
    as_time(&args[index]).ok_or_else(|| super::wrong_type(index, TIME_TYPE, &args[index]))
}

/// sprig's `dateInZone` reading of its date (a time, or ints as Unix
/// seconds, anything else now) in the zone named `zone`.
fn in_zone(date: &Value, zone: &str) -> GoTime {
    let time = match date {
        Value::Int(seconds) => GoTime::utc(*seconds, 0),
        other => as_time(other).cloned().unwrap_or_else(GoTime::now),
    };
    time.in_location(zone)
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

/// Go's `Time.Format`.
fn format_layout(layout: &str, time: &GoTime) -> String {
    let Civil { year, at } = civil(time.seconds + i64::from(time.offset));
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
            // An unnamed zone prints as its offset.
            "MST" if time.zone.is_empty() => offset_text(time.offset, "-0700"),
            "MST" => time.zone.clone(),
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
            t if t.starts_with('Z') && time.offset == 0 => "Z".to_owned(),
            t if t.starts_with(['-', 'Z']) => offset_text(time.offset, t),
            // Fractional seconds: `.000` keeps that many digits, `.999`
            // drops trailing zeros (and the point with nothing left).
            t => {
                let digits = format!("{:09}", time.nanos);
                let digits = &digits[..t.len() - 1];
                if t.as_bytes()[1] == b'0' {
                    format!("{}{digits}", &t[..1])
                } else {
                    match digits.trim_end_matches('0') {
                        "" => String::new(),
                        kept => format!("{}{kept}", &t[..1]),
                    }
                }
            }
        };
        out.push_str(&text);
        rest = &rest[tok.len()..];
    }
    out
}

/// A zone offset in the form of the layout token `token` (`-07`,
/// `-0700`, `-07:00`, `-070000`, `-07:00:00`, or their `Z` forms).
fn offset_text(offset: i32, token: &str) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    let (hours, minutes, seconds) = (abs / 3600, abs / 60 % 60, abs % 60);
    match token.trim_start_matches(['-', 'Z']) {
        "07" => format!("{sign}{hours:02}"),
        "0700" => format!("{sign}{hours:02}{minutes:02}"),
        "07:00" => format!("{sign}{hours:02}:{minutes:02}"),
        "070000" => format!("{sign}{hours:02}{minutes:02}{seconds:02}"),
        _ => format!("{sign}{hours:02}:{minutes:02}:{seconds:02}"),
    }
}

/// How the text named its zone, as Go's `Parse` records it.
enum ParsedZone {
    /// Nothing: the time is in `Local`.
    None,
    /// `Z`, or a `UTC` abbreviation.
    Utc,
    /// A numeric offset (seconds east), with the abbreviation if one was
    /// read too.
    Offset(i32),
    /// An abbreviation `Local` does not know, with the offset Go guesses
    /// for it (only `GMT+N` has one).
    Name(String, i32),
}

/// Go's `time.ParseInLocation(layout, text, Local)` (Local being UTC) for
/// the common tokens.
fn parse_layout(layout: &str, text: &str) -> Option<GoTime> {
    // Go: what the layout omits is zero, or one where zero is impossible
    // (so the year is 0, the month and day 1).
    let (mut year, mut month, mut day) = (0i64, 1u32, 1u32);
    let (mut hour, mut minute, mut second, mut pm) = (0u32, 0u32, 0u32, None);
    let mut nanos = 0u32;
    let mut zone = ParsedZone::None;
    let mut zone_name: Option<String> = None;
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
    // Up to nine digits of a fraction (more are read and dropped).
    let fraction = |t: &mut &str| -> u32 {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let kept = format!("{:0<9}", &t[..digits.min(9)]);
        *t = &t[digits..];
        kept.parse().unwrap_or(0)
    };
    while let Some(ch) = l.chars().next() {
        let Some(tok) = token(l) else {
            t = t.strip_prefix(ch)?;
            l = &l[ch.len_utf8()..];
            continue;
        };
        l = &l[tok.len()..];
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
            "05" | "5" => {
                second = number(&mut t, 1, 2)?;
                // Go reads a fraction the layout does not mention.
                let next_is_fraction = token(l).is_some_and(|n| n.starts_with(['.', ',']));
                let bytes = t.as_bytes();
                if !next_is_fraction
                    && bytes.len() >= 2
                    && matches!(bytes[0], b'.' | b',')
                    && bytes[1].is_ascii_digit()
                {
                    t = &t[1..];
                    nanos = fraction(&mut t);
                }
            }
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
            "MST" => {
                if let Some(rest) = t.strip_prefix("UTC") {
                    zone = ParsedZone::Utc;
                    t = rest;
                } else {
                    let len = zone_abbreviation(t)?;
                    zone_name = Some(t[..len].to_owned());
                    t = &t[len..];
                }
            }
            _ if tok.starts_with(['-', 'Z']) => {
                if let Some(rest) = t.strip_prefix('Z').filter(|_| tok.starts_with('Z')) {
                    zone = ParsedZone::Utc;
                    t = rest;
                } else {
                    let sign = match t.as_bytes().first()? {
                        b'+' => 1,
                        b'-' => -1,
                        _ => return None,
                    };
                    t = &t[1..];
                    let hours = i32::try_from(number(&mut t, 2, 2)?).ok()?;
                    t = t.strip_prefix(':').unwrap_or(t);
                    let minutes = number(&mut t, 0, 2).map_or(0, |m| m as i32);
                    zone = ParsedZone::Offset(sign * (hours * 3600 + minutes * 60));
                }
            }
            _ => {
                // A fraction the layout names.
                t = t.strip_prefix(['.', ','])?;
                nanos = fraction(&mut t);
            }
        }
    }
    if !t.is_empty() {
        return None;
    }
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let civil = unix_seconds(year, month, day, hour, minute, second)?;
    if let (ParsedZone::None, Some(name)) = (&zone, &zone_name) {
        // `Local` (UTC) knows no other abbreviation: Go makes up a zone
        // of that name, offset 0 (or the hours of `GMT+N`).
        let offset = name
            .strip_prefix("GMT")
            .and_then(|hours| hours.parse::<i32>().ok())
            .map_or(0, |hours| hours * 3600);
        zone = ParsedZone::Name(name.clone(), offset);
    }
    Some(match zone {
        ParsedZone::None | ParsedZone::Utc => GoTime::utc(civil, nanos),
        // Local's own offset (0, in UTC) keeps Local.
        ParsedZone::Offset(0) if zone_name.as_deref().is_none_or(|n| n == "UTC") => {
            GoTime::utc(civil, nanos)
        }
        ParsedZone::Offset(offset) => GoTime {
            seconds: civil - i64::from(offset),
            nanos,
            offset,
            zone: zone_name.unwrap_or_default(),
        },
        // Go keeps the clock reading as UTC here and only shows it in the
        // made-up zone (so `10:00 GMT+3` reads as 13:00 +0300).
        ParsedZone::Name(name, offset) => GoTime {
            seconds: civil,
            nanos,
            offset,
            zone: name,
        },
    })
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start
/// of `text` (`PST`, `CEST`, `ChST`, `GMT+3`).
fn zone_abbreviation(text: &str) -> Option<usize> {
    if text.len() < 3 {
        return None;
    }
    if text.starts_with("ChST") || text.starts_with("MeST") {
        return Some(4);
    }
    if let Some(rest) = text.strip_prefix("GMT") {
        let bytes = rest.as_bytes();
        if matches!(bytes.first(), Some(b'+' | b'-')) {
            let digits = bytes[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            let hours: Option<u32> = rest[1..1 + digits].parse().ok();
            if hours.is_some_and(|h| (1..=23).contains(&h) || digits == 0) && digits > 0 {
                return Some(3 + 1 + digits);
            }
        }
        return Some(3);
    }
    let upper = text
        .bytes()
        .take(6)
        .take_while(u8::is_ascii_uppercase)
        .count();
    match upper {
        3 => Some(3),
        4 if text.as_bytes()[3] == b'T' || text.starts_with("WITA") => Some(4),
        5 if text.as_bytes()[4] == b'T' => Some(5),
        _ => None,
    }
}

/// Go's `time.ParseDuration`, in nanoseconds.
fn parse_duration(text: &str) -> Option<i64> {
    crate::duration::parse(text).ok()
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

    fn utc(seconds: i64) -> GoTime {
        GoTime::utc(seconds, 0)
    }

    fn parsed(layout: &str, text: &str) -> Option<i64> {
        parse_layout(layout, text).map(|t| t.seconds)
    }

    #[test]
    fn formats_and_parses_go_layouts() {
        let t = 1_700_000_000; // 2023-11-14 22:13:20 UTC, a Tuesday
        assert_eq!(
            format_layout(
                "Mon Jan _2 15:04:05 MST 2006 -0700 Z07:00 .000 3PM 002",
                &utc(t)
            ),
            "Tue Nov 14 22:13:20 UTC 2023 +0000 Z .000 10PM 318"
        );
        assert_eq!(
            parsed("2006-01-02 15:04:05", "2023-11-14 22:13:20"),
            Some(t)
        );
        let with_offset =
            parse_layout("2006-01-02T15:04:05Z07:00", "2023-11-15T00:13:20.5+02:00").unwrap();
        assert_eq!(with_offset.seconds, t);
        assert_eq!(with_offset.string(), "2023-11-15 00:13:20.5 +0200 +0200");
        assert_eq!(with_offset.rfc3339_nano(), "2023-11-15T00:13:20.5+02:00");
        assert_eq!(parsed("2006-01-02", "2023-13-01"), None);
        assert_eq!(parse_duration("1h30m"), Some(5_400_000_000_000));
        assert_eq!(go_duration(5_400_000_000_000), "1h30m0s");
        assert_eq!(duration_round(5_400_000_000_000), "1h");
    }

    #[test]
    fn dates_far_from_the_epoch_and_leap_days() {
        let layout = "2006-01-02 15:04:05 Mon 002";
        let parse = |text| parsed("2006-01-02 15:04:05 Mon", text);
        assert_eq!(parse("0001-01-01 00:00:00 Mon"), Some(ZERO_TIME));
        assert_eq!(
            format_layout(layout, &utc(ZERO_TIME)),
            "0001-01-01 00:00:00 Mon 001"
        );
        let last = 253_402_300_799; // Go's 9999-12-31T23:59:59Z
        assert_eq!(parse("9999-12-31 23:59:59 Fri"), Some(last));
        assert_eq!(
            format_layout(layout, &utc(last)),
            "9999-12-31 23:59:59 Fri 365"
        );
        // Go's years go on past 9999 (and before year 0).
        assert_eq!(
            format_layout(layout, &utc(last + 1)),
            "10000-01-01 00:00:00 Sat 001"
        );
        assert_eq!(
            format_layout("2006 Mon", &utc(ZERO_TIME - 86_400)),
            "0000 Sun"
        );
        assert_eq!(
            format_layout(layout, &utc(-1)),
            "1969-12-31 23:59:59 Wed 365"
        );
        assert_eq!(
            parsed("2006-01-02", "2000-02-29"),
            Some(951_868_799 - 86_399)
        );
        assert_eq!(
            format_layout(layout, &utc(1_709_251_199)),
            "2024-02-29 23:59:59 Thu 060"
        );
        assert_eq!(parsed("2006-01-02", "1900-02-29"), None);
        assert_eq!(parsed("2006-01-02", "2100-02-29"), None);
        assert_eq!(parsed("2006-01-02", "2023-04-31"), None);
        assert_eq!(parsed("2006-01-02 15:04", "2023-04-30 24:00"), None);
    }
}
