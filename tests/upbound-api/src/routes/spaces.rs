//! Space records, a Kubernetes-style API on the API host:
//! `GET`/`POST /apis/upbound.io/v1alpha1/namespaces/{org}/spaces` and
//! `GET`/`DELETE …/spaces/{name}`, answering errors with Kubernetes
//! `Status` objects (409 `AlreadyExists`, 404 `NotFound`, …). The records
//! are stored, not reconciled: `status` is whatever a test sets.
//!
//! The group is discoverable as on any Kubernetes API server (`GET /apis`,
//! `GET /apis/upbound.io/v1alpha1`), so a generic client (controller-runtime's
//! RESTMapper, client-go's discovery) finds the `Space` kind.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use rand::RngExt;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::access;
use crate::api_error::{ApiError, KubeError};
use crate::app::App;
use crate::auth::KubeCaller;
use crate::body::parse_json;
use crate::clock;
use crate::model::Role;
use crate::state::{SpaceRecord, State as Data};

const GROUP: &str = "upbound.io";
const VERSION: &str = "v1alpha1";
const API_VERSION: &str = "upbound.io/v1alpha1";
const KIND: &str = "Space";
/// The verbs the routes below serve: create and list on the collection, get
/// and delete on a record (no update, patch or watch). Discovery announces
/// them, so a route added or removed changes this list too.
const VERBS: [&str; 4] = ["create", "delete", "get", "list"];
/// The resource as Kubernetes names it in messages.
const RESOURCE: &str = "spaces.upbound.io";
/// The characters Kubernetes appends to a `generateName`.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The Space record routes and their discovery.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/apis", get(group_list))
        .route("/apis/upbound.io/v1alpha1", get(resource_list))
        .route(
            "/apis/upbound.io/v1alpha1/namespaces/{org}/spaces",
            get(list).post(create),
        )
        .route(
            "/apis/upbound.io/v1alpha1/namespaces/{org}/spaces/{name}",
            get(read).delete(delete),
        )
}

/// The `APIGroupList` of `GET /apis`: the one group, `upbound.io`, at its one
/// version. Like the records, discovery needs a live session (bearer or
/// cookie): the reference says `/apis/…` calls carry the session, and a
/// Kubernetes API server grants discovery to authenticated users only
/// (`system:discovery` is bound to `system:authenticated`). No organization
/// role is needed: what exists is the same for every caller.
async fn group_list(_caller: KubeCaller) -> Json<Value> {
    let version = json!({"groupVersion": API_VERSION, "version": VERSION});
    Json(json!({
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [{
            "name": GROUP,
            "versions": [version],
            "preferredVersion": version,
        }],
    }))
}

/// The `APIResourceList` of `GET /apis/upbound.io/v1alpha1`: the namespaced
/// `spaces` resource (a namespace is an organization) and the verbs served
/// for it; session rules as for [`group_list`].
async fn resource_list(_caller: KubeCaller) -> Json<Value> {
    Json(json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": API_VERSION,
        "resources": [{
            "name": "spaces",
            "singularName": "space",
            "namespaced": true,
            "kind": KIND,
            "verbs": VERBS,
        }],
    }))
}

/// The ID of organization `name` if the caller has at least `needed` in it.
fn organization_with_access(
    state: &Data,
    caller: KubeCaller,
    name: &str,
    needed: Role,
) -> Result<u64, ApiError> {
    let organization_id = state
        .organization_named(name)
        .ok_or_else(|| ApiError::not_found(format!("namespaces {name:?} not found")))?
        .id;
    access::require(state, caller.0.principal, organization_id, needed)?;
    Ok(organization_id)
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("{RESOURCE} {name:?} not found"))
}

/// `{"kind": "SpaceList", "items": [...]}`.
async fn list(
    State(app): State<Arc<App>>,
    caller: KubeCaller,
    Path(organization): Path<String>,
) -> Result<Json<Value>, KubeError> {
    let items: Vec<Value> = app.store.read(|state| {
        let organization_id = organization_with_access(state, caller, &organization, Role::Member)?;
        Ok::<_, ApiError>(
            state
                .spaces_of(organization_id)
                .map(|space| space.object.clone())
                .collect(),
        )
    })?;
    Ok(Json(json!({
        "apiVersion": API_VERSION,
        "kind": "SpaceList",
        "metadata": {"resourceVersion": ""},
        "items": items,
    })))
}

