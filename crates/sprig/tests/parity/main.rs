//! Parity of Helm's function library (this crate) with real helm: every
//! snippet of `tests/parity/cases.rs` is put in one template of one chart,
//! rendered by the harness's helm (`helm template`, once), and by
//! `gotemplate` with these functions and the same `.Values`; outputs must
//! be identical. Snippets helm rejects are run one chart each and must
//! fail in both. Random functions are checked by property, the
//! certificate, key and AES functions in `crypto.rs`.
//!
//! helm is the binary in `UPBOUND_CONNECT_TEST_HELM`, which `tests/run`
//! exports.

mod cases;
mod crypto;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use gotemplate::{TemplateSet, Value};
use sprig::{from_json, goyaml, register};

/// Cases known to differ from helm, each with its reason.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[(
    "typeOf (toStrings",
    "string lists are []interface {} here: sprig's []string type name is not kept",
)];

const VALUES: &str = include_str!("values.yaml");

fn write_chart(dir: &Path, templates: &[(String, String)]) {
    write_chart_with_values(dir, VALUES, templates);
}

/// A chart of `templates` whose values.yaml is `values`.
fn write_chart_with_values(dir: &Path, values: &str, templates: &[(String, String)]) {
    std::fs::create_dir_all(dir.join("templates")).expect("chart dir");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: fx\nversion: 0.1.0\n",
    )
    .expect("Chart.yaml");
    std::fs::write(dir.join("values.yaml"), values).expect("values.yaml");
    for (name, text) in templates {
        std::fs::write(dir.join("templates").join(name), text).expect("template");
    }
}

/// A template whose document carries the snippet's output as a JSON
/// string, so that any text survives helm's YAML check.
fn wrapped(i: usize, snippet: &str) -> String {
    format!(
        "{{{{- define \"case.{i}\" }}}}{snippet}{{{{ end -}}}}\nv: {{{{ include \"case.{i}\" . | toJson }}}}\n"
    )
}

/// `.Values` (from the same values.yaml) and `.Release.Name`.
fn data() -> Value {
    let values = goyaml::read_map(VALUES.as_bytes()).expect("values parse");
    let values = from_json(&serde_json::Value::Object(values));
    let release = Value::map(BTreeMap::from([("Name".to_owned(), Value::from("r"))]));
    Value::map(BTreeMap::from([
        ("Values".to_owned(), values),
        ("Release".to_owned(), release),
    ]))
}

fn ours(snippet: &str) -> Result<String, String> {
    let mut set = TemplateSet::new();
    register(&mut set);
    set.parse("case", snippet).map_err(|e| e.to_string())?;
    set.execute("case", &data()).map_err(|e| e.to_string())
}

/// Runs the harness's helm with its own empty config, cache and data homes
/// under `home` (so no login from `tests/run` leaks in), returning its
/// output whatever the exit status.
fn helm_output(home: &Path, args: &[&str]) -> Output {
    const KEY: &str = "UPBOUND_CONNECT_TEST_HELM";
    let helm = std::env::var_os(KEY).unwrap_or_else(|| {
        panic!("{KEY} is not set: run the tests with `tests/run`, which starts the real harnesses")
    });
    Command::new(helm)
        .args(args)
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_DATA_HOME", home.join("data"))
        .env("HELM_REGISTRY_CONFIG", home.join("config/registry.json"))
        .output()
        .expect("run helm")
}

/// helm's output per template file name.
fn helm_outputs(home: &Path, chart: &Path) -> BTreeMap<String, String> {
    let args = ["template", "r", chart.to_str().expect("UTF-8 path")];
    let out = helm_output(home, &args);
    assert!(
        out.status.success(),
        "helm {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8(out.stdout).expect("helm prints UTF-8");
    let mut docs = BTreeMap::new();
    for doc in out.split("---\n# Source: fx/templates/").skip(1) {
        let (name, body) = doc.split_once('\n').expect("source line");
        let json = body.trim().strip_prefix("v: ").expect("v: line");
        let text: String = serde_json::from_str(json).expect("helm wrote a JSON string");
        docs.insert(name.to_owned(), text);
    }
    docs
}

#[test]
fn functions_match_helm() {
    let home = tempfile::tempdir().expect("temp dir");
    let chart = home.path().join("fx");
    let templates: Vec<(String, String)> = cases::CASES
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("c{i:03}.yaml"), wrapped(i, s)))
        .collect();
    write_chart(&chart, &templates);
    let helm = helm_outputs(home.path(), &chart);
    assert_eq!(helm.len(), cases::CASES.len(), "helm rendered every case");

    let mut failures = Vec::new();
    for (i, snippet) in cases::CASES.iter().enumerate() {
        let want = &helm[&format!("c{i:03}.yaml")];
        let got = ours(snippet);
        if got.as_ref() != Ok(want) {
            failures.push(format!(
                "case {i}: {snippet}\n  helm: {want:?}\n  ours: {got:?}"
            ));
        }
    }
    let known: Vec<&str> = KNOWN_DIFFERENCES.iter().map(|(s, _)| *s).collect();
    for (snippet, why) in KNOWN_DIFFERENCES {
        eprintln!("known difference: {snippet}: {why}");
    }
    let unexpected: Vec<&String> = failures
        .iter()
        .filter(|f| !known.iter().any(|k| f.contains(k)))
        .collect();
    eprintln!(
        "{} of {} cases match helm",
        cases::CASES.len() - failures.len(),
        cases::CASES.len()
    );
    assert!(
        unexpected.is_empty(),
        "differences from helm:\n{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn failures_match_helm() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut mismatches = Vec::new();
    for (i, snippet) in cases::ERRORS.iter().enumerate() {
        let chart = home.path().join(format!("e{i}")).join("fx");
        write_chart(&chart, &[("e.yaml".to_owned(), format!("v: {snippet}\n"))]);
        let out = helm_output(
            home.path(),
            &["template", "r", chart.to_str().expect("UTF-8 path")],
        );
        let ours = ours(snippet);
        eprintln!(
            "{snippet}\n  helm: {}\n  ours: {ours:?}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        if out.status.success() || ours.is_ok() {
            mismatches.push(*snippet);
        }
    }
    assert!(mismatches.is_empty(), "not failing in both: {mismatches:?}");
}

#[test]
fn random_functions_have_their_shape() {
    for (snippet, holds) in cases::RANDOM {
        let out = ours(snippet).expect("renders");
        assert!(holds(&out), "{snippet} gave {out:?}");
    }
}
