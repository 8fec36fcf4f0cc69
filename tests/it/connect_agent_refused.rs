//! A connect whose agent chart cannot be pulled or rendered fails before it
//! changes anything, naming the input to fix: wrong licence, a version the
//! registry does not have, values the chart's schema rejects, a template
//! error. No robot, no token Secret, no release.

use upbound_connect::Secret;
use upbound_connect::engine::Silent;
use upbound_connect::spec::{AgentField, AgentInput, ConnectionInput, Field};

use testkit::install::history;
use testkit::registry::chart_versions;
use testkit::world::World;

/// Connects `input` and checks that it fails on `field` with nothing made,
/// and whether the error is the input's fault alone (faces then exit with
/// their "bad input" status).
async fn refused(world: &World, input: ConnectionInput, field: Field, input_fault: bool) -> String {
    let spec = input.validate().expect("valid input");
    let error = world
        .engine()
        .await
        .connect(&spec, &Silent)
        .await
        .expect_err("connect must fail");
    assert_eq!(error.field(), Some(field), "{error}");
    assert_eq!(error.is_input_fault(), input_fault, "{error}");
    assert!(world.double.robots().is_empty(), "no robot: {error}");
    assert_eq!(world.secret_version("connect-token").await, None);
    assert!(history(world).await.is_empty(), "no release");
    error.to_string()
}

/// `input` with its agent changed by `change`.
fn with_agent(mut input: ConnectionInput, change: impl FnOnce(&mut AgentInput)) -> ConnectionInput {
    change(input.agent.as_mut().expect("an agent"));
    input
}

#[tokio::test]
async fn bad_agent_inputs_fail_before_any_change() {
    let world = World::new().await;
    let input = world.agent_input("delta", &chart_versions()[0]);

    let wrong_licence = ConnectionInput {
        license_json: Some(Secret::new(
            r#"{"accessId": "licence-access-id", "token": "not-the-password"}"#,
        )),
        ..input.clone()
    };
    let message = refused(&world, wrong_licence, Field::License, true).await;
    assert!(!message.contains("not-the-password"), "{message}");

    let missing = with_agent(input.clone(), |agent| {
        agent.version = Some("9.9.9".to_owned());
    });
    refused(&world, missing, Field::Agent(AgentField::Version), true).await;

    let negative = with_agent(input.clone(), |agent| {
        agent.values_yaml = Some("replicaCount: -1".to_owned());
    });
    let message = refused(&world, negative, Field::Agent(AgentField::Values), true).await;
    assert!(message.contains("replicaCount"), "{message}");

    let chart = tempfile::tempdir().unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charts/agent");
    for entry in ["Chart.yaml", "values.yaml"] {
        std::fs::copy(source.join(entry), chart.path().join(entry)).unwrap();
    }
    std::fs::create_dir(chart.path().join("templates")).unwrap();
    std::fs::write(
        chart.path().join("templates/broken.yaml"),
        "kind: ConfigMap\nname: {{ .Values.space | nosuchfunction }}\n",
    )
    .unwrap();
    let broken = with_agent(input, |agent| {
        agent.chart = Some(chart.path().display().to_string());
    });
    let message = refused(&world, broken, Field::Agent(AgentField::Values), false).await;
    assert!(message.contains("nosuchfunction"), "{message}");
}
