//! Hub RBAC grants: the ClusterRoles and bindings a connection's `access`
//! needs, compared with the ones we made for it, and made to match.
//!
//! Per connection (named after its namespace, so connections of other
//! Spaces in the same cluster never share or remove each other's objects):
//! one ClusterRole per level in use, `upbound-connect:<namespace>:<level>`,
//! allowing `get`/`list`/`watch` on `controlplanes` and the level's special
//! verb on `controlplanes/k8s`; one ClusterRoleBinding per grant in every
//! group, or one RoleBinding in the group's namespace per grant limited to
//! a group. Ours carry [`MANAGED_BY`] and [`CONNECTION_LABEL`]; anything
//! else is never changed or deleted, and a name taken by it is an error.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, RoleBinding, RoleRef, Subject as RbacSubject,
};
use kube::api::ObjectMeta;
use sha2::{Digest, Sha256};

use crate::cluster::{ClusterError, MANAGED_BY, RbacKind, RbacObject, RbacRef};
use crate::spec::{AccessLevel, Field, FieldError, Grant, GrantPart, InvalidInput, Subject};
use crate::upbound::{Organization, Team};

use super::{Engine, EngineError, Observer, Step};

/// The label naming the namespace of the connection an RBAC object is for.
pub const CONNECTION_LABEL: &str = "connect.upbound.io/connection-namespace";
/// The API group of Spaces' control planes.
const SPACES_GROUP: &str = "spaces.upbound.io";
/// The API group of RBAC subjects and role references.
const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// How a connection's RBAC objects differ from its grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccessDrift {
    /// An object the grants need does not exist.
    Missing(RbacRef),
    /// An object of ours was changed out of band.
    Changed(RbacRef),
    /// An object of ours that no grant needs any more.
    Unused(RbacRef),
}

impl fmt::Display for AccessDrift {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing(object) => write!(formatter, "{object} is missing"),
            Self::Changed(object) => write!(formatter, "{object} was changed out of band"),
            Self::Unused(object) => write!(formatter, "{object} is no longer granted"),
        }
    }
}

/// One change that makes a connection's RBAC objects match its grants.
#[derive(Clone, Debug)]
pub(super) enum AccessChange {
    /// Create or repair `object`; `replaced` is deleted first when its
    /// `roleRef`, which Kubernetes never changes in place, differs.
    Apply {
        object: RbacObject,
        replaced: Option<Box<RbacObject>>,
        drift: AccessDrift,
    },
    /// Delete an object of ours that no grant needs.
    Delete(RbacObject),
}

impl AccessChange {
    /// The drift this change repairs.
    pub(super) fn drift(&self) -> AccessDrift {
        match self {
            Self::Apply { drift, .. } => drift.clone(),
            Self::Delete(object) => AccessDrift::Unused(object.reference()),
        }
    }
}

/// The ClusterRole of `level` for the connection in `namespace`.
pub fn role_name(namespace: &str, level: AccessLevel) -> String {
    format!("upbound-connect:{namespace}:{level}")
}

/// The objects `grant` stands on for the connection in `connection` (its
/// namespace): its binding and its level's ClusterRole. Drift in either
/// means the grant is not in effect.
pub fn grant_objects(connection: &str, grant: &Grant) -> [RbacRef; 2] {
    let binding = RbacRef {
        kind: match grant.group {
            Some(_) => RbacKind::RoleBinding,
            None => RbacKind::ClusterRoleBinding,
        },
        namespace: grant.group.clone(),
        name: binding_name(connection, grant),
    };
    let role = RbacRef {
        kind: RbacKind::ClusterRole,
        namespace: None,
        name: role_name(connection, grant.level),
    };
    [binding, role]
}

/// The binding of `grant` for the connection in `namespace`: the level and
/// a digest of the subject (subject names may hold characters object names
/// may not). The level is part of the name because a binding's role cannot
/// change: a new level is a new binding.
fn binding_name(namespace: &str, grant: &Grant) -> String {
    let digest = Sha256::digest(grant.subject.to_string().as_bytes());
    let short: String = digest[..6]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("upbound-connect:{namespace}:{}:{short}", grant.level)
}

/// The label selector of the RBAC objects of the connection in `namespace`.
pub(super) fn selector(namespace: &str) -> String {
    format!(
        "{}={},{CONNECTION_LABEL}={namespace}",
        MANAGED_BY.0, MANAGED_BY.1
    )
}

