//! `values.schema.json` is checked against the final values; a violation
//! names the failing path, and helm refuses the same values.

use std::path::Path;

use testkit::helm::{helm, helm_output};
use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::values::{self, UserValues, schema};

fn agent_chart_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charts/agent")
}

fn final_values(chart: &Chart, set_string: &[&str]) -> values::Values {
    let user = UserValues {
        set_string: set_string.iter().map(|s| (*s).to_owned()).collect(),
        ..UserValues::default()
    };
    values::coalesce(chart, &user.merge().unwrap()).unwrap()
}

#[test]
fn the_chart_defaults_meet_the_schema() {
    let chart = Chart::load(&agent_chart_dir()).unwrap();
    // replicaCount is the float64 1 here: "integer" must accept it, as Helm does.
    schema::validate(&chart, &final_values(&chart, &[])).unwrap();
}

#[test]
fn a_violation_names_the_failing_path_as_helm_refuses_it() {
    let chart = Chart::load(&agent_chart_dir()).unwrap();
    let flags = ["replicaCount=two", "connect.url=http://insecure"];
    let error = schema::validate(&chart, &final_values(&chart, &flags)).unwrap_err();
    let paths: Vec<&str> = error
        .violations()
        .iter()
        .map(|violation| violation.path.as_str())
        .collect();
    assert_eq!(paths.len(), 2, "{error}");
    assert!(paths.contains(&"/replicaCount"), "{error}");
    assert!(paths.contains(&"/connect/url"), "{error}");
    assert!(error.to_string().contains("/replicaCount"), "{error}");

    let home = tempfile::tempdir().unwrap();
    let dir = agent_chart_dir();
    let mut args = vec!["template", "agent", dir.to_str().unwrap()];
    args.extend(flags.iter().flat_map(|flag| ["--set-string", *flag]));
    let out = helm_output(home.path(), &args);
    assert!(!out.status.success(), "helm must refuse these values too");
    let helm_says = String::from_utf8_lossy(&out.stderr);
    assert!(helm_says.contains("replicaCount"), "{helm_says}");
    // The same values pass once fixed.
    helm(
        home.path(),
        &[
            "template",
            "agent",
            dir.to_str().unwrap(),
            "--set",
            "space=s,organization=o,tokenSecret=t",
        ],
    );
}

/// Each schema failure is worded as helm words it (one failure per case:
/// helm orders several by Go's random map order).
#[test]
fn violations_are_worded_as_helm_words_them() {
    use crate::helm_corpus_parity::{engine_template, helm_template};
    use testkit::helm::harness_helm_version;
    use upbound_connect::helm::render::Renderer;

    let cases = [
        (
            r#"{"properties": {"policy": {"type": "string", "enum": ["sync", "upsert-only"]}}}"#,
            "policy: null\n",
        ),
        (
            r#"{"properties": {"policy": {"type": "string", "enum": ["sync", "upsert-only"]}}}"#,
            "policy: create\n",
        ),
        (r#"{"required": ["a", "b"]}"#, "c: 1\n"),
        (
            r#"{"additionalProperties": false, "properties": {"a": {}}}"#,
            "a: 1\nzz: 2\n",
        ),
        (
            r#"{"properties": {"count": {"type": "integer", "minimum": 1}}}"#,
            "count: 0\n",
        ),
        (
            r#"{"properties": {"image": {"type": "object", "properties": {"tag": {"type": ["string", "null"]}}}}}"#,
            "image:\n  tag: 1.5\n",
        ),
        (
            r#"{"properties": {"name": {"type": "string", "maxLength": 3}}}"#,
            "name: it's long\n",
        ),
        (
            r#"{"properties": {"b": {"type": "string"}}, "required": ["a"]}"#,
            "b: 1\n",
        ),
    ];
    let renderer = Renderer::new();
    for (schema, values) in cases {
        let scratch = tempfile::tempdir().unwrap();
        let chart = scratch.path().join("probe");
        std::fs::create_dir_all(chart.join("templates")).unwrap();
        for (path, text) in [
            (
                "Chart.yaml",
                "apiVersion: v2\nname: probe\nversion: 0.1.0\n",
            ),
            ("values.schema.json", schema),
            ("values.yaml", values),
            (
                "templates/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
            ),
        ] {
            std::fs::write(chart.join(path), text).unwrap();
        }
        let helm_version = harness_helm_version(scratch.path());
        let helms = helm_template(scratch.path(), &chart, None)
            .expect_err(&format!("helm refuses {values:?} against {schema}"));
        let ours = engine_template(&renderer, &chart, None, &helm_version)
            .expect_err(&format!("we refuse {values:?} against {schema}"));
        assert_eq!(ours, helms, "schema {schema} with values {values:?}");
    }
}
