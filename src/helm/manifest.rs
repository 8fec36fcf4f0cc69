//! From rendered template files to what Helm installs: each file split into
//! YAML documents, empty ones dropped, hooks set apart, and the rest sorted
//! in Helm's install order (stable by kind, then as rendered); the release
//! manifest is their concatenation under `# Source:` lines.

use std::collections::BTreeMap;

use serde::Deserialize;

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
    /// Documents annotated `helm.sh/hook`, in render order.
    pub hooks: Vec<Manifest>,
}

/// A rendered document that is not a Kubernetes object.
#[derive(Debug, thiserror::Error)]
#[error("{source_file}: a rendered document is not valid YAML: {problem}")]
pub struct ManifestError {
    /// The template it came from.
    pub source_file: String,
    /// The YAML parser's complaint.
    pub problem: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Head {
    kind: String,
    metadata: HeadMetadata,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HeadMetadata {
    name: String,
    annotations: BTreeMap<String, String>,
}

/// Splits and sorts rendered files (template name → text). Files whose name
/// starts with `_`, `NOTES.txt` and whitespace-only documents are skipped.
pub fn sort(rendered: &BTreeMap<String, String>) -> Result<SortedManifests, ManifestError> {
    let mut sorted = SortedManifests::default();
    for (source, text) in rendered {
        let base = source.rsplit('/').next().unwrap_or(source);
        if base.starts_with('_') || base == "NOTES.txt" {
            continue;
        }
        for document in split_documents(text) {
            let head: Head = serde_saphyr::from_str(&document).map_err(|error| ManifestError {
                source_file: source.clone(),
                problem: error.to_string(),
            })?;
            let manifest = Manifest {
                source: source.clone(),
                kind: head.kind,
                name: head.metadata.name,
                content: document,
            };
            if head.metadata.annotations.contains_key(HOOK_ANNOTATION) {
                sorted.hooks.push(manifest);
            } else {
                sorted.manifests.push(manifest);
            }
        }
    }
    sorted
        .manifests
        .sort_by(|a, b| install_rank(&a.kind).cmp(&install_rank(&b.kind)));
    Ok(sorted)
}

/// The install position of `kind`: known kinds by the list, the rest after
/// them by name.
fn install_rank(kind: &str) -> (usize, &str) {
    match INSTALL_ORDER.iter().position(|known| *known == kind) {
        Some(position) => (position, ""),
        None => (INSTALL_ORDER.len(), kind),
    }
}

/// The non-empty documents of `text`, split on lines starting with `---`,
/// each with leading whitespace removed (as Helm's `SplitManifests`).
fn split_documents(text: &str) -> Vec<String> {
    let mut documents = vec![String::new()];
    for line in text.split_inclusive('\n') {
        let separator = line.strip_prefix("---").is_some_and(|rest| {
            rest.trim_end_matches(['\n', '\r'])
                .chars()
                .all(|c| c == ' ' || c == '\t')
        });
        if separator {
            documents.push(String::new());
        } else {
            documents.last_mut().expect("at least one").push_str(line);
        }
    }
    documents
        .into_iter()
        .filter(|document| !document.trim().is_empty())
        .map(|document| document.trim_start().trim_end().to_owned())
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
    fn a_document_that_is_not_yaml_names_its_template() {
        let error = sort(&files(&[("c/templates/x.yaml", "kind: [unclosed")])).unwrap_err();
        assert!(error.to_string().contains("c/templates/x.yaml"));
    }
}
