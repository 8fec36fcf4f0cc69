//! Between a request and its release record: the chart as Helm records it,
//! the time as Helm writes it, and a recorded manifest read back into
//! documents.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::InstallError;
use crate::helm::chart::Chart;
use crate::helm::manifest::{self, Manifest};
use crate::helm::release::{ChartFile, ChartRecord};

/// Now, as Helm writes times (RFC 3339 with nanoseconds, UTC).
pub(super) fn now() -> String {
    k8s_openapi::jiff::Timestamp::now().to_string()
}

/// The chart inside a release record: metadata, lock, templates, default
/// values, schema and files (subcharts are not recorded, as in Helm).
pub(super) fn chart_record(chart: &Chart) -> ChartRecord {
    let files = |files: &[crate::helm::chart::File]| {
        files
            .iter()
            .map(|file| ChartFile::new(&file.name, &file.data))
            .collect()
    };
    let metadata = match serde_json::to_value(&chart.metadata) {
        Ok(Value::Object(metadata)) => metadata,
        _ => serde_json::Map::new(),
    };
    let lock = chart
        .lock
        .as_deref()
        .and_then(|lock| std::str::from_utf8(lock).ok())
        .and_then(|lock| sprig::goyaml::from_str::<Value>(lock).ok())
        .unwrap_or(Value::Null);
    ChartRecord {
        metadata,
        lock,
        templates: files(&chart.templates),
        values: chart.values.clone(),
        schema: chart
            .schema
            .as_deref()
            .map(|schema| STANDARD.encode(schema)),
        files: files(&chart.files),
    }
}

/// The documents of a recorded manifest (`---\n# Source: <file>\n<doc>`
/// blocks), in Helm's install order.
pub(super) fn recorded_manifests(text: &str) -> Result<Vec<Manifest>, InstallError> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for block in text.split("---\n# Source: ").skip(1) {
        let (source, document) = block.split_once('\n').unwrap_or((block, ""));
        let file = files.entry(source.trim().to_owned()).or_default();
        file.push_str("\n---\n");
        file.push_str(document);
    }
    let sorted = manifest::sort(&files).map_err(|error| InstallError::Manifest {
        source_file: error.source_file,
        problem: error.problem,
    })?;
    Ok(sorted.manifests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_manifest_reads_back_in_install_order() {
        let text = "---\n# Source: c/templates/a.yaml\nkind: Deployment\nmetadata:\n  name: d\n\
                    ---\n# Source: c/templates/a.yaml\nkind: ServiceAccount\nmetadata:\n  name: s\n";
        let manifests = recorded_manifests(text).unwrap();
        let kinds: Vec<&str> = manifests.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["ServiceAccount", "Deployment"]);
        assert_eq!(manifests[0].source, "c/templates/a.yaml");
        assert_eq!(
            manifests[0].content,
            "kind: ServiceAccount\nmetadata:\n  name: s"
        );
    }
}
