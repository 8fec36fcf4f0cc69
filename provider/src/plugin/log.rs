//! Logging to stderr in hclog's JSON form: go-plugin reads each line of a
//! plugin's stderr, and a JSON line with `@level` and `@message` lands in
//! Terraform's log (`TF_LOG`, `TF_LOG_PROVIDER`) at that level, under
//! `provider.terraform-provider-upbound`. Never log a secret.

use std::io::Write as _;

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
    let line = serde_json::json!({
        "@level": level.name(),
        "@message": message,
        "@module": "upbound",
    });
    // A log line that cannot be written is not worth failing a call for.
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
