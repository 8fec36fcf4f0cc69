//! Our renderer against real `helm template` on the charts corpus
//! (`../shared/charts-corpus`, beside the checkout): every case of its
//! `cases.json` rendered as
//! `helm template rel <name>/chart -n ns [-f <name>/<values>] --kube-version v1.36.0`
//! by the harness's helm and by the engine in-process, with the same
//! inputs (release `rel`, namespace `ns`, Kubernetes v1.36.0 and helm's
//! default API versions, the harness helm's build information).
//!
//! - A deterministic case matches when our output, objects then hooks
//!   under helm's `---\n# Source: …` framing, is helm's whole stdout, byte
//!   for byte.
//! - A case helm refuses matches when we refuse it with the text helm
//!   prints after `Error: `.
//! - A case flagged `helm_nondeterministic` (genCA, genSelfSignedCert,
//!   randAlphaNum, …) is rendered twice by helm. Documents are compared
//!   parsed, after the same `# Source:` sequence; a scalar is masked when it
//!   differs between helm's two runs (a generated certificate or key, a
//!   random password, a checksum of either), and there ours only has to be
//!   a scalar of the same type. Everything else must be equal.
//!
//! The test prints the tally and, for every failing case, its first
//! difference; it fails when fewer than [`MIN_PASSING`] cases match or a
//! case fails that [`KNOWN_DIFFERENCES`] does not list.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::manifest;
use upbound_connect::helm::render::{Capabilities, HelmVersion, RenderOptions, Renderer};
use upbound_connect::helm::sprig::goyaml;
use upbound_connect::helm::values;

use testkit::helm::{harness_helm_version, helm_output};

const RELEASE: &str = "rel";
const NAMESPACE: &str = "ns";
const KUBE_VERSION: &str = "v1.36.0";

/// The lowest number of matching cases accepted (a ratchet: raise it when
/// a fix makes more cases match).
const MIN_PASSING: usize = 91;

/// Cases known to differ from helm, by label, with the cause.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

/// One entry of `cases.json`.
struct Case {
    chart: String,
    values: Option<String>,
    nondeterministic: bool,
    /// What `cases.json` says helm prints when it refuses the case.
    helm_error: Option<String>,
}

impl Case {
    fn label(&self) -> String {
        match &self.values {
            Some(values) => format!("{} -f {values}", self.chart),
            None => self.chart.clone(),
        }
    }
}

