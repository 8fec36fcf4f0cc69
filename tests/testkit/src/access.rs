//! Hub RBAC as the real apiserver's RBAC authorizer sees it: what an
//! identity may do on control planes (asked with `SubjectAccessReview`s),
//! clients that impersonate an identity, the `controlplanes` CRD for real
//! requests, and group namespaces.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, RoleBinding};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::Api;
use kube::api::{ApiResource, DynamicObject, ListParams, ObjectMeta, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::runtime::wait::{await_condition, conditions};
use upbound_connect::engine::CONNECTION_LABEL;

use crate::{harness_env, unique_name};

/// Verbs asked about on `controlplanes`.
const CONTROLPLANE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];
/// Verbs asked about on `controlplanes/k8s`: the three levels and a plain one.
const K8S_VERBS: &[&str] = &["admin", "edit", "view", "get"];

/// Who asks: a user name and the groups they are in.
#[derive(Clone, Debug)]
pub struct Identity {
    /// The user name, e.g. `upbound:user:alice`.
    pub user: String,
    /// The groups, e.g. `upbound:org-role:member`.
    pub groups: Vec<String>,
}

impl Identity {
    /// A user in no group.
    pub fn user(name: &str) -> Self {
        Self {
            user: name.to_owned(),
            groups: Vec::new(),
        }
    }

    /// A fresh user in `groups`.
    pub fn member_of(groups: &[&str]) -> Self {
        Self {
            user: format!("upbound:user:{}", unique_name("member")),
            groups: groups.iter().map(|group| (*group).to_owned()).collect(),
        }
    }
}

/// How long the RBAC authorizer may take to see an RBAC write: it answers
/// from informer caches that follow the apiserver's watch a moment behind.
const AUTHORIZER_LAG: Duration = Duration::from_secs(10);

/// Asserts that `who` may do exactly `expected` on control planes in
/// `namespace` (`None`: across all namespaces), once the authorizer has
/// caught up with the writes before; `why` is the failure's message.
/// [`level`] builds the usual sets.
pub async fn assert_allowed(
    kube: &kube::Client,
    who: &Identity,
    namespace: Option<&str>,
    expected: BTreeSet<String>,
    why: &str,
) {
    let answer = settled(&expected, || allowed(kube, who, namespace)).await;
    assert_eq!(
        answer, expected,
        "{why} ({} in {namespace:?}, after {AUTHORIZER_LAG:?})",
        who.user
    );
}

/// Asserts that listing control planes in `namespace` as `who` ends as
/// `expected` (`Ok` or the HTTP status), once the authorizer has caught up
/// with the writes before.
pub async fn assert_listing(who: &Identity, namespace: &str, expected: Result<(), u16>) {
    let answer = settled(&expected, || list_control_planes(who, namespace)).await;
    assert_eq!(
        answer, expected,
        "{} listing control planes in {namespace}, after {AUTHORIZER_LAG:?}",
        who.user
    );
}

