//! From rendered template files to what Helm installs, as Helm's
//! `releaseutil.SortManifests` does it: each file split into YAML documents
//! (`SplitManifests`), hooks set apart (a hook naming an event Helm does
//! not know is dropped), and both sorted in Helm's install order (stable by
//! kind, then as rendered); the release manifest is their concatenation
//! under `# Source:` lines.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Deserializer};
use sprig::goyaml;

use super::head::{self, Head};

/// Kinds in the order Helm installs them; unknown kinds come after all of
/// these, alphabetically by kind.
const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

/// The annotation that makes a document a hook.
const HOOK_ANNOTATION: &str = "helm.sh/hook";

/// The hook events Helm knows (`test-success` is Helm 2's name for `test`).
const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// Helm's document separator (`releaseutil.sep`), with Go's `\s` (ASCII
/// whitespace without `\v`): a `---` at the start, or after a newline,
/// with the whitespace around it.
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*").expect("valid regex"));

/// One YAML document of the rendered chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The template it came from, e.g. `agent/templates/deployment.yaml`.
    pub source: String,
    /// Its `kind`.
    pub kind: String,
    /// Its `metadata.name`.
    pub name: String,
    /// The document's text.
    pub content: String,
}

/// The installable documents, in install order, and the hooks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SortedManifests {
    /// Plain objects, in Helm's install order.
    pub manifests: Vec<Manifest>,
    /// Documents annotated `helm.sh/hook` with known events, in Helm's
    /// install order too (as `helm template` prints them).
    pub hooks: Vec<Manifest>,
}

/// A rendered document that is not a Kubernetes object (framed as Helm's
/// `SortManifests` frames it).
#[derive(Debug, thiserror::Error)]
#[error("YAML parse error on {source_file}: {problem}")]
pub struct ManifestError {
    /// The template it came from.
    pub source_file: String,
    /// The YAML parser's complaint.
    pub problem: String,
}

/// A field that Go's JSON decoding leaves at its zero value when the
/// document has a null there.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Splits and sorts rendered files (template name → text). Partials (`_*`)
/// are skipped, and so is every file whose name ends in `NOTES.txt` (Helm
/// takes those out as the release notes).
pub fn sort(rendered: &BTreeMap<String, String>) -> Result<SortedManifests, ManifestError> {
    let mut sorted = SortedManifests::default();
    for (source, text) in rendered {
        let base = source.rsplit('/').next().unwrap_or(source);
        if base.starts_with('_') || source.ends_with("NOTES.txt") {
            continue;
        }
        for (manifest, head) in heads(source, text)? {
            match head.annotations.get(HOOK_ANNOTATION) {
                None => sorted.manifests.push(manifest),
                Some(events) if known_events(events) => sorted.hooks.push(manifest),
                // Helm logs "skipping unknown hook" and installs nothing.
                Some(_) => {}
            }
        }
    }
    for list in [&mut sorted.manifests, &mut sorted.hooks] {
        list.sort_by(|a, b| install_rank(&a.kind).cmp(&install_rank(&b.kind)));
    }
    Ok(sorted)
}

/// The documents of a file that is not a template (a chart's `crds/`), in
/// their order, hooks or not.
pub fn documents(source: &str, text: &str) -> Result<Vec<Manifest>, ManifestError> {
    Ok(heads(source, text)?
        .into_iter()
        .map(|(manifest, _)| manifest)
        .collect())
}

/// Each document of `text` with the head Helm reads of it.
fn heads(source: &str, text: &str) -> Result<Vec<(Manifest, Head)>, ManifestError> {
    let refused = |problem: String| ManifestError {
        source_file: source.to_owned(),
        problem,
    };
    split_documents(text)
        .into_iter()
        .map(|document| {
            // An empty document (`---`, only comments) is null, which
            // leaves Helm's head empty.
            let value =
                goyaml::read_value(&document).map_err(|error| refused(error.to_string()))?;
            let head = head::decode(&value).map_err(refused)?;
            let manifest = Manifest {
                source: source.to_owned(),
                kind: head.kind.clone(),
                name: head.name.clone(),
                content: document,
            };
            Ok((manifest, head))
        })
        .collect()
}

/// Whether every event of a `helm.sh/hook` value (comma-separated, any
/// case, spaces around) is one Helm knows.
fn known_events(events: &str) -> bool {
    events
        .split(',')
        .all(|event| HOOK_EVENTS.contains(&event.trim().to_lowercase().as_str()))
}

/// The install position of `kind`: known kinds by the list, the rest after
/// them by name.
fn install_rank(kind: &str) -> (usize, &str) {
    match INSTALL_ORDER.iter().position(|known| *known == kind) {
        Some(position) => (position, ""),
        None => (INSTALL_ORDER.len(), kind),
    }
}

/// The documents of `text` as Helm's `SplitManifests` cuts them: the
/// trimmed text split at [`SEPARATOR`], empty pieces dropped, each trimmed.
/// The separator eats the whitespace after it, so `---\n---` leaves one
/// document, `---`, which Helm keeps.
fn split_documents(text: &str) -> Vec<String> {
    SEPARATOR
        .split(text.trim())
        .filter(|document| !document.is_empty())
        .map(|document| document.trim().to_owned())
        .collect()
}

