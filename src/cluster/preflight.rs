//! Checks before anything is changed: the namespace exists, Upbound Spaces
//! is installed there for the organization (ConfigMap `spaces-config`, key
//! `config.yaml`, field `account`, as `up space connect` checks), unless the
//! caller opts out.

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use kube::api::PostParams;
use serde::Deserialize;

use super::Cluster;
use super::error::ClusterError;

/// The rights connect and disconnect need in the namespace: (API group,
/// resource, verb).
const NEEDED_RIGHTS: &[(&str, &str, &str)] = &[
    ("", "secrets", "get"),
    ("", "secrets", "patch"),
    ("", "secrets", "delete"),
    ("coordination.k8s.io", "leases", "get"),
    ("coordination.k8s.io", "leases", "create"),
    ("coordination.k8s.io", "leases", "update"),
    ("coordination.k8s.io", "leases", "delete"),
];

/// The rights managing Hub RBAC grants needs, cluster-wide: (API group,
/// resource, verb).
const ACCESS_RIGHTS: &[(&str, &str, &str)] = &[
    ("", "namespaces", "get"),
    ("rbac.authorization.k8s.io", "clusterroles", "list"),
    ("rbac.authorization.k8s.io", "clusterroles", "patch"),
    ("rbac.authorization.k8s.io", "clusterroles", "delete"),
    ("rbac.authorization.k8s.io", "clusterrolebindings", "list"),
    ("rbac.authorization.k8s.io", "clusterrolebindings", "patch"),
    ("rbac.authorization.k8s.io", "clusterrolebindings", "delete"),
    ("rbac.authorization.k8s.io", "rolebindings", "list"),
    ("rbac.authorization.k8s.io", "rolebindings", "patch"),
    ("rbac.authorization.k8s.io", "rolebindings", "delete"),
];

/// The ConfigMap a Spaces installation writes.
const SPACES_CONFIG: &str = "spaces-config";

impl Cluster {
    /// Fails unless the namespace exists and, when `check_spaces`, Spaces is
    /// installed in it for `organization`.
    pub async fn preflight(
        &self,
        organization: &str,
        check_spaces: bool,
    ) -> Result<(), ClusterError> {
        if !self.namespace_exists(&self.namespace).await? {
            return Err(ClusterError::NamespaceMissing {
                namespace: self.namespace.clone(),
            });
        }
        if check_spaces {
            self.check_spaces_account(organization).await?;
        }
        Ok(())
    }

    /// Fails unless the credentials may do everything a run does in the
    /// namespace (asked with `SelfSubjectAccessReview`s, which change
    /// nothing), so a run never stops half-way for want of rights; with
    /// `access`, also the cluster-wide rights Hub RBAC grants need.
    pub async fn check_rights(&self, access: bool) -> Result<(), ClusterError> {
        let reviews: Api<SelfSubjectAccessReview> = Api::all(self.client.clone());
        let mut missing = Vec::new();
        let in_namespace = NEEDED_RIGHTS.iter().map(|right| (right, true));
        let cluster_wide = ACCESS_RIGHTS
            .iter()
            .filter(|_| access)
            .map(|right| (right, false));
        for ((group, resource, verb), namespaced) in in_namespace.chain(cluster_wide) {
            let review = SelfSubjectAccessReview {
                spec: SelfSubjectAccessReviewSpec {
                    resource_attributes: Some(ResourceAttributes {
                        group: Some((*group).to_owned()),
                        resource: Some((*resource).to_owned()),
                        verb: Some((*verb).to_owned()),
                        namespace: namespaced.then(|| self.namespace.clone()),
                        ..ResourceAttributes::default()
                    }),
                    ..SelfSubjectAccessReviewSpec::default()
                },
                ..SelfSubjectAccessReview::default()
            };
            let action = format!("review the right to {verb} {resource}");
            let params = PostParams::default();
            let answer = self
                .call(&action, || reviews.create(&params, &review))
                .await?;
            if !answer.status.is_some_and(|status| status.allowed) {
                let scope = if namespaced { "" } else { " cluster-wide" };
                missing.push(format!("{verb} {resource}{scope}"));
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(ClusterError::MissingRights {
                missing,
                namespace: self.namespace.clone(),
                access: self.access_field,
            })
        }
    }

    async fn check_spaces_account(&self, organization: &str) -> Result<(), ClusterError> {
        #[derive(Deserialize)]
        struct SpacesConfig {
            account: Option<String>,
        }
        let missing = |problem: &str| ClusterError::SpacesMissing {
            namespace: self.namespace.clone(),
            problem: problem.to_owned(),
        };
        let config_maps: Api<ConfigMap> = Api::namespaced(self.client.clone(), &self.namespace);
        let action = format!("read ConfigMap {}/{SPACES_CONFIG}", self.namespace);
        let config_map = self
            .call(&action, || config_maps.get_opt(SPACES_CONFIG))
            .await?
            .ok_or_else(|| missing("does not exist"))?;
        let text = config_map
            .data
            .and_then(|mut data| data.remove("config.yaml"))
            .ok_or_else(|| missing("has no key config.yaml"))?;
        let config: SpacesConfig = serde_saphyr::from_str(&text)
            .map_err(|_| missing("has a config.yaml that is not YAML"))?;
        let installed = config
            .account
            .filter(|account| !account.is_empty())
            .ok_or_else(|| missing("names no account in config.yaml"))?;
        if installed != organization {
            return Err(ClusterError::OrganizationMismatch {
                installed,
                wanted: organization.to_owned(),
            });
        }
        Ok(())
    }
}
