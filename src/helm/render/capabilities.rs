//! `.Capabilities`: the cluster's Kubernetes version and API versions, and
//! Helm's version. From a live cluster through discovery, as `helm install`
//! reads them (`action.getCapabilities`), or Helm's built-in defaults, as
//! `helm template` uses them (`chartutil.DefaultCapabilities`).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::cluster::{Cluster, ClusterError};
use gotemplate::{Dict, Field, FuncError, Function, List, Methods, Value};

/// The API versions `helm template` assumes (Helm v3.21.4's
/// `allKnownVersions`: client-go v0.36's scheme plus apiextensions), in
/// Helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// The Kubernetes version a release build of Helm v3.21.4 assumes for
/// `helm template` (its Makefile derives it from client-go v0.36).
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// The Helm version charts see (`.Capabilities.HelmVersion.Version`).
pub const HELM_VERSION: &str = "v3.21.4";

/// What charts see as `.Capabilities`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The cluster's Kubernetes version.
    pub kube_version: KubeVersion,
    /// `group/version` and `group/version/Kind` entries the cluster serves.
    pub api_versions: Vec<String>,
    /// Helm's build information.
    pub helm_version: HelmVersion,
}

/// `.Capabilities.KubeVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// The full version, e.g. `v1.30.2` (also `GitVersion`).
    pub version: String,
    /// The major version, e.g. `1`.
    pub major: String,
    /// The minor version as the server reports it, e.g. `30` (or `30+`).
    pub minor: String,
}

/// `.Capabilities.HelmVersion` (Helm's `version.BuildInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmVersion {
    /// The SemVer of Helm, e.g. `v3.21.4`.
    pub version: String,
    /// The git commit Helm was built from.
    pub git_commit: String,
    /// `clean` or `dirty`.
    pub git_tree_state: String,
    /// The Go version Helm was built with.
    pub go_version: String,
}

impl Default for HelmVersion {
    fn default() -> Self {
        HelmVersion {
            version: HELM_VERSION.to_owned(),
            git_commit: String::new(),
            git_tree_state: "clean".to_owned(),
            go_version: String::new(),
        }
    }
}

impl KubeVersion {
    /// A version from its `vMAJOR.MINOR.PATCH` form (Helm's
    /// `ParseKubeVersion`, as `--kube-version` uses it); `None` if it is not
    /// one.
    pub fn parse(version: &str) -> Option<KubeVersion> {
        let trimmed = version.trim_start_matches('v');
        let core = trimmed.split(['-', '+']).next().unwrap_or(trimmed);
        let mut parts = core.split('.').map(|part| part.parse::<u64>().ok());
        let (major, minor) = (parts.next()??, parts.next()??);
        let patch = parts.next().flatten().unwrap_or(0);
        Some(KubeVersion {
            version: format!("v{major}.{minor}.{patch}{}", &trimmed[core.len()..]),
            major: major.to_string(),
            minor: minor.to_string(),
        })
    }
}

impl Capabilities {
    /// What `helm template` assumes without a cluster: Helm's default
    /// Kubernetes version and built-in API versions.
    pub fn helm_template_default() -> Capabilities {
        Capabilities {
            kube_version: KubeVersion::parse(DEFAULT_KUBE_VERSION).expect("a valid version"),
            api_versions: DEFAULT_API_VERSIONS
                .iter()
                .map(|v| (*v).to_owned())
                .collect(),
            helm_version: HelmVersion::default(),
        }
    }

    /// The cluster's version and every served `group/version` and
    /// `group/version/Kind`, as `helm install` reads them through
    /// discovery (read once per cluster client, [`Cluster`]'s discovery).
    pub async fn discover(cluster: &Cluster) -> Result<Capabilities, ClusterError> {
        let served = cluster.served().await?;
        Ok(Capabilities {
            kube_version: KubeVersion {
                version: served.version.git_version.clone(),
                major: served.version.major.clone(),
                minor: served.version.minor.clone(),
            },
            api_versions: served.version_set.iter().cloned().collect(),
            helm_version: HelmVersion::default(),
        })
    }

