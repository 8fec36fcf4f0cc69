//! What the API server serves, read once per client (and again after an
//! install created CRDs) and shared by every namespace's copy of a
//! [`Cluster`]: its version, and every group version
//! with its kinds. Aggregated discovery (`/api` and `/apis` with the
//! `apidiscovery.k8s.io/v2` Accept header, Kubernetes 1.30+) answers in
//! three requests; older servers are asked group version by group version,
//! as client-go falls back.
//!
//! It serves the installer (which resource and scope a rendered kind has)
//! and the renderer (`.Capabilities`, as Helm's `GetVersionSet` builds it:
//! `group/version` and `group/version/Kind`, subresources' kinds
//! included).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList;
use k8s_openapi::apimachinery::pkg::version::Info;
use kube::core::discovery::v2::APIGroupDiscoveryList;
use kube::discovery::ApiResource;

use super::{Cluster, ClusterError};

/// The API server's version and what it serves.
#[derive(Clone, Debug)]
pub struct ServedApis {
    /// `/version`.
    pub version: Info,
    /// Every `group/version` and `group/version/Kind` (Helm's version set).
    pub version_set: BTreeSet<String>,
    /// The resource serving each `(apiVersion, kind)`, and whether it is
    /// namespaced.
    resources: HashMap<(String, String), (ApiResource, bool)>,
}

impl ServedApis {
    /// The resource serving `kind` in `api_version`, and whether it is
    /// namespaced; `None` if it was not served when discovery ran.
    pub fn resource(&self, api_version: &str, kind: &str) -> Option<&(ApiResource, bool)> {
        self.resources
            .get(&(api_version.to_owned(), kind.to_owned()))
    }

    /// Adds the kinds of one group version.
    fn add(&mut self, group_version: &str, kinds: impl IntoIterator<Item = Served>) {
        self.version_set.insert(group_version.to_owned());
        for served in kinds {
            self.version_set
                .insert(format!("{group_version}/{}", served.kind));
            if let Some(plural) = served.plural {
                let resource =
                    ApiResource::from_gvk_with_plural(&gvk(group_version, &served.kind), &plural);
                self.resources.insert(
                    (group_version.to_owned(), served.kind),
                    (resource, served.namespaced),
                );
            }
        }
    }
}

/// One kind a group version serves: a resource (with its plural) or a
/// subresource's kind (`plural` `None`: version set only).
struct Served {
    kind: String,
    plural: Option<String>,
    namespaced: bool,
}

/// The group/version/kind of `kind` in `group_version`.
fn gvk(group_version: &str, kind: &str) -> kube::api::GroupVersionKind {
    let (group, version) = group_version.split_once('/').unwrap_or(("", group_version));
    kube::api::GroupVersionKind::gvk(group, version, kind)
}

impl Cluster {
    /// What the API server serves, discovered on first use (and after
    /// [`Self::forget_served`]).
    pub(crate) async fn served(&self) -> Result<Arc<ServedApis>, ClusterError> {
        let mut known = self.served.lock().await;
        if let Some(served) = known.as_ref() {
            return Ok(served.clone());
        }
        let (version, aggregated) = tokio::join!(
            self.call("read the server version", || {
                self.client.apiserver_version()
            }),
            self.aggregated()
        );
        let mut served = ServedApis {
            version: version?,
            version_set: BTreeSet::new(),
            resources: HashMap::new(),
        };
        match aggregated {
            Ok(lists) => {
                for list in lists {
                    add_aggregated(&mut served, list);
                }
            }
            Err(_) => self.group_by_group(&mut served).await?,
        }
        let served = Arc::new(served);
        *known = Some(served.clone());
        Ok(served)
    }

    /// Forgets what the API server serves, as Helm invalidates its
    /// discovery cache after creating CRDs: the next use discovers again.
    pub(crate) async fn forget_served(&self) {
        *self.served.lock().await = None;
    }

    /// `/api` and `/apis` as aggregated discovery lists; an error where
    /// the server does not serve them (before Kubernetes 1.30).
    async fn aggregated(&self) -> Result<[APIGroupDiscoveryList; 2], kube::Error> {
        let client = &self.client;
        let (core, groups) = futures::try_join!(
            client.list_core_api_versions_aggregated(),
            client.list_api_groups_aggregated()
        )?;
        Ok([core, groups])
    }

    /// The older way: the group versions, then each one's resources.
    async fn group_by_group(&self, served: &mut ServedApis) -> Result<(), ClusterError> {
        let client = &self.client;
        let core = self
            .call("list the core API versions", || {
                client.list_core_api_versions()
            })
            .await?;
        let groups = self
            .call("list the API groups", || client.list_api_groups())
            .await?;
        let group_versions = core.versions.into_iter().chain(
            groups
                .groups
                .into_iter()
                .flat_map(|group| group.versions.into_iter().map(|v| v.group_version)),
        );
        let lists = futures::future::try_join_all(group_versions.map(|group_version| async move {
            let action = format!("list the resources of {group_version}");
            let list: APIResourceList = self
                .call(&action, || async {
                    if group_version.contains('/') {
                        client.list_api_group_resources(&group_version).await
                    } else {
                        client.list_core_api_resources(&group_version).await
                    }
                })
                .await?;
            Ok::<_, ClusterError>((group_version, list))
        }))
        .await?;
        for (group_version, list) in lists {
            let kinds = list.resources.into_iter().map(|resource| {
                let subresource = resource.name.contains('/');
                Served {
                    kind: resource.kind,
                    plural: (!subresource).then_some(resource.name),
                    namespaced: resource.namespaced,
                }
            });
            served.add(&group_version, kinds);
        }
        Ok(())
    }
}

/// Adds an aggregated discovery list's group versions and kinds.
fn add_aggregated(served: &mut ServedApis, list: APIGroupDiscoveryList) {
    for group in list.items {
        let name = group
            .metadata
            .and_then(|metadata| metadata.name)
            .unwrap_or_default();
        for version in group.versions {
            let Some(version_name) = version.version else {
                continue;
            };
            let group_version = if name.is_empty() {
                version_name
            } else {
                format!("{name}/{version_name}")
            };
            let mut kinds = Vec::new();
            for resource in version.resources {
                let namespaced = resource.scope.as_deref() == Some("Namespaced");
                for subresource in &resource.subresources {
                    if let Some(kind) = subresource
                        .response_kind
                        .as_ref()
                        .and_then(|kind| kind.kind.clone())
                    {
                        kinds.push(Served {
                            kind,
                            plural: None,
                            namespaced,
                        });
                    }
                }
                if let Some(kind) = resource.response_kind.and_then(|kind| kind.kind) {
                    kinds.push(Served {
                        kind,
                        plural: resource.resource,
                        namespaced,
                    });
                }
            }
            served.add(&group_version, kinds);
        }
    }
}
