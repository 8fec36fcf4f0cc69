//! Each grant gives its subject exactly what its level allows, where its
//! scope says, as the real apiserver's RBAC authorizer decides
//! (`SubjectAccessReview`): users and robots as Users, teams and org roles
//! as Groups; a group-scoped grant does not reach another group; nobody
//! else gains anything. A second connect writes nothing.

use upbound_connect::engine::Silent;
use upbound_connect::spec::{ConnectionInput, GrantInput};

use testkit::access::{Identity, assert_allowed, level, new_group};
use testkit::unique_name;
use testkit::world::World;

#[tokio::test]
async fn every_subject_gets_exactly_its_level_in_its_scope() {
    let world = World::new().await;
    let (group, other_group) = (new_group(&world.kube).await, new_group(&world.kube).await);
    let user = format!("upbound:user:{}", unique_name("alice"));
    let robot = format!("upbound:robot:{}", unique_name("ci"));
    let team = format!("upbound:team:{}", uuid::Uuid::new_v4());
    let spec = ConnectionInput {
        access: Some(vec![
            GrantInput::new(&user, "view", None),
            GrantInput::new(&robot, "edit", Some(&group)),
            GrantInput::new(&team, "admin", None),
            GrantInput::new("upbound:org-role:member", "view", Some(&group)),
            GrantInput::new("upbound:org-role:admin", "admin", Some(&group)),
        ]),
        ..world.input("grants")
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

    let kube = &world.kube;
    let everywhere = [Some(group.as_str()), Some(other_group.as_str()), None];
    let user = Identity::user(&user);
    let in_team = Identity::member_of(&[&team]);
    for scope in everywhere {
        assert_allowed(kube, &user, scope, level(Some("view")), "user").await;
        assert_allowed(kube, &in_team, scope, level(Some("admin")), "team").await;
    }

    let robot = Identity::user(&robot);
    let member = Identity::member_of(&["upbound:org-role:member"]);
    let org_admin = Identity::member_of(&["upbound:org-role:admin"]);
    assert_allowed(kube, &robot, Some(&group), level(Some("edit")), "").await;
    assert_allowed(kube, &member, Some(&group), level(Some("view")), "").await;
    assert_allowed(kube, &org_admin, Some(&group), level(Some("admin")), "").await;
    for scope in [Some(other_group.as_str()), None] {
        assert_allowed(kube, &robot, scope, level(None), "robot").await;
        assert_allowed(kube, &member, scope, level(None), "member").await;
        assert_allowed(kube, &org_admin, scope, level(None), "admin").await;
    }

    let stranger = Identity::user(&format!("upbound:user:{}", unique_name("eve")));
    let other_team = Identity::member_of(&[&format!("upbound:team:{}", uuid::Uuid::new_v4())]);
    for nobody in [stranger, other_team] {
        for scope in everywhere {
            assert_allowed(kube, &nobody, scope, level(None), "{nobody:?}").await;
        }
    }

    let objects = testkit::access::ours(kube, &world.namespace).await;
    assert_eq!(
        objects
            .keys()
            .filter(|name| name.starts_with("ClusterRole "))
            .count(),
        3,
        "one ClusterRole per level in use: {objects:?}"
    );
    assert_eq!(
        objects.len(),
        3 + 5,
        "and one binding per grant: {objects:?}"
    );
    let seen = engine.read(&spec).await.expect("read");
    assert_eq!(seen.drift, vec![], "no drift once granted");
    let before = testkit::access::ours(kube, &world.namespace).await;
    assert!(
        !engine
            .connect(&spec, &Silent)
            .await
            .expect("second connect")
            .changed
    );
    assert_eq!(
        testkit::access::ours(kube, &world.namespace).await,
        before,
        "nothing written"
    );
}
