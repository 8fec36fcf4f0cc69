//! Our values (user sources merged, `--set` grammar, coalesced over the
//! chart's and a subchart's defaults) equal what real `helm template` hands
//! to templates: tests/charts/values-probe prints `.Values` as JSON, and
//! each value set is given to both.

use std::path::Path;

use serde_json::Value;
use testkit::helm::helm;
use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::values::{self, UserValues};

/// One value set: `-f` files (YAML text), `--set`, `--set-string`, `--set-json`.
struct Case {
    name: &'static str,
    files: &'static [&'static str],
    set: &'static [&'static str],
    set_string: &'static [&'static str],
    set_json: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "chart defaults only",
        files: &[],
        set: &[],
        set_string: &[],
        set_json: &[],
    },
    Case {
        name: "files: nulls delete, lists replace, maps merge, later file wins",
        files: &[
            "nested: {drop: null, inner: {list: [9]}}\nlist: []\nnothing: now\nnewNull: null\nsub: {override: user, own: null}\nglobal: {region: us}\n",
            "nested: {keep: second}\nglobal: {shared: {b: null}}\nfloat: 1.5e3\nwhen: on\n",
        ],
        set: &[],
        set_string: &[],
        set_json: &[],
    },
    Case {
        name: "--set typing, indexes and escapes",
        files: &[],
        set: &[
            "a=0,b=0123,c=true,d=1.5,e=null,f=-7,g=,h=FALSE",
            r"x[1].y=z,esc\.dot=v\,w,l={p,1,true}",
            "nested.keep=null,replicas=3,list[0].a=5,m[0][2]=deep",
            "sub.override=set,sub.nested.n=x,global.shared.a=null,big=99999999999",
        ],
        set_string: &[],
        set_json: &[],
    },
    Case {
        name: "order is by flag type: file < --set-json < --set < --set-string",
        files: &["s: file\nt: file\nu: file\nclash: {a: 1}\nnested: scalar\n"],
        set: &["s=set,t=set,clash=7"],
        set_string: &["s=1,v=true"],
        set_json: &[r#"t={"k":[1,2,{"m":null}]},u=[1.5,"x"],w="#],
    },
];

#[test]
fn coalesced_values_match_helm_template() {
    let chart_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charts/values-probe");
    let chart = Chart::load(&chart_dir).unwrap();
    let home = tempfile::tempdir().unwrap();
    for case in CASES {
        let ours = ours(&chart, case);
        let (helm_top, helm_sub) = helm_values(home.path(), &chart_dir, case);
        assert_eq!(
            normalise(&ours),
            helm_top,
            "case {:?}: top chart",
            case.name
        );
        assert_eq!(
            normalise(&ours["sub"]),
            helm_sub,
            "case {:?}: subchart",
            case.name
        );
    }
}

fn ours(chart: &Chart, case: &Case) -> Value {
    let user = UserValues {
        files: case
            .files
            .iter()
            .map(|yaml| values::parse_yaml(yaml.as_bytes()).unwrap())
            .collect(),
        set_json: strings(case.set_json),
        set: strings(case.set),
        set_string: strings(case.set_string),
    };
    let merged = user.merge().unwrap();
    Value::Object(values::coalesce(chart, &merged).unwrap())
}

/// `.Values` of the probe chart and of its subchart, as helm renders them.
fn helm_values(home: &Path, chart_dir: &Path, case: &Case) -> (Value, Value) {
    let mut args = vec![
        "template".to_owned(),
        "probe".to_owned(),
        chart_dir.display().to_string(),
    ];
    for (index, yaml) in case.files.iter().enumerate() {
        let file = home.join(format!("values-{index}.yaml"));
        std::fs::write(&file, yaml).unwrap();
        args.extend(["-f".to_owned(), file.display().to_string()]);
    }
    for (flag, expressions) in [
        ("--set", case.set),
        ("--set-string", case.set_string),
        ("--set-json", case.set_json),
    ] {
        for expression in expressions {
            args.extend([flag.to_owned(), (*expression).to_owned()]);
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let manifest = helm(home, &args);
    let rendered = |source: &str| {
        let marker = format!("# Source: {source}\n");
        let start = manifest.find(&marker).expect("template rendered") + marker.len();
        let line = manifest[start..].lines().next().unwrap();
        normalise(&serde_json::from_str(line).unwrap())
    };
    (
        rendered("probe/templates/values.json"),
        rendered("probe/charts/sub/templates/values.json"),
    )
}

/// Numbers compared by value: JSON does not keep Go's int64/float64 apart.
fn normalise(value: &Value) -> Value {
    match value {
        Value::Number(number) => serde_json::json!(number.as_f64().unwrap()),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), normalise(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}
