//! Helm v3 release records: the JSON Helm keeps for each revision of a
//! release, gzip-compressed and base64-encoded into a Secret
//! `sh.helm.release.v1.<name>.v<revision>` of type `helm.sh/release.v1`.
//! Records written here are read by real `helm list/status/get/upgrade/
//! uninstall`, and records real helm wrote are read here; fields we do not
//! use are kept as they are.
//!
//! - [`codec`](self): this module — the record's shape and its encoding.
//! - `storage`: the Secrets: history, write, status changes, trimming.

mod storage;

pub use storage::{HISTORY_MAX, ReleaseStore, StorageError};

use std::collections::BTreeMap;
use std::io::{Read, Write};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::helm::manifest::null_as_default;

/// What Helm v3 writes for a time that never happened (e.g. `deleted`).
pub const NEVER: &str = "";

/// A release revision's status, as Helm spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Unknown.
    Unknown,
    /// The current, working revision.
    Deployed,
    /// Uninstalled with `--keep-history`.
    Uninstalled,
    /// Replaced by a later revision.
    Superseded,
    /// Install or upgrade failed.
    Failed,
    /// Being uninstalled.
    Uninstalling,
    /// Being installed (or an install that died).
    PendingInstall,
    /// Being upgraded (or an upgrade that died).
    PendingUpgrade,
    /// Being rolled back (or a rollback that died).
    PendingRollback,
}

impl Status {
    /// Helm's word for it, as in the Secret's `status` label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Deployed => "deployed",
            Self::Uninstalled => "uninstalled",
            Self::Superseded => "superseded",
            Self::Failed => "failed",
            Self::Uninstalling => "uninstalling",
            Self::PendingInstall => "pending-install",
            Self::PendingUpgrade => "pending-upgrade",
            Self::PendingRollback => "pending-rollback",
        }
    }

    /// Whether an operation on the release was left unfinished.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Self::PendingInstall | Self::PendingUpgrade | Self::PendingRollback
        )
    }
}

/// One revision of a release.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Release {
    /// The release name (e.g. `agent`).
    pub name: String,
    /// Status and timestamps.
    pub info: Info,
    /// The chart as installed.
    pub chart: ChartRecord,
    /// The user-supplied values (Helm's `config`; `helm get values`).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub config: Map<String, Value>,
    /// The rendered manifest (`---\n# Source: …` documents).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub manifest: String,
    /// Hooks, as Helm records them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<Value>,
    /// The revision, from 1.
    pub version: u32,
    /// The release namespace.
    pub namespace: String,
    /// Annotations of the record's Secret, beside Helm's record (Helm
    /// neither writes nor reads them): what the installer keeps with the
    /// revision, e.g. the chart's OCI digest.
    #[serde(skip)]
    pub annotations: BTreeMap<String, String>,
}

/// Status and timestamps of a revision (RFC 3339, Go's zero time for never).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Info {
    /// When revision 1 was deployed.
    pub first_deployed: String,
    /// When this revision was deployed.
    pub last_deployed: String,
    /// When it was uninstalled ([`NEVER`] if not).
    pub deleted: String,
    /// What happened, e.g. `Install complete`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The status.
    pub status: Status,
    /// The rendered `NOTES.txt`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// The chart inside a release record. Go writes a chart's nil lists and
/// maps (a chart with no files besides its templates) as `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartRecord {
    /// `Chart.yaml` as JSON (Helm's field names: `name`, `version`,
    /// `appVersion`, `apiVersion`, …).
    pub metadata: Map<String, Value>,
    /// `Chart.lock`, if any.
    #[serde(default)]
    pub lock: Value,
    /// The templates.
    #[serde(default, deserialize_with = "null_as_default")]
    pub templates: Vec<ChartFile>,
    /// The chart's default values.
    #[serde(default, deserialize_with = "null_as_default")]
    pub values: Map<String, Value>,
    /// `values.schema.json`, base64 (Go `[]byte`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The other files.
    #[serde(default, deserialize_with = "null_as_default")]
    pub files: Vec<ChartFile>,
}

/// A file of a chart: name and content (base64, as Go encodes `[]byte`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartFile {
    /// The path inside the chart, e.g. `templates/deployment.yaml`.
    pub name: String,
    /// The content, base64.
    pub data: String,
}

