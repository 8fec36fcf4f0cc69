//! One run of the engine for a validated request: build the clients, call
//! connect, disconnect or read, and turn the result into a [`Report`].

use std::sync::Mutex;
use std::time::Instant;

use upbound_connect::engine::{
    DisconnectOptions, EngineBuilder, EngineError, Observer, Outcome, Step, disconnect_cloud_only,
    plan,
};
use upbound_connect::spec::ChartSource;
use upbound_connect::state::Connection;
use upbound_connect::upbound::UpboundClient;

use crate::report::{self, Change, Event, Report};
use crate::request::{Command, Valid};

/// A run that failed, and whether it changed anything before it did.
#[derive(Debug)]
pub struct RunError {
    /// Why it failed.
    pub error: EngineError,
    /// Whether anything was created or removed first.
    pub changed: bool,
}

/// Runs `command`, telling `observer` each step.
pub async fn run(
    command: Command,
    valid: Valid,
    cloud_only: bool,
    observer: &dyn Observer,
) -> Result<Report, RunError> {
    let started = Instant::now();
    let recorder = Recorder {
        inner: observer,
        events: Mutex::default(),
    };
    let builder = EngineBuilder::new("upbound-connect");
    let upbound = builder.upbound(valid.upbound.clone());
    let result = run_with(
        &builder,
        upbound.clone(),
        command,
        &valid,
        cloud_only,
        &recorder,
    )
    .await;
    upbound.end_session().await;
    let events = recorder.events.into_inner().unwrap_or_default();
    match result {
        Ok(found) => Ok(found.report(command, &valid, events, started)),
        Err(error) => Err(RunError {
            error,
            changed: events
                .iter()
                .any(|event| matches!(event.change, Change::Created | Change::Removed)),
        }),
    }
}

/// What the engine answered.
struct Found {
    connection: Connection,
    changed: bool,
    drift: Vec<String>,
    plan: Vec<String>,
}

/// [`run`] with its Upbound client.
async fn run_with(
    builder: &EngineBuilder,
    upbound: UpboundClient,
    command: Command,
    valid: &Valid,
    cloud_only: bool,
    recorder: &Recorder<'_>,
) -> Result<Found, EngineError> {
    let spec = &valid.spec;
    let cluster = builder.cluster(&valid.cluster, &spec.namespace).await;
    Ok(match (command, cluster) {
        // No cluster client at all (its kubeconfig gone too): Upbound alone.
        (Command::Disconnect, Err(error)) if cloud_only && error.is_out_of_reach() => {
            disconnect_cloud_only(&upbound, spec, recorder)
                .await?
                .into()
        }
        (command, cluster) => {
            let engine = builder.engine(upbound, cluster?);
            match command {
                Command::Connect => engine.connect(spec, recorder).await?.into(),
                Command::Disconnect => engine
                    .disconnect(spec, DisconnectOptions { cloud_only }, recorder)
                    .await?
                    .into(),
                Command::Status | Command::Plan => {
                    recorder.step(Step::Observing);
                    let seen = engine.read_before_connect(spec).await?;
                    Found {
                        plan: plan(&seen, spec)?.steps(),
                        drift: seen.drift.iter().map(ToString::to_string).collect(),
                        connection: seen.connection,
                        changed: false,
                    }
                }
            }
        }
    })
}

impl From<Outcome> for Found {
    fn from(outcome: Outcome) -> Self {
        Self {
            connection: outcome.connection,
            changed: outcome.changed,
            drift: Vec::new(),
            plan: Vec::new(),
        }
    }
}

impl Found {
    /// The report of a run of `command` started at `started`.
    fn report(
        self,
        command: Command,
        valid: &Valid,
        events: Vec<Event>,
        started: Instant,
    ) -> Report {
        let spec = &valid.spec;
        let Connection {
            organization,
            space,
            robot_id,
            token_id,
            release_revision,
            agent_version,
            ..
        } = self.connection;
        Report {
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
            changed: self.changed,
            events,
            drift: self.drift,
            plan: self.plan,
            engine_seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// Passes steps on and keeps the changes they made for the report.
struct Recorder<'a> {
    inner: &'a dyn Observer,
    events: Mutex<Vec<Event>>,
}

impl Observer for Recorder<'_> {
    fn step(&self, step: Step) {
        if let Ok(mut events) = self.events.lock() {
            events.extend(report::events(&step));
        }
        self.inner.step(step);
    }
}
