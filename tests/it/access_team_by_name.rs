//! A grant may name a team by name: the engine binds the team's UUID (the
//! name Hub RBAC knows it by), looked up in the organization's teams, so
//! the team's members get the level as the real RBAC authorizer decides.
//! A name no team has, or two teams share, is refused on the grant before
//! anything is changed; the lookup is made only when a grant names a team.

use upbound_connect::engine::{EngineError, Silent};
use upbound_connect::spec::{ConnectionInput, Field, GrantInput, GrantPart};

use testkit::access::{Identity, assert_allowed, level};
use testkit::world::World;

/// The teams list's route, as the double counts it.
const TEAMS: &str = "GET /v1/organizations/{orgID}/teams";

#[tokio::test]
async fn a_team_named_by_name_is_bound_by_its_uuid() {
    let world = World::new().await;
    let platform = world
        .double
        .add_team(&world.organization, "platform")
        .expect("team");
    let spec = ConnectionInput {
        access: Some(vec![GrantInput::new("upbound:team:platform", "edit", None)]),
        ..world.input("teams")
    }
    .validate()
    .expect("valid grants");
    let engine = world.engine().await;
    assert!(
        engine
            .connect(&spec, &Silent)
            .await
            .expect("connect")
            .changed
    );

    let member = Identity::member_of(&[&format!("upbound:team:{}", platform.id)]);
    assert_allowed(&world.kube, &member, None, level(Some("edit")), "the team").await;
    let by_name = Identity::member_of(&["upbound:team:platform"]);
    assert_allowed(&world.kube, &by_name, None, level(None), "not the name").await;

    world.double.clear_requests();
    let again = engine.connect(&spec, &Silent).await.expect("connect again");
    assert!(!again.changed, "the same team: nothing to change");
    assert_eq!(world.double.request_counts().get(TEAMS), Some(&1));
}

#[tokio::test]
async fn an_unknown_or_shared_team_name_is_the_grants_problem() {
    let world = World::new().await;
    world
        .double
        .add_team(&world.organization, "twins")
        .expect("team");
    world
        .double
        .add_team(&world.organization, "twins")
        .expect("team");
    let spec = ConnectionInput {
        access: Some(vec![
            GrantInput::new("upbound:org-role:member", "view", None),
            GrantInput::new("upbound:team:nobody", "view", None),
            GrantInput::new("upbound:team:twins", "view", None),
        ]),
        ..world.input("teams")
    }
    .validate()
    .expect("valid grants");
    let error = world
        .engine()
        .await
        .connect(&spec, &Silent)
        .await
        .expect_err("refused");
    let EngineError::Input(invalid) = &error else {
        panic!("an input error: {error}");
    };
    let fields: Vec<Field> = invalid.0.iter().map(|problem| problem.field).collect();
    assert_eq!(
        fields,
        [
            Field::Grant(1, GrantPart::Subject),
            Field::Grant(2, GrantPart::Subject)
        ]
    );
    assert!(invalid.0[0].problem.contains("\"nobody\""), "{error}");
    assert!(invalid.0[1].fix.contains("UUID"), "{error}");
    assert!(world.double.robots().is_empty(), "nothing created");
    assert_eq!(world.secret_version("connect-token").await, None);
}
