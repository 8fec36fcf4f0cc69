//! A chart that does not render fails with the words real helm uses.
//!
//! - Every value set (`ci/*-values.yaml`) of the charts under
//!   `tests/charts/errors/` makes its chart fail in its own way: a template
//!   that fails as it executes (`exec`: `fail`, `required`, nil pointers,
//!   wrong argument types, `include`/`tpl` of what fails, errors in a
//!   helper or a subchart), values its schemas refuse (`schema`), a
//!   rendered document that is not a manifest (`yaml`).
//! - Each template of [`PARSE_CASES`] does not parse.
//! - Each file under `tests/charts/errors/values-files/` is not a values
//!   document.
//!
//! Real `helm template` must refuse every case (else the case tests
//! nothing), and we must refuse it with the text helm prints after
//! `Error: `, byte for byte. The one exception is helm's own randomness:
//! a value set named `unordered-*` breaks several sibling schema rules,
//! which helm lists in Go's map order, so there only the lines are
//! compared, in any order.

use std::path::{Path, PathBuf};

use testkit::helm::harness_helm_version;
use upbound_connect::helm::render::{HelmVersion, Renderer};
use upbound_connect::helm::values;

use crate::helm_corpus_parity::{engine_template, helm_template};

/// A chart and the templates that do not parse: (label, file, text).
const PARSE_CASES: &[(&str, &str, &str)] = &[
    (
        "function not defined",
        "templates/cm.yaml",
        "a: {{ nope .Values }}\n",
    ),
    (
        "unclosed action",
        "templates/cm.yaml",
        "a: 1\nb: {{ .Values.x\n",
    ),
    (
        "unclosed action over lines",
        "templates/cm.yaml",
        "a: {{ .Values.x\nb: 1\nc: }\n",
    ),
    (
        "missing end",
        "templates/cm.yaml",
        "{{ if .Values.x }}\na: 1\n",
    ),
    ("unexpected end", "templates/cm.yaml", "a: 1\n{{ end }}\n"),
    ("else outside if", "templates/cm.yaml", "{{ else }}\n"),
    ("empty action", "templates/cm.yaml", "a: {{ }}\n"),
    (
        "pipe to a constant",
        "templates/cm.yaml",
        "a: {{ 1 | 2 }}\n",
    ),
    (
        "undefined variable",
        "templates/cm.yaml",
        "a: {{ $nope }}\n",
    ),
    (
        "assignment to undefined variable",
        "templates/cm.yaml",
        "{{ $x = 1 }}\n",
    ),
    ("bad number", "templates/cm.yaml", "a: {{ 1x }}\n"),
    (
        "unterminated string",
        "templates/cm.yaml",
        "a: {{ \"abc }}\n",
    ),
    (
        "unterminated raw string",
        "templates/cm.yaml",
        "a: {{ `abc }}\n",
    ),
    (
        "unexpected character",
        "templates/cm.yaml",
        "a: {{ .Values.x @ }}\n",
    ),
    (
        "comment not closing the action",
        "templates/cm.yaml",
        "a: {{/* x */ 1 }}\n",
    ),
    (
        "define inside define",
        "templates/cm.yaml",
        "{{ define \"a\" }}{{ define \"b\" }}{{ end }}{{ end }}\n",
    ),
    (
        "too many declarations",
        "templates/cm.yaml",
        "{{ $a, $b, $c := .Values }}\n",
    ),
    ("break outside range", "templates/cm.yaml", "{{ break }}\n"),
    (
        "if without condition",
        "templates/cm.yaml",
        "{{ if }}{{ end }}\n",
    ),
    (
        "template without name",
        "templates/cm.yaml",
        "{{ template }}\n",
    ),
    (
        "template with a computed name",
        "templates/cm.yaml",
        "{{ template .Values.x }}\n",
    ),
    ("unclosed parenthesis", "templates/cm.yaml", "a: {{ (1 }}\n"),
    (
        "unexpected parenthesis",
        "templates/cm.yaml",
        "a: {{ 1) }}\n",
    ),
    ("nil as a command", "templates/cm.yaml", "a: {{ nil }}\n"),
    (
        "in a helper",
        "templates/_helpers.tpl",
        "{{- define \"x\" -}}\n{{ .Values.a\n{{- end }}\n",
    ),
    (
        "in a subchart",
        "charts/sub/templates/cm.yaml",
        "a: 1\nb: {{ nope }}\n",
    ),
];

/// Cases where our text still differs from helm's, by label, with the
/// cause (none left: a difference found is a failure).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

#[test]
fn template_execution_errors_read_as_helms() {
    compare_value_sets("exec");
}

#[test]
fn schema_violations_read_as_helms() {
    compare_value_sets("schema");
}

#[test]
fn invalid_rendered_yaml_reads_as_helms() {
    compare_value_sets("yaml");
}

#[test]
fn template_parse_errors_read_as_helms() {
    let home = tempfile::tempdir().unwrap();
    let helm_version = harness_helm_version(home.path());
    let renderer = Renderer::new();
    let failures: Vec<(String, String)> = PARSE_CASES
        .iter()
        .filter_map(|(label, file, text)| {
            let scratch = tempfile::tempdir().unwrap();
            let chart = probe_chart(scratch.path(), file, text);
            compare(&renderer, home.path(), &chart, None, &helm_version)
                .err()
                .map(|difference| (format!("parse errors: {label}"), difference))
        })
        .collect();
    report("parse errors", PARSE_CASES.len(), &failures);
}

