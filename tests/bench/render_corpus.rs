//! Render benchmark on real charts: the three largest charts of the shared
//! corpus (`../shared/charts-corpus`, by the bytes of their chart
//! directory), rendered with their default values by the engine (chart
//! loaded from disk, rendered, documents sorted: what `helm template`
//! does) and by the harness's real `helm template` (one process per run,
//! output discarded), wall time, same machine, medians.
//!
//! Run with `tests/bench/run render_corpus` (it exports the harness helm).
//! `BENCH_ITERATIONS` (default 5) sets the number of samples.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::manifest;
use upbound_connect::helm::render::{Capabilities, KubeVersion, RenderOptions, Renderer};
use upbound_connect::helm::values::Values;

/// As the corpus's cases render: `--kube-version v1.36.0`.
const KUBE_VERSION: &str = "v1.36.0";
const CHARTS: usize = 3;

fn main() {
    let iterations: usize = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/charts-corpus");
    let helm = std::env::var("UPBOUND_CONNECT_TEST_HELM")
        .expect("UPBOUND_CONNECT_TEST_HELM: run through tests/bench/run");
    let home = tempfile::tempdir().expect("helm home");
    let renderer = Renderer::new();
    println!(
        "{:<22} {:>9} {:>12} {:>12} {:>7}",
        "chart", "KiB", "ours", "helm", "ratio"
    );
    for (name, chart_dir, bytes) in largest_charts(&corpus) {
        let ours = median(iterations, || render(&renderer, &chart_dir));
        let helms = median(iterations, || helm_template(&helm, home.path(), &chart_dir));
        println!(
            "{name:<22} {:>9} {:>12.1?} {:>12.1?} {:>7.2}",
            bytes / 1024,
            ours,
            helms,
            ours.as_secs_f64() / helms.as_secs_f64()
        );
    }
}

/// The corpus's largest charts: name, chart directory, bytes.
fn largest_charts(corpus: &Path) -> Vec<(String, PathBuf, u64)> {
    let mut charts: Vec<(String, PathBuf, u64)> = std::fs::read_dir(corpus)
        .expect("the charts corpus beside the checkout")
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("chart"))
        .filter(|chart| chart.join("Chart.yaml").is_file())
        .map(|chart| {
            let name = chart
                .parent()
                .and_then(Path::file_name)
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = size(&chart);
            (name, chart, bytes)
        })
        .collect();
    charts.sort_by_key(|(_, _, bytes)| std::cmp::Reverse(*bytes));
    charts.truncate(CHARTS);
    charts
}

/// The bytes of every file under `path`.
fn size(path: &Path) -> u64 {
    match std::fs::read_dir(path) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| size(&entry.path()))
            .sum(),
        Err(_) => std::fs::metadata(path).map_or(0, |metadata| metadata.len()),
    }
}

/// The median wall time of `iterations` runs of `run`.
fn median(iterations: usize, mut run: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

/// Loads, renders and sorts the chart at `chart_dir` with its defaults.
fn render(renderer: &Renderer, chart_dir: &Path) {
    let chart = Chart::load(chart_dir).expect("chart loads");
    let mut options = RenderOptions::template("rel", "ns");
    options.capabilities = Capabilities {
        kube_version: KubeVersion::parse(KUBE_VERSION).expect("a version"),
        ..Capabilities::helm_template_default()
    };
    let rendered = renderer
        .render(&chart, &Values::new(), &options)
        .expect("chart renders");
    let sorted = manifest::sort(&rendered.files).expect("documents sort");
    std::hint::black_box(manifest::release_manifest(&sorted.manifests));
}

/// `helm template rel CHART -n ns --kube-version v1.36.0`, output discarded.
fn helm_template(helm: &str, home: &Path, chart_dir: &Path) {
    let status = Command::new(helm)
        .args(["template", "rel"])
        .arg(chart_dir)
        .args(["-n", "ns", "--kube-version", KUBE_VERSION])
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_DATA_HOME", home.join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("helm runs");
    assert!(status.success(), "helm template {}", chart_dir.display());
}
