//! The objects of a deployed revision as it left them: each object's UID
//! and `resourceVersion` once the revision's rollout was done, kept in an
//! annotation of the revision's record. An object still at that version
//! has not been written since, so applying the same manifest again would
//! change nothing: the drift check needs no dry-run apply for it. Any write
//! since (an edit, a controller's status update, a re-creation) moves the
//! version, and the object is checked in full. A record without the
//! annotation (written by real helm, or by a rollback) has every object
//! checked in full.

use std::collections::BTreeMap;

use kube::api::DynamicObject;

use super::object::Object;
use crate::helm::release::Release;

/// The record annotation holding the ledger, as JSON.
pub const ANNOTATION: &str = "upbound-connect.io/object-versions";

/// The version each object of a revision was left at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger(BTreeMap<String, String>);

impl Ledger {
    /// The ledger `release`'s record keeps (empty when it keeps none).
    pub fn of(release: &Release) -> Self {
        release
            .annotations
            .get(ANNOTATION)
            .and_then(|text| serde_json::from_str(text).ok())
            .map(Self)
            .unwrap_or_default()
    }

    /// Notes the version `live` (the object `target` stands for) is at.
    pub fn record(&mut self, target: &Object, live: &DynamicObject) {
        if let Some(version) = version(live) {
            self.0.insert(key(target), version);
        }
    }

    /// Whether `live` is still at the version the ledger noted for it.
    pub fn unchanged(&self, target: &Object, live: &DynamicObject) -> bool {
        version(live).is_some_and(|version| self.0.get(&key(target)) == Some(&version))
    }

    /// The ledger as the record annotation's value.
    pub fn annotation(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }
}

/// How the ledger names an object: as Helm matches objects, by group,
/// kind, namespace and name.
fn key(target: &Object) -> String {
    let reference = &target.reference;
    format!(
        "{}/{}/{}/{}",
        reference.group,
        reference.kind,
        reference.namespace.as_deref().unwrap_or_default(),
        reference.name
    )
}

/// An object's version: its UID (a re-created object is another) and its
/// `resourceVersion`.
fn version(live: &DynamicObject) -> Option<String> {
    let metadata = &live.metadata;
    Some(format!(
        "{}/{}",
        metadata.uid.as_deref()?,
        metadata.resource_version.as_deref()?
    ))
}