/// Metadata of an object of ours.
fn metadata(connection: &str, name: String, namespace: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: namespace.map(str::to_owned),
        labels: Some(BTreeMap::from([
            (MANAGED_BY.0.to_owned(), MANAGED_BY.1.to_owned()),
            (CONNECTION_LABEL.to_owned(), connection.to_owned()),
        ])),
        ..ObjectMeta::default()
    }
}

/// What `level` allows: reading control planes, and the level's verb on
/// their Kubernetes API.
fn rules(level: AccessLevel) -> Vec<PolicyRule> {
    let rule = |resource: &str, verbs: &[&str]| PolicyRule {
        api_groups: Some(vec![SPACES_GROUP.to_owned()]),
        resources: Some(vec![resource.to_owned()]),
        verbs: verbs.iter().map(|verb| (*verb).to_owned()).collect(),
        ..PolicyRule::default()
    };
    vec![
        rule("controlplanes", &["get", "list", "watch"]),
        rule("controlplanes/k8s", &[level.verb()]),
    ]
}

/// Every object `grants` need for the connection in `connection` (its
/// namespace): ClusterRoles first, then bindings.
fn desired(connection: &str, grants: &[Grant]) -> Vec<RbacObject> {
    let mut levels: Vec<AccessLevel> = grants.iter().map(|grant| grant.level).collect();
    levels.sort();
    levels.dedup();
    let roles = levels.into_iter().map(|level| {
        RbacObject::ClusterRole(ClusterRole {
            metadata: metadata(connection, role_name(connection, level), None),
            rules: Some(rules(level)),
            ..ClusterRole::default()
        })
    });
    let bindings = grants.iter().map(|grant| {
        let name = binding_name(connection, grant);
        let role_ref = RoleRef {
            api_group: Some(RBAC_GROUP.to_owned()),
            kind: "ClusterRole".to_owned(),
            name: role_name(connection, grant.level),
        };
        let subjects = Some(vec![RbacSubject {
            api_group: Some(RBAC_GROUP.to_owned()),
            kind: grant.subject.kind().as_str().to_owned(),
            name: grant.subject.to_string(),
            namespace: None,
        }]);
        match &grant.group {
            None => RbacObject::ClusterRoleBinding(ClusterRoleBinding {
                metadata: metadata(connection, name, None),
                role_ref,
                subjects,
            }),
            Some(group) => RbacObject::RoleBinding(RoleBinding {
                metadata: metadata(connection, name, Some(group)),
                role_ref,
                subjects,
            }),
        }
    });
    roles.chain(bindings).collect()
}

/// How `found` differs from `wanted` in what we set: `None` if it does not,
/// else whether it can be repaired in place.
fn difference(wanted: &RbacObject, found: &RbacObject) -> Option<Repair> {
    let differs = match (wanted, found) {
        (RbacObject::ClusterRole(wanted), RbacObject::ClusterRole(found)) => {
            wanted.rules != found.rules || found.aggregation_rule.is_some()
        }
        (RbacObject::ClusterRoleBinding(wanted), RbacObject::ClusterRoleBinding(found)) => {
            if wanted.role_ref != found.role_ref {
                return Some(Repair::Replace);
            }
            wanted.subjects != found.subjects
        }
        (RbacObject::RoleBinding(wanted), RbacObject::RoleBinding(found)) => {
            if wanted.role_ref != found.role_ref {
                return Some(Repair::Replace);
            }
            wanted.subjects != found.subjects
        }
        _ => return Some(Repair::Replace),
    };
    differs.then_some(Repair::InPlace)
}

/// How an object of ours that differs is repaired.
enum Repair {
    /// Apply over it.
    InPlace,
    /// Delete it, then apply (its `roleRef` cannot change).
    Replace,
}