#[test]
fn values_files_that_are_not_yaml_read_as_helms() {
    let home = tempfile::tempdir().unwrap();
    let chart = errors_dir().join("exec");
    let files = sorted_files(&errors_dir().join("values-files"), ".yaml");
    let failures: Vec<(String, String)> = files
        .iter()
        .filter_map(|file| {
            let label = format!(
                "values files: {}",
                file.file_name().unwrap().to_string_lossy()
            );
            let Err(helms) = helm_template(home.path(), &chart, Some(file)) else {
                return Some((
                    label,
                    "  helm accepts it: the case tests nothing".to_owned(),
                ));
            };
            // We read values, not files: what helm says after naming the file.
            let prefix = format!("failed to parse {}: ", file.display());
            let helms = helms.strip_prefix(&prefix).unwrap_or(&helms).to_owned();
            let difference = match values::parse_yaml(&std::fs::read(file).unwrap()) {
                Ok(_) => format!("  helm refused it with\n    {helms}\n  we accepted it"),
                Err(ours) if ours.to_string() == helms => return None,
                Err(ours) => format!("  helm: {helms}\n  ours: {ours}"),
            };
            Some((label, difference))
        })
        .collect();
    report("values files", files.len(), &failures);
}

/// Compares helm's refusal of each value set of `tests/charts/errors/<chart>`
/// with ours.
fn compare_value_sets(chart: &str) {
    let home = tempfile::tempdir().unwrap();
    let helm_version = harness_helm_version(home.path());
    let renderer = Renderer::new();
    let chart_dir = errors_dir().join(chart);
    let value_sets = sorted_files(&chart_dir.join("ci"), "-values.yaml");
    let failures: Vec<(String, String)> = value_sets
        .iter()
        .filter_map(|values_file| {
            compare(
                &renderer,
                home.path(),
                &chart_dir,
                Some(values_file),
                &helm_version,
            )
            .err()
            .map(|difference| {
                let name = values_file.file_name().unwrap().to_string_lossy();
                (format!("{chart} with {name}"), difference)
            })
        })
        .collect();
    report(chart, value_sets.len(), &failures);
}

/// helm must refuse the chart; ours must be refused with helm's text.
fn compare(
    renderer: &Renderer,
    home: &Path,
    chart_dir: &Path,
    values_file: Option<&Path>,
    helm_version: &HelmVersion,
) -> Result<(), String> {
    let Err(helms) = helm_template(home, chart_dir, values_file) else {
        return Err("  helm renders it: the case tests nothing".to_owned());
    };
    let ours = match engine_template(renderer, chart_dir, values_file, helm_version) {
        Ok(_) => {
            return Err(format!(
                "  helm refused it with\n    {helms}\n  we rendered it"
            ));
        }
        Err(ours) => ours,
    };
    let unordered = values_file.is_some_and(|file| {
        file.file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("unordered-"))
    });
    let same = if unordered {
        sorted_lines(&helms) == sorted_lines(&ours)
    } else {
        helms == ours
    };
    if same {
        Ok(())
    } else {
        Err(format!("  helm: {helms}\n  ours: {ours}"))
    }
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines
}

/// Prints the tally and every difference (label, what differs); fails on
/// a difference [`KNOWN_DIFFERENCES`] does not list, and on a listed case
/// of `what` that now matches (so the list shrinks as causes are fixed).
fn report(what: &str, total: usize, failures: &[(String, String)]) {
    println!(
        "error parity ({what}): {}/{total} refused as helm refuses them",
        total - failures.len()
    );
    let known = |label: &str| KNOWN_DIFFERENCES.iter().find(|(known, _)| *known == label);
    for (label, difference) in failures {
        let note = known(label).map_or("NEW DIFFERENCE", |(_, why)| why);
        println!("--- {label} ({note})\n{difference}");
    }
    assert!(total > 0, "no {what} cases");
    let unexpected: Vec<&str> = failures
        .iter()
        .map(|(label, _)| label.as_str())
        .filter(|label| known(label).is_none())
        .collect();
    assert!(
        unexpected.is_empty(),
        "new differences from helm: {unexpected:?}"
    );
    let fixed: Vec<&str> = KNOWN_DIFFERENCES
        .iter()
        .map(|(label, _)| *label)
        .filter(|label| label.starts_with(what))
        .filter(|label| !failures.iter().any(|(failing, _)| failing == label))
        .collect();
    assert!(
        fixed.is_empty(),
        "these now match helm; take them off KNOWN_DIFFERENCES: {fixed:?}"
    );
}

fn errors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charts/errors")
}

/// The files of `dir` whose names end with `suffix`, sorted.
fn sorted_files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// A chart `broken` with a subchart `sub`, each with a template that
/// renders, and `file` (relative to the chart) holding `text`.
fn probe_chart(scratch: &Path, file: &str, text: &str) -> PathBuf {
    let chart = scratch.join("broken");
    let config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";
    for (path, content) in [
        (
            "Chart.yaml",
            "apiVersion: v2\nname: broken\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n",
        ),
        ("templates/cm.yaml", config_map),
        (
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        ),
        ("charts/sub/templates/cm.yaml", config_map),
        (file, text),
    ] {
        let path = chart.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    chart
}
