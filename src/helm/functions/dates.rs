//! Dates and durations. Template values have no time type, so the
//! functions that make or take a Go `time.Time` (`now`, `date`,
//! `toDate`, …) are registered but fail when called; `duration` works on
//! its own (seconds → Go's duration text).

use super::unsupported::not_supported;
use super::{Table, Value};
use crate::helm::template::Arity;

/// The time-valued functions.
const TIME_FUNCTIONS: &[&str] = &[
    "ago",
    "date",
    "date_in_zone",
    "date_modify",
    "dateInZone",
    "dateModify",
    "durationRound",
    "htmlDate",
    "htmlDateInZone",
    "must_date_modify",
    "mustDateModify",
    "mustToDate",
    "now",
    "toDate",
    "unixEpoch",
];

pub(super) fn register(table: &mut Table<'_>) {
    for name in TIME_FUNCTIONS {
        table.0.func(name, Arity::AtLeast(0), move |_, _| {
            Err(not_supported(name))
        });
    }
    // sprig takes a string or an int64; a template's int is neither, so
    // Go gives 0s for it.
    table.add(&["duration"], Arity::Exact(1), |a| {
        let seconds = match &a[0] {
            Value::String(s) => s.parse::<i64>().unwrap_or(0),
            _ => 0,
        };
        Ok(go_duration(seconds).into())
    });
}

/// Go's `time.Duration.String` for whole seconds: `1h2m3s`, `0s`.
fn go_duration(seconds: i64) -> String {
    if seconds == 0 {
        return "0s".into();
    }
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (hours, minutes, secs) = (s / 3600, s / 60 % 60, s % 60);
    if hours > 0 {
        format!("{sign}{hours}h{minutes}m{secs}s")
    } else if minutes > 0 {
        format!("{sign}{minutes}m{secs}s")
    } else {
        format!("{sign}{secs}s")
    }
}
