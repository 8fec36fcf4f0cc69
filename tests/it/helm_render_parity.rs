//! Our render pipeline produces exactly what real `helm template` prints,
//! for every chart of the parity corpus (tests/charts/parity/*) and the
//! agent test chart (both values interfaces), with each of their value
//! sets (`ci/*-values.yaml`), at helm's default Kubernetes version (the
//! harness helm is stamped as a release build is, so its default is the
//! same v1.36.0 as ours) and on another cluster, an older Kubernetes with
//! an extra API version (so capability checks take both branches). Documents are compared in order, ours
//! after manifest::sort, objects then hooks as helm prints them. A value set helm
//! refuses must be refused by us too, with the same message for template
//! errors. Prints the pass rate and a diff for each failing pair.

use std::path::{Path, PathBuf};

use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::manifest;
use upbound_connect::helm::render::{
    Capabilities, HelmVersion, KubeVersion, RenderError, RenderOptions, Renderer,
};
use upbound_connect::helm::values;

use testkit::helm::{harness_helm_version, helm_output};

const RELEASE: &str = "parity";
const NAMESPACE: &str = "parity-ns";

/// The second capability set: an older cluster that also serves the
/// Prometheus operator's API.
const OTHER_KUBE: &str = "v1.30.2";
const EXTRA_API_VERSIONS: &[&str] = &[
    "monitoring.coreos.com/v1",
    "monitoring.coreos.com/v1/ServiceMonitor",
];

/// One chart × value set × capability set.
struct Case {
    chart_dir: PathBuf,
    values_file: PathBuf,
    other_cluster: bool,
}

impl Case {
    fn label(&self) -> String {
        format!(
            "{} with {}{}",
            self.chart_dir.file_name().unwrap().to_string_lossy(),
            self.values_file.file_name().unwrap().to_string_lossy(),
            if self.other_cluster {
                " on another cluster"
            } else {
                ""
            }
        )
    }
}