/// The release manifest: each document under its `# Source:` line.
pub fn release_manifest(manifests: &[Manifest]) -> String {
    manifests
        .iter()
        .map(|manifest| format!("---\n# Source: {}\n{}\n", manifest.source, manifest.content))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect()
    }

    #[test]
    fn documents_are_split_and_sorted_by_kind() {
        let rendered = files(&[
            (
                "c/templates/a.yaml",
                "kind: Deployment\nmetadata:\n  name: d\n---\n\n---  \nkind: ServiceAccount\nmetadata:\n  name: s\n",
            ),
            (
                "c/templates/b.yaml",
                "kind: Widget\nmetadata:\n  name: w\n---\nkind: Gadget\nmetadata:\n  name: g\n",
            ),
            ("c/templates/_helpers.tpl", "kind: Secret"),
            ("c/templates/NOTES.txt", "hello"),
        ]);
        let sorted = sort(&rendered).unwrap();
        let kinds: Vec<&str> = sorted.manifests.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["ServiceAccount", "Deployment", "Gadget", "Widget"]);
    }

    #[test]
    fn hooks_are_set_apart() {
        let rendered = files(&[(
            "c/templates/job.yaml",
            "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install\n",
        )]);
        let sorted = sort(&rendered).unwrap();
        assert!(sorted.manifests.is_empty());
        assert_eq!(sorted.hooks[0].name, "j");
    }

    #[test]
    fn documents_are_cut_where_helms_separator_matches() {
        assert_eq!(split_documents("---\n---\n"), ["---"]);
        // The first separator eats the blank line the second one needed.
        assert_eq!(
            split_documents("a: 1\n---\n\n---  \nb: 2\n"),
            ["a: 1", "---  \nb: 2"]
        );
        // The separator needs no line of its own, and an indented one is text.
        assert_eq!(split_documents("a: 1\n---b: 2"), ["a: 1", "b: 2"]);
        assert_eq!(split_documents("a: |\n  ---\n"), ["a: |\n  ---"]);
    }

    #[test]
    fn hooks_with_unknown_events_are_dropped_and_hooks_sorted_by_kind() {
        let hook = |kind: &str, name: &str, events: &str| {
            format!(
                "kind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n    helm.sh/hook: {events}\n"
            )
        };
        let text = [
            hook("Job", "j", "pre-install"),
            hook("ConfigMap", "unknown", "pre-install,not-a-hook"),
            hook("ConfigMap", "c", " Post-Install , test-success"),
        ]
        .join("---\n");
        let sorted = sort(&files(&[("c/templates/hooks.yaml", &text)])).unwrap();
        let names: Vec<&str> = sorted.hooks.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["c", "j"]);
    }

    #[test]
    fn an_empty_document_is_kept_with_an_empty_head() {
        let rendered = files(&[("c/templates/x.yaml", "---\n---\n# only a comment\n")]);
        let sorted = sort(&rendered).unwrap();
        let contents: Vec<&str> = sorted
            .manifests
            .iter()
            .map(|m| m.content.as_str())
            .collect();
        assert_eq!(contents, ["---\n# only a comment"]);
        assert_eq!(sorted.manifests[0].kind, "");
    }

    #[test]
    fn a_repeated_key_takes_the_last_value() {
        let rendered = files(&[(
            "c/templates/x.yaml",
            "kind: Secret\nmetadata:\n  name: a\nkind: ConfigMap\n",
        )]);
        let sorted = sort(&rendered).unwrap();
        assert_eq!(sorted.manifests[0].kind, "ConfigMap");
    }

    #[test]
    fn null_metadata_and_annotations_are_empty_as_in_helms_head() {
        let rendered = files(&[
            (
                "c/templates/a.yaml",
                "kind: Service\nmetadata:\n  name: a\n  annotations:\n    \n  labels:\nspec: {}\n",
            ),
            ("c/templates/b.yaml", "kind: ConfigMap\nmetadata:\n"),
            (
                "c/templates/d.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  annotations:\n  labels:\ndata:\n  key: value\n",
            ),
            (
                "c/templates/c.yaml",
                "kind:\nmetadata:\n  name: c\n  annotations:\n    helm.sh/hook:\n",
            ),
        ]);
        let sorted = sort(&rendered).unwrap();
        let names: Vec<(&str, &str)> = sorted
            .manifests
            .iter()
            .map(|m| (m.kind.as_str(), m.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [("ConfigMap", ""), ("ConfigMap", "d"), ("Service", "a")]
        );
        assert!(
            sorted.hooks.is_empty(),
            "an empty hook annotation is unknown"
        );
    }

    #[test]
    fn a_document_that_is_not_yaml_names_its_template() {
        let error = sort(&files(&[("c/templates/x.yaml", "kind: [unclosed")])).unwrap_err();
        assert!(error.to_string().contains("c/templates/x.yaml"));
    }
}
