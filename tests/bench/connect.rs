//! Connect benchmark: wall time of a first connect, of a no-op reconnect,
//! and of a cold read (a fresh engine with new clients, as a provider
//! process's first ReadResource), without the agent (robot, token, Secret)
//! and with it (plus
//! the agent chart pulled from the registry, rendered, installed as release
//! `agent` and waited for), and the calls each makes — Upbound calls from
//! the double's request log, Kubernetes calls from the real apiserver's
//! `apiserver_request_total` metric. The test apiserver runs no
//! controllers: a watcher marks the agent's Deployment ready.
//!
//! Run with `tests/bench/run` (it starts the harnesses).
//! `BENCH_ITERATIONS` (default 20) sets the number of samples.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use upbound_connect::engine::Silent;

use upbound_connect::spec::ConnectionSpec;

use testkit::install::mark_deployments_ready;
use testkit::registry::chart_versions;
use testkit::world::World;

/// Kubernetes requests served so far, by `VERB resource`.
async fn kube_requests(client: &kube::Client) -> BTreeMap<String, f64> {
    let request = http::Request::get("/metrics")
        .body(Vec::new())
        .expect("request");
    let metrics = client
        .request_text(request)
        .await
        .expect("apiserver metrics");
    let mut counts = BTreeMap::new();
    for line in metrics
        .lines()
        .filter(|line| line.starts_with("apiserver_request_total{"))
    {
        let label = |name: &str| {
            let start = line.find(&format!("{name}=\""))? + name.len() + 2;
            let end = line[start..].find('"')? + start;
            Some(line[start..end].to_owned())
        };
        let (Some(verb), Some(resource)) = (label("verb"), label("resource")) else {
            continue;
        };
        if resource.is_empty() {
            continue;
        }
        let value: f64 = line
            .rsplit(' ')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        *counts.entry(format!("{verb} {resource}")).or_default() += value;
    }
    counts
}

fn difference(
    before: &BTreeMap<String, f64>,
    after: &BTreeMap<String, f64>,
) -> BTreeMap<String, u64> {
    after
        .iter()
        .map(|(key, value)| {
            (
                key.clone(),
                (value - before.get(key).unwrap_or(&0.0)) as u64,
            )
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

fn summary(name: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |fraction: f64| samples[((samples.len() - 1) as f64 * fraction).round() as usize];
    println!(
        "{name:<22} n={:<3} min {:>7.1?}  median {:>7.1?}  p90 {:>7.1?}  max {:>7.1?}",
        samples.len(),
        samples[0],
        at(0.5),
        at(0.9),
        samples[samples.len() - 1]
    );
}

#[tokio::main]
async fn main() {
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(20);
    bench("connect", iterations, |world| world.spec("bench")).await;
    let version = &chart_versions()[0];
    bench("connect + agent", iterations, |world| {
        world
            .agent_input("bench", version)
            .validate()
            .expect("valid spec")
    })
    .await;
}

/// Runs `iterations` first and no-op connects of the spec `spec` makes in
/// a fresh world, and prints their times.
async fn bench(name: &str, iterations: usize, spec: impl Fn(&World) -> ConnectionSpec) {
    let (mut first, mut again, mut cold) = (Vec::new(), Vec::new(), Vec::new());
    for iteration in 0..iterations {
        let world = World::new().await;
        let _ready = mark_deployments_ready(world.kube.clone(), &world.namespace);
        let engine = world.engine().await;
        let spec = spec(&world);
        let kube_before = kube_requests(&world.kube).await;

        let started = Instant::now();
        engine.connect(&spec, &Silent).await.expect("first connect");
        first.push(started.elapsed());
        let kube_first = kube_requests(&world.kube).await;
        let upbound_first = world.double.request_counts();
        world.double.clear_requests();

        let started = Instant::now();
        let outcome = engine.connect(&spec, &Silent).await.expect("no-op connect");
        again.push(started.elapsed());
        assert!(!outcome.changed);
        let kube_again = kube_requests(&world.kube).await;

        let fresh = world.engine().await;
        let started = Instant::now();
        let seen = fresh.read(&spec).await.expect("cold read");
        cold.push(started.elapsed());
        assert!(seen.drift.is_empty(), "{:?}", seen.drift);

        if iteration == 0 {
            println!("{name}");
            println!("first connect, Upbound calls: {upbound_first:?}");
            println!(
                "first connect, Kubernetes calls: {:?}",
                difference(&kube_before, &kube_first)
            );
            println!(
                "no-op connect, Upbound calls: {:?}",
                world.double.request_counts()
            );
            println!(
                "no-op connect, Kubernetes calls: {:?}",
                difference(&kube_first, &kube_again)
            );
        }
    }
    summary(&format!("{name}: first"), &mut first);
    summary(&format!("{name}: no-op"), &mut again);
    summary(&format!("{name}: cold read"), &mut cold);
}