/// Stores a new Space record (owners only): 201 with the stored object,
/// 409 `AlreadyExists` if the name is taken. `metadata.generateName` gets a
/// random suffix, as Kubernetes does; a `status` in the body is ignored.
async fn create(
    State(app): State<Arc<App>>,
    caller: KubeCaller,
    Path(organization): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), KubeError> {
    let mut object: Value = parse_json(&headers, &body)?;
    check_type(&object, &organization)?;
    let requested_name = object["metadata"]["name"].as_str().map(str::to_owned);
    let generate_name = object["metadata"]["generateName"]
        .as_str()
        .map(str::to_owned);
    let label = requested_name.clone().unwrap_or_default();
    let stored = app
        .store
        .write(|state| {
            let organization_id =
                organization_with_access(state, caller, &organization, Role::Owner)?;
            let name = match (&requested_name, &generate_name) {
                (Some(name), _) if !name.is_empty() => name.clone(),
                (_, Some(prefix)) if !prefix.is_empty() => loop {
                    let candidate = format!("{prefix}{}", random_suffix());
                    if state.space(organization_id, &candidate).is_none() {
                        break candidate;
                    }
                },
                _ => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "metadata.name or metadata.generateName is required",
                    ));
                }
            };
            if state.space(organization_id, &name).is_some() {
                return Err(ApiError::conflict(format!(
                    "{RESOURCE} {name:?} already exists"
                )));
            }
            let metadata = &mut object["metadata"];
            metadata["name"] = json!(name);
            metadata["namespace"] = json!(organization);
            metadata["uid"] = json!(Uuid::new_v4());
            metadata["resourceVersion"] = json!(state.next_resource_version());
            metadata["generation"] = json!(1);
            metadata["creationTimestamp"] = json!(clock::rfc3339(clock::now_millis()));
            if let Some(fields) = object.as_object_mut() {
                fields.remove("status");
            }
            state.add_space(SpaceRecord {
                organization_id,
                name,
                object: object.clone(),
            });
            Ok(object)
        })
        .map_err(|error| KubeError::about(error, &label))?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// 400 unless the body is a `Space` of `upbound.io/v1alpha1` in the
/// request's namespace (or without a namespace).
fn check_type(object: &Value, organization: &str) -> Result<(), ApiError> {
    if object["apiVersion"] != API_VERSION || object["kind"] != KIND {
        return Err(ApiError::bad_request(format!(
            "the body must be a {KIND} of {API_VERSION}"
        )));
    }
    match object["metadata"]["namespace"].as_str() {
        Some(namespace) if namespace != organization => Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => Ok(()),
    }
}

/// Five characters from Kubernetes' `generateName` alphabet.
fn random_suffix() -> String {
    let mut rng = rand::rng();
    (0..5)
        .map(|_| char::from(NAME_ALPHABET[rng.random_range(0..NAME_ALPHABET.len())]))
        .collect()
}

/// The stored object.
async fn read(
    State(app): State<Arc<App>>,
    caller: KubeCaller,
    Path((organization, name)): Path<(String, String)>,
) -> Result<Json<Value>, KubeError> {
    app.store
        .read(|state| {
            let organization_id =
                organization_with_access(state, caller, &organization, Role::Member)?;
            state
                .space(organization_id, &name)
                .map(|space| Json(space.object.clone()))
                .ok_or_else(|| not_found(&name))
        })
        .map_err(|error| KubeError::about(error, &name))
}

/// Deletes the record (owners only): 200 with a `Success` status, or 404
/// `NotFound`.
async fn delete(
    State(app): State<Arc<App>>,
    caller: KubeCaller,
    Path((organization, name)): Path<(String, String)>,
) -> Result<Json<Value>, KubeError> {
    let removed = app
        .store
        .write(|state| {
            let organization_id =
                organization_with_access(state, caller, &organization, Role::Owner)?;
            state
                .remove_space(organization_id, &name)
                .ok_or_else(|| not_found(&name))
        })
        .map_err(|error| KubeError::about(error, &name))?;
    Ok(Json(json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {
            "name": removed.name,
            "group": GROUP,
            "kind": "spaces",
            "uid": removed.object["metadata"]["uid"],
        },
    })))
}
