//! One run of the engine for a validated request: build the clients, call
//! connect, disconnect or read, and turn the result into a [`Report`].

use std::sync::Mutex;
use std::time::{Duration, Instant};

use upbound_connect::cluster::{Cluster, ClusterError};
use upbound_connect::engine::{
    DisconnectOptions, Engine, EngineError, Observer, Step, disconnect_cloud_only, plan,
};
use upbound_connect::retry::RetryPolicy;
use upbound_connect::spec::ChartSource;
use upbound_connect::state::Connection;
use upbound_connect::upbound::UpboundClient;

use crate::report::{self, Event, Report};
use crate::request::{Command, Valid};

/// How long each Kubernetes request may take.
const CLUSTER_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The exit status of a run that failed because of its inputs (nothing was
/// changed); any other failure exits with 1.
pub const EXIT_BAD_INPUT: u8 = 2;

/// The exit status for `error`: [`EXIT_BAD_INPUT`] for bad input, else 1.
pub fn exit_status(error: &EngineError) -> u8 {
    match error {
        EngineError::Input(_) | EngineError::Cluster(ClusterError::Config { .. }) => EXIT_BAD_INPUT,
        _ => 1,
    }
}

/// Runs `command`, telling `observer` each step.
pub async fn run(
    command: Command,
    valid: Valid,
    cloud_only: bool,
    observer: &dyn Observer,
) -> Result<Report, EngineError> {
    let started = Instant::now();
    let upbound = UpboundClient::new(valid.upbound.clone())?;
    let report = run_with(
        upbound.clone(),
        command,
        &valid,
        cloud_only,
        observer,
        started,
    )
    .await;
    upbound.end_session().await;
    report
}

/// [`run`] with its Upbound client, timed from `started`.
async fn run_with(
    upbound: UpboundClient,
    command: Command,
    valid: &Valid,
    cloud_only: bool,
    observer: &dyn Observer,
    started: Instant,
) -> Result<Report, EngineError> {
    let spec = &valid.spec;
    let cluster = Cluster::connect(
        &valid.cluster,
        &spec.namespace,
        CLUSTER_REQUEST_TIMEOUT,
        RetryPolicy::default(),
    )
    .await;
    let recorder = Recorder {
        inner: observer,
        events: Mutex::default(),
    };
    let (connection, changed, drift, plan) = match (command, cluster) {
        // No cluster client at all (its kubeconfig gone too): Upbound alone.
        (Command::Disconnect, Err(error)) if cloud_only && error.is_out_of_reach() => {
            let outcome = disconnect_cloud_only(&upbound, spec, &recorder).await?;
            (outcome.connection, outcome.changed, Vec::new(), Vec::new())
        }
        (command, cluster) => {
            let engine = Engine::new(upbound, cluster?, "upbound-connect");
            match command {
                Command::Connect => {
                    let outcome = engine.connect(spec, &recorder).await?;
                    (outcome.connection, outcome.changed, Vec::new(), Vec::new())
                }
                Command::Disconnect => {
                    let outcome = engine
                        .disconnect(spec, DisconnectOptions { cloud_only }, &recorder)
                        .await?;
                    (outcome.connection, outcome.changed, Vec::new(), Vec::new())
                }
                Command::Status | Command::Plan => {
                    observer.step(Step::Observing);
                    let seen = engine.read(spec).await?;
                    let steps = plan(&seen, spec)?.steps();
                    let drift = seen.drift.iter().map(ToString::to_string).collect();
                    (seen.connection, false, drift, steps)
                }
            }
        }
    };
    let Connection {
        organization,
        space,
        robot_id,
        token_id,
        release_revision,
        agent_version,
        ..
    } = connection;
    Ok(Report {
        command,
        organization,
        space,
        namespace: spec.namespace.clone(),
        secret: spec.token_secret_name.clone(),
        robot_id,
        token_id,
        agent_version: agent_version.or_else(|| {
            spec.agent.as_ref().and_then(|agent| match &agent.chart {
                ChartSource::Registry(reference) => Some(reference.version.clone()),
                ChartSource::Local(_) => None,
            })
        }),
        release_revision,
        changed,
        events: recorder.events.into_inner().unwrap_or_default(),
        drift,
        plan,
        engine_seconds: started.elapsed().as_secs_f64(),
    })
}

/// Passes steps on and keeps the changes they made for the report.
struct Recorder<'a> {
    inner: &'a dyn Observer,
    events: Mutex<Vec<Event>>,
}

impl Observer for Recorder<'_> {
    fn step(&self, step: Step) {
        if let Some(event) = report::event(&step)
            && let Ok(mut events) = self.events.lock()
        {
            events.push(event);
        }
        self.inner.step(step);
    }
}
