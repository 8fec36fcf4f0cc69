//! Render benchmark: wall time of rendering the agent test chart
//! (tests/charts/agent) as `helm template` would, values to rendered and
//! sorted documents, for both values interfaces. No harness needed.
//!
//! Run with `cargo bench -p upbound-connect --bench render` (or
//! `tests/bench/run render`). `BENCH_ITERATIONS` (default 200) sets the
//! number of samples.

use std::path::Path;
use std::time::{Duration, Instant};

use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::manifest;
use upbound_connect::helm::render::{RenderOptions, Renderer};
use upbound_connect::helm::values::{self, Values};

fn main() {
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let charts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charts");
    let top_level = Chart::load(&charts.join("agent")).expect("agent chart");
    let mut global = top_level.clone();
    global.values =
        values::parse_yaml(&std::fs::read(charts.join("agent-values-global.yaml")).unwrap())
            .expect("global values");
    let user = |file: &str| {
        values::parse_yaml(&std::fs::read(charts.join("agent-ci").join(file)).unwrap()).unwrap()
    };
    let cases: [(&str, &Chart, Values); 2] = [
        (
            "top-level values",
            &top_level,
            user("top-level/manual-install-values.yaml"),
        ),
        (
            "global values",
            &global,
            user("global/manual-install-values.yaml"),
        ),
    ];

    let started = Instant::now();
    let renderer = Renderer::new();
    println!("renderer setup (function set): {:?}", started.elapsed());
    let options = RenderOptions::template("agent", "upbound-system");
    for (name, chart, user) in cases {
        let mut samples: Vec<Duration> = (0..iterations)
            .map(|_| {
                let started = Instant::now();
                let rendered = renderer.render(chart, &user, &options).expect("renders");
                let sorted = manifest::sort(&rendered.files).expect("sorts");
                assert!(sorted.manifests.len() >= 5);
                started.elapsed()
            })
            .collect();
        samples.sort();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
        println!(
            "render agent chart ({name}), {iterations} runs: median {:?}, p95 {:?}, min {:?}, max {:?}",
            at(0.5),
            at(0.95),
            samples[0],
            samples[samples.len() - 1]
        );
    }
}
