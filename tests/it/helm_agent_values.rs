//! The agent values we build render, with real helm, exactly what the seed's
//! `helm upgrade --install … --set …` line renders, for the older
//! (top-level) and newer (`global.*`) chart interfaces.

use testkit::helm::helm;
use testkit::registry::{agent_chart, chart_versions, puller};
use upbound_connect::engine::agent_values::{AgentValuesInput, Interface, agent_values};
use upbound_connect::helm::chart::Chart;

fn input() -> AgentValuesInput {
    AgentValuesInput {
        space: "my-space".to_owned(),
        organization: "acme".to_owned(),
        token_secret: "connect-token".to_owned(),
        pull_secrets: vec!["upbound-pull-secret".to_owned()],
        registration: true,
        image_repository: "xpkg.upbound.io/spaces-artifacts/agent".to_owned(),
        registration_image_repository: "xpkg.upbound.io/spaces-artifacts/register-init".to_owned(),
        connect_url: None,
    }
}

/// The seed's `--set` flags, with the identity keys where the chart reads them.
fn seed_flags(prefix: &str) -> Vec<String> {
    [
        "image.repository=xpkg.upbound.io/spaces-artifacts/agent".to_owned(),
        "registration.image.repository=xpkg.upbound.io/spaces-artifacts/register-init".to_owned(),
        "imagePullSecrets[0].name=upbound-pull-secret".to_owned(),
        "registration.enabled=true".to_owned(),
        format!("{prefix}space=my-space"),
        format!("{prefix}organization=acme"),
        format!("{prefix}tokenSecret=connect-token"),
    ]
    .into_iter()
    .flat_map(|flag| ["--set".to_owned(), flag])
    .collect()
}

#[tokio::test]
async fn agent_values_render_as_the_seed_command_line_does() {
    let cache = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let puller = puller(cache.path());
    let versions = chart_versions();
    for (version, expected, prefix) in [
        (&versions[0], Interface::TopLevel, ""),
        (&versions[1], Interface::Global, "global."),
    ] {
        let pulled = puller.pull(&agent_chart(version)).await.unwrap();
        let chart = Chart::load(&pulled.archive).unwrap();
        assert_eq!(Interface::of(&chart.values), expected, "chart {version}");

        let values = agent_values(&chart.values, &input());
        let values_file = home.path().join(format!("agent-{version}.json"));
        std::fs::write(&values_file, serde_json::to_vec(&values).unwrap()).unwrap();
        let archive = pulled.archive.to_str().unwrap();
        let base = [
            "template",
            "agent",
            archive,
            "--namespace",
            "upbound-system",
        ];

        let ours = helm(
            home.path(),
            &[&base[..], &["-f", values_file.to_str().unwrap()]].concat(),
        );
        let flags = seed_flags(prefix);
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let seed = helm(home.path(), &[&base[..], &flags[..]].concat());
        assert_eq!(ours, seed, "chart {version}");
        assert!(ours.contains("--space=my-space"), "{ours}");
        assert!(
            ours.contains("- name: register"),
            "registration enabled: {ours}"
        );
    }
}