impl ChartFile {
    /// A file with this content.
    pub fn new(name: impl Into<String>, content: &[u8]) -> Self {
        Self {
            name: name.into(),
            data: STANDARD.encode(content),
        }
    }
}

/// A release record that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("release record {record} cannot be read: {problem}")]
pub struct DecodeError {
    /// The Secret's name.
    pub record: String,
    /// What is wrong with it.
    pub problem: String,
}

impl Release {
    /// The record's Secret name: `sh.helm.release.v1.<name>.v<version>`.
    pub fn record_name(&self) -> String {
        record_name(&self.name, self.version)
    }

    /// The Secret's `release` value: base64 of gzip of the JSON, as Helm
    /// writes it (Kubernetes base64-encodes Secret data once more).
    pub fn encode(&self) -> Vec<u8> {
        let json = serde_json::to_vec(self).expect("a release serializes");
        let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
        gzip.write_all(&json).expect("writing to memory");
        let compressed = gzip.finish().expect("writing to memory");
        STANDARD.encode(compressed).into_bytes()
    }

    /// Reads a Secret's `release` value (gzip or, from old Helm, plain JSON).
    pub fn decode(record: &str, data: &[u8]) -> Result<Self, DecodeError> {
        let problem = |problem: String| DecodeError {
            record: record.to_owned(),
            problem,
        };
        let bytes = STANDARD
            .decode(data)
            .map_err(|error| problem(format!("not base64: {error}")))?;
        let json = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut json = Vec::new();
            GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut json)
                .map_err(|error| problem(format!("not gzip: {error}")))?;
            json
        } else {
            bytes
        };
        serde_json::from_slice(&json).map_err(|error| problem(format!("not a release: {error}")))
    }
}

/// `sh.helm.release.v1.<name>.v<version>`.
pub fn record_name(name: &str, version: u32) -> String {
    format!("sh.helm.release.v1.{name}.v{version}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release() -> Release {
        Release {
            name: "agent".to_owned(),
            info: Info {
                first_deployed: "2026-11-23T10:00:00Z".to_owned(),
                last_deployed: "2026-11-23T10:00:00Z".to_owned(),
                deleted: NEVER.to_owned(),
                description: "Install complete".to_owned(),
                status: Status::Deployed,
                notes: String::new(),
            },
            chart: ChartRecord {
                metadata: serde_json::from_str(
                    r#"{"name":"agent","version":"1.0.0","apiVersion":"v2"}"#,
                )
                .unwrap(),
                lock: Value::Null,
                templates: vec![ChartFile::new("templates/a.yaml", b"kind: ConfigMap")],
                values: Map::new(),
                schema: None,
                files: Vec::new(),
            },
            config: serde_json::from_str(r#"{"space":"s"}"#).unwrap(),
            manifest: "---\n# Source: agent/templates/a.yaml\nkind: ConfigMap\n".to_owned(),
            hooks: Vec::new(),
            version: 1,
            namespace: "upbound-system".to_owned(),
            annotations: Default::default(),
        }
    }

    #[test]
    fn a_release_survives_encoding() {
        let release = release();
        let encoded = release.encode();
        assert_eq!(Release::decode("r", &encoded).unwrap(), release);
        assert_eq!(release.record_name(), "sh.helm.release.v1.agent.v1");
    }

    #[test]
    fn a_chart_go_wrote_nulls_in_reads_as_empty() {
        let chart: ChartRecord = serde_json::from_str(
            r#"{"metadata":{"name":"c"},"lock":null,"templates":null,"values":null,"schema":null,"files":null}"#,
        )
        .unwrap();
        assert!(chart.templates.is_empty() && chart.values.is_empty() && chart.files.is_empty());
    }

    #[test]
    fn status_words_are_helms() {
        for status in [Status::Deployed, Status::PendingUpgrade, Status::Superseded] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }

    #[test]
    fn garbage_is_a_clear_error() {
        let error = Release::decode("sh.helm.release.v1.x.v1", b"%%%").unwrap_err();
        assert!(error.to_string().contains("sh.helm.release.v1.x.v1"));
    }
}