#[test]
fn rendered_charts_match_helm_template() {
    let home = tempfile::tempdir().unwrap();
    let charts = corpus(home.path());
    let helm_version = harness_helm_version(home.path());
    let renderer = Renderer::new();
    let mut failures = Vec::new();
    let mut total = 0;
    for case in cases(&charts) {
        total += 1;
        if let Err(diff) = compare(&renderer, home.path(), &case, &helm_version) {
            failures.push(format!("--- {}\n{diff}", case.label()));
        }
    }
    println!(
        "render parity: {}/{} chart × values × capabilities pairs match helm template",
        total - failures.len(),
        total
    );
    assert!(total >= 13 * 2 * 2, "the corpus has {total} pairs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The chart directories: the corpus, the agent chart, and the agent
/// chart with the newer (global.*) values interface.
fn corpus(scratch: &Path) -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charts");
    let mut charts: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(root.join("parity"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("Chart.yaml").exists())
        .map(|path| (path.clone(), path.join("ci")))
        .collect();
    charts.sort();
    charts.push((root.join("agent"), root.join("agent-ci/top-level")));
    let global = scratch.join("agent-global");
    copy_dir(&root.join("agent"), &global);
    std::fs::copy(
        root.join("agent-values-global.yaml"),
        global.join("values.yaml"),
    )
    .unwrap();
    charts.push((global, root.join("agent-ci/global")));
    charts
}

fn cases(charts: &[(PathBuf, PathBuf)]) -> Vec<Case> {
    let mut cases = Vec::new();
    for (chart_dir, ci) in charts {
        let mut value_sets: Vec<PathBuf> = std::fs::read_dir(ci)
            .unwrap_or_else(|error| panic!("{}: {error}", ci.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.to_string_lossy().ends_with("-values.yaml"))
            .collect();
        value_sets.sort();
        assert!(
            value_sets.len() >= 2,
            "{} has several value sets",
            ci.display()
        );
        for values_file in value_sets {
            for other_cluster in [false, true] {
                cases.push(Case {
                    chart_dir: chart_dir.clone(),
                    values_file: values_file.clone(),
                    other_cluster,
                });
            }
        }
    }
    cases
}

fn compare(
    renderer: &Renderer,
    home: &Path,
    case: &Case,
    helm_version: &HelmVersion,
) -> Result<(), String> {
    let chart_dir = case.chart_dir.display().to_string();
    let values_file = case.values_file.display().to_string();
    let mut args = vec![
        "template",
        RELEASE,
        &chart_dir,
        "-n",
        NAMESPACE,
        "-f",
        &values_file,
    ];
    if case.other_cluster {
        args.extend(["--kube-version", OTHER_KUBE]);
        for api in EXTRA_API_VERSIONS {
            args.extend(["--api-versions", api]);
        }
    }
    let out = helm_output(home, &args);
    let helms = if out.status.success() {
        Ok(String::from_utf8(out.stdout).unwrap())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        // helm's last line is the error; it adds a hint about --debug.
        let error = stderr.split("\n\nUse --debug").next().unwrap_or_default();
        let error = error
            .lines()
            .filter(|line| !line.starts_with("manifest_sorter.go"))
            .collect::<Vec<_>>()
            .join("\n");
        Err(error.trim().trim_start_matches("Error: ").to_owned())
    };

    let chart = Chart::load(&case.chart_dir).unwrap();
    let user = values::parse_yaml(&std::fs::read(&case.values_file).unwrap()).unwrap();
    let mut options = RenderOptions::template(RELEASE, NAMESPACE);
    options.capabilities = Capabilities {
        helm_version: helm_version.clone(),
        ..Capabilities::helm_template_default()
    };
    if case.other_cluster {
        options.capabilities.kube_version = KubeVersion::parse(OTHER_KUBE).unwrap();
        options
            .capabilities
            .api_versions
            .extend(EXTRA_API_VERSIONS.iter().map(|api| (*api).to_owned()));
    }
    let ours = renderer.render(&chart, &user, &options);

    match (helms, ours) {
        (Ok(helms), Ok(ours)) => {
            let sorted = manifest::sort(&ours.files).map_err(|error| format!("ours: {error}"))?;
            let mut text = manifest::release_manifest(&sorted.manifests);
            text.push_str(&manifest::release_manifest(&sorted.hooks));
            diff(&normalise(&helms), &normalise(&text))
        }
        (Err(helms), Err(ours)) => match ours {
            RenderError::Execute(_) | RenderError::Parse(_) if ours.to_string() != helms => Err(
                format!("helm failed with\n  {helms}\nwe failed with\n  {ours}"),
            ),
            _ => Ok(()),
        },
        (Ok(_), Err(ours)) => Err(format!("helm rendered it; we failed: {ours}")),
        (Err(helms), Ok(_)) => Err(format!("helm failed ({helms}); we rendered it")),
    }
}

/// The documents of a `helm template` style output, in order: objects,
/// then hooks (both in Helm's kind order).
fn normalise(output: &str) -> Vec<String> {
    output
        .split("---\n# Source: ")
        .skip(1)
        .map(|document| document.trim_end().to_owned())
        .collect()
}

fn diff(helms: &[String], ours: &[String]) -> Result<(), String> {
    if helms == ours {
        return Ok(());
    }
    let mut report = String::new();
    for i in 0..helms.len().max(ours.len()) {
        let (h, o) = (helms.get(i), ours.get(i));
        if h == o {
            continue;
        }
        report.push_str(&format!("document {i}:\n"));
        let (h_lines, o_lines): (Vec<&str>, Vec<&str>) = (
            h.map(|d| d.lines().collect()).unwrap_or_default(),
            o.map(|d| d.lines().collect()).unwrap_or_default(),
        );
        for j in 0..h_lines.len().max(o_lines.len()) {
            match (h_lines.get(j), o_lines.get(j)) {
                (Some(a), Some(b)) if a == b => {}
                (a, b) => {
                    report.push_str(&format!(
                        "  helm: {}\n  ours: {}\n",
                        a.unwrap_or(&"<none>"),
                        b.unwrap_or(&"<none>")
                    ));
                }
            }
        }
    }
    Err(report)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
