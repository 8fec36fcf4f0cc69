//! Running the harness's real helm binary in isolation.

use std::path::Path;
use std::process::{Command, Output};

use upbound_connect::helm::render::HelmVersion;

use crate::harness_env;

/// Runs the harness's helm with its own empty config, cache and data homes
/// under `home` (so no login from `tests/run` leaks in), returning its
/// output whatever the exit status.
pub fn helm_output(home: &Path, args: &[&str]) -> Output {
    Command::new(harness_env("HELM"))
        .args(args)
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_DATA_HOME", home.join("data"))
        .env("HELM_REGISTRY_CONFIG", home.join("config/registry.json"))
        .output()
        .expect("run helm")
}

/// Runs helm like [`helm_output`]; panics with helm's stderr when it fails.
/// Its stdout.
pub fn helm(home: &Path, args: &[&str]) -> String {
    let out = helm_output(home, args);
    assert!(
        out.status.success(),
        "helm {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("helm prints UTF-8")
}

/// Runs helm against the test kube-apiserver as cluster-admin, in
/// `namespace`, like [`helm`].
pub fn helm_in_cluster(home: &Path, namespace: &str, args: &[&str]) -> String {
    let all = in_cluster(namespace, args);
    helm(home, &all.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Runs helm against the test kube-apiserver like [`helm_in_cluster`],
/// returning its output whatever the exit status (for helm runs that are
/// meant to fail).
pub fn helm_in_cluster_output(home: &Path, namespace: &str, args: &[&str]) -> Output {
    let all = in_cluster(namespace, args);
    helm_output(home, &all.iter().map(String::as_str).collect::<Vec<_>>())
}

/// `args` preceded by the harness cluster's admin kubeconfig and `namespace`.
fn in_cluster(namespace: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec![
        "--kubeconfig".to_owned(),
        harness_env("KUBECONFIG"),
        "--namespace".to_owned(),
        namespace.to_owned(),
    ];
    all.extend(args.iter().map(|arg| (*arg).to_owned()));
    all
}

/// `helm list --all` in `namespace`: (name, revision, status) of each release.
pub fn releases(namespace: &str) -> Vec<(String, u64, String)> {
    let home = tempfile::tempdir().expect("helm home");
    let listed = helm_in_cluster(home.path(), namespace, &["list", "--all", "-o", "json"]);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&listed).expect("helm list JSON");
    listed
        .iter()
        .map(|release| {
            (
                release["name"].as_str().unwrap_or_default().to_owned(),
                release["revision"]
                    .as_str()
                    .and_then(|revision| revision.parse().ok())
                    .unwrap_or_default(),
                release["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The harness helm's own build information (`go install` leaves the
/// release stamps out), as `.Capabilities.HelmVersion` shows it.
pub fn harness_helm_version(home: &Path) -> HelmVersion {
    let out = helm(
        home,
        &[
            "version",
            "--template",
            "{{.Version}}|{{.GitCommit}}|{{.GitTreeState}}|{{.GoVersion}}",
        ],
    );
    let parts: Vec<&str> = out.trim().split('|').collect();
    HelmVersion {
        version: parts[0].to_owned(),
        git_commit: parts[1].to_owned(),
        git_tree_state: parts[2].to_owned(),
        go_version: parts[3].to_owned(),
    }
}
