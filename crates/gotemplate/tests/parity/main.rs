//! Parity of `gotemplate` with real Go: every case of the corpus
//! (`tests/parity/cases.rs`) is rendered by Go's `text/template`
//! (`tests/go/main.go`, built with the local Go toolchain, standard
//! library only, or taken from `GOTEMPLATE_BIN`) and by this crate.
//! Outputs must be byte-identical; a
//! case Go rejects must be rejected too (error wording is compared and
//! reported, not required).

mod cases;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use gotemplate::{
    Arity, Dict, FuncError, Function, Methods, MissingKey, TemplateError, TemplateSet, Value,
};
use serde::Deserialize;

/// Cases known to differ from Go; the test lists them on every run. Each
/// entry says why.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

/// The lowest pass rate accepted (cases passing / all cases).
const MIN_PASSING: usize = 344;

#[derive(Deserialize)]
struct GoResult {
    name: String,
    output: Option<String>,
    error: Option<String>,
}

fn go_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("GOTEMPLATE_BIN") {
        return bin.into();
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go");
    let bin = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gotemplate");
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(&source)
        .env("GOFLAGS", "-buildvcs=false")
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .status()
        .expect("running `go build` (is Go installed?)");
    assert!(status.success(), "go build of tests/go failed");
    bin
}

fn run_go(cases: &[cases::Case]) -> Vec<GoResult> {
    let mut child = Command::new(go_binary())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting the Go renderer");
    let input = serde_json::to_vec(cases).expect("cases serialize");
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(&input)
        .expect("writing cases to Go");
    let output = child.wait_with_output().expect("Go renderer output");
    assert!(output.status.success(), "Go renderer failed");
    serde_json::from_slice(&output.stdout).expect("Go results are JSON")
}

/// JSON → value as the Go side decodes it: float64 numbers, or with
/// `ints`, Go `int` for integral ones.
fn data(json: &serde_json::Value, ints: bool) -> Value {
    match json {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) if ints && n.is_i64() => Value::Int(n.as_i64().unwrap_or(0)),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            Value::list(items.iter().map(|item| data(item, ints)).collect())
        }
        serde_json::Value::Object(entries) => Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), data(v, ints)))
                .collect(),
        ),
    }
}

/// The custom functions `main.go` registers, the same here.
fn template_set(option: &str) -> TemplateSet {
    let mut set = TemplateSet::new();
    set.missing_key(match option {
        "missingkey=zero" => MissingKey::Zero,
        "missingkey=error" => MissingKey::Error,
        _ => MissingKey::Default,
    });
    set.func("fail", Arity::Exact(1), |_, args| {
        Err(FuncError::message(FuncError::string_arg(args, 0)?))
    });
    set.func("upper", Arity::Exact(1), |_, args| {
        Ok(FuncError::string_arg(args, 0)?.to_uppercase().into())
    });
    set.func("list", Arity::AtLeast(0), |_, args| {
        Ok(Value::list(args.to_vec()))
    });
    set
}

/// Ours for `main.go`'s `files`: a struct without fields, with methods.
fn files() -> Value {
    let get: Function = Arc::new(|_, args| {
        FuncError::expect_args(args, 1)?;
        Ok(format!("content of {}", FuncError::string_arg(args, 0)?).into())
    });
    let names: Function = Arc::new(|_, _| Ok(Value::list(vec!["a.txt".into(), "b.txt".into()])));
    let sub: Function = Arc::new(|_, _| Ok(files()));
    let methods = Methods::of_struct("main.files")
        .method("Get", get)
        .method("Names", names)
        .method("Sub", sub);
    Value::Map(Dict::with_methods(BTreeMap::new(), methods))
}

fn run_ours(case: &cases::Case) -> Result<String, TemplateError> {
    let mut set = template_set(case.option);
    for (name, text) in &case.templates {
        set.parse(name, text)?;
    }
    let data = data(&case.data, case.ints);
    if let (Value::Map(entries), true) = (&data, case.methods) {
        entries.insert("Files".to_owned(), files());
    }
    set.execute(case.entry, &data)
}

#[test]
fn engine_matches_go_text_template() {
    let cases = cases::cases();
    assert!(cases.len() >= 150, "the corpus has {} cases", cases.len());
    let go = run_go(&cases);
    assert_eq!(go.len(), cases.len());

    let mut failures = BTreeMap::new();
    let mut both_failed = 0;
    let mut other_wording = Vec::new();
    for (case, expected) in cases.iter().zip(&go) {
        assert_eq!(case.name, expected.name);
        let ours = run_ours(case);
        let verdict = match (&ours, &expected.output, &expected.error) {
            (Ok(out), Some(want), _) if out == want => None,
            (Err(err), _, Some(want)) => {
                both_failed += 1;
                if &err.to_string() != want {
                    other_wording.push(format!("- {}\n  go:   {want}\n  ours: {err}", case.name));
                }
                None
            }
            (ours, want_out, want_err) => Some(format!(
                "  go:   {:?}\n  ours: {:?}",
                want_out.as_ref().or(want_err.as_ref()),
                ours.as_ref().map_err(ToString::to_string),
            )),
        };
        if let Some(diff) = verdict {
            failures.insert(case.name, diff);
        }
    }
    let passing = cases.len() - failures.len();
    println!(
        "template parity: {passing}/{} cases match Go; error messages identical in {}/{both_failed} failing cases",
        cases.len(),
        both_failed - other_wording.len(),
    );
    println!(
        "error wording that differs (accepted):\n{}",
        other_wording.join("\n")
    );
    for (name, diff) in &failures {
        let known = KNOWN_DIFFERENCES.iter().find(|(n, _)| n == name);
        let note = known.map_or("NEW DIFFERENCE", |(_, why)| why);
        println!("- {name} ({note})\n{diff}");
    }
    assert!(
        passing >= MIN_PASSING,
        "{passing}/{} cases match Go, fewer than the {MIN_PASSING} reached before",
        cases.len()
    );
    let unexpected: Vec<_> = failures
        .keys()
        .filter(|name| !KNOWN_DIFFERENCES.iter().any(|(n, _)| n == *name))
        .collect();
    assert!(
        unexpected.is_empty(),
        "new differences from Go: {unexpected:?}"
    );
}
