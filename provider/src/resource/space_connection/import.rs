//! ImportResourceState: adopt an existing connection by
//! `<organization>/<space>` (in the default namespace, or wherever in this
//! cluster the Space's robot records its connection lives) or
//! `<organization>/<space>/<namespace>`.
//!
//! The state holds what the world records: the robot's name and
//! description, the `access` blocks its Hub RBAC bindings carry (sorted by
//! subject, level and group), and, when release `agent` records settings
//! other than the defaults, an `agent` block with them and the chart
//! version, its extra values written as `yamlencode` writes them. So a configuration
//! that says the same plans no change after import. What nothing records
//! (`agent.timeout`, `wait`, `take_ownership`, `atomic`, a registry chart's URL) is
//! left unset: set in configuration, it plans an update that changes
//! nothing but the state. Terraform reads the resource right after, which
//! reports any drift.

use upbound_connect::engine::{EngineError, Imported, InstalledAgent, given_description};
use upbound_connect::spec::{
    AgentInput, ConnectionInput, ConnectionSpec, DEFAULT_AGENT_VERSION, DEFAULT_NAMESPACE,
};

use super::access::Access;
use super::agent::Agent;
use super::engine_diagnostics;
use super::model::SpaceConnection;
use crate::cty::Value;
use crate::cty::yaml::yamlencode;
use crate::diagnostics::Diagnostics;
use crate::provider::Ready;

/// ImportResourceState's request.
pub struct ImportRequest {
    /// The import ID: `<organization>/<space>[/<namespace>]`.
    pub id: String,
}

/// The imported state.
pub struct ImportResponse {
    /// The state (null when nothing was imported).
    pub state: Value,
    /// Problems found.
    pub diagnostics: Diagnostics,
}

/// The parts of an import ID; each is checked by the engine's validation.
#[derive(Debug, PartialEq, Eq)]
struct ImportId<'a> {
    organization: &'a str,
    space: &'a str,
    /// `None`: the default namespace.
    namespace: Option<&'a str>,
}

impl<'a> ImportId<'a> {
    /// Two or three non-empty parts separated by `/`, else an error that
    /// shows both forms.
    fn parse(id: &'a str) -> Result<Self, Diagnostics> {
        let parts: Vec<&str> = id.split('/').collect();
        match parts[..] {
            _ if parts.iter().any(|part| part.is_empty()) => Err(invalid_import_id(id)),
            [organization, space] => Ok(Self {
                organization,
                space,
                namespace: None,
            }),
            [organization, space, namespace] => Ok(Self {
                organization,
                space,
                namespace: Some(namespace),
            }),
            _ => Err(invalid_import_id(id)),
        }
    }
}

fn invalid_import_id(id: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "Invalid import ID",
        format!(
            "{id:?} is not `<organization>/<space>` (in namespace `{DEFAULT_NAMESPACE}`) or \
`<organization>/<space>/<namespace>`, e.g. `acme/my-space` or `acme/my-space/spaces`."
        ),
        None,
    );
    diagnostics
}

/// Imports the connection `request.id` names.
pub async fn import(request: ImportRequest, ready: &Ready) -> ImportResponse {
    let failed = |diagnostics| ImportResponse {
        state: Value::Null,
        diagnostics,
    };
    let id = match ImportId::parse(&request.id) {
        Ok(id) => id,
        Err(diagnostics) => return failed(diagnostics),
    };
    let spec = match import_spec(&id, id.namespace, ready) {
        Ok(spec) => spec,
        Err(diagnostics) => return failed(diagnostics),
    };
    let mut imported = import_in(&spec, ready).await;
    let mut spec = spec;
    // The short ID names no namespace: the connection may live in another
    // namespace of this cluster, which its robot records.
    if id.namespace.is_none()
        && let Err(EngineError::SpaceConnectedElsewhere { elsewhere, .. }) = &imported
        && let Some(place) = &elsewhere.place
        && in_this_cluster(&place.cluster, &spec, ready).await
    {
        spec = match import_spec(&id, Some(&place.namespace), ready) {
            Ok(spec) => spec,
            Err(diagnostics) => return failed(diagnostics),
        };
        imported = import_in(&spec, ready).await;
    }
    let Imported {
        observation,
        access,
        agent,
    } = match imported {
        Ok(imported) => imported,
        Err(error) => return failed(engine_diagnostics("Cannot import the connection", &error)),
    };
    let robot = observation.robot.as_ref();
    let state = SpaceConnection {
        space: spec.space.clone(),
        robot_name: robot.map(|robot| robot.name.clone()),
        robot_description: robot.map(|robot| given_description(&robot.description).to_owned()),
        token_rotation: observation.connection.token_rotation.clone(),
        access: access.iter().map(Access::from_grant).collect(),
        agent: agent_block(agent),
        ..SpaceConnection::default()
    }
    .with_defaults(&spec)
    .with_connection(&observation.connection);
    ImportResponse {
        state: state.to_value(),
        diagnostics: Diagnostics::default(),
    }
}

