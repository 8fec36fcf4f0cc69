//! A release's Kubernetes objects through kube's dynamic API: discovery
//! maps `apiVersion`/`kind` to a resource (namespaced objects default to the
//! release namespace), Helm's ownership metadata is stamped and checked, and
//! objects are server-side applied under [`FIELD_MANAGER`], read and deleted.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{FieldsV1, ManagedFieldsEntry};
use kube::Api;
use kube::api::{
    ApiResource, DeleteParams, DynamicObject, GroupVersionKind, Patch, PatchParams, PostParams,
};
use kube::discovery::{Scope, pinned_kind};
use serde_json::{Value, json};

use super::InstallError;
use crate::cluster::{Cluster, ClusterError, FIELD_MANAGER};
use crate::helm::manifest::Manifest;
use sprig::goyaml;

/// The label Helm puts on every object of a release.
pub(super) const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// Its value.
const MANAGED_BY_HELM: &str = "Helm";
/// The annotation naming the owning release.
pub(super) const RELEASE_NAME_ANNOTATION: &str = "meta.helm.sh/release-name";
/// The annotation naming the owning release's namespace.
pub(super) const RELEASE_NAMESPACE_ANNOTATION: &str = "meta.helm.sh/release-namespace";
/// The field manager of Helm 3's client-side apply (its binary's name).
const HELM_CSA_MANAGER: &str = "helm";
/// `keep` here spares an object from deletion.
const RESOURCE_POLICY_ANNOTATION: &str = "helm.sh/resource-policy";

/// Which object: Helm matches objects across revisions by group, kind,
/// namespace and name (not version).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    /// The API group (`""` for the core group).
    pub group: String,
    /// The kind.
    pub kind: String,
    /// The namespace; `None` for cluster-scoped objects.
    pub namespace: Option<String>,
    /// The name.
    pub name: String,
}

impl fmt::Display for ObjectRef {
    /// Helm's way: `Deployment "agent" in namespace "upbound-system"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}", self.kind, self.name)?;
        if let Some(namespace) = &self.namespace {
            write!(f, " in namespace {namespace:?}")?;
        }
        Ok(())
    }
}

/// A manifest document resolved against the cluster, ready to apply.
#[derive(Clone, Debug)]
pub(super) struct Object {
    /// Which object.
    pub reference: ObjectRef,
    /// The document as an object (namespace filled in).
    pub body: DynamicObject,
    /// Its resource.
    resource: ApiResource,
}

impl Object {
    /// Whether the document asks to be kept when it leaves the release.
    pub fn keep(&self) -> bool {
        self.body
            .metadata
            .annotations
            .as_ref()
            .and_then(|annotations| annotations.get(RESOURCE_POLICY_ANNOTATION))
            .is_some_and(|policy| policy.trim().eq_ignore_ascii_case("keep"))
    }

    /// Adds Helm's ownership label and annotations for `release`.
    pub fn stamp_ownership(&mut self, release: &str, namespace: &str) {
        let metadata = &mut self.body.metadata;
        metadata
            .labels
            .get_or_insert_with(BTreeMap::new)
            .insert(MANAGED_BY_LABEL.to_owned(), MANAGED_BY_HELM.to_owned());
        let annotations = metadata.annotations.get_or_insert_with(BTreeMap::new);
        annotations.insert(RELEASE_NAME_ANNOTATION.to_owned(), release.to_owned());
        annotations.insert(
            RELEASE_NAMESPACE_ANNOTATION.to_owned(),
            namespace.to_owned(),
        );
    }
}

/// Helm's ownership validation of a live object for `release` in
/// `namespace`: the problems, in Helm's words; empty when it is owned.
pub(super) fn ownership_problems(
    live: &DynamicObject,
    release: &str,
    namespace: &str,
) -> Vec<String> {
    let empty = BTreeMap::new();
    let labels = live.metadata.labels.as_ref().unwrap_or(&empty);
    let annotations = live.metadata.annotations.as_ref().unwrap_or(&empty);
    let expectations = [
        ("label", labels, MANAGED_BY_LABEL, MANAGED_BY_HELM),
        ("annotation", annotations, RELEASE_NAME_ANNOTATION, release),
        (
            "annotation",
            annotations,
            RELEASE_NAMESPACE_ANNOTATION,
            namespace,
        ),
    ];
    expectations
        .into_iter()
        .filter_map(|(what, map, key, want)| match map.get(key) {
            None => Some(format!(
                "{what} validation error: missing key {key:?}: must be set to {want:?}"
            )),
            Some(value) if value != want => Some(format!(
                "{what} validation error: key {key:?} must equal {want:?}: current value is {value:?}"
            )),
            Some(_) => None,
        })
        .collect()
}

