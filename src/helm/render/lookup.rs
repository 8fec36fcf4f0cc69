//! Helm's `lookup APIVERSION KIND NAMESPACE NAME`: one object (GET), or a
//! list when NAME is `""` (LIST), from the cluster; a missing object (or
//! kind of a served group version) gives an empty map, so
//! `if not (lookup …)` works; an unserved group version is an error. Without a
//! cluster (`helm template`) every lookup is an empty map.

use std::time::Duration;

use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use serde_json::{Map, Value};

use crate::cluster::ClusterError;
use crate::retry::RetryPolicy;

/// Where `lookup` reads objects from.
pub trait Lookup: Send + Sync {
    /// The object (or, for an empty `name`, the list) as the API server
    /// returns it; an empty map when it does not exist.
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Map<String, Value>, LookupError>;
}

/// A lookup failed for a reason other than "not found".
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The API server refused or failed the request.
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// The request did not complete in time.
    #[error("lookup of {kind} {name:?} timed out after {timeout:?}")]
    Timeout {
        /// The kind asked for.
        kind: String,
        /// The name asked for.
        name: String,
        /// The time allowed.
        timeout: Duration,
    },
}

/// `helm template`'s lookup: nothing exists.
#[derive(Clone, Copy, Debug, Default)]
pub struct OfflineLookup;

impl Lookup for OfflineLookup {
    fn lookup(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: &str,
    ) -> Result<Map<String, Value>, LookupError> {
        Ok(Map::new())
    }
}

/// Lookups against a live cluster. Rendering is synchronous, so each call
/// blocks on `runtime`: render on a thread outside the runtime (e.g.
/// `tokio::task::spawn_blocking`) of a multi-threaded runtime.
pub struct ClusterLookup {
    client: kube::Client,
    runtime: tokio::runtime::Handle,
    timeout: Duration,
    retry: RetryPolicy,
}

impl ClusterLookup {
    /// Lookups through `client`, driven by `runtime`, each bounded by
    /// `timeout` (retries by `retry` included).
    pub fn new(
        client: kube::Client,
        runtime: tokio::runtime::Handle,
        timeout: Duration,
        retry: RetryPolicy,
    ) -> Self {
        ClusterLookup {
            client,
            runtime,
            timeout,
            retry,
        }
    }

    /// Helm's `getAPIResourceForGVK`: the resource serving `kind`
    /// (subresources skipped), and whether it is namespaced; `None` if the
    /// group version has no such kind.
    async fn resource(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Result<Option<(ApiResource, bool)>, ClusterError> {
        let listed = self
            .retry
            .run(|| async {
                let listed = if api_version.contains('/') {
                    self.client.list_api_group_resources(api_version).await
                } else {
                    self.client.list_core_api_resources(api_version).await
                };
                listed.map_err(|error| {
                    ClusterError::from_kube(format!("list the resources of {api_version}"), error)
                })
            })
            .await?;
        let Some(found) = listed
            .resources
            .into_iter()
            .find(|resource| resource.kind == kind && !resource.name.contains('/'))
        else {
            return Ok(None);
        };
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let resource = ApiResource {
            group: group.to_owned(),
            version: version.to_owned(),
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
            plural: found.name,
        };
        Ok(Some((resource, found.namespaced)))
    }

    async fn fetch(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Map<String, Value>, LookupError> {
        let Some((resource, namespaced)) = self.resource(api_version, kind).await? else {
            return Ok(Map::new());
        };
        let api: Api<DynamicObject> = if namespaced && !namespace.is_empty() {
            Api::namespaced_with(self.client.clone(), namespace, &resource)
        } else {
            Api::all_with(self.client.clone(), &resource)
        };
        if !name.is_empty() {
            let object = self
                .retry
                .run(|| async {
                    api.get_opt(name).await.map_err(|error| {
                        ClusterError::from_kube(format!("get {kind} {name}"), error)
                    })
                })
                .await?;
            return Ok(object.map(object_map).unwrap_or_default());
        }
        let listed = self
            .retry
            .run(|| async {
                api.list(&ListParams::default())
                    .await
                    .map_err(|error| ClusterError::from_kube(format!("list {kind}"), error))
            })
            .await;
        let list = match listed {
            Err(error) if error.is_not_found() => return Ok(Map::new()),
            other => other?,
        };
        // As client-go's unstructured list decoding: items get the list's
        // apiVersion and the kind without "List".
        let mut content = Map::new();
        content.insert(
            "apiVersion".to_owned(),
            Value::String(api_version.to_owned()),
        );
        content.insert("kind".to_owned(), Value::String(format!("{kind}List")));
        let metadata = serde_json::to_value(&list.metadata).unwrap_or_default();
        content.insert("metadata".to_owned(), metadata);
        let items = list
            .items
            .into_iter()
            .map(|mut item| {
                if item.types.is_none() {
                    item.types = Some(kube::api::TypeMeta {
                        api_version: api_version.to_owned(),
                        kind: kind.to_owned(),
                    });
                }
                Value::Object(object_map(item))
            })
            .collect();
        content.insert("items".to_owned(), Value::Array(items));
        Ok(content)
    }
}

/// An object as Helm's `UnstructuredContent()`: its JSON fields.
fn object_map(object: DynamicObject) -> Map<String, Value> {
    match serde_json::to_value(object) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

impl Lookup for ClusterLookup {
    fn lookup(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Result<Map<String, Value>, LookupError> {
        let fetch = self.fetch(api_version, kind, namespace, name);
        self.runtime
            .block_on(async { tokio::time::timeout(self.timeout, fetch).await })
            .map_err(|_| LookupError::Timeout {
                kind: kind.to_owned(),
                name: name.to_owned(),
                timeout: self.timeout,
            })?
    }
}
