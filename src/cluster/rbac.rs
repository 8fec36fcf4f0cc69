//! RBAC objects (ClusterRoles, ClusterRoleBindings, RoleBindings): listed by
//! label, read, applied server-side under our field manager, deleted. Which
//! objects a connection needs and which are ours is the engine's business.

use std::fmt::{self, Debug};

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, RoleBinding};
use kube::Api;
use kube::api::{DeleteParams, ListParams, ObjectMeta, Patch, PatchParams, Preconditions};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Cluster;
use super::error::ClusterError;

/// The kinds of RBAC object a connection's grants are made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RbacKind {
    /// A `ClusterRole`: what a level allows.
    ClusterRole,
    /// A `ClusterRoleBinding`: a grant in every group.
    ClusterRoleBinding,
    /// A `RoleBinding`: a grant in one group (namespace).
    RoleBinding,
}

impl RbacKind {
    /// The kind as Kubernetes spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClusterRole => "ClusterRole",
            Self::ClusterRoleBinding => "ClusterRoleBinding",
            Self::RoleBinding => "RoleBinding",
        }
    }
}

/// Which RBAC object.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RbacRef {
    /// Its kind.
    pub kind: RbacKind,
    /// Its namespace (RoleBindings only).
    pub namespace: Option<String>,
    /// Its name.
    pub name: String,
}

impl fmt::Display for RbacRef {
    /// Helm's way: `RoleBinding "name" in namespace "team-a"`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {:?}", self.kind.as_str(), self.name)?;
        if let Some(namespace) = &self.namespace {
            write!(formatter, " in namespace {namespace:?}")?;
        }
        Ok(())
    }
}

/// An RBAC object, whole.
#[derive(Clone, Debug, PartialEq)]
pub enum RbacObject {
    /// A ClusterRole.
    ClusterRole(ClusterRole),
    /// A ClusterRoleBinding.
    ClusterRoleBinding(ClusterRoleBinding),
    /// A RoleBinding.
    RoleBinding(RoleBinding),
}

impl RbacObject {
    /// The object's metadata.
    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            Self::ClusterRole(role) => &role.metadata,
            Self::ClusterRoleBinding(binding) => &binding.metadata,
            Self::RoleBinding(binding) => &binding.metadata,
        }
    }

    /// Which object this is.
    pub fn reference(&self) -> RbacRef {
        let kind = match self {
            Self::ClusterRole(_) => RbacKind::ClusterRole,
            Self::ClusterRoleBinding(_) => RbacKind::ClusterRoleBinding,
            Self::RoleBinding(_) => RbacKind::RoleBinding,
        };
        let metadata = self.metadata();
        RbacRef {
            kind,
            namespace: metadata.namespace.clone(),
            name: metadata.name.clone().unwrap_or_default(),
        }
    }
}

impl Cluster {
    /// Every RBAC object of the three kinds matching `selector` (a label
    /// selector), RoleBindings from all namespaces.
    pub async fn list_rbac(&self, selector: &str) -> Result<Vec<RbacObject>, ClusterError> {
        let params = ListParams::default().labels(selector);
        let roles: Api<ClusterRole> = Api::all(self.client.clone());
        let cluster_bindings: Api<ClusterRoleBinding> = Api::all(self.client.clone());
        let bindings: Api<RoleBinding> = Api::all(self.client.clone());
        let action = |kind: &str| format!("list {kind}s labelled {selector}");
        let mut found = Vec::new();
        found.extend(
            self.call(&action("ClusterRole"), || roles.list(&params))
                .await?
                .items
                .into_iter()
                .map(RbacObject::ClusterRole),
        );
        found.extend(
            self.call(&action("ClusterRoleBinding"), || {
                cluster_bindings.list(&params)
            })
            .await?
            .items
            .into_iter()
            .map(RbacObject::ClusterRoleBinding),
        );
        found.extend(
            self.call(&action("RoleBinding"), || bindings.list(&params))
                .await?
                .items
                .into_iter()
                .map(RbacObject::RoleBinding),
        );
        Ok(found)
    }