/// The objects of one release namespace, with a cache of the kinds the
/// cluster's discovery did not know.
pub(super) struct Objects {
    cluster: Cluster,
    resources: HashMap<(String, String), (ApiResource, bool)>,
}

impl Objects {
    /// Objects in `cluster`; its namespace is the release namespace.
    pub fn new(cluster: Cluster) -> Self {
        Self {
            cluster,
            resources: HashMap::new(),
        }
    }

    /// Resolves a rendered document: its resource, scope and namespace.
    pub async fn resolve(&mut self, manifest: &Manifest) -> Result<Object, InstallError> {
        let not_an_object = |problem: String| InstallError::Manifest {
            source_file: manifest.source.clone(),
            problem,
        };
        // As Helm's kube client reads it: YAML to JSON, where a null
        // (`annotations:` with nothing under it) stays null and means unset.
        let value: serde_json::Value =
            goyaml::from_str(&manifest.content).map_err(|e| not_an_object(e.to_string()))?;
        let mut body: DynamicObject =
            serde_json::from_value(value).map_err(|e| not_an_object(e.to_string()))?;
        let types = body
            .types
            .clone()
            .ok_or_else(|| not_an_object("no apiVersion or kind".to_owned()))?;
        let name = body
            .metadata
            .name
            .clone()
            .ok_or_else(|| not_an_object("no metadata.name".to_owned()))?;
        let (resource, namespaced) = self.resource(&types.api_version, &types.kind).await?;
        if namespaced {
            body.metadata
                .namespace
                .get_or_insert_with(|| self.cluster.namespace().to_owned());
        } else {
            body.metadata.namespace = None;
        }
        Ok(Object {
            reference: ObjectRef {
                group: resource.group.clone(),
                kind: types.kind,
                namespace: body.metadata.namespace.clone(),
                name,
            },
            body,
            resource,
        })
    }

    /// The resource serving `kind` in `api_version`, and whether it is
    /// namespaced: from the cluster's discovery, or (a kind served since,
    /// e.g. by a CRD this install created) one discovery request for it,
    /// then cached.
    async fn resource(
        &mut self,
        api_version: &str,
        kind: &str,
    ) -> Result<(ApiResource, bool), InstallError> {
        if let Some(known) = self.cluster.served().await?.resource(api_version, kind) {
            return Ok(known.clone());
        }
        let key = (api_version.to_owned(), kind.to_owned());
        if let Some(known) = self.resources.get(&key) {
            return Ok(known.clone());
        }
        let (group, version) = match api_version.split_once('/') {
            Some((group, version)) => (group, version),
            None => ("", api_version),
        };
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let client = self.cluster.client().clone();
        let action = format!("discover {kind} in {api_version}");
        // A group/version the server does not serve is a 404, a kind
        // missing from a served one kube's own discovery error: both mean
        // "not served", and neither is worth retrying.
        let found = self
            .cluster
            .call(&action, || async {
                match pinned_kind(&client, &gvk).await {
                    Ok(found) => Ok(Some(found)),
                    Err(kube::Error::Discovery(_)) => Ok(None),
                    Err(kube::Error::Api(status)) if status.code == 404 => Ok(None),
                    Err(error) => Err(error),
                }
            })
            .await?;
        let Some((resource, capabilities)) = found else {
            return Err(InstallError::UnknownKind {
                api_version: api_version.to_owned(),
                kind: kind.to_owned(),
            });
        };
        let known = (resource, capabilities.scope == Scope::Namespaced);
        self.resources.insert(key, known.clone());
        Ok(known)
    }

    fn api(&self, object: &Object) -> Api<DynamicObject> {
        let client = self.cluster.client().clone();
        match &object.reference.namespace {
            Some(namespace) => Api::namespaced_with(client, namespace, &object.resource),
            None => Api::all_with(client, &object.resource),
        }
    }

    /// The live object, `None` if it does not exist.
    pub async fn get(&self, object: &Object) -> Result<Option<DynamicObject>, ClusterError> {
        let api = self.api(object);
        let name = &object.reference.name;
        let action = format!("read {}", object.reference);
        self.cluster.call(&action, || api.get_opt(name)).await
    }