impl Engine {
    /// `grants` with each team given by name bound by its ID, looked up in
    /// the organization's teams (listed only when a grant names one). A
    /// name no team has, or several teams have, is the grant's problem, as
    /// is a grant that becomes another's twin once its team is known.
    pub(super) async fn teams_by_id<'a>(
        &self,
        organization: &Organization,
        grants: &'a [Grant],
    ) -> Result<Cow<'a, [Grant]>, EngineError> {
        if !grants
            .iter()
            .any(|grant| matches!(grant.subject, Subject::TeamNamed(_)))
        {
            return Ok(Cow::Borrowed(grants));
        }
        let teams = self.upbound.teams(organization.id).await?;
        let mut problems = Vec::new();
        let mut first_index: HashMap<(Subject, Option<String>), usize> = HashMap::new();
        let mut resolved = Vec::with_capacity(grants.len());
        for (index, grant) in grants.iter().enumerate() {
            let field = Field::Grant(index, GrantPart::Subject);
            let subject = match &grant.subject {
                Subject::TeamNamed(name) => {
                    let named: Vec<&Team> =
                        teams.iter().filter(|team| &team.name == name).collect();
                    match named.as_slice() {
                        [team] => Subject::Team(team.id),
                        [] => {
                            problems.push(FieldError::new(
                                field,
                                format!(
                                    "names team {name:?}, which organization {:?} does not have",
                                    organization.name
                                ),
                                "give the name of one of its teams, or the team's UUID",
                            ));
                            continue;
                        }
                        several => {
                            problems.push(FieldError::new(
                                field,
                                format!(
                                    "names team {name:?}, a name {} teams of organization {:?} share",
                                    several.len(),
                                    organization.name
                                ),
                                "give the team's UUID",
                            ));
                            continue;
                        }
                    }
                }
                subject => subject.clone(),
            };
            match first_index.entry((subject.clone(), grant.group.clone())) {
                Entry::Occupied(first) => {
                    problems.push(FieldError::new(
                        field,
                        format!(
                            "{subject} is granted again in the same group as grant #{}",
                            first.get() + 1
                        ),
                        "give each subject one level per group: remove one of the two grants",
                    ));
                    continue;
                }
                Entry::Vacant(vacant) => {
                    vacant.insert(index);
                }
            }
            resolved.push(Grant {
                subject,
                ..grant.clone()
            });
        }
        if problems.is_empty() {
            Ok(Cow::Owned(resolved))
        } else {
            Err(InvalidInput(problems).into())
        }
    }

    /// The changes that make the connection's RBAC objects match `grants`,
    /// bindings removed before the ClusterRoles they use. Fails, before
    /// anything is changed, when a name we need is taken by an object that
    /// is not ours. A grant whose group namespace is gone shows as its
    /// binding missing, so reading (and destroying) a connection never
    /// fails on a deleted group; connecting checks the groups first
    /// ([`Self::check_groups`]).
    pub(super) async fn observe_access(
        &self,
        connection: &str,
        grants: &[Grant],
    ) -> Result<Vec<AccessChange>, EngineError> {
        let mut ours: BTreeMap<RbacRef, RbacObject> = self
            .cluster
            .list_rbac(&selector(connection))
            .await?
            .into_iter()
            .map(|object| (object.reference(), object))
            .collect();

        let mut changes = Vec::new();
        for wanted in desired(connection, grants) {
            let reference = wanted.reference();
            let change = match ours.remove(&reference) {
                Some(found) => match difference(&wanted, &found) {
                    None => continue,
                    Some(repair) => AccessChange::Apply {
                        object: wanted,
                        replaced: matches!(repair, Repair::Replace).then(|| Box::new(found)),
                        drift: AccessDrift::Changed(reference),
                    },
                },
                None => {
                    if self.cluster.get_rbac(&reference).await?.is_some() {
                        return Err(ClusterError::NotOurs {
                            object: reference.to_string(),
                        }
                        .into());
                    }
                    AccessChange::Apply {
                        object: wanted,
                        replaced: None,
                        drift: AccessDrift::Missing(reference),
                    }
                }
            };
            changes.push(change);
        }
        changes.extend(bindings_first(ours).map(AccessChange::Delete));
        Ok(changes)
    }

    /// Makes one change, reporting it.
    pub(super) async fn change_access(
        &self,
        change: &AccessChange,
        observer: &dyn Observer,
    ) -> Result<(), EngineError> {
        match change {
            AccessChange::Apply {
                object, replaced, ..
            } => {
                if let Some(replaced) = replaced {
                    self.cluster.delete_rbac(replaced).await?;
                }
                self.cluster.apply_rbac(object).await?;
                observer.step(Step::AccessApplied {
                    object: object.reference(),
                });
            }
            AccessChange::Delete(object) => {
                if self.cluster.delete_rbac(object).await? {
                    observer.step(Step::AccessRemoved {
                        object: object.reference(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Deletes every RBAC object we made for the connection in
    /// `connection` (its namespace), whatever the grants say; whether there
    /// was any.
    pub(super) async fn remove_access(
        &self,
        connection: &str,
        observer: &dyn Observer,
    ) -> Result<bool, EngineError> {
        let ours = self
            .cluster
            .list_rbac(&selector(connection))
            .await?
            .into_iter()
            .map(|object| (object.reference(), object))
            .collect();
        let mut changed = false;
        for object in bindings_first(ours) {
            self.change_access(&AccessChange::Delete(object), observer)
                .await?;
            changed = true;
        }
        Ok(changed)
    }

    /// Fails, naming `access[<i>].group`, for every grant whose group
    /// namespace does not exist.
    pub(super) async fn check_groups(&self, grants: &[Grant]) -> Result<(), EngineError> {
        let mut exists: BTreeMap<&str, bool> = BTreeMap::new();
        let mut problems = Vec::new();
        for (index, grant) in grants.iter().enumerate() {
            let Some(group) = grant.group.as_deref() else {
                continue;
            };
            let found = match exists.get(group) {
                Some(found) => *found,
                None => {
                    let found = self.cluster.namespace_exists(group).await?;
                    exists.insert(group, found);
                    found
                }
            };
            if !found {
                problems.push(FieldError::new(
                    Field::Grant(index, GrantPart::Group),
                    format!("{group:?} is no control-plane group (namespace) of the Space"),
                    "create the group first, correct the name, or leave it unset for every group",
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(InvalidInput(problems).into())
        }
    }
}

/// Objects to delete in a safe order: bindings before the ClusterRoles
/// they refer to.
fn bindings_first(objects: BTreeMap<RbacRef, RbacObject>) -> impl Iterator<Item = RbacObject> {
    let mut objects: Vec<RbacObject> = objects.into_values().collect();
    objects.sort_by_key(|object| object.reference().kind == RbacKind::ClusterRole);
    objects.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{OrgRole, Subject};

    fn grant(subject: Subject, level: AccessLevel, group: Option<&str>) -> Grant {
        Grant {
            subject,
            level,
            group: group.map(str::to_owned),
        }
    }

    #[test]
    fn only_levels_in_use_get_a_cluster_role() {
        let objects = desired(
            "upbound-system",
            &[
                grant(Subject::User("alice".into()), AccessLevel::View, None),
                grant(
                    Subject::OrgRole(OrgRole::Member),
                    AccessLevel::View,
                    Some("team-a"),
                ),
            ],
        );
        let references: Vec<String> = objects
            .iter()
            .map(|object| object.reference().to_string())
            .collect();
        let alice = binding_name(
            "upbound-system",
            &grant(Subject::User("alice".into()), AccessLevel::View, None),
        );
        let members = binding_name(
            "upbound-system",
            &grant(
                Subject::OrgRole(OrgRole::Member),
                AccessLevel::View,
                Some("team-a"),
            ),
        );
        assert_eq!(
            references,
            [
                "ClusterRole \"upbound-connect:upbound-system:view\"".to_owned(),
                format!("ClusterRoleBinding {alice:?}"),
                format!("RoleBinding {members:?} in namespace \"team-a\""),
            ]
        );
    }

    #[test]
    fn a_binding_names_its_subject_kind_and_role() {
        let objects = desired(
            "ns",
            &[grant(
                Subject::OrgRole(OrgRole::Admin),
                AccessLevel::Edit,
                None,
            )],
        );
        let RbacObject::ClusterRoleBinding(binding) = &objects[1] else {
            panic!("{objects:?}");
        };
        let subject = &binding.subjects.as_ref().unwrap()[0];
        assert_eq!(
            (subject.kind.as_str(), subject.name.as_str()),
            ("Group", "upbound:org-role:admin")
        );
        assert_eq!(binding.role_ref.name, "upbound-connect:ns:edit");
    }

    #[test]
    fn binding_names_are_stable_and_differ_by_subject_and_level() {
        let alice = grant(Subject::User("alice".into()), AccessLevel::View, None);
        let bob = grant(Subject::User("bob".into()), AccessLevel::View, None);
        let alice_edit = grant(Subject::User("alice".into()), AccessLevel::Edit, None);
        let robot = grant(Subject::Robot("alice".into()), AccessLevel::View, None);
        let name = binding_name("ns", &alice);
        assert_eq!(name, binding_name("ns", &alice));
        for other in [&bob, &alice_edit, &robot] {
            assert_ne!(name, binding_name("ns", other));
        }
        assert_ne!(name, binding_name("other", &alice));
    }

    #[test]
    fn the_level_verb_is_the_only_one_on_controlplanes_k8s() {
        let rules = rules(AccessLevel::View);
        assert_eq!(
            rules[0].resources.as_deref(),
            Some(&["controlplanes".to_owned()][..])
        );
        assert_eq!(rules[0].verbs, ["get", "list", "watch"]);
        assert_eq!(
            rules[1].resources.as_deref(),
            Some(&["controlplanes/k8s".to_owned()][..])
        );
        assert_eq!(rules[1].verbs, ["view"]);
    }
}
