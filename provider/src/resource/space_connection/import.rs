//! ImportResourceState: adopt an existing connection by
//! `<organization>/<space>`. The state holds the defaults for every input
//! (the robot's name and description as found), so a configuration with
//! just `space` and `organization` plans no change after import. Terraform
//! reads the resource right after, which reports any drift.

use upbound_connect::engine::OWNERSHIP_MARKER;
use upbound_connect::spec::{AgentInput, ConnectionInput};

use super::engine_diagnostics;
use super::model::SpaceConnection;
use crate::cty::Value;
use crate::diagnostics::Diagnostics;
use crate::provider::Ready;

/// ImportResourceState's request.
pub struct ImportRequest {
    /// The import ID: `<organization>/<space>`.
    pub id: String,
}

/// The imported state.
pub struct ImportResponse {
    /// The state (null when nothing was imported).
    pub state: Value,
    /// Problems found.
    pub diagnostics: Diagnostics,
}

/// Imports the connection `request.id` names.
pub async fn import(request: ImportRequest, ready: &Ready) -> ImportResponse {
    let failed = |diagnostics| ImportResponse {
        state: Value::Null,
        diagnostics,
    };
    let Some((organization, space)) = request.id.split_once('/').filter(|(organization, space)| {
        !organization.is_empty() && !space.is_empty() && !space.contains('/')
    }) else {
        let mut diagnostics = Diagnostics::default();
        diagnostics.error(
            "Invalid import ID",
            format!(
                "{:?} is not `<organization>/<space>`, e.g. `acme/my-space`.",
                request.id
            ),
            None,
        );
        return failed(diagnostics);
    };
    let input = ConnectionInput {
        space: space.to_owned(),
        organization: organization.to_owned(),
        license_json: ready.config.license_json.clone(),
        registry: ready.config.registry.clone(),
        agent: Some(AgentInput::default()),
        ..ConnectionInput::default()
    };
    let spec = match input.validate() {
        Ok(spec) => spec,
        Err(invalid) => {
            return failed(engine_diagnostics(
                "Invalid import ID",
                &upbound_connect::engine::EngineError::Input(invalid),
            ));
        }
    };
    let observation = match ready.engine(&spec.namespace).await {
        Ok(engine) => engine.import(&spec).await,
        Err(error) => Err(error),
    };
    let observation = match observation {
        Ok(observation) => observation,
        Err(error) => return failed(engine_diagnostics("Cannot import the connection", &error)),
    };
    let robot = observation.robot.as_ref();
    let imported = SpaceConnection {
        space: spec.space.clone(),
        robot_name: robot.map(|robot| robot.name.clone()),
        robot_description: robot.map(|robot| {
            robot
                .description
                .strip_suffix(OWNERSHIP_MARKER)
                .unwrap_or(&robot.description)
                .to_owned()
        }),
        token_rotation: observation.connection.token_rotation.clone(),
        ..SpaceConnection::default()
    }
    .with_defaults(&spec)
    .with_connection(&observation.connection);
    ImportResponse {
        state: imported.to_value(),
        diagnostics: Diagnostics::default(),
    }
}
