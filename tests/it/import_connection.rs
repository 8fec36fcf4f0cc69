//! Import finds an existing connection by organization and space (with its
//! robot and token IDs, grants and agent settings) and refuses one that
//! does not exist.

use upbound_connect::engine::{DisconnectOptions, EngineError, InstalledAgent, Silent};
use upbound_connect::spec::{AgentInput, Field, GrantInput};

use testkit::access::new_group;
use testkit::install::mark_deployments_ready;
use testkit::registry::chart_versions;
use testkit::world::World;

#[tokio::test]
async fn import_finds_a_connection_and_refuses_a_missing_one() {
    let world = World::new().await;
    let engine = world.engine().await;
    let connected = engine
        .connect(&world.spec("present"), &Silent)
        .await
        .expect("connect");

    let imported = engine.import(&world.spec("present")).await.expect("import");
    assert_eq!(imported.observation.connection, connected.connection);
    assert!(imported.observation.drift.is_empty());

    engine
        .disconnect(
            &world.spec("present"),
            DisconnectOptions::default(),
            &Silent,
        )
        .await
        .expect("disconnect");
    let error = engine
        .import(&world.spec("present"))
        .await
        .expect_err("nothing to import");
    assert!(matches!(error, EngineError::NotConnected { .. }), "{error}");
    assert_eq!(error.field(), Some(Field::Space));
}

/// A namespace whose token Secret holds another Space's connection: the
/// import of a Space connected in another namespace names that namespace;
/// of a Space connected nowhere, says whose the Secret is.
#[tokio::test]
async fn import_names_where_the_space_is_when_the_secret_is_anothers() {
    let world = World::new().await;
    let engine = world.engine().await;
    engine
        .connect(&world.spec("resident"), &Silent)
        .await
        .expect("connect the namespace's own Space");
    let other = world.other_namespace().await;
    let spec = |space: &str| {
        let mut input = world.input(space);
        input.namespace = Some(other.namespace.clone());
        input.validate().expect("valid")
    };
    other
        .engine
        .connect(&spec("visitor"), &Silent)
        .await
        .expect("connect the visitor in the other namespace");

    let error = engine
        .import(&world.spec("visitor"))
        .await
        .expect_err("the visitor lives elsewhere");
    match &error {
        EngineError::SpaceConnectedElsewhere { elsewhere, .. } => assert_eq!(
            elsewhere
                .place
                .as_ref()
                .map(|place| place.namespace.as_str()),
            Some(other.namespace.as_str()),
            "{error}"
        ),
        _ => panic!("{error}"),
    }
    let error = engine
        .import(&world.spec("nowhere"))
        .await
        .expect_err("nothing to import");
    assert!(
        matches!(error, EngineError::NotConnected { .. })
            && error.to_string().contains("holds the connection of")
            && error.to_string().contains("/resident"),
        "{error}"
    );
}

/// Import reads back what the connection was made with: its grants (sorted)
/// from the Hub RBAC bindings, and from release `agent` the chart version
/// and the values given beside the connection's own. Imported with the
/// default agent, the settings it differs in are stated; the connection's
/// own values (Space, organization, images, pull Secret) are not.
#[tokio::test]
async fn import_reads_back_the_grants_and_the_agent_settings() {
    let world = World::new().await;
    let _ready = mark_deployments_ready(world.kube.clone(), &world.namespace);
    let group = new_group(&world.kube).await;
    let versions = chart_versions();
    let mut input = world.agent_input("settled", &versions[1]);
    let values = serde_json::json!({"billing": {"enabled": false}, "logLevel": "debug"});
    if let Some(agent) = input.agent.as_mut() {
        agent.values_yaml = Some(values.to_string());
        agent.registration_enabled = Some(false);
    }
    input.access = Some(vec![
        GrantInput::new("upbound:user:alice", "view", None),
        GrantInput::new("upbound:org-role:member", "edit", Some(&group)),
    ]);
    let engine = world.engine().await;
    engine
        .connect(&input.clone().validate().expect("valid"), &Silent)
        .await
        .expect("connect");

    let mut defaults = world.agent_input("settled", &versions[0]);
    defaults.agent = Some(AgentInput::default());
    let imported = engine
        .import(&defaults.validate().expect("valid"))
        .await
        .expect("import");
    let granted: Vec<String> = imported.access.iter().map(ToString::to_string).collect();
    assert_eq!(
        granted,
        [
            format!("upbound:org-role:member edit in group {group}"),
            "upbound:user:alice view in every group".to_owned(),
        ]
    );
    assert_eq!(
        imported.agent,
        InstalledAgent {
            version: Some(versions[1].clone()),
            values: values.as_object().cloned().expect("a mapping"),
            registration_enabled: Some(false),
            ..InstalledAgent::default()
        }
    );
}
