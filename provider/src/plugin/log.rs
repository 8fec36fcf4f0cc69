//! Logging to stderr in hclog's JSON form: go-plugin reads each line of a
//! plugin's stderr, and a JSON line with `@level` and `@message` lands in
//! Terraform's log (`TF_LOG`, `TF_LOG_PROVIDER`) at that level, under
//! `provider.terraform-provider-upbound`. Never log a secret.

use std::io::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How important a log line is.
#[derive(Clone, Copy, Debug)]
pub enum Level {
    /// Wire-level detail: each RPC.
    Trace,
    /// What the provider decided.
    Debug,
    /// What the provider did.
    Info,
    /// Something the user may want to know.
    Warn,
    /// Something failed.
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Self::Trace => "trace",
            Self::Debug => "debug",
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Error => "error",
        }
    }
}

/// Writes one log line to stderr.
pub fn log(level: Level, message: &str) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let line = serde_json::json!({
        "@level": level.name(),
        "@message": message,
        "@module": "upbound",
        "@timestamp": timestamp(now),
    });
    // A log line that cannot be written is not worth failing a call for.
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `since_epoch` in hclog's layout (`2006-01-02T15:04:05.000000Z07:00`),
/// UTC: go-plugin drops lines whose `@timestamp` does not parse.
fn timestamp(since_epoch: Duration) -> String {
    let seconds = since_epoch.as_secs();
    let (days, of_day) = (seconds / 86_400, seconds % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60,
        since_epoch.subsec_micros()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_in_hclog_layout() {
        assert_eq!(timestamp(Duration::ZERO), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            timestamp(Duration::from_micros(1_795_438_801_123_456)),
            "2026-11-23T13:00:01.123456Z"
        );
        assert_eq!(
            timestamp(Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000000Z"
        );
    }
}