#[test]
fn corpus_charts_render_as_helm_template_does() {
    let corpus = testkit::repo_path("../shared/charts-corpus");
    assert!(
        corpus.join("cases.json").is_file(),
        "the charts corpus is missing: expected {} (the shared corpus beside the checkout)",
        corpus.display()
    );
    let cases = read_cases(&corpus);
    let home = tempfile::tempdir().unwrap();
    let helm_version = harness_helm_version(home.path());

    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                let renderer = Renderer::new();
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let verdict = compare(&renderer, &corpus, home.path(), case, &helm_version);
                    if let Err(difference) = verdict {
                        failures.lock().unwrap().push((case.label(), difference));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();

    let passing = cases.len() - failures.len();
    println!("corpus parity: {passing}/{} cases match", cases.len());
    for (label, difference) in &failures {
        let known = KNOWN_DIFFERENCES.iter().find(|(known, _)| known == label);
        let note = known.map_or("NEW DIFFERENCE", |(_, why)| why);
        println!("- {label} ({note})\n{difference}");
    }
    assert!(
        passing >= MIN_PASSING,
        "{passing}/{} corpus cases match helm, fewer than the {MIN_PASSING} reached before",
        cases.len()
    );
    let unexpected: Vec<&String> = failures
        .iter()
        .map(|(label, _)| label)
        .filter(|label| !KNOWN_DIFFERENCES.iter().any(|(known, _)| known == label))
        .collect();
    assert!(
        unexpected.is_empty(),
        "new differences from helm: {unexpected:?}"
    );
}

fn read_cases(corpus: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(corpus.join("cases.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut cases = Vec::new();
    for (chart, entries) in json["cases"].as_object().expect("cases by chart") {
        for entry in entries.as_array().expect("a chart's cases") {
            cases.push(Case {
                chart: chart.clone(),
                values: entry["values"].as_str().map(str::to_owned),
                nondeterministic: entry["helm_nondeterministic"] == Value::Bool(true),
                helm_error: entry["helm_error"].as_str().map(str::to_owned),
            });
        }
    }
    assert_eq!(cases.len(), 91, "cases.json lists 91 cases");
    cases
}

/// helm's stdout, or the message it prints after `Error: `.
pub(crate) fn helm_template(
    home: &Path,
    chart_dir: &Path,
    values_file: Option<&Path>,
) -> Result<String, String> {
    let chart_dir = chart_dir.display().to_string();
    let values_file = values_file.map(|file| file.display().to_string());
    let mut args = vec!["template", RELEASE, &chart_dir, "-n", NAMESPACE];
    if let Some(file) = &values_file {
        args.extend(["-f", file]);
    }
    args.extend(["--kube-version", KUBE_VERSION]);
    let out = helm_output(home, &args);
    if out.status.success() {
        return Ok(String::from_utf8(out.stdout).unwrap());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let error = stderr
        .rfind("Error: ")
        .map(|start| &stderr[start + "Error: ".len()..])
        .unwrap_or(&stderr);
    // helm adds a hint after a rendering error.
    let error = error.split("\n\nUse --debug").next().unwrap_or(error);
    Err(error.trim_end().to_owned())
}

/// Ours: the engine's output framed as `helm template` prints it, or our
/// error's text.
pub(crate) fn engine_template(
    renderer: &Renderer,
    chart_dir: &Path,
    values_file: Option<&Path>,
    helm_version: &HelmVersion,
) -> Result<String, String> {
    let chart = Chart::load(chart_dir).map_err(|error| error.to_string())?;
    let user = match values_file {
        Some(file) => {
            values::parse_yaml(&std::fs::read(file).unwrap()).map_err(|error| error.to_string())?
        }
        None => values::Values::new(),
    };
    let mut options = RenderOptions::template(RELEASE, NAMESPACE);
    options.capabilities = Capabilities {
        kube_version: upbound_connect::helm::render::KubeVersion::parse(KUBE_VERSION).unwrap(),
        helm_version: helm_version.clone(),
        ..Capabilities::helm_template_default()
    };
    let rendered = renderer
        .render(&chart, &user, &options)
        .map_err(|error| error.to_string())?;
    let sorted = manifest::sort(&rendered.files).map_err(|error| error.to_string())?;
    let mut text = manifest::release_manifest(&sorted.manifests);
    text.push_str(&manifest::release_manifest(&sorted.hooks));
    Ok(text)
}

fn compare(
    renderer: &Renderer,
    corpus: &Path,
    home: &Path,
    case: &Case,
    helm_version: &HelmVersion,
) -> Result<(), String> {
    let chart_dir = corpus.join(&case.chart).join("chart");
    let values_file: Option<PathBuf> = case
        .values
        .as_ref()
        .map(|values| corpus.join(&case.chart).join(values));
    let helms = helm_template(home, &chart_dir, values_file.as_deref());
    if let (Err(error), Some(listed)) = (&helms, &case.helm_error) {
        assert_eq!(
            format!("Error: {error}"),
            *listed,
            "{}: helm refuses it as cases.json says",
            case.label()
        );
    }
    let ours = engine_template(renderer, &chart_dir, values_file.as_deref(), helm_version);
    match (helms, ours) {
        (Ok(helms), Ok(ours)) if case.nondeterministic => {
            let again = helm_template(home, &chart_dir, values_file.as_deref())
                .map_err(|error| format!("helm's second run failed: {error}"))?;
            compare_masked(&helms, &again, &ours)
        }
        (Ok(helms), Ok(ours)) => first_difference(&helms, &ours),
        (Err(helms), Err(ours)) if helms == ours => Ok(()),
        (Err(helms), Err(ours)) => Err(format!(
            "  helm refused it with\n    {helms}\n  we refused it with\n    {ours}"
        )),
        (Ok(_), Err(ours)) => Err(format!("  helm rendered it; we refused it:\n    {ours}")),
        (Err(helms), Ok(_)) => Err(format!("  helm refused it ({helms}); we rendered it")),
    }
}

/// The first line where two outputs differ, with the lines before it.
pub(crate) fn first_difference(helms: &str, ours: &str) -> Result<(), String> {
    if helms == ours {
        return Ok(());
    }
    let (helm_lines, our_lines): (Vec<&str>, Vec<&str>) =
        (helms.lines().collect(), ours.lines().collect());
    let line = helm_lines
        .iter()
        .zip(&our_lines)
        .position(|(a, b)| a != b)
        .unwrap_or(helm_lines.len().min(our_lines.len()));
    let source = helm_lines[..line.min(helm_lines.len())]
        .iter()
        .rev()
        .find_map(|text| text.strip_prefix("# Source: "))
        .unwrap_or("?");
    let mut report = format!("  at line {} (in {source}):\n", line + 1);
    for context in &helm_lines[line.saturating_sub(3)..line] {
        report.push_str(&format!("        {context}\n"));
    }
    let show = |lines: &[&str]| {
        lines
            .get(line)
            .map_or("<end of output>".to_owned(), |l| (*l).to_owned())
    };
    report.push_str(&format!(
        "  helm: {}\n  ours: {}",
        show(&helm_lines),
        show(&our_lines)
    ));
    Err(report)
}

/// One document of a `helm template` output: its source and its text.
fn documents(output: &str) -> Vec<(String, String)> {
    output
        .split("---\n# Source: ")
        .skip(1)
        .map(|document| {
            let (source, content) = document.split_once('\n').unwrap_or((document, ""));
            (source.to_owned(), content.to_owned())
        })
        .collect()
}

/// Compares ours with helm's first run, modulo the scalars that differ
/// between helm's two runs.
fn compare_masked(first: &str, second: &str, ours: &str) -> Result<(), String> {
    let (first, second, ours) = (documents(first), documents(second), documents(ours));
    let sources = |documents: &[(String, String)]| -> Vec<String> {
        documents.iter().map(|(source, _)| source.clone()).collect()
    };
    if sources(&first) != sources(&ours) {
        return first_difference(&sources(&first).join("\n"), &sources(&ours).join("\n"))
            .map_err(|difference| format!("  the documents' sources differ:\n{difference}"));
    }
    assert_eq!(
        sources(&first),
        sources(&second),
        "helm's two runs have the same documents"
    );
    for (index, ((source, helms), ((_, again), (_, ours)))) in
        first.iter().zip(second.iter().zip(&ours)).enumerate()
    {
        let parsed = [helms, again, ours].map(|text| goyaml::read_map(text.as_bytes()));
        let (Ok(helms), Ok(again), Ok(ours)) = (&parsed[0], &parsed[1], &parsed[2]) else {
            // Not a YAML map (e.g. an empty document): compare the text.
            if helms != ours {
                return first_difference(helms, ours)
                    .map_err(|difference| format!("  document {index} ({source}):\n{difference}"));
            }
            continue;
        };
        let (helms, again, ours) = (
            Value::Object(helms.clone()),
            Value::Object(again.clone()),
            Value::Object(ours.clone()),
        );
        let mut masked = BTreeSet::new();
        random_paths(&helms, &again, String::new(), &mut masked);
        if let Some(difference) = masked_difference(&helms, &ours, String::new(), &masked) {
            return Err(format!("  document {index} ({source}): {difference}"));
        }
    }
    Ok(())
}

/// The paths of the scalars that differ between helm's two runs.
fn random_paths(first: &Value, second: &Value, path: String, masked: &mut BTreeSet<String>) {
    match (first, second) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                if let Some(other) = b.get(key) {
                    random_paths(value, other, format!("{path}/{key}"), masked);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (value, other)) in a.iter().zip(b).enumerate() {
                random_paths(value, other, format!("{path}/{i}"), masked);
            }
        }
        (a, b) if a != b => {
            masked.insert(path);
        }
        _ => {}
    }
}

/// Where ours differs from helm's, outside the masked paths (there ours
/// must be a scalar of helm's type).
fn masked_difference(
    helms: &Value,
    ours: &Value,
    path: String,
    masked: &BTreeSet<String>,
) -> Option<String> {
    if masked.contains(&path) {
        let same_type = std::mem::discriminant(helms) == std::mem::discriminant(ours);
        return (!same_type)
            .then(|| format!("at {path} (random in helm): helm {helms}, ours {ours}"));
    }
    match (helms, ours) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                let child = format!("{path}/{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(difference) = masked_difference(x, y, child, masked) {
                            return Some(difference);
                        }
                    }
                    (x, y) => {
                        return Some(format!(
                            "at {child}: helm {}, ours {}",
                            x.map_or("<absent>".to_owned(), Value::to_string),
                            y.map_or("<absent>".to_owned(), Value::to_string)
                        ));
                    }
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| masked_difference(x, y, format!("{path}/{i}"), masked)),
        (a, b) if a == b => None,
        (a, b) => Some(format!("at {path}:\n  helm: {a}\n  ours: {b}")),
    }
}