    /// The object `reference` names, or `None`.
    pub async fn get_rbac(&self, reference: &RbacRef) -> Result<Option<RbacObject>, ClusterError> {
        let action = format!("read {reference}");
        let name = reference.name.as_str();
        Ok(match reference.kind {
            RbacKind::ClusterRole => self
                .get_in(&Api::all(self.client.clone()), &action, name)
                .await?
                .map(RbacObject::ClusterRole),
            RbacKind::ClusterRoleBinding => self
                .get_in(&Api::all(self.client.clone()), &action, name)
                .await?
                .map(RbacObject::ClusterRoleBinding),
            RbacKind::RoleBinding => self
                .get_in(&self.role_bindings(reference), &action, name)
                .await?
                .map(RbacObject::RoleBinding),
        })
    }

    /// Applies `object` (which names itself) with server-side apply, taking
    /// over fields other managers changed.
    pub async fn apply_rbac(&self, object: &RbacObject) -> Result<(), ClusterError> {
        let reference = object.reference();
        let action = format!("apply {reference}");
        let name = reference.name.as_str();
        match object {
            RbacObject::ClusterRole(role) => {
                self.apply_in(&Api::all(self.client.clone()), &action, name, role)
                    .await
            }
            RbacObject::ClusterRoleBinding(binding) => {
                self.apply_in(&Api::all(self.client.clone()), &action, name, binding)
                    .await
            }
            RbacObject::RoleBinding(binding) => {
                self.apply_in(&self.role_bindings(&reference), &action, name, binding)
                    .await
            }
        }
    }

    /// Deletes `object` if it is still the same object (same UID): a
    /// namesake created since it was read is left alone. `false` if it was
    /// already gone.
    pub async fn delete_rbac(&self, object: &RbacObject) -> Result<bool, ClusterError> {
        let reference = object.reference();
        let action = format!("delete {reference}");
        let name = reference.name.as_str();
        let uid = object.metadata().uid.as_deref();
        match reference.kind {
            RbacKind::ClusterRole => {
                let api: Api<ClusterRole> = Api::all(self.client.clone());
                self.delete_in(&api, &action, name, uid).await
            }
            RbacKind::ClusterRoleBinding => {
                let api: Api<ClusterRoleBinding> = Api::all(self.client.clone());
                self.delete_in(&api, &action, name, uid).await
            }
            RbacKind::RoleBinding => {
                self.delete_in(&self.role_bindings(&reference), &action, name, uid)
                    .await
            }
        }
    }

    async fn get_in<K>(
        &self,
        api: &Api<K>,
        action: &str,
        name: &str,
    ) -> Result<Option<K>, ClusterError>
    where
        K: Clone + DeserializeOwned + Debug,
    {
        self.call(action, || api.get_opt(name)).await
    }

    async fn apply_in<K>(
        &self,
        api: &Api<K>,
        action: &str,
        name: &str,
        object: &K,
    ) -> Result<(), ClusterError>
    where
        K: Clone + DeserializeOwned + Serialize + Debug,
    {
        let params = PatchParams::apply(super::FIELD_MANAGER).force();
        let patch = Patch::Apply(object);
        self.call(action, || api.patch(name, &params, &patch))
            .await
            .map(drop)
    }

    async fn delete_in<K>(
        &self,
        api: &Api<K>,
        action: &str,
        name: &str,
        uid: Option<&str>,
    ) -> Result<bool, ClusterError>
    where
        K: Clone + DeserializeOwned + Debug,
    {
        let params = DeleteParams {
            preconditions: Some(Preconditions {
                uid: uid.map(str::to_owned),
                resource_version: None,
            }),
            ..DeleteParams::default()
        };
        self.call(action, || async {
            match api.delete(name, &params).await {
                Ok(_) => Ok(true),
                Err(kube::Error::Api(status)) if status.code == 404 => Ok(false),
                Err(error) => Err(error),
            }
        })
        .await
    }

    /// Whether the namespace `name` exists.
    pub async fn namespace_exists(&self, name: &str) -> Result<bool, ClusterError> {
        let namespaces: Api<Namespace> = Api::all(self.client.clone());
        let action = format!("read Namespace {name}");
        Ok(self
            .call(&action, || namespaces.get_opt(name))
            .await?
            .is_some())
    }

    /// RoleBindings in the namespace `reference` names.
    fn role_bindings(&self, reference: &RbacRef) -> Api<RoleBinding> {
        Api::namespaced(
            self.client.clone(),
            reference.namespace.as_deref().unwrap_or_default(),
        )
    }
}
