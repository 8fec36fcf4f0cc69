//! YAML input read as Helm reads it, each rule on a small chart written
//! here and rendered by real `helm template` and by us, outputs compared
//! byte for byte: long comment blocks in values files (a parser budget
//! Helm does not have once refused them), multi-document values files and
//! `fromYaml` text (only the first document counts, as in go-yaml's
//! `Unmarshal`), and rendered documents whose mappings are null.

use std::path::Path;

use crate::helm_corpus_parity::{engine_template, first_difference, helm_template};
use testkit::helm::harness_helm_version;
use upbound_connect::helm::render::Renderer;

/// Writes a chart named `probe` with `files` (path → text) under `dir`.
fn write_chart(dir: &Path, files: &[(&str, &str)]) {
    let chart_yaml = "apiVersion: v2\nname: probe\nversion: 0.1.0\n";
    for (path, text) in [("Chart.yaml", chart_yaml)].iter().chain(files) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Renders the chart with helm and with us (user values from `values`
/// when given) and asserts the outputs are the same.
fn renders_as_helm_does(files: &[(&str, &str)], values: Option<&str>) -> String {
    let scratch = tempfile::tempdir().unwrap();
    let chart = scratch.path().join("probe");
    write_chart(&chart, files);
    let values_file = values.map(|text| {
        let file = scratch.path().join("user-values.yaml");
        std::fs::write(&file, text).unwrap();
        file
    });
    let helms = helm_template(scratch.path(), &chart, values_file.as_deref())
        .unwrap_or_else(|error| panic!("helm refused the probe chart: {error}"));
    let helm_version = harness_helm_version(scratch.path());
    let ours = engine_template(
        &Renderer::new(),
        &chart,
        values_file.as_deref(),
        &helm_version,
    )
    .unwrap_or_else(|error| panic!("helm rendered the probe chart; we refused it: {error}"));
    if let Err(difference) = first_difference(&helms, &ours) {
        panic!("ours differs from helm's:\n{difference}\nhelm's output:\n{helms}");
    }
    helms
}

/// A ConfigMap that shows the values as YAML.
const SHOW_VALUES: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\ndata:\n  values: |\n    {{- toYaml .Values | nindent 4 }}\n";

#[test]
fn values_files_with_long_comment_blocks_load_as_helm_loads_them() {
    let block = |indent: &str| format!("{indent}# a commented-out setting: value\n").repeat(300);
    let values = format!(
        "{}image:\n{}  tag: v1\n{}  pullPolicy: IfNotPresent\nlist:\n{}- one\n{}- two\n{}",
        block(""),
        block("  "),
        block("##"),
        block(""),
        block("  "),
        block("")
    );
    let user = format!("{}image:\n{}  tag: v2\n", block(""), block("    "));
    let out = renders_as_helm_does(
        &[
            ("values.yaml", &values),
            ("templates/values.yaml", SHOW_VALUES),
        ],
        Some(&user),
    );
    assert!(out.contains("tag: v2") && out.contains("- two"), "{out}");
}

#[test]
fn only_the_first_document_of_values_and_from_yaml_counts() {
    let values = "a: 1\ntext: \"x: 1\\n---\\ny: 2\\n\"\nlist: \"- 1\\n---\\n- 2\\n\"\n---\nb: 2\n";
    let user = "# user values\n---\nc: 3\n---\nd: 4\n";
    let template = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\ndata:\n  values: |\n    {{- toYaml .Values | nindent 4 }}\n  fromYaml: |\n    {{- fromYaml .Values.text | toYaml | nindent 4 }}\n  fromYamlArray: |\n    {{- fromYamlArray .Values.list | toYaml | nindent 4 }}\n";
    let out = renders_as_helm_does(
        &[("values.yaml", values), ("templates/values.yaml", template)],
        Some(user),
    );
    assert!(
        out.contains("c: 3") && !out.contains("d: 4") && !out.contains("b: 2"),
        "{out}"
    );
}

#[test]
fn rendered_documents_with_null_mappings_render_as_helm_does() {
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: nulls\n  labels:\n    app: nulls\n  annotations:\n    {{- with .Values.annotations }}\n    {{- toYaml . | nindent 4 }}\n    {{- end }}\nspec:\n  selector:\n  ports:\n  - port: 80\n";
    let bare = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n---\nkind:\nmetadata:\n  name:\n  annotations:\n    helm.sh/hook:\n";
    let hook = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hook\n  labels:\n  annotations:\n    helm.sh/hook: test\n    other:\n";
    renders_as_helm_does(
        &[
            ("values.yaml", "annotations: {}\n"),
            ("templates/service.yaml", service),
            ("templates/bare.yaml", bare),
            ("templates/hook.yaml", hook),
        ],
        None,
    );
}
