//! Wall-clock time: Unix milliseconds inside (sessions expire with
//! millisecond precision so tests can use short TTLs), RFC 3339 outside (as
//! the API's `createdAt` and Kubernetes' `creationTimestamp` are written).

use std::time::{SystemTime, UNIX_EPOCH};

use jiff::Timestamp;

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

/// `millis` as an RFC 3339 UTC timestamp with second precision, e.g.
/// `2025-03-01T12:00:00Z`. A time past the last instant `jiff` represents
/// (late in the year 9999) is written as that instant.
pub(crate) fn rfc3339(millis: u64) -> String {
    let at = i64::try_from(millis)
        .ok()
        .and_then(|millis| Timestamp::from_millisecond(millis).ok())
        .unwrap_or(Timestamp::MAX);
    // Precision 0 truncates the fraction: whole seconds, as the API writes.
    format!("{at:.0}")
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn formats_the_epoch() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn formats_a_leap_day_and_drops_milliseconds() {
        assert_eq!(rfc3339(951_827_696_789), "2000-02-29T12:34:56Z");
    }

    #[test]
    fn formats_the_last_day_of_a_year() {
        assert_eq!(rfc3339(1_735_689_599_000), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn writes_a_time_past_the_last_representable_instant_as_that_instant() {
        assert_eq!(rfc3339(u64::MAX), "9999-12-30T22:00:00Z");
    }
}