    /// Creates `object`, never changing an existing one: `false` when one
    /// of its name exists.
    pub async fn create(&self, object: &Object) -> Result<bool, ClusterError> {
        let api = self.api(object);
        let action = format!("create {}", object.reference);
        self.cluster
            .call(&action, || async {
                match api.create(&PostParams::default(), &object.body).await {
                    Ok(_) => Ok(true),
                    Err(kube::Error::Api(status)) if status.reason == "AlreadyExists" => Ok(false),
                    Err(error) => Err(error),
                }
            })
            .await
    }

    /// A watchable API for `object`'s resource.
    pub fn watch_api(&self, object: &Object) -> Api<DynamicObject> {
        self.api(object)
    }

    /// Server-side applies `object` under [`FIELD_MANAGER`] (`dry_run`:
    /// only asks the server what the result would be). A conflict with
    /// fields an imperative writer set (field managers whose operation is
    /// `Update`: `kubectl edit`, client-side-apply helm) is an out-of-band
    /// edit the release overrides, as `helm upgrade` would; a conflict with
    /// another applier is refused unless `take_ownership`.
    pub async fn apply(
        &self,
        object: &Object,
        live: Option<&DynamicObject>,
        take_ownership: bool,
        dry_run: bool,
    ) -> Result<DynamicObject, InstallError> {
        match self.patch(object, take_ownership, dry_run).await {
            Err(error) if error.is_field_manager_conflict() => {
                let conflicts = field_conflicts(&error);
                let appliers: Vec<String> = conflicts
                    .iter()
                    .filter(|(manager, _)| !is_imperative(live, manager))
                    .map(|(manager, _)| format!("{manager:?}"))
                    .collect();
                if appliers.is_empty() && !conflicts.is_empty() {
                    return Ok(self.patch(object, true, dry_run).await?);
                }
                let mut managers = appliers;
                managers.dedup();
                Err(InstallError::Conflict {
                    object: object.reference.to_string(),
                    managers,
                    fields: conflicts.into_iter().map(|(_, field)| field).collect(),
                })
            }
            result => Ok(result?),
        }
    }

    /// Makes fields that Helm 3 wrote with client-side apply (field manager
    /// `helm`, operation `Update`) ours, as `kubectl`'s and Helm 4's
    /// CSA-to-SSA migration does: `helm`'s field set is merged into our
    /// apply entry and its entry dropped, so our next apply owns them all
    /// and removes those that left the manifest. Nothing to do, no write.
    pub async fn take_over_helm_fields(
        &self,
        object: &Object,
        live: &DynamicObject,
    ) -> Result<(), ClusterError> {
        let entries = live.metadata.managed_fields.clone().unwrap_or_default();
        let is_helms = |entry: &ManagedFieldsEntry| {
            entry.manager.as_deref() == Some(HELM_CSA_MANAGER)
                && entry.operation.as_deref() == Some("Update")
                && entry.subresource.as_deref().unwrap_or_default().is_empty()
        };
        let (helms, mut kept): (Vec<_>, Vec<_>) = entries.into_iter().partition(is_helms);
        if helms.is_empty() {
            return Ok(());
        }
        let position = kept.iter().position(|entry| {
            entry.manager.as_deref() == Some(FIELD_MANAGER)
                && entry.operation.as_deref() == Some("Apply")
        });
        let mut ours = match position {
            Some(position) => kept.remove(position),
            None => ManagedFieldsEntry {
                api_version: helms[0].api_version.clone(),
                fields_type: Some("FieldsV1".to_owned()),
                manager: Some(FIELD_MANAGER.to_owned()),
                operation: Some("Apply".to_owned()),
                time: helms[0].time.clone(),
                ..ManagedFieldsEntry::default()
            },
        };
        let mut fields = ours.fields_v1.take().map_or_else(|| json!({}), |f| f.0);
        for helm in helms {
            if let Some(theirs) = helm.fields_v1 {
                merge_fields(&mut fields, theirs.0);
            }
        }
        ours.fields_v1 = Some(FieldsV1(fields));
        kept.push(ours);
        let api = self.api(object);
        let name = &object.reference.name;
        let patch = Patch::Merge(json!({"metadata": {"managedFields": kept}}));
        let params = PatchParams::default();
        let action = format!("take over helm's fields of {}", object.reference);
        self.cluster
            .call(&action, || api.patch(name, &params, &patch))
            .await?;
        Ok(())
    }

