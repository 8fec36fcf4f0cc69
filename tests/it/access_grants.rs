//! Each grant gives its subject exactly what its level allows, where its
//! scope says, as the real apiserver's RBAC authorizer decides
//! (`SubjectAccessReview`): users and robots as Users, teams and org roles
//! as Groups; a group-scoped grant does not reach another group; nobody
//! else gains anything. A second connect writes nothing.

use upbound_connect::engine::Silent;
use upbound_connect::spec::{ConnectionInput, GrantInput};

use testkit::access::{Identity, allowed, level, new_group};
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
        assert_eq!(
            allowed(kube, &user, scope).await,
            level(Some("view")),
            "user in {scope:?}"
        );
        assert_eq!(
            allowed(kube, &in_team, scope).await,
            level(Some("admin")),
            "team in {scope:?}"
        );
    }

    let robot = Identity::user(&robot);
    let member = Identity::member_of(&["upbound:org-role:member"]);
    let org_admin = Identity::member_of(&["upbound:org-role:admin"]);
    assert_eq!(
        allowed(kube, &robot, Some(&group)).await,
        level(Some("edit"))
    );
    assert_eq!(
        allowed(kube, &member, Some(&group)).await,
        level(Some("view"))
    );
    assert_eq!(
        allowed(kube, &org_admin, Some(&group)).await,
        level(Some("admin"))
    );
    for scope in [Some(other_group.as_str()), None] {
        assert_eq!(
            allowed(kube, &robot, scope).await,
            level(None),
            "robot in {scope:?}"
        );
        assert_eq!(
            allowed(kube, &member, scope).await,
            level(None),
            "member in {scope:?}"
        );
        assert_eq!(
            allowed(kube, &org_admin, scope).await,
            level(None),
            "admin in {scope:?}"
        );
    }

    let stranger = Identity::user(&format!("upbound:user:{}", unique_name("eve")));
    let other_team = Identity::member_of(&[&format!("upbound:team:{}", uuid::Uuid::new_v4())]);
    for nobody in [stranger, other_team] {
        for scope in everywhere {
            assert_eq!(
                allowed(kube, &nobody, scope).await,
                level(None),
                "{nobody:?} in {scope:?}"
            );
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
