//! `upbound_space_connection`: one file per lifecycle call, each a plain
//! function from a request to a response; the engine does the work.
//!
//! - `attributes`: each top-level attribute declared once (type, meaning,
//!   what a change does, its default), for the schema and the plan.
//! - `schema`: the schema, from `attributes` and the nested blocks.
//! - `model`: known values as typed fields, and the engine's inputs.
//! - `agent`, `access`: the nested blocks.
//! - `location`: where each engine field is set in the configuration.
//! - `validate`: ValidateResourceConfig — input rules, before anything.
//! - `plan`: PlanResourceChange — defaults, IDs kept from state,
//!   replacement, validation against the provider's organization.
//! - `create`, `update`, `delete`: ApplyResourceChange — connect, connect
//!   (or only record `cloud_only_destroy`), disconnect.
//! - `read`: ReadResource — observe, report drift so the plan repairs it.
//! - `import`: ImportResourceState — by `<organization>/<space>[/<namespace>]`.
//! - `upgrade`: UpgradeResourceState — stored JSON to the current schema.

pub mod access;
pub mod agent;
pub mod attributes;
pub mod create;
pub mod delete;
pub mod import;
pub mod model;
pub mod plan;
pub mod read;
pub mod schema;
pub mod update;
pub mod upgrade;
pub mod validate;

use upbound_connect::cluster::ClusterError;
use upbound_connect::engine::{EngineError, Observer, Promised, Step};
use upbound_connect::spec::{ConnectionSpec, Field, FieldError};

use crate::cty::Value;
use crate::diagnostics::Diagnostics;
use crate::plugin::log::{Level, log};
use crate::provider::Ready;
use attributes::location::{Location, location, location_with_cluster_block};
use model::SpaceConnection;

/// ApplyResourceChange, as create, update and delete see it.
pub struct ApplyRequest {
    /// The state before (null on create).
    pub prior_state: Value,
    /// The planned state (null on delete): unknowns are for apply to fill.
    pub planned_state: Value,
}

/// What apply produced.
pub struct ApplyResponse {
    /// The new state: the planned state with every unknown filled (null
    /// after delete, or when nothing could be created).
    pub new_state: Value,
    /// What went wrong.
    pub diagnostics: Diagnostics,
}

/// The way out when the cluster is gone for good: Destroy sees only the
/// state, so the opt-in must be recorded there first, and Update records it
/// without reaching the cluster.
const CLUSTER_GONE_HELP: &str = " If the cluster is gone for good, set `cloud_only_destroy = true` on this resource, record it with `terraform apply -refresh=false`, then `terraform destroy` removes the robot and its tokens from Upbound.";

/// How to go on when a saved plan no longer holds.
const PLAN_AGAIN_HELP: &str = " Run `terraform plan` again and apply the new plan.";

/// One field problem as a diagnostic, on its attribute when it is the
/// resource's.
pub fn field_diagnostic(diagnostics: &mut Diagnostics, problem: &FieldError) {
    field_diagnostic_at(diagnostics, problem, &location);
}

/// [`field_diagnostic`] with `locate` saying where fields are set.
fn field_diagnostic_at(
    diagnostics: &mut Diagnostics,
    problem: &FieldError,
    locate: &dyn Fn(Field) -> Location,
) {
    let place = locate(problem.field);
    diagnostics.error(
        "Invalid configuration",
        format!("{} {}; {}.", place.name(), problem.problem, problem.fix),
        place.resource_path(),
    );
}

/// An engine error as diagnostics: one per input problem, each on its
/// attribute when it is one of the resource's.
pub fn engine_diagnostics(summary: &str, error: &EngineError) -> Diagnostics {
    engine_diagnostics_at(summary, error, &location)
}

/// [`engine_diagnostics`] for `connection`: with a `cluster` block of its
/// own, the cluster's problems are that block's.
pub fn connection_diagnostics(
    summary: &str,
    error: &EngineError,
    connection: &SpaceConnection,
) -> Diagnostics {
    if connection.cluster.is_null() {
        engine_diagnostics_at(summary, error, &location)
    } else {
        engine_diagnostics_at(summary, error, &location_with_cluster_block)
    }
}

/// [`engine_diagnostics`] with `locate` saying where fields are set.
fn engine_diagnostics_at(
    summary: &str,
    error: &EngineError,
    locate: &dyn Fn(Field) -> Location,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    match error {
        EngineError::Input(invalid) => {
            for problem in &invalid.0 {
                field_diagnostic_at(&mut diagnostics, problem, locate);
            }
        }
        EngineError::Cluster(ClusterError::Config(problem)) => {
            field_diagnostic_at(&mut diagnostics, problem, locate);
        }
        error => {
            let place = error.field().map(locate);
            // Named even when the diagnostic points at the attribute:
            // Terraform quotes its line only when the configuration sets it.
            let mut detail = match &place {
                Some(place) => format!("{error}. Check {}.", place.name()),
                None => format!("{error}."),
            };
            if matches!(
                error.cluster_error(),
                Some(ClusterError::Unreachable { .. })
            ) {
                detail.push_str(CLUSTER_GONE_HELP);
            } else if matches!(error, EngineError::PlanOutdated { .. }) {
                detail.push_str(PLAN_AGAIN_HELP);
            }
            diagnostics.error(
                summary,
                detail,
                place.and_then(|place| place.resource_path()),
            );
        }
    }
    diagnostics
}

/// The validated spec of a known connection.
fn spec(connection: &SpaceConnection, ready: &Ready) -> Result<ConnectionSpec, Diagnostics> {
    let Some(organization) = connection
        .organization
        .clone()
        .or_else(|| ready.config.organization.clone())
    else {
        return Err(model::missing_organization());
    };
    let (input, diagnostics) = connection.input(organization, &ready.config.registry_settings());
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    input
        .validate()
        .map_err(|invalid| engine_diagnostics("Invalid connection", &EngineError::Input(invalid)))
}

/// Logs each engine step at info, so TF_LOG shows what a run did.
struct LogSteps<'a>(&'a str);

impl Observer for LogSteps<'_> {
    fn step(&self, step: Step) {
        log(Level::Info, &format!("{}: {step:?}", self.0));
    }
}

/// Create and update: make the connection match the plan.
async fn connect(request: ApplyRequest, ready: &Ready) -> ApplyResponse {
    let planned = SpaceConnection::from_value(&request.planned_state);
    let failed = |diagnostics| ApplyResponse {
        new_state: request.prior_state.clone(),
        diagnostics,
    };
    let spec = match spec(&planned, ready) {
        Ok(spec) => spec,
        Err(diagnostics) => return failed(diagnostics),
    };
    // What the plan showed as known, apply may not change.
    let promised = Promised {
        robot_id: planned.robot_id.clone(),
        token_id: planned.token_id.clone(),
        release_revision: planned.release_revision,
    };
    let outcome = match ready
        .engine(
            &planned.cluster_access(&ready.config.cluster),
            &spec.namespace,
        )
        .await
    {
        Ok(engine) => {
            engine
                .connect_as_planned(&spec, &promised, &LogSteps(&spec.space))
                .await
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(outcome) => ApplyResponse {
            new_state: planned
                .with_defaults(&spec)
                .with_connection(&outcome.connection)
                .to_value(),
            diagnostics: Diagnostics::default(),
        },
        Err(error) => failed(connection_diagnostics(
            "Cannot connect the Space",
            &error,
            &planned,
        )),
    }
}
