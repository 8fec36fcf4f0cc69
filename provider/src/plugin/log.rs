//! Logging to stderr in hclog's JSON form: go-plugin reads each line of a
//! plugin's stderr, and a JSON line with `@level` and `@message` lands in
//! Terraform's log (`TF_LOG`, `TF_LOG_PROVIDER`) at that level, under
//! `provider.terraform-provider-upbound`. Never log a secret.
//!
//! Terraform keeps a provider's lines at or above the level of
//! `TF_LOG_PROVIDER`, else `TF_LOG`, and none when both are unset; lines it
//! would drop are not written (errors always are, for whoever reads stderr
//! outside Terraform). Each line is one write: stderr is unbuffered, and
//! go-plugin's reader wakes for every write.

use std::io::Write as _;
use std::sync::OnceLock;
use std::time::Instant;

use jiff::Timestamp;

/// How important a log line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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

    /// The least important level Terraform keeps, as its provider logger
    /// reads `level` (the value of `TF_LOG_PROVIDER`, else `TF_LOG`): none
    /// when empty or `OFF`, trace for `JSON` and for anything it does not
    /// know (Terraform warns and defaults to trace).
    fn kept_from(level: &str) -> Option<Self> {
        match level.to_ascii_uppercase().as_str() {
            "" | "OFF" => None,
            "DEBUG" => Some(Self::Debug),
            "INFO" => Some(Self::Info),
            "WARN" => Some(Self::Warn),
            "ERROR" => Some(Self::Error),
            _ => Some(Self::Trace),
        }
    }

    /// Whether a line at this level reaches Terraform's log in this run.
    fn is_kept(self) -> bool {
        static KEPT: OnceLock<Option<Level>> = OnceLock::new();
        let kept = KEPT.get_or_init(|| {
            let setting = |name| std::env::var(name).unwrap_or_default();
            let provider = setting("TF_LOG_PROVIDER");
            let level = if provider.is_empty() {
                setting("TF_LOG")
            } else {
                provider
            };
            Self::kept_from(&level)
        });
        self == Self::Error || kept.is_some_and(|kept| self >= kept)
    }
}

/// One RPC, logged at trace when it starts and at debug with how long it
/// took when it ends (is dropped): `ReadResource took 12.3 ms`.
pub struct RpcSpan {
    name: &'static str,
    started: Instant,
}

impl RpcSpan {
    /// Starts the span of RPC `name`.
    pub fn start(name: &'static str) -> Self {
        log(Level::Trace, name);
        Self {
            name,
            started: Instant::now(),
        }
    }
}

impl Drop for RpcSpan {
    fn drop(&mut self) {
        let elapsed = self.started.elapsed().as_secs_f64() * 1000.0;
        log(Level::Debug, &format!("{} took {elapsed:.1} ms", self.name));
    }
}

/// Writes one log line to stderr, if Terraform keeps lines of `level`.
pub fn log(level: Level, message: &str) {
    if !level.is_kept() {
        return;
    }
    let mut line = serde_json::json!({
        "@level": level.name(),
        "@message": message,
        "@module": "upbound",
        "@timestamp": timestamp(Timestamp::now()),
    })
    .to_string();
    line.push('\n');
    // A log line that cannot be written is not worth failing a call for.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `at` in hclog's layout (`2006-01-02T15:04:05.000000Z07:00`), UTC:
/// go-plugin drops lines whose `@timestamp` does not parse. Precision 6
/// always writes (and truncates to) microseconds.
fn timestamp(at: Timestamp) -> String {
    format!("{at:.6}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_in_hclog_layout() {
        assert_eq!(
            timestamp(Timestamp::UNIX_EPOCH),
            "1970-01-01T00:00:00.000000Z"
        );
        assert_eq!(
            timestamp(Timestamp::from_microsecond(1_795_438_801_123_456).unwrap()),
            "2026-11-23T13:00:01.123456Z"
        );
        assert_eq!(
            timestamp(Timestamp::from_second(951_782_400).unwrap()),
            "2000-02-29T00:00:00.000000Z"
        );
    }

    #[test]
    fn levels_are_kept_as_terraform_keeps_them() {
        assert_eq!(Level::kept_from(""), None);
        assert_eq!(Level::kept_from("off"), None);
        assert_eq!(Level::kept_from("json"), Some(Level::Trace));
        assert_eq!(Level::kept_from("Debug"), Some(Level::Debug));
        assert_eq!(Level::kept_from("WARN"), Some(Level::Warn));
        assert_eq!(Level::kept_from("loud"), Some(Level::Trace));
        assert!(Level::Info > Level::Debug && Level::Error > Level::Warn);
    }

    #[test]
    fn timestamps_truncate_to_microseconds() {
        assert_eq!(
            timestamp(Timestamp::new(951_782_400, 999_999_999).unwrap()),
            "2000-02-29T00:00:00.999999Z"
        );
    }
}
