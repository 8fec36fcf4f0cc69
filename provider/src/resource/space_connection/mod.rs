//! `upbound_space_connection`: one file per lifecycle call, each a plain
//! function from a request to a response; the engine does the work.
//!
//! - `schema`: the attributes and their descriptions.
//! - `model`: known values as typed fields, and the engine's inputs.
//! - `agent`, `access`: the nested blocks.
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
use upbound_connect::spec::ConnectionSpec;

use crate::cty::{AttributePath, Value};
use crate::diagnostics::Diagnostics;
use crate::plugin::log::{Level, log};
use crate::provider::Ready;
use model::SpaceConnection;

/// The attributes of this resource that the engine's field names match.
const RESOURCE_FIELDS: [&str; 9] = [
    "space",
    "organization",
    "namespace",
    "token_secret_name",
    "robot_name",
    "robot_description",
    "token_rotation",
    "skip_space_check",
    "space_record",
];

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

/// The attribute an engine field names, when it is one of ours: a
/// top-level one, `agent.x` in the `agent` block, or `access[i].x` in the
/// `access` blocks.
fn field_path(field: &str) -> Option<AttributePath> {
    if let Some(name) = field.strip_prefix("agent.") {
        return Some(AttributePath::root("agent").attribute(name));
    }
    if let Some(path) = access::field_path(field) {
        return Some(path);
    }
    RESOURCE_FIELDS
        .contains(&field)
        .then(|| AttributePath::root(field))
}

/// The way out when the cluster is gone for good: Destroy sees only the
/// state, so the opt-in must be recorded there first, and Update records it
/// without reaching the cluster.
const CLUSTER_GONE_HELP: &str = " If the cluster is gone for good, set `cloud_only_destroy = true` on this resource, record it with `terraform apply -refresh=false`, then `terraform destroy` removes the robot and its tokens from Upbound.";

/// How to go on when a saved plan no longer holds.
const PLAN_AGAIN_HELP: &str = " Run `terraform plan` again and apply the new plan.";

/// Where a field that is not the resource's is set.
fn provider_setting(field: &str) -> &'static str {
    match field {
        "token" | "endpoint" => " (provider block `upbound`)",
        "license" | "registry" => " (provider block `registry`)",
        "kubeconfig" | "kube_context" | "host" | "in_cluster" => " (provider block `kubernetes`)",
        _ => "",
    }
}

/// An engine error as diagnostics: one per input problem, each on its
/// attribute when it is one of the resource's.
pub fn engine_diagnostics(summary: &str, error: &EngineError) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    match error {
        EngineError::Input(invalid) => {
            for problem in &invalid.0 {
                diagnostics.error(
                    format!("Invalid {}", problem.field),
                    format!(
                        "`{}`{} {}; {}.",
                        problem.field,
                        provider_setting(&problem.field),
                        problem.problem,
                        problem.fix
                    ),
                    field_path(&problem.field),
                );
            }
        }
        error => {
            let field = error.field();
            let mut detail = match field {
                Some(field) if field_path(field).is_none() => {
                    format!("{error}. Check `{field}`{}.", provider_setting(field))
                }
                _ => format!("{error}."),
            };
            match error {
                EngineError::Cluster(ClusterError::Unreachable { .. }) => {
                    detail.push_str(CLUSTER_GONE_HELP);
                }
                EngineError::PlanOutdated { .. } => detail.push_str(PLAN_AGAIN_HELP),
                _ => {}
            }
            diagnostics.error(summary, detail, field.and_then(field_path));
        }
    }
    diagnostics
}

/// The validated spec of a known connection.
fn spec(connection: &SpaceConnection, ready: &Ready) -> Result<ConnectionSpec, Diagnostics> {
    let input = connection.input(
        ready.config.organization.as_deref(),
        ready.config.license_json.clone(),
        ready.config.registry.clone(),
    )?;
    input
        .validate()
        .map_err(|invalid| engine_diagnostics("Invalid connection", &EngineError::Input(invalid)))
}

/// Whether `error` says the cluster is out of reach: with
/// `cloud_only_destroy`, read keeps the state and delete cleans Upbound.
fn cluster_out_of_reach(error: &EngineError) -> bool {
    matches!(error, EngineError::Cluster(error) if error.is_out_of_reach())
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
    let outcome = match ready.engine(&spec.namespace).await {
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
        Err(error) => failed(engine_diagnostics("Cannot connect the Space", &error)),
    }
}
