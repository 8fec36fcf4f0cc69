//! Our split-and-sort of rendered templates puts the agent chart's objects
//! in exactly the order, and under exactly the `# Source:` lines, that real
//! `helm template` prints.

use std::collections::BTreeMap;

use upbound_connect::helm::manifest::{release_manifest, sort};

use testkit::helm::helm_output;

#[test]
fn documents_come_out_in_helms_order() {
    let home = tempfile::tempdir().unwrap();
    let chart = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/charts/agent");
    let out = helm_output(
        home.path(),
        &[
            "template",
            "agent",
            chart,
            "--set",
            "space=s,organization=o,tokenSecret=connect-token",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let helms = String::from_utf8(out.stdout).unwrap();

    // Back to rendered files: every document regrouped under its template,
    // in file order (the order Helm renders them in).
    let mut rendered: BTreeMap<String, String> = BTreeMap::new();
    for document in helms.split("---\n# Source: ").skip(1) {
        let (source, content) = document.split_once('\n').unwrap();
        let file = rendered.entry(source.to_owned()).or_default();
        file.push_str("---\n");
        file.push_str(content);
    }
    assert!(
        rendered.len() >= 3,
        "the chart renders several templates: {rendered:?}"
    );

    let ours = release_manifest(&sort(&rendered).unwrap().manifests);
    assert_eq!(ours.trim_end(), helms.trim_end());
}
