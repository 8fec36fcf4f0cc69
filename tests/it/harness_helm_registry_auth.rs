//! The registry harness is a real OCI registry with basic auth, and the test
//! agent chart in it was pushed by real helm: helm pulls it with the licence
//! credentials, renders the agent Deployment from it, and is refused without
//! credentials.

use std::process::Output;

use testkit::helm::helm_output;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn helm_pulls_the_agent_chart_with_credentials_and_is_refused_without() {
    let home = tempfile::tempdir().unwrap();
    let repository = testkit::harness_env("CHART_REPOSITORY");
    let versions = testkit::harness_env("CHART_VERSIONS");
    let username = testkit::harness_env("REGISTRY_USERNAME");
    let password = testkit::harness_env("REGISTRY_PASSWORD");
    let dest = home.path().join("pulled");
    let dest = dest.to_str().unwrap();

    for version in versions.split_whitespace() {
        let out = helm_output(
            home.path(),
            &[
                "pull",
                &repository,
                "--version",
                version,
                "--plain-http",
                "--username",
                &username,
                "--password",
                &password,
                "--untar",
                "--untardir",
                &format!("{dest}/{version}"),
            ],
        );
        assert!(out.status.success(), "pull {version}: {}", stderr(&out));
        let chart = std::fs::read_to_string(format!("{dest}/{version}/agent/Chart.yaml")).unwrap();
        assert!(chart.contains(&format!("version: {version}")), "{chart}");
    }

    let newest = versions.split_whitespace().last().unwrap();
    let out = helm_output(
        home.path(),
        &[
            "template",
            "agent",
            &format!("{dest}/{newest}/agent"),
            "--namespace",
            "upbound-system",
            "--set",
            "global.space=my-space",
            "--set",
            "global.organization=acme",
            "--set",
            "global.tokenSecret=connect-token",
            "--set",
            "registration.enabled=true",
            "--set",
            "imagePullSecrets[0].name=upbound-pull-secret",
        ],
    );
    assert!(out.status.success(), "template: {}", stderr(&out));
    let manifest = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "kind: Deployment",
        "name: agent",
        "- name: register",
        "app: agent",
        "--space=my-space",
        "name: \"connect-token\"",
        "key: token",
        "- name: upbound-pull-secret",
    ] {
        assert!(
            manifest.contains(expected),
            "rendered agent chart lacks {expected:?}:\n{manifest}"
        );
    }

    let anonymous = helm_output(
        home.path(),
        &[
            "pull",
            &repository,
            "--version",
            newest,
            "--plain-http",
            "--destination",
            dest,
        ],
    );
    assert!(
        !anonymous.status.success(),
        "an anonymous pull must be refused"
    );
    let message = stderr(&anonymous);
    assert!(
        // helm (oras) answers the registry's 401 Basic challenge with
        // "basic credential not found" when it has no credentials.
        message.contains("401")
            || message.to_lowercase().contains("unauthorized")
            || message.contains("basic credential not found"),
        "refusal should be an authentication error: {message}"
    );

    let wrong = helm_output(
        home.path(),
        &[
            "pull",
            &repository,
            "--version",
            newest,
            "--plain-http",
            "--username",
            &username,
            "--password",
            "wrong-password",
            "--destination",
            dest,
        ],
    );
    assert!(!wrong.status.success(), "a wrong password must be refused");
}