    async fn patch(
        &self,
        object: &Object,
        force: bool,
        dry_run: bool,
    ) -> Result<DynamicObject, ClusterError> {
        let api = self.api(object);
        let mut params = PatchParams::apply(FIELD_MANAGER);
        params.force = force;
        params.dry_run = dry_run;
        let patch = Patch::Apply(&object.body);
        let name = &object.reference.name;
        let action = format!("apply {}", object.reference);
        self.cluster
            .call(&action, || api.patch(name, &params, &patch))
            .await
    }

    /// Deletes `object` with background propagation; already gone is fine.
    pub async fn delete(&self, object: &Object) -> Result<(), ClusterError> {
        let api = self.api(object);
        let name = &object.reference.name;
        let params = DeleteParams::background();
        let action = format!("delete {}", object.reference);
        match self
            .cluster
            .call(&action, || api.delete(name, &params))
            .await
        {
            Err(error) if !error.is_not_found() => Err(error),
            _ => Ok(()),
        }
    }
}

/// The (field manager, field) pairs of an apply conflict, from the
/// server's causes: each says `conflict with "MANAGER"…` about one field.
fn field_conflicts(error: &ClusterError) -> Vec<(String, String)> {
    let ClusterError::Api { status, .. } = error else {
        return Vec::new();
    };
    let Some(details) = &status.details else {
        return Vec::new();
    };
    details
        .causes
        .iter()
        .filter(|cause| cause.reason == "FieldManagerConflict")
        .filter_map(|cause| {
            let quoted = cause.message.split('"').nth(1)?;
            Some((quoted.to_owned(), cause.field.clone()))
        })
        .collect()
}

/// Adds field set `theirs` to `ours` (both `fieldsV1` trees).
fn merge_fields(ours: &mut Value, theirs: Value) {
    match (ours, theirs) {
        (Value::Object(ours), Value::Object(theirs)) => {
            for (key, value) in theirs {
                match ours.get_mut(&key) {
                    Some(existing) => merge_fields(existing, value),
                    None => {
                        ours.insert(key, value);
                    }
                }
            }
        }
        (ours, theirs) if ours.is_null() => *ours = theirs,
        _ => {}
    }
}

/// Whether `manager` wrote to `live` only by imperative updates.
fn is_imperative(live: Option<&DynamicObject>, manager: &str) -> bool {
    let entries = live
        .and_then(|live| live.metadata.managed_fields.as_ref())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut mine = entries
        .iter()
        .filter(|entry| entry.manager.as_deref() == Some(manager))
        .peekable();
    mine.peek().is_some() && mine.all(|entry| entry.operation.as_deref() == Some("Update"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(labels: &[(&str, &str)], annotations: &[(&str, &str)]) -> DynamicObject {
        let map = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let mut object = DynamicObject::new(
            "x",
            &ApiResource::erase::<k8s_openapi::api::core::v1::ConfigMap>(&()),
        );
        object.metadata.labels = Some(map(labels));
        object.metadata.annotations = Some(map(annotations));
        object
    }

    #[test]
    fn an_owned_object_has_no_problems() {
        let object = live(
            &[(MANAGED_BY_LABEL, "Helm")],
            &[
                (RELEASE_NAME_ANNOTATION, "agent"),
                (RELEASE_NAMESPACE_ANNOTATION, "ns"),
            ],
        );
        assert!(ownership_problems(&object, "agent", "ns").is_empty());
    }

    #[test]
    fn ownership_problems_speak_helms_words() {
        let object = live(&[], &[(RELEASE_NAME_ANNOTATION, "other")]);
        let problems = ownership_problems(&object, "agent", "ns");
        assert_eq!(
            problems,
            [
                r#"label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm""#,
                r#"annotation validation error: key "meta.helm.sh/release-name" must equal "agent": current value is "other""#,
                r#"annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "ns""#,
            ]
        );
    }

    #[test]
    fn field_sets_merge_as_unions() {
        let mut ours = json!({"f:spec": {"f:replicas": {}}});
        merge_fields(
            &mut ours,
            json!({"f:spec": {"f:template": {".": {}}}, "f:metadata": {}}),
        );
        assert_eq!(
            ours,
            json!({"f:spec": {"f:replicas": {}, "f:template": {".": {}}}, "f:metadata": {}})
        );
    }

    #[test]
    fn objects_are_named_as_helm_names_them() {
        let reference = ObjectRef {
            group: "apps".to_owned(),
            kind: "Deployment".to_owned(),
            namespace: Some("ns".to_owned()),
            name: "agent".to_owned(),
        };
        assert_eq!(
            reference.to_string(),
            r#"Deployment "agent" in namespace "ns""#
        );
    }
}