/// Asks until the answer is `expected` or [`AUTHORIZER_LAG`] has passed;
/// the last answer.
async fn settled<T: PartialEq, F: Future<Output = T>>(
    expected: &T,
    mut ask: impl FnMut() -> F,
) -> T {
    let deadline = tokio::time::Instant::now() + AUTHORIZER_LAG;
    loop {
        let answer = ask().await;
        if answer == *expected || tokio::time::Instant::now() >= deadline {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What `who` may do on control planes in `namespace` (`None`: across all
/// namespaces), as `"<verb> <resource>"`, e.g. `"view controlplanes/k8s"`,
/// as the authorizer answers now.
async fn allowed(kube: &kube::Client, who: &Identity, namespace: Option<&str>) -> BTreeSet<String> {
    let asks = CONTROLPLANE_VERBS
        .iter()
        .map(|verb| (*verb, None))
        .chain(K8S_VERBS.iter().map(|verb| (*verb, Some("k8s"))));
    let mut allowed = BTreeSet::new();
    for (verb, subresource) in asks {
        let attributes = ResourceAttributes {
            group: Some("spaces.upbound.io".to_owned()),
            resource: Some("controlplanes".to_owned()),
            subresource: subresource.map(str::to_owned),
            verb: Some(verb.to_owned()),
            namespace: namespace.map(str::to_owned),
            ..ResourceAttributes::default()
        };
        if may(kube, who, attributes).await {
            let resource = match subresource {
                Some(sub) => format!("controlplanes/{sub}"),
                None => "controlplanes".to_owned(),
            };
            allowed.insert(format!("{verb} {resource}"));
        }
    }
    allowed
}

/// Waits until the authorizer lets `who` do what `attributes` describe (it
/// lags RBAC writes); panics after [`AUTHORIZER_LAG`].
pub async fn await_permission(kube: &kube::Client, who: &Identity, attributes: ResourceAttributes) {
    let granted = settled(&true, || may(kube, who, attributes.clone())).await;
    assert!(
        granted,
        "{} not granted {attributes:?} after {AUTHORIZER_LAG:?}",
        who.user
    );
}

/// Whether the authorizer lets `who` do what `attributes` describe, now.
async fn may(kube: &kube::Client, who: &Identity, attributes: ResourceAttributes) -> bool {
    let review = SubjectAccessReview {
        spec: SubjectAccessReviewSpec {
            user: Some(who.user.clone()),
            groups: Some(who.groups.clone()),
            resource_attributes: Some(attributes),
            ..SubjectAccessReviewSpec::default()
        },
        ..SubjectAccessReview::default()
    };
    Api::<SubjectAccessReview>::all(kube.clone())
        .create(&PostParams::default(), &review)
        .await
        .expect("SubjectAccessReview answered")
        .status
        .is_some_and(|status| status.allowed)
}

/// What a level allows: reading control planes and its verb on
/// `controlplanes/k8s`; `None` is nothing at all.
pub fn level(verb: Option<&str>) -> BTreeSet<String> {
    let Some(verb) = verb else {
        return BTreeSet::new();
    };
    [
        "get controlplanes",
        "list controlplanes",
        "watch controlplanes",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([format!("{verb} controlplanes/k8s")])
    .collect()
}

/// Creates namespace `name` (a control-plane group).
pub async fn create_namespace(kube: &kube::Client, name: &str) {
    let namespaces: Api<Namespace> = Api::all(kube.clone());
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    };
    namespaces
        .create(&PostParams::default(), &namespace)
        .await
        .expect("namespace created");
}

/// A fresh group namespace.
pub async fn new_group(kube: &kube::Client) -> String {
    let name = unique_name("group");
    create_namespace(kube, &name).await;
    name
}

/// The RBAC objects labelled for the connection in `namespace`, as
/// `Kind name` (`RoleBinding namespace/name`) to resourceVersion.
pub async fn ours(kube: &kube::Client, namespace: &str) -> BTreeMap<String, String> {
    let params = ListParams::default().labels(&format!("{CONNECTION_LABEL}={namespace}"));
    let version = |meta: ObjectMeta| meta.resource_version.expect("stored objects have versions");
    let mut found = BTreeMap::new();
    for role in Api::<ClusterRole>::all(kube.clone())
        .list(&params)
        .await
        .expect("list")
        .items
    {
        let name = format!(
            "ClusterRole {}",
            role.metadata.name.clone().unwrap_or_default()
        );
        found.insert(name, version(role.metadata));
    }
    for binding in Api::<ClusterRoleBinding>::all(kube.clone())
        .list(&params)
        .await
        .expect("list")
        .items
    {
        let name = format!(
            "ClusterRoleBinding {}",
            binding.metadata.name.clone().unwrap_or_default()
        );
        found.insert(name, version(binding.metadata));
    }
    for binding in Api::<RoleBinding>::all(kube.clone())
        .list(&params)
        .await
        .expect("list")
        .items
    {
        let name = format!(
            "RoleBinding {}/{}",
            binding.metadata.namespace.clone().unwrap_or_default(),
            binding.metadata.name.clone().unwrap_or_default()
        );
        found.insert(name, version(binding.metadata));
    }
    found
}

/// The `controlplanes.spaces.upbound.io` resource, for real requests.
pub fn control_planes() -> ApiResource {
    ApiResource {
        group: "spaces.upbound.io".to_owned(),
        version: "v1beta1".to_owned(),
        api_version: "spaces.upbound.io/v1beta1".to_owned(),
        kind: "ControlPlane".to_owned(),
        plural: "controlplanes".to_owned(),
    }
}

/// Installs a minimal `controlplanes.spaces.upbound.io` CRD (once per
/// apiserver) and waits until it is served.
pub async fn install_control_plane_crd(kube: &kube::Client) {
    let name = "controlplanes.spaces.upbound.io";
    let crd: CustomResourceDefinition = serde_json::from_value(serde_json::json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": name},
        "spec": {
            "group": "spaces.upbound.io",
            "scope": "Namespaced",
            "names": {"plural": "controlplanes", "singular": "controlplane", "kind": "ControlPlane", "listKind": "ControlPlaneList"},
            "versions": [{
                "name": "v1beta1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}
            }]
        }
    }))
    .expect("CRD");
    let crds: Api<CustomResourceDefinition> = Api::all(kube.clone());
    match crds.create(&PostParams::default(), &crd).await {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.code == 409 => {}
        Err(error) => panic!("CRD not created: {error}"),
    }
    tokio::time::timeout(
        Duration::from_secs(30),
        await_condition(crds, name, conditions::is_crd_established()),
    )
    .await
    .expect("CRD established in time")
    .expect("CRD watched");
}

/// A client acting as `who` (impersonation headers, sent with the harness's
/// admin credentials).
pub async fn client_as(who: &Identity) -> kube::Client {
    let kubeconfig = Kubeconfig::read_from(harness_env("KUBECONFIG")).expect("readable kubeconfig");
    let mut config =
        kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
            .await
            .expect("valid kubeconfig");
    config.auth_info.impersonate = Some(who.user.clone());
    config.auth_info.impersonate_groups =
        Some(who.groups.clone()).filter(|groups| !groups.is_empty());
    kube::Client::try_from(config).expect("kube client")
}

/// Lists control planes in `namespace` as `who`: `Ok` or the HTTP status.
async fn list_control_planes(who: &Identity, namespace: &str) -> Result<(), u16> {
    let client = client_as(who).await;
    let api: Api<DynamicObject> = Api::namespaced_with(client, namespace, &control_planes());
    match api.list(&ListParams::default()).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) => Err(status.code),
        Err(error) => panic!("list control planes: {error}"),
    }
}