    /// The `.Capabilities` object (a `*chartutil.Capabilities`): Go's
    /// structs, printed and encoded as Go does. `KubeVersion` has the
    /// pointer-receiver `String` and `GitVersion`, so an action prints it
    /// as its version but `print`/`quote` give `{v1.30.2 1 30}`;
    /// `APIVersions` is the list, with `Has`.
    pub(super) fn to_value(&self) -> Value {
        let kube_version = self.kube_version.version.clone();
        let git_version: Function = Arc::new(move |_, args| {
            FuncError::expect_args(args, 0)?;
            Ok(Value::String(kube_version.clone()))
        });
        let api_versions = Arc::new(self.api_versions.clone());
        let has: Function = Arc::new(move |_, args| {
            FuncError::expect_args(args, 1)?;
            let wanted = FuncError::string_arg(args, 0)?;
            Ok(Value::Bool(api_versions.iter().any(|v| v == wanted)))
        });
        let kube_fields = fields([
            ("Version", self.kube_version.version.as_str().into()),
            ("Major", self.kube_version.major.as_str().into()),
            ("Minor", self.kube_version.minor.as_str().into()),
        ]);
        let kube_methods = Methods::of_struct("chartutil.KubeVersion")
            .fields(KUBE_VERSION_FIELDS)
            .method("GitVersion", git_version)
            .pointer_string(self.kube_version.version.as_str());
        let api_list = self
            .api_versions
            .iter()
            .map(|version| Value::from(version.as_str()))
            .collect();
        let helm = &self.helm_version;
        let helm_fields = fields([
            ("Version", helm.version.as_str().into()),
            ("GitCommit", helm.git_commit.as_str().into()),
            ("GitTreeState", helm.git_tree_state.as_str().into()),
            ("GoVersion", helm.go_version.as_str().into()),
        ]);
        let capabilities = fields([
            (
                "KubeVersion",
                Value::Map(Dict::with_methods(kube_fields, kube_methods)),
            ),
            (
                "APIVersions",
                Value::List(List::with_methods(
                    api_list,
                    Methods::new("chartutil.VersionSet").method("Has", has),
                )),
            ),
            (
                "HelmVersion",
                Value::Map(Dict::with_methods(
                    helm_fields,
                    Methods::of_struct("version.BuildInfo").fields(BUILD_INFO_FIELDS),
                )),
            ),
        ]);
        Value::Map(Dict::with_methods(
            capabilities,
            Methods::of_struct("*chartutil.Capabilities").fields(CAPABILITIES_FIELDS),
        ))
    }
}

/// `chartutil.Capabilities`' fields.
const CAPABILITIES_FIELDS: &[Field] = &[
    Field::plain("KubeVersion"),
    Field::plain("APIVersions"),
    Field::plain("HelmVersion"),
];

/// `chartutil.KubeVersion`'s fields.
const KUBE_VERSION_FIELDS: &[Field] = &[
    Field::plain("Version"),
    Field::plain("Major"),
    Field::plain("Minor"),
];

/// Helm's `version.BuildInfo` fields, with their JSON tags.
const BUILD_INFO_FIELDS: &[Field] = &[
    Field::json("Version", "version", true),
    Field::json("GitCommit", "git_commit", true),
    Field::json("GitTreeState", "git_tree_state", true),
    Field::json("GoVersion", "go_version", true),
];

/// A struct's entries by field name.
fn fields<const N: usize>(entries: [(&str, Value); N]) -> BTreeMap<String, Value> {
    entries
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

/// A map value from fixed entries.
pub(super) fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::map(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_parse_as_helm_does() {
        let parsed = KubeVersion::parse("1.30").unwrap();
        assert_eq!(
            (
                parsed.version.as_str(),
                parsed.major.as_str(),
                parsed.minor.as_str()
            ),
            ("v1.30.0", "1", "30")
        );
        assert_eq!(
            KubeVersion::parse("v1.29.3-eks-1").unwrap().version,
            "v1.29.3-eks-1"
        );
        assert!(KubeVersion::parse("x").is_none());
    }
}