/// The `agent` block stating `agent`'s settings; `None` when they are
/// all the defaults (a configuration without the block). A block states
/// the chart version even when it is the default, as a block written to
/// pin the agent does.
fn agent_block(agent: InstalledAgent) -> Option<Agent> {
    if agent.is_default() {
        return None;
    }
    Some(Agent {
        version: agent
            .version
            .or_else(|| Some(DEFAULT_AGENT_VERSION.to_owned())),
        values: (!agent.values.is_empty())
            .then(|| yamlencode(&serde_json::Value::Object(agent.values))),
        image_repository: agent.image_repository,
        registration_image_repository: agent.registration_image_repository,
        image_pull_secrets: agent.image_pull_secrets,
        registration_enabled: agent.registration_enabled,
        ..Agent::default()
    })
}

/// The spec an import ID names, in `namespace` (`None`: the default).
fn import_spec(
    id: &ImportId<'_>,
    namespace: Option<&str>,
    ready: &Ready,
) -> Result<ConnectionSpec, Diagnostics> {
    ConnectionInput {
        space: id.space.to_owned(),
        organization: id.organization.to_owned(),
        namespace: namespace.map(str::to_owned),
        license_json: ready.config.license_json.clone(),
        registry: ready.config.registry.clone(),
        agent: Some(AgentInput::default()),
        ..ConnectionInput::default()
    }
    .validate()
    .map_err(|invalid| engine_diagnostics("Invalid import ID", &EngineError::Input(invalid)))
}

/// The connection `spec` names, imported from its namespace.
async fn import_in(spec: &ConnectionSpec, ready: &Ready) -> Result<Imported, EngineError> {
    ready
        .engine(&ready.config.cluster, &spec.namespace)
        .await?
        .import(spec)
        .await
}

/// Whether `cluster` (an identity a robot records) is this cluster's.
async fn in_this_cluster(cluster: &str, spec: &ConnectionSpec, ready: &Ready) -> bool {
    match ready.engine(&ready.config.cluster, &spec.namespace).await {
        Ok(engine) => engine
            .cluster_identity()
            .await
            .is_ok_and(|identity| identity == cluster),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_parts_name_organization_and_space_in_the_default_namespace() {
        assert_eq!(
            ImportId::parse("acme/dev"),
            Ok(ImportId {
                organization: "acme",
                space: "dev",
                namespace: None,
            })
        );
    }

    #[test]
    fn three_parts_add_the_namespace() {
        assert_eq!(
            ImportId::parse("acme/dev/spaces"),
            Ok(ImportId {
                organization: "acme",
                space: "dev",
                namespace: Some("spaces"),
            })
        );
    }

    #[test]
    fn other_forms_are_refused_with_the_accepted_ones() {
        for id in [
            "",
            "acme",
            "/dev",
            "acme/",
            "acme//ns",
            "acme/dev/",
            "/",
            "a/b/c/d",
        ] {
            let diagnostics = ImportId::parse(id).expect_err(id);
            let [diagnostic] = &diagnostics.0[..] else {
                panic!("{id:?}: one diagnostic, not {diagnostics:?}");
            };
            assert_eq!(diagnostic.summary, "Invalid import ID");
            for shown in [
                format!("{id:?} is not"),
                "`<organization>/<space>`".to_owned(),
                "`<organization>/<space>/<namespace>`".to_owned(),
            ] {
                assert!(
                    diagnostic.detail.contains(&shown),
                    "{id:?}: {}",
                    diagnostic.detail
                );
            }
        }
    }
}
